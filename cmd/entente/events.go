package main

import (
	"context"
	"flag"
	"sort"
	"time"

	"github.com/entente/entente"
)

func init() {
	commands = append(commands, &command{
		name:    "events",
		summary: "GDELT event signals between two states, month by month or year by year",
		usage: `Usage:
  entente events A B [--from DATE] [--to DATE] [--by month|year] [--undirected] [--evidence N]

Aggregates the coded news events (GDELT, after dedupe) between two states, in each
direction: iso3_a is the actor, iso3_b the target; with --undirected, both directions
in one row per period (iso3_a, iso3_b as given). Columns (docs/events.md):
  n                  distinct events
  verbal_coop .. material_conflict
                     events by quad class (1 verbal cooperation, 2 material
                     cooperation, 3 verbal conflict, 4 material conflict)
  goldstein_sum      sum of Goldstein scores (-10 .. 10), each weighted by the
                     event's number of sources
  goldstein_mean     goldstein_sum / weight: the sources-weighted mean score
  coop_share         share of the n events that are cooperation (quad 1 or 2)
  weight             sum of the sources behind the Goldstein scores
A month with no event between them has no row (unknown, not zero). Windows count whole
months (a month is in when its first day is).

--evidence N adds, after each row, up to N rows with the row's most-cited source URLs
(url, url_events: events of the row with that URL, url_sources: their summed sources);
the signal columns of those rows are empty.

Examples:
  entente events RUS UKR --from 2022 --to 2022 --by month
  entente events USA CHN --by year --format csv
  entente events RUS PRK --from 2024-06 --to 2024-07 --evidence 3
  entente events USA GBR --undirected --by year
`,
		setup: func(fs *flag.FlagSet) func(context.Context, *app, []string) error {
			from := fs.String("from", "", "first date of the window (YYYY, YYYY-MM or YYYY-MM-DD)")
			to := fs.String("to", "", "last date of the window, inclusive")
			by := fs.String("by", "month", "periods: month or year")
			evidence := fs.Int("evidence", 0, "add the N most-cited source URLs of each row")
			undirected := fs.Bool("undirected", false, "both directions in one row per period")
			return func(ctx context.Context, a *app, args []string) error {
				if len(args) != 2 {
					return usagef("want two states")
				}
				if *by != "month" && *by != "year" {
					return usagef("--by %q: want month or year", *by)
				}
				if *evidence < 0 {
					return usagef("--evidence takes a positive number")
				}
				return a.events(ctx, args[0], args[1], *from, *to, *by, *evidence, *undirected)
			}
		},
	})
}

// eventColumns are the columns of 'entente events'; the evidence columns come last.
var eventColumns = []string{"iso3_a", "iso3_b", "period", "n", "verbal_coop", "material_coop",
	"verbal_conflict", "material_conflict", "goldstein_sum", "goldstein_mean", "coop_share", "weight"}

var evidenceColumns = []string{"url", "url_events", "url_sources"}

// resolveState resolves a state argument for the event commands: any state of the
// registry, with or without a COW number.
func (a *app) resolveState(arg string, at time.Time) (entente.Country, error) {
	c, err := a.countries.Resolve(arg, at)
	if err != nil && !at.IsZero() {
		if c2, err2 := a.countries.Resolve(arg, time.Time{}); err2 == nil {
			return c2, nil
		}
	}
	return c, err
}

