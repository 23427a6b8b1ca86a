package clickhouse

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/entente/entente"
)

var _ entente.TieStore = (*Store)(nil)

// tieStaging describes the staging tables of a ties import. Citations travel as JSON
// text: they are read back whole, never queried inside.
var tieStaging = []string{
	`all: file Int32, seq UInt64, ccode1 Int16, ccode2 Int16, year Int16, defense UInt8, offense UInt8,
    neutral UInt8, nonagg UInt8, consult UInt8, line Int32`,
	`mem: file Int32, seq UInt64, source String, state_id String, ccode Int16, org String, org_name String,
    begin_day Int32, end_day Int32, status String, censored UInt8, cites String, line Int32`,
	`act: file Int32, seq UInt64, id String, date Int32, precision String, end_day Int32, actor String,
    counterpart String, kind String, stance Int8, magnitude Float64, summary String, sources String,
    path String, line Int32`,
}

const (
	newAlliance = `(ccode1, ccode2, year, seq) IN (SELECT ccode1, ccode2, year, min(seq) FROM {st}all GROUP BY ccode1, ccode2, year)
    AND (ccode1, ccode2, year) NOT IN (SELECT ccode1, ccode2, year FROM alliances WHERE ` + committed + `)`
	newMembership = `(source, state_id, org, begin_day, status, seq) IN (
        SELECT source, state_id, org, begin_day, status, min(seq) FROM {st}mem GROUP BY source, state_id, org, begin_day, status)
    AND (source, state_id, org, begin_day, status) NOT IN (
        SELECT source, state_id, org, begin_day, status FROM memberships WHERE ` + committed + `)`
	// A ledger act whose id is already stored is a duplicate, even when its text
	// changed: the ledger's ids are permanent (docs/ledger.md).
	newAct = `(id, seq) IN (SELECT id, min(seq) FROM {st}act GROUP BY id)
    AND id NOT IN (SELECT id FROM acts WHERE ` + committed + `)`
)

func countNew(table, cond string) string {
	return `SELECT file, toInt64(countIf(new)), toInt64(countIf(NOT new)) FROM (SELECT file, ` + cond + ` AS new FROM {st}` + table + `) GROUP BY file`
}

var tiePlan = plan{
	counts: []string{countNew("all", newAlliance), countNew("mem", newMembership), countNew("act", newAct)},
	inserts: []string{`
INSERT INTO alliances (ccode1, ccode2, year, defense, offense, neutral, nonagg, consult, import_id, line)
SELECT ccode1, ccode2, year, defense, offense, neutral, nonagg, consult, {id}, line FROM {st}all WHERE ` + newAlliance, `
INSERT INTO memberships (source, state_id, ccode, org, org_name, begin_day, end_day, status, censored, cites, import_id, line)
SELECT source, state_id, ccode, org, org_name, begin_day, end_day, status, censored, cites, {id}, line FROM {st}mem WHERE ` + newMembership, `
INSERT INTO acts (id, date, precision, end_day, actor, counterpart, kind, stance, magnitude, summary, sources, file, line, import_id)
SELECT id, date, precision, end_day, actor, counterpart, kind, stance, magnitude, summary, sources, path, line, {id} FROM {st}act WHERE ` + newAct},
}

// ImportTies runs one atomic, idempotent import of alliances, memberships and acts;
// see entente.TieStore.
func (s *Store) ImportTies(ctx context.Context, fill func(entente.TieWriter) error) ([]entente.ImportReport, error) {
	return s.runImport(ctx, "import ties", tieStaging, func(st *stage) (*base, error) {
		w := &tieWriter{base: newBase(ctx, st)}
		return &w.base, fill(w)
	}, tiePlan)
}

// tieWriter stages one ties import. It implements entente.TieWriter.
type tieWriter struct {
	base
}

var _ entente.TieWriter = (*tieWriter)(nil)

// Alliance stages an ATOP dyad-year.
func (w *tieWriter) Alliance(t entente.AllianceTie) error {
	if err := w.Record("Alliance", t.Validate()); err != nil {
		return err
	}
	return w.st.append("all", int32(w.File()), uint64(w.Seq()), int16(t.A), int16(t.B), int16(t.Year),
		b2u(t.Defense), b2u(t.Offense), b2u(t.Neutral), b2u(t.NonAgg), b2u(t.Consult), int32(t.Line))
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
	return w.st.append("mem", int32(w.File()), uint64(w.Seq()), m.Source, m.State, int16(m.CCode), m.Org, m.OrgName,
		ymd(m.Begin), ymdOrZero(m.End), m.Status, b2u(m.Censored), string(cites), int32(m.Line))
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
	return w.st.append("act", int32(w.File()), uint64(w.Seq()), a.ID, ymd(a.Date), a.Precision.String(), ymdOrZero(a.End),
		a.Actor, a.Counterpart, a.Kind, int8(a.Stance), a.Magnitude, a.Summary, string(sources), a.File, int32(a.Line))
}

// ymdOrZero is ymd, with 0 for the zero time (no date).
func ymdOrZero(t time.Time) int32 {
	if t.IsZero() {
		return 0
	}
	return ymd(t)
}

