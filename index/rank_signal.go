package index

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/entente/entente"
	"github.com/entente/entente/signal"
)

// Single-signal rankings: the focal state against every other state by one signal
// alone (rank --signal unvotes|events|aid|alliances|ledger, and the index itself as a
// table). Each ranking names its window, orders the states highest first and says in
// its notes what it covers; states without evidence are not ranked.

// RankSignals are the signals RankSignal accepts, the index first.
var RankSignals = []string{"index", "unvotes", "events", "aid", "alliances", "ledger"}

// SignalQuery asks for a single-signal ranking.
type SignalQuery struct {
	Signal string          // one of RankSignals
	Focal  entente.Country // resolved at Window.Day() (SignalWindow), or its latest spell
	At     *entente.DateSpec
	Window Window // from SignalWindow
	// Metrics: unvotes, indexes into entente.SimilarityMetrics (the first orders);
	// alliances, names of AllianceMetrics; events, one of EventMetrics.
	Metrics []int
	Names   []string
	Issue   string // unvotes only: roll calls of one issue
}

// SignalWindow returns the window of a ranking by sig at date at (nil: the latest data
// of the signal): for the index and unvotes the last UN roll call (of issue), for the
// ledger the last act, for alliances the calendar year (the last ATOP year by default).
// events and aid give a zero window: theirs ends with the focal state's own data
// (RankSignal finds it), so the focal state is named by its latest spell.
func (e *Engine) SignalWindow(ctx context.Context, sig string, at *entente.DateSpec, issue string) (Window, error) {
	switch sig {
	case "index":
		end, err := e.End(ctx, at)
		if err != nil {
			return Window{}, err
		}
		from, _ := e.Window(end)
		return Window{from, end, WindowLabel(from, end)}, nil
	case "unvotes":
		cov, err := e.src.VoteCoverage(ctx, issue)
		if err != nil {
			return Window{}, err
		}
		_, last := entente.CoverageSpan(cov)
		return RankWindow(at, last), nil
	case "ledger":
		acts, err := e.src.Acts(ctx, entente.ActQuery{})
		if err != nil || len(acts) == 0 {
			return Window{}, err
		}
		return RankWindow(at, acts[len(acts)-1].Date), nil
	case "alliances":
		first, last, err := e.src.AllianceCoverage(ctx)
		if err != nil {
			return Window{}, err
		}
		year := last
		if at != nil {
			year = at.End.AddDate(0, 0, -1).Year()
		}
		if last == 0 {
			return Window{}, entente.Errorf(entente.ENOTFOUND, "no ATOP alliance data in the store: entente import atop FILE")
		}
		if year > last || year < first {
			return Window{}, entente.Errorf(entente.ENOTFOUND, "alliances in %d are unknown: the ATOP data in the store cover %d-%d, and a year after a dataset's end is unknown, not \"no alliance\" (ask --at %d or earlier, or see 'entente ties' and --signal ledger for later years)", year, first, last, last)
		}
		return Window{entente.Day(year, 1, 1), entente.Day(year+1, 1, 1), strconv.Itoa(year)}, nil
	case "events", "aid":
		return Window{}, nil
	}
	return Window{}, entente.Errorf(entente.EINVALID, "signal %q: want one of %s", sig, strings.Join(RankSignals, ", "))
}

// End returns the exclusive end of the index's window for date at: the end of the
// year, month or day given; without a date, the day after the last roll call stored.
func (e *Engine) End(ctx context.Context, at *entente.DateSpec) (time.Time, error) {
	if at != nil {
		return at.End, nil
	}
	return e.LatestRollCall(ctx)
}

// WindowLabel names the window [from, at): "2024-07-01..2025-06-30".
func WindowLabel(from, at time.Time) string {
	return from.Format(time.DateOnly) + ".." + at.AddDate(0, 0, -1).Format(time.DateOnly)
}

// RankSignal ranks every state against q.Focal by one signal.
func (e *Engine) RankSignal(ctx context.Context, q SignalQuery) (*Table, error) {
	switch q.Signal {
	case "index":
		return e.rankIndexTable(ctx, q)
	case "unvotes":
		return e.rankUNVotes(ctx, q)
	case "events":
		return e.rankEvents(ctx, q)
	case "aid":
		return e.rankAid(ctx, q)
	case "alliances":
		return e.rankAlliances(ctx, q)
	case "ledger":
		return e.rankLedger(ctx, q)
	}
	return nil, entente.Errorf(entente.EINVALID, "signal %q: want one of %s", q.Signal, strings.Join(RankSignals, ", "))
}

