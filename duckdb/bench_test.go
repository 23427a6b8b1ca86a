package duckdb

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/entente/entente"
)

// BenchmarkImport imports 200,000 synthetic votes (1,400 roll calls × 143 states) into
// a new store per iteration.
func BenchmarkImport(b *testing.B) {
	const nRC, nStates = 1400, 143
	ctx := context.Background()
	for b.Loop() {
		b.StopTimer()
		s := openTemp(b)
		b.StartTimer()
		reps, err := s.ImportVotes(ctx, synthetic(nRC, nStates))
		if err != nil {
			b.Fatal(err)
		}
		if reps[0].Imported != nRC*nStates {
			b.Fatalf("imported %d", reps[0].Imported)
		}
		b.StopTimer()
		s.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(nRC*nStates)*float64(b.N)/b.Elapsed().Seconds(), "votes/s")
}

// BenchmarkReimport imports the same 200,000 votes into a store that has them: every
// record is a duplicate.
func BenchmarkReimport(b *testing.B) {
	const nRC, nStates = 1400, 143
	ctx := context.Background()
	s := openTemp(b)
	defer s.Close()
	if _, err := s.ImportVotes(ctx, synthetic(nRC, nStates)); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		reps, err := s.ImportVotes(ctx, synthetic(nRC, nStates))
		if err != nil {
			b.Fatal(err)
		}
		if reps[0].Duplicate != nRC*nStates {
			b.Fatalf("duplicate %d", reps[0].Duplicate)
		}
	}
	b.ReportMetric(float64(nRC*nStates)*float64(b.N)/b.Elapsed().Seconds(), "votes/s")
}

// fullStore is a store the size of the Voeten data: 6,000 roll calls × 143 states,
// 858,000 votes, a tenth of them absent.
func fullStore(b *testing.B) *Store {
	s := openTemp(b)
	start := time.Now()
	if _, err := s.ImportVotes(context.Background(), synthetic(6000, 143)); err != nil {
		b.Fatal(err)
	}
	b.Logf("import of 858,000 votes: %v", time.Since(start))
	return s
}

// BenchmarkBallots loads every cast vote of a store the size of the Voeten data.
func BenchmarkBallots(b *testing.B) {
	s := fullStore(b)
	defer s.Close()
	ctx := context.Background()
	for b.Loop() {
		bs, err := s.Ballots(ctx, entente.BallotQuery{})
		if err != nil {
			b.Fatal(err)
		}
		if len(bs) != 6000 {
			b.Fatalf("%d ballots", len(bs))
		}
	}
}

// BenchmarkReplaceSimilarity replaces 600,000 rows: every dyad of ~190 states for 34
// years, a tenth of the values undefined.
func BenchmarkReplaceSimilarity(b *testing.B) {
	s := openTemp(b)
	defer s.Close()
	var rows []entente.Similarity
	for y := 1990; len(rows) < 600_000; y++ {
		for a := 2; a < 1000; a += 5 {
			for c := a + 5; c < 1000 && len(rows) < 600_000; c += 5 {
				r := entente.Similarity{A: a, B: c, Period: itoa(y), N: 80}
				for i := range r.Values {
					r.Values[i] = float64(a*c%97) / 97
				}
				if (a+c)%10 == 0 {
					r.Values[3] = math.NaN()
				}
				rows = append(rows, r)
			}
		}
	}
	ctx := context.Background()
	for b.Loop() {
		if err := s.ReplaceSimilarity(ctx, "year", rows); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(rows))*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

func itoa(i int) string { return time.Date(i, 1, 1, 0, 0, 0, 0, time.UTC).Format("2006") }
