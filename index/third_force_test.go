package index

import (
	"math"
	"testing"
	"time"

	"github.com/entente/entente"
	"github.com/entente/entente/country"
)

// TestThirdForce: a third party's force records with the other states enter their
// third-party term: hostility toward the third party (a rivalry) raises a state,
// cooperation with it (arms, when arms weigh) lowers one; records with the focal state,
// outside the years read, or of a kind weighed 0 add nothing.
func TestThirdForce(t *testing.T) {
	at := entente.Day(1971, 1, 1)
	day := at.AddDate(0, 0, -1)
	st := func(iso string) entente.Country {
		c, ok := country.Default().ByISO3(iso, day)
		if !ok {
			t.Fatalf("%s not in the registry at %s", iso, day.Format(time.DateOnly))
		}
		return c
	}
	build := func(cfg Config) *frame {
		e := New(nil, country.Default(), nil, cfg)
		fr := &frame{focal: st("IND"), at: at, byID: map[string]int{},
			third: []string{"CHN"}, thirdWeight: []float64{0.7}, thirdLag: []float64{-0.7}}
		for _, iso := range []string{"CHN", "SUN", "USA", "POL", "PAK"} {
			fr.byID[iso] = len(fr.dyads)
			fr.dyads = append(fr.dyads, dyad{other: st(iso)})
		}
		fd := &forceData{recs: []forceRec{
			{other: "SUN", year: 1969, kind: "rivalry", strength: 1, what: "Sino-Soviet rivalry"},
			{other: "USA", year: 1970, kind: "arms", strength: 0.5, what: "arms to China"},
			{other: "POL", year: 1970, kind: "arms", strength: 1, what: "arms to China"},
			{other: "IND", year: 1969, kind: "rivalry", strength: 1, what: "the focal state's own"},
			{other: "PAK", year: 1950, kind: "disputes", strength: 1, what: "before the years read"},
			{other: "PAK", year: 1971, kind: "disputes", strength: 1, what: "after the date"},
		}}
		e.addThirdForce(fr, 0, fd, 1961, 1970)
		return fr
	}
	value := func(cfg Config, fr *frame, iso string) (float64, int) {
		d := &fr.dyads[fr.byID[iso]]
		v, _ := New(nil, country.Default(), nil, cfg).thirdValue(fr, d.third, nil)
		return v, len(d.third)
	}

	cfg := DefaultConfig()
	cfg.ThirdForce = 1
	fr := build(cfg)
	if v, n := value(cfg, fr, "SUN"); n != 1 || v != 1 {
		t.Errorf("SUN, a rival of the third party: third = %v from %d items, want 1 from 1", v, n)
	}
	for _, iso := range []string{"USA", "POL", "PAK", "IND"} {
		if v, n := value(cfg, fr, iso); n != 0 || !math.IsNaN(v) {
			t.Errorf("%s: third = %v from %d items, want none (arms weigh 0; records outside 1961-1970 or with the focal state)", iso, v, n)
		}
	}
	d := &fr.dyads[fr.byID["SUN"]]
	want := -2 * math.Exp2(-years(at.Sub(entente.Day(1970, 1, 1)))/3) // rivalry weight 2, decayed from 1969's end, half-life 3
	if it := d.third[0]; math.Abs(it.s-want) > 1e-12 || it.rec == nil || it.c != 0 {
		t.Errorf("SUN's item: s %v (want %v), rec %v, third party %d", it.s, want, it.rec, it.c)
	}

	cfg.ForceWeights["arms"] = 1
	cfg.ThirdForce = 2
	fr = build(cfg)
	if v, n := value(cfg, fr, "USA"); n != 1 || v != -1 {
		t.Errorf("USA, arming the third party: third = %v from %d items, want -1 from 1", v, n)
	}
	d = &fr.dyads[fr.byID["SUN"]]
	if it := d.third[0]; math.Abs(it.s-2*want) > 1e-12 {
		t.Errorf("third_force 2 doubles the item: %v, want %v", it.s, 2*want)
	}
}
