package index

import (
	"context"
	"time"

	"github.com/entente/entente"
)

// CheckDataEnd refuses (EINVALID: exit 2, HTTP 400) an index date whose window [at − 12
// months, at) starts after the store's data end: after its last UN roll call, with no
// event month, aid month or ledger act dated on or after the window's start. There the
// index is unknown, and a ranking from formal ties and decayed old acts alone would read
// as a present it knows nothing of. The UN record is the index's clock (its default date
// is the day after the last roll call); a store without roll calls has no end to check.
// Every interface asks it before the index at a date: rank, explain, panel and the API.
func (e *Engine) CheckDataEnd(ctx context.Context, at time.Time) error {
	from, _ := e.Window(at)
	cov, err := e.voteCoverage(ctx)
	if err != nil {
		return err
	}
	_, last := entente.CoverageSpan(cov)
	if last.IsZero() || !last.Before(from) {
		return nil
	}
	if evs, err := e.src.EventSignals(ctx, entente.EventQuery{From: from, By: "month"}); err != nil || len(evs) > 0 {
		return err
	}
	if aid, err := e.src.AidSignals(ctx, entente.EventQuery{From: from, By: "month"}); err != nil || len(aid) > 0 {
		return err
	}
	if acts, err := e.src.Acts(ctx, entente.ActQuery{From: from}); err != nil || len(acts) > 0 {
		return err
	}
	return entente.Errorf(entente.EINVALID, "%s lies after the data: the store's last UN roll call is of %s and no event, aid or ledger act is dated from %s on, so the index there is unknown (ask for %s or earlier)",
		WindowLabel(from, at), last.Format(time.DateOnly), from.Format(time.DateOnly), last.Format("2006"))
}

// voteCoverage returns the store's vote coverage, kept after the first call by an
// engine that keeps its facts (the store does not change under it).
func (e *Engine) voteCoverage(ctx context.Context) ([]entente.SourceCoverage, error) {
	return e.cache.voteCov.get(e.cache.keepFacts, "", func() ([]entente.SourceCoverage, error) { return e.src.VoteCoverage(ctx, "") })
}
