package entente

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
)

// Force sources: datasets of armed conflict, militarised disputes, strategic rivalries
// and arms transfers (docs/force.md describes each and the signals drawn from them).
const (
	SourceUCDP  = "ucdp"  // UCDP/PRIO Armed Conflict Dataset, conflict-years (via peacesciencer)
	SourceTSS   = "tss"   // Thompson, Sakuwa and Suhas strategic rivalries (via peacesciencer)
	SourceTD    = "td"    // Thompson and Dreyer strategic rivalries (via peacesciencer)
	SourceGML   = "gml"   // Gibler-Miller-Little MIDs, directed dispute-years (via peacesciencer)
	SourceSIPRI = "sipri" // SIPRI Arms Transfers Database, trade register
)

// ErrBadValue is the cause of a ParseError for a field outside its vocabulary (a
// conflict type, an incompatibility, a "?" flag).
var ErrBadValue = errors.New("bad value")

// UCDP conflict types (type_of_conflict).
const (
	ConflictExtrasystemic     = "extrasystemic"
	ConflictInterstate        = "interstate"
	ConflictIntrastate        = "intrastate"
	ConflictInternationalised = "internationalised" // internationalised intrastate ("II" in the data)
)

// ConflictParty is a state on one side of a UCDP conflict-year: its Gleditsch-Ward
// number as the data gives it, and the registry state it resolves to in that year.
type ConflictParty struct {
	GW    int    // 0: no party in this position
	CCode int    // COW number of the registry state; 0 if the state has none
	State string // registry ID
}

// ConflictYear is one row of the UCDP/PRIO Armed Conflict Dataset as peacesciencer
// distributes it: a conflict-year, repeated once per supporting state, so that a
// conflict-year's sides are the union of its rows (SideA and SideA2 on one side, SideB
// and SideB2 on the other).
type ConflictYear struct {
	ConflictID      int
	Year            int
	SideA           ConflictParty // the government side (gwno_a)
	SideA2          ConflictParty // a state fighting on side A (gwno_a_2nd)
	SideB           ConflictParty // the state on side B, interstate conflicts only (gwno_b)
	SideB2          ConflictParty // a state supporting side B (gwno_b_2nd)
	Incompatibility string        // territory, government, or both
	Intensity       int           // 1: 25-999 battle deaths in the year; 2: 1,000 or more
	Type            string        // a Conflict* constant
	Line            int
}

// Validate checks a conflict-year before a store writes it.
func (c ConflictYear) Validate() error {
	switch {
	case c.ConflictID <= 0:
		return Errorf(EINVALID, "conflict line %d: conflict id %d", c.Line, c.ConflictID)
	case c.Year < 1900 || c.Year > 2200:
		return Errorf(EINVALID, "conflict %d line %d: year %d", c.ConflictID, c.Line, c.Year)
	case c.SideA.GW <= 0 || c.SideA.State == "":
		return Errorf(EINVALID, "conflict %d line %d: side A has no state", c.ConflictID, c.Line)
	case c.Intensity != 1 && c.Intensity != 2:
		return Errorf(EINVALID, "conflict %d line %d: intensity %d, want 1 or 2", c.ConflictID, c.Line, c.Intensity)
	}
	switch c.Type {
	case ConflictExtrasystemic, ConflictInterstate, ConflictIntrastate, ConflictInternationalised:
	default:
		return Errorf(EINVALID, "conflict %d line %d: type %q", c.ConflictID, c.Line, c.Type)
	}
	for _, p := range []ConflictParty{c.SideA2, c.SideB, c.SideB2} {
		if p.GW != 0 && p.State == "" {
			return Errorf(EINVALID, "conflict %d line %d: GW %d without a state", c.ConflictID, c.Line, p.GW)
		}
	}
	return nil
}

// Sides returns the states (registry IDs) of side A and of side B named on the row.
func (c ConflictYear) Sides() (a, b []string) {
	for _, p := range []ConflictParty{c.SideA, c.SideA2} {
		if p.State != "" && !slices.Contains(a, p.State) {
			a = append(a, p.State)
		}
	}
	for _, p := range []ConflictParty{c.SideB, c.SideB2} {
		if p.State != "" && !slices.Contains(b, p.State) {
			b = append(b, p.State)
		}
	}
	return a, b
}

