package main

import (
	"math"
	"strings"
	"testing"
)

func rankCSV(t *testing.T, db string, args ...string) table {
	t.Helper()
	r := mustRun(t, db, append(append([]string{"rank", "--signal", "unvotes"}, args...), "--format", "csv")...)
	return parseCSV(t, r.stdout)
}

// checkOrder checks that the ranks run 1, 2, ... and that the rows are ordered by metric,
// highest first, with the undefined values (empty fields) last.
func checkOrder(t *testing.T, tb table, metric string) {
	t.Helper()
	prev := math.Inf(1)
	undefined := false
	for i, row := range tb.rows {
		if atoi(t, row["rank"]) != i+1 {
			t.Errorf("row %d has rank %s", i+1, row["rank"])
		}
		if row[metric] == "" {
			undefined = true
			continue
		}
		v := num(t, row[metric])
		if undefined {
			t.Errorf("rank %s (%s %s = %v) comes after an undefined value", row["rank"], row["iso3"], metric, v)
		}
		if v > prev {
			t.Errorf("rank %s (%s) has %s %v above the one before (%v)", row["rank"], row["iso3"], metric, v, prev)
		}
		prev = v
	}
}

func TestRankYear(t *testing.T) {
	db := excerptDB(t)
	tb := rankCSV(t, db, "RUS", "--at", "1992", "--signal", "unvotes", "--metric", "kappa")
	if got := strings.Join(tb.header, ","); got != "focal,at,rank,iso3,ccode,name,period,n,kappa" {
		t.Errorf("rank header %q, want focal,at,rank,iso3,ccode,name,period,n,kappa", got)
	}
	if got := strings.Join(tb.column("iso3"), " "); len(tb.rows) != 6 || !strings.Contains(" "+got+" ", " USA ") || strings.Contains(got, "RUS") {
		t.Errorf("ranked %q, want the 6 other excerpt states and not Russia itself", got)
	}
	checkOrder(t, tb, "kappa")
	for _, row := range tb.rows {
		if row["period"] != "1992" || row["n"] != "4" {
			t.Errorf("row %v: want period 1992 and n 4", row)
		}
	}
	usa := tb.one(t, "iso3", "USA")
	if usa["ccode"] != "2" || usa["name"] != "United States of America" || !near(t, usa["kappa"], 0.5) {
		t.Errorf("USA row %v: want ccode 2, kappa 0.5 (hand count, testdata/README.md)", usa)
	}
	// Every value is the pairwise similarity of the same window.
	pairs := parseCSV(t, mustRun(t, db, "similarity", "--all", "--from", "1992", "--to", "1992", "--metric", "kappa", "--format", "csv").stdout)
	for _, row := range tb.rows {
		p := pairs.find("ccode_a", row["ccode"], "ccode_b", "365")
		p = append(p, pairs.find("ccode_a", "365", "ccode_b", row["ccode"])...)
		if len(p) != 1 || p[0]["kappa"] != row["kappa"] || p[0]["n"] != row["n"] {
			t.Errorf("rank row %v differs from similarity %v", row, p)
		}
	}
	// Several metrics: the first orders.
	tb = rankCSV(t, db, "CUB", "--at", "2019", "--metric", "agree,kappa,s_abs")
	if got := strings.Join(tb.header, ","); got != "focal,at,rank,iso3,ccode,name,period,n,agree,kappa,s_abs" {
		t.Errorf("header %q", got)
	}
	checkOrder(t, tb, "agree")
	// The focal state at a date before its successor existed is named for that date.
	tb = rankCSV(t, db, "RUS", "--at", "1991")
	if len(tb.rows) != 6 {
		t.Errorf("rank RUS --at 1991: %d rows, want 6", len(tb.rows))
	}
	r := mustRun(t, db, "rank", "--signal", "unvotes", "RUS", "--at", "1991")
	if !strings.Contains(r.stderr, "COW 365") {
		t.Errorf("rank note does not name COW 365: %q", r.stderr)
	}
}

