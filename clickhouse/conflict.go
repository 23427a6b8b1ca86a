package clickhouse

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/entente/entente"
)

var _ entente.ConflictStore = (*Store)(nil)

// conflictTables are the force tables: staging kind, table, and the columns after
// (file, seq, rkey) with their types. Every table keys its records by rkey.
var conflictTables = []struct{ kind, table, cols, types string }{
	{"cy", "conflict_years", "conflict_id, year, ccode_a, ccode_a2, ccode_b, ccode_b2, data, line",
		"conflict_id Int32, year Int16, ccode_a Int16, ccode_a2 Int16, ccode_b Int16, ccode_b2 Int16, data String, line Int32"},
	{"riv", "rivalries", "source, ccode1, ccode2, start_year, end_year, data, line",
		"source String, ccode1 Int16, ccode2 Int16, start_year Int16, end_year Int16, data String, line Int32"},
	{"mid", "disputes", "ccode1, ccode2, year, data, line",
		"ccode1 Int16, ccode2 Int16, year Int16, data String, line Int32"},
	{"arms", "arms_deals", "supplier_state, recipient_state, first_year, last_year, data, line",
		"supplier_state String, recipient_state String, first_year Int16, last_year Int16, data String, line Int32"},
}

// conflictPlan returns the staging definitions and the commit plan: a record is new
// when it is the first of its rkey in the import and its rkey is not committed.
func conflictPlan() ([]string, plan) {
	var defs []string
	var p plan
	for _, t := range conflictTables {
		defs = append(defs, t.kind+": file Int32, seq UInt64, rkey String, "+t.types)
		cond := `(rkey, seq) IN (SELECT rkey, min(seq) FROM {st}` + t.kind + ` GROUP BY rkey)
    AND rkey NOT IN (SELECT rkey FROM ` + t.table + ` WHERE ` + committed + `)`
		p.counts = append(p.counts, countNew(t.kind, cond))
		p.inserts = append(p.inserts, `INSERT INTO `+t.table+` (rkey, `+t.cols+`, import_id)
SELECT rkey, `+t.cols+`, {id} FROM {st}`+t.kind+` WHERE `+cond)
	}
	return defs, p
}

// ImportConflict runs one atomic, idempotent import of force data; see
// entente.ConflictStore.
func (s *Store) ImportConflict(ctx context.Context, fill func(entente.ConflictWriter) error) ([]entente.ImportReport, error) {
	defs, p := conflictPlan()
	return s.runImport(ctx, "import conflict", defs, func(st *stage) (*base, error) {
		w := &conflictWriter{base: newBase(ctx, st)}
		return &w.base, fill(w)
	}, p)
}

// conflictWriter stages one force import. It implements entente.ConflictWriter.
type conflictWriter struct {
	base
}

var _ entente.ConflictWriter = (*conflictWriter)(nil)

// ConflictYear stages a UCDP row.
func (w *conflictWriter) ConflictYear(c entente.ConflictYear) error {
	data, err := w.RecordJSON("ConflictYear", c.Validate(), c)
	if err != nil {
		return err
	}
	return w.st.append("cy", int32(w.File()), uint64(w.Seq()), c.RecordKey(), int32(c.ConflictID), int16(c.Year),
		int16(c.SideA.CCode), int16(c.SideA2.CCode), int16(c.SideB.CCode), int16(c.SideB2.CCode), data, int32(c.Line))
}

// Rivalry stages a rivalry.
func (w *conflictWriter) Rivalry(r entente.Rivalry) error {
	data, err := w.RecordJSON("Rivalry", r.Validate(), r)
	if err != nil {
		return err
	}
	return w.st.append("riv", int32(w.File()), uint64(w.Seq()), r.RecordKey(), r.Source, int16(r.CCode1), int16(r.CCode2),
		int16(r.Start), int16(r.End), data, int32(r.Line))
}

// Dispute stages a MID dispute-year.
func (w *conflictWriter) Dispute(d entente.DisputeYear) error {
	data, err := w.RecordJSON("Dispute", d.Validate(), d)
	if err != nil {
		return err
	}
	return w.st.append("mid", int32(w.File()), uint64(w.Seq()), d.RecordKey(), int16(d.CCode1), int16(d.CCode2),
		int16(d.Year), data, int32(d.Line))
}

// ArmsDeal stages a SIPRI deal.
func (w *conflictWriter) ArmsDeal(d entente.ArmsDeal) error {
	data, err := w.RecordJSON("ArmsDeal", d.Validate(), d)
	if err != nil {
		return err
	}
	first, last := d.Years()
	return w.st.append("arms", int32(w.File()), uint64(w.Seq()), d.Key, d.Supplier.State, d.Recipient.State,
		int16(first), int16(last), data, int32(d.Line))
}

