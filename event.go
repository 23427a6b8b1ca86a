package entente

import (
	"context"
	"math"
	"time"
)

// Event sources.
const (
	SourceGDELT2 = "gdelt2" // GDELT 2.0 15-minute export files
	SourceGDELT1 = "gdelt1" // GDELT 1.0 daily and back-file event files
	SourceKiel   = "kiel"   // Kiel Institute Ukraine Support Tracker
)

// Event is one coded event between two actors, as entente keeps it from GDELT: the
// columns the signals and the evidence need, in compact form.
type Event struct {
	Source    string
	ID        int64     // GlobalEventID
	Day       time.Time // the day of the event (SQLDATE)
	DateAdded int64     // when GDELT added it, YYYYMMDDHHMMSS
	// Actor1 and Actor2 are the registry IDs of the actors' states ("" when the actor
	// has no country or its country is not a state at Day). Sub-state actors (a
	// ministry, a rebel group) keep their country.
	Actor1, Actor2         string
	Actor1Code, Actor2Code string // CAMEO actor codes as coded
	EventCode              string // CAMEO, with leading zeros
	RootCode               string
	Quad                   int8    // 1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict
	Goldstein              float32 // −10..10; NaN if not given
	NumMentions            int32
	NumSources             int32
	NumArticles            int32
	AvgTone                float32
	URL                    string // the first article's URL
	Line                   int    // provenance
}

// Mention is one article's mention of an event (GDELT 2.0 mentions files).
type Mention struct {
	EventID      int64
	EventTime    int64 // the event's DATEADDED, YYYYMMDDHHMMSS
	MentionTime  int64
	Type         int8 // 1 web, 2 citation-only, ...
	SourceName   string
	URL          string
	SentenceID   int32
	Actor1Offset int32 // character offsets in the article; −1 if not given
	Actor2Offset int32
	ActionOffset int32
	Confidence   int8
	DocTone      float32
	Line         int
}

// Aid is one record of government aid, by donor, recipient and month (the Kiel tracker).
type Aid struct {
	Donor     string    // registry ID
	Recipient string    // registry ID
	Month     time.Time // first day of the month
	Kind      string    // financial, humanitarian, military
	EURbn     float64   // billions of euros
	Line      int
	Cite      Citation
}

// EventWriter receives the records of one event import; see VoteWriter for the rules.
type EventWriter interface {
	StartFile(f ImportFile) error
	Event(e Event) error     // counted
	Mention(m Mention) error // counted
	Aid(a Aid) error         // counted
	Quarantine(q Quarantined) error
	FinishFile(read int64, notes []string) error
}

// EventQuery selects directed dyad periods of event signals.
type EventQuery struct {
	From, To time.Time // [From, To) on the event day; zero bounds are open
	By       string    // "month" or "year"
	A, B     string    // registry IDs; "" for any. With both set, both directions.
}

// EventSignal aggregates the events from A to B in one period (directed).
type EventSignal struct {
	A, B   string
	Period string // "2024-08" or "2024"
	N      int64  // distinct events after dedupe
	Quad   [4]int64
	// GoldsteinSum and GoldsteinMean weight each event by its NumSources (docs/method.md).
	GoldsteinSum  float64
	GoldsteinMean float64 // NaN when no event has a Goldstein value
	CoopShare     float64 // share of quad 1-2 events; NaN when N = 0
	Weight        int64   // sum of NumSources behind the Goldstein values
}

// Merge adds o's events to s (the other direction of the dyad, or another period) and
// recomputes GoldsteinMean and CoopShare from the sums; A, B and Period stay s's.
func (s *EventSignal) Merge(o EventSignal) {
	s.N += o.N
	for i := range s.Quad {
		s.Quad[i] += o.Quad[i]
	}
	s.GoldsteinSum += o.GoldsteinSum
	s.Weight += o.Weight
	s.Derive()
}

// Derive sets GoldsteinMean and CoopShare from the sums and counts: a store calls it on
// each signal it reads, so the rule is the same on every backend.
func (s *EventSignal) Derive() {
	s.GoldsteinMean, s.CoopShare = math.NaN(), math.NaN()
	if s.Weight > 0 {
		s.GoldsteinMean = s.GoldsteinSum / float64(s.Weight)
	}
	if s.N > 0 {
		s.CoopShare = float64(s.Quad[0]+s.Quad[1]) / float64(s.N)
	}
}

// EventEvidence is a source URL behind a dyad period, with how often it is cited.
type EventEvidence struct {
	A, B    string
	Period  string
	URL     string
	Events  int64 // events of the period with this URL
	Sources int64 // their summed NumSources
}

// AidSignal is the aid from A to B in one period.
type AidSignal struct {
	A, B   string
	Period string
	EURbn  float64
	ByKind map[string]float64
}

// EventStore stores events, mentions and aid records, and aggregates them in SQL (so a
// scale-out store can push the work down).
type EventStore interface {
	// ImportEvents runs one atomic, idempotent import, as VoteStore.ImportVotes. Events
	// are keyed by (Source, ID); re-emitted near-duplicates (same day, dyad, event code
	// and URL) count as duplicates (docs/method.md).
	ImportEvents(ctx context.Context, fill func(EventWriter) error) ([]ImportReport, error)
	EventSignals(ctx context.Context, q EventQuery) ([]EventSignal, error)
	// EventEvidence returns, per period, the n most-cited URLs of the dyad's events.
	EventEvidence(ctx context.Context, q EventQuery, n int) ([]EventEvidence, error)
	AidSignals(ctx context.Context, q EventQuery) ([]AidSignal, error)
}
