package main

import (
	"context"
	"flag"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/entente/entente"
	"github.com/entente/entente/index"
)

func init() {
	commands = append(commands, &command{
		name:    "ties",
		summary: "formal ties of two states at a date: treaties, memberships, ledger acts, with sources",
		usage: `Usage:
  entente ties A B [--at DATE]

Shows the evidence of formal ties between A and B at DATE (default: today):
  signal      the dyad's tie signals in DATE's year, each with its coverage: alliance
              portfolio similarity (s_abs, kappa), the direct tie (the stronger
              direction: 3 defense/offense, 2 neutrality/consultation, 1
              non-aggression, 0 none), shared memberships and the ledger's act balance
              (docs/ties.md)
  treaty      the ATOP obligations of each toward the other in DATE's year, or
              "unknown" after the ATOP data end (2018)
  membership  organisations both belong to, blocs where they differ (a frozen
              participation is not shared) and opposed blocs (NATO and CSTO, EU and
              EAEU), with the bloc registry's citations; COW IGO memberships end in 2014
  act         ledger acts between them up to DATE, most recent first, and their acts
              toward blocs the other belongs to, with their sources
  force       war, co-belligerence, rivalry, MID hostility and arms delivered in
              DATE's year, each record with its dataset and line (docs/force.md);
              unknown after each dataset's last year
Run 'entente import atop|igo|ledger' (and 'entente import force FILES' for the force
data) first; the bloc registry is built in.

Examples:
  entente ties RUS PRK --at 2024-07
  entente ties ARM RUS --at 2025-06
  entente ties FIN USA --at 2023-05 --format json
  entente ties IND PAK --at 2019
`,
		setup: func(fs *flag.FlagSet) func(context.Context, *app, []string) error {
			at := fs.String("at", "", "date: YYYY, YYYY-MM or YYYY-MM-DD (its last day counts; default today)")
			return func(ctx context.Context, a *app, args []string) error {
				if len(args) != 2 {
					return usagef("want two states")
				}
				return a.ties(ctx, args[0], args[1], *at)
			}
		},
	})
}

func (a *app) ties(ctx context.Context, argA, argB, atArg string) error {
	end := a.now().UTC().Truncate(24*time.Hour).AddDate(0, 0, 1)
	if atArg != "" {
		d, err := entente.ParseDateSpec(atArg)
		if err != nil {
			return usagef("--at: %s", err)
		}
		end = d.End
	}
	e, st, err := a.indexEngine(ctx, indexOptions{})
	if err != nil {
		return err
	}
	defer st.Close()
	ca, err := e.Resolve(argA, end)
	if err != nil {
		return err
	}
	cb, err := e.Resolve(argB, end)
	if err != nil {
		return err
	}
	if ca.ID == cb.ID {
		return usagef("want two different states")
	}
	rows, err := e.Ties(ctx, ca, cb, end)
	if err != nil {
		return err
	}
	a.note("%s (%s) and %s (%s) at %s", ca.Name, ca.ID, cb.Name, cb.ID, end.AddDate(0, 0, -1).Format(time.DateOnly))
	return a.writeTieRows(rows)
}

// writeTieRows writes the rows: one flat table in CSV and JSON; in a table, one block
// per section with its own columns.
func (a *app) writeTieRows(rows []index.TieRow) error {
	if a.format != "table" {
		w := a.newRowWriter(index.TieColumns)
		for _, r := range rows {
			if err := w.Row(r.Section, r.Date, r.Item, r.A, r.B, r.Value, r.Detail, r.Sources); err != nil {
				return err
			}
		}
		return w.Close()
	}
	sections := []struct {
		name, title string
		cols        []string
		cells       func(r index.TieRow) []any
	}{
		{"signal", "Signals", []string{"signal", "year", "value", "coverage / detail"},
			func(r index.TieRow) []any { return []any{r.Item, r.Date, r.Value, r.Detail} }},
		{"treaty", "Treaties (ATOP)", []string{"year", "direction", "strength", "obligations", "source"},
			func(r index.TieRow) []any { return []any{r.Date, r.Item, r.Value, r.Detail, r.Sources} }},
		{"membership", "Memberships at " + rowsDate(rows, "membership"), []string{"organisation", "a", "b", "relation"},
			func(r index.TieRow) []any { return []any{r.Item, r.A, r.B, r.Value} }},
	}
	for _, s := range sections {
		fmt.Fprintf(a.stdout, "%s\n", s.title)
		w := a.newRowWriter(s.cols)
		for _, r := range rows {
			if r.Section == s.name {
				if err := w.Row(s.cells(r)...); err != nil {
					return err
				}
			}
		}
		if err := w.Close(); err != nil {
			return err
		}
		fmt.Fprintln(a.stdout)
	}
	return a.writeTieSources(rows)
}

// writeTieSources writes, in a table, the sources of the memberships and the acts.
func (a *app) writeTieSources(rows []index.TieRow) error {
	fmt.Fprintln(a.stdout, "Sources of the memberships")
	for _, r := range rows {
		if r.Section == "membership" && r.Sources != "" {
			for _, c := range strings.Split(r.Sources, " | ") {
				fmt.Fprintf(a.stdout, "  %-12s %s\n", r.Item, c)
			}
		}
	}
	fmt.Fprintln(a.stdout)
	fmt.Fprintln(a.stdout, "Ledger acts, most recent first")
	for _, r := range rows {
		if r.Section != "act" {
			continue
		}
		if r.Item == "none" {
			fmt.Fprintf(a.stdout, "  %s\n", r.Detail)
			continue
		}
		value := "-"
		if f, ok := r.Value.(float64); ok {
			value = strconv.FormatFloat(f, 'f', -1, 64)
			if f > 0 {
				value = "+" + value
			}
		}
		fmt.Fprintf(a.stdout, "%-10s  %s -> %s  %s  value %s\n", r.Date, r.A, r.B, r.Item, value)
		fmt.Fprintf(a.stdout, "    %s\n", r.Detail)
		for _, c := range strings.Split(r.Sources, " | ") {
			fmt.Fprintf(a.stdout, "    source: %s\n", c)
		}
	}
	a.writeForceItems(rows)
	return nil
}

func rowsDate(rows []index.TieRow, section string) string {
	for _, r := range rows {
		if r.Section == section {
			return r.Date
		}
	}
	return ""
}
