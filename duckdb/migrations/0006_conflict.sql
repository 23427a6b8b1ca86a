-- 0006: force data: UCDP conflict-year rows, strategic rivalries, MID dispute-years and
-- SIPRI arms deals. Each table keeps the record whole as JSON (data) beside the columns
-- queries filter on; rkey is the record's identity (entente.*.RecordKey, ArmsDeal.Key)
-- and makes re-imports add nothing. docs/force.md documents the records.

CREATE TABLE conflict_years (
    rkey        VARCHAR  NOT NULL PRIMARY KEY,
    conflict_id INTEGER  NOT NULL,
    year        SMALLINT NOT NULL,
    ccode_a     SMALLINT NOT NULL, -- 0: none, or a state without a COW number
    ccode_a2    SMALLINT NOT NULL,
    ccode_b     SMALLINT NOT NULL,
    ccode_b2    SMALLINT NOT NULL,
    data        VARCHAR  NOT NULL,
    import_id   INTEGER  NOT NULL,
    line        INTEGER  NOT NULL
);

CREATE TABLE rivalries (
    rkey       VARCHAR  NOT NULL PRIMARY KEY,
    source     VARCHAR  NOT NULL,
    ccode1     SMALLINT NOT NULL,
    ccode2     SMALLINT NOT NULL,
    start_year SMALLINT NOT NULL,
    end_year   SMALLINT NOT NULL,
    data       VARCHAR  NOT NULL,
    import_id  INTEGER  NOT NULL,
    line       INTEGER  NOT NULL
);

CREATE TABLE disputes (
    rkey      VARCHAR  NOT NULL PRIMARY KEY,
    ccode1    SMALLINT NOT NULL,
    ccode2    SMALLINT NOT NULL,
    year      SMALLINT NOT NULL,
    data      VARCHAR  NOT NULL,
    import_id INTEGER  NOT NULL,
    line      INTEGER  NOT NULL
);

CREATE TABLE arms_deals (
    rkey            VARCHAR  NOT NULL PRIMARY KEY,
    supplier_state  VARCHAR  NOT NULL, -- '' unless the supplier is a state
    recipient_state VARCHAR  NOT NULL,
    first_year      SMALLINT NOT NULL, -- order year or first delivery year, whichever is first
    last_year       SMALLINT NOT NULL,
    data            VARCHAR  NOT NULL,
    import_id       INTEGER  NOT NULL,
    line            INTEGER  NOT NULL
);