func TestRankTwelveMonths(t *testing.T) {
	db := excerptDB(t)
	for at, label := range map[string]string{
		"2025-03":    "2024-04-01..2025-03-31",
		"2025-03-04": "2024-03-05..2025-03-04",
		"1992-12":    "1992-01-01..1992-12-31",
		"1992-09":    "1991-10-01..1992-09-30",
		"":           "2024-03-05..2025-03-04", // the 12 months ending with the last roll call
	} {
		args := []string{"RUS", "--metric", "kappa,agree"}
		if at != "" {
			args = append(args, "--at", at)
		}
		tb := rankCSV(t, db, args...)
		if len(tb.rows) == 0 {
			t.Errorf("rank --at %q: no rows", at)
			continue
		}
		for _, row := range tb.rows {
			if row["period"] != label {
				t.Errorf("rank --at %q: period %q, want %q", at, row["period"], label)
				break
			}
		}
		checkOrder(t, tb, "kappa")
	}
	// 1992-12 is the calendar year 1992 again.
	year := rankCSV(t, db, "RUS", "--at", "1992", "--metric", "kappa,agree")
	months := rankCSV(t, db, "RUS", "--at", "1992-12", "--metric", "kappa,agree")
	for i, row := range year.rows {
		m := months.rows[i]
		if row["iso3"] != m["iso3"] || row["kappa"] != m["kappa"] || row["n"] != m["n"] {
			t.Errorf("--at 1992 row %v, --at 1992-12 row %v", row, m)
		}
	}
	// 1991-10..1992-09 crosses the end of the USSR: 46004, 46016, 46065, 46066 (USSR) and
	// 47001 (Russia) are one COW state, so the US row counts 5 roll calls.
	usa := rankCSV(t, db, "RUS", "--at", "1992-09", "--metric", "agree").one(t, "iso3", "USA")
	if usa["n"] != "5" || !near(t, usa["agree"], 3.5/5) {
		t.Errorf("--at 1992-09 USA row %v: want n 5, agree 0.7", usa)
	}
}

func TestRankUndefinedLast(t *testing.T) {
	db := excerptDB(t)
	// In the 2025 excerpt some states voted the same way on every roll call they shared
	// with Russia: kappa is undefined for them.
	tb := rankCSV(t, db, "RUS", "--at", "2025-03", "--metric", "kappa")
	checkOrder(t, tb, "kappa")
	last := tb.rows[len(tb.rows)-1]
	if last["kappa"] != "" {
		t.Fatalf("the excerpt gives no undefined kappa for Russia in 2025 (last row %v); the test needs one", last)
	}
	for _, iso3 := range []string{"ECU", "CMR"} {
		if row := tb.one(t, "iso3", iso3); row["kappa"] != "" {
			t.Errorf("%s: kappa %q, want undefined", iso3, row["kappa"])
		}
	}
	// The JSON has null and the table "-" in the same places.
	js := parseJSON(t, mustRun(t, db, "rank", "--signal", "unvotes", "RUS", "--at", "2025-03", "--metric", "kappa", "--format", "json").stdout)
	if len(js) != len(tb.rows) {
		t.Fatalf("json %d rows, csv %d", len(js), len(tb.rows))
	}
	for i, row := range js {
		if (row["kappa"] == nil) != (tb.rows[i]["kappa"] == "") || row["iso3"] != tb.rows[i]["iso3"] {
			t.Errorf("json row %v, csv row %v", row, tb.rows[i])
		}
	}
	r := mustRun(t, db, "rank", "--signal", "unvotes", "RUS", "--at", "2025-03", "--metric", "kappa")
	lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
	if f := strings.Fields(lines[len(lines)-1]); f[len(f)-1] != "-" {
		t.Errorf("last table line %q does not end in -", lines[len(lines)-1])
	}
}

