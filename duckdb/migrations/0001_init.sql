-- 0001: UN roll calls and votes, import accounting, quarantine, UN similarity signals.
-- docs/schema.md documents every table and column.

CREATE TABLE roll_calls (
    source     VARCHAR  NOT NULL,
    rc_id      VARCHAR  NOT NULL,
    session    SMALLINT,
    date       DATE     NOT NULL,
    resolution VARCHAR,
    title      VARCHAR,
    important  BOOLEAN  NOT NULL DEFAULT false,
    url        VARCHAR,
    PRIMARY KEY (source, rc_id)
);

CREATE TABLE roll_call_issues (
    source VARCHAR NOT NULL,
    rc_id  VARCHAR NOT NULL,
    issue  VARCHAR NOT NULL,
    PRIMARY KEY (source, rc_id, issue)
);

CREATE TABLE votes (
    source   VARCHAR  NOT NULL,
    rc_id    VARCHAR  NOT NULL,
    ccode    SMALLINT NOT NULL,
    state_id VARCHAR,
    vote     UTINYINT NOT NULL,
    line     INTEGER,
    PRIMARY KEY (source, rc_id, ccode)
);

CREATE TABLE imports (
    id          INTEGER   NOT NULL,
    ordinal     SMALLINT  NOT NULL,
    source      VARCHAR   NOT NULL,
    file        VARCHAR   NOT NULL,
    sha256      VARCHAR   NOT NULL,
    size        BIGINT    NOT NULL,
    started     TIMESTAMP NOT NULL,
    finished    TIMESTAMP NOT NULL,
    read        BIGINT    NOT NULL,
    imported    BIGINT    NOT NULL,
    quarantined BIGINT    NOT NULL,
    duplicate   BIGINT    NOT NULL,
    notes       VARCHAR[],
    PRIMARY KEY (id, ordinal)
);

CREATE TABLE quarantine (
    import_id INTEGER NOT NULL,
    source    VARCHAR NOT NULL,
    file      VARCHAR NOT NULL,
    sha256    VARCHAR NOT NULL,
    line      INTEGER NOT NULL,
    field     VARCHAR NOT NULL,
    reason    VARCHAR NOT NULL,
    raw       VARCHAR NOT NULL,
    PRIMARY KEY (sha256, line, field)
);

CREATE TABLE un_similarity (
    "by"    VARCHAR  NOT NULL,
    period  VARCHAR  NOT NULL,
    ccode_a SMALLINT NOT NULL,
    ccode_b SMALLINT NOT NULL,
    n       INTEGER  NOT NULL,
    agree   DOUBLE,
    s_abs   DOUBLE,
    s_sq    DOUBLE,
    pi      DOUBLE,
    kappa   DOUBLE,
    pi_w    DOUBLE,
    kappa_w DOUBLE
);
