package main

import (
	"strings"
	"testing"
)

// TestRankCoverageNote checks rank's coverage note against hand counts of indexFacts:
// 2024 holds 10 + 6 + 8 = 24 roll calls (the last of them on 2024-06-08, the scenario
// spreads a batch over days) and one act of Russia's (2024-06-19); signals without data
// say so, and a date past the last data is flagged rather than ranked silently.
func TestRankCoverageNote(t *testing.T) {
	db := indexDB(t)
	r := mustRun(t, db, "rank", "RUS", "--at", "2024")
	if want := "coverage: unvotes 2023-02-01..2024-06-08, 24 roll calls in window"; !strings.Contains(r.stderr, want) {
		t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
	}
	if !strings.Contains(r.stderr, "events none stored") || !strings.Contains(r.stderr, "ledger 2023-03-01..2024-06-19, 1 acts in window") {
		t.Errorf("coverage note of events or ledger:\n%s", r.stderr)
	}
	late := mustRun(t, db, "rank", "RUS", "--at", "2030")
	if !strings.Contains(late.stderr, "0 roll calls in window (the window lies after the last data (2024-06-08): unknown, not a change)") {
		t.Errorf("rank --at 2030 does not flag the window past the data:\n%s", late.stderr)
	}
	t.Logf("rank RUS --at 2030 notes:\n%s", late.stderr)
}
