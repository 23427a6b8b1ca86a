package http

import (
	"bytes"
	"math"
	"strconv"
	"time"

	"github.com/entente/entente"
	"github.com/entente/entente/index"
)

// The wire format of the API: snake_case JSON, dates as YYYY-MM-DD strings (null when
// unknown), undefined numbers as null. docs/api.md shows an example of each response.

// Num is a number that is null on the wire when undefined (NaN), with 4 decimals.
type Num float64

// MarshalJSON writes NaN as null.
func (n Num) MarshalJSON() ([]byte, error) {
	f := float64(n)
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return []byte("null"), nil
	}
	return strconv.AppendFloat(nil, math.Round(f*1e4)/1e4, 'f', -1, 64), nil
}

// UnmarshalJSON reads null as NaN.
func (n *Num) UnmarshalJSON(b []byte) error {
	if bytes.Equal(b, []byte("null")) {
		*n = Num(math.NaN())
		return nil
	}
	f, err := strconv.ParseFloat(string(b), 64)
	*n = Num(f)
	return err
}

// State is a state on the wire.
type State struct {
	ID     string `json:"id"` // entente's registry ID (ISO3 where there is one)
	ISO3   string `json:"iso3"`
	ISO2   string `json:"iso2"`
	ISONum int    `json:"iso_num"` // ISO 3166-1 numeric; 0 if none
	COW    int    `json:"cow"`     // Correlates of War number; 0 if none
	Name   string `json:"name"`
}

func wireState(c entente.Country) State {
	return State{ID: c.ID, ISO3: c.ISO3, ISO2: c.ISO2, ISONum: c.ISONum, COW: c.COW, Name: c.Name}
}

func (s State) country() entente.Country {
	return entente.Country{ID: s.ID, ISO3: s.ISO3, ISO2: s.ISO2, ISONum: s.ISONum, COW: s.COW, Name: s.Name}
}

// Window is a span of days, both ends included.
type Window struct {
	From string `json:"from"`
	To   string `json:"to"`
}

// window returns [from, at) as inclusive days.
func window(from, at time.Time) Window {
	return Window{From: day(from), To: day(at.AddDate(0, 0, -1))}
}

func day(t time.Time) string { return t.Format(time.DateOnly) }

// dayOrNil is a date, or null when zero.
func dayOrNil(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := day(t)
	return &s
}

// StatesResponse is GET /api/v1/states.
type StatesResponse struct {
	At     string  `json:"at"`     // the day the states exist on
	Latest string  `json:"latest"` // the last day of the index's default date (last UN roll call stored)
	First  *string `json:"first"`  // the first UN roll call stored; null if none
	States []State `json:"states"` // by name
}

// SignalPart is one signal's part in a score.
type SignalPart struct {
	Value        Num    `json:"value"`        // in [-1, 1]; null when unavailable
	Weight       Num    `json:"weight"`       // effective weight; null when unavailable
	Contribution Num    `json:"contribution"` // its part of the score; null when unavailable
	N            int    `json:"n"`            // evidence items behind it
	Available    bool   `json:"available"`
	Note         string `json:"note,omitempty"` // explain only: what the value is made of
}

// RankedScore is one state in a ranking.
type RankedScore struct {
	Rank    int                   `json:"rank"`
	State   State                 `json:"state"`
	Value   Num                   `json:"value"` // what the ranking is ordered by: the score, or one signal's value
	Score   Num                   `json:"score"`
	Lo      Num                   `json:"lo"`
	Hi      Num                   `json:"hi"`
	Class   string                `json:"class"`
	Flags   []string              `json:"flags"`
	Signals map[string]SignalPart `json:"signals"`
}

