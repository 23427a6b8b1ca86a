package index

import (
	"math"
	"testing"
)

// TestUNContest checks the contested weighing of roll calls: agreement beyond chance,
// each roll call weighed by (1 − e)^p.
func TestUNContest(t *testing.T) {
	cfg := DefaultConfig()
	cfg.UNContest = 0.5
	cfg.UNSpread = 1
	// Roll call 0: the focal state voted with nearly everyone (e = 0.9); roll call 1: in
	// a small minority (e = 0.2).
	fr := &frame{chance: []float64{0.9, 0.2}, unMean: 0.7}
	agreeBoth := &dyad{un: []uint8{0, 0}, unRC: []int32{0, 1}}      // yes/yes twice
	agreeConsensus := &dyad{un: []uint8{0, 2}, unRC: []int32{0, 1}} // agrees on 0, opposite on 1
	agreeMinority := &dyad{un: []uint8{2, 0}, unRC: []int32{0, 1}}  // opposite on 0, agrees on 1

	w0, w1 := math.Sqrt(0.1), math.Sqrt(0.8)
	want := func(a0, a1 float64) float64 { return (w0*(a0-0.9) + w1*(a1-0.2)) / (w0 + w1) }
	for _, c := range []struct {
		name string
		d    *dyad
		want float64
	}{
		{"agrees on both", agreeBoth, want(1, 1)},
		{"agrees only with the majority", agreeConsensus, want(1, 0)},
		{"agrees only in the minority", agreeMinority, want(0, 1)},
	} {
		v, m := fr.unValue(&cfg, c.d, nil)
		if math.Abs(v-c.want) > 1e-12 {
			t.Errorf("%s: value %.6f, want %.6f", c.name, v, c.want)
		}
		if m != min(1, 2/cfg.MinRollCalls) {
			t.Errorf("%s: mass %.3f, want %.3f", c.name, m, 2/cfg.MinRollCalls)
		}
	}
	// Joining the focal state in a minority counts for more than joining it with the
	// majority: the same agreement (1 of 2) ranks the minority partner higher.
	if a, b := mustValue(t, fr, &cfg, agreeMinority), mustValue(t, fr, &cfg, agreeConsensus); a <= b {
		t.Errorf("minority partner %.3f, majority partner %.3f: want the minority partner higher", a, b)
	}
	// p = 0 is plain agreement centred on the mean pair agreement.
	cfg.UNContest = 0
	if v := mustValue(t, fr, &cfg, agreeConsensus); math.Abs(v-(0.5-0.7)) > 1e-12 {
		t.Errorf("un_contest 0: value %.6f, want %.6f", v, 0.5-0.7)
	}
	// No roll call: unknown, not 0.
	cfg.UNContest = 0.5
	if v, m := fr.unValue(&cfg, &dyad{}, nil); !math.IsNaN(v) || m != 0 {
		t.Errorf("no roll call: %v, %v; want NaN, 0", v, m)
	}
}

func mustValue(t *testing.T, fr *frame, cfg *Config, d *dyad) float64 {
	t.Helper()
	v, _ := fr.unValue(cfg, d, nil)
	if math.IsNaN(v) {
		t.Fatal("unexpected NaN")
	}
	return v
}
