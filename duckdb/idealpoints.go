package duckdb

import (
	"context"
	"database/sql/driver"
	"fmt"
	"math"
	"strings"

	ddb "github.com/duckdb/duckdb-go/v2"

	"github.com/entente/entente"
)

var _ entente.IdealPointStore = (*Store)(nil)

const ipStagingDDL = `
CREATE OR REPLACE TEMP TABLE st_ip (
    file INTEGER, seq BIGINT, source VARCHAR, variant VARCHAR, ccode SMALLINT, year SMALLINT,
    x DOUBLE, q0 DOUBLE, q5 DOUBLE, q10 DOUBLE, q50 DOUBLE, q90 DOUBLE, q95 DOUBLE, q100 DOUBLE,
    votes INTEGER, line INTEGER);
CREATE OR REPLACE TEMP TABLE st_quar (
    file INTEGER, seq BIGINT, source VARCHAR, path VARCHAR, sha256 VARCHAR, line INTEGER,
    field VARCHAR, reason VARCHAR, raw VARCHAR);`

const dropIPStagingDDL = `DROP TABLE IF EXISTS temp.st_ip; DROP TABLE IF EXISTS temp.st_quar;`

// A file row is one record: new when any of its points is new (first of its key in the
// import and absent from the store), else a duplicate.
const ipCountsSQL = `
WITH pts AS (
    SELECT file, seq,
        row_number() OVER (PARTITION BY source, variant, ccode, year ORDER BY seq) = 1
        AND NOT EXISTS (SELECT 1 FROM ideal_points t WHERE t.source = s.source AND t.variant = s.variant
            AND t.ccode = s.ccode AND t.year = s.year) AS new
    FROM st_ip s
), recs AS (
    SELECT file, 0 AS kind, bool_or(new) AS new FROM pts GROUP BY file, seq
    UNION ALL
    SELECT file, 1, false FROM st_quar
)
SELECT file,
    count(*) FILTER (WHERE kind = 0 AND new),
    count(*) FILTER (WHERE kind = 1),
    count(*) FILTER (WHERE kind = 0 AND NOT new)
FROM recs GROUP BY file`

var ipInsertSQL = []string{`
INSERT INTO ideal_points SELECT source, variant, ccode, year, x, q0, q5, q10, q50, q90, q95, q100, votes, $1, line
FROM (SELECT *, row_number() OVER (PARTITION BY source, variant, ccode, year ORDER BY seq) AS rn FROM st_ip) s
WHERE rn = 1 AND NOT EXISTS (SELECT 1 FROM ideal_points t WHERE t.source = s.source AND t.variant = s.variant
    AND t.ccode = s.ccode AND t.year = s.year)`, quarantineInsertSQL,
}

// ImportIdealPoints runs one atomic, idempotent import of published ideal points; see
// entente.IdealPointStore.
func (s *Store) ImportIdealPoints(ctx context.Context, fill func(entente.IdealPointWriter) error) ([]entente.ImportReport, error) {
	w := &ipWriter{base: newBase(ctx)}
	p := plan{what: "import ideal points", ddl: ipStagingDDL, drop: dropIPStagingDDL, counts: ipCountsSQL, inserts: ipInsertSQL, facts: factsIdealPoints}
	return s.runImport(ctx, p, &w.base, map[string]**ddb.Appender{"st_ip": &w.ip, "st_quar": &w.quar},
		func() error { return fill(w) })
}

// ipWriter stages one ideal-point import. It implements entente.IdealPointWriter.
type ipWriter struct {
	base
	ip *ddb.Appender
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
		if err := w.ip.AppendRow(ipValues(int32(w.File()), w.Seq(), p)...); err != nil {
			return err
		}
	}
	return nil
}

func ipValues(file int32, seq int64, p entente.IdealPoint) []driver.Value {
	v := []driver.Value{file, seq, p.Source, p.Variant, int16(p.CCode), int16(p.Year), p.X}
	for _, q := range p.Q {
		v = append(v, nanNull(q))
	}
	return append(v, int32(p.Votes), int32(p.Line))
}

func nanNull(f float64) driver.Value {
	if math.IsNaN(f) {
		return nil
	}
	return f
}

// ReplaceIdealPoints replaces the stored points of source and variant in one
// transaction; see entente.IdealPointStore.
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
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("replace ideal points: %w", err)
	}
	defer conn.Close()
	err = conn.Raw(func(dc any) error {
		x := driverConn{ctx: ctx, c: dc.(driver.Conn)}
		return x.inTx(func() error {
			if err := x.exec(`DELETE FROM ideal_points WHERE source = ? AND variant = ?`, source, variant); err != nil {
				return err
			}
			a, err := ddb.NewAppender(x.c, "", "", "ideal_points")
			if err != nil {
				return err
			}
			for _, p := range points {
				v := ipValues(0, 0, p)[2:]
				v = append(v[:len(v)-1], int32(0), int32(p.Line)) // import_id 0: an estimate
				if err := a.AppendRow(v...); err != nil {
					_ = a.Clear()
					_ = a.Close()
					return err
				}
			}
			return a.Close()
		})
	})
	if err != nil {
		return fmt.Errorf("replace ideal points: %w", err)
	}
	return nil
}

// IdealPoints returns stored points; see entente.IdealPointStore.
func (s *Store) IdealPoints(ctx context.Context, q entente.IdealPointQuery) ([]entente.IdealPoint, error) {
	conds := []string{"source = ?", "variant = ?"}
	args := []any{q.Source, q.Variant}
	if q.From != 0 {
		conds = append(conds, "year >= ?")
		args = append(args, q.From)
	}
	if q.To != 0 {
		conds = append(conds, "year <= ?")
		args = append(args, q.To)
	}
	if len(q.CCodes) > 0 {
		ph := make([]string, len(q.CCodes))
		for i, c := range q.CCodes {
			ph[i] = "?"
			args = append(args, c)
		}
		conds = append(conds, "ccode IN ("+strings.Join(ph, ",")+")")
	}
	rows, err := s.db.QueryContext(ctx, `SELECT source, variant, ccode, year, x, q0, q5, q10, q50, q90, q95, q100, votes, line
		FROM ideal_points WHERE `+strings.Join(conds, " AND ")+` ORDER BY year, ccode`, args...)
	if err != nil {
		return nil, fmt.Errorf("ideal points: %w", err)
	}
	defer rows.Close()
	var out []entente.IdealPoint
	for rows.Next() {
		var p entente.IdealPoint
		var qs [7]*float64
		if err := rows.Scan(&p.Source, &p.Variant, &p.CCode, &p.Year, &p.X, &qs[0], &qs[1], &qs[2], &qs[3], &qs[4], &qs[5], &qs[6], &p.Votes, &p.Line); err != nil {
			return nil, fmt.Errorf("ideal points: %w", err)
		}
		for i, v := range qs {
			p.Q[i] = math.NaN()
			if v != nil {
				p.Q[i] = *v
			}
		}
		out = append(out, p)
	}
	return out, rows.Err()
}
