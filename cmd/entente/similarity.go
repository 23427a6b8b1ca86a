package main

import (
	"context"
	"flag"
	"time"

	"github.com/entente/entente"
	"github.com/entente/entente/index"
)

func init() {
	commands = append(commands, &command{
		name:    "similarity",
		summary: "UN General Assembly voting similarity of two states, or of every pair (--all)",
		usage: `Usage:
  entente similarity A B [--from DATE] [--to DATE] [--by year|session|month|range]
                         [--metric LIST|all] [--issue me|nu|di|hr|co|ec]
  entente similarity --all [--from DATE] [--to DATE] [--by ...] [--metric LIST]

Compares how two states voted in the UN General Assembly, period by period, over the
roll calls where both cast a vote (yes, abstain or no). Metrics (docs/method.md):
  agree    share of agreement; 0.5 when exactly one abstained (Lijphart)
  s_abs    Signorino-Ritter S, absolute distances
  s_sq     Signorino-Ritter S, squared distances
  pi       Scott's pi (chance-corrected, pooled marginals)
  kappa    Cohen's kappa (chance-corrected, each state's own marginals)
  pi_w     pi with quadratic weights (Häge 2011)
  kappa_w  kappa with quadratic weights
  ipd      ideal point distance per year, with its 90% interval (alone; docs/idealpoints.md)
An undefined value (no shared votes, or no variation to correct for) is empty in CSV,
null in JSON and "-" in a table. --by range makes the whole window one period.
--all streams every pair (use --format csv).

Examples:
  entente similarity RUS CHN --from 2015 --to 2019
  entente similarity "United States" Israel --by range --from 2000 --to 2019 --metric all
  entente similarity IND PAK --issue hr --metric kappa --format json
  entente similarity --all --from 2019 --to 2019 --metric kappa --format csv > dyads.csv
`,
		setup: func(fs *flag.FlagSet) func(context.Context, *app, []string) error {
			from := fs.String("from", "", "first date of the window (YYYY, YYYY-MM or YYYY-MM-DD)")
			to := fs.String("to", "", "last date of the window, inclusive")
			by := fs.String("by", "year", "periods: year, session, month or range")
			metric := fs.String("metric", "all", "metrics: a name, a comma list, or all")
			issue := fs.String("issue", "", "only roll calls on an issue: me, nu, di, hr, co, ec")
			all := fs.Bool("all", false, "every pair of states")
			return func(ctx context.Context, a *app, args []string) error {
				return a.similarity(ctx, args, *from, *to, *by, *metric, *issue, *all)
			}
		},
	})
}

// window parses --from and --to into a half-open interval of days (zero: open).
func window(fromArg, toArg string) (from, to time.Time, err error) {
	if fromArg != "" {
		d, err := entente.ParseDateSpec(fromArg)
		if err != nil {
			return from, to, usagef("--from: %s", err)
		}
		from = d.Start
	}
	if toArg != "" {
		d, err := entente.ParseDateSpec(toArg)
		if err != nil {
			return from, to, usagef("--to: %s", err)
		}
		to = d.End
	}
	if !from.IsZero() && !to.IsZero() && !from.Before(to) {
		return from, to, usagef("--from %s is after --to %s", fromArg, toArg)
	}
	return from, to, nil
}

func (a *app) similarity(ctx context.Context, args []string, fromArg, toArg, by, metric, issueArg string, all bool) error {
	if metric == "ipd" {
		return a.similarityIPD(ctx, args, fromArg, toArg, all) // idealpoints.go
	}
	switch {
	case all && len(args) != 0:
		return usagef("--all takes no states")
	case !all && len(args) != 2:
		return usagef("want two states, or --all")
	}
	q := index.SimilarityQuery{All: all, By: by}
	var err error
	if q.Metrics, err = parseMetrics(metric); err != nil {
		return err
	}
	if q.Issue, err = parseIssue(issueArg); err != nil {
		return err
	}
	if q.From, q.To, err = window(fromArg, toArg); err != nil {
		return err
	}
	if _, ok := index.PeriodFunc(by, q.From, q.To); !ok {
		return usagef("--by %q: want year, session, month or range", by)
	}
	if !all {
		if q.A, q.B, err = a.voters(args[0], args[1]); err != nil {
			return err
		}
	}
	e, st, err := a.indexEngine(ctx, indexOptions{})
	if err != nil {
		return err
	}
	defer st.Close()
	if all && a.format == "csv" {
		return e.WriteAllPairsCSV(ctx, a.stdout, q)
	}
	t, err := e.Similarity(ctx, q)
	if err != nil {
		return err
	}
	return a.writeTable(t, nil)
}

// voters resolves two states that vote in the UN (their latest spells): two different
// COW numbers.
func (a *app) voters(argA, argB string) (ca, cb entente.Country, err error) {
	for _, x := range []struct {
		arg string
		c   *entente.Country
	}{{argA, &ca}, {argB, &cb}} {
		if *x.c, err = entente.ResolveAt(a.countries, x.arg, time.Time{}); err != nil {
			return ca, cb, err
		}
		if err = index.RequireCOW(*x.c); err != nil {
			return ca, cb, err
		}
	}
	if ca.COW == cb.COW {
		return ca, cb, usagef("%s and %s are the same COW state (%d)", argA, argB, ca.COW)
	}
	return ca, cb, nil
}
