package duckdb

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/entente/entente"
)

// Generations and build stamps (migration 0007, docs/reliability.md). Every import
// that adds facts sets, in its commit transaction, the generation of their kind to its
// import id. Data derived from the facts outside that transaction (the stored UN
// similarity, which the engine computes after the votes are committed) is stamped, in
// its own replacement's transaction, with the generation it was built from. Comparing
// the two tells, after any interruption, whether the derivation is current.

// The kinds of facts of fact_generations.
const (
	factsVotes       = "votes"
	factsEvents      = "events"
	factsTies        = "ties"
	factsForce       = "force"
	factsIdealPoints = "ideal_points"
)

// similarityDerivation names the stamp of the stored similarity rows of grouping by.
func similarityDerivation(by string) string { return "un_similarity/" + by }

// bumpGeneration sets, in the commit transaction of import id, the generation of facts
// to id when the import added any record.
func bumpGeneration(x driverConn, facts string, id int64, reports []entente.ImportReport) error {
	if facts == "" {
		return nil
	}
	var added int64
	for _, r := range reports {
		added += r.Imported
	}
	if added == 0 {
		return nil
	}
	return x.exec(`INSERT OR REPLACE INTO fact_generations (facts, generation, changed_at) VALUES (?, ?, ?)`,
		facts, id, nowFunc().UTC())
}

// SimilarityStamp returns the generation of the stored votes (0: none imported) and
// the one the stored yearly similarity rows were built from; stamped is false when
// they carry no stamp (never built, or built by an entente before migration 0007).
// They are out of date when stamped is false and votes > 0, or built != votes.
func (s *Store) SimilarityStamp(ctx context.Context) (votes, built int64, stamped bool, err error) {
	var g, b sql.NullInt64
	err = s.db.QueryRowContext(ctx, `SELECT
		(SELECT generation FROM fact_generations WHERE facts = ?),
		(SELECT generation FROM derivations WHERE name = ?)`, factsVotes, similarityDerivation("year")).Scan(&g, &b)
	if err != nil {
		return 0, 0, false, fmt.Errorf("similarity stamp: %w", err)
	}
	return g.Int64, b.Int64, b.Valid, nil
}

// ReplaceSimilarityFrom is ReplaceSimilarity that also stamps, in the same
// transaction, the rows as built from generation gen of the votes (SimilarityStamp).
func (s *Store) ReplaceSimilarityFrom(ctx context.Context, by string, rows []entente.Similarity, gen int64) error {
	return s.replaceSimilarity(ctx, by, rows, func(x driverConn) error {
		return x.exec(`INSERT OR REPLACE INTO derivations (name, facts, generation, built_at, n_rows) VALUES (?, ?, ?, ?, ?)`,
			similarityDerivation(by), factsVotes, gen, nowFunc().UTC(), int64(len(rows)))
	})
}
