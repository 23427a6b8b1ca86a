package main

// End-to-end tests of the formal-tie commands: import atop|igo|ledger, ties, ledger
// check|list and rank --signal alliances|ledger. The ledger (data/ledger) and the bloc
// registry are in the repository, so the tests that need only them always run; the
// ATOP and COW IGO excerpts of ingest/atop/testdata and ingest/igo/testdata stand in
// for the full files, which e2e_ties_real_test.go uses when ../shared/data is present.

import (
	"strings"
	"testing"
)

const (
	ledgerDir   = "../../data/ledger"
	atopExcerpt = "../../ingest/atop/testdata/atop_excerpt.csv"
	igoExcerpt  = "../../ingest/igo/testdata/cow_igo_excerpt.csv"
)

// reportTotals sums a CSV import report and checks that each row accounts for every
// record.
func reportTotals(t *testing.T, out string) (read, imported, quarantined, duplicate int) {
	t.Helper()
	for _, row := range parseCSV(t, out).rows {
		r, i, q, d := atoi(t, row["read"]), atoi(t, row["imported"]), atoi(t, row["quarantined"]), atoi(t, row["duplicate"])
		if r != i+q+d {
			t.Errorf("report row %v: read != imported + quarantined + duplicate", row)
		}
		read, imported, quarantined, duplicate = read+r, imported+i, quarantined+q, duplicate+d
	}
	return
}

func TestLedgerCheckRepo(t *testing.T) {
	r := runApp(t, nil, "ledger", "check", ledgerDir)
	if r.code != 0 {
		t.Fatalf("the repository's ledger does not pass its check:\n%s", r)
	}
	if !strings.Contains(r.stdout, "acts") || !strings.Contains(r.stdout, "checked") || !strings.Contains(r.stdout, "0 errors") {
		t.Errorf("report:\n%s", r.stdout)
	}
	r = runApp(t, nil, "ledger", "check", ledgerDir, "--format", "csv")
	tb := parseCSV(t, r.stdout)
	if acts := atoi(t, tb.one(t, "item", "acts")["count"]); acts < 150 {
		t.Errorf("%d acts, want at least 150", acts)
	}
	tb.one(t, "item", "sources_checked")
}

// badLedger is a ledger file with two good acts and three bad ones.
const badLedger = `- id: 2024-06-19-prk-rus-treaty-test
  date: 2024-06-19
  actor: PRK
  counterpart: RUS
  kind: alliance_treaty
  summary: A treaty.
  sources:
    - url: https://example.org/a
- id: bad-kind
  date: 2024-06-19
  actor: PRK
  counterpart: RUS
  kind: friendship
  summary: Unknown kind.
  sources:
    - url: https://example.org/b
- id: bad-state
  date: 2024-06-19
  actor: Atlantis
  counterpart: RUS
  kind: state_visit
  summary: Unknown state.
  sources:
    - url: https://example.org/c
- id: no-source
  date: 2024-06-19
  actor: PRK
  counterpart: RUS
  kind: state_visit
  summary: No source.
- id: 2023-09-13-prk-rus-visit-test
  date: 2023-09-13
  actor: PRK
  counterpart: RUS
  kind: state_visit
  summary: A visit.
  sources:
    - title: A visit
      publisher: Example
      published: 2023-09-13
`

func TestLedgerCheckErrors(t *testing.T) {
	p := writeFile(t, "bad.yaml", badLedger)
	r := runApp(t, nil, "ledger", "check", p)
	if r.code != 2 {
		t.Fatalf("exit %d, want 2\n%s", r.code, r)
	}
	for _, want := range []string{p + ":13:", "unknown kind", p + ":19:", "Atlantis", "missing source", "3 errors"} {
		if !strings.Contains(r.stderr+r.stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, r)
		}
	}
}

func TestImportLedgerQuarantinesBadActs(t *testing.T) {
	db := newDB(t)
	p := writeFile(t, "bad.yaml", badLedger)
	r := mustRun(t, db, "import", "ledger", p, "--format", "csv")
	read, imported, quarantined, duplicate := reportTotals(t, r.stdout)
	if read != 5 || imported != 2 || quarantined != 3 || duplicate != 0 {
		t.Errorf("report %d read, %d imported, %d quarantined, %d duplicate; want 5, 2, 3, 0\n%s", read, imported, quarantined, duplicate, r)
	}
	q := parseCSV(t, mustRun(t, db, "quarantine", "ledger", "--format", "csv").stdout)
	if len(q.rows) != 3 {
		t.Fatalf("quarantine %v, want 3 rows", q.rows)
	}
	for line, want := range map[string]string{"9": "unknown kind", "17": "Atlantis", "25": "missing source"} {
		row := q.one(t, "line", line)
		if row["file"] != p || !strings.Contains(row["reason"], want) || !strings.Contains(row["reason"], p+":") || !strings.HasPrefix(row["raw"], "- id:") {
			t.Errorf("quarantined at line %s: %v, want %q", line, row, want)
		}
	}
	// Idempotent: a second import adds nothing and quarantines nothing new.
	r = mustRun(t, db, "import", "ledger", p, "--format", "csv")
	read, imported, quarantined, duplicate = reportTotals(t, r.stdout)
	if read != 5 || imported != 0 || quarantined != 3 || duplicate != 2 {
		t.Errorf("re-import %d read, %d imported, %d quarantined, %d duplicate; want 5, 0, 3, 2", read, imported, quarantined, duplicate)
	}
	if q := parseCSV(t, mustRun(t, db, "quarantine", "ledger", "--format", "csv").stdout); len(q.rows) != 3 {
		t.Errorf("quarantine after re-import: %d rows, want 3", len(q.rows))
	}
}

