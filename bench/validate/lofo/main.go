// Command lofo chooses the index's signal weights and UN centre on the dev labels by
// leave-one-focal-out, the procedure docs/index.md describes:
//
//	go run ./bench/validate/lofo -db STORE [-labels testdata/validation] [-face testdata/facevalidity/orderings.txt]
//
// It ranks every (focal state, date) the label sets and the face-validity file need
// once, with the default configuration, and keeps each state's signal values and
// masses. A candidate configuration (a point of the grid below) rescales the
// combination Σ w·m·v / Σ w·m from them, so thousands of candidates cost seconds; the
// third-party term keeps the default weights' lagged scores (a documented
// approximation: `entente validate --weights ...` gives the exact figures of the
// chosen one).
//
// A candidate is judged on a set of focal states by, in order: the face-validity
// assertions of those states that pass, the mean AUC of their label sets, the worst AUC
// (means within 0.005 count as equal, and so do worsts), the number of their tests on
// which the index is at least its best single signal, the distance from the first
// round's weights.
// For each focal state F the best candidate on all the other states is chosen and
// scored on F's own sets (held out): those are the leave-one-focal-out AUCs. The weights
// the index ships with are the best candidate on every state; the program prints them,
// the held-out AUCs per test and how often each candidate won a fold.
package main

import (
	"context"
	"flag"
	"fmt"
	"math"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/entente/entente"
	"github.com/entente/entente/bloc"
	"github.com/entente/entente/country"
	"github.com/entente/entente/duckdb"
	"github.com/entente/entente/index"
	"github.com/entente/entente/validate"
)

// grid is the candidates: the weight of each signal (events and aid, which the dev
// labels' dates do not reach, keep their defaults, and so does the third-party term,
// which they barely reach) and the UN transform.
var grid = map[string][]float64{
	"unvotes":   {1, 2, 3, 4},
	"ideal":     {0, 0.5},
	"alliances": {0, 0.5},
	"blocs":     {0.5, 1, 2},
	"ledger":    {1.5, 3, 6},
	"force":     {1, 2, 3, 4, 8},
	// third: the dev labels see the third-party term on 17 of 1,564 labelled states, too
	// few to judge it; like events and aid it keeps its designed weight.
	"third": {0.75},
	// un_center: 0.5 fixed (2A − 1); −1 the percentile transform (UNPercentile); 1 the
	// window's mean pair agreement (UNRelative) with un_spread. Only 1 is searched:
	// docs/index.md gives the comparison (equal validity; a fixed centre calls most
	// states allies).
	"un_center": {1},
	"un_spread": {0.5, 0.75, 1, 1.5},
	// un_contest: each roll call weighed by (1 − e)^p, e a random voter's agreement with
	// the focal state's vote, and the value the agreement beyond e (Config.UNContest);
	// 0 is plain agreement centred on the mean pair agreement. Each value needs its own
	// ranks.
	"un_contest": {0, 0.5, 1},
	// Two kinds of force record, weighed inside the force signal: each value needs its
	// own ranks (below).
	"force.cobelligerence": {0, 1.5},
	"force.arms":           {0, 1},
	// Years of force records read (decayed at force_halflife): needs its own ranks.
	"force_horizon": {10, 15},
	// The other state's force records with the focal state's third parties in the
	// third-party term (Config.ThirdForce): needs its own ranks.
	"third_force": {0, 1},
}

// wide is the grid LOFO_WIDE=1 adds to: to ask whether any weighing of the signals in
// a wider range reaches the acceptance at all (docs/index.md).
var wide = map[string][]float64{
	"ideal":      {1},
	"alliances":  {1},
	"un_contest": {2},
}

// base is the first round's weights (force and ideal, new, at 2 and 1).
var base = map[string]float64{"unvotes": 1, "ideal": 1, "alliances": 1, "blocs": 1, "events": 0.5, "ledger": 1.5, "aid": 0.5, "force": 2, "third": 0.75,
	"force.cobelligerence": 1.5, "force.arms": 1, "force_horizon": 15, "third_force": 0}

var gridOrder = []string{"unvotes", "ideal", "alliances", "blocs", "ledger", "force", "third", "un_center", "un_spread", "un_contest", "force.cobelligerence", "force.arms", "force_horizon", "third_force"}

type cand map[string]float64

func (c cand) String() string {
	var parts []string
	for _, k := range gridOrder {
		parts = append(parts, fmt.Sprintf("%s=%g", k, c[k]))
	}
	return strings.Join(parts, ",")
}

