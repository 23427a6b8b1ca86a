package validate

import (
	"context"
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/entente/entente"
)

// AUCResult is one scorer's result on one label set.
type AUCResult struct {
	// AUC is the probability that a random state of the with group scores above a random
	// state of the against group, ties counting ½ (Mann–Whitney U / (n_with · n_against)).
	// NaN when either group has no scored state.
	AUC float64
	// With and Against count the labelled states the scorer scored.
	With, Against int
	// Unknown lists the labelled with/against states the scorer gave no score, in label
	// order; they are left out of the AUC.
	Unknown []string
	// Err is set when the scorer failed on this test; AUC is then NaN.
	Err error
}

// AUC computes the Mann–Whitney AUC of scores on set's with and against groups. Neutral
// labels are ignored; labelled states missing from scores (or NaN) are reported in
// Unknown and left out.
func AUC(set *LabelSet, scores map[string]float64) AUCResult {
	var with, against []float64
	var res AUCResult
	for _, l := range set.Labels {
		if l.Group == Neutral {
			continue
		}
		v, ok := scores[l.State]
		if !ok || math.IsNaN(v) {
			res.Unknown = append(res.Unknown, l.State)
			continue
		}
		if l.Group == With {
			with = append(with, v)
		} else {
			against = append(against, v)
		}
	}
	res.With, res.Against = len(with), len(against)
	res.AUC = mannWhitney(with, against)
	return res
}

// mannWhitney returns U/(n·m) for pos over neg by ranking the pooled values (mid-ranks
// for ties): O((n+m) log(n+m)). NaN when a side is empty.
func mannWhitney(pos, neg []float64) float64 {
	n, m := len(pos), len(neg)
	if n == 0 || m == 0 {
		return math.NaN()
	}
	type item struct {
		v   float64
		pos bool
	}
	all := make([]item, 0, n+m)
	for _, v := range pos {
		all = append(all, item{v, true})
	}
	for _, v := range neg {
		all = append(all, item{v, false})
	}
	sort.Slice(all, func(i, j int) bool { return all[i].v < all[j].v })
	var rankSum float64 // sum of the positives' 1-based mid-ranks
	for i := 0; i < len(all); {
		j := i
		for j < len(all) && all[j].v == all[i].v {
			j++
		}
		mid := float64(i+1+j) / 2 // mean of ranks i+1 .. j
		for k := i; k < j; k++ {
			if all[k].pos {
				rankSum += mid
			}
		}
		i = j
	}
	u := rankSum - float64(n)*float64(n+1)/2
	return u / (float64(n) * float64(m))
}

// NamedScorer is a scorer with the name its column carries in a report.
type NamedScorer struct {
	Name  string
	Score Scorer
}

// TestResult is every scorer's result on one label set.
type TestResult struct {
	Set     *LabelSet
	Focal   entente.Country
	Results []AUCResult // one per scorer, in Report.Scorers order
}

// Report is a validation run: tests in label-set order, scorers side by side.
type Report struct {
	Scorers []string
	Tests   []TestResult
	// Mean and Worst are, per scorer, the mean and the minimum AUC over the tests where it
	// has one; Missing counts the tests where it has none (NaN AUC or an error).
	Mean, Worst []float64
	Missing     []int
}

// Run scores every label set with every scorer. The focal state of each set is resolved
// with countries at the day before set.At (its spell then), falling back to its latest
// spell. A labelled state unknown to the registry is a *ParseError naming its line. A
// scorer's error on one test is recorded in that result and the run goes on; a focal
// state that does not resolve, or a cancelled ctx, ends the run with an error.
func Run(ctx context.Context, sets []*LabelSet, countries entente.CountryService, scorers []NamedScorer) (*Report, error) {
	known := map[string]bool{}
	for _, c := range countries.All() {
		known[c.ID] = true
	}
	for _, set := range sets {
		for _, l := range set.Labels {
			if !known[l.State] {
				return nil, &ParseError{File: set.File, Line: l.Line, Column: 1, Field: "iso3", Msg: fmt.Sprintf("%s is not a state of the country registry", l.State)}
			}
		}
	}
	rep := &Report{}
	for _, s := range scorers {
		rep.Scorers = append(rep.Scorers, s.Name)
	}
	for _, set := range sets {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		focal, err := resolveFocal(countries, set.Focal, set.At)
		if err != nil {
			return nil, fmt.Errorf("label set %s: focal %s: %w", set.File, set.Focal, err)
		}
		tr := TestResult{Set: set, Focal: focal}
		for _, s := range scorers {
			scores, err := s.Score(ctx, focal, set.At)
			if err != nil {
				if ctx.Err() != nil {
					return nil, ctx.Err()
				}
				tr.Results = append(tr.Results, AUCResult{AUC: math.NaN(), Err: err})
				continue
			}
			tr.Results = append(tr.Results, AUC(set, scores))
		}
		rep.Tests = append(rep.Tests, tr)
	}
	rep.summarise()
	return rep, nil
}

func (r *Report) summarise() {
	k := len(r.Scorers)
	r.Mean, r.Worst, r.Missing = make([]float64, k), make([]float64, k), make([]int, k)
	for i := 0; i < k; i++ {
		sum, n, worst := 0.0, 0, math.Inf(1)
		for _, t := range r.Tests {
			a := t.Results[i].AUC
			if math.IsNaN(a) {
				r.Missing[i]++
				continue
			}
			sum += a
			n++
			worst = math.Min(worst, a)
		}
		if n == 0 {
			r.Mean[i], r.Worst[i] = math.NaN(), math.NaN()
			continue
		}
		r.Mean[i], r.Worst[i] = sum/float64(n), worst
	}
}

// resolveFocal finds the focal state's spell at the day before at, or its latest spell.
func resolveFocal(countries entente.CountryService, id string, at time.Time) (entente.Country, error) {
	day := at.AddDate(0, 0, -1)
	if c, ok := countries.ByISO3(id, day); ok {
		return c, nil
	}
	c, err := countries.Resolve(id, day)
	if err == nil {
		return c, nil
	}
	if c2, err2 := countries.Resolve(id, time.Time{}); err2 == nil {
		return c2, nil
	}
	return c, err
}

// BestSingle returns, for the test at index t of a report whose first scorer is the
// combined index and the others its single signals, the best AUC of a single signal
// among those that score at least half the test's labelled states, and that scorer's
// name; NaN and "" when none does.
func (r *Report) BestSingle(t int) (float64, string) {
	tr := r.Tests[t]
	labelled := tr.Set.Count(With) + tr.Set.Count(Against)
	best, name := math.NaN(), ""
	for i := 1; i < len(tr.Results); i++ {
		res := tr.Results[i]
		if math.IsNaN(res.AUC) || 2*(res.With+res.Against) < labelled {
			continue
		}
		if math.IsNaN(best) || res.AUC > best {
			best, name = res.AUC, r.Scorers[i]
		}
	}
	return best, name
}

// AtLeastBestSingle reports whether the first scorer's AUC on test t is at least
// BestSingle's (true when no single signal qualifies).
func (r *Report) AtLeastBestSingle(t int) bool {
	best, _ := r.BestSingle(t)
	return math.IsNaN(best) || r.Tests[t].Results[0].AUC >= best
}