func TestRankTopBottom(t *testing.T) {
	db := excerptDB(t)
	full := rankCSV(t, db, "RUS", "--at", "2019")
	if len(full.rows) != 6 {
		t.Fatalf("rank RUS --at 2019: %d rows, want 6", len(full.rows))
	}
	for args, want := range map[string]string{
		"--top 2":            "1 2",
		"--bottom 2":         "5 6",
		"--top 2 --bottom 2": "1 2 5 6",
		"--top 1 --bottom 1": "1 6",
		"--top 10":           "1 2 3 4 5 6",
		"--top 4 --bottom 4": "1 2 3 4 5 6",
	} {
		tb := rankCSV(t, db, append([]string{"RUS", "--at", "2019"}, strings.Fields(args)...)...)
		if got := strings.Join(tb.column("rank"), " "); got != want {
			t.Errorf("%s: ranks %q, want %q", args, got, want)
		}
		for _, row := range tb.rows {
			if f := full.rows[atoi(t, row["rank"])-1]; f["iso3"] != row["iso3"] || f["kappa"] != row["kappa"] {
				t.Errorf("%s: row %v differs from the full ranking's %v", args, row, f)
			}
		}
	}
	// 2019 in the excerpt (hand count from un_votes_excerpt.csv): the US and Israel
	// voted against Russia on all five roll calls; they come last.
	if got := strings.Join(rankCSV(t, db, "RUS", "--at", "2019", "--bottom", "2").column("iso3"), " "); got != "USA ISR" && got != "ISR USA" {
		t.Errorf("bottom 2 for Russia in 2019: %q, want USA and ISR", got)
	}
}

func TestRankErrors(t *testing.T) {
	db := excerptDB(t)
	wantExit(t, db, 2, []string{`--signal "astrology"`, "unvotes"}, "rank", "RUS", "--signal", "astrology")
	wantExit(t, db, 2, []string{`"Atlantis"`}, "rank", "--signal", "unvotes", "Atlantis", "--at", "2019")
	wantExit(t, db, 2, []string{"want one focal state"}, "rank")
	wantExit(t, db, 2, []string{"want one focal state"}, "rank", "--signal", "unvotes", "RUS", "USA")
	wantExit(t, db, 2, []string{"--top"}, "rank", "--signal", "unvotes", "RUS", "--top", "-3")
	wantExit(t, db, 2, []string{"--at"}, "rank", "--signal", "unvotes", "RUS", "--at", "2019-13")
	wantExit(t, db, 2, []string{"--at"}, "rank", "--signal", "unvotes", "RUS", "--at", "last year")
	wantExit(t, db, 2, []string{"unknown metric"}, "rank", "--signal", "unvotes", "RUS", "--metric", "cosine")
	wantExit(t, db, 2, []string{"unknown issue"}, "rank", "--signal", "unvotes", "RUS", "--issue", "zz")
	// A window without any roll call of the focal state.
	wantExit(t, db, 2, []string{"cast no UN vote", "2010"}, "rank", "--signal", "unvotes", "RUS", "--at", "2010")
	wantExit(t, newDB(t), 2, []string{"no store at", "entente import unvotes"}, "rank", "--signal", "unvotes", "RUS", "--at", "2019")
}

func TestRankTableEndsWithNewline(t *testing.T) {
	db := excerptDB(t)
	r := mustRun(t, db, "rank", "--signal", "unvotes", "RUS", "--at", "1992")
	lines := strings.Split(r.stdout, "\n")
	if !strings.HasSuffix(r.stdout, "\n") || len(lines) != 1+6+1 {
		t.Errorf("table output %q: want a header, 6 lines and a final newline", r.stdout)
	}
	if f := strings.Fields(lines[0]); strings.Join(f, ",") != "rank,iso3,ccode,name,period,n,kappa" {
		t.Errorf("table header %q", lines[0])
	}
}
