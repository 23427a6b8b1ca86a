package idealpoint

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/entente/entente"
)

// synth draws votes from the model: states with the given positions per year, items
// per year with random cut points, three categories.
func synth(rng *rand.Rand, pos map[int][]float64, items int) []entente.Ballot {
	var bs []entente.Ballot
	for year, xs := range pos {
		for j := range items {
			cut := rng.NormFloat64()
			disc := 1.5 + rng.Float64()
			b := entente.Ballot{Source: "synth", RollCallID: "x", Date: time.Date(year, 10, 1, 0, 0, 0, 0, time.UTC), Session: year - 1945}
			for s, x := range xs {
				z := disc*(x-cut) + rng.NormFloat64()
				v := entente.No
				switch {
				case z > 0.4:
					v = entente.Yes
				case z > -0.4:
					v = entente.Abstain
				}
				b.CCodes = append(b.CCodes, int16(s+1))
				b.Votes = append(b.Votes, v)
			}
			_ = j
			bs = append(bs, b)
		}
	}
	return bs
}

// guttman builds a single year of roll calls on which state s (1..n) votes yes exactly
// when s > cut, for each cut; the ordering 1 < 2 < ... < n is then certain.
func guttman(n int) []entente.Ballot {
	var bs []entente.Ballot
	for rep := range 3 {
		for cut := 1; cut < n; cut++ {
			b := entente.Ballot{Session: 60, Date: time.Date(2005, 10, 1+rep, 0, 0, 0, 0, time.UTC)}
			for s := 1; s <= n; s++ {
				v := entente.No
				switch {
				case s > cut+1:
					v = entente.Yes
				case s == cut+1 && rep == 1:
					v = entente.Abstain
				case s > cut:
					v = entente.Yes
				}
				b.CCodes = append(b.CCodes, int16(s))
				b.Votes = append(b.Votes, v)
			}
			bs = append(bs, b)
		}
	}
	return bs
}

func TestKnownOrdering(t *testing.T) {
	fit, err := Estimate(context.Background(), guttman(7), Options{Anchor: 7, MaxIter: 500})
	if err != nil {
		t.Fatal(err)
	}
	if len(fit.Points) != 7 {
		t.Fatalf("%d points, want 7", len(fit.Points))
	}
	for i := 1; i < len(fit.Points); i++ {
		a, b := fit.Points[i-1], fit.Points[i]
		if !(a.X < b.X) {
			t.Errorf("state %d at %.3f is not below state %d at %.3f", a.CCode, a.X, b.CCode, b.X)
		}
	}
	if fit.Points[6].X <= 0 {
		t.Errorf("anchor state 7 at %.3f, want positive", fit.Points[6].X)
	}
}

func TestUnanimousOnlyIsAnError(t *testing.T) {
	b := entente.Ballot{Session: 60, CCodes: []int16{1, 2, 3}, Votes: []entente.VoteValue{entente.Yes, entente.Yes, entente.Yes}}
	if _, err := Estimate(context.Background(), []entente.Ballot{b}, Options{}); err != ErrNoVotes {
		t.Fatalf("err = %v, want ErrNoVotes", err)
	}
}

func reverse(bs []entente.Ballot) []entente.Ballot {
	out := make([]entente.Ballot, len(bs))
	for i, b := range bs {
		b.Votes = append([]entente.VoteValue(nil), b.Votes...)
		for k, v := range b.Votes {
			switch v {
			case entente.Yes:
				b.Votes[k] = entente.No
			case entente.No:
				b.Votes[k] = entente.Yes
			}
		}
		out[i] = b
	}
	return out
}

