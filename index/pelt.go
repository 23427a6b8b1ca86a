package index

import "math"

// PELT returns the change points of x under a change in mean with known variances:
// the segmentation that minimises Σ_segments Σ w_i (x_i − segment mean)² + penalty ·
// (number of changes), w_i = 1/σ_i² the precision of x_i and the segment mean weighted
// by them, found exactly by the Pruned Exact Linear Time method (Killick, Fearnhead and
// Eckley 2012, JASA 107:1590-1598). A change point τ means a new segment starts at
// x[τ]; results are ascending. NaN values must be removed first; w must be positive.
func PELT(x, w []float64, penalty float64) []int {
	n := len(x)
	if n < 2 || len(w) != n {
		return nil
	}
	s0 := make([]float64, n+1)
	s1 := make([]float64, n+1)
	s2 := make([]float64, n+1)
	for i, v := range x {
		s0[i+1] = s0[i] + w[i]
		s1[i+1] = s1[i] + w[i]*v
		s2[i+1] = s2[i] + w[i]*v*v
	}
	cost := func(a, b int) float64 { // x[a:b]
		d := s1[b] - s1[a]
		return math.Max(0, s2[b]-s2[a]-d*d/(s0[b]-s0[a]))
	}
	f := make([]float64, n+1)
	last := make([]int, n+1)
	f[0] = -penalty
	cands := []int{0}
	for t := 1; t <= n; t++ {
		best, arg := math.Inf(1), 0
		vals := make([]float64, len(cands))
		for i, tau := range cands {
			v := f[tau] + cost(tau, t) + penalty
			vals[i] = v
			if v < best {
				best, arg = v, tau
			}
		}
		f[t], last[t] = best, arg
		kept := cands[:0]
		for i, tau := range cands {
			if vals[i]-penalty <= best { // the pruning rule with K = 0 for this cost
				kept = append(kept, tau)
			}
		}
		cands = append(kept, t)
	}
	var cps []int
	for t := last[n]; t > 0; t = last[t] {
		cps = append(cps, t)
	}
	for i, j := 0, len(cps)-1; i < j; i, j = i+1, j-1 {
		cps[i], cps[j] = cps[j], cps[i]
	}
	return cps
}
