package main

import (
	"strings"
	"testing"
)

// TestRankCoverageNote checks rank's coverage note against hand counts of indexFacts:
// 2024 holds 10 + 6 + 8 = 24 roll calls (the last of them on 2024-06-08, the scenario
// spreads a batch over days) and one act of Russia's (2024-06-19); signals without data
// say so, a window past the last roll call is flagged, and a date past all the data is
// refused (exit 2) rather than ranked silently.
func TestRankCoverageNote(t *testing.T) {
	db := indexDB(t)
	r := mustRun(t, db, "rank", "RUS", "--at", "2024")
	if want := "coverage: unvotes 2023-02-01..2024-06-08, 24 roll calls in window"; !strings.Contains(r.stderr, want) {
		t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
	}
	if !strings.Contains(r.stderr, "events none stored") || !strings.Contains(r.stderr, "ledger 2023-03-01..2024-06-19, 1 acts in window") {
		t.Errorf("coverage note of events or ledger:\n%s", r.stderr)
	}
	// A window that starts after the last roll call but holds a ledger act (2024-09-01)
	// is ranked, with the UN record's end flagged.
	part := mustRun(t, db, "rank", "RUS", "--at", "2025-06")
	if !strings.Contains(part.stderr, "0 roll calls in window (the window lies after the last data (2024-06-08): unknown, not a change)") {
		t.Errorf("rank --at 2025-06 does not flag the window past the UN data:\n%s", part.stderr)
	}
	// A window after all the data is refused, the same in rank, explain and drift.
	msg := "2030-01-01..2030-12-31 lies after the data: the store's last UN roll call is of 2024-06-08 and no event, aid or ledger act is dated from 2030-01-01 on"
	wantExit(t, db, 2, []string{msg}, "rank", "RUS", "--at", "2030")
	wantExit(t, db, 2, []string{msg}, "rank", "RUS", "--at", "2030", "--format", "json")
	wantExit(t, db, 2, []string{msg}, "explain", "RUS", "BLR", "--at", "2030")
	wantExit(t, db, 2, []string{msg}, "drift", "RUS", "--since", "2023", "--until", "2030")
}