// rankIndexTable is the index ranking as a table: score, interval, class, flags and
// each signal's contribution.
func (e *Engine) rankIndexTable(ctx context.Context, q SignalQuery) (*Table, error) {
	r, err := e.RankState(ctx, q.Focal, q.Window.To)
	if err != nil {
		return nil, err
	}
	t := &Table{Columns: append([]string{"rank", "iso3", "ccode", "name", "score", "lo", "hi", "class", "flags"}, Signals...)}
	for i, s := range r.Scores {
		var cc any
		if s.Other.COW > 0 {
			cc = s.Other.COW
		}
		vals := []any{i + 1, s.Other.ID, cc, s.Other.Name, s.Score, s.Lo, s.Hi, s.Class, strings.Join(s.Flags, " ")}
		for _, c := range s.Signals {
			if c.Available() {
				vals = append(vals, c.Contribution)
			} else {
				vals = append(vals, nil)
			}
		}
		t.row(vals...)
	}
	var cov []string
	for k, n := range r.Coverage {
		cov = append(cov, fmt.Sprintf("%s %d", Signals[k], n))
	}
	t.Notes = append(t.Notes, fmt.Sprintf("%s (%s), %s: %d states scored (%d without evidence left out); signals available: %s; %d UN roll calls",
		r.Focal.Name, r.Focal.ID, WindowLabel(r.From, r.At), len(r.Scores), r.Unknown, strings.Join(cov, ", "), r.RollCalls))
	t.Notes = append(t.Notes, leftOutNotes(r.LeftOut)...)
	return t, nil
}

// rankUNVotes orders states by their UN voting similarity with the focal state over
// the window, by the first metric, then by the number of shared roll calls.
func (e *Engine) rankUNVotes(ctx context.Context, q SignalQuery) (*Table, error) {
	if err := RequireCOW(q.Focal); err != nil {
		return nil, err
	}
	bs, err := e.Ballots(ctx, q.Window.From, q.Window.To, q.Issue)
	if err != nil {
		return nil, err
	}
	label := q.Window.Label
	byLabel := func(*entente.Ballot) string { return label }
	rows := signal.Focal(bs, byLabel, q.Focal.COW)
	if len(rows) == 0 {
		return nil, entente.Errorf(entente.ENOTFOUND, "%s (%s) cast no UN vote shared with another state in %s", q.Focal.Name, q.Focal.ID, label)
	}
	key := q.Metrics[0]
	other := func(s entente.Similarity) int {
		if s.A == q.Focal.COW {
			return s.B
		}
		return s.A
	}
	sort.SliceStable(rows, func(i, j int) bool {
		vi, vj := rows[i].Values[key], rows[j].Values[key]
		if c, ok := descendingNaNLast(vi, vj); ok {
			return c
		}
		if rows[i].N != rows[j].N {
			return rows[i].N > rows[j].N
		}
		return other(rows[i]) < other(rows[j])
	})
	dateAt := PeriodDates(bs, byLabel)[label]
	t := &Table{Columns: append([]string{"rank", "iso3", "ccode", "name", "period", "n"}, MetricColumns(q.Metrics)...)}
	for i := range rows {
		s := &rows[i]
		o := other(*s)
		c := e.byCOW(o, dateAt)
		t.row(MetricValues(s, q.Metrics, []any{i + 1, c.ID, o, c.Name, s.Period, s.N})...)
	}
	named := e.byCOW(q.Focal.COW, dateAt) // the spell that cast the votes, e.g. Russia for SUN in 2019
	t.Notes = append(t.Notes, fmt.Sprintf("%s (%s, COW %d), %s: %d states ranked by %s over %d roll calls",
		named.Name, named.ID, q.Focal.COW, label, len(rows), entente.SimilarityMetrics[key], len(bs)))
	return t, nil
}

// descendingNaNLast orders two values highest first with NaN last; ok is false when
// they tie.
func descendingNaNLast(vi, vj float64) (less, ok bool) {
	switch {
	case math.IsNaN(vi) != math.IsNaN(vj):
		return !math.IsNaN(vi), true
	case vi != vj && !math.IsNaN(vi):
		return vi > vj, true
	}
	return false, false
}

// RequireCOW is EINVALID for a state without a COW number: it has no UN vote record
// and no ATOP alliance.
func RequireCOW(c entente.Country) error {
	if c.COW == 0 {
		return entente.Errorf(entente.EINVALID, "%s (%s) has no COW state number, so no UN vote record", c.Name, c.ID)
	}
	return nil
}

