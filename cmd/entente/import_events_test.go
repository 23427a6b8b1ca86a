package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The GDELT and Kiel excerpts of the ingest packages (their testdata/README.md).
var (
	gdeltTestdata = filepath.Join("..", "..", "ingest", "gdelt", "testdata")
	aidTestdata   = filepath.Join("..", "..", "ingest", "aid", "testdata")
)

func TestImportGDELTExcerpts(t *testing.T) {
	db := newDB(t)
	r := mustRun(t, db, "import", "gdelt", gdeltTestdata, "--format", "csv")
	tb := checkReportCSV(t, r.stdout)
	want := map[string]struct {
		layout string
		read   int
	}{
		"export_20150218230000_excerpt.tsv":   {"GDELT 2.0 export", 12},
		"export_20180101000000_excerpt.tsv":   {"GDELT 2.0 export", 21},
		"export_head_excerpt.tsv":             {"GDELT 2.0 export", 7},
		"mentions_20150218230000_excerpt.tsv": {"GDELT 2.0 mentions", 12},
		"v1_events_excerpt.tsv":               {"GDELT 1.0 events", 21},
	}
	if len(tb.rows) != len(want) {
		t.Fatalf("%d files imported, want %d (the folder's .tsv files, not its README)", len(tb.rows), len(want))
	}
	for _, row := range tb.rows {
		w, ok := want[filepath.Base(row["file"])]
		if !ok || row["layout"] != w.layout || atoi(t, row["read"]) != w.read {
			t.Errorf("report row %v, want %+v", row, w)
		}
	}
	for _, s := range []string{"line 1 is a header row", "country codes that are not states", "AFR 1", "re-emitted near-duplicates"} {
		if !strings.Contains(r.stderr, s) {
			t.Errorf("notes lack %q:\n%s", s, r.stderr)
		}
	}
	// AUS → NZL, 2014-02: four rows of one article with one event code are one event.
	ev := parseCSV(t, mustRun(t, db, "events", "AUS", "NZL", "--format", "csv").stdout)
	if row := ev.one(t, "iso3_a", "AUS", "iso3_b", "NZL", "period", "2014-02"); row["n"] != "1" || row["verbal_coop"] != "1" {
		t.Errorf("AUS → NZL 2014-02: %v, want one verbal cooperation event", row)
	}

	// Re-importing adds nothing.
	r = mustRun(t, db, "import", "gdelt", gdeltTestdata, "--format", "csv", "--quiet")
	for _, row := range checkReportCSV(t, r.stdout).rows {
		if row["imported"] != "0" {
			t.Errorf("re-import: %v", row)
		}
	}
}

func TestImportGDELTPathsAndQuarantine(t *testing.T) {
	dir := t.TempDir()
	b, err := os.ReadFile(filepath.Join(gdeltTestdata, "export_20150218230000_excerpt.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	lines := bytes.SplitAfter(b, []byte("\n"))
	lines[2] = []byte("410412349\tonly\tthree\n")
	os.WriteFile(filepath.Join(dir, "20150218230000.export.CSV"), bytes.Join(lines, nil), 0o644)
	os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("not GDELT\n"), 0o644)
	db := newDB(t)
	r := mustRun(t, db, "import", "gdelt", filepath.Join(dir, "*.CSV"), "--format", "csv")
	tb := checkReportCSV(t, r.stdout)
	if len(tb.rows) != 1 || tb.rows[0]["quarantined"] != "1" || tb.rows[0]["read"] != "12" {
		t.Errorf("report %v", tb.rows)
	}
	q := mustRun(t, db, "quarantine", "--format", "csv")
	if !strings.Contains(q.stdout, "wrong number of fields") || !strings.Contains(q.stdout, "20150218230000.export.CSV") {
		t.Errorf("quarantine:\n%s", q.stdout)
	}
	wantExit(t, db, 2, []string{"no such file"}, "import", "gdelt", filepath.Join(dir, "missing.CSV"))
	wantExit(t, db, 2, []string{"folder holds no"}, "import", "gdelt", t.TempDir())
}

func TestImportAid(t *testing.T) {
	db := newDB(t)
	r := mustRun(t, db, "import", "aid", aidTestdata, "--format", "csv")
	tb := checkReportCSV(t, r.stdout)
	if len(tb.rows) != 1 || tb.rows[0]["read"] != "33" || tb.rows[0]["imported"] != "33" ||
		tb.rows[0]["layout"] != "Ukraine Support Tracker, release 29" {
		t.Errorf("report %v", tb.rows)
	}
	if !strings.Contains(r.stderr, "EU (Commission and Council) (EU) 3 rows") {
		t.Errorf("notes:\n%s", r.stderr)
	}
	r = mustRun(t, db, "import", "aid", filepath.Join(aidTestdata, "kiel_ust_data_explorer.csv"),
		filepath.Join(aidTestdata, "kiel_ust_release_info.csv"), "--format", "csv")
	if tb := checkReportCSV(t, r.stdout); len(tb.rows) != 1 || tb.rows[0]["duplicate"] != "33" {
		t.Errorf("re-import: %v", tb.rows)
	}
	wantExit(t, db, 2, []string{"no data explorer file"}, "import", "aid", filepath.Join(aidTestdata, "kiel_ust_release_info.csv"))
}
