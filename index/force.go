package index

import (
	"context"
	"math"
	"strconv"

	"github.com/entente/entente"
	"github.com/entente/entente/signal"
)

// The force signals (docs/force.md): war, co-belligerence, rivalry, disputes and arms
// per directed dyad-year, from the UCDP, rivalry, MID and SIPRI records of the store.
// They are shown in the ties report, explain's evidence and single-signal rankings;
// the index's force term (evidence_force.go, force_load.go) reads the same records per
// focal state.

// ForceSignals are the names of the force signals, as rank --signal takes them.
var ForceSignals = signal.ForceSignals

// conflicts returns the store's force records, or nil when the engine's source holds
// none (a source without the conflict tables).
func (e *Engine) conflicts() entente.ConflictStore {
	cs, _ := e.src.(entente.ConflictStore)
	return cs
}

// forceTies returns the force signals of a and b in year (section "signal") and the
// records behind them (section "force").
func (e *Engine) forceTies(ctx context.Context, a, b entente.Country, year int) (signals, items []TieRow, err error) {
	cs := e.conflicts()
	if cs == nil {
		return nil, nil, nil
	}
	d, err := signal.ForceDyadYear(ctx, cs, e.countries, a, b, year)
	if err != nil {
		return nil, nil, err
	}
	period := strconv.Itoa(year)
	for _, s := range d.Signals {
		signals = append(signals, TieRow{"signal", period, s.Signal, a.ID, b.ID, s.Value, s.Detail + " [" + s.Coverage + "]", s.Coverage})
	}
	for _, it := range d.Items {
		items = append(items, TieRow{"force", strconv.Itoa(it.Year), it.Signal, it.From, it.To, it.Value, it.Detail, it.Ref})
	}
	return signals, items, nil
}

// ForceEvidence returns the force records of focal and other in year as evidence
// items with no effect on the score.
func (e *Engine) ForceEvidence(ctx context.Context, focal, other entente.Country, year int) ([]Evidence, error) {
	cs := e.conflicts()
	if cs == nil {
		return nil, nil
	}
	d, err := signal.ForceDyadYear(ctx, cs, e.countries, focal, other, year)
	if err != nil {
		return nil, err
	}
	var out []Evidence
	for _, it := range d.Items {
		out = append(out, Evidence{Signal: "force:" + it.Signal, Date: entente.Day(it.Year, 1, 1), Effect: math.NaN(),
			Text: it.From + " -> " + it.To + ": " + it.Detail, Source: it.Ref})
	}
	return out, nil
}

// RankForce ranks the states by one force signal with focal in year, as a table; the
// arms signal has the TIV both ways and the import shares.
func (e *Engine) RankForce(ctx context.Context, focal entente.Country, year int, sig string) (*Table, error) {
	cs := e.conflicts()
	if cs == nil {
		return nil, entente.Errorf(entente.ENOTFOUND, "the store holds no force records")
	}
	rows, coverage, err := signal.ForceRanking(ctx, cs, e.countries, focal, year, sig)
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, entente.Errorf(entente.ENOTFOUND, "no %s record with %s (%s) in %d [%s]: none within the data's years, unknown after them",
			sig, focal.Name, focal.ID, year, coverage)
	}
	t := &Table{Columns: []string{"rank", "iso3", "ccode", "name", "year", sig, "detail"}}
	if sig == signal.ForceArms {
		t.Columns = []string{"rank", "iso3", "ccode", "name", "year", "tiv", "tiv_to", "share_of_their_imports", "tiv_from", "share_of_focal_imports", "detail"}
	}
	for i, r := range rows {
		vals := []any{i + 1, r.State.ID, r.State.COW, r.State.Name, strconv.Itoa(year), r.Value}
		if sig == signal.ForceArms {
			vals = append(vals, r.To, share(r.ShareTo), r.From, share(r.ShareFrom))
		}
		t.row(append(vals, r.Detail)...)
	}
	t.Notes = append(t.Notes, focal.Name+" ("+focal.ID+"), "+strconv.Itoa(year)+": "+strconv.Itoa(len(rows))+" states ranked by "+sig+
		" ["+coverage+"]; states not listed have no record (unknown after the data's years)")
	return t, nil
}

// share rounds a share to three decimals; NaN (no imports known) is left empty.
func share(v float64) any {
	if math.IsNaN(v) {
		return nil
	}
	return math.Round(v*1000) / 1000
}

// ForceDyad is the force signals of a directed dyad in one year and their records.
type ForceDyad = signal.ForceDyad

// ForceDyadYear returns the force signals of a -> b in year; with no force records in
// the store, every signal is absent (unknown), never 0.
func (e *Engine) ForceDyadYear(ctx context.Context, a, b entente.Country, year int) (ForceDyad, error) {
	cs := e.conflicts()
	if cs == nil {
		return ForceDyad{A: a, B: b, Year: year}, nil
	}
	return signal.ForceDyadYear(ctx, cs, e.countries, a, b, year)
}
