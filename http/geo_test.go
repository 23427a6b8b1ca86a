package http

import (
	"encoding/json"
	"math"
	"testing"

	"github.com/entente/entente/country"
)

// TestWorldGeoJSON checks the map the dashboard draws: every state of the atlas keyed
// by its entente ID, and no edge longer than 180° of longitude (the band a polygon
// crossing the antimeridian draws across the map), but for Antarctica's ring around the
// pole.
func TestWorldGeoJSON(t *testing.T) {
	topo, err := uiFS.ReadFile("ui/vendor/countries-110m.json")
	if err != nil {
		t.Fatal(err)
	}
	b, err := worldGeoJSON(topo, "countries", country.Default())
	if err != nil {
		t.Fatal(err)
	}
	var fc featureCollection
	if err := json.Unmarshal(b, &fc); err != nil {
		t.Fatal(err)
	}
	byID := map[string]geoFeature{}
	for _, f := range fc.Features {
		if f.ID != "" {
			byID[f.ID] = f
		}
		if f.Properties["label"] == "Antarctica" {
			continue
		}
		for _, poly := range f.Geometry.Coordinates {
			for _, r := range poly {
				if len(r) < 4 || r[0] != r[len(r)-1] {
					t.Errorf("%s: ring of %d positions, not closed", f.Properties["label"], len(r))
				}
				for i := 1; i < len(r); i++ {
					if math.Abs(r[i][0]-r[i-1][0]) > 180 {
						t.Errorf("%s: edge from %v to %v crosses the map", f.Properties["label"], r[i-1], r[i])
					}
					if r[i][0] < -180 || r[i][0] > 180 {
						t.Errorf("%s: longitude %v out of range", f.Properties["label"], r[i][0])
					}
				}
			}
		}
	}
	if len(fc.Features) != 177 || len(byID) < 165 {
		t.Errorf("%d features, %d with a state", len(fc.Features), len(byID))
	}
	for id, name := range map[string]string{"USA": "United States of America", "RUS": "Russia", "FJI": "Fiji", "XKX": "Kosovo", "SSD": "South Sudan"} {
		if f, ok := byID[id]; !ok || f.Properties["name"] != id || f.Properties["label"] != name {
			t.Errorf("%s: %+v", id, f.Properties)
		}
	}
	// Russia reaches both edges of the map: Chukotka east of 180° is split off, not lost.
	lo, hi := 0.0, 0.0
	for _, poly := range byID["RUS"].Geometry.Coordinates {
		for _, p := range poly[0] {
			lo, hi = math.Min(lo, p[0]), math.Max(hi, p[0])
		}
	}
	if lo > -179 || hi < 179.9 {
		t.Errorf("Russia spans %v..%v", lo, hi)
	}
}

func TestSplitAntimeridian(t *testing.T) {
	// A square from 170° to -170° (190°..200° unwrapped), crossing 180°.
	p := polygon{{{170, 0}, {-170, 0}, {-170, 10}, {170, 10}, {170, 0}}}
	got := splitAntimeridian(p)
	if len(got) != 2 {
		t.Fatalf("%d pieces: %v", len(got), got)
	}
	for _, q := range got {
		for _, pt := range q[0] {
			if pt[0] < -180 || pt[0] > 180 {
				t.Errorf("piece %v leaves the map", q[0])
			}
		}
	}
}