func TestImportLedgerFileFaultIsAtomic(t *testing.T) {
	db := newDB(t)
	broken := writeFile(t, "broken.yaml", "- id: x\n  date: [\n")
	wantExit(t, db, 2, []string{"broken.yaml"}, "import", "ledger", ledgerDir, broken)
	// Nothing of the good folder was stored.
	r := cli(t, db, "ledger", "list", "--format", "csv")
	if r.code == 0 && len(parseCSV(t, r.stdout).rows) != 0 {
		t.Errorf("a failed import left acts:\n%s", r.stdout)
	}
}

func TestImportLedgerRepoIdempotent(t *testing.T) {
	db := newDB(t)
	r := mustRun(t, db, "import", "ledger", ledgerDir, "--format", "csv")
	read, imported, quarantined, _ := reportTotals(t, r.stdout)
	if read < 150 || imported != read || quarantined != 0 {
		t.Errorf("import of the repository's ledger: %d read, %d imported, %d quarantined", read, imported, quarantined)
	}
	r = mustRun(t, db, "import", "ledger", ledgerDir, "--format", "csv")
	read2, imported2, _, duplicate2 := reportTotals(t, r.stdout)
	if read2 != read || imported2 != 0 || duplicate2 != read {
		t.Errorf("re-import: %d read, %d imported, %d duplicate; want %d, 0, %d", read2, imported2, duplicate2, read, read)
	}

	// ledger list from the store and from the files agree.
	store := mustRun(t, db, "ledger", "list", "--actor", "PRK", "--counterpart", "Russia", "--format", "csv")
	files := mustRun(t, db, "ledger", "list", ledgerDir, "--actor", "PRK", "--counterpart", "Russia", "--format", "csv")
	if store.stdout != files.stdout {
		t.Errorf("list from the store:\n%s\nfrom the files:\n%s", store.stdout, files.stdout)
	}
	tb := parseCSV(t, store.stdout)
	row := tb.one(t, "id", "2024-06-19-prk-rus-treaty")
	if row["kind"] != "alliance_treaty" || row["stance"] != "+" || row["weight"] != "3" || !strings.Contains(row["sources"], "Interfax") {
		t.Errorf("treaty row %v", row)
	}
	for _, r := range tb.rows {
		if r["actor"] != "PRK" || r["counterpart"] != "RUS" {
			t.Errorf("filtered list holds %v", r)
		}
	}
	tb = parseCSV(t, mustRun(t, db, "ledger", "list", "--either", "SYR", "--since", "2024-12", "--kind", "regime_change", "--format", "csv").stdout)
	tb.one(t, "id", "2024-12-08-syr-assad-falls")
	wantExit(t, db, 2, []string{"--kind"}, "ledger", "list", "--kind", "friendship")

	// rank --signal ledger: North Korea on top of Russia's 2024 list, Syria below zero.
	tb = parseCSV(t, mustRun(t, db, "rank", "RUS", "--at", "2024", "--signal", "ledger", "--format", "csv").stdout)
	if tb.rows[0]["iso3"] != "PRK" {
		t.Errorf("Russia's top ledger partner in 2024 is %v, want PRK", tb.rows[0])
	}
	if syr := tb.one(t, "iso3", "SYR"); num(t, syr["balance"]) >= 0 {
		t.Errorf("Syria's 2024 balance with Russia %v, want below 0 (the regime change)", syr)
	}
}