// EventMetrics are the orderings of the events ranking, the default first.
var EventMetrics = []string{"goldstein_mean", "coop_share", "n"}

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
// the sources-weighted mean Goldstein score of those events (or q.Names[0]), both
// directions combined; states without any event are not ranked.
func (e *Engine) rankEvents(ctx context.Context, q SignalQuery) (*Table, error) {
	key := EventMetrics[0]
	if len(q.Names) > 0 {
		key = q.Names[0]
	}
	all, err := e.src.EventSignals(ctx, entente.EventQuery{By: "month", A: q.Focal.ID})
	if err != nil {
		return nil, err
	}
	if len(all) == 0 {
		return nil, entente.Errorf(entente.ENOTFOUND, "no events of %s (%s) in the store: import GDELT files first (entente import gdelt PATH...)", q.Focal.Name, q.Focal.ID)
	}
	w := RankWindow(q.At, lastMonthEnd(all[len(all)-1].Period))
	by := map[string]*eventRank{}
	for _, s := range all {
		if !monthIn(s.Period, w.From, w.To) {
			continue
		}
		other, out := s.B, true
		if s.B == q.Focal.ID {
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
	rows := sortedEventRanks(by, key)
	t := &Table{Columns: []string{"rank", "iso3", "name", "period", "n", "n_out", "n_in", "goldstein_mean", "coop_share", "weight"}}
	var n int64
	for i, r := range rows {
		t.row(i+1, r.id, e.stateName(r.id, w.Day()), w.Label, r.n, r.out, r.in, r.mean, r.share, r.weight)
		n += r.n
	}
	t.Notes = append(t.Notes, fmt.Sprintf("%s (%s), %s: %d states ranked by %s over %d events, both directions (states with no event are not ranked)", q.Focal.Name, q.Focal.ID, w.Label, len(rows), key, n))
	return t, nil
}

func sortedEventRanks(by map[string]*eventRank, key string) []*eventRank {
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
		if c, ok := descendingNaNLast(value(rows[i]), value(rows[j])); ok {
			return c
		}
		if rows[i].n != rows[j].n {
			return rows[i].n > rows[j].n
		}
		return rows[i].id < rows[j].id
	})
	return rows
}

