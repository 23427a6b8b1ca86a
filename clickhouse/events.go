package clickhouse

import (
	"context"
	"fmt"
	"strings"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/entente/entente"
)

var _ entente.EventStore = (*Store)(nil)

// eventStaging describes the staging tables of an event import; cls receives the
// classification of every staged event (0 new, 1 repeated id, 2 near-duplicate).
var eventStaging = []string{
	`ev: file Int32, seq UInt64, source String, event_id Int64, day Int32, date_added Int64,
    actor1 String, actor2 String, actor1_code String, actor2_code String, event_code String, root_code String,
    quad UInt8, goldstein Float32, num_mentions Int32, num_sources Int32, num_articles Int32, avg_tone Float32,
    url String, line Int32`,
	`men: file Int32, seq UInt64, event_id Int64, event_time Int64, mention_time Int64, mention_type Int8,
    source_name String, url String, sentence_id Int32, actor1_offset Int32, actor2_offset Int32,
    action_offset Int32, confidence Int8, doc_tone Float32, line Int32`,
	`aid: file Int32, seq UInt64, donor String, recipient String, month Int32, kind String, eur_bn Float64,
    release String, url String, title String, publisher String, published String, line Int32`,
	`cls: seq UInt64, file Int32, dup UInt8`,
}

// classifySQL classifies every staged event once: new, a duplicate of its key (source,
// event_id), or a re-emitted near-duplicate: the same day, dyad, event code and source
// URL as an event stored or staged earlier, added by GDELT the same UTC day (as the
// DuckDB store; docs/events.md). Events
// without a URL have no near-duplicates. The look-ups into events are limited to the
// staged ids and days ({lo}..{hi}, {d0}..{d1}) and the staged keys, so they send
// little from the shards.
const classifySQL = `
INSERT INTO {st}cls (seq, file, dup)
SELECT seq, file, multiIf(
    (source, event_id, seq) NOT IN (SELECT source, event_id, min(seq) FROM {st}ev GROUP BY source, event_id)
    OR (source, event_id) IN (SELECT source, event_id FROM events
        WHERE event_id BETWEEN {lo} AND {hi} AND ` + committed + `
            AND (source, event_id) GLOBAL IN (SELECT source, event_id FROM {st}ev)), 1,
    url != '' AND (
        (day, actor1, actor2, event_code, url, intDiv(date_added, 1000000), seq) NOT IN (
            SELECT day, actor1, actor2, event_code, url, intDiv(date_added, 1000000), min(seq) FROM {st}ev
            GROUP BY day, actor1, actor2, event_code, url, intDiv(date_added, 1000000))
        OR (day, actor1, actor2, event_code, url, intDiv(date_added, 1000000)) IN (
            SELECT day, actor1, actor2, event_code, url, intDiv(date_added, 1000000) FROM events
            WHERE day BETWEEN {d0} AND {d1} AND url != '' AND ` + committed + `
                AND (day, actor1, actor2, event_code, url, intDiv(date_added, 1000000)) GLOBAL IN (
                    SELECT day, actor1, actor2, event_code, url, intDiv(date_added, 1000000) FROM {st}ev WHERE url != ''))), 2,
    0)
FROM {st}ev`

const newMention = `(event_id, mention_time, url, sentence_id, seq) IN (
        SELECT event_id, mention_time, url, sentence_id, min(seq) FROM {st}men GROUP BY event_id, mention_time, url, sentence_id)
    AND (event_id, mention_time, url, sentence_id) NOT IN (SELECT event_id, mention_time, url, sentence_id FROM mentions
        WHERE ` + committed + ` AND event_id GLOBAL IN (SELECT event_id FROM {st}men))`

const newAid = `(release, donor, recipient, month, kind, seq) IN (
        SELECT release, donor, recipient, month, kind, min(seq) FROM {st}aid GROUP BY release, donor, recipient, month, kind)
    AND (release, donor, recipient, month, kind) NOT IN (SELECT release, donor, recipient, month, kind FROM aid WHERE ` + committed + `)`