func candidates() []cand {
	out := []cand{{}}
	for _, k := range gridOrder {
		var next []cand
		for _, c := range out {
			for _, v := range grid[k] {
				d := cand{}
				for kk, vv := range c {
					d[kk] = vv
				}
				d[k] = v
				next = append(next, d)
			}
		}
		out = next
	}
	return out
}

// state is one state's signals in one ranking: value and mass per signal (NaN value:
// unavailable).
type state struct {
	id     string
	unMean float64
	v, m   [index.NumSignals]float64
}

type cache struct {
	e     *index.Engine
	def   map[string]float64
	rank  map[string][]state
	class index.Config
	// best is, by test name, the best single signal's AUC (validate.Report.BestSingle)
	// from the kept values: the bar a candidate's index is held to.
	best map[string]float64
}

func (c *cache) get(ctx context.Context, focal entente.Country, at time.Time) ([]state, error) {
	k := focal.ID + "|" + at.Format(time.DateOnly)
	if s, ok := c.rank[k]; ok {
		return s, nil
	}
	rk, err := c.e.RankState(ctx, focal, at)
	if err != nil {
		return nil, err
	}
	var out []state
	for _, sc := range rk.Scores {
		st := state{id: sc.Other.ID, unMean: rk.UNMean}
		for i, sig := range index.Signals {
			con := sc.Signals[i]
			st.v[i], st.m[i] = math.NaN(), 0
			if con.Available() {
				st.v[i], st.m[i] = con.Value, con.Weight/c.def[sig]
			}
		}
		out = append(out, st)
	}
	c.rank[k] = out
	return out, nil
}

// score recombines a state's signals under a candidate with the engine's Combine; ecdf
// is the focal state's agreement distribution, for the percentile transform.
func score(s state, c cand, center float64, ecdf func(float64) float64) float64 {
	var vals, wm [index.NumSignals]float64
	for i, sig := range index.Signals {
		vals[i] = s.v[i]
		if math.IsNaN(s.v[i]) {
			continue
		}
		w, ok := c[sig]
		if !ok {
			w = defaults[sig]
		}
		if sig == index.SigUNVotes {
			a := (s.v[i] + 1) / 2 // the default transform is 2A − 1
			switch {
			case c["un_contest"] > 0:
				// kept with un_spread 1: the agreement beyond chance itself
				vals[i] = max(-1, min(1, s.v[i]/c["un_spread"]))
			case center < 0:
				vals[i] = 2*ecdf(a) - 1
			case center == 1:
				vals[i] = max(-1, min(1, (a-s.unMean)/c["un_spread"]))
			default:
				vals[i] = max(-1, min(1, (a-center)/0.5))
			}
		}
		wm[i] = max(w*s.m[i], 0)
	}
	// min_evidence is the weight of one full UN signal: the candidate's.
	return index.Combine(vals, wm, c["unvotes"])
}

var defaults map[string]float64

// tie is the difference of mean AUC below which two candidates count as equal.
const tie = 0.005

type evalResult struct {
	dist   float64            // L1 distance of the weights from base's
	aucs   map[string]float64 // by test name
	atBest map[string]bool    // by test name: the index's AUC at least the best single signal's
	passes map[string]int     // by focal state
	fails  map[string]int
}

