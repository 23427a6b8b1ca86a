package main

// End-to-end tests of import idealpoints, idealpoints and similarity --metric ipd, on
// the testdata excerpts (the published-file excerpts of ingest/idealpoints/testdata and
// the vote excerpts of testdata/).

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const ipExcerpts = "../../ingest/idealpoints/testdata/"

func TestImportIdealPoints(t *testing.T) {
	db := newDB(t)
	files := []string{ipExcerpts + "july2025.csv", ipExcerpts + "humanrights2020.csv"}
	r := mustRun(t, db, append([]string{"import", "idealpoints", "--format", "csv", "--quiet"}, files...)...)
	read, imp, quar, dup := reportTotals(t, r.stdout)
	if read != 6 || imp != 6 || quar != 0 || dup != 0 {
		t.Fatalf("first import: read %d imported %d quarantined %d duplicate %d\n%s", read, imp, quar, dup, r.stdout)
	}
	r = mustRun(t, db, append([]string{"import", "idealpoints", "--format", "csv", "--quiet"}, files...)...)
	if read, imp, _, dup := reportTotals(t, r.stdout); read != 6 || imp != 0 || dup != 6 {
		t.Fatalf("re-import: read %d imported %d duplicate %d, want 6 0 6", read, imp, dup)
	}
	r = mustRun(t, db, "idealpoints", "--source", "bsv", "--state", "USA", "--format", "csv")
	tb := parseCSV(t, r.stdout)
	if len(tb.rows) != 2 { // 1946 and 1947; 2024 has no "all" estimate
		t.Fatalf("USA all: %s", r.stdout)
	}
	row := tb.one(t, "year", "1946")
	if !near(t, row["x"], 1.8877739906311) || !near(t, row["lo"], 1.30375397205353) || !near(t, row["hi"], 2.55416107177734) || row["votes"] != "39" {
		t.Errorf("USA 1946: %v", row)
	}
	r = mustRun(t, db, "idealpoints", "--source", "bsv", "--variant", "fp", "--from", "2024", "--format", "csv")
	if tb := parseCSV(t, r.stdout); len(tb.rows) != 1 || tb.rows[0]["iso3"] != "USA" {
		t.Errorf("fp 2024: %s", r.stdout)
	}
	r = mustRun(t, db, "idealpoints", "--source", "bsv", "--variant", "apr2020_humanrights", "--format", "csv")
	if tb := parseCSV(t, r.stdout); len(tb.rows) != 2 || tb.rows[0]["year"] != "1970" {
		t.Errorf("human rights: %s", r.stdout)
	}
}

func TestImportIdealPointsBadInput(t *testing.T) {
	db := newDB(t)
	dir := t.TempDir()
	b, err := os.ReadFile(ipExcerpts + "july2025.csv")
	if err != nil {
		t.Fatal(err)
	}
	bad := strings.Replace(string(b), ",1947,", ",19x7,", 1)
	path := filepath.Join(dir, "bad.csv")
	if err := os.WriteFile(path, []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	r := mustRun(t, db, "import", "idealpoints", path, "--format", "csv")
	if read, imp, quar, _ := reportTotals(t, r.stdout); read != 4 || imp != 3 || quar != 1 {
		t.Fatalf("read %d imported %d quarantined %d, want 4 3 1\n%s", read, imp, quar, r)
	}
	q := mustRun(t, db, "quarantine", "--format", "csv")
	if !strings.Contains(q.stdout, "bad.csv") || !strings.Contains(q.stdout, "year") {
		t.Errorf("quarantine does not name the file and field:\n%s", q.stdout)
	}
	// A file of another layout is refused whole, naming file and line.
	wantExit(t, db, 2, []string{"voeten_excerpt.csv", ":1"}, "import", "idealpoints", "testdata/voeten_excerpt.csv")
}

func TestIdealPointsEstimateAndIPD(t *testing.T) {
	db := excerptDB(t)
	r := mustRun(t, db, "idealpoints", "--boot", "10", "--format", "csv")
	tb := parseCSV(t, r.stdout)
	if len(tb.rows) == 0 {
		t.Fatalf("no points:\n%s", r)
	}
	for _, row := range tb.rows {
		lo, x, hi := num(t, row["lo"]), num(t, row["x"]), num(t, row["hi"])
		if !(lo <= x && x <= hi) || row["source"] != "entente" {
			t.Errorf("point outside its interval or wrong source: %v", row)
		}
	}
	a := tb.rows[0]
	r = mustRun(t, db, "similarity", a["iso3"], tb.rows[1]["iso3"], "--metric", "ipd", "--format", "csv")
	ipd := parseCSV(t, r.stdout)
	if len(ipd.rows) == 0 {
		t.Fatalf("no ipd rows:\n%s", r)
	}
	for _, row := range ipd.rows {
		d := num(t, row["ipd"])
		if d < 0 || num(t, row["ipd_lo"]) > d || num(t, row["ipd_hi"]) < d {
			t.Errorf("ipd row %v", row)
		}
	}
	wantExit(t, db, 2, []string{"--refit"}, "idealpoints", "--source", "bsv", "--refit")
}
