package http

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/entente/entente"
)

// The world map: world-atlas's countries-110m TopoJSON (vendored in ui/vendor),
// turned into GeoJSON once, with each country keyed by its entente state ID (found by
// ISO 3166-1 numeric code through the country registry) and the polygons that cross
// the antimeridian (Russia's Chukotka, Fiji) split at 180°, so maps drawn in plain
// longitude and latitude, as ECharts draws them, show no band across the world.

type topology struct {
	Transform *struct {
		Scale     [2]float64 `json:"scale"`
		Translate [2]float64 `json:"translate"`
	} `json:"transform"`
	Objects map[string]struct {
		Geometries []topoGeometry `json:"geometries"`
	} `json:"objects"`
	Arcs [][][2]float64 `json:"arcs"`
}

type topoGeometry struct {
	Type       string            `json:"type"`
	ID         string            `json:"id"`
	Properties map[string]string `json:"properties"`
	Arcs       json.RawMessage   `json:"arcs"`
}

type point = [2]float64
type ring = []point
type polygon = []ring

type geoFeature struct {
	Type       string         `json:"type"`
	ID         string         `json:"id,omitempty"`
	Properties map[string]any `json:"properties"`
	Geometry   geoGeometry    `json:"geometry"`
}

type geoGeometry struct {
	Type        string   `json:"type"`
	Coordinates [][]ring `json:"coordinates"`
}

type featureCollection struct {
	Type     string       `json:"type"`
	Features []geoFeature `json:"features"`
}

// worldGeoJSON converts the TopoJSON object name of topo into GeoJSON, naming each
// feature by the entente state its ISO numeric id has in countries today (features
// with no state keep the atlas's name, prefixed with "x:").
func worldGeoJSON(topo []byte, object string, countries entente.CountryService) ([]byte, error) {
	var t topology
	if err := json.Unmarshal(topo, &t); err != nil {
		return nil, fmt.Errorf("world map: %w", err)
	}
	obj, ok := t.Objects[object]
	if !ok {
		return nil, fmt.Errorf("world map: no object %q", object)
	}
	arcs := decodeArcs(&t)
	byNum := statesByISONum(countries)
	fc := featureCollection{Type: "FeatureCollection", Features: []geoFeature{}}
	for _, g := range obj.Geometries {
		var polys []polygon
		switch g.Type {
		case "Polygon":
			var rings [][]int
			if err := json.Unmarshal(g.Arcs, &rings); err != nil {
				return nil, fmt.Errorf("world map: %s: %w", g.ID, err)
			}
			polys = []polygon{assemble(arcs, rings)}
		case "MultiPolygon":
			var ps [][][]int
			if err := json.Unmarshal(g.Arcs, &ps); err != nil {
				return nil, fmt.Errorf("world map: %s: %w", g.ID, err)
			}
			for _, rings := range ps {
				polys = append(polys, assemble(arcs, rings))
			}
		default:
			continue
		}
		var coords [][]ring
		for _, p := range polys {
			for _, q := range splitAntimeridian(p) {
				coords = append(coords, roundPolygon(q))
			}
		}
		label := g.Properties["name"]
		f := geoFeature{Type: "Feature", Properties: map[string]any{"label": label}, Geometry: geoGeometry{Type: "MultiPolygon", Coordinates: coords}}
		n, _ := strconv.Atoi(g.ID)
		c, ok := byNum[n]
		if !ok && g.ID == "" {
			c, ok = countries.ByName(label, time.Time{})
		}
		if ok {
			f.ID = c.ID
			f.Properties["name"] = c.ID
			f.Properties["label"] = c.Name
			f.Properties["iso_num"] = c.ISONum
		} else {
			f.Properties["name"] = "x:" + label
		}
		fc.Features = append(fc.Features, f)
	}
	return json.Marshal(fc)
}

// statesByISONum maps ISO numeric codes to the states that hold them now (the latest
// spell of each code).
func statesByISONum(countries entente.CountryService) map[int]entente.Country {
	m := map[int]entente.Country{}
	for _, c := range countries.All() {
		if c.ISONum == 0 {
			continue
		}
		if old, ok := m[c.ISONum]; !ok || old.End.IsZero() == c.End.IsZero() && c.Begin.After(old.Begin) || !old.End.IsZero() && c.End.IsZero() {
			m[c.ISONum] = c
		}
	}
	return m
}

// decodeArcs turns the quantized, delta-encoded arcs into positions.
func decodeArcs(t *topology) [][]point {
	sx, sy, tx, ty := 1.0, 1.0, 0.0, 0.0
	if t.Transform != nil {
		sx, sy = t.Transform.Scale[0], t.Transform.Scale[1]
		tx, ty = t.Transform.Translate[0], t.Transform.Translate[1]
	}
	out := make([][]point, len(t.Arcs))
	for i, a := range t.Arcs {
		var x, y float64
		pts := make([]point, len(a))
		for j, p := range a {
			if t.Transform != nil {
				x, y = x+p[0], y+p[1]
			} else {
				x, y = p[0], p[1]
			}
			pts[j] = point{x*sx + tx, y*sy + ty}
		}
		out[i] = pts
	}
	return out
}