// RankResponse is GET /api/v1/rank/{focal}.
type RankResponse struct {
	Focal     State          `json:"focal"`
	At        string         `json:"at"`     // the last day of the window
	Window    Window         `json:"window"` // of the windowed signals
	Signal    string         `json:"signal"` // index, or the signal ranked by
	RollCalls int            `json:"roll_calls"`
	Unknown   int            `json:"unknown"`  // states with no evidence, left out
	LeftOut   []LeftOut      `json:"left_out"` // those states, and why
	Coverage  map[string]int `json:"coverage"` // states with each signal available
	Scores    []RankedScore  `json:"scores"`
	// DataCoverage is, per stored signal, the data's date range and the evidence in
	// the window (index.DataCoverage).
	DataCoverage map[string]index.SignalCoverage `json:"data_coverage,omitempty"`
}

// LeftOut is a state a ranking leaves out (index.LeftOut): no direct evidence on the
// pair, so no score.
type LeftOut struct {
	ID   string `json:"id"`
	ISO3 string `json:"iso3"`
	COW  int    `json:"cow"`
	Name string `json:"name"`
	Why  string `json:"why"`
}

func wireLeftOut(ls []index.LeftOut) []LeftOut {
	out := make([]LeftOut, 0, len(ls))
	for _, l := range ls {
		out = append(out, LeftOut{ID: l.State.ID, ISO3: l.State.ISO3, COW: l.State.COW, Name: l.State.Name, Why: l.Why})
	}
	return out
}

func signalParts(cs [index.NumSignals]index.Contribution, notes bool) map[string]SignalPart {
	m := make(map[string]SignalPart, len(cs))
	for k, c := range cs {
		p := SignalPart{Value: Num(c.Value), Weight: Num(math.NaN()), Contribution: Num(math.NaN()), N: c.N, Available: c.Available()}
		if p.Available {
			p.Weight, p.Contribution = Num(c.Weight), Num(c.Contribution)
		}
		if notes {
			p.Note = c.Note
		}
		m[index.Signals[k]] = p
	}
	return m
}

func contributions(ps map[string]SignalPart) [index.NumSignals]index.Contribution {
	var cs [index.NumSignals]index.Contribution
	for k, name := range index.Signals {
		p, ok := ps[name]
		if !ok {
			cs[k] = index.Contribution{Value: math.NaN()}
			continue
		}
		cs[k] = index.Contribution{Value: float64(p.Value), N: p.N, Note: p.Note}
		if p.Available {
			cs[k].Weight, cs[k].Contribution = float64(p.Weight), float64(p.Contribution)
		}
	}
	return cs
}

func flagsOf(f []string) []string {
	if f == nil {
		return []string{}
	}
	return f
}

// Evidence is one item behind a signal.
type Evidence struct {
	Signal string  `json:"signal"`
	Date   *string `json:"date"`
	Effect Num     `json:"effect"` // leave-one-out effect on the signal's pull
	Text   string  `json:"text"`
	Source string  `json:"source"` // URL(s), roll-call id or dataset
}

func wireEvidence(ev index.Evidence) Evidence {
	return Evidence{Signal: ev.Signal, Date: dayOrNil(ev.Date), Effect: Num(ev.Effect), Text: ev.Text, Source: ev.Source}
}

// ThirdParty is a third party of the third-party term.
type ThirdParty struct {
	Name   string `json:"name"`
	Lagged Num    `json:"lagged"`
	Weight Num    `json:"weight"`
}

// ExplainResponse is GET /api/v1/explain/{a}/{b}.
type ExplainResponse struct {
	Focal        State                 `json:"focal"`
	Other        State                 `json:"other"`
	At           string                `json:"at"`
	Window       Window                `json:"window"`
	Score        Num                   `json:"score"`
	Lo           Num                   `json:"lo"`
	Hi           Num                   `json:"hi"`
	Class        string                `json:"class"`
	Flags        []string              `json:"flags"`
	Rank         int                   `json:"rank"` // 0 when the state has no score
	Of           int                   `json:"of"`
	Signals      map[string]SignalPart `json:"signals"`
	Evidence     []Evidence            `json:"evidence"` // by signal, then by |effect|
	ThirdParties []ThirdParty          `json:"third_parties"`
}

