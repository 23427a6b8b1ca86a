package duckdb

import (
	"context"
	"fmt"
	"strings"

	ddb "github.com/duckdb/duckdb-go/v2"

	"github.com/entente/entente"
)

var _ entente.EventStore = (*Store)(nil)

// eventStagingDDL creates the per-connection staging tables of an event import.
const eventStagingDDL = `
CREATE OR REPLACE TEMP TABLE st_ev (
    file INTEGER, seq BIGINT, source VARCHAR, event_id BIGINT, day DATE, date_added BIGINT,
    actor1 VARCHAR, actor2 VARCHAR, actor1_code VARCHAR, actor2_code VARCHAR,
    event_code VARCHAR, root_code VARCHAR, quad UTINYINT, goldstein FLOAT,
    num_mentions INTEGER, num_sources INTEGER, num_articles INTEGER, avg_tone FLOAT,
    url VARCHAR, line INTEGER);
CREATE OR REPLACE TEMP TABLE st_men (
    file INTEGER, seq BIGINT, event_id BIGINT, event_time BIGINT, mention_time BIGINT,
    mention_type TINYINT, source_name VARCHAR, url VARCHAR, sentence_id INTEGER,
    actor1_offset INTEGER, actor2_offset INTEGER, action_offset INTEGER, confidence TINYINT,
    doc_tone FLOAT, line INTEGER);
CREATE OR REPLACE TEMP TABLE st_aid (
    file INTEGER, seq BIGINT, donor VARCHAR, recipient VARCHAR, month DATE, kind VARCHAR,
    eur_bn DOUBLE, release VARCHAR, url VARCHAR, title VARCHAR, publisher VARCHAR,
    published DATE, line INTEGER);
CREATE OR REPLACE TEMP TABLE st_quar (
    file INTEGER, seq BIGINT, source VARCHAR, path VARCHAR, sha256 VARCHAR, line INTEGER,
    field VARCHAR, reason VARCHAR, raw VARCHAR);
CREATE OR REPLACE TEMP TABLE st_months (month DATE);`

const dropEventStagingDDL = `
DROP TABLE IF EXISTS temp.st_ev; DROP TABLE IF EXISTS temp.st_men; DROP TABLE IF EXISTS temp.st_aid;
DROP TABLE IF EXISTS temp.st_quar; DROP TABLE IF EXISTS temp.st_ev_cls; DROP TABLE IF EXISTS temp.st_months;`

// eventPrepareSQL classifies every staged event once: new, a duplicate of its key
// (source, event_id), or a re-emitted near-duplicate: the same day, dyad, event code
// and source URL as an event stored or staged earlier and added (DATEADDED) on the same
// UTC day (docs/events.md, "Dedupe"). Events without a URL (the GDELT 1.0 back-file)
// have no near-duplicates. The look-ups into events are limited to the staged ids and
// DATEADDED days, which grow with insertion, so the zone maps of a large table skip
// nearly all of it and each chunk of a big import costs the same.
var eventPrepareSQL = []string{`
CREATE OR REPLACE TEMP TABLE st_ev_cls AS
WITH b AS (SELECT min(event_id) AS lo, max(event_id) AS hi,
        min(date_added) // 1000000 * 1000000 AS a0, max(date_added) AS a1 FROM st_ev),
s AS (
    SELECT seq, file, source, event_id, day, actor1, actor2, event_code, url, date_added // 1000000 AS added_day,
        row_number() OVER (PARTITION BY source, event_id ORDER BY seq) AS rn_id,
        row_number() OVER (PARTITION BY day, actor1, actor2, event_code, url, date_added // 1000000 ORDER BY seq) AS rn_near
    FROM st_ev),
done AS (SELECT id FROM imports UNION ALL SELECT $1),
old_id AS (
    SELECT t.source, t.event_id FROM events t, b WHERE t.event_id BETWEEN b.lo AND b.hi
    AND t.import_id IN (SELECT id FROM done)),
old_near AS (
    SELECT DISTINCT t.day, t.actor1, t.actor2, t.event_code, t.url, t.date_added // 1000000 AS added_day FROM events t, b
    WHERE t.date_added BETWEEN b.a0 AND b.a1 AND t.url IS NOT NULL AND t.import_id IN (SELECT id FROM done))
SELECT s.seq, s.file,
    CASE
        WHEN s.rn_id > 1 OR o.event_id IS NOT NULL THEN 1
        WHEN s.url IS NOT NULL AND (s.rn_near > 1 OR n.url IS NOT NULL) THEN 2
        ELSE 0
    END AS dup
FROM s
LEFT JOIN old_id o ON o.source = s.source AND o.event_id = s.event_id
LEFT JOIN old_near n ON n.day = s.day AND n.actor1 IS NOT DISTINCT FROM s.actor1
    AND n.actor2 IS NOT DISTINCT FROM s.actor2 AND n.event_code = s.event_code AND n.url = s.url
    AND n.added_day = s.added_day`}

