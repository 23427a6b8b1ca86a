package signal

import (
	"math"
	"slices"
	"testing"
	"time"

	"github.com/entente/entente"
)

func TestSystemStates(t *testing.T) {
	spells := []entente.Country{
		{ID: "SUN", COW: 365, Begin: entente.Day(1922, 12, 30), End: entente.Day(1991, 12, 25)},
		{ID: "RUS", COW: 365, Begin: entente.Day(1991, 12, 26)},
		{ID: "SSD", COW: 626, Begin: entente.Day(2011, 7, 9)},
		{ID: "XKX", COW: 0, Begin: entente.Day(2008, 2, 17)},
		{ID: "DDR", COW: 265, Begin: entente.Day(1949, 10, 7), End: entente.Day(1990, 10, 2)},
	}
	for _, tt := range []struct {
		year int
		want []int
	}{
		{1990, []int{265, 365}},
		{1991, []int{365}},
		{2011, []int{365, 626}},
	} {
		if got := SystemStates(spells, tt.year); !slices.Equal(got, tt.want) {
			t.Errorf("%d: %v, want %v", tt.year, got, tt.want)
		}
	}
}

func TestBuildAllianceYearAndDirectTie(t *testing.T) {
	ties := []entente.AllianceTie{
		{A: 2, B: 20, Year: 2018, Defense: true},
		{A: 20, B: 2, Year: 2018, Consult: true},
		{A: 365, B: 731, Year: 2018, NonAgg: true},
		{A: 2, B: 999, Year: 2018, Defense: true}, // not a state of the system
	}
	y, skipped := BuildAllianceYear(2018, []int{2, 20, 365, 731}, ties)
	if skipped != 1 {
		t.Errorf("skipped %d, want 1", skipped)
	}
	for _, tt := range []struct{ a, b, want int }{{2, 20, 3}, {20, 2, 3}, {731, 365, 1}, {2, 365, 0}} {
		if got, ok := DirectTie(y, tt.a, tt.b); !ok || got != tt.want {
			t.Errorf("DirectTie(%d, %d) = %d, %v; want %d", tt.a, tt.b, got, ok, tt.want)
		}
	}
	if _, ok := DirectTie(y, 2, 999); ok {
		t.Errorf("a state outside the system has a direct tie")
	}
}

func TestCompareMemberships(t *testing.T) {
	m := func(org, status string) entente.Membership {
		return entente.Membership{Source: "bloc", Org: org, Status: status, Begin: entente.Day(2000, 1, 1)}
	}
	arm := []entente.Membership{m("CSTO", "frozen"), m("EAEU", "member"), m("CIS", "member")}
	rus := []entente.Membership{m("CSTO", "member"), m("EAEU", "member"), m("CIS", "member"), m("SCO", "member")}
	c := CompareMemberships(arm, rus)
	if !slices.Equal(c.Shared, []string{"CIS", "EAEU"}) {
		t.Errorf("shared %v, want CIS and EAEU (the frozen CSTO participation is not shared)", c.Shared)
	}
	rel := map[string]string{}
	for _, o := range c.Orgs {
		rel[o.Org] = o.Relation
	}
	if rel["CSTO"] != "not shared" || rel["SCO"] != "b only" {
		t.Errorf("relations %v", rel)
	}
	fin := []entente.Membership{m("NATO", "member"), m("EU", "member")}
	blr := []entente.Membership{m("CSTO", "member"), m("EAEU", "member")}
	c = CompareMemberships(fin, blr)
	if len(c.Shared) != 0 || len(c.Opposed) != 2 || c.Opposed[0].OrgA != "NATO" || c.Opposed[1].OrgA != "EU" {
		t.Errorf("FIN-BLR: %+v, want NATO/CSTO and EU/EAEU opposed", c)
	}
	// A frozen participation opposes nothing.
	if c := CompareMemberships(fin, arm[:1]); len(c.Opposed) != 0 {
		t.Errorf("opposed to a frozen membership: %+v", c.Opposed)
	}
}

