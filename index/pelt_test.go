package index

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

func TestPELT(t *testing.T) {
	ones := func(n int) []float64 {
		w := make([]float64, n)
		for i := range w {
			w[i] = 1
		}
		return w
	}
	tests := []struct {
		name    string
		x, w    []float64
		penalty float64
		want    []int
	}{
		{"constant", []float64{0.3, 0.3, 0.3, 0.3, 0.3, 0.3}, ones(6), 1, nil},
		{"one step", []float64{0, 0, 0, 0, 0, 1, 1, 1, 1, 1}, ones(10), 1, []int{5}},
		{"two steps", []float64{0, 0, 0, 0, 0, 2, 2, 2, 2, 2, -1, -1, -1, -1, -1}, ones(15), 1, []int{5, 10}},
		// The step costs 5·5/10·1² = 2.5 to ignore: a penalty above that keeps one segment.
		{"step below the penalty", []float64{0, 0, 0, 0, 0, 1, 1, 1, 1, 1}, ones(10), 3, nil},
		// A point with a tiny precision (a wide bootstrap interval) does not make a change.
		{"imprecise outlier", []float64{0, 0, 0, 5, 0, 0, 0}, []float64{1, 1, 1, 1e-6, 1, 1, 1}, 1, nil},
		{"precise outlier", []float64{0, 0, 0, 5, 0, 0, 0}, ones(7), 1, []int{3, 4}},
		{"too short", []float64{1}, ones(1), 1, nil},
		{"weights of another length", []float64{0, 1, 2}, ones(2), 1, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := PELT(tt.x, tt.w, tt.penalty); !slices.Equal(got, tt.want) {
				t.Errorf("PELT = %v, want %v", got, tt.want)
			}
		})
	}
}

// TestPELTIsOptimal checks the pruned search against the exact optimal partitioning
// (the same recursion without pruning, Jackson et al. 2005) on random series: the
// segmentations found have the same penalised cost.
func TestPELTIsOptimal(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := range 200 {
		n := 2 + rng.IntN(30)
		x, w := make([]float64, n), make([]float64, n)
		level := 0.0
		for i := range x {
			if rng.Float64() < 0.15 {
				level = rng.NormFloat64()
			}
			x[i] = level + 0.3*rng.NormFloat64()
			w[i] = 0.2 + rng.Float64()*5
		}
		penalty := 0.5 + rng.Float64()*4
		got := penalisedCost(x, w, PELT(x, w, penalty), penalty)
		want := optimalCost(x, w, penalty)
		if math.Abs(got-want) > 1e-9*max(1, math.Abs(want)) {
			t.Fatalf("trial %d: PELT cost %.12f, optimal %.12f (x %v, w %v, penalty %v)", trial, got, want, x, w, penalty)
		}
	}
}

// segCost is Σ w (x − weighted mean)² over x[a:b].
func segCost(x, w []float64, a, b int) float64 {
	var sw, swx float64
	for i := a; i < b; i++ {
		sw += w[i]
		swx += w[i] * x[i]
	}
	m := swx / sw
	c := 0.0
	for i := a; i < b; i++ {
		c += w[i] * (x[i] - m) * (x[i] - m)
	}
	return c
}

func penalisedCost(x, w []float64, cps []int, penalty float64) float64 {
	bounds := append(append([]int{0}, cps...), len(x))
	c := penalty * float64(len(cps))
	for i := 1; i < len(bounds); i++ {
		if bounds[i] <= bounds[i-1] {
			return math.Inf(1)
		}
		c += segCost(x, w, bounds[i-1], bounds[i])
	}
	return c
}

func optimalCost(x, w []float64, penalty float64) float64 {
	n := len(x)
	f := make([]float64, n+1)
	f[0] = -penalty
	for t := 1; t <= n; t++ {
		f[t] = math.Inf(1)
		for s := 0; s < t; s++ {
			f[t] = min(f[t], f[s]+segCost(x, w, s, t)+penalty)
		}
	}
	return f[n]
}
