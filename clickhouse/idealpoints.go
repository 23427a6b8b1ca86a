package clickhouse

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/entente/entente"
)

var _ entente.IdealPointStore = (*Store)(nil)

var ipStaging = []string{
	`ip: file Int32, seq UInt64, source String, variant String, ccode Int16, year Int16, x Float64,
    q0 Float64, q5 Float64, q10 Float64, q50 Float64, q90 Float64, q95 Float64, q100 Float64, votes Int32, line Int32`,
}

const newIdealPoint = `(source, variant, ccode, year, seq) IN (
        SELECT source, variant, ccode, year, min(seq) FROM {st}ip GROUP BY source, variant, ccode, year)
    AND (source, variant, ccode, year) NOT IN (
        SELECT source, variant, ccode, year FROM ideal_points WHERE version = 0 AND ` + committed + `)`

// A file row is one record: new when any of its points is new, else a duplicate.
var ipPlan = plan{
	counts: []string{`SELECT file, toInt64(countIf(new)), toInt64(countIf(NOT new)) FROM (
    SELECT file, seq, max(` + newIdealPoint + `) AS new FROM {st}ip GROUP BY file, seq) GROUP BY file`},
	inserts: []string{`
INSERT INTO ideal_points (source, variant, ccode, year, x, q0, q5, q10, q50, q90, q95, q100, votes, import_id, version, line)
SELECT source, variant, ccode, year, x, q0, q5, q10, q50, q90, q95, q100, votes, {id}, 0, line FROM {st}ip WHERE ` + newIdealPoint},
}

// ImportIdealPoints runs one atomic, idempotent import of published ideal points; see
// entente.IdealPointStore.
func (s *Store) ImportIdealPoints(ctx context.Context, fill func(entente.IdealPointWriter) error) ([]entente.ImportReport, error) {
	return s.runImport(ctx, "import ideal points", ipStaging, func(st *stage) (*base, error) {
		w := &ipWriter{base: newBase(ctx, st)}
		return &w.base, fill(w)
	}, ipPlan)
}

// ipWriter stages one ideal-point import. It implements entente.IdealPointWriter.
type ipWriter struct {
	base
}

var _ entente.IdealPointWriter = (*ipWriter)(nil)

// Row stages the points of one file row.
func (w *ipWriter) Row(line int, points []entente.IdealPoint) error {
	if err := w.Next("Row"); err != nil {
		return err
	}
	if len(points) == 0 {
		return entente.Errorf(entente.EINVALID, "import ideal points: line %d: a row without points", line)
	}
	for _, p := range points {
		if err := p.Validate(); err != nil {
			return err
		}
		q := p.Q
		if err := w.st.append("ip", int32(w.File()), uint64(w.Seq()), p.Source, p.Variant, int16(p.CCode), int16(p.Year), p.X,
			q[0], q[1], q[2], q[3], q[4], q[5], q[6], int32(p.Votes), int32(p.Line)); err != nil {
			return err
		}
	}
	return nil
}

// ReplaceIdealPoints writes points under a new version of source and variant, which one
// row in ideal_point_versions then makes current; see entente.IdealPointStore.
func (s *Store) ReplaceIdealPoints(ctx context.Context, source, variant string, points []entente.IdealPoint) error {
	for _, p := range points {
		if p.Source != source || p.Variant != variant {
			return entente.Errorf(entente.EINVALID, "replace ideal points %s/%s: a point of %s/%s", source, variant, p.Source, p.Variant)
		}
		if err := p.Validate(); err != nil {
			return err
		}
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	version := uint64(nowFunc().UnixNano())
	var last uint64
	if err := s.query(ctx, `SELECT max(version) FROM ideal_point_versions`, nil, func(r driver.Rows) error { return r.Scan(&last) }); err != nil {
		return fmt.Errorf("replace ideal points: %w", err)
	}
	if last >= version {
		version = last + 1
	}
	if err := s.appendIdealPoints(ctx, version, points); err != nil {
		return fmt.Errorf("replace ideal points: %w", err)
	}
	if err := s.exec(ctx, fmt.Sprintf(`INSERT INTO ideal_point_versions (source, variant, version) SELECT %s, %s, %d`,
		quote(source), quote(variant), version)); err != nil {
		return fmt.Errorf("replace ideal points: %w", err)
	}
	_ = s.exec(ctx, `ALTER TABLE ideal_points DELETE WHERE source = ? AND variant = ? AND version > 0 AND version < `+
		strconv.FormatUint(version, 10), source, variant)
	return nil
}

func (s *Store) appendIdealPoints(ctx context.Context, version uint64, points []entente.IdealPoint) error {
	ctx, cancel := withTimeout(ctx, s.timeout)
	defer cancel()
	for start := 0; start < len(points); start += stagingBlock {
		b, err := s.conn.PrepareBatch(ctx, `INSERT INTO ideal_points (source, variant, ccode, year, x, q0, q5, q10, q50, q90, q95, q100,
			votes, import_id, version, line)`)
		if err != nil {
			return serverError(s.addr, err)
		}
		for _, p := range points[start:min(start+stagingBlock, len(points))] {
			q := p.Q
			if err := b.Append(p.Source, p.Variant, int16(p.CCode), int16(p.Year), p.X, q[0], q[1], q[2], q[3], q[4], q[5], q[6],
				int32(p.Votes), uint64(0), version, int32(p.Line)); err != nil {
				_ = b.Abort()
				return err
			}
		}
		if err := b.Send(); err != nil {
			return serverError(s.addr, err)
		}
	}
	return ctx.Err()
}

// IdealPoints returns stored points; see entente.IdealPointStore. Imported points are
// those of committed imports; estimated ones those of the current version.
func (s *Store) IdealPoints(ctx context.Context, q entente.IdealPointQuery) ([]entente.IdealPoint, error) {
	query := `SELECT source, variant, ccode, year, x, q0, q5, q10, q50, q90, q95, q100, votes, line FROM ideal_points
WHERE source = ? AND variant = ? AND ((version = 0 AND ` + committed + `)
    OR (version > 0 AND version = (SELECT max(version) FROM ideal_point_versions WHERE source = ? AND variant = ?)))`
	args := []any{q.Source, q.Variant, q.Source, q.Variant}
	if q.From != 0 {
		query += fmt.Sprintf(` AND year >= %d`, q.From)
	}
	if q.To != 0 {
		query += fmt.Sprintf(` AND year <= %d`, q.To)
	}
	if len(q.CCodes) > 0 {
		cs := make([]string, len(q.CCodes))
		for i, c := range q.CCodes {
			cs[i] = strconv.Itoa(c)
		}
		query += ` AND ccode IN (` + strings.Join(cs, ",") + `)`
	}
	var out []entente.IdealPoint
	err := s.query(ctx, query+` ORDER BY year, ccode`, args, func(r driver.Rows) error {
		var p entente.IdealPoint
		var cc, y int16
		var votes, line int32
		if err := r.Scan(&p.Source, &p.Variant, &cc, &y, &p.X, &p.Q[0], &p.Q[1], &p.Q[2], &p.Q[3], &p.Q[4], &p.Q[5], &p.Q[6], &votes, &line); err != nil {
			return err
		}
		p.CCode, p.Year, p.Votes, p.Line = int(cc), int(y), int(votes), int(line)
		out = append(out, p)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("ideal points: %w", err)
	}
	return out, nil
}
