package main

import (
	"context"
	"flag"
	"strconv"
	"strings"
	"time"

	"github.com/entente/entente"
	"github.com/entente/entente/idealpoint"
	"github.com/entente/entente/ingest/idealpoints"
)

// The ideal points of states (docs/idealpoints.md): 'entente import idealpoints' for
// the published Bailey-Strezhnev-Voeten estimates, 'entente idealpoints' to estimate,
// store and print them, and the ipd metric of 'entente similarity'. The estimation is
// package idealpoint's; this file parses flags, calls it and writes.
func init() {
	importers["idealpoints"] = (*app).importIdealPoints
	commands = append(commands, &command{
		name:    "idealpoints",
		summary: "where each state stands in UN voting, year by year, with 90% intervals",
		usage: `Usage:
  entente idealpoints [--from YEAR] [--to YEAR] [--state X]... [--source entente|bsv]
                      [--variant NAME] [--refit] [--boot N]

Prints each state's ideal point per year: its position on the one dimension of UN
General Assembly voting (high: close to the US-led liberal order), with the 5% and 95%
bounds of its 90% interval (docs/idealpoints.md).

  --source entente  entente's own estimates, from every UN vote in the store: a dynamic
                    ordinal item-response model fitted by EM, intervals by parametric
                    bootstrap. Estimated and stored on first use, and again with --refit
                    (after importing new votes). Years are sessions: session + 1945.
  --source bsv      the published Bailey-Strezhnev-Voeten estimates, once imported with
                    'entente import idealpoints FILE...'; --variant picks all (default),
                    fp, legacy, or an April 2020 issue file: apr2020_all,
                    apr2020_humanrights, apr2020_important, apr2020_middleeast,
                    apr2020_nonukes, apr2020_nuclear.

The scales of the two sources differ (each fixes its own); compare their orderings or
correlations, not their numbers.

Examples:
  entente idealpoints --state RUS --state USA --from 2015
  entente idealpoints --source bsv --state "Austria" --format csv
  entente idealpoints --refit --boot 200 --to 1960 --format json
  entente import idealpoints ../shared/data/idealpoints/IdealpointsJuly2025.csv
  entente similarity RUS AUT --metric ipd --from 2020
`,
		setup: func(fs *flag.FlagSet) func(context.Context, *app, []string) error {
			from := fs.Int("from", 0, "first year")
			to := fs.Int("to", 0, "last year, inclusive")
			var states stringList
			fs.Var(&states, "state", "a state (repeat, or a comma list); default every state")
			source := fs.String("source", entente.SourceEntente, "entente or bsv")
			variant := fs.String("variant", "all", "which estimate of the source")
			refit := fs.Bool("refit", false, "estimate again from the votes in the store (source entente)")
			boot := fs.Int("boot", 100, "bootstrap replicates of a (re)fit; 0 for none (no intervals)")
			return func(ctx context.Context, a *app, args []string) error {
				if len(args) != 0 {
					return usagef("unexpected arguments %q: states go with --state", args)
				}
				return a.idealPoints(ctx, *from, *to, states, *source, *variant, *refit, *boot)
			}
		},
	})
}

// stringList is a repeatable, comma-splitting string flag.
type stringList []string

func (s *stringList) String() string { return strings.Join(*s, ",") }

func (s *stringList) Set(v string) error {
	for _, p := range strings.Split(v, ",") {
		if p = strings.TrimSpace(p); p != "" {
			*s = append(*s, p)
		}
	}
	return nil
}

