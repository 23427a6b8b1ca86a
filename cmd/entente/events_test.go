package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestEventsExcerpts(t *testing.T) {
	db := newDB(t)
	mustRun(t, db, "import", "gdelt", gdeltTestdata, "--quiet")
	r := mustRun(t, db, "events", "China", "US", "--from", "2016", "--to", "2016", "--format", "csv", "--evidence", "2")
	tb := parseCSV(t, r.stdout)
	want := "iso3_a,iso3_b,period,n,verbal_coop,material_coop,verbal_conflict,material_conflict,goldstein_sum,goldstein_mean,coop_share,weight,url,url_events,url_sources"
	if got := strings.Join(tb.header, ","); got != want {
		t.Errorf("header %q", got)
	}
	// 2016-07: one CHN → USA event (112, -2, one source) and its article.
	if len(tb.rows) != 2 {
		t.Fatalf("rows:\n%s", r.stdout)
	}
	row := tb.rows[0]
	if row["iso3_a"] != "CHN" || row["iso3_b"] != "USA" || row["period"] != "2016-07" || row["n"] != "1" || row["verbal_conflict"] != "1" ||
		!near(t, row["goldstein_sum"], -2) || !near(t, row["goldstein_mean"], -2) || !near(t, row["coop_share"], 0) || row["weight"] != "1" || row["url"] != "" {
		t.Errorf("signal row %v", row)
	}
	if ev := tb.rows[1]; ev["n"] != "" || !strings.Contains(ev["url"], "morningstaronline") || ev["url_events"] != "1" || ev["period"] != "2016-07" {
		t.Errorf("evidence row %v", ev)
	}
	// By year; JSON nulls for the undefined.
	r = mustRun(t, db, "events", "CHN", "USA", "--by", "year", "--format", "json")
	rows := parseJSON(t, r.stdout)
	if len(rows) != 1 || rows[0]["period"] != "2016" {
		t.Errorf("by year: %v", rows)
	}
	wantExit(t, db, 2, []string{"want two states"}, "events", "CHN")
	wantExit(t, db, 2, []string{"same state"}, "events", "CHN", "China")
	wantExit(t, db, 2, []string{"--by"}, "events", "CHN", "USA", "--by", "session")
	if r := mustRun(t, db, "events", "FRA", "DEU"); !strings.Contains(r.stderr, "no events between FRA and DEU") {
		t.Errorf("empty dyad: %s", r)
	}
}

// rawEvent is one events row read by the test itself, for independent counts.
type rawEvent struct {
	source, id, day, a1, a2, code, url string
}

// rawEvents reads the events rows of a GDELT file by splitting lines at tabs.
func rawEvents(t *testing.T, path string) []rawEvent {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []rawEvent
	for _, line := range bytes.Split(b, []byte("\n")) {
		f := strings.Split(strings.TrimSuffix(string(line), "\r"), "\t")
		if len(f) < 57 || strings.HasPrefix(strings.ToLower(f[0]), "globalevent") {
			continue
		}
		e := rawEvent{source: "gdelt1", id: f[0], day: f[1], a1: f[7], a2: f[17], code: f[26]}
		switch len(f) {
		case 61:
			e.source, e.url = "gdelt2", f[60]
		case 58:
			e.url = f[57]
		}
		out = append(out, e)
	}
	return out
}

