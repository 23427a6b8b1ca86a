package main

import (
	"context"
	"math"
	"sort"
	"time"

	"github.com/entente/entente"
)

// rank --signal events and --signal aid (docs/events.md, "Ranking").

func init() {
	rankers["events"] = (*app).rankEvents
	rankers["aid"] = (*app).rankAid
}

// eventRank is one other state's event balance with the focal state over the window,
// both directions combined.
type eventRank struct {
	id          string
	n, out, in  int64 // events in all; focal → other; other → focal
	coop        int64 // of them, quad 1 or 2
	gsum        float64
	weight      int64
	mean, share float64
}

// rankEvents orders the states that have events with the focal state in the window by
// the sources-weighted mean Goldstein score of those events, both directions combined;
// states without any event are not ranked.
func (a *app) rankEvents(ctx context.Context, o rankOptions) error {
	if o.issue != "" {
		return usagef("--issue applies to UN votes only")
	}
	key := o.metric
	switch key {
	case "":
		key = "goldstein_mean"
	case "goldstein_mean", "coop_share", "n":
	default:
		return usagef("--metric %q: the events signal ranks by goldstein_mean (default), coop_share or n", o.metric)
	}
	focal, err := a.resolveState(o.focal, time.Time{})
	if err != nil {
		return err
	}
	st, err := a.openExistingStore(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	all, err := st.EventSignals(ctx, entente.EventQuery{By: "month", A: focal.ID})
	if err != nil {
		return err
	}
	if len(all) == 0 {
		return entente.Errorf(entente.ENOTFOUND, "no events of %s (%s) in the store: import GDELT files first (entente import gdelt PATH...)", focal.Name, focal.ID)
	}
	from, to, label, err := rankWindow(o.at, lastMonthEnd(all[len(all)-1].Period))
	if err != nil {
		return err
	}
	var sigs []entente.EventSignal
	for _, s := range all {
		if monthIn(s.Period, from, to) {
			sigs = append(sigs, s)
		}
	}
	by := map[string]*eventRank{}
	for _, s := range sigs {
		other, out := s.B, true
		if s.B == focal.ID {
			other, out = s.A, false
		}
		r := by[other]
		if r == nil {
			r = &eventRank{id: other}
			by[other] = r
		}
		r.n += s.N
		if out {
			r.out += s.N
		} else {
			r.in += s.N
		}
		r.coop += s.Quad[0] + s.Quad[1]
		r.gsum += s.GoldsteinSum
		r.weight += s.Weight
	}
	rows := make([]*eventRank, 0, len(by))
	for _, r := range by {
		r.mean, r.share = math.NaN(), float64(r.coop)/float64(r.n)
		if r.weight > 0 {
			r.mean = r.gsum / float64(r.weight)
		}
		rows = append(rows, r)
	}
	value := func(r *eventRank) float64 {
		switch key {
		case "coop_share":
			return r.share
		case "n":
			return float64(r.n)
		}
		return r.mean
	}
	sort.Slice(rows, func(i, j int) bool {
		vi, vj := value(rows[i]), value(rows[j])
		switch {
		case math.IsNaN(vi) != math.IsNaN(vj):
			return !math.IsNaN(vi)
		case vi != vj && !math.IsNaN(vi):
			return vi > vj
		case rows[i].n != rows[j].n:
			return rows[i].n > rows[j].n
		}
		return rows[i].id < rows[j].id
	})
	at := to.AddDate(0, 0, -1)
	a.setRankKeys(focal.ID, at)
	w := a.newRowWriter([]string{"rank", "iso3", "name", "period", "n", "n_out", "n_in", "goldstein_mean", "coop_share", "weight"})
	for i, r := range rows {
		if !o.shown(i, len(rows)) {
			continue
		}
		if err := w.Row(i+1, r.id, a.stateName(r.id, at), label, r.n, r.out, r.in, r.mean, r.share, r.weight); err != nil {
			return err
		}
	}
	var n int64
	for _, r := range rows {
		n += r.n
	}
	a.note("%s (%s), %s: %d states ranked by %s over %d events, both directions (states with no event are not ranked)", focal.Name, focal.ID, label, len(rows), key, n)
	return w.Close()
}

// monthIn reports whether the "YYYY-MM" period's first day lies in [from, to), the
// stores' rule for whole months in a window; the ranking reads the focal state's months
// once and windows them here.
func monthIn(period string, from, to time.Time) bool {
	t, err := time.Parse("2006-01", period)
	return err == nil && !t.Before(from) && t.Before(to)
}

// lastMonthEnd returns the last day of a "YYYY-MM" period.
func lastMonthEnd(period string) time.Time {
	t, err := time.Parse("2006-01", period)
	if err != nil {
		return time.Time{}
	}
	return t.AddDate(0, 1, -1)
}

// stateName names the state with registry ID id at day at, or returns "".
func (a *app) stateName(id string, at time.Time) string {
	if c, ok := a.countries.ByISO3(id, at); ok {
		return c.Name
	}
	if c, ok := a.countries.ByISO3(id, time.Time{}); ok {
		return c.Name
	}
	return ""
}

// aidRank is the aid between the focal state and another over the window.
type aidRank struct {
	id     string
	eur    float64
	kinds  map[string]float64
	months int
}

// rankAid orders the states that gave aid to, or received aid from, the focal state in
// the window by the EUR bn, both directions combined. Donors that are not states (the
// EU institutions) are left out of the ranking and named in a note.
func (a *app) rankAid(ctx context.Context, o rankOptions) error {
	if o.issue != "" {
		return usagef("--issue applies to UN votes only")
	}
	if o.metric != "" && o.metric != "eur_bn" {
		return usagef("--metric %q: the aid signal ranks by eur_bn", o.metric)
	}
	focal, err := a.resolveState(o.focal, time.Time{})
	if err != nil {
		return err
	}
	st, err := a.openExistingStore(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	all, err := st.AidSignals(ctx, entente.EventQuery{By: "month", A: focal.ID})
	if err != nil {
		return err
	}
	if len(all) == 0 {
		return entente.Errorf(entente.ENOTFOUND, "no aid records of %s (%s) in the store: import them first (entente import aid PATH...)", focal.Name, focal.ID)
	}
	from, to, label, err := rankWindow(o.at, lastMonthEnd(all[len(all)-1].Period))
	if err != nil {
		return err
	}
	var sigs []entente.AidSignal
	for _, s := range all {
		if monthIn(s.Period, from, to) {
			sigs = append(sigs, s)
		}
	}
	at := to.AddDate(0, 0, -1)
	by := map[string]*aidRank{}
	nonStates := map[string]float64{}
	for _, s := range sigs {
		other := s.B
		if s.B == focal.ID {
			other = s.A
		}
		if a.stateName(other, at) == "" {
			nonStates[other] += s.EURbn
			continue
		}
		r := by[other]
		if r == nil {
			r = &aidRank{id: other, kinds: map[string]float64{}}
			by[other] = r
		}
		r.eur += s.EURbn
		r.months++
		for k, v := range s.ByKind {
			r.kinds[k] += v
		}
	}
	rows := make([]*aidRank, 0, len(by))
	for _, r := range by {
		rows = append(rows, r)
	}
	sort.Slice(rows, func(i, j int) bool {
		if rows[i].eur != rows[j].eur {
			return rows[i].eur > rows[j].eur
		}
		return rows[i].id < rows[j].id
	})
	a.setRankKeys(focal.ID, to.AddDate(0, 0, -1))
	w := a.newRowWriter([]string{"rank", "iso3", "name", "period", "months", "eur_bn", "financial", "humanitarian", "military"})
	for i, r := range rows {
		if !o.shown(i, len(rows)) {
			continue
		}
		if err := w.Row(i+1, r.id, a.stateName(r.id, at), label, r.months, r.eur, r.kinds["financial"], r.kinds["humanitarian"], r.kinds["military"]); err != nil {
			return err
		}
	}
	a.note("%s (%s), %s: %d states ranked by aid in EUR bn, both directions (Kiel Ukraine Support Tracker; states with no record are not ranked)", focal.Name, focal.ID, label, len(rows))
	for _, id := range sortedKeys(nonStates) {
		a.note("not ranked, not a state: %s, EUR %.3f bn", id, nonStates[id])
	}
	return w.Close()
}
