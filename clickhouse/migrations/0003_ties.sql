-- 0003: formal ties: ATOP alliance dyad-years, organisation memberships and the acts of
-- the cited ledger. end_day 0 means none (open spell, or no end).

CREATE TABLE IF NOT EXISTS alliances (
    ccode1    Int16,
    ccode2    Int16,
    year      Int16,
    defense   UInt8,
    offense   UInt8,
    neutral   UInt8,
    nonagg    UInt8,
    consult   UInt8,
    import_id UInt64,
    line      Int32
) ENGINE = MergeTree ORDER BY (year, ccode1, ccode2);

CREATE TABLE IF NOT EXISTS memberships (
    source    String,
    state_id  String,
    ccode     Int16,
    org       String,
    org_name  String,
    begin_day Int32,
    end_day   Int32,
    status    String,
    censored  UInt8,
    cites     String,
    import_id UInt64,
    line      Int32
) ENGINE = MergeTree ORDER BY (state_id, org, begin_day);

CREATE TABLE IF NOT EXISTS acts (
    id          String,
    date        Int32,
    precision   String,
    end_day     Int32,
    actor       String,
    counterpart String,
    kind        String,
    stance      Int8,
    magnitude   Float64,
    summary     String,
    sources     String,
    file        String,
    line        Int32,
    import_id   UInt64
) ENGINE = MergeTree ORDER BY (date, id);
