package duckdb

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/entente/entente"
)

// undlVotes fills a vote import with n votes of one roll call of the UN Digital Library.
func undlVotes(n int) func(entente.VoteWriter) error {
	return func(w entente.VoteWriter) error {
		if err := w.StartFile(entente.ImportFile{Source: entente.SourceUNDL, Path: "undl.csv", SHA256: "u1", Size: 1}); err != nil {
			return err
		}
		rc := entente.RollCall{Source: entente.SourceUNDL, ID: "A/RES/1", Session: 80, Date: entente.Day(2025, 3, 1)}
		for c := range n {
			if err := w.ImpliedRollCall(rc); err != nil {
				return err
			}
			if err := w.Vote(entente.Vote{Source: rc.Source, RollCallID: rc.ID, CCode: 2 + c*5, ISO3: "XAA",
				Value: entente.VoteValue(1 + c%3), Line: c + 2}); err != nil {
				return err
			}
		}
		return w.FinishFile(int64(n), nil)
	}
}

// sameVoteCounts fails the test unless VoteCoverage counts, per source, the rows of the
// votes table.
func sameVoteCounts(t *testing.T, s *Store, when string, want map[string]int64) {
	t.Helper()
	ctx := context.Background()
	rows, err := s.db.QueryContext(ctx, `SELECT source, count(*) FROM votes GROUP BY source`)
	if err != nil {
		t.Fatal(err)
	}
	counted := map[string]int64{}
	for rows.Next() {
		var src string
		var n int64
		if err := rows.Scan(&src, &n); err != nil {
			t.Fatal(err)
		}
		counted[src] = n
	}
	rows.Close()
	cov, err := s.VoteCoverage(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int64{}
	for _, c := range cov {
		got[c.Source] = c.Votes
	}
	for src, n := range want {
		if counted[src] != n {
			t.Fatalf("%s: %d %s vote rows stored; the test wants %d", when, counted[src], src, n)
		}
	}
	if len(got) != len(counted) {
		t.Errorf("%s: VoteCoverage has %d sources, the votes table %d", when, len(got), len(counted))
	}
	for src, n := range counted {
		if got[src] != n {
			t.Errorf("%s: VoteCoverage counts %d %s votes; the votes table holds %d", when, got[src], src, n)
		}
	}
}

// TestVoteCounts: the vote counts VoteCoverage reports (vote_counts, kept at import)
// follow every vote import, per source, and a store written before migration 0009 gets
// them counted when it is opened for writing.
func TestVoteCounts(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "v.duckdb")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	sameVoteCounts(t, s, "new store", nil)
	for _, step := range []struct {
		what string
		fill func(entente.VoteWriter) error
		want map[string]int64
	}{
		{"first import", synthetic(10, 20), map[string]int64{"voeten": 200}},
		{"overlapping import", syntheticFrom(5, 10, 20, nil), map[string]int64{"voeten": 300}},
		{"same import again", syntheticFrom(5, 10, 20, nil), map[string]int64{"voeten": 300}},
		{"another source", undlVotes(7), map[string]int64{"voeten": 300, "undl": 7}},
	} {
		if _, err := s.ImportVotes(ctx, step.fill); err != nil {
			t.Fatal(err)
		}
		sameVoteCounts(t, s, step.what, step.want)
	}
	// Back to schema 8, as an older entente left it: no vote_counts.
	for _, q := range []string{`DROP TABLE vote_counts`, `DELETE FROM schema_migrations WHERE version >= 9`} {
		if _, err := s.db.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()
	s, err = Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	sameVoteCounts(t, s, "migrated store", map[string]int64{"voeten": 300, "undl": 7})
	if _, err := s.ImportVotes(ctx, syntheticFrom(100, 2, 20, nil)); err != nil {
		t.Fatal(err)
	}
	sameVoteCounts(t, s, "import into the migrated store", map[string]int64{"voeten": 340, "undl": 7})
}
