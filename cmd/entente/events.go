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

func (a *app) events(ctx context.Context, argA, argB, fromArg, toArg, by string, evidence int, undirected bool) error {
	q := index.EventsQuery{By: by, Evidence: evidence, Undirected: undirected}
	var err error
	if q.A, err = entente.ResolveAt(a.countries, argA, time.Time{}); err != nil {
		return err
	}
	if q.B, err = entente.ResolveAt(a.countries, argB, time.Time{}); err != nil {
		return err
	}
	if q.A.ID == q.B.ID {
		return usagef("%s and %s are the same state (%s)", argA, argB, q.A.ID)
	}
	if q.From, q.To, err = window(fromArg, toArg); err != nil {
		return err
	}
	e, st, err := a.indexEngine(ctx, indexOptions{})
	if err != nil {
		return err
	}
	defer st.Close()
	t, err := e.Events(ctx, q)
	if err != nil {
		return err
	}
	return a.writeTable(t, nil)
}
