package main

import (
	"slices"
	"strings"

	"github.com/entente/entente"
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
