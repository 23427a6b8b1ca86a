package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The force acceptance tests on the real files: every record accounted for, a re-import
// adding nothing, and the key lines of the docs/examples outputs. They skip without
// ../shared/data; -update-examples rewrites docs/examples/ties_*.txt and
// rank_rus_2024_arms.txt from them.

// forceFiles returns the four force files, skipping without them.
func forceFiles(t *testing.T) []string {
	t.Helper()
	files := []string{
		filepath.Join(sharedData, "conflict", "peacesciencer_ucdp_acd.csv"),
		filepath.Join(sharedData, "conflict", "peacesciencer_tss_rivalries.csv"),
		filepath.Join(sharedData, "conflict", "peacesciencer_td_rivalries.csv"),
		filepath.Join(sharedData, "conflict", "peacesciencer_gml_dirdisp.csv"),
		filepath.Join(sharedData, "arms", "sipri_trade_register_2025-03-13.csv"),
	}
	for _, p := range files {
		if _, err := os.Stat(p); err != nil {
			abs, _ := filepath.Abs(p)
			t.Skipf("real data absent: %s (%v)", abs, err)
		}
	}
	return files
}

// realForceStore imports ATOP, COW IGO, the ledger and the force files into a new
// store and returns it with the log of the force import.
func realForceStore(t *testing.T) (string, string) {
	t.Helper()
	files := forceFiles(t)
	db := newDB(t)
	var log strings.Builder
	for _, args := range [][]string{
		{"import", "atop", filepath.Join(sharedData, "alliances", "peacesciencer_atop_alliance.csv")},
		{"import", "igo", filepath.Join(sharedData, "igo", "manyigos_COW_MEM_memberships.csv")},
		{"import", "ledger", ledgerDir},
		append([]string{"import", "force"}, files...),
	} {
		r := mustRun(t, db, args...)
		if args[1] == "force" {
			fmt.Fprintf(&log, "$ entente %s\n%s%s\n", strings.Join(args, " "), r.stdout, r.stderr)
		}
	}
	return db, log.String()
}

// TestRealForce runs the force acceptance checks on one store of the real data.
func TestRealForce(t *testing.T) {
	db, log := realForceStore(t)
	t.Run("Import", func(t *testing.T) { realForceImport(t, db, log) })
	t.Run("RUSPRK", func(t *testing.T) { realForceRUSPRK(t, db) })
	t.Run("RUSIRN", func(t *testing.T) { realForceRUSIRN(t, db) })
	t.Run("RUSUKR", func(t *testing.T) { realForceRUSUKR(t, db) })
	t.Run("INDPAK", func(t *testing.T) { realForceINDPAK(t, db) })
	t.Run("SYRRUS", func(t *testing.T) { realForceSYRRUS(t, db) })
	t.Run("RankArms", func(t *testing.T) { realForceRankArms(t, db) })
	t.Run("Explain", func(t *testing.T) { realForceExplain(t, db) })
}

func realForceImport(t *testing.T, db, log string) {
	saveExample(t, "import_force.txt", log)
	files := forceFiles(t)
	// Every record of the first import is accounted for and nearly all are imported.
	tb := parseCSV(t, mustRun(t, db, append([]string{"import", "force", "--format", "csv"}, files...)...).stdout)
	want := map[string]int{"peacesciencer_ucdp_acd.csv": 5652, "peacesciencer_tss_rivalries.csv": 264,
		"peacesciencer_td_rivalries.csv": 197, "peacesciencer_gml_dirdisp.csv": 10276, "sipri_trade_register_2025-03-13.csv": 29515}
	for _, row := range tb.rows {
		base := filepath.Base(row["file"])
		r, i, q, d := atoi(t, row["read"]), atoi(t, row["imported"]), atoi(t, row["quarantined"]), atoi(t, row["duplicate"])
		if r != want[base] || i != 0 || r != q+d {
			t.Errorf("re-import of %s: read %d imported %d quarantined %d duplicate %d; want %d read, nothing new", base, r, i, q, d, want[base])
		}
	}
	if len(tb.rows) != len(want) {
		t.Errorf("%d report rows, want %d", len(tb.rows), len(want))
	}
	for _, w := range []string{"5646", "29396", "ongoing when the data stop", "nonstate parties kept apart"} {
		if !strings.Contains(log, w) {
			t.Errorf("first import log lacks %q:\n%s", w, log)
		}
	}
}

func itemWith(t *testing.T, tb table, section, item, text string) map[string]string {
	t.Helper()
	for _, r := range tb.find("section", section, "item", item) {
		if strings.Contains(r["detail"], text) || strings.Contains(r["sources"], text) {
			return r
		}
	}
	t.Errorf("no %s %s row with %q", section, item, text)
	return nil
}