// TestRealEventsImport imports every real GDELT file: each file's records are accounted
// for, re-importing adds nothing, and the events of a dyad match a count made here from
// the raw rows with the documented dedupe rule.
func TestRealEventsImport(t *testing.T) {
	dir := filepath.Join(sharedData, "gdelt")
	if _, err := os.Stat(filepath.Join(dir, "v2")); err != nil {
		abs, _ := filepath.Abs(dir)
		t.Skipf("real data absent: %s (%v)", abs, err)
	}
	db := newDB(t)
	v2 := filepath.Join(dir, "v2")
	r := mustRun(t, db, "import", "gdelt", dir, v2, "--format", "csv", "--quiet")
	tb := checkReportCSV(t, r.stdout)
	paths, _ := filepath.Glob(filepath.Join(dir, "*.tsv"))
	more, _ := filepath.Glob(filepath.Join(v2, "*.CSV"))
	paths = append(paths, more...)
	if len(tb.rows) != len(paths) || len(paths) != 11 {
		t.Fatalf("%d files imported, %d on disk, want 11", len(tb.rows), len(paths))
	}
	for _, row := range tb.rows {
		b, _ := os.ReadFile(row["file"])
		lines := bytes.Count(b, []byte("\n"))
		if strings.Contains(row["file"], "head35") {
			lines-- // the header row
		}
		if atoi(t, row["read"]) != lines || row["quarantined"] != "0" {
			t.Errorf("%s: %v, want all %d lines read, none quarantined", row["file"], row, lines)
		}
	}
	r = mustRun(t, db, "import", "gdelt", dir, v2, "--format", "csv", "--quiet")
	for _, row := range checkReportCSV(t, r.stdout).rows {
		if row["imported"] != "0" || row["duplicate"] != row["read"] {
			t.Errorf("re-import: %v", row)
		}
	}

	// Independent count: the import order is the folders' sorted files; an event is
	// counted when its id is new for its source and (it has a URL) its day, country
	// codes, event code and URL were not seen before on any row.
	var order []string
	for _, row := range tb.rows {
		order = append(order, row["file"])
	}
	want := map[string]int{} // "A B period" → n
	seenID, seenNear := map[string]bool{}, map[string]bool{}
	for _, p := range order {
		if strings.Contains(p, "mentions") {
			continue
		}
		for _, e := range rawEvents(t, p) {
			idKey := e.source + " " + e.id
			nearKey := strings.Join([]string{e.day, e.a1, e.a2, e.code, e.url}, " ")
			dup := seenID[idKey] || e.url != "" && seenNear[nearKey]
			seenID[idKey], seenNear[nearKey] = true, true
			if dup {
				continue
			}
			if (e.a1 == "USA" && e.a2 == "GBR") || (e.a1 == "GBR" && e.a2 == "USA") {
				want[e.a1+" "+e.a2+" "+e.day[:4]+"-"+e.day[4:6]]++
			}
		}
	}
	ev := parseCSV(t, mustRun(t, db, "events", "USA", "GBR", "--format", "csv").stdout)
	got := map[string]int{}
	for _, row := range ev.rows {
		got[row["iso3_a"]+" "+row["iso3_b"]+" "+row["period"]] = atoi(t, row["n"])
	}
	if len(want) == 0 {
		t.Fatal("no USA-GBR events in the raw files")
	}
	for k, n := range want {
		if got[k] != n {
			t.Errorf("%s: n = %d, counted %d from the raw rows", k, got[k], n)
		}
	}
	if len(got) != len(want) {
		t.Errorf("periods %v, want %v", got, want)
	}
	t.Logf("USA-GBR events: %v", want)
}

func TestRealAidImport(t *testing.T) {
	dir := filepath.Join(sharedData, "aid")
	if _, err := os.Stat(filepath.Join(dir, "kiel_ust_data_explorer.csv")); err != nil {
		abs, _ := filepath.Abs(dir)
		t.Skipf("real data absent: %s (%v)", abs, err)
	}
	db := newDB(t)
	r := mustRun(t, db, "import", "aid", dir, "--format", "csv")
	tb := checkReportCSV(t, r.stdout)
	if len(tb.rows) != 1 || tb.rows[0]["read"] != "3237" || tb.rows[0]["imported"] != "3237" {
		t.Errorf("report %v: want 1,079 rows × 3 kinds", tb.rows)
	}
	rk := parseCSV(t, mustRun(t, db, "rank", "UKR", "--signal", "aid", "--at", "2022", "--format", "csv").stdout)
	if len(rk.rows) < 30 || rk.rows[0]["iso3"] != "USA" {
		t.Errorf("2022 donors: %v", rk.column("iso3"))
	}
}
