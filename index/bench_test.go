package index

import (
	"context"
	"os"
	"testing"

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