// newEvents selects the staged events classified new.
const newEvents = `seq IN (SELECT seq FROM {st}cls WHERE dup = 0)`

var eventPlan = plan{
	dupKinds: `SELECT file, toInt64(countIf(dup = 1)), toInt64(countIf(dup = 2)) FROM {st}cls GROUP BY file`,
	counts: []string{
		`SELECT file, toInt64(countIf(dup = 0)), toInt64(countIf(dup != 0)) FROM {st}cls GROUP BY file`,
		`SELECT file, toInt64(countIf(new)), toInt64(countIf(NOT new)) FROM (SELECT file, ` + newMention + ` AS new FROM {st}men) GROUP BY file`,
		`SELECT file, toInt64(countIf(new)), toInt64(countIf(NOT new)) FROM (SELECT file, ` + newAid + ` AS new FROM {st}aid) GROUP BY file`,
	},
	inserts: []string{`
INSERT INTO events (source, event_id, day, date_added, actor1, actor2, actor1_code, actor2_code, event_code, root_code,
    quad, goldstein, num_mentions, num_sources, num_articles, avg_tone, url, import_id, line)
SELECT source, event_id, day, date_added, actor1, actor2, actor1_code, actor2_code, event_code, root_code,
    quad, goldstein, num_mentions, num_sources, num_articles, avg_tone, url, {id}, line
FROM {st}ev WHERE ` + newEvents, `
INSERT INTO event_months (actor1, actor2, month, n, q1, q2, q3, q4, gsum, gweight, import_id)
SELECT actor1, actor2, intDiv(day, 100) AS m, toInt64(count()),
    toInt64(countIf(quad = 1)), toInt64(countIf(quad = 2)), toInt64(countIf(quad = 3)), toInt64(countIf(quad = 4)),
    sumIf(toFloat64(toFloat32(goldstein * greatest(num_sources, 1))), NOT isNaN(goldstein)),
    toInt64(sumIf(greatest(num_sources, 1), NOT isNaN(goldstein))), {id}
FROM {st}ev WHERE ` + newEvents + ` AND actor1 != '' AND actor2 != '' AND actor1 != actor2
GROUP BY actor1, actor2, m`, `
INSERT INTO mentions (event_id, event_time, mention_time, mention_type, source_name, url, sentence_id,
    actor1_offset, actor2_offset, action_offset, confidence, doc_tone, import_id, line)
SELECT event_id, event_time, mention_time, mention_type, source_name, url, sentence_id,
    actor1_offset, actor2_offset, action_offset, confidence, doc_tone, {id}, line
FROM {st}men WHERE ` + newMention, `
INSERT INTO aid (donor, recipient, month, kind, eur_bn, release, url, title, publisher, published, import_id, line)
SELECT donor, recipient, month, kind, eur_bn, release, url, title, publisher, published, {id}, line
FROM {st}aid WHERE ` + newAid},
}

// ImportEvents runs one atomic, idempotent import of events, mentions and aid records;
// see entente.EventStore.
func (s *Store) ImportEvents(ctx context.Context, fill func(entente.EventWriter) error) ([]entente.ImportReport, error) {
	p := eventPlan
	// The classification needs the bounds of the staged events.
	p.prepare = func(ctx context.Context, r *strings.Replacer) error {
		var n uint64
		var lo, hi int64
		var d0, d1 int32
		err := s.query(ctx, r.Replace(`SELECT count(), min(event_id), max(event_id), min(day), max(day) FROM {st}ev`), nil,
			func(rows driver.Rows) error { return rows.Scan(&n, &lo, &hi, &d0, &d1) })
		if err != nil || n == 0 {
			return err
		}
		b := strings.NewReplacer("{lo}", fmt.Sprint(lo), "{hi}", fmt.Sprint(hi), "{d0}", fmt.Sprint(d0), "{d1}", fmt.Sprint(d1))
		return s.exec(ctx, b.Replace(r.Replace(classifySQL)))
	}
	return s.runImport(ctx, "import events", eventStaging, func(st *stage) (*base, error) {
		w := &eventWriter{base: newBase(ctx, st)}
		return &w.base, fill(w)
	}, p)
}

