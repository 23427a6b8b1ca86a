package main

import (
	"context"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/entente/entente"
	"github.com/entente/entente/signal"
)

// parseMetrics turns --metric (a name, a comma list or "all") into indexes into
// entente.SimilarityMetrics.
func parseMetrics(s string) ([]int, error) {
	if s == "all" {
		idx := make([]int, entente.NumSimilarityMetrics)
		for i := range idx {
			idx[i] = i
		}
		return idx, nil
	}
	var idx []int
	for _, name := range strings.Split(s, ",") {
		name = strings.TrimSpace(strings.ToLower(name))
		i := slices.Index(entente.SimilarityMetrics, name)
		if i < 0 {
			return nil, usagef("unknown metric %q: want one of %s, or all", name, strings.Join(entente.SimilarityMetrics, ", "))
		}
		if !slices.Contains(idx, i) {
			idx = append(idx, i)
		}
	}
	return idx, nil
}

func metricColumns(idx []int) []string {
	cols := make([]string, len(idx))
	for i, m := range idx {
		cols[i] = entente.SimilarityMetrics[m]
	}
	return cols
}

func parseIssue(s string) (string, error) {
	if s == "" {
		return "", nil
	}
	s = strings.ToLower(s)
	if _, ok := entente.Issues[s]; !ok {
		return "", usagef("unknown issue %q: want one of %s", s, strings.Join(sortedKeys(entente.Issues), ", "))
	}
	return s, nil
}

// ballots loads the roll calls of [from, to) with the issue filter and keeps, for each
// date, the votes of one source only (entente.SelectByPrecedence).
func ballots(ctx context.Context, st entente.Store, from, to time.Time, issue string) ([]entente.Ballot, error) {
	cov, err := st.VoteCoverage(ctx, issue)
	if err != nil {
		return nil, err
	}
	bs, err := st.Ballots(ctx, entente.BallotQuery{From: from, To: to, Issue: issue})
	if err != nil {
		return nil, err
	}
	if len(cov) == 0 {
		what := "no UN votes in the store"
		if issue != "" {
			what = "no UN roll calls coded with issue " + issue + " in the store"
		}
		return nil, entente.Errorf(entente.ENOTFOUND, "%s: run 'entente import unvotes FILE...' first", what)
	}
	return entente.SelectByPrecedence(bs, cov), nil
}

// periodFunc returns the grouping for --by.
func periodFunc(by string, from, to time.Time) (signal.Period, error) {
	switch by {
	case "year":
		return signal.ByYear(), nil
	case "month":
		return signal.ByMonth(), nil
	case "session":
		return signal.BySession(), nil
	case "range":
		return signal.ByRange(from, to), nil
	}
	return nil, usagef("--by %q: want year, session, month or range", by)
}

// periodDates returns, for each period, the date of its last roll call: the day at
// which its states are named (COW 365 is the USSR in 1990 and Russia in 1992).
func periodDates(bs []entente.Ballot, period signal.Period) map[string]time.Time {
	last := make(map[string]time.Time)
	for i := range bs {
		p := period(&bs[i])
		if bs[i].Date.After(last[p]) {
			last[p] = bs[i].Date
		}
	}
	return last
}

// label names the state with COW number ccode at day at.
func (a *app) label(ccode int, at time.Time) entente.Country {
	if c, ok := a.countries.ByCOW(ccode, at); ok {
		return c
	}
	if c, ok := a.countries.ByCOW(ccode, time.Time{}); ok {
		return c
	}
	return entente.Country{ID: "", COW: ccode}
}

func metricValues(s *entente.Similarity, idx []int, out []any) []any {
	for _, m := range idx {
		v := s.Values[m]
		if math.IsNaN(v) {
			out = append(out, nil)
		} else {
			out = append(out, v)
		}
	}
	return out
}