// eventCountsSQL counts, per file, new and duplicate records and quarantined ones.
const eventCountsSQL = `
WITH recs AS (
    SELECT file, 0 AS kind, dup = 0 AS new FROM st_ev_cls
    UNION ALL
    SELECT file, 0,
        row_number() OVER (PARTITION BY event_id, mention_time, url, sentence_id ORDER BY seq) = 1
        AND NOT EXISTS (SELECT 1 FROM mentions t WHERE t.event_id = s.event_id
            AND t.mention_time = s.mention_time AND t.url = s.url AND t.sentence_id = s.sentence_id)
    FROM st_men s
    UNION ALL
    SELECT file, 0,
        row_number() OVER (PARTITION BY release, donor, recipient, month, kind ORDER BY seq) = 1
        AND NOT EXISTS (SELECT 1 FROM aid t WHERE t.release = s.release AND t.donor = s.donor
            AND t.recipient = s.recipient AND t.month = s.month AND t.kind = s.kind)
    FROM st_aid s
    UNION ALL
    SELECT file, 1, false FROM st_quar
)
SELECT file,
    count(*) FILTER (WHERE kind = 0 AND new),
    count(*) FILTER (WHERE kind = 1),
    count(*) FILTER (WHERE kind = 0 AND NOT new)
FROM recs GROUP BY file`

// eventChunkSQL moves the new records of one staged chunk into the permanent tables
// ($1 is the import id) and remembers the months its new events fall in.
var eventChunkSQL = []string{`
INSERT INTO events SELECT s.source, s.event_id, s.day, s.date_added, s.actor1, s.actor2,
    s.actor1_code, s.actor2_code, s.event_code, s.root_code, s.quad, s.goldstein,
    s.num_mentions, s.num_sources, s.num_articles, s.avg_tone, s.url, $1, s.line
FROM st_ev s JOIN st_ev_cls c ON c.seq = s.seq WHERE c.dup = 0`, `
INSERT INTO mentions SELECT event_id, event_time, mention_time, mention_type, source_name, url,
    sentence_id, actor1_offset, actor2_offset, action_offset, confidence, doc_tone, $1, line
FROM (SELECT *, row_number() OVER (PARTITION BY event_id, mention_time, url, sentence_id ORDER BY seq) AS rn
      FROM st_men) s
WHERE rn = 1 AND NOT EXISTS (SELECT 1 FROM mentions t WHERE t.event_id = s.event_id
    AND t.mention_time = s.mention_time AND t.url = s.url AND t.sentence_id = s.sentence_id)`, `
INSERT INTO aid SELECT donor, recipient, month, kind, eur_bn, release, url, title, publisher, published, $1, line
FROM (SELECT *, row_number() OVER (PARTITION BY release, donor, recipient, month, kind ORDER BY seq) AS rn
      FROM st_aid) s
WHERE rn = 1 AND NOT EXISTS (SELECT 1 FROM aid t WHERE t.release = s.release AND t.donor = s.donor
    AND t.recipient = s.recipient AND t.month = s.month AND t.kind = s.kind)`, `
INSERT INTO st_months
SELECT DISTINCT date_trunc('month', s.day)::DATE AS month
FROM st_ev s JOIN st_ev_cls c ON c.seq = s.seq
WHERE c.dup = 0 AND s.actor1 IS NOT NULL AND s.actor2 IS NOT NULL AND s.actor1 <> s.actor2`,
	quarantineInsertSQL,
}

// eventTruncateSQL empties the staging tables for the next chunk.
const eventTruncateSQL = `DELETE FROM st_ev; DELETE FROM st_men; DELETE FROM st_aid; DELETE FROM st_quar; DROP TABLE IF EXISTS temp.st_ev_cls;`

