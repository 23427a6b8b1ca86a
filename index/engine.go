// Package index combines entente's signals into one alignment score per focal state,
// other state and date, with a class, an uncertainty interval, change points and an
// explanation down to the evidence. docs/index.md gives the method: every weight,
// normalisation, decay and threshold, with references; Config holds the numbers.
//
// The engine reads facts through Source (entente.Store satisfies it), the bloc registry
// and the country registry; it keeps nothing between calls except what one call loads.
// An Engine is safe for concurrent use.
package index

import (
	"context"
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/entente/entente"
	"github.com/entente/entente/bloc"
)

// Engine computes the index.
type Engine struct {
	src       Source
	countries entente.CountryService
	blocs     *bloc.Registry
	cfg       Config
	cache     *slowCache // force and ideal-point data, shared by reweighted copies
}

// New returns an engine reading facts from src. blocs may be nil (only the blocs found
// in the store count); cfg is copied.
func New(src Source, countries entente.CountryService, blocs *bloc.Registry, cfg Config) *Engine {
	return &Engine{src: src, countries: countries, blocs: blocs, cfg: cfg.Clone(), cache: newSlowCache()}
}

// Config returns a copy of the engine's configuration.
func (e *Engine) Config() Config { return e.cfg.Clone() }

// Source is what the engine reads from (a store, or a read cache over one): callers that
// read beside it (rank's coverage note) read the same way.
func (e *Engine) Source() Source { return e.src }

func (e *Engine) windowMonths() int { return 12 }

// Contribution is one signal's part in a score.
type Contribution struct {
	Value        float64 // the signal in [−1, 1]; NaN when unavailable
	Weight       float64 // its effective weight; 0 when unavailable
	Contribution float64 // Weight · Value / Σ Weight: its part of the score
	N            int     // evidence items behind it
	Note         string  // what the value is made of, or why it is missing
}

// Available reports whether the signal entered the score.
func (c Contribution) Available() bool { return c.Weight > 0 && !math.IsNaN(c.Value) }

// Score is the alignment of one state with the focal state at a date.
type Score struct {
	Other   entente.Country
	Score   float64 // in [−1, 1]; NaN when no signal is available
	Lo, Hi  float64 // bootstrap interval at Config.Level
	Class   string
	Flags   []string // shared blocs, frozen participation, a defence treaty
	Signals [NumSignals]Contribution

	reps []float64 // bootstrap replicates of Score
}

// Ranking is every state's score with one focal state at one date.
type Ranking struct {
	Focal     entente.Country
	From, At  time.Time // the window [From, At) of the windowed signals
	Scores    []Score   // highest first; unknown scores last
	Coverage  [NumSignals]int
	RollCalls int       // in the window
	UNMean    float64   // mean agreement of every pair of states over the window's roll calls
	Unknown   int       // states with no signal, left out of Scores
	LeftOut   []LeftOut // those states, in registry order, and why (leftout.go)
}

// Window returns the window that ends at the exclusive date at.
func (e *Engine) Window(at time.Time) (from, to time.Time) {
	return at.AddDate(0, -e.windowMonths(), 0), at
}

// Rank scores every state against focal (a state named as everywhere: RUS, 365,
// "Russia") at date at; see RankState. It resolves focal with Resolve.
func (e *Engine) Rank(ctx context.Context, focal string, at time.Time) (*Ranking, error) {
	fc, err := e.Resolve(focal, at)
	if err != nil {
		return nil, err
	}
	return e.RankState(ctx, fc, at)
}

// RankState scores every state against focal at date at: the windowed signals cover
// [at − 12 months, at), decays run to at. Scores come highest first. A date after the
// store's data is refused (CheckDataEnd).
func (e *Engine) RankState(ctx context.Context, fc entente.Country, at time.Time) (*Ranking, error) {
	fr, err := e.frameAt(ctx, fc, at)
	if err != nil {
		return nil, err
	}
	return e.rank(fr), nil
}

// Prefetch makes the reads RankState(fc, at) makes, and scores nothing: through a read
// cache (package readcache) it leaves them kept for the commands that follow. The reads
// are of whole years (loadFrames) and of every state's force records: they are the same
// for every focal state and for every date t with the same next 1 January on or after
// t, so one Prefetch a year serves any rank of that year.
func (e *Engine) Prefetch(ctx context.Context, fc entente.Country, at time.Time) error {
	_, err := e.frameAt(ctx, fc, at)
	return err
}

