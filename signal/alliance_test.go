package signal

import (
	"math"
	"math/rand/v2"
	"testing"
)

func closeTo(a, b float64) bool { return math.Abs(a-b) < 1e-12 }

// handYear is the four-state system of the hand computation below (COW numbers 1-4 as
// A-D), ties symmetric: A-B 3, A-C 1, A-D 0, B-C 0, B-D 2, C-D 0.
func handYear(t *testing.T) *AllianceYear {
	y := NewAllianceYear(2000, []int{4, 3, 2, 1, 2})
	for _, e := range [][3]int{{1, 2, 3}, {1, 3, 1}, {1, 4, 0}, {2, 3, 0}, {2, 4, 2}, {3, 4, 0}} {
		for _, d := range [][2]int{{e[0], e[1]}, {e[1], e[0]}} {
			if err := y.Set(d[0], d[1], uint8(e[2])); err != nil {
				t.Fatal(err)
			}
		}
	}
	return y
}

// TestAllianceHandComputed checks the dyad A-B. Portfolios over (A, B, C, D), self-ties
// MaxTie: A = (3, 3, 1, 0), B = (3, 3, 0, 2). N = 4, d_max = 3.
//
//	differences 0, 0, 1, -2: Σ|d| = 3, Σd² = 5
//	S_abs = 1 - 2·3/(4·3) = 0.5;  S_sq = 1 - 2·5/(4·9) = 26/36
//	p_o = 2/4 (A and B agree on A and B)
//	shares A: 3→.5, 1→.25, 0→.25;  B: 3→.5, 0→.25, 2→.25
//	Cohen p_e = .5·.5 + .25·.25 = .3125;  kappa = (.5 - .3125)/.6875 = 3/11
//	Scott pooled: 3→.5, 1→.125, 0→.25, 2→.125; p_e = .25 + .015625 + .0625 + .015625 = .34375
//	      pi = .15625/.65625 = 5/21
//	D_o = 5/4.  Cohen D_e = Var A + Var B + (mean A - mean B)² = 1.6875 + 1.5 + .0625 = 3.25
//	      kappa_w = 1 - 1.25/3.25 = 8/13
//	Scott D_e = 2 Var(pooled) = 2(5.125 - 1.875²) = 3.21875;  pi_w = 1 - 1.25/3.21875 = 63/103
func TestAllianceHandComputed(t *testing.T) {
	y := handYear(t)
	m := y.Dyad(1, 2)
	want := AllianceMetrics{N: 4, SAbs: 0.5, SSq: 26.0 / 36, Kappa: 3.0 / 11, Pi: 5.0 / 21, KappaW: 8.0 / 13, PiW: 63.0 / 103, Direct: 3}
	got := [...]float64{m.SAbs, m.SSq, m.Kappa, m.Pi, m.KappaW, m.PiW}
	exp := [...]float64{want.SAbs, want.SSq, want.Kappa, want.Pi, want.KappaW, want.PiW}
	names := [...]string{"s_abs", "s_sq", "kappa", "pi", "kappa_w", "pi_w"}
	for k := range got {
		if !closeTo(got[k], exp[k]) {
			t.Errorf("%s = %v, want %v", names[k], got[k], exp[k])
		}
	}
	if m.N != 4 || m.Direct != 3 {
		t.Errorf("N = %d, direct tie %d", m.N, m.Direct)
	}
	if tie, ok := y.Tie(2, 4); !ok || tie != 2 {
		t.Errorf("tie B→D %d %v", tie, ok)
	}
}

// TestAllianceIdentical: identical portfolios give S = 1, and kappa = 1 when they vary:
// E and F allied (3) to each other only, in a system of E, F, G: E = (3, 3, 0) and
// F = (3, 3, 0).
func TestAllianceIdentical(t *testing.T) {
	y := NewAllianceYear(2000, []int{5, 6, 7})
	_ = y.Set(5, 6, 3)
	_ = y.Set(6, 5, 3)
	m := y.Dyad(5, 6)
	if m.SAbs != 1 || m.SSq != 1 || !closeTo(m.Kappa, 1) || !closeTo(m.Pi, 1) || !closeTo(m.KappaW, 1) || !closeTo(m.PiW, 1) {
		t.Errorf("identical portfolios: %+v", m)
	}
	// Both portfolios constant: p_e = 1 and D_e = 0, so the chance-corrected values are
	// undefined. Two states in a system of two, allied: (3, 3) and (3, 3).
	y2 := NewAllianceYear(2000, []int{5, 6})
	_ = y2.Set(5, 6, 3)
	_ = y2.Set(6, 5, 3)
	m = y2.Dyad(5, 6)
	if m.SAbs != 1 || !math.IsNaN(m.Kappa) || !math.IsNaN(m.Pi) || !math.IsNaN(m.KappaW) || !math.IsNaN(m.PiW) {
		t.Errorf("constant portfolios: %+v", m)
	}
}

