package index

import "math"

// PELT returns the change points of x under a change in mean with known variance
// sigma2: the segmentation that minimises Σ_segments Σ (x − segment mean)² / sigma2 +
// penalty · (number of changes), found exactly by the Pruned Exact Linear Time method
// (Killick, Fearnhead and Eckley 2012, JASA 107:1590-1598). A change point τ means a new
// segment starts at x[τ]; results are ascending. NaN values must be removed first.
func PELT(x []float64, sigma2, penalty float64) []int {
	n := len(x)
	if n < 2 || sigma2 <= 0 {
		return nil
	}
	s1 := make([]float64, n+1)
	s2 := make([]float64, n+1)
	for i, v := range x {
		s1[i+1] = s1[i] + v
		s2[i+1] = s2[i] + v*v
	}
	cost := func(a, b int) float64 { // x[a:b]
		m := float64(b - a)
		d := s1[b] - s1[a]
		return math.Max(0, s2[b]-s2[a]-d*d/m) / sigma2
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
