-- 0003: events (GDELT), their mentions, aid records (Kiel tracker), and the dyad-month
-- event signals derived from events. docs/schema.md documents every column.

CREATE TABLE events (
    source       VARCHAR  NOT NULL,
    event_id     BIGINT   NOT NULL,
    day          DATE     NOT NULL,
    date_added   BIGINT   NOT NULL,
    actor1       VARCHAR,
    actor2       VARCHAR,
    actor1_code  VARCHAR,
    actor2_code  VARCHAR,
    event_code   VARCHAR  NOT NULL,
    root_code    VARCHAR  NOT NULL,
    quad         UTINYINT NOT NULL,
    goldstein    FLOAT,
    num_mentions INTEGER  NOT NULL,
    num_sources  INTEGER  NOT NULL,
    num_articles INTEGER  NOT NULL,
    avg_tone     FLOAT,
    url          VARCHAR,
    import_id    INTEGER  NOT NULL,
    line         INTEGER  NOT NULL
);

CREATE TABLE mentions (
    event_id      BIGINT   NOT NULL,
    event_time    BIGINT   NOT NULL,
    mention_time  BIGINT   NOT NULL,
    mention_type  TINYINT  NOT NULL,
    source_name   VARCHAR,
    url           VARCHAR  NOT NULL,
    sentence_id   INTEGER  NOT NULL,
    actor1_offset INTEGER  NOT NULL,
    actor2_offset INTEGER  NOT NULL,
    action_offset INTEGER  NOT NULL,
    confidence    TINYINT  NOT NULL,
    doc_tone      FLOAT,
    import_id     INTEGER  NOT NULL,
    line          INTEGER  NOT NULL
);

CREATE TABLE aid (
    donor     VARCHAR NOT NULL,
    recipient VARCHAR NOT NULL,
    month     DATE    NOT NULL,
    kind      VARCHAR NOT NULL,
    eur_bn    DOUBLE  NOT NULL,
    release   VARCHAR NOT NULL,
    url       VARCHAR,
    title     VARCHAR,
    publisher VARCHAR,
    published DATE,
    import_id INTEGER NOT NULL,
    line      INTEGER NOT NULL,
    PRIMARY KEY (release, donor, recipient, month, kind)
);

-- event_months: per directed dyad (actor1 → actor2, two different states) and month,
-- the aggregates every event signal is computed from. Rebuilt for the months an import
-- touches, in the import's transaction.
CREATE TABLE event_months (
    actor1   VARCHAR NOT NULL,
    actor2   VARCHAR NOT NULL,
    month    DATE    NOT NULL,
    n        BIGINT  NOT NULL,
    q1       BIGINT  NOT NULL,
    q2       BIGINT  NOT NULL,
    q3       BIGINT  NOT NULL,
    q4       BIGINT  NOT NULL,
    gsum     DOUBLE  NOT NULL,
    gweight  BIGINT  NOT NULL
);
