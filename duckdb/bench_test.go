package duckdb

import (
	"bytes"
	"context"
	"encoding/csv"
	"math"
	"os"
	"strconv"
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

// BenchmarkImportVoeten imports the real Voeten file named by $ENTENTE_VOETEN_CSV
// (voeten_votes_1946_2024.csv: resid, ccode, date, year, vote), parsed here with
// encoding/csv and without state resolution, to time the store alone on real keys.
func BenchmarkImportVoeten(b *testing.B) {
	path := os.Getenv("ENTENTE_VOETEN_CSV")
	if path == "" {
		b.Skip("set ENTENTE_VOETEN_CSV to the Voeten votes file")
	}
	data, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		b.Fatal(err)
	}
	recs = recs[1:]
	fill := func(w entente.VoteWriter) error {
		if err := w.StartFile(entente.ImportFile{Source: entente.SourceVoeten, Path: path, SHA256: "voeten", Size: int64(len(data))}); err != nil {
			return err
		}
		for i, r := range recs {
			ccode, _ := strconv.Atoi(r[1])
			v, _ := strconv.Atoi(r[4])
			d, err := entente.ParseDay(r[2])
			if err != nil {
				return err
			}
			if err := w.ImpliedRollCall(entente.RollCall{Source: entente.SourceVoeten, ID: r[0], Date: d}); err != nil {
				return err
			}
			if err := w.Vote(entente.Vote{Source: entente.SourceVoeten, RollCallID: r[0], CCode: ccode, Value: entente.VoteValue(v), Line: i + 2}); err != nil {
				return err
			}
		}
		return w.FinishFile(int64(len(recs)), nil)
	}
	ctx := context.Background()
	var s *Store
	for b.Loop() {
		b.StopTimer()
		if s != nil {
			s.Close()
		}
		s = openTemp(b)
		b.StartTimer()
		reps, err := s.ImportVotes(ctx, fill)
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		if reps[0].Imported != int64(len(recs)) {
			b.Logf("imported %d of %d, duplicate %d", reps[0].Imported, len(recs), reps[0].Duplicate)
		}
		b.StartTimer()
	}
	b.ReportMetric(float64(len(recs))*float64(b.N)/b.Elapsed().Seconds(), "votes/s")
	b.StopTimer()
	start := time.Now()
	bs, err := s.Ballots(ctx, entente.BallotQuery{})
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("%d votes; Ballots: %d roll calls in %v", len(recs), len(bs), time.Since(start))
	s.Close()
}