// frameAt loads the facts of the window that ends at at and gathers the evidence of
// every state with fc, with the third-party term read from the scores a window earlier.
// A date after the store's data is refused (CheckDataEnd, dataend.go): the check reads
// beside the load, and its refusal is the answer whatever the load did.
func (e *Engine) frameAt(ctx context.Context, fc entente.Country, at time.Time) (*frame, error) {
	prev := at.AddDate(0, -e.windowMonths(), 0)
	checked := make(chan error, 1)
	go func() { checked <- e.CheckDataEnd(ctx, at) }()
	f, err := e.loadFrames(ctx, fc, prev, at)
	if cerr := <-checked; cerr != nil {
		return nil, cerr
	}
	if err != nil {
		return nil, err
	}
	lag, err := e.lagged(ctx, f, fc, prev)
	if err != nil {
		return nil, err
	}
	return e.frame(ctx, f, fc, at, lag)
}

// lagged returns the direct scores of direct, kept between calls when the engine keeps
// its facts (keyed by focal state, date and weights).
func (e *Engine) lagged(ctx context.Context, f *facts, fc entente.Country, prev time.Time) (map[string]float64, error) {
	return e.cache.lags.get(e.cache.keepFacts, e.lagKey(fc, prev), func() (map[string]float64, error) { return e.direct(ctx, f, fc, prev) })
}

// lagKey is the key of the lagged scores of fc at prev.
func (e *Engine) lagKey(fc entente.Country, prev time.Time) string {
	return fmt.Sprint(fc.ID, "|", prev.Format(time.DateOnly), "|", e.cfg.Weights)
}

func (e *Engine) rank(fr *frame) *Ranking {
	r := &Ranking{Focal: fr.focal, From: fr.from, At: fr.at, RollCalls: fr.rollCalls, UNMean: fr.unMean}
	// The dyads are scored in parallel (each bootstrap draws from its own generator,
	// seeded by the dyad), then gathered in order.
	scores := make([]Score, len(fr.dyads))
	workers := min(runtime.GOMAXPROCS(0), 8)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(fr.dyads); i += workers {
				scores[i] = e.score(fr, &fr.dyads[i], true)
			}
		}()
	}
	wg.Wait()
	for _, s := range scores {
		if math.IsNaN(s.Score) {
			r.Unknown++
			r.LeftOut = append(r.LeftOut, leftOut(&s))
			continue
		}
		for k := range s.Signals {
			if s.Signals[k].Available() {
				r.Coverage[k]++
			}
		}
		r.Scores = append(r.Scores, s)
	}
	sort.SliceStable(r.Scores, func(i, j int) bool {
		a, b := r.Scores[i], r.Scores[j]
		if a.Score != b.Score {
			return a.Score > b.Score
		}
		return a.Other.ID < b.Other.ID
	})
	return r
}

// score computes one dyad's score, its contributions and, with boot, its interval.
// Each signal has a value v in [−1, 1] and a mass m in (0, 1] that says how much
// evidence is behind it; the score is Σ w·m·v / Σ w·m over the available signals.
func (e *Engine) score(fr *frame, d *dyad, boot bool) Score {
	s := Score{Other: d.other, Flags: d.flags, Score: math.NaN(), Lo: math.NaN(), Hi: math.NaN()}
	vals, mass := e.values(fr, d, nil)
	wts, total := e.weights(vals, mass)
	s.Score = Combine(vals, wts, e.cfg.MinEvidence)
	for k := range NumSignals {
		c := Contribution{Value: vals[k], Weight: wts[k], N: d.n[k], Note: d.notes[k]}
		if wts[k] > 0 && total > 0 {
			c.Contribution = wts[k] * vals[k] / max(total, e.cfg.MinEvidence)
		}
		s.Signals[k] = c
	}
	s.Class = e.cfg.Class(s.Score)
	if n := known(wts); n == 1 {
		// The README's meaning: the score is known from one signal only.
		s.Flags = append(append([]string(nil), s.Flags...), "single-signal")
	}
	if boot && !math.IsNaN(s.Score) {
		s.reps = e.bootstrap(fr, d, vals)
		s.Lo, s.Hi = interval(s.reps, e.cfg.Level)
	}
	return s
}

