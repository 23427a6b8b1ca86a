package main

import (
	"context"
	"slices"

	"github.com/entente/entente"
	"github.com/entente/entente/index"
)

// isForceSignal reports whether rank --signal names one of the force signals
// (docs/force.md): war, cobelligerence, rivalry, disputes, arms.
func isForceSignal(sig string) bool { return slices.Contains(index.ForceSignals, sig) }

// rankForce ranks the states by a force signal in the year of --at.
func (a *app) rankForce(ctx context.Context, focal string, o rankOptions) error {
	switch {
	case o.issue != "" || o.metric != "":
		return usagef("--issue and --metric apply to the unvotes and index signals")
	case o.config != "" || o.weights != "":
		return usagef("--config and --weights apply to --signal index")
	case o.top < 0 || o.bottom < 0:
		return usagef("--top and --bottom take a positive number")
	case o.at == "":
		return usagef("--signal %s needs --at YYYY (the data's years: docs/force.md)", o.signal)
	}
	d, err := entente.ParseDateSpec(o.at)
	if err != nil {
		return usagef("--at: %s", err)
	}
	e, st, err := a.indexEngine(ctx, indexOptions{})
	if err != nil {
		return err
	}
	defer st.Close()
	c, err := e.Resolve(focal, d.End)
	if err != nil {
		return err
	}
	t, err := e.RankForce(ctx, c, d.End.AddDate(0, 0, -1).Year(), o.signal)
	if err != nil {
		return err
	}
	a.setRankKeys(c.ID, d.End.AddDate(0, 0, -1))
	return a.writeTable(t, o.shown)
}
