-- 0001: the commit log, import reports, quarantine, UN roll calls and votes, UN
-- similarity signals. Dates are Int32 YYYYMMDD (18.16's Date starts in 1970). Every
-- fact row carries the id of the import that wrote it; readers keep only rows whose
-- import_id is in commits (docs/scale.md). "-- shard: EXPR" marks a large table: in
-- cluster mode it is split over the shards by EXPR.

CREATE TABLE IF NOT EXISTS commits (
    id UInt64,
    at Int64
) ENGINE = MergeTree ORDER BY id;

CREATE TABLE IF NOT EXISTS imports (
    id          UInt64,
    ordinal     UInt16,
    source      String,
    file        String,
    sha256      String,
    size        Int64,
    started     Int64,
    finished    Int64,
    read        Int64,
    imported    Int64,
    quarantined Int64,
    duplicate   Int64,
    notes       Array(String)
) ENGINE = MergeTree ORDER BY (id, ordinal);

CREATE TABLE IF NOT EXISTS quarantine (
    import_id UInt64,
    source    String,
    file      String,
    sha256    String,
    line      Int32,
    field     String,
    reason    String,
    raw       String
) ENGINE = MergeTree ORDER BY (sha256, line, field);

CREATE TABLE IF NOT EXISTS roll_calls (
    source     String,
    rc_id      String,
    session    Int16,
    date       Int32,
    resolution String,
    title      String,
    important  UInt8,
    url        String,
    import_id  UInt64
) ENGINE = MergeTree ORDER BY (source, rc_id);

CREATE TABLE IF NOT EXISTS roll_call_issues (
    source    String,
    rc_id     String,
    issue     String,
    import_id UInt64
) ENGINE = MergeTree ORDER BY (issue, source, rc_id);

-- All UN votes since 1946 are about 1.3 million rows: one partition.
-- shard: cityHash64(source, rc_id)
CREATE TABLE IF NOT EXISTS votes (
    source    String,
    rc_id     String,
    ccode     Int16,
    state_id  String,
    vote      UInt8,
    line      Int32,
    import_id UInt64
) ENGINE = MergeTree ORDER BY (source, rc_id, ccode);

-- un_similarity keeps every version a replacement wrote; similarity_versions names the
-- current one (the newest) per grouping, so a replacement becomes visible at once.
CREATE TABLE IF NOT EXISTS un_similarity (
    grouping String,
    version  UInt64,
    period   String,
    ccode_a  Int16,
    ccode_b  Int16,
    n        Int32,
    agree    Float64,
    s_abs    Float64,
    s_sq     Float64,
    pi       Float64,
    kappa    Float64,
    pi_w     Float64,
    kappa_w  Float64
) ENGINE = MergeTree ORDER BY (grouping, version, period, ccode_a, ccode_b);

CREATE TABLE IF NOT EXISTS similarity_versions (
    grouping String,
    version  UInt64
) ENGINE = MergeTree ORDER BY (grouping, version);
