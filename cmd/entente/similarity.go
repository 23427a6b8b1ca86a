package main

import (
	"context"
	"flag"
	"time"

	"github.com/entente/entente"
	"github.com/entente/entente/signal"
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
	idx, err := parseMetrics(metric)
	if err != nil {
		return err
	}
	issue, err := parseIssue(issueArg)
	if err != nil {
		return err
	}
	from, to, err := window(fromArg, toArg)
	if err != nil {
		return err
	}
	period, err := periodFunc(by, from, to)
	if err != nil {
		return err
	}
	var ca, cb entente.Country
	if !all {
		if ca, err = a.resolve(args[0], time.Time{}); err != nil {
			return err
		}
		if cb, err = a.resolve(args[1], time.Time{}); err != nil {
			return err
		}
		if ca.COW == cb.COW {
			return usagef("%s and %s are the same COW state (%d)", args[0], args[1], ca.COW)
		}
	}
	st, err := a.openExistingStore(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	bs, err := ballots(ctx, st, from, to, issue)
	if err != nil {
		return err
	}
	label := func(dates map[string]time.Time) func(int, string) string {
		return func(cc int, p string) string { return a.label(cc, dates[p]).ID }
	}
	if all && a.format == "csv" {
		// The bulk path: every dyad computed and formatted on all cores, never held in
		// memory all at once (signal.WriteAllPairsCSV).
		return signal.WriteAllPairsCSV(a.stdout, bs, period, idx, label(periodDates(bs, period)), 0)
	}
	var rows []entente.Similarity
	if all {
		rows = signal.AllPairs(bs, period, 0)
	} else {
		rows = signal.Dyad(bs, period, ca.COW, cb.COW)
	}
	if len(rows) == 0 {
		a.note("no roll calls where both voted in this window")
	}
	dates := periodDates(bs, period)
	cols := append([]string{"iso3_a", "iso3_b", "ccode_a", "ccode_b", "period", "n"}, metricColumns(idx)...)
	w := a.newRowWriter(cols)
	vals := make([]any, 0, len(cols))
	for i := range rows {
		s := &rows[i]
		at := dates[s.Period]
		x, y := s.A, s.B
		if !all && x != ca.COW {
			x, y = y, x
		}
		vals = append(vals[:0], a.label(x, at).ID, a.label(y, at).ID, x, y, s.Period, s.N)
		vals = metricValues(s, idx, vals)
		if err := w.Row(vals...); err != nil {
			return err
		}
	}
	return w.Close()
}
