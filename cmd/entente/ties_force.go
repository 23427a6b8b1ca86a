package main

import (
	"context"
	"fmt"
	"strconv"

	"github.com/entente/entente"
	"github.com/entente/entente/signal"
)

// tieForce returns the force signals of the dyad in year (section "signal") and their
// evidence items (section "force"), built by signal.ForceDyadYear.
func (a *app) tieForce(ctx context.Context, st entente.Store, ca, cb entente.Country, year int) (signals, items []tieRow, err error) {
	d, err := signal.ForceDyadYear(ctx, st, a.countries, ca, cb, year)
	if err != nil {
		return nil, nil, err
	}
	period := strconv.Itoa(year)
	for _, s := range d.Signals {
		signals = append(signals, tieRow{"signal", period, s.Signal, ca.ID, cb.ID, s.Value, s.Detail + " [" + s.Coverage + "]", s.Coverage})
	}
	for _, it := range d.Items {
		items = append(items, tieRow{"force", strconv.Itoa(it.Year), it.Signal, it.From, it.To, it.Value, it.Detail, it.Ref})
	}
	return signals, items, nil
}

// writeForceItems writes the force evidence block of the table output.
func (a *app) writeForceItems(rows []tieRow) {
	fmt.Fprintln(a.stdout)
	fmt.Fprintln(a.stdout, "Force evidence (UCDP conflicts, strategic rivalries, GML MIDs, SIPRI arms transfers)")
	n := 0
	for _, r := range rows {
		if r.section != "force" {
			continue
		}
		n++
		fmt.Fprintf(a.stdout, "%-6s %-15s %s -> %s  %s\n", r.date, r.item, r.a, r.b, r.detail)
		fmt.Fprintf(a.stdout, "    source: %s\n", r.sources)
	}
	if n == 0 {
		fmt.Fprintln(a.stdout, "  none in the data's years (see the signals' coverage: after it, unknown)")
	}
}

// explainForceRows returns the force records of focal -> other in year as rows of the
// explain evidence table (signal, date, effect, evidence, source). They carry no effect:
// the force signals are shown beside the index, not yet terms of it (docs/force.md).
func (a *app) explainForceRows(ctx context.Context, st entente.ConflictStore, focal, other entente.Country, year int) ([][]any, error) {
	d, err := signal.ForceDyadYear(ctx, st, a.countries, focal, other, year)
	if err != nil {
		return nil, err
	}
	var rows [][]any
	for _, it := range d.Items {
		rows = append(rows, []any{"force:" + it.Signal, strconv.Itoa(it.Year), nil, it.From + " -> " + it.To + ": " + it.Detail, it.Ref})
	}
	return rows, nil
}