func main() {
	db := flag.String("db", os.Getenv("ENTENTE_DB"), "the store")
	labels := flag.String("labels", "testdata/validation", "label sets")
	face := flag.String("face", "testdata/facevalidity/orderings.txt", "face-validity file")
	flag.Parse()
	ctx := context.Background()
	st, err := duckdb.OpenReadOnly(ctx, *db)
	if err != nil {
		fail(err)
	}
	defer st.Close()
	countries := country.Default()
	cfg := index.DefaultConfig()
	if err := cfg.Set("replicates", "1"); err != nil {
		fail(err)
	}
	// The ranks kept use the first round's weights, each above 0, so every signal's
	// value and mass are there to recombine (a weight of 0 leaves a signal out of the
	// score); the third-party term keeps their lagged scores.
	// The UN value kept is 2A − 1, from which each candidate's transform is computed.
	for _, kv := range [][2]string{{"un_relative", "0"}, {"un_center", "0.5"}, {"un_spread", "0.5"}, {"un_percentile", "0"}} {
		if err := cfg.Set(kv[0], kv[1]); err != nil {
			fail(err)
		}
	}
	for sig, w := range base {
		if err := cfg.Set(sig, fmt.Sprint(w)); err != nil {
			fail(err)
		}
	}
	defaults = map[string]float64{}
	for i, sig := range index.Signals {
		defaults[sig] = index.DefaultConfig().Weights[i]
	}
	// One set of kept ranks per weighing of the force records' kinds.
	caches := map[string]*cache{}
	cacheFor := func(cd cand) *cache {
		key := fmt.Sprint(cd["force.cobelligerence"], "|", cd["force.arms"], "|", cd["un_contest"], "|", cd["force_horizon"], "|", cd["third_force"])
		if c, ok := caches[key]; ok {
			return c
		}
		kc := cfg.Clone()
		for _, k := range []string{"force.cobelligerence", "force.arms", "un_contest", "force_horizon", "third_force"} {
			if err := kc.Set(k, fmt.Sprint(cd[k])); err != nil {
				fail(err)
			}
		}
		if cd["un_contest"] > 0 {
			if err := kc.Set("un_spread", "1"); err != nil {
				fail(err)
			}
		}
		e := index.New(st, countries, bloc.Default(), kc)
		c := &cache{e: e, def: e.Weights(), rank: map[string][]state{}, class: index.DefaultConfig()}
		caches[key] = c
		return c
	}

	sets, err := validate.LoadLabelDir(*labels)
	if err != nil {
		fail(err)
	}
	f, err := os.Open(*face)
	if err != nil {
		fail(err)
	}
	fv, err := validate.ParseFaceValidity(f, *face)
	f.Close()
	if err != nil {
		fail(err)
	}
	// countFaces evaluates the face-validity suite with ranker and counts, per focal
	// state, the assertions that pass and fail into res.
	countFaces := func(res evalResult, ranker validate.Ranker) {
		checks, err := validate.Evaluate(ctx, fv, countries, ranker)
		if err != nil {
			fail(err)
		}
		for _, ch := range checks {
			switch ch.Status {
			case validate.Pass:
				res.passes[ch.Assertion.Focal]++
			case validate.Fail:
				res.fails[ch.Assertion.Focal]++
			}
		}
	}

	// bestSingle fills c.best: every signal alone as its own scorer over the kept values
	// (the UN value as kept: a monotone transform of each candidate's, up to clamping).
	bestSingle := func(c *cache) {
		if c.best != nil {
			return
		}
		scorers := []validate.NamedScorer{{Name: "index", Score: func(context.Context, entente.Country, time.Time) (map[string]float64, error) {
			return map[string]float64{}, nil
		}}}
		for i, sig := range index.Signals {
			scorers = append(scorers, validate.NamedScorer{Name: sig, Score: func(ctx context.Context, focal entente.Country, at time.Time) (map[string]float64, error) {
				ss, err := c.get(ctx, focal, at)
				if err != nil {
					return nil, err
				}
				out := map[string]float64{}
				for _, s := range ss {
					if !math.IsNaN(s.v[i]) {
						out[s.id] = s.v[i]
					}
				}
				return out, nil
			}})
		}
		rep, err := validate.Run(ctx, sets, countries, scorers)
		if err != nil {
			fail(err)
		}
		c.best = map[string]float64{}
		for t := range rep.Tests {
			c.best[rep.Tests[t].Set.Name], _ = rep.BestSingle(t)
		}
	}
	eval := func(cd cand) evalResult {
		c := cacheFor(cd)
		bestSingle(c)
		center := cd["un_center"]
		res := evalResult{aucs: map[string]float64{}, atBest: map[string]bool{}, passes: map[string]int{}, fails: map[string]int{}}
		for sig, w := range base {
			if v, ok := cd[sig]; ok && sig != "force_horizon" {
				res.dist += math.Abs(v - w)
			}
		}
		scorer := func(ctx context.Context, focal entente.Country, at time.Time) (map[string]float64, error) {
			ss, err := c.get(ctx, focal, at)
			if err != nil {
				return nil, err
			}
			out := map[string]float64{}
			ecdf := ecdfOf(ss)
			for _, s := range ss {
				if v := score(s, cd, center, ecdf); !math.IsNaN(v) {
					out[s.id] = v
				}
			}
			return out, nil
		}
		rep, err := validate.Run(ctx, sets, countries, []validate.NamedScorer{{Name: "index", Score: scorer}})
		if err != nil {
			fail(err)
		}
		for _, t := range rep.Tests {
			res.aucs[t.Set.Name] = t.Results[0].AUC
			b := c.best[t.Set.Name]
			res.atBest[t.Set.Name] = math.IsNaN(b) || t.Results[0].AUC >= b
		}
		ranker := func(ctx context.Context, focal entente.Country, at time.Time) ([]validate.Ranked, error) {
			ss, err := c.get(ctx, focal, at)
			if err != nil {
				return nil, err
			}
			var out []validate.Ranked
			ecdf := ecdfOf(ss)
			for _, s := range ss {
				v := score(s, cd, center, ecdf)
				out = append(out, validate.Ranked{ID: s.id, Score: v, Class: c.class.Class(v)})
			}
			return out, nil
		}
		countFaces(res, ranker)
		return res
	}

	focalOf := map[string]string{}
	var focals []string
	for _, s := range sets {
		focalOf[s.Name] = s.Focal
		if !contains(focals, s.Focal) {
			focals = append(focals, s.Focal)
		}
	}
	sort.Strings(focals)

	if os.Getenv("LOFO_WIDE") != "" {
		for k, vs := range wide {
			grid[k] = append(grid[k], vs...)
		}
	}
	start := time.Now()
	cands := candidates()
	results := make([]evalResult, len(cands))
	for i, cd := range cands {
		results[i] = eval(cd)
		if i == 0 {
			fmt.Fprintf(os.Stderr, "first candidate (ranks computed) in %s\n", time.Since(start).Round(time.Millisecond))
		}
	}
	fmt.Fprintf(os.Stderr, "%d candidates in %s\n", len(cands), time.Since(start).Round(time.Millisecond))

	// exactEval judges a candidate with the engine itself: the third-party term's
	// lagged scores under the candidate's own weights, min_evidence its UN weight. The
	// search's recombination approximates that term; the top candidates of each choice
	// below are judged again exactly, and the exact judgement decides.
	exactCache := map[int]evalResult{}
	exactEval := func(i int) evalResult {
		if r, ok := exactCache[i]; ok {
			return r
		}
		cd := cands[i]
		kc := index.DefaultConfig()
		set := func(k string, v float64) {
			if err := kc.Set(k, fmt.Sprint(v)); err != nil {
				fail(err)
			}
		}
		set("replicates", 1)
		for k, v := range cd {
			if k != "un_center" { // 1: the mean pair agreement, the default
				set(k, v)
			}
		}
		set("min_evidence", cd["unvotes"])
		rk := index.NewRankings(index.New(st, countries, bloc.Default(), kc))
		res := evalResult{dist: results[i].dist, aucs: map[string]float64{}, atBest: map[string]bool{}, passes: map[string]int{}, fails: map[string]int{}}
		rep, err := validate.Run(ctx, sets, countries, rk.Scorers())
		if err != nil {
			fail(err)
		}
		for t, tr := range rep.Tests {
			res.aucs[tr.Set.Name] = tr.Results[0].AUC
			res.atBest[tr.Set.Name] = rep.AtLeastBestSingle(t)
		}
		countFaces(res, rk.Ranker)
		exactCache[i] = res
		return res
	}

	// judge returns the key of a candidate on the focal states kept by keep.
	type key struct {
		pass, atBest      int
		mean, worst, dist float64
	}
	judge := func(r evalResult, keep func(string) bool) key {
		k := key{worst: math.Inf(1), dist: r.dist}
		n := 0
		for name, a := range r.aucs {
			if !keep(focalOf[name]) || math.IsNaN(a) {
				continue
			}
			k.mean += a
			k.worst = min(k.worst, a)
			if r.atBest[name] {
				k.atBest++
			}
			n++
		}
		if n > 0 {
			k.mean /= float64(n)
		}
		for fc, p := range r.passes {
			if keep(fc) {
				k.pass += p
			}
		}
		return k
	}
	better := func(a, b key) bool {
		if a.pass != b.pass {
			return a.pass > b.pass
		}
		if math.Abs(a.mean-b.mean) > tie {
			return a.mean > b.mean
		}
		// Within tie of each other: the better worst AUC (the method must hold for every
		// focal state, not on average), then the one nearer the first round's weights
		// (the change the dev labels do not ask for is not made).
		if math.Abs(a.worst-b.worst) > tie {
			return a.worst > b.worst
		}
		// Then the tests on which the index is at least its best single signal: a
		// combination below one of its parts has not combined.
		if a.atBest != b.atBest {
			return a.atBest > b.atBest
		}
		if a.dist != b.dist {
			return a.dist < b.dist
		}
		return a.worst > b.worst
	}
	// best returns the candidate chosen on the focal states kept by keep: the topK
	// candidates of the search's judgement, judged again exactly (exactEval).
	const topK = 12
	best := func(keep func(string) bool) int {
		keys := make([]key, len(results))
		idx := make([]int, len(results))
		for i := range results {
			keys[i] = judge(results[i], keep)
			idx[i] = i
		}
		sort.SliceStable(idx, func(a, b int) bool { return better(keys[idx[a]], keys[idx[b]]) })
		bi := -1
		var bk key
		for _, i := range idx[:min(topK, len(idx))] {
			if k := judge(exactEval(i), keep); bi < 0 || better(k, bk) {
				bi, bk = i, k
			}
		}
		return bi
	}

	wins := map[int]int{}
	held := map[string]float64{}
	for _, F := range focals {
		bi := best(func(fc string) bool { return fc != F })
		wins[bi]++
		for name, a := range exactEval(bi).aucs {
			if focalOf[name] == F {
				held[name] = a
			}
		}
		fmt.Printf("fold %s: %s\n", F, cands[bi])
	}
	names := make([]string, 0, len(held))
	for n := range held {
		names = append(names, n)
	}
	sort.Strings(names)
	var sum float64
	worst := math.Inf(1)
	fmt.Println("\nheld-out AUC per test (the weights chosen without the test's focal state):")
	for _, n := range names {
		fmt.Printf("  %-32s %.3f\n", n, held[n])
		sum += held[n]
		worst = min(worst, held[n])
	}
	fmt.Printf("  %-32s %.3f\n  %-32s %.3f\n", "mean", sum/float64(len(names)), "worst", worst)

	everyone := func(string) bool { return true }
	// listBy prints the n first candidates by less on every focal state, each judged once.
	listBy := func(label string, n int, less func(a, b key) bool) {
		keys := make([]key, len(results))
		idx := make([]int, len(results))
		for i := range results {
			keys[i] = judge(results[i], everyone)
			idx[i] = i
		}
		sort.SliceStable(idx, func(a, b int) bool { return less(keys[idx[a]], keys[idx[b]]) })
		for _, i := range idx[:min(n, len(idx))] {
			k := keys[i]
			fmt.Printf("  %s: pass %d mean %.3f worst %.3f at-best %d  %s\n", label, k.pass, k.mean, k.worst, k.atBest, cands[i])
		}
	}
	if os.Getenv("LOFO_TOP") != "" {
		listBy("top", 40, better)
		for _, c0 := range grid["un_center"] {
			bi := -1
			for i := range results {
				if cands[i]["un_center"] != c0 {
					continue
				}
				if bi < 0 || better(judge(results[i], everyone), judge(results[bi], everyone)) {
					bi = i
				}
			}
			k := judge(results[bi], everyone)
			fmt.Printf("  best with un_center %g: pass %d mean %.3f worst %.3f  %s\n", c0, k.pass, k.mean, k.worst, cands[bi])
		}
	}
	if os.Getenv("LOFO_WORST") != "" {
		// the best worst AUC first, then the best mean: what any weighing can reach
		listBy("worst-first", 30, func(a, b key) bool {
			if a.worst != b.worst {
				return a.worst > b.worst
			}
			return a.mean > b.mean
		})
	}
	all := best(func(string) bool { return true })
	k := judge(exactEval(all), func(string) bool { return true })
	total := 0
	for _, n := range exactEval(all).fails {
		total += n
	}
	fmt.Printf("\nchosen on every focal state: %s\n  (judged exactly) face-validity passes %d, fails %d; in-sample mean AUC %.3f, worst %.3f; at least the best single signal on %d of %d tests; it won %d of %d folds\n",
		cands[all], k.pass, total, k.mean, k.worst, k.atBest, len(exactEval(all).aucs), wins[all], len(focals))
}

// ecdfOf returns the mid-rank empirical CDF of the focal state's agreement with the
// states of full UN mass (MinRollCalls shared roll calls), as the engine's UNPercentile.
func ecdfOf(ss []state) func(float64) float64 {
	var as []float64
	for _, s := range ss {
		if !math.IsNaN(s.v[0]) && s.m[0] >= 1 {
			as = append(as, (s.v[0]+1)/2)
		}
	}
	sort.Float64s(as)
	return func(a float64) float64 {
		if len(as) == 0 {
			return 0.5
		}
		lo := sort.SearchFloat64s(as, a)
		hi := lo
		for hi < len(as) && as[hi] == a {
			hi++
		}
		return (float64(lo) + float64(hi-lo)/2) / float64(len(as))
	}
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "lofo:", err)
	os.Exit(1)
}
