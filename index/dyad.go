package index

import (
	"context"
	"sort"
	"strconv"
	"time"

	"github.com/entente/entente"
)

// The facts of one dyad that the API shows beside its index: the raw yearly signals
// and the latest evidence items.

// DyadFacts are a dyad's raw signals by year over a span.
type DyadFacts struct {
	UN     []entente.Similarity  // the stored yearly UN similarity of the two (docs/architecture.md)
	Events []entente.EventSignal // both directions
	Aid    []entente.AidSignal   // both directions
}

// DyadFacts returns the raw yearly signals of a and b over [from, to): the UN
// similarity as stored by the last import, events and aid in both directions.
func (e *Engine) DyadFacts(ctx context.Context, a, b entente.Country, from, to time.Time) (*DyadFacts, error) {
	out := &DyadFacts{}
	if a.COW > 0 && b.COW > 0 {
		sims, err := e.src.Similarities(ctx, entente.SimilarityQuery{By: "year", FromPeriod: strconv.Itoa(from.Year()),
			ToPeriod: strconv.Itoa(to.AddDate(0, 0, -1).Year()), CCode: a.COW})
		if err != nil {
			return nil, err
		}
		for _, sm := range sims {
			if sm.A == b.COW || sm.B == b.COW {
				out.UN = append(out.UN, sm)
			}
		}
	}
	q := entente.EventQuery{From: from, To: to, By: "year", A: a.ID, B: b.ID}
	var err error
	if out.Events, err = e.src.EventSignals(ctx, q); err != nil {
		return nil, err
	}
	if out.Aid, err = e.src.AidSignals(ctx, q); err != nil {
		return nil, err
	}
	return out, nil
}

// RollCallVote is one UN roll call both states of a dyad voted in.
type RollCallVote struct {
	Ballot           *entente.Ballot
	A, B             entente.VoteValue
	Yes, Abstain, No int // the roll call's tally
}

// DyadEvidence are the latest evidence items of a dyad, newest first.
type DyadEvidence struct {
	Acts      []entente.Act           // ledger acts between the two up to the date
	Events    []entente.EventEvidence // the most cited article URLs (3 a month) in the window
	RollCalls []RollCallVote          // roll calls in the window where both voted
}

// Evidence returns at most limit items of each kind of evidence between a and b: the
// ledger acts up to at, the event URLs and the roll calls of [from, at).
func (e *Engine) Evidence(ctx context.Context, a, b entente.Country, from, at time.Time, limit int) (*DyadEvidence, error) {
	out := &DyadEvidence{}
	acts, err := e.src.Acts(ctx, entente.ActQuery{Either: a.ID, Other: b.ID, To: at})
	if err != nil {
		return nil, err
	}
	for i := len(acts) - 1; i >= 0 && len(out.Acts) < limit; i-- {
		out.Acts = append(out.Acts, acts[i])
	}
	urls, err := e.src.EventEvidence(ctx, entente.EventQuery{From: from, To: at, By: "month", A: a.ID, B: b.ID}, 3)
	if err != nil {
		return nil, err
	}
	sort.SliceStable(urls, func(i, j int) bool { return urls[i].Period > urls[j].Period })
	out.Events = urls[:min(limit, len(urls))]
	if a.COW == 0 || b.COW == 0 {
		return out, nil
	}
	bs, _, err := entente.LoadBallots(ctx, e.src, entente.BallotQuery{From: from, To: at})
	if err != nil {
		return nil, err
	}
	for i := len(bs) - 1; i >= 0 && len(out.RollCalls) < limit; i-- {
		if rc, ok := rollCallVote(&bs[i], a.COW, b.COW); ok {
			out.RollCalls = append(out.RollCalls, rc)
		}
	}
	return out, nil
}

func rollCallVote(b *entente.Ballot, ca, cb int) (RollCallVote, bool) {
	rc := RollCallVote{Ballot: b}
	for i, c := range b.CCodes {
		switch int(c) {
		case ca:
			rc.A = b.Votes[i]
		case cb:
			rc.B = b.Votes[i]
		}
		switch b.Votes[i] {
		case entente.Yes:
			rc.Yes++
		case entente.Abstain:
			rc.Abstain++
		case entente.No:
			rc.No++
		}
	}
	return rc, rc.A.Cast() && rc.B.Cast()
}

// BySignal returns the scores whose signal k is available, ordered by that signal's
// value, highest first (the order of Scores among equal values).
func (r *Ranking) BySignal(k int) []Score {
	var out []Score
	for _, sc := range r.Scores {
		if sc.Signals[k].Available() {
			out = append(out, sc)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Signals[k].Value > out[j].Signals[k].Value })
	return out
}
