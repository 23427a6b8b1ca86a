package duckdb

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/entente/entente"
)

// stamp reads the similarity stamp, failing the test on error.
func stamp(t *testing.T, s *Store) (votes, built int64, stamped bool) {
	t.Helper()
	votes, built, stamped, err := s.SimilarityStamp(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return votes, built, stamped
}

func simRows(n int) []entente.Similarity {
	rows := make([]entente.Similarity, n)
	for i := range rows {
		rows[i] = entente.Similarity{A: 2, B: 3 + i, Period: "1950", N: 4}
		rows[i].Values[0] = 0.5
	}
	return rows
}

// TestSimilarityStamp: vote imports that add records move the votes' generation, those
// that add nothing and other imports do not; a stamped replacement records the
// generation in its own transaction, a failed one leaves the old stamp.
func TestSimilarityStamp(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	if v, _, st := stamp(t, s); v != 0 || st {
		t.Fatalf("new store: votes generation %d, stamped %v; want 0, false", v, st)
	}
	if _, err := s.ImportVotes(ctx, synthetic(10, 20)); err != nil {
		t.Fatal(err)
	}
	g1, _, st := stamp(t, s)
	if g1 == 0 || st {
		t.Fatalf("after a vote import: votes generation %d, stamped %v; want > 0, false", g1, st)
	}
	if err := s.ReplaceSimilarityFrom(ctx, "year", simRows(3), g1); err != nil {
		t.Fatal(err)
	}
	if v, b, st := stamp(t, s); v != g1 || b != g1 || !st {
		t.Fatalf("after a stamped replacement: %d, %d, %v; want %d, %d, true", v, b, st, g1, g1)
	}
	// The same votes again add nothing: the generation stays.
	if _, err := s.ImportVotes(ctx, synthetic(10, 20)); err != nil {
		t.Fatal(err)
	}
	if v, _, _ := stamp(t, s); v != g1 {
		t.Errorf("a vote import that added nothing moved the generation from %d to %d", g1, v)
	}
	// Ties are not votes.
	if _, err := s.ImportTies(ctx, func(w entente.TieWriter) error {
		if err := w.StartFile(entente.ImportFile{Source: entente.SourceATOP, Path: "a.csv", SHA256: "ab", Size: 1}); err != nil {
			return err
		}
		if err := w.Alliance(entente.AllianceTie{A: 2, B: 20, Year: 1990, Defense: true, Line: 2}); err != nil {
			return err
		}
		return w.FinishFile(1, nil)
	}); err != nil {
		t.Fatal(err)
	}
	if v, _, _ := stamp(t, s); v != g1 {
		t.Errorf("a ties import moved the votes generation from %d to %d", g1, v)
	}
	// New votes make the stored rows out of date.
	if _, err := s.ImportVotes(ctx, syntheticFrom(1000, 2, 20, nil)); err != nil {
		t.Fatal(err)
	}
	g2, b, _ := stamp(t, s)
	if g2 == g1 || b != g1 {
		t.Fatalf("after new votes: generation %d (was %d), built from %d; want a new generation, built from %d", g2, g1, b, g1)
	}
	// A failed replacement (a bad row) keeps the old rows and the old stamp.
	bad := append(simRows(2), entente.Similarity{A: 5, B: 4, Period: "1950"})
	if err := s.ReplaceSimilarityFrom(ctx, "year", bad, g2); err == nil {
		t.Fatal("a replacement with a bad row succeeded")
	}
	if _, b, _ := stamp(t, s); b != g1 {
		t.Errorf("a failed replacement moved the stamp to %d", b)
	}
	// An unstamped replacement (the store contract's) leaves the stamp alone.
	if err := s.ReplaceSimilarity(ctx, "year", simRows(1)); err != nil {
		t.Fatal(err)
	}
	if _, b, _ := stamp(t, s); b != g1 {
		t.Errorf("an unstamped replacement moved the stamp to %d", b)
	}
	if err := s.ReplaceSimilarityFrom(ctx, "year", simRows(5), g2); err != nil {
		t.Fatal(err)
	}
	if v, b, st := stamp(t, s); v != g2 || b != g2 || !st {
		t.Errorf("after the rebuild: %d, %d, %v; want %d, %d, true", v, b, st, g2, g2)
	}
	got, err := s.Similarities(ctx, entente.SimilarityQuery{By: "year"})
	if err != nil || len(got) != 5 {
		t.Errorf("after the rebuild: %d rows, %v; want 5", len(got), err)
	}
}

// TestMigrationStampsOldStore: a store written before migration 0007 gets its votes'
// generation from its imports and no stamp, so the next import rebuilds its stored
// similarities once.
func TestMigrationStampsOldStore(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.duckdb")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.ImportVotes(ctx, synthetic(5, 10)); err != nil {
		t.Fatal(err)
	}
	// Back to schema 6, as an older entente left it.
	for _, q := range []string{`DROP TABLE fact_generations`, `DROP TABLE derivations`, `DELETE FROM schema_migrations WHERE version >= 7`} {
		if _, err := s.db.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	var id int64
	if err := s.db.QueryRowContext(ctx, `SELECT max(id) FROM imports`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err = Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if v, _, st := stamp(t, s); v != id || st {
		t.Errorf("migrated store: votes generation %d, stamped %v; want %d (the last vote import), false", v, st, id)
	}
}