func (a *app) importIdealPoints(ctx context.Context, args []string) error {
	paths, err := expandPaths(args)
	if err != nil {
		return err
	}
	files := make([]idealpoints.File, len(paths))
	for i, p := range paths {
		files[i] = idealpoints.File{Path: p}
	}
	st, err := a.openStore(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	start := time.Now()
	layouts := map[string]string{}
	reports, err := st.ImportIdealPoints(ctx, func(w entente.IdealPointWriter) error {
		res, err := idealpoints.Import(ctx, w, files)
		for _, r := range res {
			layouts[r.File.Path] = r.Stats.Layout.String()
		}
		return err
	})
	if err != nil {
		return err
	}
	if _, err := a.writeImportReports(reports, layouts); err != nil {
		return err
	}
	a.note("imported in %s", time.Since(start).Round(time.Millisecond))
	return nil
}

func (a *app) idealPoints(ctx context.Context, from, to int, states []string, source, variant string, refit bool, boot int) error {
	if source != entente.SourceEntente && source != entente.SourceBSV {
		return usagef("--source %q: want entente or bsv", source)
	}
	if refit && source != entente.SourceEntente {
		return usagef("--refit estimates entente's points; it does not apply to --source bsv")
	}
	if from != 0 && to != 0 && from > to {
		return usagef("--from %d is after --to %d", from, to)
	}
	var ccodes []int
	for _, s := range states {
		c, err := entente.ResolveAt(a.countries, s, time.Time{})
		if err != nil {
			return err
		}
		ccodes = append(ccodes, c.COW)
	}
	st, err := a.idealPointStore(ctx, source, variant, refit, boot)
	if err != nil {
		return err
	}
	defer st.Close()
	q := entente.IdealPointQuery{Source: source, Variant: variant, From: from, To: to, CCodes: ccodes}
	pts, err := st.IdealPoints(ctx, q)
	if err != nil {
		return err
	}
	if len(pts) == 0 {
		if source == entente.SourceBSV {
			a.note("no %s/%s ideal points stored: run 'entente import idealpoints FILE...' first", source, variant)
		} else {
			a.note("no ideal points in this selection")
		}
	}
	w := a.newRowWriter([]string{"iso3", "ccode", "year", "x", "lo", "hi", "votes", "source", "variant"})
	for _, p := range pts {
		var votes any = p.Votes
		if p.Votes == 0 {
			votes = nil
		}
		at := time.Date(p.Year, 12, 31, 0, 0, 0, 0, time.UTC)
		if err := w.Row(cowLabel(a.countries, p.CCode, at).ID, p.CCode, p.Year, p.X, p.Lo(), p.Hi(), votes, p.Source, p.Variant); err != nil {
			return err
		}
	}
	return w.Close()
}

// fitIdealPoints estimates entente's ideal points from every vote in st and stores them.
func (a *app) fitIdealPoints(ctx context.Context, st entente.Store, boot int) error {
	start := time.Now()
	bar := a.progress()
	opt := idealpoint.Options{Progress: func(iter int, delta float64) {
		bar.Update("ideal points: EM iteration "+strconv.Itoa(iter), int64(iter), int64(idealpoint.DefaultMaxIter))
	}}
	rep, err := idealpoint.Run(ctx, st, opt, boot, func(done int) {
		bar.Update("ideal points: bootstrap", int64(done), int64(boot))
	})
	bar.Done()
	if err != nil {
		return err
	}
	f := rep.Fit
	conv := "converged"
	if !f.Converged {
		conv = "stopped at the iteration limit"
	}
	a.note("ideal points: %d state-years from %d roll calls (%d contested items, %d votes), EM %d iterations (%s), %d bootstrap replicates, %s",
		len(f.Points), rep.RollCalls, f.Items, f.Votes, f.Iter, conv, rep.Reps, time.Since(start).Round(time.Millisecond))
	return nil
}

// similarityIPD answers 'entente similarity A B --metric ipd': the distance of the two
// states' stored ideal points per year (source entente), with its interval.
func (a *app) similarityIPD(ctx context.Context, args []string, fromArg, toArg string, all bool) error {
	if all || len(args) != 2 {
		return usagef("--metric ipd compares two states: entente similarity A B --metric ipd")
	}
	from, to, err := yearRange(fromArg, toArg)
	if err != nil {
		return err
	}
	ca, err := entente.ResolveAt(a.countries, args[0], time.Time{})
	if err != nil {
		return err
	}
	cb, err := entente.ResolveAt(a.countries, args[1], time.Time{})
	if err != nil {
		return err
	}
	st, err := a.openExistingStore(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	q := entente.IdealPointQuery{Source: entente.SourceEntente, Variant: idealpoint.Variant, From: from, To: to, CCodes: []int{ca.COW, cb.COW}}
	pts, err := st.IdealPoints(ctx, q)
	if err != nil {
		return err
	}
	if len(pts) == 0 {
		a.note("no stored ideal points for %s and %s in this window: run 'entente idealpoints' first", ca.ID, cb.ID)
	}
	w := a.newRowWriter([]string{"iso3_a", "iso3_b", "ccode_a", "ccode_b", "period", "x_a", "x_b", "ipd", "ipd_lo", "ipd_hi"})
	for _, d := range idealpoint.Distances(pts, ca.COW, cb.COW) {
		if err := w.Row(ca.ID, cb.ID, ca.COW, cb.COW, strconv.Itoa(d.Year), d.XA, d.XB, d.D, d.Lo, d.Hi); err != nil {
			return err
		}
	}
	return w.Close()
}

// cowLabel names COW number ccode at day at, else by its latest spell; an unknown number
// gives a Country with no ID.
func cowLabel(cs entente.CountryService, ccode int, at time.Time) entente.Country {
	if c, ok := cs.ByCOW(ccode, at); ok {
		return c
	}
	if c, ok := cs.ByCOW(ccode, time.Time{}); ok {
		return c
	}
	return entente.Country{COW: ccode}
}

// yearRange turns --from and --to dates into the years they begin and end in (0: open).
func yearRange(fromArg, toArg string) (from, to int, err error) {
	if fromArg != "" {
		d, err := entente.ParseDateSpec(fromArg)
		if err != nil {
			return 0, 0, usagef("--from: %s", err)
		}
		from = d.Start.Year()
	}
	if toArg != "" {
		d, err := entente.ParseDateSpec(toArg)
		if err != nil {
			return 0, 0, usagef("--to: %s", err)
		}
		to = d.End.AddDate(0, 0, -1).Year()
	}
	return from, to, nil
}

// idealPointStore opens the store for reading ideal points; for entente's own points it
// first estimates and stores them when asked (refit) or when none are stored yet, with
// the store opened for writing.
func (a *app) idealPointStore(ctx context.Context, source, variant string, refit bool, boot int) (entente.Store, error) {
	st, err := a.openExistingStore(ctx)
	if err != nil {
		return nil, err
	}
	if source == entente.SourceEntente && !refit {
		// Estimate on first use: nothing stored yet.
		have, err := st.IdealPoints(ctx, entente.IdealPointQuery{Source: source, Variant: variant})
		if err != nil {
			st.Close()
			return nil, err
		}
		refit = len(have) == 0
	}
	if !refit {
		return st, nil
	}
	st.Close()
	if variant != idealpoint.Variant {
		return nil, usagef("entente estimates the variant %q only", idealpoint.Variant)
	}
	// Estimating writes the points: the store is opened again, for writing.
	if st, err = a.openStore(ctx); err != nil {
		return nil, err
	}
	if err := a.fitIdealPoints(ctx, st, boot); err != nil {
		st.Close()
		return nil, err
	}
	return st, nil
}