func TestMergeAndActive(t *testing.T) {
	cow := []entente.Membership{
		{Source: "cowigo", Org: "NATO", Begin: entente.Day(1949, 1, 1), End: entente.Day(2014, 12, 31), Censored: true},
		{Source: "cowigo", Org: "WTO", Begin: entente.Day(1995, 1, 1), End: entente.Day(2014, 12, 31), Censored: true},
	}
	reg := []entente.Membership{{Source: "bloc", Org: "NATO", Begin: entente.Day(1949, 8, 24)}}
	all := MergeMemberships(cow, reg, func(org string) bool { return org == "NATO" })
	if len(all) != 2 || all[0].Source != "bloc" || all[1].Org != "WTO" {
		t.Fatalf("merged %+v", all)
	}
	if got := ActiveAt(all, entente.Day(2020, 1, 1)); len(got) != 1 || got[0].Org != "NATO" {
		t.Errorf("active in 2020: %+v, want NATO only (COW IGO censored after 2014)", got)
	}
	if got := ActiveAt(all, entente.Day(2014, 12, 31)); len(got) != 2 {
		t.Errorf("active on 2014-12-31: %+v", got)
	}
}

func TestLedgerBalance(t *testing.T) {
	act := func(actor, counterpart, kind string, stance entente.Stance, date, end time.Time) entente.Act {
		return entente.Act{Actor: actor, Counterpart: counterpart, Kind: kind, Stance: stance, Date: date, End: end}
	}
	acts := []entente.Act{
		act("PRK", "RUS", "alliance_treaty", entente.Cooperative, entente.Day(2024, 6, 19), time.Time{}),               // +3
		act("RUS", "PRK", "state_visit", entente.Cooperative, entente.Day(2024, 6, 18), time.Time{}),                   // +1
		act("PRK", "RUS", "troop_deployment", entente.Cooperative, entente.Day(2024, 10, 1), entente.Day(2025, 4, 30)), // +3 in 2024 and 2025
		act("SYR", "RUS", "regime_change", entente.Hostile, entente.Day(2024, 12, 8), time.Time{}),                     // not this dyad
		act("USA", "PRK", "sanctions", entente.Hostile, entente.Day(2024, 3, 1), time.Time{}),
	}
	// The weights are the caller's (index.Config.KindWeights); these make the arithmetic
	// easy to follow.
	weights := map[string]float64{"alliance_treaty": 3, "troop_deployment": 3, "regime_change": 3, "state_visit": 1, "sanctions": 2}
	b := LedgerBalance(acts, "RUS", "PRK", entente.Day(2024, 1, 1), entente.Day(2025, 1, 1), weights)
	if b.N != 3 || b.Sum != 7 || b.Cooperative != 3 || b.Hostile != 0 {
		t.Errorf("RUS-PRK 2024 = %+v, want 3 acts, +7", b)
	}
	// A bilateral act is one act (the ledger records it once, mutual: true): it counts
	// once for the dyad, whichever party is named first.
	if r := LedgerBalance(acts, "PRK", "RUS", entente.Day(2024, 1, 1), entente.Day(2025, 1, 1), weights); r != b {
		t.Errorf("PRK-RUS 2024 = %+v, want the same as RUS-PRK %+v", r, b)
	}
	if r := LedgerBalances(acts, "PRK", entente.Day(2024, 1, 1), entente.Day(2025, 1, 1), weights)["RUS"]; r != b {
		t.Errorf("balances of PRK in 2024: RUS = %+v, want %+v", r, b)
	}
	b = LedgerBalance(acts, "PRK", "RUS", entente.Day(2025, 1, 1), entente.Day(2026, 1, 1), weights)
	if b.N != 1 || b.Sum != 3 {
		t.Errorf("PRK-RUS 2025 = %+v, want the deployment only, +3", b)
	}
	b = LedgerBalance(acts, "RUS", "USA", entente.Day(2024, 1, 1), entente.Day(2025, 1, 1), weights)
	if b.N != 0 || !math.IsNaN(b.Sum) {
		t.Errorf("no acts = %+v, want undefined, not 0", b)
	}
	all := LedgerBalances(acts, "RUS", entente.Day(2024, 1, 1), entente.Day(2025, 1, 1), weights)
	if all["PRK"].Sum != 7 || all["SYR"].Sum != -3 || len(all) != 2 {
		t.Errorf("balances of RUS in 2024 = %+v", all)
	}
}