// eventMonthsSQL rebuilds the dyad-months the import's new events fall in.
var eventMonthsSQL = []string{`
DELETE FROM event_months WHERE month IN (SELECT DISTINCT month FROM st_months)`, `
INSERT INTO event_months
SELECT actor1, actor2, date_trunc('month', day)::DATE AS month, count(*),
    count(*) FILTER (WHERE quad = 1), count(*) FILTER (WHERE quad = 2),
    count(*) FILTER (WHERE quad = 3), count(*) FILTER (WHERE quad = 4),
    coalesce(sum(goldstein * greatest(num_sources, 1)) FILTER (WHERE goldstein IS NOT NULL), 0),
    coalesce(sum(greatest(num_sources, 1)) FILTER (WHERE goldstein IS NOT NULL), 0)
FROM events
WHERE actor1 IS NOT NULL AND actor2 IS NOT NULL AND actor1 <> actor2
    AND (import_id = $1 OR import_id IN (SELECT id FROM imports))
    AND day >= (SELECT min(month) FROM st_months)
    AND date_trunc('month', day)::DATE IN (SELECT DISTINCT month FROM st_months)
GROUP BY actor1, actor2, date_trunc('month', day)::DATE`,
}

// eventChunkRows is how many staged records an event import holds before it moves them
// into the store: it bounds the import's memory, whatever the size of the files.
var eventChunkRows = 200_000

// orphanSQL deletes what unfinished event imports left (a killed process): rows whose
// import has no row in imports.
var orphanSQL = []string{
	`DELETE FROM events WHERE import_id NOT IN (SELECT id FROM imports)`,
	`DELETE FROM mentions WHERE import_id NOT IN (SELECT id FROM imports)`,
	`DELETE FROM aid WHERE import_id NOT IN (SELECT id FROM imports)`,
	`DELETE FROM quarantine WHERE import_id NOT IN (SELECT id FROM imports)`,
}

// nextImportIDSQL picks an import id no row uses, finished or not.
const nextImportIDSQL = `SELECT greatest(
    (SELECT coalesce(max(id), 0) FROM imports), (SELECT coalesce(max(import_id), 0) FROM events),
    (SELECT coalesce(max(import_id), 0) FROM mentions), (SELECT coalesce(max(import_id), 0) FROM aid),
    (SELECT coalesce(max(import_id), 0) FROM quarantine)) + 1`

// eventPlan moves an event import into the store in chunks (see ImportEvents).
var eventPlan = plan{
	what: "import events", ddl: eventStagingDDL, drop: dropEventStagingDDL,
	prepare: eventPrepareSQL, counts: eventCountsSQL,
	dupKinds: `SELECT file, count(*) FILTER (WHERE dup = 1), count(*) FILTER (WHERE dup = 2) FROM st_ev_cls GROUP BY file`,
	inserts:  eventChunkSQL, chunked: true, truncate: eventTruncateSQL, finish: eventMonthsSQL,
	facts: factsEvents,
}

// ImportEvents runs one atomic, idempotent import of events, mentions and aid records;
// see entente.EventStore. GDELT imports run to millions of rows; staging them all before
// one commit would make memory grow with the files, so an event import moves its
// records into the store in chunks of eventChunkRows, each in its own transaction, all
// tagged with the import's id. The import becomes visible only in its last
// transaction, which rebuilds the dyad-months it touched and writes its imports rows:
// every read (EventSignals, EventEvidence, AidSignals, Quarantine) and every dedupe
// look-up considers only rows of finished imports (and, while it runs, the import's
// own). A failed import deletes its rows; a killed one leaves rows that no read sees and
// that the next event import deletes first. Each chunk is deduplicated against the
// store, which by then holds the earlier chunks, so the result does not depend on the
// chunk size (the contract suite runs with chunks of two records too).
func (s *Store) ImportEvents(ctx context.Context, fill func(entente.EventWriter) error) ([]entente.ImportReport, error) {
	w := &eventWriter{base: newBase(ctx)}
	return s.runImport(ctx, eventPlan, &w.base,
		map[string]**ddb.Appender{"st_ev": &w.ev, "st_men": &w.men, "st_aid": &w.aid, "st_quar": &w.quar},
		func() error { return fill(w) })
}

// eventWriter stages one event import. It implements entente.EventWriter.
type eventWriter struct {
	base
	ev, men, aid *ddb.Appender
}

