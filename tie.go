package entente

import (
	"context"
	"time"
)

// Formal-tie sources.
const (
	SourceATOP   = "atop"   // ATOP alliance dyad-years
	SourceCOWIGO = "cowigo" // COW IGO memberships
	SourceLedger = "ledger" // entente's cited ledger of acts
)

// AllianceTie is one directed ATOP dyad-year: the obligations of A toward B.
type AllianceTie struct {
	A, B    int // COW numbers
	Year    int
	Defense bool
	Offense bool
	Neutral bool
	NonAgg  bool
	Consult bool
	Line    int
}

// Strength is the ordinal tie strength: defense or offense 3, neutrality or
// consultation 2, non-aggression 1, none 0 (docs/method.md).
func (t AllianceTie) Strength() int {
	switch {
	case t.Defense || t.Offense:
		return 3
	case t.Neutral || t.Consult:
		return 2
	case t.NonAgg:
		return 1
	}
	return 0
}

// Membership is one spell of a state in an organisation.
type Membership struct {
	Source   string // SourceCOWIGO, or "bloc" for the embedded bloc registry
	State    string // registry ID
	CCode    int
	Org      string // organisation code (NATO, CSTO, or the COW IGO abbreviation)
	OrgName  string
	Begin    time.Time
	End      time.Time // zero while it lasts
	Status   string    // StatusMember, or StatusSuspended for a frozen or suspended participation (method.go)
	Censored bool      // End is where the dataset stops, not a known exit
	Cites    []Citation
	Line     int
}

// TieWriter receives the records of one import of formal ties; see VoteWriter.
type TieWriter interface {
	StartFile(f ImportFile) error
	Alliance(t AllianceTie) error   // counted
	Membership(m Membership) error  // counted
	Act(a Act) error                // counted
	Quarantine(q Quarantined) error // counted
	FinishFile(read int64, notes []string) error
}

// TieStore stores alliances, memberships and ledger acts.
type TieStore interface {
	// ImportTies runs one atomic, idempotent import, as VoteStore.ImportVotes.
	ImportTies(ctx context.Context, fill func(TieWriter) error) ([]ImportReport, error)
	// Alliances returns the ATOP ties of year (both directions as stored); with a
	// non-zero ccode, only those involving it.
	Alliances(ctx context.Context, year, ccode int) ([]AllianceTie, error)
	// AllianceCoverage returns the first and last year of the stored ATOP data (0, 0
	// when none): later years are unknown, not "no alliance".
	AllianceCoverage(ctx context.Context) (first, last int, err error)
	// Memberships returns the stored membership spells of state ("" for all) that
	// overlap [from, to).
	Memberships(ctx context.Context, state string, from, to time.Time) ([]Membership, error)
	// Acts returns ledger acts matching q, ordered by date.
	Acts(ctx context.Context, q ActQuery) ([]Act, error)
}

// ActQuery selects ledger acts. Empty fields match everything. With Either set, an act
// matches when Actor or Counterpart is Either (and, with Other set, the other side is
// Other).
type ActQuery struct {
	Actor, Counterpart string
	Either, Other      string
	Kind               string
	From, To           time.Time // [From, To) on the act's date
}
