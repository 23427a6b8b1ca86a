package main

import (
	"context"
	"flag"
	"math"
	"sort"
	"time"

	"github.com/entente/entente"
	"github.com/entente/entente/signal"
)

func init() {
	commands = append(commands, &command{
		name:    "rank",
		summary: "order every state by its alignment with a focal state",
		usage: `Usage:
  entente rank FOCAL [--at DATE] [--signal unvotes] [--metric M] [--top N] [--bottom N]

Orders every other state by a signal of alignment with FOCAL, highest first. States with
an undefined value come last. Signals available now:
  unvotes   UN General Assembly voting similarity (metrics: agree, s_abs, s_sq, pi,
            kappa, pi_w, kappa_w; see 'entente similarity --help')
--at YYYY means that calendar year; --at YYYY-MM or YYYY-MM-DD the 12 months ending then.
Without --at, the 12 months ending with the last roll call in the store.

Examples:
  entente rank RUS --at 2019 --signal unvotes --metric kappa --top 20
  entente rank "United States" --at 2024-06 --metric agree --bottom 10
  entente rank CHN --at 2019 --metric kappa,s_abs --format csv
`,
		setup: func(fs *flag.FlagSet) func(context.Context, *app, []string) error {
			at := fs.String("at", "", "date: YYYY (that year) or YYYY-MM[-DD] (the 12 months ending then)")
			sig := fs.String("signal", "unvotes", "signal to rank by: unvotes")
			metric := fs.String("metric", "kappa", "metric(s); the first orders the ranking")
			issue := fs.String("issue", "", "only roll calls on an issue: me, nu, di, hr, co, ec")
			top := fs.Int("top", 0, "show only the first N states")
			bottom := fs.Int("bottom", 0, "show only the last N states")
			return func(ctx context.Context, a *app, args []string) error {
				return a.rank(ctx, args, *at, *sig, *metric, *issue, *top, *bottom)
			}
		},
	})
}

// rankWindow turns --at into the window and the period label of a ranking.
func rankWindow(at string, last time.Time) (from, to time.Time, label string, err error) {
	if at == "" {
		to = last.AddDate(0, 0, 1)
		from = to.AddDate(-1, 0, 0)
		return from, to, from.Format(time.DateOnly) + ".." + last.Format(time.DateOnly), nil
	}
	d, err := entente.ParseDateSpec(at)
	if err != nil {
		return from, to, "", usagef("--at: %s", err)
	}
	if d.Precision == entente.PrecisionYear {
		return d.Start, d.End, at, nil
	}
	to = d.End
	from = to.AddDate(-1, 0, 0)
	return from, to, from.Format(time.DateOnly) + ".." + to.AddDate(0, 0, -1).Format(time.DateOnly), nil
}

func (a *app) rank(ctx context.Context, args []string, atArg, sig, metric, issueArg string, top, bottom int) error {
	if len(args) != 1 {
		return usagef("want one focal state")
	}
	if sig != "unvotes" {
		return usagef("--signal %q is not available: this version has unvotes only", sig)
	}
	if top < 0 || bottom < 0 {
		return usagef("--top and --bottom take a positive number")
	}
	idx, err := parseMetrics(metric)
	if err != nil {
		return err
	}
	issue, err := parseIssue(issueArg)
	if err != nil {
		return err
	}
	st, err := a.openExistingStore(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	cov, err := st.VoteCoverage(ctx, issue)
	if err != nil {
		return err
	}
	var last time.Time
	for _, c := range cov {
		if c.Last.After(last) {
			last = c.Last
		}
	}
	from, to, label, err := rankWindow(atArg, last)
	if err != nil {
		return err
	}
	focal, err := a.resolve(args[0], to.AddDate(0, 0, -1))
	if err != nil {
		if f2, err2 := a.resolve(args[0], time.Time{}); err2 == nil {
			focal, err = f2, nil
		} else {
			return err
		}
	}
	bs, err := ballots(ctx, st, from, to, issue)
	if err != nil {
		return err
	}
	rows := signal.Focal(bs, func(*entente.Ballot) string { return label }, focal.COW)
	if len(rows) == 0 {
		return entente.Errorf(entente.ENOTFOUND, "%s (%s) cast no UN vote shared with another state in %s", focal.Name, focal.ID, label)
	}
	key := idx[0]
	sort.SliceStable(rows, func(i, j int) bool {
		vi, vj := rows[i].Values[key], rows[j].Values[key]
		switch {
		case math.IsNaN(vi) != math.IsNaN(vj):
			return !math.IsNaN(vi)
		case vi != vj && !math.IsNaN(vi):
			return vi > vj
		case rows[i].N != rows[j].N:
			return rows[i].N > rows[j].N
		}
		return other(rows[i], focal.COW) < other(rows[j], focal.COW)
	})
	dateAt := periodDates(bs, func(*entente.Ballot) string { return label })[label]
	cols := append([]string{"rank", "iso3", "ccode", "name", "period", "n"}, metricColumns(idx)...)
	w := a.newRowWriter(cols)
	vals := make([]any, 0, len(cols))
	for i := range rows {
		if (top > 0 || bottom > 0) && i >= top && i < len(rows)-bottom {
			continue
		}
		s := &rows[i]
		o := other(*s, focal.COW)
		c := a.label(o, dateAt)
		vals = append(vals[:0], i+1, c.ID, o, c.Name, s.Period, s.N)
		vals = metricValues(s, idx, vals)
		if err := w.Row(vals...); err != nil {
			return err
		}
	}
	named := a.label(focal.COW, dateAt) // the spell that cast the votes, e.g. Russia for SUN in 2019
	a.note("%s (%s, COW %d), %s: %d states ranked by %s over %d roll calls", named.Name, named.ID, focal.COW, label, len(rows), entente.SimilarityMetrics[key], len(bs))
	return w.Close()
}

func other(s entente.Similarity, focal int) int {
	if s.A == focal {
		return s.B
	}
	return s.A
}