var _ entente.EventWriter = (*eventWriter)(nil)

// Event stages an event record.
func (w *eventWriter) Event(e entente.Event) error {
	if err := w.Record("Event", e.Validate()); err != nil {
		return err
	}
	if err := w.ev.AppendRow(int32(w.File()), w.Seq(), e.Source, e.ID, e.Day, e.DateAdded,
		nullString(e.Actor1), nullString(e.Actor2), nullString(e.Actor1Code), nullString(e.Actor2Code),
		e.EventCode, e.RootCode, uint8(e.Quad), nullFloat32(e.Goldstein),
		e.NumMentions, e.NumSources, e.NumArticles, nullFloat32(e.AvgTone), nullString(e.URL), int32(e.Line)); err != nil {
		return err
	}
	return w.staging()
}

// Mention stages a mention record.
func (w *eventWriter) Mention(m entente.Mention) error {
	if err := w.Record("Mention", m.Validate()); err != nil {
		return err
	}
	if err := w.men.AppendRow(int32(w.File()), w.Seq(), m.EventID, m.EventTime, m.MentionTime, m.Type,
		nullString(m.SourceName), m.URL, m.SentenceID, m.Actor1Offset, m.Actor2Offset, m.ActionOffset,
		m.Confidence, nullFloat32(m.DocTone), int32(m.Line)); err != nil {
		return err
	}
	return w.staging()
}

// Aid stages an aid record. The citation's title names the release (its key).
func (w *eventWriter) Aid(a entente.Aid) error {
	if err := w.Record("Aid", a.Validate()); err != nil {
		return err
	}
	var published any
	if !a.Cite.Published.IsZero() {
		published = a.Cite.Published
	}
	if err := w.aid.AppendRow(int32(w.File()), w.Seq(), a.Donor, a.Recipient, a.Month, a.Kind, a.EURbn,
		a.Cite.Title, nullString(a.Cite.URL), a.Cite.Title, nullString(a.Cite.Publisher), published, int32(a.Line)); err != nil {
		return err
	}
	return w.staging()
}

func nullFloat32(v float32) any {
	if v != v { // NaN
		return nil
	}
	return v
}

// periodExpr is the SQL of a period key of a date column for by ("month" or "year").
func periodExpr(by, col string) (string, error) {
	switch by {
	case "", "month":
		return "strftime(" + col + ", '%Y-%m')", nil
	case "year":
		return "strftime(" + col + ", '%Y')", nil
	}
	return "", entente.Errorf(entente.EINVALID, "events: period %q: want month or year", by)
}

// dyadFilter returns the SQL condition of q's dyad on columns a and b, and its args.
func dyadFilter(q entente.EventQuery, a, b string) (string, []any) {
	switch {
	case q.A != "" && q.B != "":
		return fmt.Sprintf("((%[1]s = ? AND %[2]s = ?) OR (%[1]s = ? AND %[2]s = ?))", a, b), []any{q.A, q.B, q.B, q.A}
	case q.A != "":
		return fmt.Sprintf("(%s = ? OR %s = ?)", a, b), []any{q.A, q.A}
	case q.B != "":
		return fmt.Sprintf("(%s = ? OR %s = ?)", a, b), []any{q.B, q.B}
	}
	return "true", nil
}

// dateFilter returns the SQL condition of [q.From, q.To) on col.
func dateFilter(q entente.EventQuery, col string) (string, []any) {
	var conds []string
	var args []any
	if !q.From.IsZero() {
		conds = append(conds, col+" >= ?")
		args = append(args, q.From)
	}
	if !q.To.IsZero() {
		conds = append(conds, col+" < ?")
		args = append(args, q.To)
	}
	if len(conds) == 0 {
		return "true", nil
	}
	return strings.Join(conds, " AND "), args
}

