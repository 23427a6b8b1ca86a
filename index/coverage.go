package index

import (
	"context"
	"fmt"
	"time"

	"github.com/entente/entente"
)

// CoverageFacts is the part of the store that DataCoverage reads. entente.Store
// implements it.
type CoverageFacts interface {
	VoteCoverage(ctx context.Context, issue string) ([]entente.SourceCoverage, error)
	Ballots(ctx context.Context, q entente.BallotQuery) ([]entente.Ballot, error)
	EventSignals(ctx context.Context, q entente.EventQuery) ([]entente.EventSignal, error)
	AidSignals(ctx context.Context, q entente.EventQuery) ([]entente.AidSignal, error)
	Acts(ctx context.Context, q entente.ActQuery) ([]entente.Act, error)
}

// SignalCoverage is what the store holds for one signal: the dates its data covers and
// how much of it lies in an answer's window, so that a hole in the sources is said,
// not silently read as "no relation".
type SignalCoverage struct {
	First    string `json:"first"`     // first date (or month) with data; "" for none
	Last     string `json:"last"`      // last date (or month) with data
	InWindow int64  `json:"in_window"` // evidence items in the window
	Unit     string `json:"unit"`      // what InWindow counts
	Scope    string `json:"scope"`     // whose data: every state, or the focal state's (pair's)
	Note     string `json:"note,omitempty"`
}

// DataCoverage reports, for the signals read from stored records (unvotes, events, aid,
// ledger), the data's date range and how much evidence lies in [from, to): UN roll
// calls of every state; the events, aid months and ledger acts of focal (and other,
// when set: the pair's). A window that reaches past a signal's last data, or that lies
// before its first, carries a note: evidence there is unknown, not a change.
func DataCoverage(ctx context.Context, f CoverageFacts, focal, other string, from, to time.Time) (map[string]SignalCoverage, error) {
	out := map[string]SignalCoverage{}
	scope := focal
	if other != "" {
		scope = focal + "–" + other
	}
	cov, err := f.VoteCoverage(ctx, "")
	if err != nil {
		return nil, fmt.Errorf("coverage: %w", err)
	}
	var first, last time.Time
	for _, c := range cov {
		if c.RollCalls == 0 {
			continue
		}
		if first.IsZero() || c.First.Before(first) {
			first = c.First
		}
		if c.Last.After(last) {
			last = c.Last
		}
	}
	// The roll calls of the index's own load for the window (loadSpan), counted in the
	// window: one read for every window of the same years, which a read cache keeps.
	loadFirst, loadLast := loadSpan(from, to)
	bs, err := f.Ballots(ctx, entente.BallotQuery{From: ballotsFrom(loadFirst), To: loadLast})
	if err != nil {
		return nil, fmt.Errorf("coverage: %w", err)
	}
	un := SignalCoverage{Unit: "roll calls", Scope: "all states"}
	for _, b := range bs {
		if !b.Date.Before(from) && b.Date.Before(to) {
			un.InWindow++
		}
	}
	if !first.IsZero() {
		un.First, un.Last = first.Format(time.DateOnly), last.Format(time.DateOnly)
	}
	un.Note = windowNote(un.First, un.Last, from, to)
	out[SigUNVotes] = un

	evs, err := f.EventSignals(ctx, entente.EventQuery{By: "month", A: focal, B: other})
	if err != nil {
		return nil, fmt.Errorf("coverage: %w", err)
	}
	ev := SignalCoverage{Unit: "events", Scope: scope}
	for _, s := range evs {
		ev.First, ev.Last = minStr(ev.First, s.Period), max(ev.Last, s.Period)
		if monthInWindow(s.Period, from, to) {
			ev.InWindow += s.N
		}
	}
	ev.Note = windowNote(ev.First, ev.Last, from, to)
	out[SigEvents] = ev

	aid, err := f.AidSignals(ctx, entente.EventQuery{By: "month", A: focal, B: other})
	if err != nil {
		return nil, fmt.Errorf("coverage: %w", err)
	}
	ac := SignalCoverage{Unit: "months with aid", Scope: scope}
	for _, s := range aid {
		ac.First, ac.Last = minStr(ac.First, s.Period), max(ac.Last, s.Period)
		if monthInWindow(s.Period, from, to) {
			ac.InWindow++
		}
	}
	ac.Note = windowNote(ac.First, ac.Last, from, to)
	out[SigAid] = ac

	q := entente.ActQuery{Either: focal, Other: other}
	acts, err := f.Acts(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("coverage: %w", err)
	}
	lc := SignalCoverage{Unit: "acts", Scope: scope}
	for _, a := range acts {
		d := a.Date.Format(time.DateOnly)
		lc.First, lc.Last = minStr(lc.First, d), max(lc.Last, d)
		if !a.Date.Before(from) && a.Date.Before(to) {
			lc.InWindow++
		}
	}
	out[SigLedger] = lc // acts are sparse by nature: no end of data to flag
	return out, nil
}

func minStr(a, b string) string {
	if a == "" || b < a {
		return b
	}
	return a
}

// monthInWindow reports whether the month "YYYY-MM" overlaps [from, to).
func monthInWindow(period string, from, to time.Time) bool {
	m, err := time.Parse("2006-01", period)
	if err != nil {
		return false
	}
	return m.Before(to) && !m.AddDate(0, 1, 0).Before(from.AddDate(0, 0, 1))
}

// windowNote says when the window [from, to) reaches past the data's last date or
// lies before its first (dates "YYYY-MM-DD" or months "YYYY-MM").
func windowNote(first, last string, from, to time.Time) string {
	if first == "" {
		return "no data stored: unknown, not neutral"
	}
	end := to.AddDate(0, 0, -1).Format(time.DateOnly)[:len(last)]
	start := from.Format(time.DateOnly)[:len(first)]
	switch {
	case end > last && start > last:
		return "the window lies after the last data (" + last + "): unknown, not a change"
	case end > last:
		return "the data end " + last + ", before the window does: its end is unknown"
	case end < first:
		return "the window lies before the first data (" + first + ")"
	}
	return ""
}
