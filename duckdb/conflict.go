package duckdb

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math"
	"strings"

	ddb "github.com/duckdb/duckdb-go/v2"

	"github.com/entente/entente"
)

var _ entente.ConflictStore = (*Store)(nil)

// conflictTables are the force tables with their staging columns after (file, seq,
// rkey); every table keys its records by rkey.
var conflictTables = []struct{ table, stage, cols, types string }{
	{"conflict_years", "st_cy", "conflict_id, year, ccode_a, ccode_a2, ccode_b, ccode_b2, data, line",
		"conflict_id INTEGER, year SMALLINT, ccode_a SMALLINT, ccode_a2 SMALLINT, ccode_b SMALLINT, ccode_b2 SMALLINT, data VARCHAR, line INTEGER"},
	{"rivalries", "st_riv", "source, ccode1, ccode2, start_year, end_year, data, line",
		"source VARCHAR, ccode1 SMALLINT, ccode2 SMALLINT, start_year SMALLINT, end_year SMALLINT, data VARCHAR, line INTEGER"},
	{"disputes", "st_mid", "ccode1, ccode2, year, data, line",
		"ccode1 SMALLINT, ccode2 SMALLINT, year SMALLINT, data VARCHAR, line INTEGER"},
	{"arms_deals", "st_arms", "supplier_state, recipient_state, first_year, last_year, data, line, tiv_delivered, delivery_years",
		"supplier_state VARCHAR, recipient_state VARCHAR, first_year SMALLINT, last_year SMALLINT, data VARCHAR, line INTEGER, tiv_delivered DOUBLE, delivery_years INTEGER[]"},
}

// conflictSQL builds the staging DDL, its drop, and the commit's counts and inserts: a
// record is new when it is the first of its rkey in the import and its rkey is not
// stored.
func conflictSQL() (ddl, drop, counts string, inserts []string) {
	var recs []string
	for _, t := range conflictTables {
		ddl += fmt.Sprintf("CREATE OR REPLACE TEMP TABLE %s (file INTEGER, seq BIGINT, rkey VARCHAR, %s);\n", t.stage, t.types)
		drop += fmt.Sprintf("DROP TABLE IF EXISTS temp.%s;\n", t.stage)
		recs = append(recs, fmt.Sprintf(`SELECT file, 0 AS kind,
        row_number() OVER (PARTITION BY rkey ORDER BY seq) = 1
        AND NOT EXISTS (SELECT 1 FROM %s t WHERE t.rkey = s.rkey) AS new
    FROM %s s`, t.table, t.stage))
		inserts = append(inserts, fmt.Sprintf(`
INSERT INTO %[1]s (rkey, %[3]s, import_id)
SELECT rkey, %[3]s, $1 FROM (SELECT *, row_number() OVER (PARTITION BY rkey ORDER BY seq) AS rn FROM %[2]s) s
WHERE rn = 1 AND NOT EXISTS (SELECT 1 FROM %[1]s t WHERE t.rkey = s.rkey)`, t.table, t.stage, t.cols))
	}
	ddl += `CREATE OR REPLACE TEMP TABLE st_quar (
    file INTEGER, seq BIGINT, source VARCHAR, path VARCHAR, sha256 VARCHAR, line INTEGER,
    field VARCHAR, reason VARCHAR, raw VARCHAR);`
	drop += "DROP TABLE IF EXISTS temp.st_quar;"
	recs = append(recs, "SELECT file, 1, false FROM st_quar")
	counts = `WITH recs AS (` + strings.Join(recs, "\n    UNION ALL\n    ") + `)
SELECT file,
    count(*) FILTER (WHERE kind = 0 AND new),
    count(*) FILTER (WHERE kind = 1),
    count(*) FILTER (WHERE kind = 0 AND NOT new)
FROM recs GROUP BY file`
	inserts = append(inserts, quarantineInsertSQL)
	return ddl, drop, counts, inserts
}

// ImportConflict runs one atomic, idempotent import of force data; see
// entente.ConflictStore.
func (s *Store) ImportConflict(ctx context.Context, fill func(entente.ConflictWriter) error) ([]entente.ImportReport, error) {
	ddl, drop, counts, inserts := conflictSQL()
	w := &conflictWriter{base: newBase(ctx)}
	p := plan{what: "import conflict", ddl: ddl, drop: drop, counts: counts, inserts: inserts, facts: factsForce}
	return s.runImport(ctx, p, &w.base,
		map[string]**ddb.Appender{"st_cy": &w.cy, "st_riv": &w.riv, "st_mid": &w.mid, "st_arms": &w.arms, "st_quar": &w.quar},
		func() error { return fill(w) })
}