// EventSignals aggregates the stored dyad-months; see entente.EventStore. With a
// window, whole months are counted: a month is in when its first day is in [From, To).
func (s *Store) EventSignals(ctx context.Context, q entente.EventQuery) ([]entente.EventSignal, error) {
	per, err := periodExpr(q.By, "month")
	if err != nil {
		return nil, err
	}
	dyad, args := dyadFilter(q, "actor1", "actor2")
	date, dargs := dateFilter(q, "month")
	query := `SELECT actor1, actor2, ` + per + ` AS period, sum(n), sum(q1), sum(q2), sum(q3), sum(q4),
    sum(gsum), sum(gweight)
FROM event_months WHERE ` + dyad + ` AND ` + date + `
GROUP BY actor1, actor2, period ORDER BY period, actor1, actor2`
	rows, err := s.db.QueryContext(ctx, query, append(args, dargs...)...)
	if err != nil {
		return nil, fmt.Errorf("event signals: %w", err)
	}
	defer rows.Close()
	var out []entente.EventSignal
	for rows.Next() {
		var e entente.EventSignal
		if err := rows.Scan(&e.A, &e.B, &e.Period, &e.N, &e.Quad[0], &e.Quad[1], &e.Quad[2], &e.Quad[3], &e.GoldsteinSum, &e.Weight); err != nil {
			return nil, fmt.Errorf("event signals: %w", err)
		}
		e.Derive()
		out = append(out, e)
	}
	return out, rows.Err()
}

// EventEvidence returns the most-cited URLs of each dyad period; see entente.EventStore.
func (s *Store) EventEvidence(ctx context.Context, q entente.EventQuery, n int) ([]entente.EventEvidence, error) {
	if n <= 0 {
		return nil, nil
	}
	per, err := periodExpr(q.By, "day")
	if err != nil {
		return nil, err
	}
	dyad, args := dyadFilter(q, "actor1", "actor2")
	date, dargs := dateFilter(q, "day")
	query := `SELECT actor1, actor2, period, url, events, sources FROM (
    SELECT actor1, actor2, period, url, events, sources,
        row_number() OVER (PARTITION BY actor1, actor2, period ORDER BY events DESC, sources DESC, url) AS rn
    FROM (SELECT actor1, actor2, ` + per + ` AS period, url, count(*) AS events, sum(num_sources) AS sources
          FROM events
          WHERE url IS NOT NULL AND actor1 IS NOT NULL AND actor2 IS NOT NULL AND actor1 <> actor2
            AND import_id IN (SELECT id FROM imports) AND ` + dyad + ` AND ` + date + `
          GROUP BY actor1, actor2, period, url))
WHERE rn <= ? ORDER BY period, actor1, actor2, rn`
	args = append(append(args, dargs...), n)
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("event evidence: %w", err)
	}
	defer rows.Close()
	var out []entente.EventEvidence
	for rows.Next() {
		var e entente.EventEvidence
		if err := rows.Scan(&e.A, &e.B, &e.Period, &e.URL, &e.Events, &e.Sources); err != nil {
			return nil, fmt.Errorf("event evidence: %w", err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// AidSignals sums aid per dyad and period from the latest release of each donor's
// records; see entente.EventStore.
func (s *Store) AidSignals(ctx context.Context, q entente.EventQuery) ([]entente.AidSignal, error) {
	per, err := periodExpr(q.By, "month")
	if err != nil {
		return nil, err
	}
	dyad, args := dyadFilter(q, "donor", "recipient")
	date, dargs := dateFilter(q, "month")
	query := `WITH latest AS (
    SELECT * FROM aid a WHERE import_id IN (SELECT id FROM imports) AND coalesce(published, DATE '1900-01-01') = (
        SELECT max(coalesce(published, DATE '1900-01-01')) FROM aid b WHERE b.donor = a.donor AND b.recipient = a.recipient))
SELECT donor, recipient, ` + per + ` AS period, kind, sum(eur_bn)
FROM latest WHERE ` + dyad + ` AND ` + date + `
GROUP BY donor, recipient, period, kind ORDER BY period, donor, recipient, kind`
	rows, err := s.db.QueryContext(ctx, query, append(args, dargs...)...)
	if err != nil {
		return nil, fmt.Errorf("aid signals: %w", err)
	}
	defer rows.Close()
	var out []entente.AidSignal
	for rows.Next() {
		var a, b, period, kind string
		var v float64
		if err := rows.Scan(&a, &b, &period, &kind, &v); err != nil {
			return nil, fmt.Errorf("aid signals: %w", err)
		}
		if n := len(out); n == 0 || out[n-1].A != a || out[n-1].B != b || out[n-1].Period != period {
			out = append(out, entente.AidSignal{A: a, B: b, Period: period, ByKind: map[string]float64{}})
		}
		last := &out[len(out)-1]
		last.ByKind[kind] += v
		last.EURbn += v
	}
	return out, rows.Err()
}
