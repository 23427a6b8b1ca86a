package main

import (
	"context"
	"flag"
	"slices"
	"strings"

	"github.com/entente/entente"
	"github.com/entente/entente/index"
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
  war        highest UCDP intensity fighting FOCAL on the opposite side (docs/force.md)
  cobelligerence  UCDP conflicts fought on FOCAL's side
  rivalry    strategic rivalries with FOCAL (TSS to 2020, TD to 2010)
  disputes   highest MID hostility level toward FOCAL (GML, to 2010)
  arms       SIPRI TIV delivered to or from FOCAL in the year, and the share of the
             recipient's imports
--at YYYY means that calendar year; --at YYYY-MM or YYYY-MM-DD the 12 months ending then.
Without --at, the latest period with data. A focal state that did not exist at the date
(Moldova in 1985) is an error naming its spells, and so is, for the index, a date whose
window starts after the store's data (exit 2). The index's note names the states left
out for want of direct evidence, and why. In csv, json and parquet each row leads with
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
  entente rank RUS --signal arms --at 2024
`,
		setup: func(fs *flag.FlagSet) func(context.Context, *app, []string) error {
			var o rankOptions
			fs.StringVar(&o.at, "at", "", "date: YYYY (that year) or YYYY-MM[-DD] (the 12 months ending then)")
			fs.StringVar(&o.signal, "signal", "index", "signal to rank by: "+strings.Join(sortedStrings(append(slices.Clone(index.RankSignals), index.ForceSignals...)), ", "))
			fs.StringVar(&o.metric, "metric", "", "metric(s); the first orders the ranking (default: the signal's own, kappa for unvotes)")
			fs.StringVar(&o.issue, "issue", "", "only roll calls on an issue: me, nu, di, hr, co, ec")
			fs.IntVar(&o.top, "top", 0, "show only the first N states")
			fs.IntVar(&o.bottom, "bottom", 0, "show only the last N states")
			fs.StringVar(&o.config, "config", "", "index: a config file of weights and thresholds (docs/index.md; also $ENTENTE_INDEX_CONFIG)")
			fs.StringVar(&o.weights, "weights", "", "index: override weights, e.g. ledger=2,events=0 (also $ENTENTE_INDEX_WEIGHTS)")
			return func(ctx context.Context, a *app, args []string) error {
				if len(args) != 1 {
					return usagef("want one focal state")
				}
				if isForceSignal(o.signal) {
					return a.rankForce(ctx, args[0], o)
				}
				q, err := o.query()
				if err != nil {
					return err
				}
				return a.rank(ctx, args[0], q, o)
			}
		},
	})
}

// rankOptions are the flags of rank.
type rankOptions struct {
	at, signal, metric, issue string
	top, bottom               int
	config                    string // index only: a config file of weights and thresholds
	weights                   string // index only: name=value,... overriding weights
}

// shown reports whether the row ranked i (0-based) of n is printed under --top and
// --bottom (both 0: every row).
func (o rankOptions) shown(i, n int) bool {
	return o.top == 0 && o.bottom == 0 || i < o.top || i >= n-o.bottom
}

// query checks the flags against the signal and turns them into the engine's query
// (without the focal state and the window, which need the store).
func (o rankOptions) query() (index.SignalQuery, error) {
	q := index.SignalQuery{Signal: o.signal}
	switch {
	case o.top < 0 || o.bottom < 0:
		return q, usagef("--top and --bottom take a positive number")
	case !slices.Contains(index.RankSignals, o.signal):
		return q, usagef("--signal %q: want one of %s", o.signal, strings.Join(sortedStrings(append(slices.Clone(index.RankSignals), index.ForceSignals...)), ", "))
	case o.signal != "index" && (o.config != "" || o.weights != ""):
		return q, usagef("--config and --weights apply to --signal index")
	case o.issue != "" && o.signal == "index":
		return q, usagef("--metric and --issue apply to single signals; the index combines them all (override its weights with --weights)")
	case o.issue != "" && (o.signal == "events" || o.signal == "aid"):
		return q, usagef("--issue applies to UN votes only")
	case o.issue != "" && o.signal != "unvotes":
		return q, usagef("--issue applies to the unvotes signal only")
	}
	if o.at != "" {
		d, err := entente.ParseDateSpec(o.at)
		if err != nil {
			return q, usagef("--at: %s", err)
		}
		q.At = &d
	}
	var err error
	q.Metrics, q.Names, q.Issue, err = rankMetrics(o.signal, o.metric, o.issue)
	return q, err
}

// rankMetrics checks --metric (and --issue) for the signal.
func rankMetrics(sig, metric, issue string) (idx []int, names []string, iss string, err error) {
	switch sig {
	case "index":
		if metric != "" {
			err = usagef("--metric and --issue apply to single signals; the index combines them all (override its weights with --weights)")
		}
	case "unvotes":
		if metric == "" {
			metric = "kappa"
		}
		if idx, err = parseMetrics(metric); err == nil {
			iss, err = parseIssue(issue)
		}
	case "events":
		if metric != "" && !slices.Contains(index.EventMetrics, metric) {
			err = usagef("--metric %q: the events signal ranks by goldstein_mean (default), coop_share or n", metric)
		} else if metric != "" {
			names = []string{metric}
		}
	case "aid":
		if metric != "" && metric != "eur_bn" {
			err = usagef("--metric %q: the aid signal ranks by eur_bn", metric)
		}
	case "alliances":
		names, err = parseAllianceMetrics(metric)
	case "ledger":
		if metric != "" && metric != "balance" {
			err = usagef("--metric %q: the ledger signal has balance", metric)
		}
	}
	return idx, names, iss, err
}

func parseAllianceMetrics(s string) ([]string, error) {
	if s == "" {
		return []string{"kappa", "s_abs", "direct"}, nil
	}
	if s == "all" {
		return index.AllianceMetrics, nil
	}
	var out []string
	for _, m := range strings.Split(s, ",") {
		m = strings.TrimSpace(m)
		if !slices.Contains(index.AllianceMetrics, m) {
			return nil, usagef("--metric %q: the alliances signal has %s", m, strings.Join(index.AllianceMetrics, ", "))
		}
		out = append(out, m)
	}
	return out, nil
}

// rank asks the engine for the window of the signal, names the focal state at its last
// day (entente.ResolveAt) and writes the engine's ranking.
func (a *app) rank(ctx context.Context, focal string, q index.SignalQuery, o rankOptions) error {
	e, st, err := a.indexEngine(ctx, indexOptions{config: o.config, weights: o.weights})
	if err != nil {
		return err
	}
	defer st.Close()
	if q.Window, err = e.SignalWindow(ctx, q.Signal, q.At, q.Issue); err != nil {
		return err
	}
	if q.Focal, err = e.Resolve(focal, q.Window.To); err != nil {
		return err
	}
	noteCoverage := func(bool) error { return nil }
	if q.Signal == "index" {
		// The note reads beside the ranking, as the engine reads (through its read cache).
		noteCoverage = a.startCoverageNote(ctx, e.Source(), q.Focal.ID, q.Window.From, q.Window.To)
	}
	t, err := e.RankSignal(ctx, q)
	if err != nil {
		noteCoverage(false)
		return err
	}
	if err := noteCoverage(true); err != nil {
		return err
	}
	a.setRankKeys(q.Focal.ID, q.Window.Day())
	return a.writeTable(t, o.shown)
}

// writeTable writes an engine's table, the rows shown (nil: all) and its notes.
func (a *app) writeTable(t *index.Table, shown func(i, n int) bool) error {
	w := a.newRowWriter(t.Columns)
	for i, r := range t.Rows {
		if shown != nil && !shown(i, len(t.Rows)) {
			continue
		}
		if err := w.Row(r...); err != nil {
			return err
		}
	}
	for _, n := range t.Notes {
		a.note("%s", n)
	}
	return w.Close()
}

func sortedStrings(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}
