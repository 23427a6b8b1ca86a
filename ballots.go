package entente

import (
	"context"
	"time"
)

// BallotSource is the part of VoteStore that LoadBallots reads.
type BallotSource interface {
	VoteCoverage(ctx context.Context, issue string) ([]SourceCoverage, error)
	Ballots(ctx context.Context, q BallotQuery) ([]Ballot, error)
}

// LoadBallots is the one ballot loader: the roll calls of q with, for each date, the
// votes of one source only (SelectByPrecedence over the store-wide coverage, so the
// choice of source does not depend on the window). It returns the coverage of q.Issue
// too; a store without any roll call (of that issue) gives no ballots and no error.
func LoadBallots(ctx context.Context, src BallotSource, q BallotQuery) ([]Ballot, []SourceCoverage, error) {
	cov, err := src.VoteCoverage(ctx, q.Issue)
	if err != nil {
		return nil, nil, err
	}
	bs, err := src.Ballots(ctx, q)
	if err != nil {
		return nil, cov, err
	}
	return SelectByPrecedence(bs, cov), cov, nil
}

// CoverageSpan returns the first and last roll-call dates over every source of cov
// (zero when cov is empty): the one "latest roll call" loop.
func CoverageSpan(cov []SourceCoverage) (first, last time.Time) {
	for _, c := range cov {
		if c.Last.After(last) {
			last = c.Last
		}
		if first.IsZero() || c.First.Before(first) {
			first = c.First
		}
	}
	return first, last
}