// TestAllianceOpposite: in a system of two unallied states, portfolios (3, 0) and
// (0, 3): Σ|d| = 6, S_abs = 1 - 2·6/(2·3) = -1, the lower bound.
func TestAllianceOpposite(t *testing.T) {
	y := NewAllianceYear(2000, []int{5, 6})
	m := y.Dyad(5, 6)
	if m.SAbs != -1 || m.SSq != -1 || !closeTo(m.Kappa, -1) {
		t.Errorf("opposite portfolios: %+v", m)
	}
}

func TestAllianceSymmetryAndBounds(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := range 200 {
		n := 2 + rng.IntN(12)
		states := make([]int, n)
		for i := range states {
			states[i] = 10 * (i + 1)
		}
		y := NewAllianceYear(1990, states)
		for _, a := range states {
			for _, b := range states {
				if a != b && rng.IntN(3) == 0 {
					_ = y.Set(a, b, uint8(rng.IntN(MaxTie+1)))
				}
			}
		}
		for _, a := range states {
			for _, b := range states {
				m, r := y.Dyad(a, b), y.Dyad(b, a)
				vals := [...]float64{m.SAbs, m.SSq, m.Pi, m.Kappa, m.PiW, m.KappaW}
				rev := [...]float64{r.SAbs, r.SSq, r.Pi, r.Kappa, r.PiW, r.KappaW}
				for k := range vals {
					if !(vals[k] == rev[k] || math.IsNaN(vals[k]) && math.IsNaN(rev[k])) {
						t.Fatalf("trial %d: %d,%d metric %d not symmetric: %v vs %v", trial, a, b, k, vals[k], rev[k])
					}
					if !math.IsNaN(vals[k]) && (vals[k] < -1-1e-12 || vals[k] > 1+1e-12) {
						t.Fatalf("trial %d: %d,%d metric %d = %v outside [-1, 1]", trial, a, b, k, vals[k])
					}
				}
				if math.IsNaN(m.SAbs) || math.IsNaN(m.SSq) || m.N != n {
					t.Fatalf("S undefined or N %d != %d", m.N, n)
				}
				if a == b && (m.SAbs != 1 || m.SSq != 1) {
					t.Fatalf("self-similarity %v", m)
				}
			}
		}
	}
}

// TestAllianceUnknownAfterData: ATOP ends in 2018, so 2019 is unknown (NaN, N = 0), not a
// year without alliances (which would give S = 1 for two unallied states with no ties).
func TestAllianceUnknownAfterData(t *testing.T) {
	d := NewAllianceData(1815, 2018)
	y := NewAllianceYear(2018, []int{365, 370, 2})
	_ = y.Set(365, 370, 3)
	_ = y.Set(370, 365, 3)
	if err := d.Add(y); err != nil {
		t.Fatal(err)
	}
	if err := d.Add(NewAllianceYear(2019, []int{365, 370})); err == nil {
		t.Error("a year after the coverage accepted")
	}
	if m := d.Dyad(2018, 365, 370); m.IsUnknown() || m.SAbs != 1 {
		t.Errorf("2018: %+v", m)
	}
	for _, c := range []struct{ year, a, b int }{{2019, 365, 370}, {2024, 365, 370}, {1800, 365, 370}, {2017, 365, 370}, {2018, 365, 999}} {
		m := d.Dyad(c.year, c.a, c.b)
		if !m.IsUnknown() || !math.IsNaN(m.SAbs) || !math.IsNaN(m.KappaW) || m.N != 0 {
			t.Errorf("%d %d-%d: %+v, want unknown", c.year, c.a, c.b, m)
		}
	}
	if d.Covers(2019) || !d.Covers(2018) || d.Year(2018) != y {
		t.Error("coverage")
	}
}

func TestAllianceSetErrors(t *testing.T) {
	y := NewAllianceYear(2000, []int{1, 2})
	for _, c := range [][3]int{{1, 3, 1}, {1, 1, 1}, {1, 2, 4}} {
		if err := y.Set(c[0], c[1], uint8(c[2])); err == nil {
			t.Errorf("Set%v accepted", c)
		}
	}
	_ = y.Set(1, 2, 3)
	_ = y.Set(1, 2, 1)
	if tie, _ := y.Tie(1, 2); tie != 3 {
		t.Errorf("weaker tie replaced the stronger: %d", tie)
	}
	if _, ok := y.Tie(1, 9); ok {
		t.Error("Tie of an unknown state")
	}
}

func BenchmarkAllianceYearAllDyads(b *testing.B) {
	rng := rand.New(rand.NewPCG(3, 4))
	states := make([]int, 195)
	for i := range states {
		states[i] = i + 1
	}
	y := NewAllianceYear(2018, states)
	for range 4000 {
		a, c := states[rng.IntN(195)], states[rng.IntN(195)]
		if a != c {
			_ = y.Set(a, c, uint8(1+rng.IntN(3)))
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		for i, a := range states {
			for _, c := range states[i+1:] {
				_ = y.Dyad(a, c)
			}
		}
	}
}