// Point is one date of a dyad's series.
type Point struct {
	Period        string         `json:"period"` // "2019", or "2025-06" for the 12 months to June 2025
	At            string         `json:"at"`     // the last day of its window
	Score         Num            `json:"score"`
	Lo            Num            `json:"lo"`
	Hi            Num            `json:"hi"`
	Class         string         `json:"class"`
	Contributions map[string]Num `json:"contributions,omitempty"` // dyad only: each signal's part of the score
}

func wirePoint(p index.Point, contrib bool) Point {
	w := Point{Period: p.Period, At: day(p.At.AddDate(0, 0, -1)), Score: Num(p.Score), Lo: Num(p.Lo), Hi: Num(p.Hi), Class: p.Class}
	if contrib {
		w.Contributions = make(map[string]Num, index.NumSignals)
		for k, v := range p.Contrib {
			w.Contributions[index.Signals[k]] = Num(v)
		}
	}
	return w
}

// Change is a change point of a series.
type Change struct {
	Period     string         `json:"period"` // the first period of the new level
	Date       string         `json:"date"`   // the start of that period
	Direction  string         `json:"direction"`
	Shift      Num            `json:"shift"`
	Before     Num            `json:"before"`
	After      Num            `json:"after"`
	Confidence Num            `json:"confidence"`
	Deltas     map[string]Num `json:"signal_deltas"`
	Evidence   []Evidence     `json:"evidence"` // ledger acts within a year of the break
}

func wireChange(c index.Change) Change {
	dir := "toward"
	if c.Shift < 0 {
		dir = "away"
	}
	w := Change{Period: c.Period, Date: day(c.Date), Direction: dir, Shift: Num(c.Shift), Before: Num(c.Before), After: Num(c.After),
		Confidence: Num(c.Confidence), Deltas: map[string]Num{}, Evidence: []Evidence{}}
	for k, v := range c.Deltas {
		w.Deltas[index.Signals[k]] = Num(v)
	}
	for _, ev := range c.Evidence {
		w.Evidence = append(w.Evidence, wireEvidence(ev))
	}
	return w
}

// Mover is one state's series with the focal state.
type Mover struct {
	State   State    `json:"state"`
	Moved   Num      `json:"moved"` // the largest |shift|; 0 without a change point
	Changes []Change `json:"changes"`
	Series  []Point  `json:"series"`
}

// DriftResponse is GET /api/v1/drift/{focal}.
type DriftResponse struct {
	Focal   State    `json:"focal"`
	Periods []string `json:"periods"`
	Movers  []Mover  `json:"movers"` // largest move first
}

// UNYear is the UN-vote similarity of a dyad in one year (stored signals).
type UNYear struct {
	Period string `json:"period"`
	N      int    `json:"n"`
	Agree  Num    `json:"agree"`
	Kappa  Num    `json:"kappa"`
	SAbs   Num    `json:"s_abs"`
}

// EventYear is the event balance from one state to the other in one year.
type EventYear struct {
	Period        string `json:"period"`
	From          string `json:"from"`
	To            string `json:"to"`
	N             int64  `json:"n"`
	GoldsteinMean Num    `json:"goldstein_mean"`
	CoopShare     Num    `json:"coop_share"`
}

// AidYear is the aid from one state to the other in one year.
type AidYear struct {
	Period string `json:"period"`
	From   string `json:"from"`
	To     string `json:"to"`
	EURbn  Num    `json:"eur_bn"`
}

// DyadSignals are a dyad's raw signals by year.
type DyadSignals struct {
	UNVotes []UNYear    `json:"unvotes"`
	Events  []EventYear `json:"events"`
	Aid     []AidYear   `json:"aid"`
	Force   []ForceYear `json:"force"` // force.go: war, co-belligerence, rivalry, disputes, arms
}