// conflictWriter stages one force import. It implements entente.ConflictWriter.
type conflictWriter struct {
	base
	cy, riv, mid, arms *ddb.Appender
}

var _ entente.ConflictWriter = (*conflictWriter)(nil)

// ConflictYear stages a UCDP row.
func (w *conflictWriter) ConflictYear(c entente.ConflictYear) error {
	data, err := w.RecordJSON("ConflictYear", c.Validate(), c)
	if err != nil {
		return err
	}
	return w.cy.AppendRow(int32(w.File()), w.Seq(), c.RecordKey(), int32(c.ConflictID), int16(c.Year),
		int16(c.SideA.CCode), int16(c.SideA2.CCode), int16(c.SideB.CCode), int16(c.SideB2.CCode), data, int32(c.Line))
}

// Rivalry stages a rivalry.
func (w *conflictWriter) Rivalry(r entente.Rivalry) error {
	data, err := w.RecordJSON("Rivalry", r.Validate(), r)
	if err != nil {
		return err
	}
	return w.riv.AppendRow(int32(w.File()), w.Seq(), r.RecordKey(), r.Source, int16(r.CCode1), int16(r.CCode2),
		int16(r.Start), int16(r.End), data, int32(r.Line))
}

// Dispute stages a MID dispute-year.
func (w *conflictWriter) Dispute(d entente.DisputeYear) error {
	data, err := w.RecordJSON("Dispute", d.Validate(), d)
	if err != nil {
		return err
	}
	return w.mid.AppendRow(int32(w.File()), w.Seq(), d.RecordKey(), int16(d.CCode1), int16(d.CCode2), int16(d.Year),
		data, int32(d.Line))
}

// ArmsDeal stages a SIPRI deal, with the TIV delivered (NULL when unknown: the JSON's
// null) and the delivery years (NULL when none: the JSON's null) beside its JSON
// (migration 0008).
func (w *conflictWriter) ArmsDeal(d entente.ArmsDeal) error {
	data, err := w.RecordJSON("ArmsDeal", d.Validate(), d)
	if err != nil {
		return err
	}
	first, last := d.Years()
	var tiv, years any
	if !math.IsNaN(d.TIVDelivered) {
		tiv = d.TIVDelivered
	}
	if d.DeliveryYears != nil {
		ys := make([]int32, len(d.DeliveryYears))
		for i, y := range d.DeliveryYears {
			ys[i] = int32(y)
		}
		years = ys
	}
	return w.arms.AppendRow(int32(w.File()), w.Seq(), d.Key, d.Supplier.State, d.Recipient.State,
		int16(first), int16(last), data, int32(d.Line), tiv, years)
}

// ConflictYears returns UCDP rows; see entente.ConflictStore.
func (s *Store) ConflictYears(ctx context.Context, q entente.ForceQuery) ([]entente.ConflictYear, error) {
	from, to := q.Years()
	query := `SELECT data FROM conflict_years WHERE year BETWEEN ? AND ?`
	args := []any{from, to}
	if q.CCode != 0 {
		query += ` AND (conflict_id, year) IN (SELECT conflict_id, year FROM conflict_years
			WHERE year BETWEEN ? AND ? AND ? IN (ccode_a, ccode_a2, ccode_b, ccode_b2))`
		args = append(args, from, to, q.CCode)
	}
	return scanJSON[entente.ConflictYear](ctx, s, "conflict years", query+` ORDER BY conflict_id, year, line`, args...)
}

// Rivalries returns rivalries; see entente.ConflictStore.
func (s *Store) Rivalries(ctx context.Context, q entente.ForceQuery) ([]entente.Rivalry, error) {
	from, to := q.Years()
	query := `SELECT data FROM rivalries WHERE end_year >= ? AND start_year <= ?`
	args := []any{from, to}
	query, args = forceDyad(query, args, q.CCode, q.Other, "ccode1", "ccode2")
	return scanJSON[entente.Rivalry](ctx, s, "rivalries", query+` ORDER BY source, rkey`, args...)
}

