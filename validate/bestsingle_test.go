package validate

import (
	"math"
	"testing"
)

func TestBestSingle(t *testing.T) {
	set := &LabelSet{Name: "s", Labels: []Label{{State: "A", Group: With}, {State: "B", Group: With}, {State: "C", Group: Against}, {State: "D", Group: Against}}}
	rep := &Report{
		Scorers: []string{"index", "wide", "narrow", "none"},
		Tests: []TestResult{{Set: set, Results: []AUCResult{
			{AUC: 0.8, With: 2, Against: 2},
			{AUC: 0.75, With: 2, Against: 1},       // scores 3 of 4: counts
			{AUC: 1, With: 1, Against: 0},          // scores 1 of 4: too few to count
			{AUC: math.NaN(), With: 0, Against: 0}, // no AUC
		}}},
	}
	best, name := rep.BestSingle(0)
	if best != 0.75 || name != "wide" {
		t.Fatalf("BestSingle = %v, %q; want 0.75, wide (the narrow signal scores under half the labelled states)", best, name)
	}
	if !rep.AtLeastBestSingle(0) {
		t.Error("index 0.8 against best single 0.75: want at least")
	}
	rep.Tests[0].Results[0].AUC = 0.7
	if rep.AtLeastBestSingle(0) {
		t.Error("index 0.7 against best single 0.75: want below")
	}
	// No single signal qualifies: the index is not below any.
	rep.Tests[0].Results[1].With = 0 // now 1 of 4
	if b, n := rep.BestSingle(0); !math.IsNaN(b) || n != "" || !rep.AtLeastBestSingle(0) {
		t.Errorf("no qualifying signal: BestSingle = %v, %q, at least %v; want NaN, \"\", true", b, n, rep.AtLeastBestSingle(0))
	}
}
