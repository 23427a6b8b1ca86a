package duckdb

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	ddb "github.com/duckdb/duckdb-go/v2"

	"github.com/entente/entente"
)

var _ entente.TieStore = (*Store)(nil)

// tieStagingDDL creates the per-connection staging tables of a ties import. Citations
// travel as JSON text: they are read back whole, never queried inside.
const tieStagingDDL = `
CREATE OR REPLACE TEMP TABLE st_all (
    file INTEGER, seq BIGINT, ccode1 SMALLINT, ccode2 SMALLINT, year SMALLINT, defense BOOLEAN,
    offense BOOLEAN, neutral BOOLEAN, nonagg BOOLEAN, consult BOOLEAN, line INTEGER);
CREATE OR REPLACE TEMP TABLE st_mem (
    file INTEGER, seq BIGINT, source VARCHAR, state_id VARCHAR, ccode SMALLINT, org VARCHAR,
    org_name VARCHAR, begin_day DATE, end_day DATE, status VARCHAR, censored BOOLEAN,
    cites VARCHAR, line INTEGER);
CREATE OR REPLACE TEMP TABLE st_act (
    file INTEGER, seq BIGINT, id VARCHAR, date DATE, precision VARCHAR, end_day DATE,
    actor VARCHAR, counterpart VARCHAR, kind VARCHAR, stance TINYINT, magnitude DOUBLE,
    summary VARCHAR, sources VARCHAR, path VARCHAR, line INTEGER);
CREATE OR REPLACE TEMP TABLE st_quar (
    file INTEGER, seq BIGINT, source VARCHAR, path VARCHAR, sha256 VARCHAR, line INTEGER,
    field VARCHAR, reason VARCHAR, raw VARCHAR);`

const dropTieStagingDDL = `
DROP TABLE IF EXISTS temp.st_all; DROP TABLE IF EXISTS temp.st_mem;
DROP TABLE IF EXISTS temp.st_act; DROP TABLE IF EXISTS temp.st_quar;`

// A ledger act whose id is already stored is a duplicate, even when its text changed:
// the ledger's ids are permanent (docs/ledger.md); changing an act means a new id.
const tieCountsSQL = `
WITH recs AS (
    SELECT file, 0 AS kind,
        row_number() OVER (PARTITION BY ccode1, ccode2, year ORDER BY seq) = 1
        AND NOT EXISTS (SELECT 1 FROM alliances t WHERE t.ccode1 = s.ccode1 AND t.ccode2 = s.ccode2 AND t.year = s.year) AS new
    FROM st_all s
    UNION ALL
    SELECT file, 0,
        row_number() OVER (PARTITION BY source, state_id, org, begin_day, status ORDER BY seq) = 1
        AND NOT EXISTS (SELECT 1 FROM memberships t WHERE t.source = s.source AND t.state_id = s.state_id
            AND t.org = s.org AND t.begin_day = s.begin_day AND t.status = s.status)
    FROM st_mem s
    UNION ALL
    SELECT file, 0,
        row_number() OVER (PARTITION BY id ORDER BY seq) = 1
        AND NOT EXISTS (SELECT 1 FROM acts t WHERE t.id = s.id)
    FROM st_act s
    UNION ALL
    SELECT file, 1, false FROM st_quar
)
SELECT file,
    count(*) FILTER (WHERE kind = 0 AND new),
    count(*) FILTER (WHERE kind = 1),
    count(*) FILTER (WHERE kind = 0 AND NOT new)
FROM recs GROUP BY file`

var tieInsertSQL = []string{`
INSERT INTO alliances SELECT ccode1, ccode2, year, defense, offense, neutral, nonagg, consult, $1, line
FROM (SELECT *, row_number() OVER (PARTITION BY ccode1, ccode2, year ORDER BY seq) AS rn FROM st_all) s
WHERE rn = 1 AND NOT EXISTS (SELECT 1 FROM alliances t WHERE t.ccode1 = s.ccode1 AND t.ccode2 = s.ccode2 AND t.year = s.year)`, `
INSERT INTO memberships SELECT source, state_id, ccode, org, org_name, begin_day, end_day, status, censored, cites, $1, line
FROM (SELECT *, row_number() OVER (PARTITION BY source, state_id, org, begin_day, status ORDER BY seq) AS rn FROM st_mem) s
WHERE rn = 1 AND NOT EXISTS (SELECT 1 FROM memberships t WHERE t.source = s.source AND t.state_id = s.state_id
    AND t.org = s.org AND t.begin_day = s.begin_day AND t.status = s.status)`, `
INSERT INTO acts SELECT id, date, precision, end_day, actor, counterpart, kind, stance, magnitude, summary, sources, path, line, $1
FROM (SELECT *, row_number() OVER (PARTITION BY id ORDER BY seq) AS rn FROM st_act) s
WHERE rn = 1 AND NOT EXISTS (SELECT 1 FROM acts t WHERE t.id = s.id)`, quarantineInsertSQL,
}

