-- 0002: ballots, a compact copy of the cast votes, one row per roll call, which the
-- all-pairs kernels load (docs/schema.md). It is derived from votes and roll_calls and
-- rebuilt, for the roll calls an import touches, in the import's own transaction.
-- votes holds, for every cast vote (1 yes, 2 abstain, 3 no) in ascending ccode order,
-- x = ccode * 4 + vote as three characters chr(48 + x / 4096), chr(48 + x / 64 % 64),
-- chr(48 + x % 64): 'ccode' up to 16383, three bytes a vote.

CREATE TABLE ballots (
    source  VARCHAR  NOT NULL,
    rc_id   VARCHAR  NOT NULL,
    date    DATE     NOT NULL,
    session SMALLINT NOT NULL,
    votes   VARCHAR  NOT NULL,
    PRIMARY KEY (source, rc_id)
);

INSERT INTO ballots
SELECT r.source, r.rc_id, r.date, coalesce(r.session, 0),
    string_agg(chr(48 + ((v.ccode * 4 + v.vote) // 4096)::INTEGER)
            || chr(48 + ((v.ccode * 4 + v.vote) // 64 % 64)::INTEGER)
            || chr(48 + ((v.ccode * 4 + v.vote) % 64)::INTEGER), '' ORDER BY v.ccode)
FROM votes v JOIN roll_calls r ON r.source = v.source AND r.rc_id = v.rc_id
WHERE v.vote BETWEEN 1 AND 3
GROUP BY r.source, r.rc_id, r.date, r.session;
