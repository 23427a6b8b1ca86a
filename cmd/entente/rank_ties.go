package main

import (
	"context"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/entente/entente"
	"github.com/entente/entente/ingest/ledger"
	"github.com/entente/entente/signal"
)

func init() {
	rankers["alliances"] = (*app).rankAlliances
	rankers["ledger"] = (*app).rankLedger
}

// allianceMetrics are the --metric names of the alliance signal, in output order.
var allianceMetrics = []string{"s_abs", "s_sq", "pi", "kappa", "pi_w", "kappa_w", "direct"}

func allianceValue(m signal.AllianceMetrics, direct float64, name string) float64 {
	switch name {
	case "s_abs":
		return m.SAbs
	case "s_sq":
		return m.SSq
	case "pi":
		return m.Pi
	case "kappa":
		return m.Kappa
	case "pi_w":
		return m.PiW
	case "kappa_w":
		return m.KappaW
	}
	return direct
}

func parseAllianceMetrics(s string) ([]string, error) {
	if s == "" {
		return []string{"kappa", "s_abs", "direct"}, nil
	}
	if s == "all" {
		return allianceMetrics, nil
	}
	var out []string
	for _, m := range strings.Split(s, ",") {
		m = strings.TrimSpace(m)
		if !contains(allianceMetrics, m) {
			return nil, usagef("--metric %q: the alliances signal has %s", m, strings.Join(allianceMetrics, ", "))
		}
		out = append(out, m)
	}
	return out, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// rankAlliances orders states by the similarity of their alliance portfolio to the
// focal state's in one year. A year outside the ATOP coverage is refused: it is
// unknown, and ranking it would show every unallied pair as identical.
func (a *app) rankAlliances(ctx context.Context, o rankOptions) error {
	if o.issue != "" {
		return usagef("--issue applies to the unvotes signal only")
	}
	metrics, err := parseAllianceMetrics(o.metric)
	if err != nil {
		return err
	}
	st, err := a.openExistingStore(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	first, last, err := st.AllianceCoverage(ctx)
	if err != nil {
		return err
	}
	if last == 0 {
		return entente.Errorf(entente.ENOTFOUND, "no ATOP alliance data in the store: entente import atop FILE")
	}
	year := last
	if o.at != "" {
		d, err := entente.ParseDateSpec(o.at)
		if err != nil {
			return usagef("--at: %s", err)
		}
		year = d.End.AddDate(0, 0, -1).Year()
	}
	if year > last || year < first {
		return entente.Errorf(entente.ENOTFOUND, "alliances in %d are unknown: the ATOP data in the store cover %d-%d, and a year after a dataset's end is unknown, not \"no alliance\" (ask --at %d or earlier, or see 'entente ties' and --signal ledger for later years)", year, first, last, last)
	}
	y, _, _, err := a.allianceYear(ctx, st, year)
	if err != nil {
		return err
	}
	at := entente.Day(year, 12, 31)
	focal, err := a.resolve(o.focal, at)
	if err != nil {
		if f2, err2 := a.resolve(o.focal, entente.Day(year, 1, 1)); err2 == nil {
			focal, err = f2, nil
		} else {
			return err
		}
	}
	if _, ok := y.Tie(focal.COW, focal.COW); !ok {
		return entente.Errorf(entente.ENOTFOUND, "%s (%s) is not a state of the %d system", focal.Name, focal.ID, year)
	}
	type ranked struct {
		ccode int
		m     signal.AllianceMetrics
		vals  []float64
	}
	var rows []ranked
	for _, c := range y.States() {
		if c == focal.COW {
			continue
		}
		m := y.Dyad(focal.COW, c)
		d, _ := signal.DirectTie(y, focal.COW, c)
		r := ranked{ccode: c, m: m}
		for _, name := range metrics {
			r.vals = append(r.vals, allianceValue(m, float64(d), name))
		}
		rows = append(rows, r)
	}
	sort.SliceStable(rows, func(i, j int) bool {
		vi, vj := rows[i].vals[0], rows[j].vals[0]
		switch {
		case math.IsNaN(vi) != math.IsNaN(vj):
			return !math.IsNaN(vi)
		case vi != vj && !math.IsNaN(vi):
			return vi > vj
		}
		for k := 1; k < len(metrics); k++ {
			if x, z := rows[i].vals[k], rows[j].vals[k]; x != z && !math.IsNaN(x) && !math.IsNaN(z) {
				return x > z
			}
		}
		return rows[i].ccode < rows[j].ccode
	})
	cols := append([]string{"rank", "iso3", "ccode", "name", "period", "n"}, metrics...)
	a.setRankKeys(a.label(focal.COW, at).ID, entente.Day(year, 12, 31))
	w := a.newRowWriter(cols)
	for i, r := range rows {
		if !o.shown(i, len(rows)) {
			continue
		}
		c := a.label(r.ccode, at)
		vals := []any{i + 1, c.ID, r.ccode, c.Name, strconv.Itoa(year), r.m.N}
		for k, name := range metrics {
			if name == "direct" {
				vals = append(vals, int(r.vals[k]))
			} else {
				vals = append(vals, r.vals[k])
			}
		}
		if err := w.Row(vals...); err != nil {
			return err
		}
	}
	a.note("%s (%s), %d: %d states ranked by alliance-portfolio %s (ATOP %d-%d; docs/ties.md)", focal.Name, focal.ID, year, len(rows), metrics[0], first, last)
	return w.Close()
}

// rankLedger orders the states that have ledger acts with the focal state by the act
// balance (stance × weight, both directions) over the window of --at. States with no
// act are unknown and not listed: the ledger is curated, not exhaustive.
func (a *app) rankLedger(ctx context.Context, o rankOptions) error {
	if o.issue != "" {
		return usagef("--issue applies to the unvotes signal only")
	}
	if o.metric != "" && o.metric != "balance" {
		return usagef("--metric %q: the ledger signal has balance", o.metric)
	}
	st, err := a.openExistingStore(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	all, err := st.Acts(ctx, entente.ActQuery{})
	if err != nil {
		return err
	}
	if len(all) == 0 {
		return entente.Errorf(entente.ENOTFOUND, "no ledger acts in the store: entente import ledger data/ledger")
	}
	last := all[len(all)-1].Date
	from, to, label, err := rankWindow(o.at, last)
	if err != nil {
		return err
	}
	at := to.AddDate(0, 0, -1)
	focal, err := a.resolveAt(o.focal, at)
	if err != nil {
		return err
	}
	bals := signal.LedgerBalances(all, focal.ID, from, to)
	type ranked struct {
		id  string
		bal signal.ActBalance
	}
	var rows []ranked
	for id, b := range bals {
		if ledger.IsOrganisation(id) {
			continue
		}
		rows = append(rows, ranked{id, b})
	}
	if len(rows) == 0 {
		return entente.Errorf(entente.ENOTFOUND, "no ledger act between %s (%s) and another state in %s: unknown, not neutral", focal.Name, focal.ID, label)
	}
	sort.Slice(rows, func(i, j int) bool {
		if rows[i].bal.Sum != rows[j].bal.Sum {
			return rows[i].bal.Sum > rows[j].bal.Sum
		}
		if rows[i].bal.N != rows[j].bal.N {
			return rows[i].bal.N > rows[j].bal.N
		}
		return rows[i].id < rows[j].id
	})
	a.setRankKeys(focal.ID, at)
	w := a.newRowWriter([]string{"rank", "iso3", "ccode", "name", "period", "n", "balance", "cooperative", "hostile"})
	for i, r := range rows {
		if !o.shown(i, len(rows)) {
			continue
		}
		c, ok := a.countries.ByISO3(r.id, at)
		if !ok {
			c, _ = a.countries.ByISO3(r.id, time.Time{})
		}
		name := c.Name
		if name == "" {
			name = r.id
		}
		if err := w.Row(i+1, r.id, c.COW, name, label, r.bal.N, r.bal.Sum, r.bal.Cooperative, r.bal.Hostile); err != nil {
			return err
		}
	}
	a.note("%s (%s), %s: %d states with ledger acts ranked by act balance (stance × weight, docs/ties.md); states without acts are unknown and not listed",
		focal.Name, focal.ID, label, len(rows))
	return w.Close()
}
