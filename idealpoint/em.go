package idealpoint

import (
	"context"
	"math"
	"sync"
)

// Item priors: alpha, beta ~ N(0, priorVar) keep items that almost split perfectly from
// running off to infinity (a ridge, as emIRT's default priors do).
const (
	priorVar = 25.0
	x0Var    = 1.0 // a state's position in its first year ~ N(0, x0Var): fixes the scale
	sigmaMin = 0.05
	sigmaMax = 20.0
)

// initSpectral starts the positions at each year's leading principal component of the
// centred vote matrix (no = −1, abstain = 0, yes = 1), standardised per year, with
// consecutive years' signs aligned over the states they share.
func (m *model) initSpectral() {
	val := make([]float64, len(m.vy))
	for g := range m.kind {
		lo, hi := m.start[g], m.start[g+1]
		mean := 0.0
		for v := lo; v < hi; v++ {
			x := float64(m.vy[v]) - 1 // ordinal: -1, 0, 1
			if m.kind[g] == kindBinary {
				x = 2*float64(m.vy[v]) - 1
			}
			val[v] = x
			mean += x
		}
		mean /= float64(hi - lo)
		for v := lo; v < hi; v++ {
			val[v] -= mean
		}
	}
	x := m.xm
	for k := range x {
		if m.active[k] {
			// A deterministic, non-degenerate start for the power iteration.
			x[k] = math.Sin(float64(k)*12.9898) + 0.1
		}
	}
	col := make([]float64, len(m.kind))
	next := make([]float64, len(x))
	for range 40 {
		for g := range m.kind {
			s := 0.0
			for v := m.start[g]; v < m.start[g+1]; v++ {
				s += val[v] * x[m.vsy[v]]
			}
			col[g] = s
		}
		clear(next)
		for g := range m.kind {
			for v := m.start[g]; v < m.start[g+1]; v++ {
				next[m.vsy[v]] += val[v] * col[g]
			}
		}
		copy(x, next)
		m.standardisePerYear(x)
	}
	// Align each year's sign with the year before over the states present in both.
	for t := 1; t < m.nT; t++ {
		dot := 0.0
		for s := range m.nS {
			a, b := s*m.nT+t-1, s*m.nT+t
			if m.active[a] && m.active[b] {
				dot += x[a] * x[b]
			}
		}
		if dot < 0 {
			for s := range m.nS {
				x[s*m.nT+t] = -x[s*m.nT+t]
			}
		}
	}
	for k := range m.xv {
		m.xv[k] = 0
	}
}

// standardisePerYear gives each year's active positions mean 0 and variance 1.
func (m *model) standardisePerYear(x []float64) {
	for t := range m.nT {
		n, sum, ss := 0.0, 0.0, 0.0
		for s := range m.nS {
			if k := s*m.nT + t; m.active[k] {
				n++
				sum += x[k]
				ss += x[k] * x[k]
			}
		}
		if n == 0 {
			continue
		}
		mean := sum / n
		sd := math.Sqrt(math.Max(ss/n-mean*mean, 1e-300))
		for s := range m.nS {
			if k := s*m.nT + t; m.active[k] {
				x[k] = (x[k] - mean) / sd
			}
		}
	}
}

// initItems fits the items once to pseudo latent values read off the categories.
func (m *model) initItems() {
	for g := range m.kind {
		m.sigma[g] = 1
		for v := m.start[g]; v < m.start[g+1]; v++ {
			var z float32
			if m.kind[g] == kindBinary {
				z = float32(2*float64(m.vy[v]) - 1)
			} else {
				z = [3]float32{-0.8, 0.5, 1.8}[m.vy[v]]
			}
			m.zm[v], m.zv[v] = z, 0
		}
	}
	m.mstep()
}

// run iterates EM until the largest position change is below Tol or maxIter is hit.
func (m *model) run(ctx context.Context, maxIter int) (iter int, converged bool, err error) {
	w := m.opt.Workers
	acc := make([][2][]float64, w)
	for i := range acc {
		acc[i] = [2][]float64{make([]float64, len(m.xm)), make([]float64, len(m.xm))}
	}
	prev := make([]float64, len(m.xm))
	for iter = 1; iter <= maxIter; iter++ {
		if err := ctx.Err(); err != nil {
			return iter, false, err
		}
		m.estep(acc)
		copy(prev, m.xm)
		m.xstep(acc[0][0], acc[0][1])
		delta := 0.0
		for k, a := range m.active {
			if a {
				delta = math.Max(delta, math.Abs(m.xm[k]-prev[k]))
			}
		}
		m.mstep()
		if m.opt.Progress != nil {
			m.opt.Progress(iter, delta)
		}
		if delta < m.opt.Tol {
			return iter, true, nil
		}
	}
	return maxIter, false, nil
}

// parallel runs f over [0, n) split into the model's workers' contiguous chunks.
func (m *model) parallel(n int, f func(worker, lo, hi int)) {
	w := m.opt.Workers
	if w <= 1 || n < 64 {
		f(0, 0, n)
		return
	}
	var wg sync.WaitGroup
	for i := range w {
		lo, hi := n*i/w, n*(i+1)/w
		wg.Add(1)
		go func() {
			defer wg.Done()
			f(i, lo, hi)
		}()
	}
	wg.Wait()
}

