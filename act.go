package entente

import "time"

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
