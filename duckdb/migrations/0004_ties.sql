-- 0004: formal ties: ATOP alliance dyad-years, organisation memberships and the acts
-- of the cited ledger. docs/schema.md documents every column.

CREATE TABLE alliances (
    ccode1    SMALLINT NOT NULL,
    ccode2    SMALLINT NOT NULL,
    year      SMALLINT NOT NULL,
    defense   BOOLEAN  NOT NULL,
    offense   BOOLEAN  NOT NULL,
    neutral   BOOLEAN  NOT NULL,
    nonagg    BOOLEAN  NOT NULL,
    consult   BOOLEAN  NOT NULL,
    import_id INTEGER  NOT NULL,
    line      INTEGER  NOT NULL,
    PRIMARY KEY (ccode1, ccode2, year)
);

CREATE TABLE memberships (
    source    VARCHAR  NOT NULL,
    state_id  VARCHAR  NOT NULL,
    ccode     SMALLINT,
    org       VARCHAR  NOT NULL,
    org_name  VARCHAR,
    begin_day DATE     NOT NULL,
    end_day   DATE,
    status    VARCHAR  NOT NULL,
    censored  BOOLEAN  NOT NULL,
    cites     VARCHAR,
    import_id INTEGER  NOT NULL,
    line      INTEGER  NOT NULL,
    PRIMARY KEY (source, state_id, org, begin_day, status)
);

CREATE TABLE acts (
    id          VARCHAR  NOT NULL PRIMARY KEY,
    date        DATE     NOT NULL,
    precision   VARCHAR  NOT NULL,
    end_day     DATE,
    actor       VARCHAR  NOT NULL,
    counterpart VARCHAR  NOT NULL,
    kind        VARCHAR  NOT NULL,
    stance      TINYINT  NOT NULL,
    magnitude   DOUBLE,
    summary     VARCHAR  NOT NULL,
    sources     VARCHAR  NOT NULL,
    file        VARCHAR  NOT NULL,
    line        INTEGER  NOT NULL,
    import_id   INTEGER  NOT NULL
);