// eventWriter stages one event import. It implements entente.EventWriter.
type eventWriter struct {
	base
}

var _ entente.EventWriter = (*eventWriter)(nil)

// Event stages an event record.
func (w *eventWriter) Event(e entente.Event) error {
	if err := w.Record("Event", e.Validate()); err != nil {
		return err
	}
	return w.st.append("ev", int32(w.File()), uint64(w.Seq()), e.Source, e.ID, ymd(e.Day), e.DateAdded,
		e.Actor1, e.Actor2, e.Actor1Code, e.Actor2Code, e.EventCode, e.RootCode, uint8(e.Quad), e.Goldstein,
		e.NumMentions, e.NumSources, e.NumArticles, e.AvgTone, e.URL, int32(e.Line))
}

// Mention stages a mention record.
func (w *eventWriter) Mention(m entente.Mention) error {
	if err := w.Record("Mention", m.Validate()); err != nil {
		return err
	}
	return w.st.append("men", int32(w.File()), uint64(w.Seq()), m.EventID, m.EventTime, m.MentionTime, m.Type,
		m.SourceName, m.URL, m.SentenceID, m.Actor1Offset, m.Actor2Offset, m.ActionOffset,
		m.Confidence, m.DocTone, int32(m.Line))
}

// Aid stages an aid record. The citation's title names the release (its key).
func (w *eventWriter) Aid(a entente.Aid) error {
	if err := w.Record("Aid", a.Validate()); err != nil {
		return err
	}
	published := ""
	if !a.Cite.Published.IsZero() {
		published = a.Cite.Published.UTC().Format("2006-01-02")
	}
	return w.st.append("aid", int32(w.File()), uint64(w.Seq()), a.Donor, a.Recipient, ymd(a.Month), a.Kind, a.EURbn,
		a.Cite.Title, a.Cite.URL, a.Cite.Title, a.Cite.Publisher, published, int32(a.Line))
}

// period returns the SQL of the period number of a YYYYMM or YYYYMMDD column for by,
// and how to print it.
func period(by, col string, daily bool) (string, func(int32) string, error) {
	div := int32(1)
	if daily {
		div = 100
	}
	switch by {
	case "", "month":
		return fmt.Sprintf("toInt32(intDiv(%s, %d))", col, div), func(p int32) string { return fmt.Sprintf("%04d-%02d", p/100, p%100) }, nil
	case "year":
		return fmt.Sprintf("toInt32(intDiv(%s, %d))", col, div*100), func(p int32) string { return fmt.Sprintf("%04d", p) }, nil
	}
	return "", nil, entente.Errorf(entente.EINVALID, "events: period %q: want month or year", by)
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
	return "1", nil
}

// dateFilter returns the SQL condition of [q.From, q.To) on a YYYYMMDD expression.
func dateFilter(q entente.EventQuery, col string) string {
	conds := []string{"1"}
	if !q.From.IsZero() {
		conds = append(conds, fmt.Sprintf("%s >= %d", col, ymd(q.From)))
	}
	if !q.To.IsZero() {
		conds = append(conds, fmt.Sprintf("%s < %d", col, ymd(q.To)))
	}
	return strings.Join(conds, " AND ")
}