// tiePlan counts and moves a ties import.
var tiePlan = plan{what: "import ties", ddl: tieStagingDDL, drop: dropTieStagingDDL, counts: tieCountsSQL, inserts: tieInsertSQL, facts: factsTies}

// ImportTies runs one atomic, idempotent import of alliances, memberships and acts;
// see entente.TieStore.
func (s *Store) ImportTies(ctx context.Context, fill func(entente.TieWriter) error) ([]entente.ImportReport, error) {
	w := &tieWriter{base: newBase(ctx)}
	return s.runImport(ctx, tiePlan, &w.base,
		map[string]**ddb.Appender{"st_all": &w.all, "st_mem": &w.mem, "st_act": &w.act, "st_quar": &w.quar},
		func() error { return fill(w) })
}

// tieWriter stages one ties import. It implements entente.TieWriter.
type tieWriter struct {
	base
	all, mem, act *ddb.Appender
}

var _ entente.TieWriter = (*tieWriter)(nil)

// Alliance stages an ATOP dyad-year.
func (w *tieWriter) Alliance(t entente.AllianceTie) error {
	if err := w.Record("Alliance", t.Validate()); err != nil {
		return err
	}
	return w.all.AppendRow(int32(w.File()), w.Seq(), int16(t.A), int16(t.B), int16(t.Year),
		t.Defense, t.Offense, t.Neutral, t.NonAgg, t.Consult, int32(t.Line))
}

// Membership stages a membership spell.
func (w *tieWriter) Membership(m entente.Membership) error {
	if err := w.Record("Membership", m.Validate()); err != nil {
		return err
	}
	if m.Status == "" {
		m.Status = entente.StatusMember
	}
	cites, err := json.Marshal(m.Cites)
	if err != nil {
		return err
	}
	var ccode any
	if m.CCode > 0 {
		ccode = int16(m.CCode)
	}
	return w.mem.AppendRow(int32(w.File()), w.Seq(), m.Source, m.State, ccode, m.Org, nullString(m.OrgName),
		m.Begin, nullTime(m.End), m.Status, m.Censored, string(cites), int32(m.Line))
}

// Act stages a ledger act.
func (w *tieWriter) Act(a entente.Act) error {
	if err := w.Record("Act", a.Validate()); err != nil {
		return err
	}
	sources, err := json.Marshal(a.Sources)
	if err != nil {
		return err
	}
	var magnitude any
	if a.Magnitude != 0 {
		magnitude = a.Magnitude
	}
	return w.act.AppendRow(int32(w.File()), w.Seq(), a.ID, a.Date, a.Precision.String(), nullTime(a.End),
		a.Actor, a.Counterpart, a.Kind, int8(a.Stance), magnitude, a.Summary, string(sources), a.File, int32(a.Line))
}

func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t
}