func TestRankAlliancesUnknownAfterCoverage(t *testing.T) {
	db := newDB(t)
	mustRun(t, db, "import", "atop", atopExcerpt, "--quiet")
	// The excerpt ends in 2018: 2020 is unknown, refused with a clear message, no zeros.
	r := wantExit(t, db, 2, []string{"alliances in 2020 are unknown", "2018", "not \"no alliance\""}, "rank", "RUS", "--at", "2020", "--signal", "alliances", "--format", "csv")
	if r.stdout != "" {
		t.Errorf("a refused ranking printed rows:\n%s", r.stdout)
	}
	// 2018 is covered: Belarus and Armenia, allied with Russia in the excerpt, share its
	// ties and come first.
	tb := parseCSV(t, mustRun(t, db, "rank", "RUS", "--at", "2018", "--signal", "alliances", "--metric", "s_abs,kappa,direct", "--format", "csv").stdout)
	if got := strings.Join(tb.header, ","); got != "focal,at,rank,iso3,ccode,name,period,n,s_abs,kappa,direct" {
		t.Errorf("header %q", got)
	}
	if blr := tb.one(t, "iso3", "BLR"); blr["direct"] != "3" || atoi(t, blr["rank"]) > 2 {
		t.Errorf("Belarus %v, want a direct tie 3 and rank 1 or 2", blr)
	}
	if usa := tb.one(t, "iso3", "USA"); usa["direct"] != "1" {
		t.Errorf("USA %v, want the non-aggression tie 1", usa)
	}
	// ties after the coverage says unknown, within it shows the obligations.
	tb = parseCSV(t, mustRun(t, db, "ties", "RUS", "BLR", "--at", "2024", "--format", "csv").stdout)
	if row := tb.one(t, "section", "treaty"); row["item"] != "unknown" || !strings.Contains(row["detail"], "ATOP ends 2018") || row["value"] != "" {
		t.Errorf("2024 treaty row %v, want unknown: ATOP ends 2018", row)
	}
	if row := tb.one(t, "item", "alliance_kappa"); row["value"] != "" {
		t.Errorf("kappa after the coverage = %q, want empty (unknown), not 0", row["value"])
	}
	tb = parseCSV(t, mustRun(t, db, "ties", "RUS", "BLR", "--at", "2018", "--format", "csv").stdout)
	if row := tb.one(t, "section", "treaty", "item", "RUS -> BLR"); row["value"] != "3" || !strings.Contains(row["detail"], "defense") {
		t.Errorf("2018 treaty row %v", row)
	}
	// Idempotent.
	read, imported, _, duplicate := reportTotals(t, mustRun(t, db, "import", "atop", atopExcerpt, "--format", "csv").stdout)
	if imported != 0 || duplicate != read {
		t.Errorf("re-import of ATOP: %d imported, %d duplicate of %d", imported, duplicate, read)
	}
}

func TestImportATOPFileFaultIsAtomic(t *testing.T) {
	db := newDB(t)
	empty := writeFile(t, "empty.csv", "")
	wantExit(t, db, 2, []string{"empty.csv"}, "import", "atop", atopExcerpt, empty)
	wantExit(t, db, 2, []string{"no ATOP alliance data"}, "rank", "RUS", "--at", "2018", "--signal", "alliances")
}

func TestImportIGOExcerpt(t *testing.T) {
	db := newDB(t)
	r := mustRun(t, db, "import", "igo", igoExcerpt, "--format", "csv")
	read, imported, quarantined, duplicate := reportTotals(t, r.stdout)
	if read != 17 || imported != 16 || quarantined != 0 || duplicate != 1 {
		t.Errorf("igo excerpt: %d read, %d imported, %d quarantined, %d duplicate; want 17, 16, 0, 1 (the wine office under its new title)", read, imported, quarantined, duplicate)
	}
	if !strings.Contains(r.stderr, "old and new titles") {
		t.Errorf("no note on the renamed organisation:\n%s", r.stderr)
	}
	read, imported, _, duplicate = reportTotals(t, mustRun(t, db, "import", "igo", igoExcerpt, "--format", "csv").stdout)
	if imported != 0 || duplicate != read {
		t.Errorf("re-import: %d imported, %d duplicate of %d", imported, duplicate, read)
	}
	// Belgium and Turkey in 2010: NATO shared, from the bloc registry (which covers
	// NATO), not twice.
	tb := parseCSV(t, mustRun(t, db, "ties", "BEL", "TUR", "--at", "2010", "--format", "csv").stdout)
	if row := tb.one(t, "item", "shared_memberships"); row["value"] != "1" || !strings.HasPrefix(row["detail"], "NATO (") {
		t.Errorf("shared memberships %v, want NATO once", row)
	}
}

func TestTiesOpposedAndFrozen(t *testing.T) {
	db := newDB(t)
	mustRun(t, db, "import", "ledger", ledgerDir, "--quiet")
	tb := parseCSV(t, mustRun(t, db, "ties", "FIN", "BLR", "--at", "2024-06", "--format", "csv").stdout)
	if row := tb.one(t, "section", "membership", "item", "NATO / CSTO"); row["value"] != "opposed" {
		t.Errorf("FIN-BLR NATO/CSTO %v, want opposed", row)
	}
	rows := parseJSON(t, mustRun(t, db, "ties", "ARM", "RUS", "--at", "2025-06", "--format", "json").stdout)
	found := false
	for _, r := range rows {
		if r["section"] == "membership" && r["item"] == "CSTO" {
			found = true
			if r["value"] != "not shared" || !strings.HasPrefix(r["a"].(string), "frozen since 2024-02-22") || !strings.Contains(r["sources"].(string), "http") {
				t.Errorf("ARM-RUS CSTO %v, want Armenia's frozen participation, not shared, with its sources", r)
			}
		}
	}
	if !found {
		t.Errorf("no CSTO row in %v", rows)
	}
}