// EventSignals sums the per-import dyad-month aggregates of committed imports; see
// entente.EventStore. With a window, whole months are counted: a month is in when its
// first day is in [From, To).
func (s *Store) EventSignals(ctx context.Context, q entente.EventQuery) ([]entente.EventSignal, error) {
	per, format, err := period(q.By, "month", false)
	if err != nil {
		return nil, err
	}
	dyad, args := dyadFilter(q, "actor1", "actor2")
	query := `SELECT actor1, actor2, ` + per + ` AS p, sum(n), sum(q1), sum(q2), sum(q3), sum(q4), sum(gsum), sum(gweight)
FROM event_months WHERE ` + committed + ` AND ` + dyad + ` AND ` + dateFilter(q, "(month * 100 + 1)") + `
GROUP BY actor1, actor2, p ORDER BY p, actor1, actor2`
	var out []entente.EventSignal
	err = s.query(ctx, query, args, func(r driver.Rows) error {
		var e entente.EventSignal
		var p int32
		if err := r.Scan(&e.A, &e.B, &p, &e.N, &e.Quad[0], &e.Quad[1], &e.Quad[2], &e.Quad[3], &e.GoldsteinSum, &e.Weight); err != nil {
			return err
		}
		e.Period = format(p)
		e.Derive()
		out = append(out, e)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("event signals: %w", err)
	}
	return out, nil
}

// EventEvidence returns the most-cited URLs of each dyad period; see entente.EventStore.
func (s *Store) EventEvidence(ctx context.Context, q entente.EventQuery, n int) ([]entente.EventEvidence, error) {
	if n <= 0 {
		return nil, nil
	}
	per, format, err := period(q.By, "day", true)
	if err != nil {
		return nil, err
	}
	dyad, args := dyadFilter(q, "actor1", "actor2")
	query := fmt.Sprintf(`SELECT actor1, actor2, p, url, events, sources FROM (
    SELECT actor1, actor2, %s AS p, url, toInt64(count()) AS events, toInt64(sum(num_sources)) AS sources
    FROM events
    WHERE url != '' AND actor1 != '' AND actor2 != '' AND actor1 != actor2 AND %s AND %s AND %s
    GROUP BY actor1, actor2, p, url
    ORDER BY actor1, actor2, p, events DESC, sources DESC, url
    LIMIT %d BY actor1, actor2, p)
ORDER BY p, actor1, actor2, events DESC, sources DESC, url`, per, committed, dyad, dateFilter(q, "day"), n)
	var out []entente.EventEvidence
	err = s.query(ctx, query, args, func(r driver.Rows) error {
		var e entente.EventEvidence
		var p int32
		if err := r.Scan(&e.A, &e.B, &p, &e.URL, &e.Events, &e.Sources); err != nil {
			return err
		}
		e.Period = format(p)
		out = append(out, e)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("event evidence: %w", err)
	}
	return out, nil
}

// AidSignals sums aid per dyad and period from the latest release of each donor's
// records; see entente.EventStore.
func (s *Store) AidSignals(ctx context.Context, q entente.EventQuery) ([]entente.AidSignal, error) {
	per, format, err := period(q.By, "month", true)
	if err != nil {
		return nil, err
	}
	dyad, args := dyadFilter(q, "donor", "recipient")
	query := `SELECT donor, recipient, ` + per + ` AS p, kind, sum(eur_bn) FROM aid
WHERE ` + committed + ` AND (donor, recipient, published) IN (
        SELECT donor, recipient, max(published) FROM aid WHERE ` + committed + ` GROUP BY donor, recipient)
    AND ` + dyad + ` AND ` + dateFilter(q, "month") + `
GROUP BY donor, recipient, p, kind ORDER BY p, donor, recipient, kind`
	var out []entente.AidSignal
	err = s.query(ctx, query, args, func(r driver.Rows) error {
		var a, b, kind string
		var p int32
		var v float64
		if err := r.Scan(&a, &b, &p, &kind, &v); err != nil {
			return err
		}
		period := format(p)
		if n := len(out); n == 0 || out[n-1].A != a || out[n-1].B != b || out[n-1].Period != period {
			out = append(out, entente.AidSignal{A: a, B: b, Period: period, ByKind: map[string]float64{}})
		}
		last := &out[len(out)-1]
		last.ByKind[kind] += v
		last.EURbn += v
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("aid signals: %w", err)
	}
	return out, nil
}
