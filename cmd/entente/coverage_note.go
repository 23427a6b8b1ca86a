package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/entente/entente/index"
)

// noteCoverage writes one note line saying, per stored signal, the data's date range
// and the evidence in [from, to) for focal, with a warning where the window reaches past
// the data or none is stored (index.DataCoverage).
func (a *app) noteCoverage(ctx context.Context, f index.CoverageFacts, focal string, from, to time.Time) error {
	cov, err := index.DataCoverage(ctx, f, focal, "", from, to)
	if err != nil {
		return err
	}
	var parts []string
	for _, sig := range []string{index.SigUNVotes, index.SigEvents, index.SigAid, index.SigLedger} {
		c, ok := cov[sig]
		if !ok {
			continue
		}
		s := fmt.Sprintf("%s %s..%s, %d %s in window", sig, c.First, c.Last, c.InWindow, c.Unit)
		if c.First == "" {
			s = sig + " none stored"
		}
		if c.Note != "" && c.First != "" {
			s += " (" + c.Note + ")"
		}
		parts = append(parts, s)
	}
	a.note("coverage: %s", strings.Join(parts, "; "))
	return nil
}