// values returns each signal's value and mass, from all evidence items or, with draw,
// from a bootstrap draw of them. Unavailable signals have a NaN value.
func (e *Engine) values(fr *frame, d *dyad, draw func(n int) []int) (vals, mass [NumSignals]float64) {
	pick := func(n int) []int {
		if draw == nil {
			return nil
		}
		return draw(n)
	}
	vals[kUN], mass[kUN] = fr.unValue(&e.cfg, d, pick(len(d.un)))
	vals[kIdeal], mass[kIdeal] = d.ideal, 1
	vals[kAlliances], mass[kAlliances] = d.alliance, d.allianceMass
	vals[kBlocs], mass[kBlocs] = d.blocs, 1
	vals[kEvents], mass[kEvents] = e.eventValue(d.events, pick(len(d.events)))
	vals[kLedger], mass[kLedger] = e.ledgerValue(d.ledger, pick(len(d.ledger)))
	vals[kAid], mass[kAid] = e.aidValue(d.aid, pick(len(d.aid)))
	vals[kForce], mass[kForce] = e.forceValue(d.force, pick(len(d.force)))
	vals[kThird], mass[kThird] = e.thirdValue(fr, d.third, pick(len(d.third)))
	return vals, mass
}

// weights returns the effective weights w·m of the available signals and their sum.
func (e *Engine) weights(vals, mass [NumSignals]float64) (wts [NumSignals]float64, total float64) {
	for k := range NumSignals {
		if math.IsNaN(vals[k]) || math.IsNaN(mass[k]) {
			continue
		}
		if w := e.cfg.Weights[k] * mass[k]; w > 0 {
			wts[k] = w
			total += w
		}
	}
	return wts, total
}

// known counts the signals that entered the score.
func known(wts [NumSignals]float64) int {
	n := 0
	for k := range NumSignals {
		if wts[k] > 0 {
			n++
		}
	}
	return n
}

// Combine is the index's combination of signal values vals with effective weights wm
// (w·m; 0 for an unavailable signal): Σ wm·v / max(Σ wm, least), evidence below least
// drawn toward 0. It is NaN when no signal about the dyad itself has weight: the
// third-party term alone makes no score.
func Combine(vals, wm [NumSignals]float64, least float64) float64 {
	var sum, total float64
	direct := false
	for k := range NumSignals {
		if wm[k] > 0 {
			sum += wm[k] * vals[k]
			total += wm[k]
			direct = direct || k != kThird
		}
	}
	if !direct {
		return math.NaN()
	}
	return sum / max(total, least)
}

// bootstrap resamples, with replacement, the evidence items of each resampled signal
// (roll calls, event months, acts, aid months, third-party items) and recomputes the
// score; formal ties (alliances, blocs) are held fixed. A signal a draw leaves
// undefined keeps its point value. The draws depend only on the seed, the dyad and the
// date.
func (e *Engine) bootstrap(fr *frame, d *dyad, point [NumSignals]float64) []float64 {
	h := fnv.New64a()
	h.Write([]byte(fr.focal.ID + "|" + d.other.ID + "|" + fr.at.Format(time.DateOnly)))
	rng := rand.NewPCG(e.cfg.Seed, h.Sum64()) // called directly: rand.Rand.Uint64's values, without its interface call
	reps := make([]float64, e.cfg.Replicates)
	var idx []int
	// Two indexes per 64 random bits, each ⌊u·n / 2³²⌋ of a 32-bit half u: the bias,
	// below n / 2³², is far under the bootstrap's own noise.
	draw := func(n int) []int {
		if cap(idx) < n {
			idx = make([]int, n)
		}
		idx = idx[:n]
		nn := uint64(n)
		i := 0
		for ; i+1 < n; i += 2 {
			u := rng.Uint64()
			idx[i] = int((u & 0xffffffff) * nn >> 32)
			idx[i+1] = int((u >> 32) * nn >> 32)
		}
		if i < n {
			idx[i] = int((rng.Uint64() & 0xffffffff) * nn >> 32)
		}
		return idx
	}
	_, pmass := e.values(fr, d, nil)
	if e.cfg.UNContest > 0 {
		fr.unTerms(&e.cfg, d)
	}
	for b := range reps {
		v, m := e.values(fr, d, draw)
		for k := range NumSignals {
			if math.IsNaN(v[k]) && !math.IsNaN(point[k]) {
				v[k], m[k] = point[k], pmass[k]
			}
		}
		wts, _ := e.weights(v, m)
		reps[b] = Combine(v, wts, e.cfg.MinEvidence)
	}
	return reps
}

