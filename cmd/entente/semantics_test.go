package main

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestStateNotAtDate checks that a state named at a date it did not exist is bad input
// (exit 2) with a message naming the state and its spells, in rank, explain and the
// panel, rather than an answer for its latest spell or an empty table.
func TestStateNotAtDate(t *testing.T) {
	db := indexDB(t)
	kor := "cow:KOR names Korea (XKO), which did not exist on 2020-12-31: it existed 1887-01-01 to 1905-11-17"
	mda := "Moldova (MDA) did not exist on 1985-12-31: it exists from 1991-12-26"
	wantExit(t, db, 2, []string{kor}, "rank", "cow:KOR", "--at", "2020")
	wantExit(t, db, 2, []string{mda}, "rank", "Moldova", "--at", "1985")
	wantExit(t, db, 2, []string{mda}, "rank", "Moldova", "--at", "1985", "--signal", "unvotes")
	wantExit(t, db, 2, []string{mda}, "explain", "SUN", "Moldova", "--at", "1985")
	wantExit(t, db, 2, []string{"Russia (RUS) did not exist on 1985-12-31", "COW 365 was Soviet Union (SUN) then"}, "rank", "RUS", "--at", "1985")
	// Without a date the latest spell is meant, and a date it existed is fine.
	mustRun(t, db, "rank", "Moldova", "--at", "2024")
}

// TestRankLeftOutNote checks that rank names the states it leaves out, with why, in its
// note: as many as it counts (named, or counted beyond the first 20), none of them
// ranked.
func TestRankLeftOutNote(t *testing.T) {
	db := indexDB(t)
	r := mustRun(t, db, "rank", "RUS", "--at", "2024", "--format", "csv")
	m := regexp.MustCompile(`\((\d+) without evidence left out\)`).FindStringSubmatch(r.stderr)
	if m == nil {
		t.Fatalf("no count of the states left out:\n%s", r.stderr)
	}
	unknown, _ := strconv.Atoi(m[1])
	ranked := map[string]bool{}
	for _, row := range parseCSV(t, r.stdout).rows {
		ranked[row["iso3"]] = true
	}
	named, more := 0, 0
	id := regexp.MustCompile(`\(([A-Z]{3})\)`)
	for _, line := range strings.Split(r.stderr, "\n") {
		if !strings.HasPrefix(line, "left out: ") {
			continue
		}
		if n, err := strconv.Atoi(strings.Fields(line)[2]); err == nil && strings.Contains(line, "more states") {
			more = n
			continue
		}
		names, why, ok := strings.Cut(strings.TrimPrefix(line, "left out: "), ": ")
		if !ok || !strings.HasPrefix(why, "no direct evidence") {
			t.Errorf("left-out line %q: want names: why", line)
		}
		for _, x := range id.FindAllStringSubmatch(names, -1) {
			named++
			if ranked[x[1]] {
				t.Errorf("%s is ranked and named as left out", x[1])
			}
		}
	}
	if unknown == 0 || named+more != unknown || named == 0 {
		t.Errorf("%d left out, %d named and %d counted in the note:\n%s", unknown, named, more, r.stderr)
	}
	if !strings.Contains(r.stderr, "New Zealand (NZL)") && more == 0 {
		t.Errorf("New Zealand, without evidence, is not named:\n%s", r.stderr)
	}
}
