package main

import (
	"context"
	"flag"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/entente/entente"
	"github.com/entente/entente/index"
)

func init() {
	commands = append(commands, &command{
		name:    "panel",
		summary: "the index of every directed dyad and year, as one long table (csv, parquet)",
		usage: `Usage:
  entente panel --from YEAR --to YEAR [--states LIST] [--intervals] [--weights LIST] [--config FILE]
                [--format csv|json|parquet] [--output FILE]

Writes the alignment index of every directed dyad (focal state ccode1 × other state
ccode2) in every calendar year from --from to --to, one row each, in the keys of
peacesciencer's dyad-years: ccode1, ccode2, year, iso3_1, iso3_2, then score, class,
one column per signal with its value in [-1, 1] (empty where the signal has no
evidence), one column <signal>_n per signal with its evidence items, and n_signals,
the signals available. Year Y is the index at the end of Y, as 'entente rank FOCAL --at
Y' reads it (UN votes of Y; decays to Y-12-31): every score is the score rank gives.

Every state that exists on the year's last day is a row's ccode1 and ccode2 (a state
without a COW number has empty ccode). A dyad with no direct evidence (no shared roll
call, tie, bloc, event, act or aid) is included with an empty score and class
"unknown": the panel is balanced, and missing evidence is never 0; the closing note
counts these rows. Rows come ordered by year, ccode1, ccode2, streamed as they are
computed. Without --format, csv. Scores carry no interval unless --intervals (the
bootstrap of rank, 200 replicates per dyad: about 10 times slower; columns lo and hi
after score). Years after the store's last data are refused.

--states restricts the focal states (ccode1), e.g. --states RUS,CHN,USA; ccode2 is
still every state.

--weights and --config set the index's parameters as for rank and explain (over
$ENTENTE_INDEX_CONFIG and $ENTENTE_INDEX_WEIGHTS; names in docs/index.md). A signal
weighed 0 has no column value: it takes no part in the score.

Examples:
  entente panel --from 1990 --to 2025 --format parquet --output panel.parquet
  entente panel --from 2024 --to 2024 --states RUS,CHN > rus-chn-2024.csv
  entente panel --from 1960 --to 1989 --weights alliances=0.5 --output cold-war.csv
`,
		setup: func(fs *flag.FlagSet) func(context.Context, *app, []string) error {
			var o panelOptions
			fs.StringVar(&o.from, "from", "", "first `YEAR`")
			fs.StringVar(&o.to, "to", "", "last `YEAR` (default: --from)")
			fs.StringVar(&o.states, "states", "", "focal states only: a comma-separated `LIST` (RUS,CHN,...)")
			fs.BoolVar(&o.intervals, "intervals", false, "bootstrap intervals lo and hi (slow)")
			fs.StringVar(&o.weights, "weights", "", "override index parameters: name=value,... (also $ENTENTE_INDEX_WEIGHTS)")
			fs.StringVar(&o.config, "config", "", "index config file: one 'name = value' per line (also $ENTENTE_INDEX_CONFIG)")
			return func(ctx context.Context, a *app, args []string) error {
				if len(args) != 0 {
					return usagef("panel takes no arguments: give --from and --to")
				}
				explicit := false
				fs.Visit(func(f *flag.Flag) { explicit = explicit || f.Name == "format" })
				if a.format == "table" {
					if explicit {
						return usagef("--format table: the panel is a long table for programs; want csv, json or parquet")
					}
					a.format = "csv"
				}
				return a.panel(ctx, o)
			}
		},
	})
}

type panelOptions struct {
	from, to, states string
	intervals        bool
	weights, config  string // the index's parameters, as rank's
}

// panelYears reads --from and --to.
func (o panelOptions) years() (from, to int, err error) {
	year := func(name, s string) (int, error) {
		y, err := strconv.Atoi(s)
		if err != nil || len(s) != 4 || y < 1900 {
			return 0, usagef("--%s %q: want a year (YYYY)", name, s)
		}
		return y, nil
	}
	if o.from == "" {
		return 0, 0, usagef("give --from YEAR (and --to YEAR)")
	}
	if from, err = year("from", o.from); err != nil {
		return 0, 0, err
	}
	to = from
	if o.to != "" {
		if to, err = year("to", o.to); err != nil {
			return 0, 0, err
		}
	}
	if to < from {
		return 0, 0, usagef("--to %d is before --from %d", to, from)
	}
	return from, to, nil
}

// panelColumns are the panel's columns: keys, score (and interval), class, each signal's
// value, each signal's evidence items and the number of signals available.
func panelColumns(intervals bool) []string {
	cols := []string{"ccode1", "ccode2", "year", "iso3_1", "iso3_2", "score"}
	if intervals {
		cols = append(cols, "lo", "hi")
	}
	cols = append(cols, "class")
	cols = append(cols, index.Signals...)
	for _, s := range index.Signals {
		cols = append(cols, s+"_n")
	}
	return append(cols, "n_signals")
}

func (a *app) panel(ctx context.Context, o panelOptions) error {
	from, to, err := o.years()
	if err != nil {
		return err
	}
	var states []entente.Country
	if o.states != "" {
		for _, s := range strings.Split(o.states, ",") {
			s = strings.TrimSpace(s)
			if s == "" {
				continue
			}
			c, err := entente.ResolveAt(a.countries, s, time.Time{})
			if err != nil {
				return err
			}
			states = append(states, c)
		}
		if len(states) == 0 {
			return usagef("--states %q: no state named", o.states)
		}
	}
	e, st, err := a.indexEngine(ctx, indexOptions{noCache: true, weights: o.weights, config: o.config})
	if err != nil {
		return err
	}
	defer st.Close()
	start := time.Now()
	bar := a.progress()
	cols := panelColumns(o.intervals)
	w := a.newRowWriter(cols)
	vals := make([]any, 0, len(cols))
	var rows, unknown int
	q := index.PanelQuery{From: from, To: to, States: states, Intervals: o.intervals,
		Progress: func(done, total int) {
			bar.UpdateCount("panel", int64(done), int64(total), "focal-years")
		}}
	err = e.Panel(ctx, q, func(r *index.PanelRow) error {
		vals = append(vals[:0], cowOrNil(r.Focal.COW), cowOrNil(r.Other.COW), r.Year, r.Focal.ID, r.Other.ID, r.Score.Score)
		if o.intervals {
			vals = append(vals, r.Lo, r.Hi)
		}
		vals = append(vals, r.Class)
		available := 0
		for k := range index.Signals {
			c := r.Signals[k]
			if c.Available() {
				vals = append(vals, c.Value)
				available++
			} else {
				vals = append(vals, math.NaN()) // undefined, typed: a double column in Parquet
			}
		}
		for k := range index.Signals {
			vals = append(vals, r.Signals[k].N)
		}
		vals = append(vals, available)
		rows++
		if !r.Known() {
			unknown++
		}
		return w.Row(vals...)
	})
	bar.Done()
	if err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	a.note("panel %d-%d: %d directed dyad-years, %d with a score, %d without direct evidence (empty score, class unknown); %s",
		from, to, rows, rows-unknown, unknown, time.Since(start).Round(time.Millisecond))
	return nil
}

func cowOrNil(cow int) any {
	if cow == 0 {
		return nil
	}
	return cow
}