func realForceRUSPRK(t *testing.T, db string) {
	tb := tiesExample(t, db, "RUS", "PRK", "2024-12")
	if v := tb.one(t, "section", "signal", "item", "cobelligerence"); num(t, v["value"]) < 1 {
		t.Errorf("co-belligerence %v", v)
	}
	if r := itemWith(t, tb, "force", "cobelligerence", "conflict 13243"); r != nil && !strings.Contains(r["detail"], "PRK, RUS") {
		t.Errorf("North Korea not on Russia's side: %v", r)
	}
	for _, w := range []string{"Hwasong-11", "170mm"} {
		if r := itemWith(t, tb, "force", "arms", w); r != nil && (r["a"] != "PRK" || r["b"] != "RUS" || !strings.Contains(r["sources"], "SIPRI")) {
			t.Errorf("%s row %v", w, r)
		}
	}
	if r := itemWith(t, tb, "act", "alliance_treaty +", "Treaty on Comprehensive Strategic Partnership"); r != nil && !strings.HasPrefix(r["date"], "2024") {
		t.Errorf("2024 treaty %v", r)
	}
}

func realForceRUSIRN(t *testing.T, db string) {
	tb := tiesExample(t, db, "RUS", "IRN", "2024")
	if r := itemWith(t, tb, "force", "arms", "Shahed-136"); r != nil && (r["a"] != "IRN" || r["b"] != "RUS" || num(t, r["value"]) <= 0) {
		t.Errorf("Shahed row %v", r)
	}
}

func realForceRUSUKR(t *testing.T, db string) {
	tb := tiesExample(t, db, "RUS", "UKR", "2022-06")
	if v := tb.one(t, "section", "signal", "item", "war"); num(t, v["value"]) != 2 {
		t.Errorf("war %v, want 2", v)
	}
	itemWith(t, tb, "force", "war", "interstate conflict 13243")
	// The TSS rivalry is ongoing when the data stop (2020): 2022 is unknown, not over.
	if v := tb.one(t, "section", "signal", "item", "rivalry"); v["value"] != "" {
		t.Errorf("rivalry in 2022 = %q, want unknown", v["value"])
	}
	itemWith(t, tb, "force", "rivalry", "ongoing when the data stop")
}

func realForceINDPAK(t *testing.T, db string) {
	tb := tiesExample(t, db, "IND", "PAK", "2019")
	if v := tb.one(t, "section", "signal", "item", "rivalry"); num(t, v["value"]) != 1 {
		t.Errorf("rivalry %v, want 1", v)
	}
	itemWith(t, tb, "force", "rivalry", `"India-Pakistan"`)
	if v := tb.one(t, "section", "signal", "item", "disputes"); v["value"] != "" || !strings.Contains(v["detail"], "GML MID 1816-2010") {
		t.Errorf("disputes in 2019 = %v, want unknown with the coverage", v)
	}
	itemWith(t, tb, "force", "disputes", "latest in the data")
}

func realForceSYRRUS(t *testing.T, db string) {
	tb := tiesExample(t, db, "SYR", "RUS", "2020")
	if v := tb.one(t, "section", "signal", "item", "cobelligerence"); num(t, v["value"]) < 1 {
		t.Errorf("co-belligerence %v", v)
	}
	if v := tb.one(t, "section", "signal", "item", "war"); num(t, v["value"]) != 0 {
		t.Errorf("war %v, want 0", v)
	}
}

func realForceRankArms(t *testing.T, db string) {
	r := mustRun(t, db, "rank", "RUS", "--signal", "arms", "--at", "2024", "--quiet")
	saveExample(t, "rank_rus_2024_arms.txt", "$ entente rank RUS --signal arms --at 2024\n"+r.stdout)
	tb := parseCSV(t, mustRun(t, db, "rank", "RUS", "--signal", "arms", "--at", "2024", "--format", "csv").stdout)
	if row := tb.one(t, "iso3", "PRK"); num(t, row["tiv_from"]) <= 0 {
		t.Errorf("PRK row %v", row)
	}
	if row := tb.one(t, "iso3", "IRN"); num(t, row["tiv_from"]) <= 0 || num(t, row["tiv_to"]) <= 0 {
		t.Errorf("IRN row %v", row)
	}
	if row := tb.one(t, "iso3", "IND"); num(t, row["tiv_to"]) <= 0 || num(t, row["share_of_their_imports"]) <= 0 {
		t.Errorf("IND row %v", row)
	}
	wantExit(t, db, 2, []string{"--signal"}, "rank", "RUS", "--signal", "peace", "--at", "2024")
}

func realForceExplain(t *testing.T, db string) {
	out := mustRun(t, db, "explain", "RUS", "PRK", "--at", "2024-12", "--format", "csv").stdout
	for _, want := range []string{"force:cobelligerence,2024,,", "RUS -> PRK: same side (A) of interstate conflict 13243", "force:arms,2024,,", "PRK -> RUS: Hwasong-11"} {
		if !strings.Contains(out, want) {
			t.Errorf("explain lacks %q:\n%s", want, out)
		}
	}
}
