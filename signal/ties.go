package signal

import (
	"math"
	"slices"
	"sort"
	"time"

	"github.com/entente/entente"
)

// This file holds the formal-tie signals of a dyad in a year besides portfolio
// similarity (alliance.go): the direct tie, shared and opposed memberships, and the
// ledger's act balance. docs/ties.md gives every rule and weight.

// SystemStates returns, sorted, the COW numbers of the registry spells that exist at
// some day of year: the state system whose members are the third states of every
// portfolio that year.
func SystemStates(spells []entente.Country, year int) []int {
	from, to := entente.Day(year, 1, 1), entente.Day(year+1, 1, 1)
	var out []int
	for _, c := range spells {
		if c.COW > 0 && c.Overlaps(from, to) {
			out = append(out, c.COW)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// BuildAllianceYear returns the year's ties among states. Ties of a state outside the
// system that year are left out and counted in skipped; ties repeated keep the
// strongest (AllianceYear.Set).
func BuildAllianceYear(year int, states []int, ties []entente.AllianceTie) (y *AllianceYear, skipped int) {
	y = NewAllianceYear(year, states)
	for _, t := range ties {
		if t.Year != year || t.A == t.B {
			skipped++
			continue
		}
		if err := y.Set(t.A, t.B, uint8(t.Strength())); err != nil {
			skipped++
		}
	}
	return y, skipped
}

// DirectTie returns the direct alliance tie of a dyad: the stronger of the two
// directions (ATOP codes A's obligations toward B and B's toward A separately). ok is
// false when either state is outside the year's system.
func DirectTie(y *AllianceYear, a, b int) (strength int, ok bool) {
	ab, ok1 := y.Tie(a, b)
	ba, ok2 := y.Tie(b, a)
	if !ok1 || !ok2 {
		return 0, false
	}
	return int(max(ab, ba)), true
}

// OrgRelation is where two states stand toward one organisation at a date.
type OrgRelation struct {
	Org, Name string
	Source    string // entente.SourceCOWIGO or "bloc"
	A, B      *entente.Membership
	// Relation: "shared" (both full members), "not shared" (both in, one or both not as a
	// full member: a frozen participation), "a only" or "b only".
	Relation string
}

// Opposition is one opposed membership: A a member of OrgA, B a member of OrgB.
type Opposition struct {
	OrgA, OrgB string
	A, B       *entente.Membership
}

// Memberships are the membership spells of two states active at one date, ready for
// comparison: A's and B's spells, merged from the COW IGO data and the bloc registry.
type MembershipComparison struct {
	Orgs    []OrgRelation // one per organisation either state is in, shared first, then by code
	Shared  []string      // codes of the organisations both are full members of, sorted
	Opposed []Opposition
}

// MergeMemberships returns a state's spells from the COW IGO data and from the bloc
// registry, dropping the COW IGO spells of organisations the registry covers (covered
// maps a COW IGO code to true when the registry holds that organisation): the registry
// carries the same blocs with dates up to today and statuses that COW lacks.
func MergeMemberships(cowigo, registry []entente.Membership, covered func(org string) bool) []entente.Membership {
	out := slices.Clone(registry)
	for _, m := range cowigo {
		if !covered(m.Org) {
			out = append(out, m)
		}
	}
	return out
}

// ActiveAt keeps the spells covering day at (Begin <= at, and End zero or >= at).
func ActiveAt(ms []entente.Membership, at time.Time) []entente.Membership {
	var out []entente.Membership
	for _, m := range ms {
		if !m.Begin.After(at) && (m.End.IsZero() || !m.End.Before(at)) {
			out = append(out, m)
		}
	}
	return out
}

// CompareMemberships compares the spells of a and b active at one date (see ActiveAt):
// an organisation is shared when both are full members; a frozen or suspended
// participation is not shared.
func CompareMemberships(a, b []entente.Membership) MembershipComparison {
	var c MembershipComparison
	byOrg := map[string]*OrgRelation{}
	var order []string
	add := func(m entente.Membership, isA bool) {
		r := byOrg[m.Org]
		if r == nil {
			r = &OrgRelation{Org: m.Org, Name: m.OrgName, Source: m.Source}
			byOrg[m.Org] = r
			order = append(order, m.Org)
		}
		if isA {
			r.A = &m
		} else {
			r.B = &m
		}
	}
	for _, m := range a {
		add(m, true)
	}
	for _, m := range b {
		add(m, false)
	}
	for _, org := range order {
		r := byOrg[org]
		switch {
		case r.A != nil && r.B != nil && r.A.Status == entente.StatusMember && r.B.Status == entente.StatusMember:
			r.Relation = "shared"
			c.Shared = append(c.Shared, org)
		case r.A != nil && r.B != nil:
			r.Relation = "not shared"
		case r.A != nil:
			r.Relation = "a only"
		default:
			r.Relation = "b only"
		}
		c.Orgs = append(c.Orgs, *r)
	}
	rank := map[string]int{"shared": 0, "not shared": 1, "a only": 2, "b only": 2}
	sort.SliceStable(c.Orgs, func(i, j int) bool {
		ri, rj := rank[c.Orgs[i].Relation], rank[c.Orgs[j].Relation]
		if ri != rj {
			return ri < rj
		}
		return c.Orgs[i].Org < c.Orgs[j].Org
	})
	sort.Strings(c.Shared)
	full := func(ms []entente.Membership, org string) *entente.Membership {
		for i := range ms {
			if ms[i].Org == org && ms[i].Status == entente.StatusMember {
				return &ms[i]
			}
		}
		return nil
	}
	for _, p := range entente.OpposedBlocs {
		for _, o := range [2][2]string{p, {p[1], p[0]}} {
			if ma, mb := full(a, o[0]), full(b, o[1]); ma != nil && mb != nil {
				c.Opposed = append(c.Opposed, Opposition{OrgA: o[0], OrgB: o[1], A: ma, B: mb})
			}
		}
	}
	return c
}

// ActValue returns an act's contribution to a balance: its stance (+1 or -1) times the
// weight of its kind in weights (index.Config.KindWeights; 0 for a kind without one).
func ActValue(a entente.Act, weights map[string]float64) float64 {
	return float64(a.Stance) * weights[a.Kind]
}

// ActOverlaps reports whether an act bears on [from, to): its date lies in it or, for a
// state of affairs with an end (a deployment, a freeze), the span date..end overlaps it.
func ActOverlaps(a entente.Act, from, to time.Time) bool {
	last := a.Date
	if a.End.After(last) {
		last = a.End
	}
	return a.Date.Before(to) && !last.Before(from)
}

// ActBalance is the ledger signal of a dyad over a period: the sum of stance × weight
// of the acts between the two, each act counted once whichever party it names as actor
// (a bilateral act is one entry, mutual: true in the ledger). Sum is entente.Undefined when there
// is no act: the ledger is curated, not exhaustive, so no act is no evidence, not a
// neutral relation.
type ActBalance struct {
	N           int // acts counted
	Cooperative int
	Hostile     int
	Sum         float64
}

// LedgerBalance returns the balance of the acts between a and b (either direction)
// that bear on [from, to), each act weighted by its kind in weights.
func LedgerBalance(acts []entente.Act, a, b string, from, to time.Time, weights map[string]float64) ActBalance {
	bal := ActBalance{Sum: entente.Undefined}
	for _, act := range acts {
		if (act.Actor == a && act.Counterpart == b || act.Actor == b && act.Counterpart == a) && ActOverlaps(act, from, to) {
			bal.add(act, weights)
		}
	}
	return bal
}

func (b *ActBalance) add(a entente.Act, weights map[string]float64) {
	if b.N == 0 || math.IsNaN(b.Sum) {
		b.Sum = 0
	}
	b.N++
	if a.Stance > 0 {
		b.Cooperative++
	} else {
		b.Hostile++
	}
	b.Sum += ActValue(a, weights)
}

// LedgerBalances returns, for each party that has acts with focal bearing on [from,
// to), the balance of the dyad, each act weighted by its kind in weights. Parties are
// whatever the acts name (states' registry IDs, organisation codes); callers drop those
// they do not rank.
func LedgerBalances(acts []entente.Act, focal string, from, to time.Time, weights map[string]float64) map[string]ActBalance {
	out := map[string]ActBalance{}
	for _, act := range acts {
		var other string
		switch focal {
		case act.Actor:
			other = act.Counterpart
		case act.Counterpart:
			other = act.Actor
		default:
			continue
		}
		if !ActOverlaps(act, from, to) {
			continue
		}
		b, ok := out[other]
		if !ok {
			b = ActBalance{Sum: entente.Undefined}
		}
		b.add(act, weights)
		out[other] = b
	}
	return out
}
