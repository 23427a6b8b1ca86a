-- 0009: vote_counts, the number of stored vote rows of each source, which VoteCoverage
-- reports without counting the votes table on every read. Like ballots it is derived
-- from votes and kept, for the sources an import touches, in the import's own
-- transaction; here it is counted once for a store written before.
CREATE TABLE IF NOT EXISTS vote_counts (
    source VARCHAR NOT NULL PRIMARY KEY,
    n      BIGINT  NOT NULL
);

INSERT OR REPLACE INTO vote_counts SELECT source, count(*) FROM votes GROUP BY source;
