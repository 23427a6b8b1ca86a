package entente

import "strings"

// This file is the method's vocabulary, written once: the kinds of act with their
// meaning and default stance, the organisations acts may name, the blocs that stand
// against each other and the membership statuses. The numbers of the method (the weight
// of each kind, each bloc, each opposed pair, each signal, every threshold) are in
// index.Config (index/config.go) and nowhere else; signal/ takes them as arguments.
// docs/method.md and docs/index.md describe both.

// ActKind is one kind of act of the ledger.
type ActKind struct {
	Name        string
	Description string
	// Stance is the stance an act of the kind takes toward its counterpart when the
	// entry gives none; 0 when the kind needs an explicit stance (regime_change: the
	// fall of a government can bring a state closer to or away from a counterpart).
	Stance Stance
}

// ActKindTable is the fixed vocabulary of the ledger (docs/ledger.md describes each
// kind), in documentation order.
var ActKindTable = []ActKind{
	{"alliance_treaty", "a treaty of mutual defence or alliance signed or in force", Cooperative},
	{"troop_deployment", "armed forces of the actor deployed in or for the counterpart", Cooperative},
	{"arms_transfer", "weapons or military equipment delivered to the counterpart", Cooperative},
	{"military_cooperation_agreement", "an agreement or plan of military cooperation, exercises or training", Cooperative},
	{"strategic_partnership", "a declared strategic or comprehensive partnership", Cooperative},
	{"recognition", "recognition of the counterpart, or of a territory's status it claims", Cooperative},
	{"sanctions", "sanctions imposed on the counterpart", Hostile},
	{"sanctions_refusal", "an explicit refusal to join sanctions against the counterpart", Cooperative},
	{"membership_join", "the actor joins the counterpart organisation", Cooperative},
	{"membership_leave", "the actor leaves the counterpart organisation", Hostile},
	{"membership_suspend", "the actor suspends or freezes its participation in the counterpart organisation", Hostile},
	{"accession_application", "the actor applies or legislates to join the counterpart organisation", Cooperative},
	{"regime_change", "the government of the actor falls or is replaced outside regular elections", 0},
	{"diplomatic_break", "diplomatic relations with the counterpart severed or downgraded", Hostile},
	{"basing_access", "military basing or access granted to the counterpart", Cooperative},
	{"condemnation", "an official condemnation of the counterpart's acts", Hostile},
	{"economic_agreement", "a trade, energy or investment agreement with the counterpart", Cooperative},
	{"state_visit", "a state or official visit by the head of state or government", Cooperative},
	{"invasion", "armed forces of the actor invade or occupy territory of the counterpart", Hostile},
	{"strike", "an air, missile or drone strike by the actor on the counterpart's territory or forces", Hostile},
	{"border_clash", "armed clashes between the actor's and the counterpart's forces at or across their border", Hostile},
	{"annexation", "the actor declares the annexation of territory the counterpart holds or claims", Hostile},
	{"blockade", "the actor blockades the counterpart's ports, borders, airspace or trade", Hostile},
	{"seizure", "the actor seizes the counterpart's vessels, aircraft, property or territory", Hostile},
}

// ActKinds maps each kind of ActKindTable to its description.
var ActKinds = func() map[string]string {
	m := make(map[string]string, len(ActKindTable))
	for _, k := range ActKindTable {
		m[k.Name] = k.Description
	}
	return m
}()

// DefaultStances maps each kind of ActKindTable that has a default stance to it.
var DefaultStances = func() map[string]Stance {
	m := make(map[string]Stance, len(ActKindTable))
	for _, k := range ActKindTable {
		if k.Stance != 0 {
			m[k.Name] = k.Stance
		}
	}
	return m
}()

// Organisations are the organisations an act may name as its counterpart, by code
// (the bloc registry's codes, and the UN), with their names.
var Organisations = map[string]string{
	"NATO":        "North Atlantic Treaty Organization",
	"EU":          "European Union",
	"CSTO":        "Collective Security Treaty Organization",
	"EAEU":        "Eurasian Economic Union",
	"SCO":         "Shanghai Cooperation Organisation",
	"BRICS":       "BRICS (Brazil, Russia, India, China, South Africa and the states that joined from 2024)",
	"CIS":         "Commonwealth of Independent States",
	"UNION_STATE": "Union State of Russia and Belarus",
	"UN":          "United Nations",
}

// IsOrganisation reports whether code is a key of Organisations, case-insensitively.
func IsOrganisation(code string) bool {
	_, ok := Organisations[strings.ToUpper(strings.TrimSpace(code))]
	return ok
}

// OpposedBlocs are the pairs of blocs whose memberships stand against each other: the
// collective-defence alliances of Europe and Eurasia (NATO against the CSTO and against
// the Union State of Russia and Belarus, whose members are bound to defend each other)
// and the two customs unions a state cannot belong to at once (the EU and the EAEU). A
// dyad with one state a full member of one bloc of a pair and the other a full member of
// the other has an opposed membership. The list names blocs, never states; how much a
// pair counts in the index is index.Config.OpposedWeights.
var OpposedBlocs = [][2]string{{"NATO", "CSTO"}, {"NATO", "UNION_STATE"}, {"EU", "EAEU"}}

// Opposed reports whether blocs x and y form a pair of OpposedBlocs, in either order.
func Opposed(x, y string) bool {
	for _, p := range OpposedBlocs {
		if p[0] == x && p[1] == y || p[0] == y && p[1] == x {
			return true
		}
	}
	return false
}

// Membership statuses (Membership.Status, the bloc registry's spells). Only
// StatusMember is full membership: a frozen or suspended participation is recorded but
// neither shared nor opposed.
const (
	StatusMember      = "member"
	StatusFrozen      = "frozen"
	StatusSuspended   = "suspended"
	StatusParticipant = "participant"
	StatusAssociate   = "associate"
)
