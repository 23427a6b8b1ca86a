package main

import (
	"context"
	"flag"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/entente/entente"
	"github.com/entente/entente/bloc"
	"github.com/entente/entente/ingest/igo"
	"github.com/entente/entente/signal"
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

// tieRow is one line of 'entente ties'. Its columns, in CSV and JSON: section, date,
// item, a, b, value, detail, sources.
type tieRow struct {
	section, date, item, a, b string
	value                     any // int, float64 (NaN: unknown) or nil
	detail, sources           string
}

var tieColumns = []string{"section", "date", "item", "a", "b", "value", "detail", "sources"}

// cowCoveredByRegistry are COW IGO codes of organisations the bloc registry holds,
// beyond the codes they share (NATO, EU, CSTO, CIS): the European Economic Community is
// the EU's predecessor, which the registry's EU spells include.
var cowCoveredByRegistry = map[string]bool{"EEC": true}

func (a *app) ties(ctx context.Context, argA, argB, atArg string) error {
	end := a.now().UTC().Truncate(24*time.Hour).AddDate(0, 0, 1)
	if atArg != "" {
		d, err := entente.ParseDateSpec(atArg)
		if err != nil {
			return usagef("--at: %s", err)
		}
		end = d.End
	}
	at := end.AddDate(0, 0, -1) // the last day DATE covers
	year := at.Year()
	ca, err := a.resolveAt(argA, at)
	if err != nil {
		return err
	}
	cb, err := a.resolveAt(argB, at)
	if err != nil {
		return err
	}
	if ca.ID == cb.ID {
		return usagef("want two different states")
	}
	st, err := a.openExistingStore(ctx)
	if err != nil {
		return err
	}
	defer st.Close()

	var rows []tieRow
	treaties, alliance, err := a.tieTreaties(ctx, st, ca, cb, year)
	if err != nil {
		return err
	}
	members, cmp, memberCov, err := a.tieMemberships(ctx, st, ca, cb, at)
	if err != nil {
		return err
	}
	acts, err := a.tieActs(ctx, st, ca, cb, at, end)
	if err != nil {
		return err
	}
	forceSignals, forceItems, err := a.tieForce(ctx, st, ca, cb, year)
	if err != nil {
		return err
	}
	yearFrom := entente.Day(year, 1, 1)
	all, err := st.Acts(ctx, entente.ActQuery{Either: ca.ID, Other: cb.ID, From: yearFrom, To: end})
	if err != nil {
		return err
	}
	bal := signal.LedgerBalance(all, ca.ID, cb.ID, yearFrom, end)
	period := strconv.Itoa(year)
	rows = append(rows, alliance...)
	rows = append(rows,
		tieRow{"signal", period, "shared_memberships", "", "", len(cmp.Shared), sharedDetail(cmp.Shared, memberCov), "bloc registry, COW IGO"},
		tieRow{"signal", period, "ledger_balance", "", "", bal.Sum,
			fmt.Sprintf("%d acts (%d cooperative, %d hostile) from %s to %s; stance × weight (docs/ties.md)", bal.N, bal.Cooperative, bal.Hostile, yearFrom.Format(time.DateOnly), at.Format(time.DateOnly)),
			"ledger"})
	rows = append(rows, forceSignals...)
	rows = append(rows, treaties...)
	rows = append(rows, members...)
	rows = append(rows, acts...)
	rows = append(rows, forceItems...)
	a.note("%s (%s) and %s (%s) at %s", ca.Name, ca.ID, cb.Name, cb.ID, at.Format(time.DateOnly))
	return a.writeTieRows(rows)
}

// resolveAt resolves a state at day at, or its latest spell when it did not exist then.
func (a *app) resolveAt(arg string, at time.Time) (entente.Country, error) {
	c, err := a.countries.Resolve(arg, at)
	if err != nil {
		if c2, err2 := a.countries.Resolve(arg, time.Time{}); err2 == nil {
			return c2, nil
		}
	}
	return c, err
}

// allianceYear loads one year of ATOP ties over the year's state system; ok is false
// when the year is outside the stored coverage (first..last; 0, 0 when none).
func (a *app) allianceYear(ctx context.Context, st entente.Store, year int) (y *signal.AllianceYear, first, last int, err error) {
	first, last, err = st.AllianceCoverage(ctx)
	if err != nil || last == 0 || year < first || year > last {
		return nil, first, last, err
	}
	ties, err := st.Alliances(ctx, year, 0)
	if err != nil {
		return nil, first, last, err
	}
	y, _ = signal.BuildAllianceYear(year, signal.SystemStates(a.countries.All(), year), ties)
	return y, first, last, nil
}

func atopCoverage(first, last int) string {
	if last == 0 {
		return "no ATOP data in the store: entente import atop FILE"
	}
	return fmt.Sprintf("ATOP %d-%d", first, last)
}

// tieTreaties gives the treaty rows and the alliance signal rows.
func (a *app) tieTreaties(ctx context.Context, st entente.Store, ca, cb entente.Country, year int) (treaties, signals []tieRow, err error) {
	y, first, last, err := a.allianceYear(ctx, st, year)
	if err != nil {
		return nil, nil, err
	}
	period := strconv.Itoa(year)
	cov := atopCoverage(first, last)
	if y == nil {
		why := cov
		if last > 0 {
			why = fmt.Sprintf("unknown: ATOP ends %d (years after a dataset's end are unknown, not \"no alliance\")", last)
			if year < first {
				why = fmt.Sprintf("unknown: ATOP begins %d", first)
			}
		}
		treaties = append(treaties, tieRow{"treaty", period, "unknown", "", "", nil, why, "ATOP"})
		for _, item := range []string{"alliance_s_abs", "alliance_kappa", "direct_tie"} {
			signals = append(signals, tieRow{"signal", period, item, "", "", nil, why, "ATOP"})
		}
		return treaties, signals, nil
	}
	m := y.Dyad(ca.COW, cb.COW)
	direct, ok := signal.DirectTie(y, ca.COW, cb.COW)
	var dv any = direct
	if !ok {
		dv = nil
	}
	detail := fmt.Sprintf("portfolios over %d states of the %d system; %s", m.N, year, cov)
	signals = append(signals,
		tieRow{"signal", period, "alliance_s_abs", "", "", m.SAbs, detail, "ATOP"},
		tieRow{"signal", period, "alliance_kappa", "", "", m.Kappa, detail, "ATOP"},
		tieRow{"signal", period, "direct_tie", "", "", dv, "the stronger direction: 3 defense/offense, 2 neutrality/consultation, 1 non-aggression, 0 none; " + cov, "ATOP"})
	ties, err := st.Alliances(ctx, year, ca.COW)
	if err != nil {
		return nil, nil, err
	}
	found := false
	for _, t := range ties {
		if !(t.A == ca.COW && t.B == cb.COW || t.A == cb.COW && t.B == ca.COW) {
			continue
		}
		found = true
		from, to := ca.ID, cb.ID
		if t.A == cb.COW {
			from, to = cb.ID, ca.ID
		}
		treaties = append(treaties, tieRow{"treaty", period, from + " -> " + to, from, to, t.Strength(), obligations(t),
			fmt.Sprintf("ATOP dyad-year line %d", t.Line)})
	}
	if !found {
		treaties = append(treaties, tieRow{"treaty", period, "none", "", "", 0, fmt.Sprintf("no ATOP obligation between them in %d", year), "ATOP"})
	}
	return treaties, signals, nil
}

func obligations(t entente.AllianceTie) string {
	var o []string
	for _, f := range []struct {
		on   bool
		name string
	}{{t.Defense, "defense"}, {t.Offense, "offense"}, {t.Neutral, "neutrality"}, {t.NonAgg, "non-aggression"}, {t.Consult, "consultation"}} {
		if f.on {
			o = append(o, f.name)
		}
	}
	if len(o) == 0 {
		return "none"
	}
	return strings.Join(o, ", ")
}

// stateMemberships returns a state's memberships active at day at: the stored COW IGO
// spells of its COW number (the IGO data key spells by COW number: the USSR's spells
// continue as Russia's) merged with the bloc registry's spells.
func stateMemberships(cow []entente.Membership, c entente.Country, at time.Time) []entente.Membership {
	var own []entente.Membership
	for _, m := range cow {
		if m.Source == entente.SourceCOWIGO && c.COW != 0 && m.CCode == c.COW {
			own = append(own, m)
		}
	}
	reg := bloc.Default()
	var blocs []entente.Membership
	for _, m := range reg.MemberOf(c.ID, at) {
		blocs = append(blocs, blocMembership(m))
	}
	covered := func(org string) bool { return reg.Known(org) || cowCoveredByRegistry[org] }
	return signal.ActiveAt(signal.MergeMemberships(own, blocs, covered), at)
}

// blocMembership converts a spell of the bloc registry to the domain form.
func blocMembership(m bloc.Membership) entente.Membership {
	out := entente.Membership{Source: "bloc", State: m.State, Org: m.Bloc, Begin: m.From, Status: string(m.Status), Cites: m.Sources, Line: m.Line}
	if b, ok := blocByCode(m.Bloc); ok {
		out.OrgName = b.Name
	}
	if !m.Until.IsZero() {
		out.End = m.Until.AddDate(0, 0, -1)
	}
	return out
}

func blocByCode(code string) (bloc.Bloc, bool) {
	for _, b := range bloc.Default().Blocs() {
		if b.Code == code {
			return b, true
		}
	}
	return bloc.Bloc{}, false
}

func (a *app) tieMemberships(ctx context.Context, st entente.Store, ca, cb entente.Country, at time.Time) ([]tieRow, signal.MembershipComparison, string, error) {
	cow, err := st.Memberships(ctx, "", at, at.AddDate(0, 0, 1))
	if err != nil {
		return nil, signal.MembershipComparison{}, "", err
	}
	cmp := signal.CompareMemberships(stateMemberships(cow, ca, at), stateMemberships(cow, cb, at))
	cov := fmt.Sprintf("bloc registry (%s) to today", blocCodes())
	if at.Year() > igo.DataEnd {
		cov += fmt.Sprintf("; other organisations unknown after %d (COW IGO ends %d)", igo.DataEnd, igo.DataEnd)
	} else {
		cov += "; other organisations from COW IGO"
	}
	date := at.Format(time.DateOnly)
	var rows []tieRow
	for _, o := range cmp.Orgs {
		if o.Source != "bloc" && o.Relation != "shared" {
			continue // the registry's blocs in full; of COW IGO's hundreds, the shared ones
		}
		var cites []entente.Citation
		for _, m := range []*entente.Membership{o.A, o.B} {
			if m != nil {
				cites = append(cites, m.Cites...)
			}
		}
		src := citations(dedupeCitations(cites))
		if o.Source == entente.SourceCOWIGO {
			src = "COW IGO v3"
		}
		item := o.Org
		rows = append(rows, tieRow{"membership", date, item, standing(o.A), standing(o.B), o.Relation, o.Name, src})
	}
	for _, op := range cmp.Opposed {
		cites := dedupeCitations(append(slices.Clone(op.A.Cites), op.B.Cites...))
		rows = append(rows, tieRow{"membership", date, op.OrgA + " / " + op.OrgB, standing(op.A) + " " + op.OrgA, standing(op.B) + " " + op.OrgB,
			"opposed", fmt.Sprintf("%s a member of %s, %s of %s", ca.ID, op.OrgA, cb.ID, op.OrgB), citations(cites)})
	}
	return rows, cmp, cov, nil
}

func sharedDetail(shared []string, cov string) string {
	list := strings.Join(shared, ", ")
	if list == "" {
		list = "none"
	}
	return list + " (" + cov + ")"
}

func blocCodes() string {
	var codes []string
	for _, b := range bloc.Default().Blocs() {
		codes = append(codes, b.Code)
	}
	return strings.Join(codes, ", ")
}

// standing formats a state's spell: "member since 1992-05-15", "frozen since ...".
func standing(m *entente.Membership) string {
	if m == nil {
		return "-"
	}
	s := m.Status + " since " + m.Begin.Format(time.DateOnly)
	if m.Source == entente.SourceCOWIGO {
		s = m.Status + " since " + m.Begin.Format("2006")
		if m.Censored {
			s += " (COW IGO to " + m.End.Format("2006") + ")"
		}
	}
	return s
}

func dedupeCitations(cs []entente.Citation) []entente.Citation {
	var out []entente.Citation
	for _, c := range cs {
		if !slices.ContainsFunc(out, func(o entente.Citation) bool { return o.Title == c.Title && o.URL == c.URL }) {
			out = append(out, c)
		}
	}
	return out
}

// tieActs lists ledger acts up to end, most recent first: those between the two, and
// those of one toward a bloc the other was a full member of at the act's date.
func (a *app) tieActs(ctx context.Context, st entente.Store, ca, cb entente.Country, at, end time.Time) ([]tieRow, error) {
	direct, err := st.Acts(ctx, entente.ActQuery{Either: ca.ID, Other: cb.ID, To: end})
	if err != nil {
		return nil, err
	}
	type viaAct struct {
		act entente.Act
		via string
	}
	acts := make([]viaAct, 0, len(direct))
	for _, act := range direct {
		acts = append(acts, viaAct{act, ""})
	}
	reg := bloc.Default()
	for _, pair := range [2][2]entente.Country{{ca, cb}, {cb, ca}} {
		own, err := st.Acts(ctx, entente.ActQuery{Actor: pair[0].ID, To: end})
		if err != nil {
			return nil, err
		}
		for _, act := range own {
			if !reg.Known(act.Counterpart) {
				continue
			}
			for _, m := range reg.MemberOf(pair[1].ID, act.Date) {
				if m.Status != bloc.StatusMember {
					continue
				}
				if m.Bloc == act.Counterpart {
					acts = append(acts, viaAct{act, fmt.Sprintf("toward %s, of which %s is a member", m.Bloc, pair[1].ID)})
				} else if opposedBlocs(m.Bloc, act.Counterpart) {
					acts = append(acts, viaAct{act, fmt.Sprintf("toward %s, opposed to %s, of which %s is a member", act.Counterpart, m.Bloc, pair[1].ID)})
				}
			}
		}
	}
	slices.SortStableFunc(acts, func(x, y viaAct) int {
		if c := y.act.Date.Compare(x.act.Date); c != 0 {
			return c
		}
		return strings.Compare(x.act.ID, y.act.ID)
	})
	var rows []tieRow
	for _, v := range acts {
		detail := v.act.Summary
		var value any = signal.ActValue(v.act)
		if v.via != "" {
			detail = fmt.Sprintf("[%s; context, not in the dyad's balance] %s", v.via, detail)
			value = nil
		}
		rows = append(rows, tieRow{"act", actDate(v.act), v.act.Kind + " " + stanceSign(v.act.Stance), v.act.Actor, v.act.Counterpart,
			value, detail, citations(v.act.Sources)})
	}
	if len(rows) == 0 {
		rows = append(rows, tieRow{"act", "", "none", "", "", nil, "no ledger act between them up to " + at.Format(time.DateOnly) + " (the ledger is curated, not exhaustive)", "ledger"})
	}
	return rows, nil
}

func opposedBlocs(x, y string) bool {
	for _, p := range signal.OpposedBlocs {
		if p[0] == x && p[1] == y || p[0] == y && p[1] == x {
			return true
		}
	}
	return false
}

// writeTieRows writes the rows: one flat table in CSV and JSON; in a table, one block
// per section with its own columns.
func (a *app) writeTieRows(rows []tieRow) error {
	if a.format != "table" {
		w := a.newRowWriter(tieColumns)
		for _, r := range rows {
			if err := w.Row(r.section, r.date, r.item, r.a, r.b, r.value, r.detail, r.sources); err != nil {
				return err
			}
		}
		return w.Close()
	}
	sections := []struct {
		name, title string
		cols        []string
		cells       func(r tieRow) []any
	}{
		{"signal", "Signals", []string{"signal", "year", "value", "coverage / detail"},
			func(r tieRow) []any { return []any{r.item, r.date, r.value, r.detail} }},
		{"treaty", "Treaties (ATOP)", []string{"year", "direction", "strength", "obligations", "source"},
			func(r tieRow) []any { return []any{r.date, r.item, r.value, r.detail, r.sources} }},
		{"membership", "Memberships at " + rowsDate(rows, "membership"), []string{"organisation", "a", "b", "relation"},
			func(r tieRow) []any { return []any{r.item, r.a, r.b, r.value} }},
	}
	for _, s := range sections {
		fmt.Fprintf(a.stdout, "%s\n", s.title)
		w := a.newRowWriter(s.cols)
		for _, r := range rows {
			if r.section == s.name {
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
	fmt.Fprintln(a.stdout, "Sources of the memberships")
	for _, r := range rows {
		if r.section == "membership" && r.sources != "" {
			for _, c := range strings.Split(r.sources, " | ") {
				fmt.Fprintf(a.stdout, "  %-12s %s\n", r.item, c)
			}
		}
	}
	fmt.Fprintln(a.stdout)
	fmt.Fprintln(a.stdout, "Ledger acts, most recent first")
	for _, r := range rows {
		if r.section != "act" {
			continue
		}
		if r.item == "none" {
			fmt.Fprintf(a.stdout, "  %s\n", r.detail)
			continue
		}
		value := "-"
		if f, ok := r.value.(float64); ok {
			value = strconv.FormatFloat(f, 'f', -1, 64)
			if f > 0 {
				value = "+" + value
			}
		}
		fmt.Fprintf(a.stdout, "%-10s  %s -> %s  %s  value %s\n", r.date, r.a, r.b, r.item, value)
		fmt.Fprintf(a.stdout, "    %s\n", r.detail)
		for _, c := range strings.Split(r.sources, " | ") {
			fmt.Fprintf(a.stdout, "    source: %s\n", c)
		}
	}
	a.writeForceItems(rows)
	return nil
}

func rowsDate(rows []tieRow, section string) string {
	for _, r := range rows {
		if r.section == section {
			return r.date
		}
	}
	return ""
}
