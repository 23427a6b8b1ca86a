// Package signal computes dyadic signals from facts: here the UN General Assembly vote
// similarity of every pair of states over periods (docs/method.md, "UN General Assembly
// votes"). It works on compact in-memory columns (entente.Ballot), not SQL.
package signal

import "github.com/entente/entente"

// Table is the 3×3 contingency table of one dyad's votes: Table[i][j] counts the roll
// calls where A voted i+1 and B voted j+1 (1 yes, 2 abstain, 3 no). Only roll calls
// where both states cast a vote enter it.
type Table [3][3]int64

// Add counts one roll call with A's vote a and B's vote b; it does nothing unless both
// are cast (yes, abstain or no).
func (t *Table) Add(a, b entente.VoteValue) {
	if a.Cast() && b.Cast() {
		t[a-1][b-1]++
	}
}

// Transpose returns the table of the dyad seen from B.
func (t Table) Transpose() Table {
	var u Table
	for i := range 3 {
		for j := range 3 {
			u[j][i] = t[i][j]
		}
	}
	return u
}

// N returns the number of roll calls in the table.
func (t Table) N() int64 {
	var n int64
	for i := range 3 {
		for j := range 3 {
			n += t[i][j]
		}
	}
	return n
}

// Pair returns the table of two parallel vote vectors: a[k] and b[k] are the votes of A
// and B on roll call k. Votes other than yes, abstain and no are ignored. It panics if
// the lengths differ, since that can only be a caller's bug.
func Pair(a, b []entente.VoteValue) Table {
	if len(a) != len(b) {
		panic("BUG: signal.Pair: vote vectors of different lengths")
	}
	var t Table
	for k := range a {
		t.Add(a[k], b[k])
	}
	return t
}

// Metrics returns n, the roll calls in the table, and the similarity metrics in
// entente.SimilarityMetrics order: agree, s_abs, s_sq, pi, kappa, pi_w, kappa_w.
// docs/method.md gives the formulas and references. Every metric is written as a ratio
// of integer sums, so the only rounding is the final division and the result is
// exactly symmetric: t.Metrics() equals t.Transpose().Metrics(). An undefined value is
// entente.Undefined (NaN), never 0: every metric when n = 0; pi and kappa when p_e = 1;
// pi_w and kappa_w when D_e = 0.
func (t Table) Metrics() (n int, values [entente.NumSimilarityMetrics]float64) {
	return metrics(&t)
}

func metrics(t *Table) (int, [entente.NumSimilarityMetrics]float64) {
	var v [entente.NumSimilarityMetrics]float64
	// Row sums r (A's marginals) and column sums c (B's marginals).
	r0 := t[0][0] + t[0][1] + t[0][2]
	r1 := t[1][0] + t[1][1] + t[1][2]
	r2 := t[2][0] + t[2][1] + t[2][2]
	c0 := t[0][0] + t[1][0] + t[2][0]
	c1 := t[0][1] + t[1][1] + t[2][1]
	c2 := t[0][2] + t[1][2] + t[2][2]
	n := r0 + r1 + r2
	if n == 0 {
		for k := range v {
			v[k] = entente.Undefined
		}
		return 0, v
	}
	diag := t[0][0] + t[1][1] + t[2][2]
	off1 := t[0][1] + t[1][0] + t[1][2] + t[2][1] // |a−b| = 1
	off2 := t[0][2] + t[2][0]                     // |a−b| = 2
	sumAbs := off1 + 2*off2                       // Σ|a−b|
	sumSq := off1 + 4*off2                        // Σ(a−b)²
	fn := float64(n)

	// agree = mean of 1 − |a−b|/2; s_abs = 1 − Σ|a−b|/n; s_sq = 1 − Σ(a−b)²/(2n).
	v[0] = float64(2*n-sumAbs) / (2 * fn)
	v[1] = float64(n-sumAbs) / fn
	v[2] = float64(2*n-sumSq) / (2 * fn)

	// pi: p_e = Σ s_k²/(4n²) with s_k = r_k + c_k, so pi = (4n·diag − Σs²)/(4n² − Σs²).
	s0, s1, s2 := r0+c0, r1+c1, r2+c2
	ss := s0*s0 + s1*s1 + s2*s2
	v[3] = ratio(4*n*diag-ss, 4*n*n-ss)
	// kappa: p_e = Σ r_k c_k/n², so kappa = (n·diag − Σrc)/(n² − Σrc).
	rc := r0*c0 + r1*c1 + r2*c2
	v[4] = ratio(n*diag-rc, n*n-rc)

	// Quadratic weights w_ij = (i−j)²: D_o = Σ c_ij w_ij / n = sumSq/n.
	// pi_w: D_e = Σ s_i s_j w_ij/(4n²); 1 − D_o/D_e = (De' − 4n·sumSq)/De'.
	deP := 2 * (s0*s1 + s1*s2 + 4*s0*s2)
	v[5] = ratio(deP-4*n*sumSq, deP)
	// kappa_w: D_e = Σ r_i c_j w_ij/n²; 1 − D_o/D_e = (De' − n·sumSq)/De'.
	deK := r0*c1 + r1*c0 + r1*c2 + r2*c1 + 4*(r0*c2+r2*c0)
	v[6] = ratio(deK-n*sumSq, deK)
	return int(n), v
}

// ratio returns num/den, or Undefined when den is 0 (no variation to correct for).
func ratio(num, den int64) float64 {
	if den == 0 {
		return entente.Undefined
	}
	return float64(num) / float64(den)
}
