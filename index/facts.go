package index

import (
	"context"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/entente/entente"
	"github.com/entente/entente/bloc"
	"github.com/entente/entente/signal"
)

// Source is what the engine reads: the part of entente.Store it needs, so tests and
// other backends can supply facts. Implementations must be safe for concurrent reads.
type Source interface {
	VoteCoverage(ctx context.Context, issue string) ([]entente.SourceCoverage, error)
	Ballots(ctx context.Context, q entente.BallotQuery) ([]entente.Ballot, error)
	EventSignals(ctx context.Context, q entente.EventQuery) ([]entente.EventSignal, error)
	EventEvidence(ctx context.Context, q entente.EventQuery, n int) ([]entente.EventEvidence, error)
	AidSignals(ctx context.Context, q entente.EventQuery) ([]entente.AidSignal, error)
	Alliances(ctx context.Context, year, ccode int) ([]entente.AllianceTie, error)
	AllianceCoverage(ctx context.Context) (first, last int, err error)
	Memberships(ctx context.Context, state string, from, to time.Time) ([]entente.Membership, error)
	Acts(ctx context.Context, q entente.ActQuery) ([]entente.Act, error)
	Similarities(ctx context.Context, q entente.SimilarityQuery) ([]entente.Similarity, error)
}

var _ Source = entente.Store(nil)

// spell is one state's standing in one bloc, from the bloc registry or the store.
type spell struct {
	bloc, state string
	member      bool   // full member (frozen, suspended, associate... are not)
	status      string // as recorded
	from, until time.Time
	cites       []entente.Citation
}

func (s spell) active(at time.Time) bool {
	return !at.Before(s.from) && (s.until.IsZero() || at.Before(s.until))
}

// facts are the facts one span of dates needs, read once from the Source.
type facts struct {
	from, to time.Time // the span of evaluation dates' windows, [from, to)

	ballots []entente.Ballot // [from − 12 months, to), one source per date by precedence
	events  []entente.EventSignal
	aid     []entente.AidSignal
	acts    []entente.Act
	spells  map[string][]spell // by state
	members map[string][]spell // by bloc

	ideal    *idealData            // nil: no ideal points
	forceCov []entente.SourceYears // the stored force sources' years; nil: none

	allianceFirst, allianceLast int
	allianceMu                  sync.Mutex // guards allianceYears: cached facts are shared
	allianceYears               map[int]*signal.AllianceYear
	systemOnly                  bool // alliance years over the registry's system only
}

// load reads the facts for evaluation dates in [first, last] (windows end at these
// dates).
func (e *Engine) load(ctx context.Context, first, last time.Time) (*facts, error) {
	key := first.Format(time.DateOnly) + "|" + last.Format(time.DateOnly)
	return e.cache.facts.get(e.cache.keepFacts, key, func() (*facts, error) { return e.loadFacts(ctx, first, last) })
}

// KeepFacts makes the engine keep the facts it reads (a few recent spans of dates)
// for later calls: for a store that does not change while the engine lives, such as one
// opened read-only by serve or a read command. Call it before the engine is used.
func (e *Engine) KeepFacts() { e.cache.keepFacts = true }

// DropKept forgets what the engine keeps between calls (facts, lagged scores, force
// records, vote coverage); the next calls read them again. Safe during other calls.
func (e *Engine) DropKept() {
	e.cache.facts.clear()
	e.cache.lags.clear()
	e.cache.force.clear()
	e.cache.forceRows.clear()
	e.cache.voteCov.clear()
	e.cache.forceCov.clear()
}

// loadSpan is the span of whole years [first, last) whose facts loadFrames loads for
// the window [prev, at): last the first 1 January on or after at, first two years
// before it, or prev's 1 January when that is earlier.
func loadSpan(prev, at time.Time) (first, last time.Time) {
	last = time.Date(at.Year(), 1, 1, 0, 0, 0, 0, time.UTC)
	if last.Before(at) {
		last = last.AddDate(1, 0, 0)
	}
	first = last.AddDate(-2, 0, 0)
	if prev.Before(first) {
		first = time.Date(prev.Year(), 1, 1, 0, 0, 0, 0, time.UTC)
	}
	return first, last
}

// ballotsFrom is where the roll calls of a load from first start: 24 months earlier, for
// the UN windows that extend back when short (first lies at least a year before the
// date, so windows of up to 36 months stay within).
func ballotsFrom(first time.Time) time.Time { return first.AddDate(0, -24, 0) }