// estep computes the truncated-normal moments of every vote's latent utility and
// accumulates, per state-year, the precision (acc[.][0]) and information (acc[.][1])
// the votes give about the position; acc[0] holds the totals on return.
func (m *model) estep(acc [][2][]float64) {
	// Split items so that the chunks hold about equal numbers of votes.
	m.parallel(len(m.kind), func(wk, lo, hi int) {
		P, H := acc[wk][0], acc[wk][1]
		clear(P)
		clear(H)
		for g := lo; g < hi; g++ {
			a, b, s := m.alpha[g], m.beta[g], m.sigma[g]
			w := b / (s * s)
			bin := m.kind[g] == kindBinary
			for v := m.start[g]; v < m.start[g+1]; v++ {
				k := m.vsy[v]
				mu := a + b*m.xm[k]
				var zm, zv float64
				switch y := m.vy[v]; {
				case bin && y == 0:
					zm, zv = truncMoments(mu, 1, math.Inf(-1), 0)
				case bin:
					zm, zv = truncMoments(mu, 1, 0, math.Inf(1))
				case y == 0:
					zm, zv = truncMoments(mu, s, math.Inf(-1), 0)
				case y == 1:
					zm, zv = truncMoments(mu, s, 0, 1)
				default:
					zm, zv = truncMoments(mu, s, 1, math.Inf(1))
				}
				m.zm[v], m.zv[v] = float32(zm), float32(zv)
				P[k] += b * w
				H[k] += w * (zm - a)
			}
		}
	})
	for wk := 1; wk < len(acc); wk++ {
		for k := range acc[0][0] {
			acc[0][0][k] += acc[wk][0][k]
			acc[0][1][k] += acc[wk][1][k]
		}
	}
}

// xstep updates every state's positions by a Kalman filter and Rauch-Tung-Striebel
// smoother over its years, the votes of each year entering as one Gaussian observation
// with precision P and information H.
func (m *model) xstep(P, H []float64) {
	q := m.opt.Omega * m.opt.Omega
	rho := m.opt.Rho
	if rho <= 0 {
		rho = 1
	}
	shrink := 0.0
	if m.opt.Tau > 0 {
		shrink = 1 / (m.opt.Tau * m.opt.Tau)
	}
	nT := m.nT
	mf := make([]float64, nT)
	vf := make([]float64, nT)
	for s := range m.nS {
		f, l := m.first[s], m.last[s]
		if f < 0 {
			continue
		}
		base := s * nT
		for t := f; t <= l; t++ {
			mp, vp := 0.0, x0Var
			if shrink > 0 {
				vp = 1e6 // Tau's prior is the only one; the first year gets no second
			}
			if t > f {
				mp, vp = rho*mf[t-1], rho*rho*vf[t-1]+q
			}
			k := base + t
			sh := 0.0
			if m.active[k] {
				sh = shrink // years without votes only carry the walk
			}
			v := 1 / (1/vp + P[k] + sh)
			mf[t] = v * (mp/vp + H[k])
			vf[t] = v
		}
		m.xm[base+l], m.xv[base+l] = mf[l], vf[l]
		for t := l - 1; t >= f; t-- {
			vp := rho*rho*vf[t] + q
			j := rho * vf[t] / vp
			m.xm[base+t] = mf[t] + j*(m.xm[base+t+1]-rho*mf[t])
			m.xv[base+t] = vf[t] + j*j*(m.xv[base+t+1]-vp)
		}
	}
}

// mstep updates each item's parameters given the latent moments and the positions.
func (m *model) mstep() {
	m.parallel(len(m.kind), func(_, lo, hi int) {
		for g := lo; g < hi; g++ {
			var n, sx, sxx, sz, szx, szz, svz float64
			for v := m.start[g]; v < m.start[g+1]; v++ {
				k := m.vsy[v]
				x, z := m.xm[k], float64(m.zm[v])
				n++
				sx += x
				sxx += x*x + m.xv[k]
				sz += z
				szx += z * x
				szz += z * z
				svz += float64(m.zv[v])
			}
			// The prior bounds β/σ, the discrimination, not β. An ordinal item's α is
			// shrunk toward 0.5, midway between its cuts, so that reversing every vote
			// mirrors the fit exactly.
			r := 1 / priorVar
			c := 0.0
			if m.kind[g] == kindOrdinal {
				c = 0.5
			}
			a11, a12, a22 := n+r, sx, sxx+r
			rhs := sz + r*c
			det := a11*a22 - a12*a12
			alpha := (a22*rhs - a12*szx) / det
			beta := (a11*szx - a12*rhs) / det
			m.alpha[g], m.beta[g] = alpha, beta
			if m.kind[g] == kindOrdinal {
				rss := szz - 2*alpha*sz - 2*beta*szx + n*alpha*alpha + 2*alpha*beta*sx + beta*beta*sxx + svz
				sig := math.Sqrt(math.Max(rss, 0) / n)
				m.sigma[g] = math.Min(math.Max(sig, sigmaMin), sigmaMax)
			}
		}
	})
}
