-- 0005: force data: UCDP conflict-year rows, strategic rivalries, MID dispute-years and
-- SIPRI arms deals, each kept whole as JSON (data) beside the columns queries filter on;
-- rkey is the record's identity and makes re-imports add nothing (docs/force.md).

CREATE TABLE IF NOT EXISTS conflict_years (
    rkey        String,
    conflict_id Int32,
    year        Int16,
    ccode_a     Int16,
    ccode_a2    Int16,
    ccode_b     Int16,
    ccode_b2    Int16,
    data        String,
    import_id   UInt64,
    line        Int32
) ENGINE = MergeTree ORDER BY (year, conflict_id, rkey);

CREATE TABLE IF NOT EXISTS rivalries (
    rkey       String,
    source     String,
    ccode1     Int16,
    ccode2     Int16,
    start_year Int16,
    end_year   Int16,
    data       String,
    import_id  UInt64,
    line       Int32
) ENGINE = MergeTree ORDER BY (source, rkey);

CREATE TABLE IF NOT EXISTS disputes (
    rkey      String,
    ccode1    Int16,
    ccode2    Int16,
    year      Int16,
    data      String,
    import_id UInt64,
    line      Int32
) ENGINE = MergeTree ORDER BY (year, ccode1, ccode2, rkey);

CREATE TABLE IF NOT EXISTS arms_deals (
    rkey            String,
    supplier_state  String,
    recipient_state String,
    first_year      Int16,
    last_year       Int16,
    data            String,
    import_id       UInt64,
    line            Int32
) ENGINE = MergeTree ORDER BY (supplier_state, recipient_state, rkey);
