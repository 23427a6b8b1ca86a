-- 0005: UN ideal points, one row per source, variant, state and year: the published
-- Bailey-Strezhnev-Voeten estimates (source bsv) and entente's own (source entente).
-- q0 .. q100 are the quantiles 0, 5, 10, 50, 90, 95 and 100 %; NULL where unknown.

CREATE TABLE ideal_points (
    source    VARCHAR  NOT NULL,
    variant   VARCHAR  NOT NULL,
    ccode     SMALLINT NOT NULL,
    year      SMALLINT NOT NULL,
    x         DOUBLE   NOT NULL,
    q0        DOUBLE,
    q5        DOUBLE,
    q10       DOUBLE,
    q50       DOUBLE,
    q90       DOUBLE,
    q95       DOUBLE,
    q100      DOUBLE,
    votes     INTEGER  NOT NULL,
    import_id INTEGER  NOT NULL,
    line      INTEGER  NOT NULL,
    PRIMARY KEY (source, variant, ccode, year)
);