// Rivalry is one strategic rivalry: two states that regard each other as competitors,
// a source of threat and enemies (Thompson 2001; Thompson and Dreyer 2012). Start and
// End are years; Ongoing says End is where the data stop, not the rivalry's end, so
// years after End are unknown, not "no rivalry".
type Rivalry struct {
	Source    string // SourceTSS or SourceTD
	ID        int
	Name      string
	CCode1    int // COW numbers, as the data gives them
	CCode2    int
	Start     int
	End       int
	Ongoing   bool
	Types     []string // positional, spatial, ideological, interventionary
	Principal bool     // TSS: a principal rivalry
	Region    string   // TD: the region
	Line      int
}

// Validate checks a rivalry before a store writes it.
func (r Rivalry) Validate() error {
	switch {
	case r.Source != SourceTSS && r.Source != SourceTD:
		return Errorf(EINVALID, "rivalry line %d: source %q", r.Line, r.Source)
	case r.ID <= 0:
		return Errorf(EINVALID, "rivalry line %d: id %d", r.Line, r.ID)
	case r.CCode1 <= 0 || r.CCode2 <= 0 || r.CCode1 == r.CCode2:
		return Errorf(EINVALID, "rivalry %d line %d: states %d, %d", r.ID, r.Line, r.CCode1, r.CCode2)
	case r.Start < 1400 || r.End < r.Start || r.End > 2200:
		return Errorf(EINVALID, "rivalry %d line %d: years %d-%d", r.ID, r.Line, r.Start, r.End)
	}
	return nil
}

// Covers reports whether the rivalry is known to run in year.
func (r Rivalry) Covers(year int) bool { return year >= r.Start && year <= r.End }

// DisputeYear is one directed dispute-year of the Gibler-Miller-Little MID data: what
// CCode1 did in dispute DispNum in Year, toward CCode2.
type DisputeYear struct {
	DispNum     int
	CCode1      int
	CCode2      int
	Year        int
	Onset       bool // the dispute began this year
	SideA       bool // CCode1 is on side A (the side that took the first militarised action)
	Revisionist bool // CCode1 sought to change the status quo
	HostLev     int  // CCode1's highest hostility level: 1 none, 2 threat, 3 display, 4 use of force, 5 war
	HiAct       int  // CCode1's highest action (codebook code 0..23)
	Fatality    int  // CCode1's fatality level 0..6 (6: more than 999); -9 unknown
	DispHostLev int  // the dispute's highest hostility level
	Line        int
}

// Validate checks a dispute-year before a store writes it.
func (d DisputeYear) Validate() error {
	switch {
	case d.DispNum <= 0:
		return Errorf(EINVALID, "dispute line %d: number %d", d.Line, d.DispNum)
	case d.CCode1 <= 0 || d.CCode2 <= 0 || d.CCode1 == d.CCode2:
		return Errorf(EINVALID, "dispute %d line %d: states %d, %d", d.DispNum, d.Line, d.CCode1, d.CCode2)
	case d.Year < 1800 || d.Year > 2200:
		return Errorf(EINVALID, "dispute %d line %d: year %d", d.DispNum, d.Line, d.Year)
	case d.HostLev < 1 || d.HostLev > 5 || d.DispHostLev < 1 || d.DispHostLev > 5:
		return Errorf(EINVALID, "dispute %d line %d: hostility level %d/%d outside 1..5", d.DispNum, d.Line, d.HostLev, d.DispHostLev)
	case d.Fatality != -9 && (d.Fatality < 0 || d.Fatality > 6):
		return Errorf(EINVALID, "dispute %d line %d: fatality %d", d.DispNum, d.Line, d.Fatality)
	}
	return nil
}

// Arms party kinds: a SIPRI supplier or recipient is a state, a non-state actor (marked
// "*"), a multinational body (marked "**": NATO, the UN, the African Union ...) or
// unknown ("unknown supplier(s)"). Only states count in dyad signals.
const (
	PartyState        = "state"
	PartyNonState     = "nonstate"
	PartyMultilateral = "multilateral"
	PartyUnknown      = "unknown"
)

// ArmsParty is a SIPRI supplier or recipient: the name as written and, for a state, the
// registry state it resolves to at the deal's dates.
type ArmsParty struct {
	Name  string
	Kind  string // a Party* constant
	State string // registry ID; "" unless Kind is PartyState
	CCode int    // COW number; 0 if none
}