// Alliances returns the ATOP ties of year; see entente.TieStore.
func (s *Store) Alliances(ctx context.Context, year, ccode int) ([]entente.AllianceTie, error) {
	q := `SELECT ccode1, ccode2, year, defense, offense, neutral, nonagg, consult, line FROM alliances WHERE year = ?`
	args := []any{year}
	if ccode != 0 {
		q += ` AND (ccode1 = ? OR ccode2 = ?)`
		args = append(args, ccode, ccode)
	}
	rows, err := s.db.QueryContext(ctx, q+` ORDER BY ccode1, ccode2`, args...)
	if err != nil {
		return nil, fmt.Errorf("alliances: %w", err)
	}
	defer rows.Close()
	var out []entente.AllianceTie
	for rows.Next() {
		var t entente.AllianceTie
		if err := rows.Scan(&t.A, &t.B, &t.Year, &t.Defense, &t.Offense, &t.Neutral, &t.NonAgg, &t.Consult, &t.Line); err != nil {
			return nil, fmt.Errorf("alliances: %w", err)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// AllianceCoverage returns the years of the stored ATOP data; see entente.TieStore.
func (s *Store) AllianceCoverage(ctx context.Context) (first, last int, err error) {
	var f, l *int
	if err := s.db.QueryRowContext(ctx, `SELECT min(year), max(year) FROM alliances`).Scan(&f, &l); err != nil {
		return 0, 0, fmt.Errorf("alliance coverage: %w", err)
	}
	if f == nil || l == nil {
		return 0, 0, nil
	}
	return *f, *l, nil
}

// Memberships returns stored membership spells; see entente.TieStore.
func (s *Store) Memberships(ctx context.Context, state string, from, to time.Time) ([]entente.Membership, error) {
	var conds []string
	var args []any
	if state != "" {
		conds = append(conds, "state_id = ?")
		args = append(args, state)
	}
	if !to.IsZero() {
		conds = append(conds, "begin_day < ?")
		args = append(args, to)
	}
	if !from.IsZero() {
		conds = append(conds, "(end_day IS NULL OR end_day >= ?)")
		args = append(args, from)
	}
	q := `SELECT source, state_id, coalesce(ccode, 0), org, coalesce(org_name, ''), begin_day, end_day, status, censored, cites, line FROM memberships`
	if len(conds) > 0 {
		q += " WHERE " + strings.Join(conds, " AND ")
	}
	rows, err := s.db.QueryContext(ctx, q+` ORDER BY state_id, org, begin_day`, args...)
	if err != nil {
		return nil, fmt.Errorf("memberships: %w", err)
	}
	defer rows.Close()
	var out []entente.Membership
	for rows.Next() {
		var m entente.Membership
		var end *time.Time
		var cites string
		if err := rows.Scan(&m.Source, &m.State, &m.CCode, &m.Org, &m.OrgName, &m.Begin, &end, &m.Status, &m.Censored, &cites, &m.Line); err != nil {
			return nil, fmt.Errorf("memberships: %w", err)
		}
		m.Begin = m.Begin.UTC()
		if end != nil {
			m.End = end.UTC()
		}
		if err := json.Unmarshal([]byte(cites), &m.Cites); err != nil {
			return nil, fmt.Errorf("memberships: citations of %s in %s: %w", m.State, m.Org, err)
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// Acts returns ledger acts; see entente.TieStore.
func (s *Store) Acts(ctx context.Context, q entente.ActQuery) ([]entente.Act, error) {
	var conds []string
	var args []any
	add := func(cond string, vals ...any) {
		conds = append(conds, cond)
		args = append(args, vals...)
	}
	if q.Actor != "" {
		add("actor = ?", q.Actor)
	}
	if q.Counterpart != "" {
		add("counterpart = ?", q.Counterpart)
	}
	switch {
	case q.Either != "" && q.Other != "":
		add("((actor = ? AND counterpart = ?) OR (actor = ? AND counterpart = ?))", q.Either, q.Other, q.Other, q.Either)
	case q.Either != "":
		add("(actor = ? OR counterpart = ?)", q.Either, q.Either)
	}
	if q.Kind != "" {
		add("kind = ?", q.Kind)
	}
	if !q.From.IsZero() {
		add("date >= ?", q.From)
	}
	if !q.To.IsZero() {
		add("date < ?", q.To)
	}
	query := `SELECT id, date, precision, end_day, actor, counterpart, kind, stance, coalesce(magnitude, 0), summary, sources, file, line FROM acts`
	if len(conds) > 0 {
		query += " WHERE " + strings.Join(conds, " AND ")
	}
	rows, err := s.db.QueryContext(ctx, query+` ORDER BY date, id`, args...)
	if err != nil {
		return nil, fmt.Errorf("acts: %w", err)
	}
	defer rows.Close()
	var out []entente.Act
	for rows.Next() {
		var a entente.Act
		var prec, sources string
		var end *time.Time
		var stance int8
		if err := rows.Scan(&a.ID, &a.Date, &prec, &end, &a.Actor, &a.Counterpart, &a.Kind, &stance, &a.Magnitude, &a.Summary, &sources, &a.File, &a.Line); err != nil {
			return nil, fmt.Errorf("acts: %w", err)
		}
		a.Date = a.Date.UTC()
		if end != nil {
			a.End = end.UTC()
		}
		a.Stance = entente.Stance(stance)
		a.Precision = entente.ParsePrecision(prec)
		if err := json.Unmarshal([]byte(sources), &a.Sources); err != nil {
			return nil, fmt.Errorf("acts: sources of %s: %w", a.ID, err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}
