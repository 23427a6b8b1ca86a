package main

import (
	"context"
	"math"
	"strconv"

	"github.com/entente/entente"
	"github.com/entente/entente/signal"
)

// The force signals of 'entente rank' (docs/force.md): war, cobelligerence, rivalry,
// disputes and arms, ranked by signal.ForceRanking for the year of --at.
func init() {
	for _, s := range signal.ForceSignals {
		rankers[s] = func(a *app, ctx context.Context, o rankOptions) error { return a.rankForce(ctx, o, s) }
	}
}

func (a *app) rankForce(ctx context.Context, o rankOptions, sig string) error {
	if o.issue != "" || o.metric != "" {
		return usagef("--issue and --metric apply to the unvotes and index signals")
	}
	if o.at == "" {
		return usagef("--signal %s needs --at YYYY (the data's years: docs/force.md)", sig)
	}
	d, err := entente.ParseDateSpec(o.at)
	if err != nil {
		return usagef("--at: %s", err)
	}
	at := d.End.AddDate(0, 0, -1)
	year := at.Year()
	focal, err := a.resolveAt(o.focal, at)
	if err != nil {
		return err
	}
	st, err := a.openExistingStore(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	rows, coverage, err := signal.ForceRanking(ctx, st, a.countries, focal, year, sig)
	if err != nil {
		return err
	}
	if len(rows) == 0 {
		return entente.Errorf(entente.ENOTFOUND, "no %s record with %s (%s) in %d [%s]: none within the data's years, unknown after them",
			sig, focal.Name, focal.ID, year, coverage)
	}
	cols := []string{"rank", "iso3", "ccode", "name", "year", sig, "detail"}
	if sig == signal.ForceArms {
		cols = []string{"rank", "iso3", "ccode", "name", "year", "tiv", "tiv_to", "share_of_their_imports", "tiv_from", "share_of_focal_imports", "detail"}
	}
	w := a.newRowWriter(cols)
	for i, r := range rows {
		if !o.shown(i, len(rows)) {
			continue
		}
		vals := []any{i + 1, r.State.ID, r.State.COW, r.State.Name, strconv.Itoa(year), r.Value}
		if sig == signal.ForceArms {
			vals = append(vals, r.To, share(r.ShareTo), r.From, share(r.ShareFrom))
		}
		if err := w.Row(append(vals, r.Detail)...); err != nil {
			return err
		}
	}
	a.note("%s (%s), %d: %d states ranked by %s [%s]; states not listed have no record (unknown after the data's years)",
		focal.Name, focal.ID, year, len(rows), sig, coverage)
	return w.Close()
}

// share rounds a share to three decimals; NaN (no imports known) is printed as empty.
func share(v float64) any {
	if math.IsNaN(v) {
		return nil
	}
	return math.Round(v*1000) / 1000
}
