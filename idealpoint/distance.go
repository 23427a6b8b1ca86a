package idealpoint

import (
	"math"
	"sort"

	"github.com/entente/entente"
)

// Distance is the ideal point distance of two states in one year, with its
// approximate 90% interval.
type Distance struct {
	Year   int
	XA, XB float64
	D      float64 // |XA − XB|
	Lo, Hi float64 // NaN when either point has no interval
}

// Distances pairs the points of states ccA and ccB year by year and returns their
// distances, by year. A year in which one of them has no point (it did not vote) is
// left out: unknown, not a distance.
func Distances(pts []entente.IdealPoint, ccA, ccB int) []Distance {
	byYear := map[int][2]*entente.IdealPoint{}
	for i := range pts {
		p := &pts[i]
		v := byYear[p.Year]
		switch p.CCode {
		case ccA:
			v[0] = p
		case ccB:
			v[1] = p
		default:
			continue
		}
		byYear[p.Year] = v
	}
	var out []Distance
	for y, v := range byYear {
		if v[0] == nil || v[1] == nil {
			continue
		}
		d, lo, hi := DistanceInterval(*v[0], *v[1])
		out = append(out, Distance{Year: y, XA: v[0].X, XB: v[1].X, D: d, Lo: lo, Hi: hi})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Year < out[j].Year })
	return out
}

// DistanceInterval is the distance between two points with its approximate 90%
// interval: each point's bootstrap interval read as a normal one (sd = width / 3.29),
// the two taken as independent, the lower bound cut at 0. NaN bounds when either point
// has no interval.
func DistanceInterval(a, b entente.IdealPoint) (d, lo, hi float64) {
	d = math.Abs(a.X - b.X)
	sa := (a.Hi() - a.Lo()) / 3.29
	sb := (b.Hi() - b.Lo()) / 3.29
	h := 1.645 * math.Sqrt(sa*sa+sb*sb)
	if math.IsNaN(h) {
		return d, math.NaN(), math.NaN()
	}
	return d, math.Max(0, d-h), d + h
}
