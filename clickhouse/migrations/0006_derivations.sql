-- 0006: the build stamp of the stored similarities (docs/reliability.md): per grouping
-- and version, the id of the last committed import that had added votes when the
-- version was computed. The stamp row is written before the similarity_versions row
-- that makes the version current, so a current version without a stamp is one an
-- older entente wrote. A current version whose stamp is not the votes' generation now
-- is out of date, and the next import rebuilds it.
CREATE TABLE IF NOT EXISTS similarity_stamps (
    grouping   String,
    version    UInt64,
    built_from UInt64
) ENGINE = MergeTree ORDER BY (grouping, version);