func (a *app) events(ctx context.Context, argA, argB, fromArg, toArg, by string, evidence int, undirected bool) error {
	ca, err := a.resolveState(argA, time.Time{})
	if err != nil {
		return err
	}
	cb, err := a.resolveState(argB, time.Time{})
	if err != nil {
		return err
	}
	if ca.ID == cb.ID {
		return usagef("%s and %s are the same state (%s)", argA, argB, ca.ID)
	}
	from, to, err := window(fromArg, toArg)
	if err != nil {
		return err
	}
	st, err := a.openExistingStore(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	q := entente.EventQuery{From: from, To: to, By: by, A: ca.ID, B: cb.ID}
	sigs, err := st.EventSignals(ctx, q)
	if err != nil {
		return err
	}
	if undirected {
		sigs = bothDirections(sigs, ca.ID, cb.ID)
	}
	var ev map[string][]entente.EventEvidence
	if evidence > 0 {
		// EventEvidence filters on the event day, EventSignals on whole months: ask for
		// the whole months of the window, so both see the same events.
		eq := q
		eq.From, eq.To = monthCeil(from), monthCeil(to)
		rows, err := st.EventEvidence(ctx, eq, evidence)
		if err != nil {
			return err
		}
		ev = map[string][]entente.EventEvidence{}
		for _, e := range rows {
			if undirected {
				e.A, e.B = ca.ID, cb.ID
			}
			k := e.A + "\x00" + e.B + "\x00" + e.Period
			ev[k] = append(ev[k], e)
		}
		if undirected {
			for k, list := range ev {
				ev[k] = topEvidence(list, evidence)
			}
		}
	}
	cols := eventColumns
	if evidence > 0 {
		cols = append(append([]string(nil), eventColumns...), evidenceColumns...)
	}
	w := a.newRowWriter(cols)
	vals := make([]any, 0, len(cols))
	for _, s := range sigs {
		vals = append(vals[:0], s.A, s.B, s.Period, s.N, s.Quad[0], s.Quad[1], s.Quad[2], s.Quad[3],
			s.GoldsteinSum, s.GoldsteinMean, s.CoopShare, s.Weight)
		if evidence > 0 {
			vals = append(vals, nil, nil, nil)
		}
		if err := w.Row(vals...); err != nil {
			return err
		}
		for _, e := range ev[s.A+"\x00"+s.B+"\x00"+s.Period] {
			vals = append(vals[:0], e.A, e.B, e.Period, nil, nil, nil, nil, nil, nil, nil, nil, nil, e.URL, e.Events, e.Sources)
			if err := w.Row(vals...); err != nil {
				return err
			}
		}
	}
	if len(sigs) == 0 {
		a.note("no events between %s and %s in the store for this window", ca.ID, cb.ID)
	}
	return w.Close()
}

// monthStart returns the first day of t's month (zero stays zero).
func monthStart(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return entente.Day(t.Year(), t.Month(), 1)
}

// monthCeil returns the first day of the first month that starts at or after t (zero
// stays zero).
func monthCeil(t time.Time) time.Time {
	if m := monthStart(t); !m.Equal(t) {
		return m.AddDate(0, 1, 0)
	}
	return t
}

// bothDirections merges the rows of a→b and b→a of each period into one row a–b,
// keeping the periods' order.
func bothDirections(sigs []entente.EventSignal, a, b string) []entente.EventSignal {
	var out []entente.EventSignal
	at := map[string]int{}
	for _, s := range sigs {
		i, ok := at[s.Period]
		if !ok {
			at[s.Period] = len(out)
			out = append(out, entente.EventSignal{A: a, B: b, Period: s.Period})
			i = len(out) - 1
		}
		out[i].Merge(s)
	}
	return out
}

// topEvidence merges the URLs of both directions (a URL may carry events of each) and
// keeps the n most cited.
func topEvidence(list []entente.EventEvidence, n int) []entente.EventEvidence {
	byURL := map[string]int{}
	var out []entente.EventEvidence
	for _, e := range list {
		if i, ok := byURL[e.URL]; ok {
			out[i].Events += e.Events
			out[i].Sources += e.Sources
			continue
		}
		byURL[e.URL] = len(out)
		out = append(out, e)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Events != out[j].Events {
			return out[i].Events > out[j].Events
		}
		if out[i].Sources != out[j].Sources {
			return out[i].Sources > out[j].Sources
		}
		return out[i].URL < out[j].URL
	})
	if len(out) > n {
		out = out[:n]
	}
	return out
}