// DyadResponse is GET /api/v1/dyad/{a}/{b}.
type DyadResponse struct {
	A       State       `json:"a"`
	B       State       `json:"b"`
	Periods []string    `json:"periods"`
	Series  []Point     `json:"series"`  // the index of b with a as focal, with contributions
	Changes []Change    `json:"changes"` // change points of the series
	Signals DyadSignals `json:"signals"`
	// DataCoverage is, per stored signal, the data's date range and the pair's
	// evidence from the first period to the last (index.DataCoverage).
	DataCoverage map[string]index.SignalCoverage `json:"data_coverage,omitempty"`
}

// Citation is a public source of an act.
type Citation struct {
	URL       string  `json:"url"`
	Title     string  `json:"title"`
	Publisher string  `json:"publisher"`
	Published *string `json:"published"`
	Checked   bool    `json:"checked"`
	Quote     string  `json:"quote,omitempty"`
}

// Act is a ledger act.
type Act struct {
	ID          string     `json:"id"`
	Date        string     `json:"date"`
	Precision   string     `json:"precision"`
	End         *string    `json:"end"`
	Actor       string     `json:"actor"`
	Counterpart string     `json:"counterpart"`
	Kind        string     `json:"kind"`
	Stance      int        `json:"stance"` // +1 cooperative, -1 hostile
	Magnitude   Num        `json:"magnitude"`
	Summary     string     `json:"summary"`
	Sources     []Citation `json:"sources"`
	File        string     `json:"file"`
	Line        int        `json:"line"`
}

func wireAct(a entente.Act) Act {
	w := Act{ID: a.ID, Date: day(a.Date), Precision: a.Precision.String(), End: dayOrNil(a.End), Actor: a.Actor, Counterpart: a.Counterpart,
		Kind: a.Kind, Stance: int(a.Stance), Magnitude: Num(a.Magnitude), Summary: a.Summary, File: a.File, Line: a.Line, Sources: []Citation{}}
	if a.Magnitude == 0 {
		w.Magnitude = Num(math.NaN())
	}
	for _, c := range a.Sources {
		w.Sources = append(w.Sources, Citation{URL: c.URL, Title: c.Title, Publisher: c.Publisher, Published: dayOrNil(c.Published), Checked: c.Checked, Quote: c.Quote})
	}
	return w
}

// EventSource is an article URL behind a dyad's events in one month.
type EventSource struct {
	Period  string `json:"period"`
	From    string `json:"from"`
	To      string `json:"to"`
	URL     string `json:"url"`
	Events  int64  `json:"events"`
	Sources int64  `json:"sources"`
}

// RollCallVote is one UN roll call both states voted in.
type RollCallVote struct {
	Source string `json:"source"`
	ID     string `json:"id"`
	Date   string `json:"date"`
	URL    string `json:"url"` // the record, where one is known
	// Resolution and Title describe the roll call where the source gives them.
	Resolution string `json:"resolution,omitempty"`
	Title      string `json:"title,omitempty"`
	VoteA      string `json:"vote_a"`
	VoteB      string `json:"vote_b"`
	Yes        int    `json:"yes"`
	Abstain    int    `json:"abstain"`
	No         int    `json:"no"`
}

// EvidenceResponse is GET /api/v1/evidence.
type EvidenceResponse struct {
	A         State          `json:"a"`
	B         State          `json:"b"`
	At        string         `json:"at"`
	Window    Window         `json:"window"`     // of events and roll calls
	Acts      []Act          `json:"acts"`       // ledger acts between a and b up to at, newest first
	Events    []EventSource  `json:"events"`     // the most cited article URLs per month, newest first
	RollCalls []RollCallVote `json:"roll_calls"` // newest first
}

// HealthResponse is GET /healthz.
type HealthResponse struct {
	Status        string  `json:"status"`
	UptimeSeconds float64 `json:"uptime_seconds"`
}