// monthIn reports whether the "YYYY-MM" period's first day lies in [from, to), the
// stores' rule for whole months in a window; the rankings read the focal state's months
// once and window them here.
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
func (e *Engine) stateName(id string, at time.Time) string {
	c, _ := e.byISO3(id, at)
	return c.Name
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
func (e *Engine) rankAid(ctx context.Context, q SignalQuery) (*Table, error) {
	all, err := e.src.AidSignals(ctx, entente.EventQuery{By: "month", A: q.Focal.ID})
	if err != nil {
		return nil, err
	}
	if len(all) == 0 {
		return nil, entente.Errorf(entente.ENOTFOUND, "no aid records of %s (%s) in the store: import them first (entente import aid PATH...)", q.Focal.Name, q.Focal.ID)
	}
	w := RankWindow(q.At, lastMonthEnd(all[len(all)-1].Period))
	by := map[string]*aidRank{}
	nonStates := map[string]float64{}
	for _, s := range all {
		if !monthIn(s.Period, w.From, w.To) {
			continue
		}
		other := s.B
		if s.B == q.Focal.ID {
			other = s.A
		}
		if e.stateName(other, w.Day()) == "" {
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
	t := &Table{Columns: []string{"rank", "iso3", "name", "period", "months", "eur_bn", "financial", "humanitarian", "military"}}
	for i, r := range rows {
		t.row(i+1, r.id, e.stateName(r.id, w.Day()), w.Label, r.months, r.eur, r.kinds["financial"], r.kinds["humanitarian"], r.kinds["military"])
	}
	t.Notes = append(t.Notes, fmt.Sprintf("%s (%s), %s: %d states ranked by aid in EUR bn, both directions (Kiel Ukraine Support Tracker; states with no record are not ranked)", q.Focal.Name, q.Focal.ID, w.Label, len(rows)))
	ids := make([]string, 0, len(nonStates))
	for id := range nonStates {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		t.Notes = append(t.Notes, fmt.Sprintf("not ranked, not a state: %s, EUR %.3f bn", id, nonStates[id]))
	}
	return t, nil
}

// AllianceMetrics are the metric names of the alliance signal, in output order.
var AllianceMetrics = []string{"s_abs", "s_sq", "pi", "kappa", "pi_w", "kappa_w", "direct"}

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

type allianceRank struct {
	ccode int
	m     signal.AllianceMetrics
	vals  []float64
}

// rankAlliances orders states by the similarity of their alliance portfolio to the
// focal state's in the window's year (SignalWindow refuses a year outside the ATOP
// coverage: it is unknown, and ranking it would show every unallied pair as identical).
func (e *Engine) rankAlliances(ctx context.Context, q SignalQuery) (*Table, error) {
	if err := RequireCOW(q.Focal); err != nil {
		return nil, err
	}
	year := q.Window.From.Year()
	f, err := e.allianceFacts(ctx)
	if err != nil {
		return nil, err
	}
	y, err := e.allianceYear(ctx, f, year)
	if err != nil || y == nil {
		return nil, err
	}
	if _, ok := y.Tie(q.Focal.COW, q.Focal.COW); !ok {
		return nil, entente.Errorf(entente.ENOTFOUND, "%s (%s) is not a state of the %d system", q.Focal.Name, q.Focal.ID, year)
	}
	var rows []allianceRank
	for _, c := range y.States() {
		if c == q.Focal.COW {
			continue
		}
		m := y.Dyad(q.Focal.COW, c)
		d, _ := signal.DirectTie(y, q.Focal.COW, c)
		r := allianceRank{ccode: c, m: m}
		for _, name := range q.Names {
			r.vals = append(r.vals, allianceValue(m, float64(d), name))
		}
		rows = append(rows, r)
	}
	sortAllianceRanks(rows)
	at := entente.Day(year, 12, 31)
	t := &Table{Columns: append([]string{"rank", "iso3", "ccode", "name", "period", "n"}, q.Names...)}
	for i, r := range rows {
		c := e.byCOW(r.ccode, at)
		vals := []any{i + 1, c.ID, r.ccode, c.Name, strconv.Itoa(year), r.m.N}
		for k, name := range q.Names {
			if name == "direct" {
				vals = append(vals, int(r.vals[k]))
			} else {
				vals = append(vals, r.vals[k])
			}
		}
		t.row(vals...)
	}
	t.Notes = append(t.Notes, fmt.Sprintf("%s (%s), %d: %d states ranked by alliance-portfolio %s (ATOP %d-%d; docs/ties.md)", q.Focal.Name, q.Focal.ID, year, len(rows), q.Names[0], f.allianceFirst, f.allianceLast))
	return t, nil
}

// sortAllianceRanks orders by the first metric, then by the others in turn, then by
// COW number.
func sortAllianceRanks(rows []allianceRank) {
	sort.SliceStable(rows, func(i, j int) bool {
		if c, ok := descendingNaNLast(rows[i].vals[0], rows[j].vals[0]); ok {
			return c
		}
		for k := 1; k < len(rows[i].vals); k++ {
			if x, z := rows[i].vals[k], rows[j].vals[k]; x != z && !math.IsNaN(x) && !math.IsNaN(z) {
				return x > z
			}
		}
		return rows[i].ccode < rows[j].ccode
	})
}

// rankLedger orders the states that have ledger acts with the focal state by the act
// balance (stance × kind weight, both directions) over the window. States with no act
// are unknown and not listed: the ledger is curated, not exhaustive.
func (e *Engine) rankLedger(ctx context.Context, q SignalQuery) (*Table, error) {
	all, err := e.src.Acts(ctx, entente.ActQuery{})
	if err != nil {
		return nil, err
	}
	if len(all) == 0 {
		return nil, entente.Errorf(entente.ENOTFOUND, "no ledger acts in the store: entente import ledger data/ledger")
	}
	w := q.Window
	type ranked struct {
		id  string
		bal signal.ActBalance
	}
	var rows []ranked
	for id, b := range signal.LedgerBalances(all, q.Focal.ID, w.From, w.To, e.cfg.KindWeights) {
		if entente.IsOrganisation(id) {
			continue
		}
		rows = append(rows, ranked{id, b})
	}
	if len(rows) == 0 {
		return nil, entente.Errorf(entente.ENOTFOUND, "no ledger act between %s (%s) and another state in %s: unknown, not neutral", q.Focal.Name, q.Focal.ID, w.Label)
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
	t := &Table{Columns: []string{"rank", "iso3", "ccode", "name", "period", "n", "balance", "cooperative", "hostile"}}
	for i, r := range rows {
		c, _ := e.byISO3(r.id, w.Day())
		name := c.Name
		if name == "" {
			name = r.id
		}
		t.row(i+1, r.id, c.COW, name, w.Label, r.bal.N, r.bal.Sum, r.bal.Cooperative, r.bal.Hostile)
	}
	t.Notes = append(t.Notes, fmt.Sprintf("%s (%s), %s: %d states with ledger acts ranked by act balance (stance × weight, docs/ties.md); states without acts are unknown and not listed",
		q.Focal.Name, q.Focal.ID, w.Label, len(rows)))
	return t, nil
}