// loadFacts reads the facts of load from the store, its independent reads at once
// (readAll).
func (e *Engine) loadFacts(ctx context.Context, first, last time.Time) (*facts, error) {
	f := &facts{from: first, to: last, allianceYears: map[int]*signal.AllianceYear{}}
	window := ballotsFrom(first)
	var cov []entente.SourceCoverage
	var bs []entente.Ballot
	var ms []entente.Membership
	err := readAll(ctx,
		func(ctx context.Context) (err error) {
			cov, err = e.voteCoverage(ctx)
			return err
		},
		func(ctx context.Context) (err error) {
			bs, err = e.src.Ballots(ctx, entente.BallotQuery{From: window, To: last})
			return err
		},
		func(ctx context.Context) (err error) {
			evFrom := first.AddDate(-int(e.cfg.EventHorizon+1), 0, 0)
			f.events, err = e.src.EventSignals(ctx, entente.EventQuery{From: evFrom, To: last, By: "month"})
			return err
		},
		func(ctx context.Context) (err error) {
			aidFrom := first.AddDate(-int(e.cfg.AidHorizon+1), 0, 0)
			f.aid, err = e.src.AidSignals(ctx, entente.EventQuery{From: aidFrom, To: last, By: "month"})
			return err
		},
		func(ctx context.Context) (err error) {
			actFrom := first.AddDate(-int(e.cfg.ActHorizon+1), 0, 0)
			f.acts, err = e.src.Acts(ctx, entente.ActQuery{From: actFrom, To: last})
			return err
		},
		func(ctx context.Context) (err error) {
			if f.allianceFirst, f.allianceLast, err = e.src.AllianceCoverage(ctx); err != nil {
				return err
			}
			// The ATOP years of the span's ends, which its frames read.
			for _, y := range []int{f.atopYear(first.AddDate(0, 0, -1)), f.atopYear(last.AddDate(0, 0, -1))} {
				if _, err := e.allianceYear(ctx, f, y); err != nil {
					return err
				}
			}
			return nil
		},
		func(ctx context.Context) (err error) {
			ms, err = e.src.Memberships(ctx, "", window, last)
			return err
		},
		func(ctx context.Context) (err error) {
			f.ideal, err = e.loadIdeal(ctx, first.Year()-4, last.Year())
			return err
		},
		func(ctx context.Context) (err error) {
			f.forceCov, err = e.forceCoverage(ctx)
			return err
		},
	)
	if err != nil {
		return nil, err
	}
	f.ballots = entente.SelectByPrecedence(bs, cov)
	f.spells, f.members = e.mergeSpells(ms)
	return f, nil
}

// readAll runs the reads at once, each with a context that ends at the first failure
// (or when ctx does), and returns when all have: nil, or the first error. The reads of a
// cold load are independent; run in turn they wait on each other (the store's pool
// gives each its own connection).
func readAll(ctx context.Context, reads ...func(context.Context) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	var once sync.Once
	var first error
	for _, read := range reads {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := read(ctx); err != nil {
				once.Do(func() {
					first = err
					cancel()
				})
			}
		}()
	}
	wg.Wait()
	return first
}

// forceCoverage returns the stored force sources' years (nil: none, or a store
// without force data), kept after the first call by an engine that keeps its facts.
func (e *Engine) forceCoverage(ctx context.Context) ([]entente.SourceYears, error) {
	cs := e.conflicts()
	if cs == nil {
		return nil, nil
	}
	return e.cache.forceCov.get(e.cache.keepFacts, "", func() ([]entente.SourceYears, error) { return cs.ForceCoverage(ctx) })
}

// loadFrames reads the facts of the frames of focal at date at and at its lag prev
// (load, for whole years), and beside them the focal state's force records from the
// first year each frame reads (nearby dates share these), which the frames then find
// kept. The lag's are left when its scores are kept already.
func (e *Engine) loadFrames(ctx context.Context, fc entente.Country, prev, at time.Time) (*facts, error) {
	dates := []time.Time{at}
	if !e.cache.lags.has(e.cache.keepFacts, e.lagKey(fc, prev)) {
		dates = append(dates, prev)
	}
	// The facts of whole years: the dates after one new year up to the next, and their
	// lags, share one load (and one set of reads, which a read cache keeps); a frame
	// reads only its window.
	first, last := loadSpan(prev, at)
	var f *facts
	reads := []func(context.Context) error{func(ctx context.Context) (err error) {
		f, err = e.load(ctx, first, last)
		return err
	}}
	froms := map[int]bool{}
	for _, d := range dates {
		if from, _, _ := e.forceYears(d); !froms[from] {
			froms[from] = true
			reads = append(reads, func(ctx context.Context) error {
				cov, err := e.forceCoverage(ctx)
				if err == nil {
					_, err = e.loadForce(ctx, cov, fc, from)
				}
				return err
			})
		}
	}
	if err := readAll(ctx, reads...); err != nil {
		return nil, err
	}
	return f, nil
}