// ConflictYears returns UCDP rows; see entente.ConflictStore.
func (s *Store) ConflictYears(ctx context.Context, q entente.ForceQuery) ([]entente.ConflictYear, error) {
	from, to := q.Years()
	query := fmt.Sprintf(`SELECT data FROM conflict_years WHERE year BETWEEN %d AND %d AND %s`, from, to, committed)
	if q.CCode != 0 {
		query += fmt.Sprintf(` AND (conflict_id, year) IN (SELECT conflict_id, year FROM conflict_years
			WHERE year BETWEEN %d AND %d AND (ccode_a = %[3]d OR ccode_a2 = %[3]d OR ccode_b = %[3]d OR ccode_b2 = %[3]d) AND %[4]s)`,
			from, to, q.CCode, committed)
	}
	return queryJSON[entente.ConflictYear](ctx, s, "conflict years", query+` ORDER BY conflict_id, year, line`, nil)
}

// Rivalries returns rivalries; see entente.ConflictStore.
func (s *Store) Rivalries(ctx context.Context, q entente.ForceQuery) ([]entente.Rivalry, error) {
	from, to := q.Years()
	query := fmt.Sprintf(`SELECT data FROM rivalries WHERE end_year >= %d AND start_year <= %d AND %s`, from, to, committed)
	query, args := forceDyad(query, nil, q.CCode, q.Other, "ccode1", "ccode2")
	return queryJSON[entente.Rivalry](ctx, s, "rivalries", query+` ORDER BY source, rkey`, args)
}

// Disputes returns MID dispute-years; see entente.ConflictStore.
func (s *Store) Disputes(ctx context.Context, q entente.ForceQuery) ([]entente.DisputeYear, error) {
	from, to := q.Years()
	query := fmt.Sprintf(`SELECT data FROM disputes WHERE year BETWEEN %d AND %d AND %s`, from, to, committed)
	query, args := forceDyad(query, nil, q.CCode, q.Other, "ccode1", "ccode2")
	return queryJSON[entente.DisputeYear](ctx, s, "disputes", query+` ORDER BY year, rkey`, args)
}

// ArmsDeals returns SIPRI deals; see entente.ConflictStore.
func (s *Store) ArmsDeals(ctx context.Context, q entente.ForceQuery) ([]entente.ArmsDeal, error) {
	from, to := q.Years()
	query := fmt.Sprintf(`SELECT data FROM arms_deals WHERE last_year >= %d AND first_year <= %d AND %s`, from, to, committed)
	query, args := forceDyad(query, nil, q.State, q.OtherState, "supplier_state", "recipient_state")
	return queryJSON[entente.ArmsDeal](ctx, s, "arms deals", query+` ORDER BY line`, args)
}

// forceDyad adds to query the condition that a (when set) is on either end of the
// dyad columns c1, c2, and b (when set) on the other.
func forceDyad[T comparable](query string, args []any, a, b T, c1, c2 string) (string, []any) {
	var zero T
	switch {
	case a != zero && b != zero:
		query += fmt.Sprintf(` AND ((%[1]s = ? AND %[2]s = ?) OR (%[1]s = ? AND %[2]s = ?))`, c1, c2)
		args = append(args, a, b, b, a)
	case a != zero:
		query += fmt.Sprintf(` AND (%s = ? OR %s = ?)`, c1, c2)
		args = append(args, a, a)
	}
	return query, args
}

// queryJSON runs query, whose one column is a record's JSON, and decodes every row.
func queryJSON[T any](ctx context.Context, s *Store, what, query string, args []any) ([]T, error) {
	var out []T
	err := s.query(ctx, query, args, func(r driver.Rows) error {
		var data string
		if err := r.Scan(&data); err != nil {
			return err
		}
		var v T
		if err := json.Unmarshal([]byte(data), &v); err != nil {
			return fmt.Errorf("decode: %w", err)
		}
		out = append(out, v)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return out, nil
}

// ForceCoverage returns the years of each stored force source; see
// entente.ConflictStore.
func (s *Store) ForceCoverage(ctx context.Context) ([]entente.SourceYears, error) {
	q := strings.ReplaceAll(`
SELECT 'ucdp' AS src, toInt64(min(year)), toInt64(max(year)), toInt64(count()) FROM conflict_years WHERE {c} HAVING count() > 0
UNION ALL SELECT source, toInt64(min(start_year)), toInt64(max(end_year)), toInt64(count()) FROM rivalries WHERE {c} GROUP BY source
UNION ALL SELECT 'gml', toInt64(min(year)), toInt64(max(year)), toInt64(count()) FROM disputes WHERE {c} HAVING count() > 0
UNION ALL SELECT 'sipri', toInt64(min(first_year)), toInt64(max(last_year)), toInt64(count()) FROM arms_deals WHERE {c} HAVING count() > 0`, "{c}", committed)
	var out []entente.SourceYears
	err := s.query(ctx, `SELECT * FROM (`+q+`) ORDER BY 1`, nil, func(r driver.Rows) error {
		var c entente.SourceYears
		var f, l, n int64
		if err := r.Scan(&c.Source, &f, &l, &n); err != nil {
			return err
		}
		c.First, c.Last, c.Records = int(f), int(l), n
		out = append(out, c)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("force coverage: %w", err)
	}
	return out, nil
}
