package index

import (
	"context"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/entente/entente"
	"github.com/entente/entente/bloc"
	"github.com/entente/entente/country"
	"github.com/entente/entente/duckdb"
)

// benchEngine opens the store named by $ENTENTE_INDEX_DB: a store with all the real
// data imported (bench/index/run.sh builds one).
func benchEngine(b *testing.B) *Engine {
	b.Helper()
	path := os.Getenv("ENTENTE_INDEX_DB")
	if path == "" {
		b.Skip("set ENTENTE_INDEX_DB to a store with the real data imported (bench/index/run.sh builds one)")
	}
	if _, err := os.Stat(path); err != nil {
		b.Skipf("ENTENTE_INDEX_DB: %v", err)
	}
	st, err := duckdb.Open(context.Background(), path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	return New(st, country.Default(), bloc.Default(), DefaultConfig())
}

// BenchmarkRank ranks every state against Russia over the 12 months to June 2025:
// reading the facts from the store, the lagged scores, the bootstrap (200 replicates).
func BenchmarkRank(b *testing.B) {
	e := benchEngine(b)
	ctx := context.Background()
	at := entente.Day(2025, 7, 1)
	if _, err := e.Rank(ctx, "RUS", at); err != nil { // warm the store's caches
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := e.Rank(ctx, "RUS", at); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDrift computes Russia's yearly series with every state from 2010 to June 2025
// and their change points.
func BenchmarkDrift(b *testing.B) {
	e := benchEngine(b)
	ctx := context.Background()
	from, to := entente.Day(2010, 1, 1), entente.Day(2025, 7, 1)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.Drift(ctx, "RUS", from, to); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRankWarm ranks 20 focal states in turn at one date with an engine that keeps
// its facts (as serve's does) after one warming call each, and reports the p50 and p99
// of the calls' wall times: the "rank warm" figure of docs/index.md.
func BenchmarkRankWarm(b *testing.B) {
	e := benchEngine(b)
	e.KeepFacts()
	ctx := context.Background()
	at := entente.Day(2025, 7, 1)
	focals := []string{"RUS", "USA", "CHN", "IND", "BRA", "DEU", "FRA", "GBR", "JPN", "TUR",
		"IRN", "ISR", "UKR", "POL", "EGY", "NGA", "ZAF", "MEX", "IDN", "KAZ"}
	for _, f := range focals {
		if _, err := e.Rank(ctx, f, at); err != nil {
			b.Fatal(err)
		}
	}
	var times []time.Duration
	b.ReportAllocs()
	b.ResetTimer()
	i := 0
	for b.Loop() {
		t0 := time.Now()
		if _, err := e.Rank(ctx, focals[i%len(focals)], at); err != nil {
			b.Fatal(err)
		}
		times = append(times, time.Since(t0))
		i++
	}
	slices.Sort(times)
	q := func(p float64) float64 {
		return float64(times[min(len(times)-1, int(p*float64(len(times))))].Microseconds()) / 1000
	}
	b.ReportMetric(q(0.5), "p50-ms")
	b.ReportMetric(q(0.99), "p99-ms")
}