func TestReversingVotesMirrorsPoints(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	pos := map[int][]float64{}
	for y := 2000; y < 2004; y++ {
		xs := make([]float64, 25)
		for s := range xs {
			xs[s] = float64(s-12)/6 + 0.1*float64(y-2000)
		}
		pos[y] = xs
	}
	bs := synth(rng, pos, 30)
	opt := Options{Anchor: -1, MaxIter: 5000, Tol: 1e-7} // no orientation: the mirror must show
	a, err := Estimate(context.Background(), bs, opt)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Estimate(context.Background(), reverse(bs), opt)
	if err != nil {
		t.Fatal(err)
	}
	// The direction of the scale is arbitrary without an anchor: the reversed fit must
	// be the same points on the reversed item scale, x' = −x, or with the spectral start
	// choosing the other direction, the identical points on mirrored items.
	sign := 1.0
	if a.Points[0].X*b.Points[0].X < 0 {
		sign = -1
	}
	for i := range a.Points {
		if d := math.Abs(a.Points[i].X - sign*b.Points[i].X); d > 1e-3 {
			t.Fatalf("point %+v vs reversed %+v: differ by %.4f", a.Points[i], b.Points[i], d)
		}
	}
	// With an anchor, the direction is fixed and the reversed votes flip every item,
	// not the points: the anchor stays positive.
	opt.Anchor = 25
	c, _ := Estimate(context.Background(), reverse(bs), opt)
	p, _ := c.Lookup(25, 2001)
	if p.X <= 0 {
		t.Errorf("anchor at %.3f after reversing, want positive", p.X)
	}
}

func TestCloneLandsNextToOriginal(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	xs := make([]float64, 30)
	for s := range xs {
		xs[s] = rng.NormFloat64()
	}
	bs := synth(rng, map[int][]float64{2010: xs}, 60)
	// State 31 votes as state 5 on every roll call.
	for i := range bs {
		bs[i].CCodes = append(bs[i].CCodes, 31)
		bs[i].Votes = append(bs[i].Votes, bs[i].Votes[4])
	}
	fit, err := Estimate(context.Background(), bs, Options{Anchor: 1, MaxIter: 5000, Tol: 1e-7})
	if err != nil {
		t.Fatal(err)
	}
	x5, _ := fit.Lookup(5, 2010)
	x31, _ := fit.Lookup(31, 2010)
	var lo, hi = math.Inf(1), math.Inf(-1)
	for _, p := range fit.Points {
		lo, hi = min(lo, p.X), max(hi, p.X)
	}
	if d := math.Abs(x5.X - x31.X); d > 0.01*(hi-lo) {
		t.Errorf("clone at %.4f, original at %.4f: %.4f apart on a range of %.2f", x31.X, x5.X, d, hi-lo)
	}
}

func TestUnrelatedYearStaysInBands(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	xs := make([]float64, 30)
	for s := range xs {
		xs[s] = rng.NormFloat64()
	}
	base := synth(rng, map[int][]float64{2010: xs}, 50)
	ys := make([]float64, 20)
	for s := range ys {
		ys[s] = rng.NormFloat64()
	}
	extra := synth(rng, map[int][]float64{1960: ys}, 50)
	opt := Options{Anchor: 1, MaxIter: 5000, Tol: 1e-7}
	alone, err := Estimate(context.Background(), base, opt)
	if err != nil {
		t.Fatal(err)
	}
	if err := alone.Bootstrap(context.Background(), 40, 7, nil); err != nil {
		t.Fatal(err)
	}
	both, err := Estimate(context.Background(), append(append([]entente.Ballot(nil), base...), extra...), opt)
	if err != nil {
		t.Fatal(err)
	}
	// The 1960 votes reach 2010 only through fifty steps of the walk: each 2010 point
	// must stay within its 90% band, allowing the one in ten a 90% band lets out, and
	// none may leave by more than the band's own width.
	outside := 0
	for _, p := range alone.Points {
		q, ok := both.Lookup(p.CCode, p.Year)
		if !ok {
			t.Fatalf("state %d year %d missing from the joint fit", p.CCode, p.Year)
		}
		if !(p.Lo < p.X && p.X < p.Hi) {
			t.Errorf("state %d: point %.3f outside its own band [%.3f, %.3f]", p.CCode, p.X, p.Lo, p.Hi)
		}
		if q.X < p.Lo || q.X > p.Hi {
			outside++
			t.Logf("state %d in %d: %.3f alone [%.3f, %.3f], %.3f with 1960 added", p.CCode, p.Year, p.X, p.Lo, p.Hi, q.X)
		}
		if w := p.Hi - p.Lo; q.X < p.Lo-w || q.X > p.Hi+w {
			t.Errorf("state %d moved from %.3f to %.3f, beyond its band [%.3f, %.3f] by more than its width", p.CCode, p.X, q.X, p.Lo, p.Hi)
		}
	}
	if outside > len(alone.Points)/10 {
		t.Errorf("%d of %d points left their 90%% band when an unrelated year was added", outside, len(alone.Points))
	}
}
