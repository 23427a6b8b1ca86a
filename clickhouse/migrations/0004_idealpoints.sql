-- 0004: UN ideal points: the published Bailey-Strezhnev-Voeten estimates (source bsv,
-- imported: version 0, visible once their import commits) and entente's own (source
-- entente, written by ReplaceIdealPoints under a version that ideal_point_versions
-- makes current). q0 .. q100 are the quantiles 0, 5, 10, 50, 90, 95 and 100 %; NaN
-- where unknown.

CREATE TABLE IF NOT EXISTS ideal_points (
    source    String,
    variant   String,
    ccode     Int16,
    year      Int16,
    x         Float64,
    q0        Float64,
    q5        Float64,
    q10       Float64,
    q50       Float64,
    q90       Float64,
    q95       Float64,
    q100      Float64,
    votes     Int32,
    import_id UInt64,
    version   UInt64,
    line      Int32
) ENGINE = MergeTree ORDER BY (source, variant, year, ccode);

CREATE TABLE IF NOT EXISTS ideal_point_versions (
    source  String,
    variant String,
    version UInt64
) ENGINE = MergeTree ORDER BY (source, variant, version);
