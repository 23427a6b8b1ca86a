package clickhouse

import (
	"context"
	"fmt"
	"testing"

	"github.com/entente/entente"
)

// stampVotes writes n votes of roll call rc (a new one each call) as one vote import.
func stampVotes(rc string, n int) func(entente.VoteWriter) error {
	return func(w entente.VoteWriter) error {
		if err := w.StartFile(entente.ImportFile{Source: entente.SourceVoeten, Path: "v" + rc + ".csv", SHA256: fmt.Sprintf("%064s", rc), Size: 1}); err != nil {
			return err
		}
		r := entente.RollCall{Source: entente.SourceVoeten, ID: rc, Session: 5, Date: entente.Day(1950, 1, 2)}
		for c := range n {
			if err := w.ImpliedRollCall(r); err != nil {
				return err
			}
			if err := w.Vote(entente.Vote{Source: r.Source, RollCallID: r.ID, CCode: 2 + c*5, ISO3: "XAA",
				Value: entente.VoteValue(1 + c%3), Line: c + 2}); err != nil {
				return err
			}
		}
		return w.FinishFile(int64(n), nil)
	}
}

// TestSimilarityStamp: committed vote imports that add records move the votes'
// generation; a stamped replacement records the generation it was built from, an
// unstamped one (an older entente's) leaves the current version without a stamp.
func TestSimilarityStamp(t *testing.T) {
	ctx := context.Background()
	s := openStore(t, singleAddr, false)
	defer s.Close()
	stamp := func() (int64, int64, bool) {
		t.Helper()
		v, b, st, err := s.SimilarityStamp(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return v, b, st
	}
	if v, _, st := stamp(); v != 0 || st {
		t.Fatalf("new store: votes generation %d, stamped %v; want 0, false", v, st)
	}
	if _, err := s.ImportVotes(ctx, stampVotes("1", 10)); err != nil {
		t.Fatal(err)
	}
	g1, _, st := stamp()
	if g1 == 0 || st {
		t.Fatalf("after a vote import: votes generation %d, stamped %v; want > 0, false", g1, st)
	}
	rows := []entente.Similarity{{A: 2, B: 7, Period: "1950", N: 1}}
	if err := s.ReplaceSimilarityFrom(ctx, "year", rows, g1); err != nil {
		t.Fatal(err)
	}
	if v, b, st := stamp(); v != g1 || b != g1 || !st {
		t.Fatalf("after a stamped replacement: %d, %d, %v; want %d, %d, true", v, b, st, g1, g1)
	}
	if _, err := s.ImportVotes(ctx, stampVotes("1", 10)); err != nil {
		t.Fatal(err)
	}
	if v, _, _ := stamp(); v != g1 {
		t.Errorf("a vote import that added nothing moved the generation from %d to %d", g1, v)
	}
	if _, err := s.ImportVotes(ctx, stampVotes("2", 10)); err != nil {
		t.Fatal(err)
	}
	g2, b, _ := stamp()
	if g2 <= g1 || b != g1 {
		t.Errorf("after new votes: generation %d (was %d), built from %d; want a newer generation, built from %d", g2, g1, b, g1)
	}
	if err := s.ReplaceSimilarity(ctx, "year", rows); err != nil {
		t.Fatal(err)
	}
	if _, _, st := stamp(); st {
		t.Errorf("an unstamped replacement left the current version stamped")
	}
	if err := s.ReplaceSimilarityFrom(ctx, "year", rows, g2); err != nil {
		t.Fatal(err)
	}
	if v, b, st := stamp(); v != g2 || b != g2 || !st {
		t.Errorf("after the rebuild: %d, %d, %v; want %d, %d, true", v, b, st, g2, g2)
	}
}
