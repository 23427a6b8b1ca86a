package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// sharedData is the folder of real datasets next to the project (../shared/data from the
// project root), seen from this package's folder.
const sharedData = "../../../shared/data"

// TestRealRankRussia2019 is the acceptance test of issue 3 on the full UN vote record:
// Russia's closest and most distant voting partners in 2019 by Cohen's kappa.
func TestRealRankRussia2019(t *testing.T) {
	if testing.Short() {
		t.Skip("imports the full UN vote record; skipped in -short mode")
	}
	dir := filepath.Join(sharedData, "unvotes")
	voeten := filepath.Join(dir, "voeten_votes_1946_2024.csv")
	if _, err := os.Stat(voeten); err != nil {
		abs, _ := filepath.Abs(voeten)
		t.Skipf("real data absent: %s (%v)", abs, err)
	}
	db := newDB(t)
	// Every unvotes file: the Voeten file, the unvotes package files and the 2025 file.
	r := mustRun(t, db, "import", "unvotes", dir, "--format", "csv", "--quiet")
	report := checkReportCSV(t, r.stdout)
	if row := report.one(t, "file", voeten); atoi(t, row["read"]) != 855890 || atoi(t, row["imported"]) < 855000 {
		t.Errorf("Voeten file report %v: want 855,890 rows read and nearly all imported", row)
	}
	if len(report.rows) != 5 {
		t.Errorf("import of %s read %d files, want 5", dir, len(report.rows))
	}

	r = mustRun(t, db, "rank", "RUS", "--at", "2019", "--signal", "unvotes", "--metric", "kappa", "--format", "csv")
	tb := parseCSV(t, r.stdout)
	if got := strings.Join(tb.header, ","); got != "focal,at,rank,iso3,ccode,name,period,n,kappa" {
		t.Errorf("header %q", got)
	}
	if len(tb.rows) < 150 {
		t.Fatalf("%d states ranked, want every UN member (about 190)", len(tb.rows))
	}
	checkOrder(t, tb, "kappa")
	rank := map[string]int{}
	for _, row := range tb.rows {
		rank[row["iso3"]] = atoi(t, row["rank"])
		if row["period"] != "2019" {
			t.Errorf("row %v: period, want 2019", row)
		}
	}
	if _, ok := rank["RUS"]; ok {
		t.Errorf("Russia ranks itself")
	}
	n := len(tb.rows)
	for _, iso3 := range []string{"BLR", "PRK", "CHN", "SYR", "CUB", "IRN", "NIC"} {
		if k, ok := rank[iso3]; !ok || k > 20 {
			t.Errorf("%s ranks %d of %d, want the top 20", iso3, k, n)
		}
	}
	for _, iso3 := range []string{"USA", "ISR", "CAN"} {
		if k, ok := rank[iso3]; !ok || k <= n-20 {
			t.Errorf("%s ranks %d of %d, want the bottom 20", iso3, k, n)
		}
	}

	// The table: the same order, ending with a newline.
	r = mustRun(t, db, "rank", "RUS", "--at", "2019", "--signal", "unvotes", "--metric", "kappa", "--top", "20", "--bottom", "20")
	if !strings.HasSuffix(r.stdout, "\n") || strings.HasSuffix(r.stdout, "\n\n") {
		t.Errorf("table output does not end with exactly one newline: %q", r.stdout[max(0, len(r.stdout)-80):])
	}
	lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
	if len(lines) != 41 {
		t.Errorf("--top 20 --bottom 20: %d lines, want a header and 40 states", len(lines))
	}
	for i, l := range lines[1:] {
		f := strings.Fields(l)
		want := tb.rows[i]
		if i >= 20 {
			want = tb.rows[n-40+i]
		}
		if f[0] != want["rank"] || f[1] != want["iso3"] {
			t.Errorf("table line %q, want rank %s %s", l, want["rank"], want["iso3"])
		}
	}

	// A rank row is the pairwise similarity of that year.
	usa := tb.one(t, "iso3", "USA")
	sim := parseCSV(t, mustRun(t, db, "similarity", "RUS", "USA", "--from", "2019", "--to", "2019", "--metric", "kappa", "--format", "csv").stdout)
	if row := sim.one(t, "period", "2019"); row["kappa"] != usa["kappa"] || row["n"] != usa["n"] {
		t.Errorf("similarity RUS USA 2019 %v, rank row %v", row, usa)
	}
}
