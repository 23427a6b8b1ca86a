package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// update rewrites the golden files docs/examples/*.txt from the real-data acceptance
// tests, which otherwise compare their outputs to them:
//
//	go test ./cmd/entente -run 'TestRealTies|TestRealRankAlliances' -update
var update = flag.Bool("update", false, "rewrite the golden outputs in docs/examples from the real-data tests")

const examplesDir = "../../docs/examples"

// realTiesStore imports the full ATOP and COW IGO files and the repository's ledger
// into a new store and returns its path with the import log, or skips when
// ../shared/data is absent.
func realTiesStore(t *testing.T) (string, string) {
	t.Helper()
	atopFile := filepath.Join(sharedData, "alliances", "peacesciencer_atop_alliance.csv")
	igoFile := filepath.Join(sharedData, "igo", "manyigos_COW_MEM_memberships.csv")
	for _, p := range []string{atopFile, igoFile} {
		if _, err := os.Stat(p); err != nil {
			abs, _ := filepath.Abs(p)
			t.Skipf("real data absent: %s (%v); the ledger-only tests in e2e_ties_test.go still run", abs, err)
		}
	}
	db := newDB(t)
	var log strings.Builder
	for _, args := range [][]string{
		{"import", "atop", atopFile},
		{"import", "igo", igoFile},
		{"import", "ledger", ledgerDir},
	} {
		r := mustRun(t, db, args...)
		fmt.Fprintf(&log, "$ entente %s\n%s%s\n", strings.Join(args, " "), r.stdout, r.stderr)
	}
	return db, log.String()
}

func realDB(t *testing.T) string {
	t.Helper()
	db, _ := realTiesStore(t)
	return db
}

