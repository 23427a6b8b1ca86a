package signal

import (
	"math"
	"math/rand/v2"
	"testing"
	"testing/quick"

	"github.com/entente/entente"
)

const (
	agree = iota
	sAbs
	sSq
	pi
	kappa
	piW
	kappaW
)

// same reports whether two metric values are equal, NaN equal to NaN.
func same(a, b float64) bool { return a == b || math.IsNaN(a) && math.IsNaN(b) }

func near(a, b float64) bool {
	return math.IsNaN(a) && math.IsNaN(b) || math.Abs(a-b) <= 1e-12
}

func TestMetricsHandComputed(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		name  string
		table Table
		n     int
		want  [entente.NumSimilarityMetrics]float64
	}{
		{"no roll calls", Table{}, 0, [7]float64{nan, nan, nan, nan, nan, nan, nan}},
		// Both always yes: perfect agreement, but no variation for chance correction:
		// p_e = 1 and D_e = 0.
		{"always yes both", Table{{5, 0, 0}}, 5, [7]float64{1, 1, 1, nan, nan, nan, nan}},
		// Mirror images: A yes when B no (4) and A no when B yes (4). Every roll call
		// is yes vs no: agree 0, S = 1 − 2·(8·2)/(8·2) = −1; r = c = (4,0,4) so
		// p_e = 0.5 (pooled and own), p_o = 0: pi = kappa = −0.5/0.5 = −1;
		// D_o = 8·4/8 = 4, D_e = (4·4·4 + 4·4·4)/8² = 2: pi_w = kappa_w = 1 − 4/2 = −1.
		{"opposite", Table{{0, 0, 4}, {0, 0, 0}, {4, 0, 0}}, 8, [7]float64{0, -1, -1, -1, -1, -1, -1}},
		// A always yes, B always no (n = 3). Own marginals never meet: kappa p_e = 0,
		// p_o = 0, kappa = 0; pooled p = (1/2, 0, 1/2): p_e = 1/2, pi = −1. kappa_w:
		// D_o = 4, D_e = 1·1·4 = 4 → 0; pi_w: D_e = 2·(1/2)(1/2)·4 = 2 → 1 − 4/2 = −1.
		{"A yes B no", Table{{0, 0, 3}}, 3, [7]float64{0, -1, -1, -1, 0, -1, 0}},
		// Textbook kappa, n = 100:
		//            B yes  abs  no  | r
		//   A yes      20    5    0  | 25
		//   A abs      10   10    5  | 25
		//   A no        0    0   50  | 50
		//   c          30   15   55
		// p_o = 80/100 = 0.8.
		// kappa: p_e = (25·30 + 25·15 + 50·55)/100² = 3875/10000 = 0.3875;
		//        kappa = (0.8 − 0.3875)/(1 − 0.3875) = 0.4125/0.6125 = 33/49.
		// pi: pooled p = (55, 40, 105)/200 = (0.275, 0.2, 0.525);
		//        p_e = 0.075625 + 0.04 + 0.275625 = 0.39125;
		//        pi = 0.40875/0.60875 = 327/487.
		// agree: 80 same + 20 with one abstention (5+10+5) → (80 + 10)/100 = 0.9.
		// s_abs = 1 − 2·20/(100·2) = 0.8; s_sq = 1 − 2·20/(100·4) = 0.9.
		// kappa_w: D_o = 20/100 = 0.2; D_e = (25·15 + 25·55·4 + 25·30 + 25·55 + 50·30·4
		//        + 50·15)/100² = 14750/10000 = 1.475; kappa_w = 1 − 0.2/1.475 = 51/59.
		// pi_w: D_e = 2·(0.275·0.2 + 0.2·0.525 + 4·0.275·0.525) = 1.475 (the means
		//        are equal, 2.25, so pooling changes nothing); pi_w = 51/59.
		{"textbook", Table{{20, 5, 0}, {10, 10, 5}, {0, 0, 50}}, 100,
			[7]float64{0.9, 0.8, 0.9, 327.0 / 487, 33.0 / 49, 51.0 / 59, 51.0 / 59}},
		// Unequal means separate pi_w from kappa_w. n = 10:
		//   A yes: 6 yes, 2 abstain; A abstain: 1 abstain; A no: 1 yes.
		// r = (8, 1, 1), c = (7, 3, 0); p_o = 7/10; Σ|d| = 2 + 2 = 4; Σd² = 2 + 4 = 6.
		// agree = 1 − 4/20 = 0.8; s_abs = 1 − 4/10 = 0.6; s_sq = 1 − 6/20 = 0.7.
		// kappa: p_e = (56 + 3)/100 = 0.59 → (0.7 − 0.59)/0.41 = 11/41.
		// pi: s = (15, 4, 1)/20: p_e = (225 + 16 + 1)/400 = 0.605 → 0.095/0.395 = 19/79.
		// kappa_w: D_o = 0.6; D_e = (8·3 + 1·7 + 1·3·1 + 1·7·4)/100 = 0.62 → 1 − 0.6/0.62 = 1/31.
		// pi_w: D_e = 2·(15·4 + 4·1 + 4·15·1)/400 = 0.62 → also 1/31? Check:
		//   2·(60 + 4 + 60)/400 = 248/400 = 0.62. Yes: 1/31.
		{"unequal means", Table{{6, 2, 0}, {0, 1, 0}, {1, 0, 0}}, 10,
			[7]float64{0.8, 0.6, 0.7, 19.0 / 79, 11.0 / 41, 1.0 / 31, 1.0 / 31}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, got := tt.table.Metrics()
			if n != tt.n {
				t.Errorf("n = %d, want %d", n, tt.n)
			}
			for k, name := range entente.SimilarityMetrics {
				if !near(got[k], tt.want[k]) {
					t.Errorf("%s = %v, want %v", name, got[k], tt.want[k])
				}
			}
			if ref := reference(tt.table); ref != nil {
				for k, name := range entente.SimilarityMetrics {
					if !near(got[k], ref[k]) {
						t.Errorf("%s = %v, reference formula gives %v", name, got[k], ref[k])
					}
				}
			}
		})
	}
}

