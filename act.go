package entente

import "time"

// Act kinds: the fixed vocabulary of the ledger (docs/ledger.md describes each).
var ActKinds = map[string]string{
	"alliance_treaty":                "a treaty of mutual defence or alliance signed or in force",
	"troop_deployment":               "armed forces of the actor deployed in or for the counterpart",
	"arms_transfer":                  "weapons or military equipment delivered to the counterpart",
	"military_cooperation_agreement": "an agreement or plan of military cooperation, exercises or training",
	"strategic_partnership":          "a declared strategic or comprehensive partnership",
	"recognition":                    "recognition of the counterpart, or of a territory's status it claims",
	"sanctions":                      "sanctions imposed on the counterpart",
	"sanctions_refusal":              "an explicit refusal to join sanctions against the counterpart",
	"membership_join":                "the actor joins the counterpart organisation",
	"membership_leave":               "the actor leaves the counterpart organisation",
	"membership_suspend":             "the actor suspends or freezes its participation in the counterpart organisation",
	"accession_application":          "the actor applies or legislates to join the counterpart organisation",
	"regime_change":                  "the government of the actor falls or is replaced outside regular elections",
	"diplomatic_break":               "diplomatic relations with the counterpart severed or downgraded",
	"basing_access":                  "military basing or access granted to the counterpart",
	"condemnation":                   "an official condemnation of the counterpart's acts",
	"economic_agreement":             "a trade, energy or investment agreement with the counterpart",
	"state_visit":                    "a state or official visit by the head of state or government",
	"invasion":                       "armed forces of the actor invade or occupy territory of the counterpart",
	"strike":                         "an air, missile or drone strike by the actor on the counterpart's territory or forces",
	"border_clash":                   "armed clashes between the actor's and the counterpart's forces at or across their border",
	"annexation":                     "the actor declares the annexation of territory the counterpart holds or claims",
	"blockade":                       "the actor blockades the counterpart's ports, borders, airspace or trade",
	"seizure":                        "the actor seizes the counterpart's vessels, aircraft, property or territory",
}

// Stance is an act's direction toward its counterpart.
type Stance int8

// Stances.
const (
	Hostile     Stance = -1
	Cooperative Stance = +1
)

// Citation is a public source of a fact.
type Citation struct {
	URL       string
	Title     string
	Publisher string
	Published time.Time // zero if unknown
	Checked   bool      // the source's text was read and confirms the fact
	Quote     string    // optional: the sentence that states the fact
}

// Act is one dated act between an actor and a counterpart, from the curated ledger (or,
// later, read from an article). Actor is a state's registry ID; Counterpart is a
// state's registry ID or an organisation's code from the bloc registry (NATO, CSTO...).
type Act struct {
	ID          string
	Date        time.Time
	Precision   Precision // of Date: day, month or year
	End         time.Time // last day of a state of affairs (a deployment, a freeze); zero if none or open
	Actor       string
	Counterpart string
	Kind        string // a key of ActKinds
	Stance      Stance
	Magnitude   float64 // optional size (e.g. troops, EUR bn); 0 if not given
	Summary     string
	Sources     []Citation
	File        string // provenance: the ledger file and line the act starts on
	Line        int
}