// ArmsDeal is one deal of the SIPRI trade register. Counts and TIVs that the register
// leaves empty are -1 (number) and NaN (TIV): unknown, not zero. The *Uncertain flags
// keep the register's "?" marks.
type ArmsDeal struct {
	Key                      string // stable identity of the deal: a digest of its fields and their repeat count
	Recipient, Supplier      ArmsParty
	OrderYear                int
	OrderYearUncertain       bool
	NumberOrdered            int
	NumberOrderedUncertain   bool
	Designation, Description string
	NumberDelivered          int
	NumberDeliveredUncertain bool
	DeliveryYears            []int // ascending
	Status                   string
	Comments                 string
	TIVUnit                  float64 // millions of TIV
	TIVOrder                 float64
	TIVDelivered             float64
	Line                     int
}

// Validate checks a deal before a store writes it.
func (d ArmsDeal) Validate() error {
	switch {
	case d.Key == "":
		return Errorf(EINVALID, "arms deal line %d: no key", d.Line)
	case d.Recipient.Name == "" || d.Supplier.Name == "":
		return Errorf(EINVALID, "arms deal line %d: supplier and recipient are required", d.Line)
	case d.OrderYear < 1900 || d.OrderYear > 2200:
		return Errorf(EINVALID, "arms deal line %d: order year %d", d.Line, d.OrderYear)
	case !slices.IsSorted(d.DeliveryYears):
		return Errorf(EINVALID, "arms deal line %d: delivery years not ascending", d.Line)
	}
	for _, p := range []ArmsParty{d.Recipient, d.Supplier} {
		switch p.Kind {
		case PartyState:
			if p.State == "" {
				return Errorf(EINVALID, "arms deal line %d: state party %q without a registry state", d.Line, p.Name)
			}
		case PartyNonState, PartyMultilateral, PartyUnknown:
			if p.State != "" {
				return Errorf(EINVALID, "arms deal line %d: %s party %q forced onto state %s", d.Line, p.Kind, p.Name, p.State)
			}
		default:
			return Errorf(EINVALID, "arms deal line %d: party kind %q", d.Line, p.Kind)
		}
	}
	return nil
}

// TIVInYear returns the TIV of the deal's deliveries in year: the delivered TIV spread
// evenly over the delivery years (the register gives no per-year split), NaN when the
// delivered TIV is unknown, 0 when nothing was delivered that year.
func (d ArmsDeal) TIVInYear(year int) float64 {
	if !slices.Contains(d.DeliveryYears, year) {
		return 0
	}
	if math.IsNaN(d.TIVDelivered) {
		return math.NaN()
	}
	return d.TIVDelivered / float64(len(d.DeliveryYears))
}

// ConflictWriter receives the records of one import of force data; see VoteWriter.
type ConflictWriter interface {
	StartFile(f ImportFile) error
	ConflictYear(c ConflictYear) error // counted
	Rivalry(r Rivalry) error           // counted
	Dispute(d DisputeYear) error       // counted
	ArmsDeal(d ArmsDeal) error         // counted
	Quarantine(q Quarantined) error    // counted
	FinishFile(read int64, notes []string) error
}

// ForceQuery selects force records by state and years. CCode (and, with it, Other)
// are COW numbers, 0 for any; for arms deals State and OtherState (registry IDs) are
// used instead, since non-COW states receive arms too. Years are inclusive; 0 is open.
type ForceQuery struct {
	CCode, Other      int
	State, OtherState string
	FromYear, ToYear  int
}

// Years returns the inclusive bounds of q's years, an open end (0) widened to the
// range of a SMALLINT year column.
func (q ForceQuery) Years() (from, to int) {
	from, to = q.FromYear, q.ToYear
	if from == 0 {
		from = -32768
	}
	if to == 0 {
		to = 32767
	}
	return from, to
}

// SourceYears is the extent of one force source in the store: the data's years.
type SourceYears struct {
	Source      string
	First, Last int
	Records     int64
}