// reference computes the metrics literally as docs/method.md writes them, in floats,
// per roll call and per cell; nil when n = 0.
func reference(t Table) []float64 {
	var n, sumAbs, sumSq, diag float64
	var r, c [3]float64
	for i := range 3 {
		for j := range 3 {
			x := float64(t[i][j])
			d := float64(i - j)
			n += x
			sumAbs += x * math.Abs(d)
			sumSq += x * d * d
			r[i] += x
			c[j] += x
			if i == j {
				diag += x
			}
		}
	}
	if n == 0 {
		return nil
	}
	var agreeSum float64
	for i := range 3 {
		for j := range 3 {
			x := float64(t[i][j])
			switch {
			case i == j:
				agreeSum += x
			case i == 1 || j == 1:
				agreeSum += 0.5 * x
			}
		}
	}
	po := diag / n
	var peK, peP, deK, deP, doW float64
	for k := range 3 {
		peK += r[k] / n * c[k] / n
		p := (r[k] + c[k]) / (2 * n)
		peP += p * p
	}
	for i := range 3 {
		for j := range 3 {
			w := float64((i - j) * (i - j))
			doW += float64(t[i][j]) * w / n
			deK += r[i] * c[j] / (n * n) * w
			deP += (r[i] + c[i]) / (2 * n) * (r[j] + c[j]) / (2 * n) * w
		}
	}
	chance := func(po, pe float64) float64 {
		if math.Abs(1-pe) < 1e-12 {
			return math.NaN()
		}
		return (po - pe) / (1 - pe)
	}
	weighted := func(do, de float64) float64 {
		if de < 1e-12 {
			return math.NaN()
		}
		return 1 - do/de
	}
	return []float64{
		agreeSum / n,
		1 - 2*sumAbs/(n*2),
		1 - 2*sumSq/(n*4),
		chance(po, peP),
		chance(po, peK),
		weighted(doW, deP),
		weighted(doW, deK),
	}
}

// smallTable makes random tables, many of them sparse so the null cases come up.
func smallTable(rng *rand.Rand) Table {
	var t Table
	cells := rng.IntN(9) + 1
	for range cells {
		t[rng.IntN(3)][rng.IntN(3)] += int64(rng.IntN(50))
	}
	return t
}

func TestMetricsAgainstReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		tab := smallTable(rng)
		n, got := tab.Metrics()
		ref := reference(tab)
		if n == 0 {
			if ref != nil {
				t.Fatalf("%v: n = 0 but reference has values", tab)
			}
			for k := range got {
				if !math.IsNaN(got[k]) {
					t.Fatalf("%v: n = 0 but %s = %v", tab, entente.SimilarityMetrics[k], got[k])
				}
			}
			continue
		}
		for k := range got {
			if !near(got[k], ref[k]) {
				t.Fatalf("%v: %s = %v, reference %v", tab, entente.SimilarityMetrics[k], got[k], ref[k])
			}
		}
	}
}

func TestMetricsProperties(t *testing.T) {
	cfg := &quick.Config{MaxCount: 5000}
	toTable := func(cells [9]uint8) Table {
		var t Table
		for k, x := range cells {
			t[k/3][k%3] = int64(x % 20)
		}
		return t
	}
	symmetric := func(cells [9]uint8) bool {
		tab := toTable(cells)
		n1, a := tab.Metrics()
		n2, b := tab.Transpose().Metrics()
		if n1 != n2 {
			return false
		}
		for k := range a {
			if !same(a[k], b[k]) {
				return false
			}
		}
		return true
	}
	if err := quick.Check(symmetric, cfg); err != nil {
		t.Errorf("symmetry: %v", err)
	}
	bounded := func(cells [9]uint8) bool {
		n, v := toTable(cells).Metrics()
		if n == 0 {
			return true
		}
		in := func(x, lo, hi float64) bool { return x >= lo && x <= hi }
		if !in(v[agree], 0, 1) || !in(v[sAbs], -1, 1) || !in(v[sSq], -1, 1) {
			return false
		}
		// Every chance-corrected metric lies in [−1, 1]: for the weighted ones, with
		// quadratic weights 1 − D_o/D_e is 2·cov (minus a mean shift for pi_w) over D_e.
		for _, k := range []int{pi, kappa, piW, kappaW} {
			if !math.IsNaN(v[k]) && (v[k] > 1 || v[k] < -1-1e-12) {
				return false
			}
		}
		return true
	}
	if err := quick.Check(bounded, cfg); err != nil {
		t.Errorf("bounds: %v", err)
	}
	// A state voting exactly like another, with at least two different votes, agrees
	// perfectly on every metric.
	identical := func(votes []uint8) bool {
		a := make([]entente.VoteValue, len(votes))
		for k, x := range votes {
			a[k] = entente.VoteValue(x%3 + 1)
		}
		tab := Pair(a, a)
		n, v := tab.Metrics()
		varied := false
		for _, x := range a {
			varied = varied || x != a[0]
		}
		if !varied {
			return n == len(a)
		}
		for k := range v {
			if v[k] != 1 {
				return false
			}
		}
		return n == len(a)
	}
	if err := quick.Check(identical, cfg); err != nil {
		t.Errorf("identical voting: %v", err)
	}
}

func TestPairIgnoresNonVotes(t *testing.T) {
	a := []entente.VoteValue{entente.Yes, entente.No, entente.Absent, entente.Abstain, 0, entente.Yes}
	b := []entente.VoteValue{entente.Yes, entente.Yes, entente.Yes, entente.NonMember, entente.No, entente.Abstain}
	want := Table{{1, 1, 0}, {0, 0, 0}, {1, 0, 0}}
	if got := Pair(a, b); got != want {
		t.Errorf("Pair = %v, want %v", got, want)
	}
}

func TestAppendFloat(t *testing.T) {
	for _, tt := range []struct {
		v    float64
		want string
	}{{math.NaN(), ""}, {1, "1"}, {0.75, "0.75"}, {-1, "-1"}, {33.0 / 49, "0.673469387755102"}} {
		if got := string(AppendFloat([]byte("x"), tt.v)); got != "x"+tt.want {
			t.Errorf("AppendFloat(%v) = %q, want %q", tt.v, got, "x"+tt.want)
		}
	}
}

func BenchmarkTableMetrics(b *testing.B) {
	tab := Table{{20, 5, 0}, {10, 10, 5}, {0, 0, 50}}
	b.ReportAllocs()
	var sink float64
	for b.Loop() {
		_, v := tab.Metrics()
		sink += v[kappa]
	}
	_ = sink
}
