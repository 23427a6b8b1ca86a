package main

import (
	"strconv"
	"testing"
)

// TestEventsUndirected checks that --undirected gives, per period, the sum of both
// directions, with the mean and share recomputed from the sums.
func TestEventsUndirected(t *testing.T) {
	db := newDB(t)
	mustRun(t, db, "import", "gdelt", gdeltTestdata, "--quiet")
	dir := parseCSV(t, mustRun(t, db, "events", "USA", "CHN", "--by", "year", "--format", "csv").stdout)
	both := parseCSV(t, mustRun(t, db, "events", "USA", "CHN", "--by", "year", "--undirected", "--format", "csv").stdout)
	if len(dir.rows) == 0 {
		t.Fatal("no directed rows in the excerpt")
	}
	type sums struct{ n, q1, q2, weight int }
	want := map[string]*sums{}
	for _, r := range dir.rows {
		s := want[r["period"]]
		if s == nil {
			s = &sums{}
			want[r["period"]] = s
		}
		s.n += atoi(t, r["n"])
		s.q1 += atoi(t, r["verbal_coop"])
		s.q2 += atoi(t, r["material_coop"])
		s.weight += atoi(t, r["weight"])
	}
	if len(both.rows) != len(want) {
		t.Fatalf("%d undirected rows for %d periods", len(both.rows), len(want))
	}
	for _, r := range both.rows {
		w := want[r["period"]]
		if r["iso3_a"] != "USA" || r["iso3_b"] != "CHN" || w == nil || atoi(t, r["n"]) != w.n || atoi(t, r["weight"]) != w.weight {
			t.Errorf("row %v, want the sums %+v", r, w)
			continue
		}
		share, _ := strconv.ParseFloat(r["coop_share"], 64)
		if got := float64(w.q1+w.q2) / float64(w.n); share < got-1e-6 || share > got+1e-6 {
			t.Errorf("%s: coop_share %v, want %v", r["period"], share, got)
		}
	}
}