// interval returns the central interval of probability level of the replicates.
func interval(reps []float64, level float64) (lo, hi float64) {
	s := slices.Clone(reps)
	slices.Sort(s)
	q := func(p float64) float64 {
		if len(s) == 0 {
			return math.NaN()
		}
		x := p * float64(len(s)-1)
		i := int(x)
		if i+1 >= len(s) {
			return s[len(s)-1]
		}
		return s[i] + (x-float64(i))*(s[i+1]-s[i])
	}
	a := (1 - level) / 2
	return q(a), q(1 - a)
}

// decay is the weight of evidence of age years: 2^(−age/half-life).
func (e *Engine) decay(age float64) float64 {
	if age < 0 {
		age = 0
	}
	return math.Exp2(-age / e.cfg.HalfLife)
}

func years(d time.Duration) float64 { return d.Hours() / (24 * 365.25) }

// ledgerValue returns the balance (E+ − E−) / (E+ + E−) of the items' signed,
// decayed weights and the mass (E+ + E−) / (E+ + E− + c).
func (e *Engine) ledgerValue(items []ledgerItem, idx []int) (v, m float64) {
	return balance(len(items), idx, func(i int) float64 { return items[i].s }, e.cfg.LedgerPrior)
}

// balance returns Σ s / Σ |s| over the n items (all, or a draw) and the mass
// Σ |s| / (Σ |s| + prior); NaN and 0 with no item or no weight.
func balance(n int, idx []int, s func(int) float64, prior float64) (v, m float64) {
	if n == 0 {
		return math.NaN(), 0
	}
	var sum, abs float64
	each(n, idx, func(i int) {
		sum += s(i)
		abs += math.Abs(s(i))
	})
	if abs == 0 {
		return math.NaN(), 0
	}
	return sum / abs, abs / (abs + prior)
}

// eventValue returns clamp(G / scale), G the decayed, NumSources-weighted Goldstein
// mean, and the mass W / (W + W0), W the decayed NumSources behind it.
func (e *Engine) eventValue(items []eventItem, idx []int) (v, m float64) {
	if len(items) == 0 {
		return math.NaN(), 0
	}
	var g, w float64
	each(len(items), idx, func(i int) {
		g += items[i].gsum * items[i].decay
		w += items[i].weight * items[i].decay
	})
	if w <= 0 {
		return math.NaN(), 0
	}
	return clamp(g / w / e.cfg.EventScale), w / (w + e.cfg.EventPrior)
}

// aidValue returns 1 (aid is cooperation) with the mass 1 − exp(−Σ decayed EUR bn /
// scale).
func (e *Engine) aidValue(items []aidItem, idx []int) (v, m float64) {
	if len(items) == 0 {
		return math.NaN(), 0
	}
	var sum float64
	each(len(items), idx, func(i int) { sum += items[i].eur * items[i].decay })
	return 1, 1 - math.Exp(-sum/e.cfg.AidScale)
}

// thirdValue returns −Σ_C w_C S_C / Σ_C w_C |S|_C, S_C the signed cooperation weights of
// the items with third party C and w_C its weight, and the mass X / (X + c), X =
// Σ_C w_C |S|_C.
func (e *Engine) thirdValue(fr *frame, items []thirdItem, idx []int) (v, m float64) {
	if len(items) == 0 {
		return math.NaN(), 0
	}
	var num, den float64
	each(len(items), idx, func(i int) {
		w := fr.thirdWeight[items[i].c]
		num += w * items[i].s
		den += w * math.Abs(items[i].s)
	})
	if den == 0 {
		return math.NaN(), 0
	}
	return -num / den, den / (den + e.cfg.ThirdPrior)
}

// each calls fn on every index 0..n-1, or on the indexes of a bootstrap draw.
func each(n int, idx []int, fn func(int)) {
	if idx == nil {
		for i := range n {
			fn(i)
		}
		return
	}
	for _, i := range idx {
		fn(i)
	}
}

