package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/entente/entente/index"
)

// startCoverageNote starts reading the coverage note of focal over [from, to)
// (coverageNote) beside the caller's work, and returns the function that waits for it
// and writes it (or, with write false, stops it and writes nothing). Under --quiet the
// note is not written, so nothing is read. The caller must call the function before it
// closes the store.
func (a *app) startCoverageNote(ctx context.Context, f index.CoverageFacts, focal string, from, to time.Time) func(write bool) error {
	if a.quiet {
		return func(bool) error { return nil }
	}
	ctx, cancel := context.WithCancel(ctx)
	type result struct {
		line string
		err  error
	}
	done := make(chan result, 1)
	go func() {
		line, err := coverageNote(ctx, f, focal, from, to)
		done <- result{line, err}
	}()
	return func(write bool) error {
		if !write {
			cancel()
		}
		r := <-done
		cancel()
		if !write || r.err != nil {
			return r.err
		}
		a.note("%s", r.line)
		return nil
	}
}

// coverageNote is one note line saying, per stored signal, the data's date range and
// the evidence in [from, to) for focal, with a warning where the window reaches past the
// data or none is stored (index.DataCoverage).
func coverageNote(ctx context.Context, f index.CoverageFacts, focal string, from, to time.Time) (string, error) {
	cov, err := index.DataCoverage(ctx, f, focal, "", from, to)
	if err != nil {
		return "", err
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
	return "coverage: " + strings.Join(parts, "; "), nil
}
