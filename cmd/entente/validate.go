package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"math"
	"os"
	"strings"
	"time"

	"github.com/entente/entente"
	"github.com/entente/entente/bloc"
	"github.com/entente/entente/index"
	"github.com/entente/entente/validate"
)

func init() {
	commands = append(commands, &command{
		name:    "validate",
		summary: "how well the index separates states that later acted with or against a focal state",
		usage: `Usage:
  entente validate [--labels DIR] [--weights LIST] [--config FILE] [--baseline]
  entente validate --face FILE [--weights LIST] [--config FILE]

Reads the label sets in DIR (default testdata/validation; the format is in its
README.md): each names a focal state, the date to predict from and, for each state, the
group a later outcome put it in (with, against, neutral). For each set the index is
computed at that date from the evidence before it, and the command prints the AUC
(Mann-Whitney: the chance that a state of the with group scores above one of the against
group, ties counting one half) of the index and, side by side, of each of its signals
alone (the signal's value as the index computed it). States a column cannot score are
left out of its AUC, never scored 0; "unknown" counts the labelled states the index
could not score. The last two rows give each column's mean and worst AUC over the sets
it could score.

--baseline judges a change: next to the index as configured (--weights, --config, the
environment) it prints, as the column "baseline", the index with the shipped defaults
(docs/index.md), and notes the mean and worst of each and the tests on which the change
is better or worse by more than 0.005.

With --face, evaluates instead the orderings of a face-validity file
(testdata/facevalidity/orderings.txt; grammar in its README.md) against the index and
prints each with pass, fail or unknown and the ranks behind it; the exit code is 1 when
any assertion fails.

Examples:
  entente validate
  entente validate --labels testdata/validation --format csv
  entente validate --weights w.unvotes=2
  entente validate --weights third_force=1 --baseline
  entente validate --face testdata/facevalidity/orderings.txt
`,
		setup: func(fs *flag.FlagSet) func(context.Context, *app, []string) error {
			labels := fs.String("labels", "testdata/validation", "directory of label files (*.tsv)")
			face := fs.String("face", "", "evaluate this face-validity file instead of the label sets")
			weights := fs.String("weights", "", "override index parameters: name=value,...")
			config := fs.String("config", "", "index config file: one 'name = value' per line")
			baseline := fs.Bool("baseline", false, "also the index with the shipped defaults, as the column baseline, and the tests the change moves")
			return func(ctx context.Context, a *app, args []string) error {
				if len(args) != 0 {
					return usagef("validate takes no arguments")
				}
				o := indexOptions{config: *config, weights: *weights}
				if *face != "" {
					if *baseline {
						return usagef("--baseline applies to the label sets, not to --face")
					}
					return a.validateFace(ctx, *face, o)
				}
				return a.validateLabels(ctx, *labels, o, *baseline)
			}
		},
	})
}

func (a *app) validateLabels(ctx context.Context, dir string, o indexOptions, baseline bool) error {
	sets, err := validate.LoadLabelDir(dir)
	if err != nil {
		return validationInput(err)
	}
	e, st, err := a.indexEngine(ctx, o)
	if err != nil {
		return err
	}
	defer st.Close()
	rep, err := validate.Run(ctx, sets, a.countries, index.NewRankings(e).Scorers())
	if err != nil {
		return validationInput(err)
	}
	var base *validate.Report
	if baseline {
		be := index.New(e.Source(), a.countries, bloc.Default(), index.DefaultConfig())
		base, err = validate.Run(ctx, sets, a.countries, []validate.NamedScorer{{Name: "baseline", Score: index.NewRankings(be).Scorers()[0].Score}})
		if err != nil {
			return validationInput(err)
		}
	}
	if err := a.writeValidation(rep, base); err != nil {
		return err
	}
	a.noteScorerCoverage(rep)
	a.noteWins(rep)
	if base != nil {
		a.noteBaseline(rep, base)
	}
	return nil
}

// noteBaseline compares the index as configured with the index of the shipped defaults:
// the mean and worst of each, and the tests that moved by more than 0.005 either way.
func (a *app) noteBaseline(rep, base *validate.Report) {
	var better, worse []string
	for i, t := range rep.Tests {
		now, was := t.Results[0].AUC, base.Tests[i].Results[0].AUC
		switch d := now - was; {
		case d > 0.005:
			better = append(better, fmt.Sprintf("%s %.3f -> %.3f", t.Set.Name, was, now))
		case d < -0.005:
			worse = append(worse, fmt.Sprintf("%s %.3f -> %.3f", t.Set.Name, was, now))
		}
	}
	a.note("index as configured: mean %.3f, worst %.3f; with the shipped defaults (baseline): mean %.3f, worst %.3f",
		rep.Mean[0], rep.Worst[0], base.Mean[0], base.Worst[0])
	list := func(xs []string) string {
		if len(xs) == 0 {
			return "none"
		}
		return strings.Join(xs, "; ")
	}
	a.note("better than the baseline by more than 0.005 on %d of %d tests: %s", len(better), len(rep.Tests), list(better))
	a.note("worse than the baseline by more than 0.005 on %d of %d tests: %s", len(worse), len(rep.Tests), list(worse))
}