// saveExample compares text with the golden file docs/examples/name, or writes it
// there with -update.
func saveExample(t *testing.T, name, text string) {
	t.Helper()
	path := filepath.Join(examplesDir, name)
	if *update {
		if err := os.MkdirAll(examplesDir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if strings.HasPrefix(name, "import_") {
		return // import logs carry timings: written with -update, never compared
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("golden file: %v (write it with -update)", err)
	}
	if string(want) != text {
		t.Errorf("output differs from the golden file %s (rerun with -update if the change is intended):\n--- got\n%s--- want\n%s", path, text, want)
	}
}

// tiesExample runs ties A B --at DATE in a table and in CSV, saves the table, and
// returns the CSV rows.
func tiesExample(t *testing.T, db, a, b, at string) table {
	t.Helper()
	r := mustRun(t, db, "ties", a, b, "--at", at, "--quiet")
	saveExample(t, fmt.Sprintf("ties_%s_%s_%s.txt", strings.ToLower(a), strings.ToLower(b), at),
		fmt.Sprintf("$ entente ties %s %s --at %s\n%s", a, b, at, r.stdout))
	return parseCSV(t, mustRun(t, db, "ties", a, b, "--at", at, "--format", "csv").stdout)
}

func TestRealTiesImportIdempotent(t *testing.T) {
	db, log := realTiesStore(t)
	saveExample(t, "import_ties.txt", log)
	for _, args := range [][]string{
		{"import", "atop", filepath.Join(sharedData, "alliances"), "--format", "csv"},
		{"import", "igo", filepath.Join(sharedData, "igo", "manyigos_COW_MEM_memberships.csv"), "--format", "csv"},
		{"import", "ledger", ledgerDir, "--format", "csv"},
	} {
		read, imported, _, duplicate := reportTotals(t, mustRun(t, db, args...).stdout)
		if imported != 0 || duplicate+imported == 0 || read == 0 {
			t.Errorf("re-run of %v: %d read, %d imported, %d duplicate; want nothing new", args, read, imported, duplicate)
		}
	}
}

func TestRealTiesRUSPRK(t *testing.T) {
	tb := tiesExample(t, realDB(t), "RUS", "PRK", "2024-07")
	row := tb.one(t, "section", "act", "item", "alliance_treaty +", "a", "PRK")
	if row["date"] != "2024-06-19" || !strings.Contains(row["detail"], "Treaty on Comprehensive Strategic Partnership") || !strings.Contains(row["sources"], "https://") {
		t.Errorf("treaty row %v", row)
	}
	if tr := tb.one(t, "section", "treaty"); tr["item"] != "unknown" || !strings.Contains(tr["detail"], "ATOP ends 2018") {
		t.Errorf("ATOP row %v, want unknown after 2018", tr)
	}
	if bal := tb.one(t, "item", "ledger_balance"); num(t, bal["value"]) <= 0 {
		t.Errorf("ledger balance %v, want positive", bal)
	}
	// The treaty's entry into force (2024-12-04) is after the date: not shown.
	if rs := tb.find("date", "2024-12-04"); len(rs) != 0 {
		t.Errorf("act after --at shown: %v", rs)
	}
}

func TestRealTiesARMRUS(t *testing.T) {
	tb := tiesExample(t, realDB(t), "ARM", "RUS", "2025-06")
	row := tb.one(t, "section", "membership", "item", "CSTO")
	if row["value"] != "not shared" || !strings.HasPrefix(row["a"], "frozen since 2024-02-22") || !strings.HasPrefix(row["b"], "member") {
		t.Errorf("CSTO row %v, want Armenia's frozen participation", row)
	}
	if sh := tb.one(t, "item", "shared_memberships"); strings.Contains(strings.SplitN(sh["detail"], " (", 2)[0], "CSTO") {
		t.Errorf("shared %v: a frozen membership is not shared", sh)
	}
	if rs := tb.find("section", "act", "item", "membership_suspend -", "a", "ARM"); len(rs) == 0 {
		t.Errorf("no act of Armenia's CSTO freeze")
	}
}

func TestRealTiesFINUSA(t *testing.T) {
	db := realDB(t)
	tb := tiesExample(t, db, "FIN", "USA", "2023-05")
	row := tb.one(t, "section", "membership", "item", "NATO")
	if row["value"] != "shared" || !strings.HasPrefix(row["a"], "member since 2023-04-04") || !strings.Contains(row["sources"], "http") {
		t.Errorf("NATO row %v", row)
	}
	if sh := tb.one(t, "item", "shared_memberships"); !strings.HasPrefix(sh["detail"], "NATO") {
		t.Errorf("shared %v", sh)
	}
	// Before Finland's accession, NATO is not shared.
	tb = parseCSV(t, mustRun(t, db, "ties", "FIN", "USA", "--at", "2023-03", "--format", "csv").stdout)
	if row := tb.one(t, "section", "membership", "item", "NATO"); row["value"] != "b only" {
		t.Errorf("NATO in 2023-03: %v, want b only", row)
	}
}

func TestRealTiesSYRRUS(t *testing.T) {
	tb := tiesExample(t, realDB(t), "SYR", "RUS", "2025-03")
	row := tb.one(t, "section", "act", "item", "regime_change -")
	if row["date"] != "2024-12-08" || row["a"] != "SYR" || row["b"] != "RUS" || num(t, row["value"]) != -3 || !strings.Contains(row["sources"], "https://") {
		t.Errorf("regime change row %v", row)
	}
	// Most recent first: the regime change is the first act.
	for _, r := range tb.rows {
		if r["section"] == "act" {
			if r["item"] != "regime_change -" {
				t.Errorf("first act %v, want the regime change", r)
			}
			break
		}
	}
}

func TestRealRankAlliances(t *testing.T) {
	db := realDB(t)
	r := wantExit(t, db, 2, []string{"alliances in 2020 are unknown", "1815-2018"}, "rank", "RUS", "--at", "2020", "--signal", "alliances")
	if r.stdout != "" {
		t.Errorf("refused ranking printed:\n%s", r.stdout)
	}
	saveExample(t, "rank_rus_2020_alliances.txt", "$ entente rank RUS --at 2020 --signal alliances\n"+r.stderr+fmt.Sprintf("(exit %d)\n", r.code))
	out := mustRun(t, db, "rank", "RUS", "--at", "2018", "--signal", "alliances", "--top", "12", "--quiet")
	saveExample(t, "rank_rus_2018_alliances.txt", "$ entente rank RUS --at 2018 --signal alliances --top 12\n"+out.stdout)
	tb := parseCSV(t, mustRun(t, db, "rank", "RUS", "--at", "2018", "--signal", "alliances", "--format", "csv").stdout)
	checkOrder(t, tb, "kappa")
	top := map[string]bool{}
	for _, row := range tb.rows[:10] {
		top[row["iso3"]] = true
	}
	for _, iso3 := range []string{"BLR", "KAZ", "ARM"} {
		if !top[iso3] {
			t.Errorf("%s not in Russia's 2018 top 10 by alliance portfolio", iso3)
		}
	}
	out = mustRun(t, db, "rank", "RUS", "--at", "2024", "--signal", "ledger", "--quiet")
	saveExample(t, "rank_rus_2024_ledger.txt", "$ entente rank RUS --at 2024 --signal ledger\n"+out.stdout)
}
