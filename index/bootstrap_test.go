package index

import (
	"math"
	"slices"
	"testing"

	"github.com/entente/entente"
)

// ledgerOnly returns a frame and a dyad whose only evidence is ledger items with the
// given signed weights: every other signal is unavailable.
func ledgerOnly(s ...float64) (*frame, *dyad) {
	fr := &frame{focal: entente.Country{ID: "AAA"}, at: entente.Day(2024, 1, 1)}
	d := &dyad{other: entente.Country{ID: "BBB"}, alliance: math.NaN(), blocs: math.NaN()}
	for _, v := range s {
		d.ledger = append(d.ledger, ledgerItem{s: v})
	}
	d.n[kLedger] = len(s)
	return fr, d
}

func TestBootstrap(t *testing.T) {
	e := &Engine{cfg: bootConfig()}
	fr, d := ledgerOnly(2, 1, -0.5, 1.5)
	point, _ := e.values(fr, d, nil)
	if want := 4.0 / 5.0; math.Abs(point[kLedger]-want) > 1e-12 {
		t.Fatalf("point ledger value %v, want %v", point[kLedger], want)
	}
	reps := e.bootstrap(fr, d, point)
	if len(reps) != e.cfg.Replicates {
		t.Fatalf("%d replicates, want %d", len(reps), e.cfg.Replicates)
	}
	// With one signal the score is its value: a resample's balance Σs/Σ|s| of four
	// items drawn from the four, which lies in [−1, 1] and is 1 only without the hostile
	// item.
	distinct := map[float64]bool{}
	for _, r := range reps {
		if r < -1 || r > 1 || math.IsNaN(r) {
			t.Fatalf("replicate %v outside [−1, 1]", r)
		}
		distinct[r] = true
	}
	if len(distinct) < 5 {
		t.Errorf("only %d distinct replicates of 200: the draws do not vary", len(distinct))
	}
	// The draws depend only on the seed, the dyad and the date.
	if again := e.bootstrap(fr, d, point); !slices.Equal(again, reps) {
		t.Errorf("a second run draws differently")
	}
	other := &Engine{cfg: bootConfig()}
	other.cfg.Seed = 2
	if slices.Equal(other.bootstrap(fr, d, point), reps) {
		t.Errorf("another seed draws the same replicates")
	}
	fr2 := *fr
	fr2.at = fr.at.AddDate(0, 1, 0)
	if slices.Equal(e.bootstrap(&fr2, d, point), reps) {
		t.Errorf("another date draws the same replicates")
	}
	lo, hi := interval(reps, e.cfg.Level)
	if !(lo <= point[kLedger] && point[kLedger] <= hi && lo < hi) {
		t.Errorf("interval [%v, %v] does not hold the point %v", lo, hi, point[kLedger])
	}
}

// TestBootstrapAgreeingEvidence: evidence all of one sign leaves no doubt about the
// value, so every replicate is the point value.
func TestBootstrapAgreeingEvidence(t *testing.T) {
	e := &Engine{cfg: bootConfig()}
	fr, d := ledgerOnly(1, 3, 0.5)
	point, _ := e.values(fr, d, nil)
	for i, r := range e.bootstrap(fr, d, point) {
		if r != 1 {
			t.Fatalf("replicate %d = %v, want 1", i, r)
		}
	}
}

// TestBootstrapUndefinedDraw: a draw that leaves a signal undefined (here only the
// zero-weight item drawn) keeps the signal's point value instead of dropping it.
func TestBootstrapUndefinedDraw(t *testing.T) {
	e := &Engine{cfg: bootConfig()}
	e.cfg.Replicates = 2000
	fr, d := ledgerOnly(0, -1)
	point, _ := e.values(fr, d, nil)
	for i, r := range e.bootstrap(fr, d, point) {
		if math.IsNaN(r) || r != -1 {
			t.Fatalf("replicate %d = %v, want −1 (the point value, also for the draw {0, 0})", i, r)
		}
	}
}

func TestInterval(t *testing.T) {
	reps := make([]float64, 101)
	for i := range reps {
		reps[100-i] = float64(i) // unsorted on purpose
	}
	lo, hi := interval(reps, 0.9)
	if math.Abs(lo-5) > 1e-9 || math.Abs(hi-95) > 1e-9 {
		t.Errorf("interval of 0..100 at 0.9 = [%v, %v], want [5, 95]", lo, hi)
	}
	if lo, hi := interval(nil, 0.9); !math.IsNaN(lo) || !math.IsNaN(hi) {
		t.Errorf("interval of nothing = [%v, %v], want NaN", lo, hi)
	}
}

// bootConfig is the default configuration without min_evidence, so that these tests of
// the resampling see the combination's balance itself.
func bootConfig() Config {
	c := DefaultConfig()
	c.MinEvidence = 0
	return c
}
