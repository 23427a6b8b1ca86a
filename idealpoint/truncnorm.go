package idealpoint

import "math"

// The E-step needs the mean and variance of a normal N(mu, s²) truncated to an interval
// (lo, hi), for intervals far in either tail: the naive Φ(b)−Φ(a) underflows there, so
// the moments are computed from the upper-tail inverse Mills ratio φ(a)/Q(a) and from
// log Q, never from a difference of two tiny numbers.

const (
	invSqrt2   = 0.7071067811865476
	invSqrt2Pi = 0.3989422804014327
	logSqrt2Pi = 0.9189385332046728
)

// upperMills returns φ(a)/Q(a), Q(a) = 1 − Φ(a), stable for every a.
func upperMills(a float64) float64 {
	if a < 5 {
		q := 0.5 * math.Erfc(a*invSqrt2)
		return invSqrt2Pi * math.Exp(-0.5*a*a) / q
	}
	// Laplace's continued fraction Q(a) = φ(a) / (a + 1/(a + 2/(a + 3/(a + ...)))),
	// accurate to ~1e-12 at a ≥ 5 with eight terms.
	f := a
	for k := 8.0; k >= 1; k-- {
		f = a + k/f
	}
	return f
}

// logQ returns log(1 − Φ(a)), stable for every a.
func logQ(a float64) float64 {
	if a < 5 {
		return math.Log(0.5 * math.Erfc(a*invSqrt2))
	}
	return -0.5*a*a - logSqrt2Pi - math.Log(upperMills(a))
}

// truncMoments returns the mean and variance of N(mu, s²) truncated to (lo, hi); lo may
// be −Inf and hi +Inf (not both).
func truncMoments(mu, s, lo, hi float64) (mean, variance float64) {
	a := (lo - mu) / s
	b := (hi - mu) / s
	switch {
	case math.IsInf(hi, 1):
		l := upperMills(a)
		return mu + s*l, s * s * math.Max(1+a*l-l*l, 1e-12)
	case math.IsInf(lo, -1):
		// Mirror: the truncation to (−Inf, b) of x is minus the truncation to (−b, Inf).
		l := upperMills(-b)
		return mu - s*l, s * s * math.Max(1-b*l-l*l, 1e-12)
	}
	// A finite interval: mirror so that the interval is not entirely in the lower tail,
	// then write every term relative to Q(a).
	flip := false
	if a+b < 0 {
		a, b = -b, -a
		flip = true
	}
	var r, ra, rb float64 // Q(b)/Q(a), φ(a)/Z, φ(b)/Z with Z = Q(a) − Q(b)
	if a > -5 {
		r = math.Exp(logQ(b) - logQ(a))
		la := upperMills(a)
		lb := upperMills(b)
		z := 1 - r // Z / Q(a)
		if z < 1e-300 {
			// An interval so narrow, relative to s, that the mass is flat across it.
			m := 0.5 * (a + b)
			v := (b - a) * (b - a) / 12
			if flip {
				m = -m
			}
			return mu + s*m, s * s * math.Max(v, 1e-12)
		}
		ra = la / z
		rb = lb * r / z
	} else {
		// a < −5 < 5 < … : the interval spans the bulk; plain differences are safe.
		pa := invSqrt2Pi * math.Exp(-0.5*a*a)
		pb := invSqrt2Pi * math.Exp(-0.5*b*b)
		z := 0.5*math.Erfc(a*invSqrt2) - 0.5*math.Erfc(b*invSqrt2)
		ra, rb = pa/z, pb/z
	}
	d := ra - rb
	m := d
	v := 1 + a*ra - b*rb - d*d
	if math.IsInf(b, 0) || math.IsNaN(v) {
		v = 1 + a*ra - d*d
	}
	if flip {
		m = -m
	}
	return mu + s*m, s * s * math.Max(v, 1e-12)
}

// normCDF is Φ.
func normCDF(x float64) float64 { return 0.5 * math.Erfc(-x*invSqrt2) }
