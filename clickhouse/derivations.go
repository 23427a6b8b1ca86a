package clickhouse

import (
	"context"
	"fmt"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/entente/entente"
)

// voteGenerationSQL is the generation of the stored votes: the id of the last committed
// import that added any vote, roll call or issue (0: none).
const voteGenerationSQL = `SELECT max(id) FROM imports
WHERE id IN (SELECT id FROM commits) AND source IN ('voeten', 'unvotes', 'undl') AND imported > 0`

// SimilarityStamp returns the generation of the stored votes (0: none) and the one the
// current yearly similarity rows were built from; stamped is false when they carry no
// stamp (never built, or built by an entente before migration 0006).
func (s *Store) SimilarityStamp(ctx context.Context) (votes, built int64, stamped bool, err error) {
	var g uint64
	if err := s.query(ctx, voteGenerationSQL, nil, func(r driver.Rows) error { return r.Scan(&g) }); err != nil {
		return 0, 0, false, fmt.Errorf("similarity stamp: %w", err)
	}
	var n, b uint64
	err = s.query(ctx, `SELECT count(), max(built_from) FROM similarity_stamps
		WHERE grouping = 'year' AND version = (SELECT max(version) FROM similarity_versions WHERE grouping = 'year')`,
		nil, func(r driver.Rows) error { return r.Scan(&n, &b) })
	if err != nil {
		return 0, 0, false, fmt.Errorf("similarity stamp: %w", err)
	}
	return int64(g), int64(b), n > 0, nil
}

// ReplaceSimilarityFrom is ReplaceSimilarity stamping the new version as built from
// generation gen of the votes (SimilarityStamp): the stamp row goes in before the row
// that makes the version current.
func (s *Store) ReplaceSimilarityFrom(ctx context.Context, by string, rows []entente.Similarity, gen int64) error {
	return s.replaceSimilarity(ctx, by, rows, func(version uint64) error {
		return s.exec(ctx, fmt.Sprintf(`INSERT INTO similarity_stamps (grouping, version, built_from) SELECT %s, %d, %d`,
			quote(by), version, gen))
	})
}