// noteWins notes on how many tests the index's AUC is at least the best single
// signal's, among the signals that score at least half of the test's labelled states (a
// signal that scores a handful is no ranking of them), naming the tests it is not.
func (a *app) noteWins(rep *validate.Report) {
	wins := 0
	var lost []string
	for i, t := range rep.Tests {
		if rep.AtLeastBestSingle(i) {
			wins++
			continue
		}
		best, bestName := rep.BestSingle(i)
		lost = append(lost, fmt.Sprintf("%s (%s %.3f > %.3f)", t.Set.Name, bestName, best, t.Results[0].AUC))
	}
	a.note("the index's AUC is at least the best single signal's (of those scoring half the labelled states or more) on %d of %d tests", wins, len(rep.Tests))
	if len(lost) > 0 {
		a.note("below the best single signal: %s", strings.Join(lost, "; "))
	}
}

// writeValidation writes the AUC of each scorer per test, then their mean and worst;
// with base (the index of the shipped defaults), its AUC as the column "baseline" after
// the index's.
func (a *app) writeValidation(rep, base *validate.Report) error {
	cols := append([]string{"test", "focal", "at", "with", "against", "unknown"}, rep.Scorers[0])
	if base != nil {
		cols = append(cols, "baseline")
	}
	w := a.newRowWriter(append(cols, rep.Scorers[1:]...))
	auc := func(v float64) any {
		if math.IsNaN(v) {
			return nil
		}
		return math.Round(v*1000) / 1000
	}
	// row writes vals, then each scorer's AUC, the baseline's b after the index's.
	row := func(vals []any, aucs []float64, b float64) error {
		for i, v := range aucs {
			vals = append(vals, auc(v))
			if i == 0 && base != nil {
				vals = append(vals, auc(b))
			}
		}
		return w.Row(vals...)
	}
	baseOf := func(f func(*validate.Report) float64) float64 {
		if base == nil {
			return math.NaN()
		}
		return f(base)
	}
	for ti, t := range rep.Tests {
		idx := t.Results[0]
		aucs := make([]float64, len(t.Results))
		for i, res := range t.Results {
			if res.Err != nil {
				a.note("%s: %s: %v", t.Set.Name, rep.Scorers[i], res.Err)
			}
			aucs[i] = res.AUC
		}
		if len(idx.Unknown) > 0 {
			a.note("%s: the index has no score for %s", t.Set.Name, strings.Join(idx.Unknown, " "))
		}
		b := baseOf(func(r *validate.Report) float64 { return r.Tests[ti].Results[0].AUC })
		if err := row([]any{t.Set.Name, t.Focal.ID, t.Set.At.Format(time.DateOnly), idx.With, idx.Against, len(idx.Unknown)}, aucs, b); err != nil {
			return err
		}
	}
	if err := row([]any{"mean", nil, nil, nil, nil, nil}, rep.Mean, baseOf(func(r *validate.Report) float64 { return r.Mean[0] })); err != nil {
		return err
	}
	if err := row([]any{"worst", nil, nil, nil, nil, nil}, rep.Worst, baseOf(func(r *validate.Report) float64 { return r.Worst[0] })); err != nil {
		return err
	}
	return w.Close()
}

// noteScorerCoverage notes, per scorer, how many labelled states it scored and on how
// many tests it had no AUC.
func (a *app) noteScorerCoverage(rep *validate.Report) {
	labelled := 0
	for _, t := range rep.Tests {
		labelled += t.Set.Count(validate.With) + t.Set.Count(validate.Against)
	}
	for i, m := range rep.Missing {
		scored := 0
		for _, t := range rep.Tests {
			scored += t.Results[i].With + t.Results[i].Against
		}
		a.note("%s: scored %d of the %d labelled with/against states; no AUC on %d of %d tests (a group without any score)", rep.Scorers[i], scored, labelled, m, len(rep.Tests))
	}
}

func (a *app) validateFace(ctx context.Context, path string, o indexOptions) error {
	f, err := os.Open(path)
	if err != nil {
		return entente.Errorf(entente.EINVALID, "face-validity file: %s", err)
	}
	fv, err := validate.ParseFaceValidity(f, path)
	f.Close()
	if err != nil {
		return validationInput(err)
	}
	e, st, err := a.indexEngine(ctx, o)
	if err != nil {
		return err
	}
	defer st.Close()
	checks, err := validate.Evaluate(ctx, fv, a.countries, index.NewRankings(e).Ranker)
	if err != nil {
		return err
	}
	w := a.newRowWriter([]string{"line", "assertion", "status", "detail"})
	count := map[validate.Status]int{}
	for _, c := range checks {
		count[c.Status]++
		text := c.Assertion.Text
		if i := strings.LastIndex(text, " ["); i > 0 {
			text = text[:i]
		}
		if err := w.Row(c.Assertion.Line, text, c.Status.String(), c.Detail); err != nil {
			return err
		}
	}
	if err := w.Close(); err != nil {
		return err
	}
	a.note("%d assertions: %d pass, %d fail, %d unknown", len(checks), count[validate.Pass], count[validate.Fail], count[validate.Unknown])
	if count[validate.Fail] > 0 {
		return fmt.Errorf("%d of %d face-validity assertions fail", count[validate.Fail], len(checks))
	}
	return nil
}

// validationInput returns err with code EINVALID (exit 2) when it is a bad line of a
// label or face-validity file, else err.
func validationInput(err error) error {
	var pe *validate.ParseError
	if errors.As(err, &pe) {
		return entente.Errorf(entente.EINVALID, "%s", pe)
	}
	return err
}
