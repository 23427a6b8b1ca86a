package index

import (
	"context"
	"testing"
)

// BenchmarkPanelYear is the panel of 2024 (every focal state × every state, no
// intervals) on the store of $ENTENTE_INDEX_DB; BenchmarkRankStateYear the same scores
// from one RankState per focal state (with its bootstrap), the peer bench/panel/run.sh
// compares it with.
func BenchmarkPanelYear(b *testing.B) {
	e := benchEngine(b)
	ctx := context.Background()
	rows := 0
	for b.Loop() {
		rows = 0
		if err := e.Panel(ctx, PanelQuery{From: 2024, To: 2024}, func(*PanelRow) error { rows++; return nil }); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(rows), "rows/op")
}

func BenchmarkRankStateYear(b *testing.B) {
	e := benchEngine(b)
	ctx := context.Background()
	focals := e.PanelFocals(2024, nil)
	for b.Loop() {
		for _, fc := range focals {
			if _, err := e.RankState(ctx, fc, PanelAt(2024)); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(len(focals)), "focal-states/op")
}