func clamp(x float64) float64 { return max(-1, min(1, x)) }

// unValue maps the pair's roll calls (all, or a draw) to a value: with UNContest, the
// agreement beyond chance over spread (beyondChance); else the agreement A to clamp((A −
// center) / spread), or with UNPercentile to 2·F(A) − 1, F the mid-rank empirical CDF of
// the focal state's agreements in the window. Its mass is min(1, n / minN).
func (fr *frame) unValue(cfg *Config, d *dyad, idx []int) (v, m float64) {
	pairs := d.un
	if len(pairs) == 0 {
		return math.NaN(), 0
	}
	if cfg.UNContest > 0 {
		x := fr.beyondChance(cfg, d, idx)
		if math.IsNaN(x) {
			return math.NaN(), 0
		}
		m = min(1, float64(len(pairs))/max(cfg.MinRollCalls, 1))
		return clamp(x / max(cfg.UNSpread, 1e-9)), m
	}
	a := agreement(pairs, idx)
	if math.IsNaN(a) {
		return math.NaN(), 0
	}
	m = min(1, float64(len(pairs))/max(cfg.MinRollCalls, 1))
	if cfg.UNPercentile > 0 {
		if len(fr.agrees) == 0 {
			return math.NaN(), 0
		}
		return 2*fr.ecdf(a) - 1, m
	}
	c := cfg.UNCenter
	if cfg.UNRelative > 0 {
		if math.IsNaN(fr.unMean) {
			return math.NaN(), 0
		}
		c = fr.unMean
	}
	return clamp((a - c) / max(cfg.UNSpread, 1e-9)), m
}

// beyondChance is Σ w·(a − e) / Σ w over the pair's roll calls (all, or a draw): a the
// pair's agreement, e a random other voter's agreement with the focal state's vote, w =
// (1 − e)^UNContest. NaN without roll calls.
func (fr *frame) beyondChance(cfg *Config, d *dyad, idx []int) float64 {
	var num, den float64
	switch {
	case d.unP == cfg.UNContest && len(d.unNum) == len(d.un) && idx != nil:
		// The bootstrap's draws: the terms computed once (unTerms).
		for _, i := range idx {
			num += d.unNum[i]
			den += d.unDen[i]
		}
	default:
		w := fr.contestWeights(cfg.UNContest)
		each(len(d.un), idx, func(i int) {
			rc := d.unRC[i]
			num += w[rc] * (agreeOf[d.un[i]] - fr.chance[rc])
			den += w[rc]
		})
	}
	if den == 0 {
		return math.NaN()
	}
	return num / den
}

// unTerms computes the dyad's w·(a − e) and w per shared roll call, which beyondChance
// then sums over each of the bootstrap's draws.
func (fr *frame) unTerms(cfg *Config, d *dyad) {
	w := fr.contestWeights(cfg.UNContest)
	d.unNum, d.unDen = make([]float64, len(d.un)), make([]float64, len(d.un))
	for i, code := range d.un {
		rc := d.unRC[i]
		d.unNum[i] = w[rc] * (agreeOf[code] - fr.chance[rc])
		d.unDen[i] = w[rc]
	}
	d.unP = cfg.UNContest
}

// contestWeights returns (1 − e)^p for every roll call of the frame: the frame's own,
// computed once when it was gathered (the bootstrap reads them for every draw), or for
// another exponent computed anew.
func (fr *frame) contestWeights(p float64) []float64 {
	if fr.contestP == p && len(fr.contestW) == len(fr.chance) {
		return fr.contestW
	}
	w := make([]float64, len(fr.chance))
	for i, e := range fr.chance {
		w[i] = math.Pow(1-e, p)
	}
	return w
}

// ecdf is the mid-rank empirical CDF of the focal state's agreements at a.
func (fr *frame) ecdf(a float64) float64 {
	lo := sort.SearchFloat64s(fr.agrees, a)
	hi := lo
	for hi < len(fr.agrees) && fr.agrees[hi] == a {
		hi++
	}
	return (float64(lo) + float64(hi-lo)/2) / float64(len(fr.agrees))
}

// sortedFlags orders flags: blocs in config order of weight, then the rest.
func sortedFlags(flags []string) []string {
	slices.SortStableFunc(flags, func(a, b string) int { return strings.Compare(a, b) })
	return flags
}