func fromYMDOrZero(v int32) time.Time {
	if v == 0 {
		return time.Time{}
	}
	return fromYMD(v)
}

// Alliances returns the ATOP ties of year; see entente.TieStore.
func (s *Store) Alliances(ctx context.Context, year, ccode int) ([]entente.AllianceTie, error) {
	q := fmt.Sprintf(`SELECT ccode1, ccode2, year, defense, offense, neutral, nonagg, consult, line FROM alliances
WHERE year = %d AND `+committed, year)
	if ccode != 0 {
		q += fmt.Sprintf(` AND (ccode1 = %d OR ccode2 = %d)`, ccode, ccode)
	}
	var out []entente.AllianceTie
	err := s.query(ctx, q+` ORDER BY ccode1, ccode2`, nil, func(r driver.Rows) error {
		var a, b, y int16
		var d, o, n, na, c uint8
		var line int32
		if err := r.Scan(&a, &b, &y, &d, &o, &n, &na, &c, &line); err != nil {
			return err
		}
		out = append(out, entente.AllianceTie{A: int(a), B: int(b), Year: int(y), Defense: d == 1, Offense: o == 1,
			Neutral: n == 1, NonAgg: na == 1, Consult: c == 1, Line: int(line)})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("alliances: %w", err)
	}
	return out, nil
}

// AllianceCoverage returns the years of the stored ATOP data; see entente.TieStore.
func (s *Store) AllianceCoverage(ctx context.Context) (first, last int, err error) {
	var n uint64
	var f, l int16
	err = s.query(ctx, `SELECT count(), min(year), max(year) FROM alliances WHERE `+committed, nil,
		func(r driver.Rows) error { return r.Scan(&n, &f, &l) })
	if err != nil {
		return 0, 0, fmt.Errorf("alliance coverage: %w", err)
	}
	if n == 0 {
		return 0, 0, nil
	}
	return int(f), int(l), nil
}

// Memberships returns stored membership spells; see entente.TieStore.
func (s *Store) Memberships(ctx context.Context, state string, from, to time.Time) ([]entente.Membership, error) {
	conds := []string{committed}
	var args []any
	if state != "" {
		conds = append(conds, "state_id = ?")
		args = append(args, state)
	}
	if !to.IsZero() {
		conds = append(conds, fmt.Sprintf("begin_day < %d", ymd(to)))
	}
	if !from.IsZero() {
		conds = append(conds, fmt.Sprintf("(end_day = 0 OR end_day >= %d)", ymd(from)))
	}
	q := `SELECT source, state_id, ccode, org, org_name, begin_day, end_day, status, censored, cites, line FROM memberships
WHERE ` + strings.Join(conds, " AND ") + ` ORDER BY state_id, org, begin_day`
	var out []entente.Membership
	err := s.query(ctx, q, args, func(r driver.Rows) error {
		var m entente.Membership
		var ccode int16
		var begin, end, line int32
		var censored uint8
		var cites string
		if err := r.Scan(&m.Source, &m.State, &ccode, &m.Org, &m.OrgName, &begin, &end, &m.Status, &censored, &cites, &line); err != nil {
			return err
		}
		m.CCode, m.Begin, m.End, m.Censored, m.Line = int(ccode), fromYMD(begin), fromYMDOrZero(end), censored == 1, int(line)
		if err := json.Unmarshal([]byte(cites), &m.Cites); err != nil {
			return fmt.Errorf("citations of %s in %s: %w", m.State, m.Org, err)
		}
		out = append(out, m)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("memberships: %w", err)
	}
	return out, nil
}

// Acts returns ledger acts; see entente.TieStore.
func (s *Store) Acts(ctx context.Context, q entente.ActQuery) ([]entente.Act, error) {
	conds := []string{committed}
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
		add(fmt.Sprintf("date >= %d", ymd(q.From)))
	}
	if !q.To.IsZero() {
		add(fmt.Sprintf("date < %d", ymd(q.To)))
	}
	query := `SELECT id, date, precision, end_day, actor, counterpart, kind, stance, magnitude, summary, sources, file, line
FROM acts WHERE ` + strings.Join(conds, " AND ") + ` ORDER BY date, id`
	var out []entente.Act
	err := s.query(ctx, query, args, func(r driver.Rows) error {
		var a entente.Act
		var date, end, line int32
		var prec, sources string
		var stance int8
		if err := r.Scan(&a.ID, &date, &prec, &end, &a.Actor, &a.Counterpart, &a.Kind, &stance, &a.Magnitude, &a.Summary, &sources, &a.File, &line); err != nil {
			return err
		}
		a.Date, a.End, a.Line, a.Stance = fromYMD(date), fromYMDOrZero(end), int(line), entente.Stance(stance)
		a.Precision = entente.ParsePrecision(prec)
		if err := json.Unmarshal([]byte(sources), &a.Sources); err != nil {
			return fmt.Errorf("sources of %s: %w", a.ID, err)
		}
		out = append(out, a)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("acts: %w", err)
	}
	return out, nil
}