// assemble joins the arcs of each ring; a negative index ~i is arc i reversed, and
// each arc after the first repeats the previous arc's last position, which is dropped.
func assemble(arcs [][]point, rings [][]int) polygon {
	var p polygon
	for _, ids := range rings {
		var r ring
		for k, id := range ids {
			var a []point
			if id >= 0 {
				a = arcs[id]
			} else {
				src := arcs[^id]
				a = make([]point, len(src))
				for j := range src {
					a[j] = src[len(src)-1-j]
				}
			}
			if k > 0 && len(a) > 0 {
				a = a[1:]
			}
			r = append(r, a...)
		}
		p = append(p, r)
	}
	return p
}

// crossings counts the edges of r that jump more than 180° in longitude: the ring goes
// across the antimeridian there.
func crossings(r ring) int {
	n := 0
	for i := 1; i < len(r); i++ {
		if math.Abs(r[i][0]-r[i-1][0]) > 180 {
			n++
		}
	}
	return n
}

// splitAntimeridian returns p unchanged unless its outer ring crosses the antimeridian
// and comes back (an even, non-zero number of jumps; a ring around a pole, like
// Antarctica's, jumps once and is left alone). Such a ring is unwrapped into
// continuous longitudes and cut at ±180° into pieces, each shifted back into
// [−180, 180]. Holes go with the piece their first position falls in.
func splitAntimeridian(p polygon) []polygon {
	if len(p) == 0 {
		return nil
	}
	if n := crossings(p[0]); n == 0 || n%2 == 1 {
		return []polygon{p}
	}
	outer := unwrap(p[0])
	var out []polygon
	for _, shift := range []float64{-360, 0, 360} {
		lo, hi := -180-shift, 180-shift
		piece := clipX(clipX(outer, lo, true), hi, false)
		if len(piece) < 4 {
			continue
		}
		for i := range piece {
			piece[i][0] += shift
		}
		out = append(out, polygon{piece})
	}
	for _, hole := range p[1:] {
		for _, q := range out {
			if inRing(hole[0], q[0]) {
				q = append(q, hole)
				break
			}
		}
	}
	return out
}

// unwrap shifts longitudes by multiples of 360° so that no edge is longer than 180°.
func unwrap(r ring) ring {
	out := make(ring, len(r))
	copy(out, r)
	for i := 1; i < len(out); i++ {
		for out[i][0]-out[i-1][0] > 180 {
			out[i][0] -= 360
		}
		for out[i][0]-out[i-1][0] < -180 {
			out[i][0] += 360
		}
	}
	return out
}

// clipX clips a closed ring to the half-plane x >= c (keepAbove) or x <= c
// (Sutherland–Hodgman against one vertical line). The result is closed, or empty.
func clipX(r ring, c float64, keepAbove bool) ring {
	inside := func(p point) bool {
		if keepAbove {
			return p[0] >= c
		}
		return p[0] <= c
	}
	cut := func(a, b point) point {
		t := (c - a[0]) / (b[0] - a[0])
		return point{c, a[1] + t*(b[1]-a[1])}
	}
	var out ring
	n := len(r)
	if n > 1 && r[0] == r[n-1] {
		n-- // work on the open ring
	}
	for i := 0; i < n; i++ {
		cur, prev := r[i], r[(i+n-1)%n]
		switch {
		case inside(cur) && inside(prev):
			out = append(out, cur)
		case inside(cur):
			out = append(out, cut(prev, cur), cur)
		case inside(prev):
			out = append(out, cut(prev, cur))
		}
	}
	if len(out) > 0 {
		out = append(out, out[0])
	}
	return out
}

// inRing reports whether p lies inside the closed ring r (even-odd rule).
func inRing(p point, r ring) bool {
	in := false
	for i, j := 0, len(r)-1; i < len(r); j, i = i, i+1 {
		a, b := r[i], r[j]
		if (a[1] > p[1]) != (b[1] > p[1]) && p[0] < (b[0]-a[0])*(p[1]-a[1])/(b[1]-a[1])+a[0] {
			in = !in
		}
	}
	return in
}

// roundPolygon keeps 3 decimals (about 100 m), ample for a 1:110m map.
func roundPolygon(p polygon) []ring {
	out := make([]ring, len(p))
	for i, r := range p {
		q := make(ring, len(r))
		for j, pt := range r {
			q[j] = point{math.Round(pt[0]*1000) / 1000, math.Round(pt[1]*1000) / 1000}
		}
		out[i] = q
	}
	return out
}