// mergeSpells joins the bloc registry's spells with the store's spells of the same
// blocs. A store spell that repeats a registry spell (same state, bloc, start and
// status) is dropped.
func (e *Engine) mergeSpells(ms []entente.Membership) (byState, byBloc map[string][]spell) {
	byState, byBloc = map[string][]spell{}, map[string][]spell{}
	seen := map[string]bool{}
	add := func(s spell) {
		key := s.state + "|" + s.bloc + "|" + s.from.Format(time.DateOnly) + "|" + s.status
		if seen[key] {
			return
		}
		seen[key] = true
		byState[s.state] = append(byState[s.state], s)
		byBloc[s.bloc] = append(byBloc[s.bloc], s)
	}
	if e.blocs != nil {
		for _, m := range e.blocs.All() {
			add(spell{bloc: m.Bloc, state: m.State, member: m.Status == bloc.StatusMember, status: string(m.Status),
				from: m.From, until: m.Until, cites: m.Sources})
		}
	}
	for _, m := range ms {
		code := strings.ToUpper(m.Org)
		if _, ok := e.cfg.BlocWeights[code]; !ok {
			continue
		}
		until := m.End
		if !until.IsZero() {
			until = until.AddDate(0, 0, 1) // End is the last day
		}
		if m.Censored {
			continue // the dataset stopped, not the membership: the registry knows better
		}
		add(spell{bloc: code, state: m.State, member: m.Status == "" || m.Status == entente.StatusMember, status: m.Status,
			from: m.Begin, until: until, cites: m.Cites})
	}
	return byState, byBloc
}

// blocsOf returns the spells of state active at day at.
func (f *facts) blocsOf(state string, at time.Time) []spell {
	var out []spell
	for _, s := range f.spells[state] {
		if s.active(at) {
			out = append(out, s)
		}
	}
	return out
}

// isMember reports whether state is a full member of bloc at day at.
func (f *facts) isMember(state, bloc string, at time.Time) bool {
	for _, s := range f.spells[state] {
		if s.bloc == bloc && s.member && s.active(at) {
			return true
		}
	}
	return false
}

// membersOf returns the full members of bloc at day at.
func (f *facts) membersOf(bloc string, at time.Time) []string {
	var out []string
	for _, s := range f.members[bloc] {
		if s.member && s.active(at) && !slices.Contains(out, s.state) {
			out = append(out, s.state)
		}
	}
	return out
}

// allianceYear returns the ATOP year with the ties of every state, or nil when the
// year is outside the data's coverage: the one alliance-year builder
// (signal.BuildAllianceYear over the year's system). The system is the registry's
// states of the year (signal.SystemStates) and, for the index, also the states the
// year's ties name that the registry does not place in the year (Japan in 1951, West
// Germany in 1954, Taiwan...): they count as third states of every portfolio. The
// alliances ranking and the ties report, which name the states they list, use the
// registry's system only (f.systemOnly), as they did before the engine was one; the
// difference is documented in docs/ties.md.
func (e *Engine) allianceYear(ctx context.Context, f *facts, year int) (*signal.AllianceYear, error) {
	if f.allianceLast == 0 || year < f.allianceFirst || year > f.allianceLast {
		return nil, nil
	}
	f.allianceMu.Lock()
	defer f.allianceMu.Unlock()
	if y, ok := f.allianceYears[year]; ok {
		return y, nil
	}
	ties, err := e.src.Alliances(ctx, year, 0)
	if err != nil {
		return nil, err
	}
	states := signal.SystemStates(e.countries.All(), year)
	if !f.systemOnly {
		seen := map[int]bool{}
		for _, c := range states {
			seen[c] = true
		}
		for _, t := range ties {
			for _, cc := range []int{t.A, t.B} {
				if !seen[cc] {
					seen[cc] = true
					states = append(states, cc)
				}
			}
		}
	}
	y, _ := signal.BuildAllianceYear(year, states, ties)
	f.allianceYears[year] = y
	return y, nil
}

// allianceFacts returns facts that hold only the ATOP coverage, for the alliance year
// of the alliances ranking and the ties report (the registry's system only).
func (e *Engine) allianceFacts(ctx context.Context) (*facts, error) {
	f := &facts{allianceYears: map[int]*signal.AllianceYear{}, systemOnly: true}
	var err error
	f.allianceFirst, f.allianceLast, err = e.src.AllianceCoverage(ctx)
	return f, err
}
