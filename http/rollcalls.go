package http

import (
	"context"
	"time"

	"github.com/entente/entente"
)

// RollCallReader is a store that can read roll calls' titles and links; the DuckDB
// store implements it. Where Facts does not, the evidence carries no titles.
type RollCallReader interface {
	RollCallsBetween(ctx context.Context, from, to time.Time) ([]entente.RollCall, error)
}

// titleRollCalls adds the resolution, title and link of each roll call the store
// describes.
func (s *Server) titleRollCalls(ctx context.Context, rcs []RollCallVote, from, to time.Time) error {
	rr, ok := s.Facts.(RollCallReader)
	if !ok || len(rcs) == 0 {
		return nil
	}
	all, err := rr.RollCallsBetween(ctx, from, to)
	if err != nil {
		return err
	}
	byKey := make(map[[2]string]entente.RollCall, len(all))
	for _, rc := range all {
		byKey[[2]string{rc.Source, rc.ID}] = rc
	}
	for i := range rcs {
		rc, ok := byKey[[2]string{rcs[i].Source, rcs[i].ID}]
		if !ok {
			continue
		}
		rcs[i].Title, rcs[i].Resolution = rc.Title, rc.Resolution
		if rcs[i].URL == "" && rc.URL != "" {
			rcs[i].URL = rc.URL
		}
	}
	return nil
}
