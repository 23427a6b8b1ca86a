package signal

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/entente/entente"
)

func TestAppendFixed(t *testing.T) {
	for _, tt := range []struct {
		v    float64
		want string
	}{
		{0, "0.000000"},
		{1, "1.000000"},
		{-1, "-1.000000"},
		{0.75, "0.750000"},
		{-0.0625, "-0.062500"},
		{33.0 / 49, "0.673469"},
		{-1e-9, "0.000000"},
		{0.0000015, "0.000002"},
		{123456.5, "123456.500000"},
		{2e9, "2000000000.000000"},
		{-1e-7 / 2, "0.000000"},
		{math.NaN(), ""},
	} {
		if got := string(AppendFixed(nil, tt.v)); got != tt.want {
			t.Errorf("AppendFixed(%v) = %q, want %q", tt.v, got, tt.want)
		}
	}
}

// TestAppendFixedMatchesStrconv checks the fast path against strconv on ratios of small
// integers, which is what the metrics are.
func TestAppendFixedMatchesStrconv(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 200000; i++ {
		den := r.Int64N(100000) + 1
		num := r.Int64N(2*den+1) - den
		v := float64(num) / float64(den)
		want := strconv.FormatFloat(v, 'f', Decimals, 64)
		if want == "-0.000000" {
			want = "0.000000"
		}
		if got := string(AppendFixed(nil, v)); got != want {
			t.Fatalf("AppendFixed(%d/%d) = %s, strconv %s", num, den, got, want)
		}
	}
}

func TestWriteCSV(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	var rows []entente.Similarity
	for p := 1946; p < 1950; p++ {
		for a := 1; a < 120; a++ {
			for b := a + 1; b < 120; b += 7 {
				s := entente.Similarity{A: a, B: b, Period: strconv.Itoa(p), N: r.IntN(90) + 1}
				for k := range s.Values {
					s.Values[k] = r.Float64()*2 - 1
				}
				s.Values[3] = entente.Undefined
				rows = append(rows, s)
			}
		}
	}
	label := func(cc int, period string) string {
		if cc == 7 {
			return `X,"Y"` // a label that needs quoting
		}
		return fmt.Sprintf("S%d-%s", cc, period)
	}
	metrics := []int{0, 3, 4}
	for _, workers := range []int{1, 2, 5} {
		var buf bytes.Buffer
		if err := WriteCSV(&buf, rows, metrics, label, workers); err != nil {
			t.Fatal(err)
		}
		recs, err := csv.NewReader(&buf).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if got, want := strings.Join(recs[0], ","), CSVHeader(metrics); got != want {
			t.Fatalf("header %q, want %q", got, want)
		}
		if len(recs)-1 != len(rows) {
			t.Fatalf("workers %d: %d rows, want %d", workers, len(recs)-1, len(rows))
		}
		for i, s := range rows {
			rec := recs[i+1]
			want := []string{label(s.A, s.Period), label(s.B, s.Period), strconv.Itoa(s.A), strconv.Itoa(s.B), s.Period, strconv.Itoa(s.N),
				string(AppendFloat(nil, s.Values[0])), "", string(AppendFloat(nil, s.Values[4]))}
			if strings.Join(rec, "|") != strings.Join(want, "|") {
				t.Fatalf("workers %d row %d: %q, want %q", workers, i, rec, want)
			}
		}
	}
}

func BenchmarkAppendFixed(b *testing.B) {
	buf := make([]byte, 0, 32)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		buf = AppendFixed(buf[:0], float64(i%1000)/997)
	}
}

func BenchmarkStrconvFixed(b *testing.B) {
	buf := make([]byte, 0, 32)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		buf = strconv.AppendFloat(buf[:0], float64(i%1000)/997, 'f', Decimals, 64)
	}
}

// TestWriteAllPairsCSV checks the streaming path against WriteCSV over AllPairs.
func TestWriteAllPairsCSV(t *testing.T) {
	pool := []int16{2, 20, 31, 40, 200, 220, 255, 365, 390, 710, 750, 900, 990}
	rng := rand.New(rand.NewPCG(5, 6))
	ballots := randomBallots(rng, 900, 1950, 6, pool)
	label := func(cc int, period string) string { return fmt.Sprintf("L%d/%s", cc, period) }
	for name, period := range map[string]Period{"year": ByYear(), "month": ByMonth(), "session": BySession()} {
		for _, workers := range []int{1, 2, 3} {
			var want, got bytes.Buffer
			if err := WriteCSV(&want, AllPairs(ballots, period, workers), []int{0, 1, 2, 3, 4, 5, 6}, label, workers); err != nil {
				t.Fatal(err)
			}
			if err := WriteAllPairsCSV(&got, ballots, period, []int{0, 1, 2, 3, 4, 5, 6}, label, workers); err != nil {
				t.Fatal(err)
			}
			if want.Len() < 1000 || got.String() != want.String() {
				t.Fatalf("%s, %d workers: streamed CSV (%d bytes) differs from WriteCSV (%d bytes)", name, workers, got.Len(), want.Len())
			}
		}
	}
	var empty bytes.Buffer
	if err := WriteAllPairsCSV(&empty, nil, ByYear(), []int{4}, nil, 2); err != nil || empty.String() != CSVHeader([]int{4})+"\n" {
		t.Fatalf("no ballots: %q, %v", empty.String(), err)
	}
}

func TestAppendInt(t *testing.T) {
	for _, n := range []int{0, 7, 10, 42, 99, 100, 365, 999, 1000, 4096, 9999, 10000, 123456, -5} {
		if got, want := string(appendInt(nil, n)), strconv.Itoa(n); got != want {
			t.Errorf("appendInt(%d) = %q, want %q", n, got, want)
		}
	}
}
