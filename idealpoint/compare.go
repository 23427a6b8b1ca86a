package idealpoint

import (
	"math"
	"slices"
)

// Key names a state-year.
type Key struct{ CCode, Year int }

// YearR is the correlation of two sets of positions within one year.
type YearR struct {
	Year int
	N    int
	R    float64
}

// Agreement measures how closely estimates follow reference positions (the published
// Bailey-Strezhnev-Voeten estimates) over the state-years both hold in [from, to].
type Agreement struct {
	N       int     // state-years compared
	Pooled  float64 // Pearson r over all of them
	ByYear  []YearR // per-year Pearson r, by year
	Median  float64 // median of ByYear's R
	Reflect bool    // true when ref had to be compared after reversing direction
}

// Compare computes the agreement of points with ref over years [from, to]. Years with
// fewer than 10 shared states get no per-year r.
func Compare(points []Point, ref map[Key]float64, from, to int) Agreement {
	var xs, ys []float64
	byYear := map[int][2][]float64{}
	for _, p := range points {
		if p.Year < from || p.Year > to {
			continue
		}
		r, ok := ref[Key{p.CCode, p.Year}]
		if !ok || math.IsNaN(r) {
			continue
		}
		xs = append(xs, p.X)
		ys = append(ys, r)
		v := byYear[p.Year]
		v[0] = append(v[0], p.X)
		v[1] = append(v[1], r)
		byYear[p.Year] = v
	}
	a := Agreement{N: len(xs), Pooled: Pearson(xs, ys)}
	var rs []float64
	for y, v := range byYear {
		if len(v[0]) < 10 {
			continue
		}
		r := Pearson(v[0], v[1])
		a.ByYear = append(a.ByYear, YearR{Year: y, N: len(v[0]), R: r})
		rs = append(rs, r)
	}
	slices.SortFunc(a.ByYear, func(p, q YearR) int { return p.Year - q.Year })
	a.Median = median(rs)
	return a
}

// Pearson returns the correlation of x and y (NaN when undefined).
func Pearson(x, y []float64) float64 {
	n := float64(len(x))
	if n < 2 {
		return math.NaN()
	}
	var sx, sy float64
	for i := range x {
		sx += x[i]
		sy += y[i]
	}
	mx, my := sx/n, sy/n
	var cxy, cxx, cyy float64
	for i := range x {
		dx, dy := x[i]-mx, y[i]-my
		cxy += dx * dy
		cxx += dx * dx
		cyy += dy * dy
	}
	return cxy / math.Sqrt(cxx*cyy)
}

func median(v []float64) float64 {
	if len(v) == 0 {
		return math.NaN()
	}
	s := slices.Clone(v)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}
