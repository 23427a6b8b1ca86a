package duckdb

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"math"

	ddb "github.com/duckdb/duckdb-go/v2"

	"github.com/entente/entente"
)

// ReplaceSimilarity replaces all stored similarity rows of grouping by in one
// transaction: the old rows are deleted and the new ones appended through the Appender,
// so readers see either all old or all new rows. NaN values are stored as NULL.
func (s *Store) ReplaceSimilarity(ctx context.Context, by string, rows []entente.Similarity) error {
	return s.replaceSimilarity(ctx, by, rows, nil)
}

// replaceSimilarity replaces the rows of grouping by and, when stamp is not nil, runs
// it in the same transaction.
func (s *Store) replaceSimilarity(ctx context.Context, by string, rows []entente.Similarity, stamp func(driverConn) error) error {
	if err := entente.ValidateSimilarities(by, rows); err != nil {
		return err
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("replace similarity %s: %w", by, err)
	}
	defer conn.Close()
	err = conn.Raw(func(dc any) error {
		x := driverConn{ctx: ctx, c: dc.(driver.Conn)}
		return x.inTx(func() error {
			if err := x.exec(`DELETE FROM un_similarity WHERE "by" = ?`, by); err != nil {
				return err
			}
			if err := appendSimilarity(ctx, x.c, by, rows); err != nil {
				return err
			}
			if stamp != nil {
				if err := stamp(x); err != nil {
					return err
				}
			}
			hook("similarity", int64(len(rows)))
			return nil
		})
	})
	if err != nil {
		return fmt.Errorf("replace similarity %s: %w", by, err)
	}
	hook("similarity-committed", int64(len(rows)))
	return nil
}

func appendSimilarity(ctx context.Context, dc driver.Conn, by string, rows []entente.Similarity) (err error) {
	a, err := ddb.NewAppender(dc, "", "", "un_similarity")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = a.Clear()
		}
		if cerr := a.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	vals := make([]driver.Value, 5+entente.NumSimilarityMetrics)
	for i, r := range rows {
		if i%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		vals[0], vals[1], vals[2], vals[3], vals[4] = by, r.Period, int16(r.A), int16(r.B), int32(r.N)
		for j, v := range r.Values {
			if math.IsNaN(v) {
				vals[5+j] = nil
			} else {
				vals[5+j] = v
			}
		}
		if err := a.AppendRow(vals...); err != nil {
			return err
		}
	}
	return nil
}

// periodKey orders and compares periods: session numbers numerically, other periods
// (years, months) as text.
const periodKey = `CASE WHEN "by" = 'session' THEN lpad(period, 8, '0') ELSE period END`

// Similarities returns stored rows matching q, ordered by period, A, B.
func (s *Store) Similarities(ctx context.Context, q entente.SimilarityQuery) ([]entente.Similarity, error) {
	query := `SELECT period, ccode_a, ccode_b, n, agree, s_abs, s_sq, pi, kappa, pi_w, kappa_w
FROM un_similarity WHERE "by" = ?`
	args := []any{q.By}
	pad := func(p string) string {
		if q.By == "session" && len(p) < 8 {
			return fmt.Sprintf("%08s", p)
		}
		return p
	}
	if q.FromPeriod != "" {
		query += ` AND ` + periodKey + ` >= ?`
		args = append(args, pad(q.FromPeriod))
	}
	if q.ToPeriod != "" {
		query += ` AND ` + periodKey + ` <= ?`
		args = append(args, pad(q.ToPeriod))
	}
	if q.CCode != 0 {
		query += ` AND (ccode_a = ? OR ccode_b = ?)`
		args = append(args, q.CCode, q.CCode)
	}
	query += ` ORDER BY ` + periodKey + `, ccode_a, ccode_b`
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("similarities: %w", err)
	}
	defer rows.Close()
	var out []entente.Similarity
	var v [entente.NumSimilarityMetrics]sql.NullFloat64
	for rows.Next() {
		var r entente.Similarity
		if err := rows.Scan(&r.Period, &r.A, &r.B, &r.N, &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6]); err != nil {
			return nil, fmt.Errorf("similarities: %w", err)
		}
		for i := range v {
			r.Values[i] = nullFloat(v[i])
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("similarities: %w", err)
	}
	return out, nil
}
