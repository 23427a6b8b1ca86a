-- 0007: the generation of each kind of facts and the build stamp of the data derived
-- from them outside the import's own transaction (docs/reliability.md). A derivation
-- whose stamp differs from its facts' generation (or that has none while the facts
-- exist) is out of date: the next import rebuilds it, so an import interrupted between
-- its commit and the rebuild (Ctrl-C, kill -9, a full disk) is never left stale.
CREATE TABLE fact_generations (
    facts      VARCHAR   PRIMARY KEY, -- votes, events, ties, ideal_points, force
    generation BIGINT    NOT NULL,    -- the id of the last import that added facts of this kind
    changed_at TIMESTAMP NOT NULL
);

CREATE TABLE derivations (
    name       VARCHAR   PRIMARY KEY, -- the derived table and grouping: un_similarity/year
    facts      VARCHAR   NOT NULL,    -- the facts it is built from (fact_generations.facts)
    generation BIGINT    NOT NULL,    -- the generation of those facts it was built from
    built_at   TIMESTAMP NOT NULL,
    n_rows     BIGINT    NOT NULL
);

-- A store written before this migration: its votes are of the last vote import, and
-- its stored similarities carry no stamp, so the next import rebuilds them once.
INSERT INTO fact_generations
SELECT 'votes', max(id), max(finished) FROM imports
WHERE source IN ('voeten', 'unvotes', 'undl') HAVING count(*) > 0;
