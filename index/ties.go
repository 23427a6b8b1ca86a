package index

import (
	"context"
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

// The ties report: the formal ties of two states at a date (docs/ties.md) — the tie
// signals of the year, the ATOP obligations, the memberships both hold or that oppose
// them, and the ledger acts between them, each with its sources.

// TieRow is one line of the ties report. Section is signal, treaty, membership or act;
// Value is an int, a float64 (NaN: unknown), a string (a membership's relation) or nil.
type TieRow struct {
	Section, Date, Item, A, B string
	Value                     any
	Detail, Sources           string
}

// TieColumns are the report's columns in CSV and JSON, in TieRow's order.
var TieColumns = []string{"section", "date", "item", "a", "b", "value", "detail", "sources"}

// cowCoveredByRegistry are COW IGO codes of organisations the bloc registry holds,
// beyond the codes they share (NATO, EU, CSTO, CIS): the European Economic Community is
// the EU's predecessor, which the registry's EU spells include.
var cowCoveredByRegistry = map[string]bool{"EEC": true}

// Ties returns the ties report of a and b at the exclusive date end (its last day
// counts): the signal rows (force signals included), then the treaties, the
// memberships, the acts and the force records.
func (e *Engine) Ties(ctx context.Context, a, b entente.Country, end time.Time) ([]TieRow, error) {
	if e.blocs == nil {
		return nil, entente.Errorf(entente.EINTERNAL, "ties: the engine has no bloc registry")
	}
	at := end.AddDate(0, 0, -1)
	year := at.Year()
	treaties, alliance, err := e.tieTreaties(ctx, a, b, year)
	if err != nil {
		return nil, err
	}
	members, cmp, memberCov, err := e.tieMemberships(ctx, a, b, at)
	if err != nil {
		return nil, err
	}
	acts, err := e.tieActs(ctx, a, b, at, end)
	if err != nil {
		return nil, err
	}
	yearFrom := entente.Day(year, 1, 1)
	all, err := e.src.Acts(ctx, entente.ActQuery{Either: a.ID, Other: b.ID, From: yearFrom, To: end})
	if err != nil {
		return nil, err
	}
	bal := signal.LedgerBalance(all, a.ID, b.ID, yearFrom, end, e.cfg.KindWeights)
	period := strconv.Itoa(year)
	rows := append([]TieRow(nil), alliance...)
	rows = append(rows,
		TieRow{"signal", period, "shared_memberships", "", "", len(cmp.Shared), sharedDetail(cmp.Shared, memberCov), "bloc registry, COW IGO"},
		TieRow{"signal", period, "ledger_balance", "", "", bal.Sum,
			fmt.Sprintf("%d acts (%d cooperative, %d hostile) from %s to %s; stance × weight (docs/ties.md)", bal.N, bal.Cooperative, bal.Hostile, yearFrom.Format(time.DateOnly), at.Format(time.DateOnly)),
			"ledger"})
	forceSignals, forceItems, err := e.forceTies(ctx, a, b, year)
	if err != nil {
		return nil, err
	}
	rows = append(rows, forceSignals...)
	rows = append(rows, treaties...)
	rows = append(rows, members...)
	rows = append(rows, acts...)
	return append(rows, forceItems...), nil
}

func atopCoverage(first, last int) string {
	if last == 0 {
		return "no ATOP data in the store: entente import atop FILE"
	}
	return fmt.Sprintf("ATOP %d-%d", first, last)
}

// tieTreaties gives the treaty rows and the alliance signal rows.
func (e *Engine) tieTreaties(ctx context.Context, ca, cb entente.Country, year int) (treaties, signals []TieRow, err error) {
	f, err := e.allianceFacts(ctx)
	if err != nil {
		return nil, nil, err
	}
	y, err := e.allianceYear(ctx, f, year)
	if err != nil {
		return nil, nil, err
	}
	period := strconv.Itoa(year)
	cov := atopCoverage(f.allianceFirst, f.allianceLast)
	if y == nil {
		why := cov
		if f.allianceLast > 0 {
			why = fmt.Sprintf("unknown: ATOP ends %d (years after a dataset's end are unknown, not \"no alliance\")", f.allianceLast)
			if year < f.allianceFirst {
				why = fmt.Sprintf("unknown: ATOP begins %d", f.allianceFirst)
			}
		}
		treaties = append(treaties, TieRow{"treaty", period, "unknown", "", "", nil, why, "ATOP"})
		for _, item := range []string{"alliance_s_abs", "alliance_kappa", "direct_tie"} {
			signals = append(signals, TieRow{"signal", period, item, "", "", nil, why, "ATOP"})
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
		TieRow{"signal", period, "alliance_s_abs", "", "", m.SAbs, detail, "ATOP"},
		TieRow{"signal", period, "alliance_kappa", "", "", m.Kappa, detail, "ATOP"},
		TieRow{"signal", period, "direct_tie", "", "", dv, "the stronger direction: 3 defense/offense, 2 neutrality/consultation, 1 non-aggression, 0 none; " + cov, "ATOP"})
	treaties, err = e.treatyRows(ctx, ca, cb, year)
	return treaties, signals, err
}

// treatyRows lists the ATOP obligations of each toward the other in year.
func (e *Engine) treatyRows(ctx context.Context, ca, cb entente.Country, year int) ([]TieRow, error) {
	ties, err := e.src.Alliances(ctx, year, ca.COW)
	if err != nil {
		return nil, err
	}
	period := strconv.Itoa(year)
	var rows []TieRow
	for _, t := range ties {
		if !(t.A == ca.COW && t.B == cb.COW || t.A == cb.COW && t.B == ca.COW) {
			continue
		}
		from, to := ca.ID, cb.ID
		if t.A == cb.COW {
			from, to = cb.ID, ca.ID
		}
		rows = append(rows, TieRow{"treaty", period, from + " -> " + to, from, to, t.Strength(), obligations(t),
			fmt.Sprintf("ATOP dyad-year line %d", t.Line)})
	}
	if len(rows) == 0 {
		rows = append(rows, TieRow{"treaty", period, "none", "", "", 0, fmt.Sprintf("no ATOP obligation between them in %d", year), "ATOP"})
	}
	return rows, nil
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
func (e *Engine) stateMemberships(cow []entente.Membership, c entente.Country, at time.Time) []entente.Membership {
	var own []entente.Membership
	for _, m := range cow {
		if m.Source == entente.SourceCOWIGO && c.COW != 0 && m.CCode == c.COW {
			own = append(own, m)
		}
	}
	var blocs []entente.Membership
	for _, m := range e.blocs.MemberOf(c.ID, at) {
		blocs = append(blocs, e.blocMembership(m))
	}
	covered := func(org string) bool { return e.blocs.Known(org) || cowCoveredByRegistry[org] }
	return signal.ActiveAt(signal.MergeMemberships(own, blocs, covered), at)
}

// blocMembership converts a spell of the bloc registry to the domain form.
func (e *Engine) blocMembership(m bloc.Membership) entente.Membership {
	out := entente.Membership{Source: "bloc", State: m.State, Org: m.Bloc, Begin: m.From, Status: string(m.Status), Cites: m.Sources, Line: m.Line}
	for _, b := range e.blocs.Blocs() {
		if b.Code == m.Bloc {
			out.OrgName = b.Name
			break
		}
	}
	if !m.Until.IsZero() {
		out.End = m.Until.AddDate(0, 0, -1)
	}
	return out
}

func (e *Engine) tieMemberships(ctx context.Context, ca, cb entente.Country, at time.Time) ([]TieRow, signal.MembershipComparison, string, error) {
	cow, err := e.src.Memberships(ctx, "", at, at.AddDate(0, 0, 1))
	if err != nil {
		return nil, signal.MembershipComparison{}, "", err
	}
	cmp := signal.CompareMemberships(e.stateMemberships(cow, ca, at), e.stateMemberships(cow, cb, at))
	var codes []string
	for _, b := range e.blocs.Blocs() {
		codes = append(codes, b.Code)
	}
	cov := fmt.Sprintf("bloc registry (%s) to today", strings.Join(codes, ", "))
	if at.Year() > igo.DataEnd {
		cov += fmt.Sprintf("; other organisations unknown after %d (COW IGO ends %d)", igo.DataEnd, igo.DataEnd)
	} else {
		cov += "; other organisations from COW IGO"
	}
	date := at.Format(time.DateOnly)
	var rows []TieRow
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
		src := Citations(dedupeCitations(cites))
		if o.Source == entente.SourceCOWIGO {
			src = "COW IGO v3"
		}
		rows = append(rows, TieRow{"membership", date, o.Org, standing(o.A), standing(o.B), o.Relation, o.Name, src})
	}
	for _, op := range cmp.Opposed {
		cites := dedupeCitations(append(slices.Clone(op.A.Cites), op.B.Cites...))
		rows = append(rows, TieRow{"membership", date, op.OrgA + " / " + op.OrgB, standing(op.A) + " " + op.OrgA, standing(op.B) + " " + op.OrgB,
			"opposed", fmt.Sprintf("%s a member of %s, %s of %s", ca.ID, op.OrgA, cb.ID, op.OrgB), Citations(cites)})
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

// viaAct is an act of the ties report; via says how it reaches the dyad when it is an
// act toward a bloc ("" for an act between the two).
type viaAct struct {
	act entente.Act
	via string
}

// tieActs lists ledger acts up to end, most recent first: those between the two, and
// those of one toward a bloc the other was a full member of at the act's date.
func (e *Engine) tieActs(ctx context.Context, ca, cb entente.Country, at, end time.Time) ([]TieRow, error) {
	direct, err := e.src.Acts(ctx, entente.ActQuery{Either: ca.ID, Other: cb.ID, To: end})
	if err != nil {
		return nil, err
	}
	acts := make([]viaAct, 0, len(direct))
	for _, act := range direct {
		acts = append(acts, viaAct{act, ""})
	}
	for _, pair := range [2][2]entente.Country{{ca, cb}, {cb, ca}} {
		via, err := e.actsViaBlocs(ctx, pair[0], pair[1], end)
		if err != nil {
			return nil, err
		}
		acts = append(acts, via...)
	}
	slices.SortStableFunc(acts, func(x, y viaAct) int {
		if c := y.act.Date.Compare(x.act.Date); c != 0 {
			return c
		}
		return strings.Compare(x.act.ID, y.act.ID)
	})
	var rows []TieRow
	for _, v := range acts {
		detail := v.act.Summary
		var value any = signal.ActValue(v.act, e.cfg.KindWeights)
		if v.via != "" {
			detail = fmt.Sprintf("[%s; context, not in the dyad's balance] %s", v.via, detail)
			value = nil
		}
		rows = append(rows, TieRow{"act", ActDate(v.act), v.act.Kind + " " + StanceSign(v.act.Stance), v.act.Actor, v.act.Counterpart,
			value, detail, Citations(v.act.Sources)})
	}
	if len(rows) == 0 {
		rows = append(rows, TieRow{"act", "", "none", "", "", nil, "no ledger act between them up to " + at.Format(time.DateOnly) + " (the ledger is curated, not exhaustive)", "ledger"})
	}
	return rows, nil
}

// actsViaBlocs returns the acts of actor up to end toward a bloc that other was a full
// member of at the act's date, or toward a bloc opposed to one of other's.
func (e *Engine) actsViaBlocs(ctx context.Context, actor, other entente.Country, end time.Time) ([]viaAct, error) {
	own, err := e.src.Acts(ctx, entente.ActQuery{Actor: actor.ID, To: end})
	if err != nil {
		return nil, err
	}
	var out []viaAct
	for _, act := range own {
		if !e.blocs.Known(act.Counterpart) {
			continue
		}
		for _, m := range e.blocs.MemberOf(other.ID, act.Date) {
			if m.Status != bloc.StatusMember {
				continue
			}
			if m.Bloc == act.Counterpart {
				out = append(out, viaAct{act, fmt.Sprintf("toward %s, of which %s is a member", m.Bloc, other.ID)})
			} else if entente.Opposed(m.Bloc, act.Counterpart) {
				out = append(out, viaAct{act, fmt.Sprintf("toward %s, opposed to %s, of which %s is a member", act.Counterpart, m.Bloc, other.ID)})
			}
		}
	}
	return out, nil
}

// ActDate formats an act's date at its precision, with its end when it has one.
func ActDate(act entente.Act) string {
	s := FormatAt(act.Date, act.Precision)
	if !act.End.IsZero() {
		s += ".." + act.End.Format(time.DateOnly)
	}
	return s
}

// FormatAt formats t at precision p: YYYY, YYYY-MM or YYYY-MM-DD.
func FormatAt(t time.Time, p entente.Precision) string {
	switch p {
	case entente.PrecisionYear:
		return t.Format("2006")
	case entente.PrecisionMonth:
		return t.Format("2006-01")
	}
	return t.Format(time.DateOnly)
}

// StanceSign is "+" for a cooperative stance and "-" for a hostile one.
func StanceSign(s entente.Stance) string {
	if s < 0 {
		return "-"
	}
	return "+"
}

// Citations formats sources as "title, publisher, date, url" joined by " | "; a
// checked source is marked "(checked)".
func Citations(cs []entente.Citation) string {
	parts := make([]string, 0, len(cs))
	for _, c := range cs {
		var f []string
		for _, s := range []string{c.Title, c.Publisher} {
			if s != "" {
				f = append(f, s)
			}
		}
		if !c.Published.IsZero() {
			f = append(f, c.Published.Format(time.DateOnly))
		}
		if c.URL != "" {
			f = append(f, c.URL)
		}
		s := strings.Join(f, ", ")
		if c.Checked {
			s += " (checked)"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, " | ")
}
