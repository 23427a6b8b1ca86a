package clickhouse

import (
	"context"
	"fmt"
	"strconv"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/entente/entente"
)

// ReplaceSimilarity replaces all stored similarity rows of grouping by. The new rows
// are written under a new version, which one row in similarity_versions then makes
// current: readers see either all old or all new rows. Old versions are deleted
// afterwards (an asynchronous mutation; readers never see them anyway). NaN values
// are stored as NaN.
func (s *Store) ReplaceSimilarity(ctx context.Context, by string, rows []entente.Similarity) error {
	return s.replaceSimilarity(ctx, by, rows, nil)
}

// replaceSimilarity replaces the rows of grouping by; stamp, when not nil, runs after
// the rows are written and before the version is made current.
func (s *Store) replaceSimilarity(ctx context.Context, by string, rows []entente.Similarity, stamp func(version uint64) error) error {
	if err := entente.ValidateSimilarities(by, rows); err != nil {
		return err
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	version := uint64(nowFunc().UnixNano())
	var last uint64
	if err := s.query(ctx, `SELECT max(version) FROM similarity_versions`, nil, func(r driver.Rows) error { return r.Scan(&last) }); err != nil {
		return fmt.Errorf("replace similarity %s: %w", by, err)
	}
	if last >= version {
		version = last + 1
	}
	if err := s.appendSimilarity(ctx, by, version, rows); err != nil {
		return fmt.Errorf("replace similarity %s: %w", by, err)
	}
	if stamp != nil {
		if err := stamp(version); err != nil {
			return fmt.Errorf("replace similarity %s: %w", by, err)
		}
	}
	if err := s.exec(ctx, fmt.Sprintf(`INSERT INTO similarity_versions (grouping, version) SELECT %s, %d`, quote(by), version)); err != nil {
		return fmt.Errorf("replace similarity %s: %w", by, err)
	}
	_ = s.exec(ctx, `ALTER TABLE un_similarity DELETE WHERE grouping = ? AND version < `+strconv.FormatUint(version, 10), by)
	return nil
}

func (s *Store) appendSimilarity(ctx context.Context, by string, version uint64, rows []entente.Similarity) error {
	ctx, cancel := withTimeout(ctx, s.timeout)
	defer cancel()
	for start := 0; start < len(rows); start += stagingBlock {
		b, err := s.conn.PrepareBatch(ctx, `INSERT INTO un_similarity (grouping, version, period, ccode_a, ccode_b, n,
			agree, s_abs, s_sq, pi, kappa, pi_w, kappa_w)`)
		if err != nil {
			return serverError(s.addr, err)
		}
		for _, r := range rows[start:min(start+stagingBlock, len(rows))] {
			v := r.Values
			if err := b.Append(by, version, r.Period, int16(r.A), int16(r.B), int32(r.N), v[0], v[1], v[2], v[3], v[4], v[5], v[6]); err != nil {
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

// Similarities returns stored rows matching q, ordered by period, A, B. Session periods
// order and compare as numbers, others as text.
func (s *Store) Similarities(ctx context.Context, q entente.SimilarityQuery) ([]entente.Similarity, error) {
	key, bound := "period", func(p string) any { return p }
	if q.By == "session" {
		key = "toUInt32OrZero(period)"
		bound = func(p string) any { n, _ := strconv.ParseUint(p, 10, 32); return uint32(n) }
	}
	query := `SELECT period, ccode_a, ccode_b, n, agree, s_abs, s_sq, pi, kappa, pi_w, kappa_w
FROM un_similarity WHERE grouping = ?
    AND version = (SELECT max(version) FROM similarity_versions WHERE grouping = ?)`
	args := []any{q.By, q.By}
	if q.FromPeriod != "" {
		query += ` AND ` + key + ` >= ?`
		args = append(args, bound(q.FromPeriod))
	}
	if q.ToPeriod != "" {
		query += ` AND ` + key + ` <= ?`
		args = append(args, bound(q.ToPeriod))
	}
	if q.CCode != 0 {
		query += fmt.Sprintf(` AND (ccode_a = %d OR ccode_b = %d)`, q.CCode, q.CCode)
	}
	query += ` ORDER BY ` + key + `, ccode_a, ccode_b`
	var out []entente.Similarity
	err := s.query(ctx, query, args, func(r driver.Rows) error {
		var x entente.Similarity
		var a, b int16
		var n int32
		v := &x.Values
		if err := r.Scan(&x.Period, &a, &b, &n, &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6]); err != nil {
			return err
		}
		x.A, x.B, x.N = int(a), int(b), int(n)
		out = append(out, x)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("similarities: %w", err)
	}
	return out, nil
}