// Disputes returns MID dispute-years; see entente.ConflictStore.
func (s *Store) Disputes(ctx context.Context, q entente.ForceQuery) ([]entente.DisputeYear, error) {
	from, to := q.Years()
	query := `SELECT data FROM disputes WHERE year BETWEEN ? AND ?`
	args := []any{from, to}
	query, args = forceDyad(query, args, q.CCode, q.Other, "ccode1", "ccode2")
	return scanJSON[entente.DisputeYear](ctx, s, "disputes", query+` ORDER BY year, rkey`, args...)
}

// ArmsDeals returns SIPRI deals; see entente.ConflictStore.
func (s *Store) ArmsDeals(ctx context.Context, q entente.ForceQuery) ([]entente.ArmsDeal, error) {
	from, to := q.Years()
	query := `SELECT data FROM arms_deals WHERE last_year >= ? AND first_year <= ?`
	args := []any{from, to}
	var a, b any
	if q.State != "" {
		a = q.State
	}
	if q.OtherState != "" {
		b = q.OtherState
	}
	query, args = forceDyad(query, args, a, b, "supplier_state", "recipient_state")
	return scanJSON[entente.ArmsDeal](ctx, s, "arms deals", query+` ORDER BY line`, args...)
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

// scanJSON runs query, whose one column is a record's JSON, and decodes every row.
func scanJSON[T any](ctx context.Context, s *Store, what, query string, args ...any) ([]T, error) {
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		var data string
		if err := rows.Scan(&data); err != nil {
			return nil, fmt.Errorf("%s: %w", what, err)
		}
		var v T
		if err := json.Unmarshal([]byte(data), &v); err != nil {
			return nil, fmt.Errorf("%s: decode: %w", what, err)
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// ForceCoverage returns the years of each stored force source; see
// entente.ConflictStore.
func (s *Store) ForceCoverage(ctx context.Context) ([]entente.SourceYears, error) {
	rows, err := s.db.QueryContext(ctx, `
SELECT 'ucdp', min(year), max(year), count(*) FROM conflict_years HAVING count(*) > 0
UNION ALL SELECT source, min(start_year), max(end_year), count(*) FROM rivalries GROUP BY source
UNION ALL SELECT 'gml', min(year), max(year), count(*) FROM disputes HAVING count(*) > 0
UNION ALL SELECT 'sipri', min(first_year), max(last_year), count(*) FROM arms_deals HAVING count(*) > 0
ORDER BY 1`)
	if err != nil {
		return nil, fmt.Errorf("force coverage: %w", err)
	}
	defer rows.Close()
	var out []entente.SourceYears
	for rows.Next() {
		var c entente.SourceYears
		if err := rows.Scan(&c.Source, &c.First, &c.Last, &c.Records); err != nil {
			return nil, fmt.Errorf("force coverage: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// ArmsFlows returns the flows of the deals with state on either end whose last year is
// fromYear or later, reading only the columns the index needs (migration 0008), not the
// stored JSON; see entente.ArmsFlowStore.
func (s *Store) ArmsFlows(ctx context.Context, state string, fromYear int) ([]entente.ArmsFlow, error) {
	rows, err := s.db.QueryContext(ctx, `
SELECT supplier_state, recipient_state, tiv_delivered, delivery_years
FROM arms_deals
WHERE last_year >= ? AND (? = '' OR supplier_state = ? OR recipient_state = ?)
ORDER BY line`, fromYear, state, state, state)
	if err != nil {
		return nil, fmt.Errorf("arms flows: %w", err)
	}
	defer rows.Close()
	var out []entente.ArmsFlow
	for rows.Next() {
		var f entente.ArmsFlow
		var tiv sql.NullFloat64
		var years any // []any; nil when NULL (no delivery)
		if err := rows.Scan(&f.Supplier, &f.Recipient, &tiv, &years); err != nil {
			return nil, fmt.Errorf("arms flows: %w", err)
		}
		f.TIVDelivered = math.NaN()
		if tiv.Valid {
			f.TIVDelivered = tiv.Float64
		}
		ys, _ := years.([]any)
		for _, y := range ys {
			if v, ok := y.(int32); ok {
				f.DeliveryYears = append(f.DeliveryYears, int(v))
			}
		}
		out = append(out, f)
	}
	return out, rows.Err()
}