// ConflictStore stores conflict-years, rivalries, disputes and arms deals.
type ConflictStore interface {
	// ImportConflict runs one atomic, idempotent import, as VoteStore.ImportVotes.
	ImportConflict(ctx context.Context, fill func(ConflictWriter) error) ([]ImportReport, error)
	// ConflictYears returns the UCDP rows of every conflict-year in the years of q in
	// which q.CCode (any state when 0) appears on any row, ordered by conflict, year, line.
	ConflictYears(ctx context.Context, q ForceQuery) ([]ConflictYear, error)
	// Rivalries returns the rivalries involving q.CCode (and q.Other) that overlap the
	// years of q, ordered by source and id.
	Rivalries(ctx context.Context, q ForceQuery) ([]Rivalry, error)
	// Disputes returns the directed dispute-years with q.CCode on either end (and
	// q.Other on the other) in the years of q, ordered by year, dispute, ccode1.
	Disputes(ctx context.Context, q ForceQuery) ([]DisputeYear, error)
	// ArmsDeals returns the deals with q.State as supplier or recipient (and q.OtherState
	// as the other) with an order or delivery year in the years of q, ordered by line.
	ArmsDeals(ctx context.Context, q ForceQuery) ([]ArmsDeal, error)
	// ForceCoverage returns the years each stored force source covers.
	ForceCoverage(ctx context.Context) ([]SourceYears, error)
}

// armsDealJSON is ArmsDeal's JSON form: unknown TIVs (NaN) as null.
type armsDealJSON struct {
	armsDealAlias
	TIVUnit      *float64
	TIVOrder     *float64
	TIVDelivered *float64
}

type armsDealAlias ArmsDeal

// MarshalJSON encodes the deal with unknown TIVs as null, which JSON numbers cannot hold.
func (d ArmsDeal) MarshalJSON() ([]byte, error) {
	opt := func(f float64) *float64 {
		if math.IsNaN(f) {
			return nil
		}
		return &f
	}
	return json.Marshal(armsDealJSON{armsDealAlias(d), opt(d.TIVUnit), opt(d.TIVOrder), opt(d.TIVDelivered)})
}

// UnmarshalJSON decodes what MarshalJSON encodes.
func (d *ArmsDeal) UnmarshalJSON(b []byte) error {
	var w armsDealJSON
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	val := func(p *float64) float64 {
		if p == nil {
			return math.NaN()
		}
		return *p
	}
	*d = ArmsDeal(w.armsDealAlias)
	d.TIVUnit, d.TIVOrder, d.TIVDelivered = val(w.TIVUnit), val(w.TIVOrder), val(w.TIVDelivered)
	return nil
}

// RecordKey returns the conflict-year row's identity in the store.
func (c ConflictYear) RecordKey() string {
	return fmt.Sprintf("%d/%d/%d/%d/%d/%d", c.ConflictID, c.Year, c.SideA.GW, c.SideA2.GW, c.SideB.GW, c.SideB2.GW)
}

// RecordKey returns the rivalry's identity in the store.
func (r Rivalry) RecordKey() string { return fmt.Sprintf("%s/%d", r.Source, r.ID) }

// RecordKey returns the dispute-year's identity in the store.
func (d DisputeYear) RecordKey() string {
	return fmt.Sprintf("%d/%d/%d/%d", d.DispNum, d.CCode1, d.CCode2, d.Year)
}

// Years returns the first and last year the deal touches: its order and delivery years.
func (d ArmsDeal) Years() (first, last int) {
	first, last = d.OrderYear, d.OrderYear
	for _, y := range d.DeliveryYears {
		first, last = min(first, y), max(last, y)
	}
	return first, last
}

// ArmsFlow is the part of an arms deal the index reads: who delivered to whom, in which
// years, and the TIV delivered (NaN when unknown), spread evenly over those years as
// ArmsDeal.TIVInYear spreads it.
type ArmsFlow struct {
	Supplier, Recipient string // registry IDs; "" for a non-state or unknown party
	DeliveryYears       []int
	TIVDelivered        float64
}

// ArmsFlowStore is implemented by stores that can return arms flows without decoding
// whole deals (DuckDB); the index falls back on ArmsDeals otherwise.
type ArmsFlowStore interface {
	// ArmsFlows returns the flows of the deals with state as supplier or recipient (any
	// state when "") whose last year is fromYear or later, in the order of ArmsDeals.
	ArmsFlows(ctx context.Context, state string, fromYear int) ([]ArmsFlow, error)
}

// TIVInYear returns the TIV the flow delivered in year: TIVDelivered over the delivery
// years when year is one of them, 0 when it is not, NaN when the TIV is unknown.
func (f ArmsFlow) TIVInYear(year int) float64 {
	return ArmsDeal{DeliveryYears: f.DeliveryYears, TIVDelivered: f.TIVDelivered}.TIVInYear(year)
}
