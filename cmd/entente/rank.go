package main

import (
	"context"
	"flag"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/entente/entente"
	"github.com/entente/entente/signal"
)

func init() {
	commands = append(commands, &command{
		name:    "rank",
		summary: "order every state by its alignment with a focal state",
		usage: `Usage:
  entente rank FOCAL [--at DATE] [--signal NAME] [--metric M] [--top N] [--bottom N]

Orders every other state by its alignment with FOCAL, highest first; states with an
undefined value come last, states with no evidence are not ranked. Signals:
  index      (default) the alignment index: every signal below combined, normalised,
             with recency decay and a third-party term; columns score, lo, hi (a
             bootstrap interval), class (ally .. adversary), flags (shared blocs,
             treaties), then each signal's contribution (docs/index.md). Override
             weights with --weights name=value,... or --config FILE (or
             $ENTENTE_INDEX_WEIGHTS, $ENTENTE_INDEX_CONFIG).
  unvotes    UN General Assembly voting similarity (metrics: agree, s_abs, s_sq, pi,
             kappa, pi_w, kappa_w; see 'entente similarity --help')
  events     GDELT events both ways: NumSources-weighted mean Goldstein (docs/events.md)
  aid        government aid given to FOCAL (Kiel Ukraine Support Tracker)
  alliances  ATOP alliance portfolios and direct ties (unknown after 2018; docs/ties.md)
  ledger     the balance of cited acts between the two (docs/ties.md)
--at YYYY means that calendar year; --at YYYY-MM or YYYY-MM-DD the 12 months ending then.
Without --at, the latest period with data. In csv, json and parquet each row leads with
focal and at (the last day of the window), so rankings of several states or dates stack
into one panel; these formats carry full precision.

Examples:
  entente rank RUS --at 2025-06 --top 15
  entente rank RUS --at 2019 --signal unvotes --metric kappa --top 20
  entente rank "United States" --at 2024-06 --signal unvotes --metric agree --bottom 10
  entente rank UKR --at 2025 --signal aid
  entente rank CHN --at 2024 --format csv
  entente rank CHN --at 2024 --format parquet --output chn-2024.parquet
  entente rank RUS --at 2025-06 --weights ledger=0,events=0 --top 10
`,
		setup: func(fs *flag.FlagSet) func(context.Context, *app, []string) error {
			at := fs.String("at", "", "date: YYYY (that year) or YYYY-MM[-DD] (the 12 months ending then)")
			sig := fs.String("signal", "index", "signal to rank by: "+strings.Join(sortedKeys(rankers), ", "))
			metric := fs.String("metric", "", "metric(s); the first orders the ranking (default: the signal's own, kappa for unvotes)")
			issue := fs.String("issue", "", "only roll calls on an issue: me, nu, di, hr, co, ec")
			top := fs.Int("top", 0, "show only the first N states")
			bottom := fs.Int("bottom", 0, "show only the last N states")
			config := fs.String("config", "", "index: a config file of weights and thresholds (docs/index.md; also $ENTENTE_INDEX_CONFIG)")
			weights := fs.String("weights", "", "index: override weights, e.g. ledger=2,events=0 (also $ENTENTE_INDEX_WEIGHTS)")
			return func(ctx context.Context, a *app, args []string) error {
				if len(args) != 1 {
					return usagef("want one focal state")
				}
				if *top < 0 || *bottom < 0 {
					return usagef("--top and --bottom take a positive number")
				}
				r, ok := rankers[*sig]
				if !ok {
					return usagef("--signal %q: want one of %s", *sig, strings.Join(sortedKeys(rankers), ", "))
				}
				if *sig != "index" && (*config != "" || *weights != "") {
					return usagef("--config and --weights apply to --signal index")
				}
				return r(a, ctx, rankOptions{focal: args[0], at: *at, metric: *metric, issue: *issue, top: *top, bottom: *bottom, config: *config, weights: *weights})
			}
		},
	})
}

// rankOptions are the arguments of rank that every signal shares.
type rankOptions struct {
	focal       string
	at          string
	metric      string // "" for the signal's default
	issue       string
	top, bottom int
	config      string // index only: a config file of weights and thresholds
	weights     string // index only: name=value,... overriding weights
}

// shown reports whether the row ranked i (0-based) of n is printed under --top and
// --bottom (both 0: every row).
func (o rankOptions) shown(i, n int) bool {
	return o.top == 0 && o.bottom == 0 || i < o.top || i >= n-o.bottom
}

// rankers maps --signal to the function that ranks by it; each signal's file adds
// itself in an init function.
var rankers = map[string]func(a *app, ctx context.Context, o rankOptions) error{}

func init() { rankers["unvotes"] = (*app).rankUNVotes }

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

func (a *app) rankUNVotes(ctx context.Context, o rankOptions) error {
	metric := o.metric
	if metric == "" {
		metric = "kappa"
	}
	idx, err := parseMetrics(metric)
	if err != nil {
		return err
	}
	issue, err := parseIssue(o.issue)
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
	from, to, label, err := rankWindow(o.at, last)
	if err != nil {
		return err
	}
	focal, err := a.resolve(o.focal, to.AddDate(0, 0, -1))
	if err != nil {
		if f2, err2 := a.resolve(o.focal, time.Time{}); err2 == nil {
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
	a.setRankKeys(a.label(focal.COW, dateAt).ID, to.AddDate(0, 0, -1))
	w := a.newRowWriter(cols)
	vals := make([]any, 0, len(cols))
	for i := range rows {
		if !o.shown(i, len(rows)) {
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
