package main

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/entente/entente/country"
	"github.com/entente/entente/duckdb"
	"github.com/entente/entente/index"
	"github.com/entente/entente/index/scenariotest"
)

// indexFacts is a small world written in the index's scenario language: Belarus votes
// and allies with Russia, the US and the UK vote against it and sanction it, Kazakhstan
// is in Russia's blocs but signs a military cooperation plan with the UK, Armenia
// freezes its CSTO participation in 2024.
const indexFacts = `
load
  states RUS BLR KAZ ARM USA GBR FRA
  rollcall 2023-02-01 x10 y y y y n n n
  rollcall 2023-03-01 x6  y y a a n n n
  rollcall 2023-04-01 x4  y y y y y y y
  rollcall 2023-06-01 x8  n n a a y y y
  rollcall 2024-02-01 x10 y y y a n n n
  rollcall 2024-03-01 x6  y y a a n n n
  rollcall 2024-06-01 x8  n n a y y y y
  member CSTO RUS 2002-10-07
  member CSTO BLR 2002-10-07
  member CSTO KAZ 2002-10-07
  member CSTO ARM 2002-10-07 until=2024-02-22
  member CSTO ARM 2024-02-22 status=suspended
  member NATO USA 1949-08-24
  member NATO GBR 1949-08-24
  member NATO FRA 1949-08-24
  act 2023-03-01 GBR RUS sanctions -
  act 2023-03-01 USA RUS sanctions -
  act 2024-06-19 BLR RUS alliance_treaty +
  act 2024-09-01 KAZ GBR military_cooperation_agreement +
  act 2024-02-22 ARM CSTO membership_suspend -
`

// indexDB returns a store holding indexFacts.
func indexDB(t *testing.T) string {
	t.Helper()
	sc, err := scenariotest.ParseScenario(strings.NewReader(indexFacts), "cli.txt")
	if err != nil {
		t.Fatal(err)
	}
	db := newDB(t)
	ctx := context.Background()
	st, err := duckdb.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if err := sc.Load(ctx, st, country.Default()); err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	return db
}

func TestRankIndex(t *testing.T) {
	db := indexDB(t)
	r := mustRun(t, db, "rank", "RUS", "--at", "2024", "--signal", "index", "--format", "csv")
	tb := parseCSV(t, r.stdout)
	want := "focal,at,rank,iso3,ccode,name,score,lo,hi,class,flags," + strings.Join(index.Signals, ",")
	if got := strings.Join(tb.header, ","); got != want {
		t.Fatalf("header %q, want %q", got, want)
	}
	// The bloc registry compiled into the binary adds every member of Russia's blocs
	// and of NATO; states with no evidence at all are left out.
	rankOf := map[string]int{}
	for _, row := range tb.rows {
		rankOf[row["iso3"]] = atoi(t, row["rank"])
	}
	if rankOf["NZL"] != 0 {
		t.Errorf("New Zealand has no evidence but is ranked %d", rankOf["NZL"])
	}
	if !(rankOf["BLR"] < rankOf["KAZ"] && rankOf["KAZ"] < rankOf["ARM"] && rankOf["ARM"] < rankOf["USA"]) {
		t.Errorf("ranks BLR %d, KAZ %d, ARM %d, USA %d: want that order\n%s", rankOf["BLR"], rankOf["KAZ"], rankOf["ARM"], rankOf["USA"], r.stdout)
	}
	if usa := tb.one(t, "iso3", "USA"); usa["class"] != "adversary" || !strings.Contains(usa["flags"], "NATO-vs-CSTO") {
		t.Errorf("US row %v", usa)
	}
	blr := tb.one(t, "iso3", "BLR")
	if blr["class"] != "ally" || !strings.Contains(blr["flags"], "CSTO") || !strings.Contains(blr["flags"], "treaty") || blr["ccode"] != "370" {
		t.Errorf("Belarus row %v", blr)
	}
	if kaz := tb.one(t, "iso3", "KAZ"); kaz["third"] == "" || mustFloat(t, kaz["third"]) >= 0 {
		t.Errorf("Kazakhstan's third-party contribution %q, want negative (the UK plan)", kaz["third"])
	}
	if arm := tb.one(t, "iso3", "ARM"); !strings.Contains(arm["flags"], "CSTO(frozen)") {
		t.Errorf("Armenia's flags %q, want CSTO(frozen)", arm["flags"])
	}
	for _, row := range tb.rows {
		s, lo, hi := mustFloat(t, row["score"]), mustFloat(t, row["lo"]), mustFloat(t, row["hi"])
		if lo > s+1e-3 || hi < s-1e-3 {
			t.Errorf("%s: score %v outside [%v, %v]", row["iso3"], s, lo, hi)
		}
		if row["alliances"] != "" || row["events"] != "" || row["aid"] != "" {
			t.Errorf("%s: signals without data must be empty, got alliances %q events %q", row["iso3"], row["alliances"], row["events"])
		}
	}
	if !strings.Contains(r.stderr, "signals available") {
		t.Errorf("note %q does not report coverage", r.stderr)
	}
	// The same ranking twice: the bootstrap is seeded.
	if r2 := mustRun(t, db, "rank", "RUS", "--at", "2024", "--signal", "index", "--format", "csv"); r2.stdout != r.stdout {
		t.Errorf("two runs differ")
	}
	// Weights from the environment: without the third-party term Kazakhstan's
	// contribution is gone.
	r = runApp(t, func(a *app) {
		a.getenv = func(k string) string {
			if k == "ENTENTE_INDEX_WEIGHTS" {
				return "third=0"
			}
			return ""
		}
	}, "rank", "RUS", "--at", "2024", "--signal", "index", "--format", "csv", "--db", db)
	if r.code != 0 {
		t.Fatal(r)
	}
	if kaz := parseCSV(t, r.stdout).one(t, "iso3", "KAZ"); kaz["third"] != "" {
		t.Errorf("with third=0, KAZ third = %q", kaz["third"])
	}
	wantExit(t, db, 2, []string{"weight"}, "explain", "RUS", "KAZ", "--at", "2024", "--weights", "third=-1")
	wantExit(t, db, 2, []string{"unknown parameter"}, "explain", "RUS", "KAZ", "--at", "2024", "--weights", "nosuch=1")
}

func mustFloat(t *testing.T, s string) float64 {
	t.Helper()
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatalf("not a number: %q", s)
	}
	return f
}

func TestExplain(t *testing.T) {
	db := indexDB(t)
	r := mustRun(t, db, "explain", "RUS", "KAZ", "--at", "2024")
	for _, want := range []string{"Russia (RUS) and Kazakhstan (KAZ), 2024-01-01..2024-12-31", "class", "unvotes", "third", "with GBR", "military_cooperation_agreement", "example.org"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("explain output lacks %q:\n%s", want, r.stdout)
		}
	}
	r = mustRun(t, db, "explain", "RUS", "BLR", "--at", "2024", "--format", "json", "--evidence", "2")
	var x struct {
		Focal, Other, Class string
		Score               *float64
		Signals             []struct {
			Signal    string
			Available bool
			N         int
		}
		Evidence []struct{ Signal, Source string }
	}
	if err := json.Unmarshal([]byte(r.stdout), &x); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, r.stdout)
	}
	if x.Focal != "RUS" || x.Other != "BLR" || x.Class != "ally" || x.Score == nil || len(x.Signals) != len(index.Signals) {
		t.Errorf("explain JSON %+v", x)
	}
	perSignal := map[string]int{}
	for _, ev := range x.Evidence {
		perSignal[ev.Signal]++
		if ev.Source == "" && ev.Signal != "alliances" {
			t.Errorf("evidence of %s without a source", ev.Signal)
		}
	}
	if perSignal["unvotes"] != 2 || perSignal["ledger"] != 1 {
		t.Errorf("evidence per signal %v, want 2 roll calls and the treaty", perSignal)
	}
	wantExit(t, db, 2, []string{"want a focal state and another state"}, "explain", "RUS")
	wantExit(t, db, 2, []string{"Atlantis"}, "explain", "RUS", "Atlantis")
}

func TestDrift(t *testing.T) {
	db := indexDB(t)
	r := mustRun(t, db, "drift", "RUS", "--since", "2021", "--until", "2024", "--format", "csv")
	tb := parseCSV(t, r.stdout)
	want := "rank,iso3,ccode,name,period,direction,shift,before,after,confidence,moved_most,evidence"
	if got := strings.Join(tb.header, ","); got != want {
		t.Fatalf("header %q, want %q", got, want)
	}
	// Armenia and Kazakhstan step down in 2023, when UN votes enter the data and pull
	// the bloc-only score down; Armenia steps down again in 2024 with the CSTO freeze.
	var arm map[string]string
	for _, row := range tb.rows {
		if row["iso3"] == "ARM" && row["period"] == "2024" {
			arm = row
		}
	}
	if arm == nil || arm["direction"] != "away" || mustFloat(t, arm["shift"]) >= 0 || arm["confidence"] == "" {
		t.Fatalf("Armenia's 2024 change %v, want away\n%s", arm, r.stdout)
	}
	if !strings.Contains(arm["evidence"], "membership_suspend") && !strings.Contains(arm["evidence"], "cli.txt") {
		t.Errorf("Armenia's evidence %q lacks the freeze", arm["evidence"])
	}
	r = mustRun(t, db, "drift", "RUS", "--since", "2021", "--until", "2024", "--format", "json")
	var d struct {
		Periods []string
		Movers  []struct {
			ISO3   string
			Series []struct{ Period string }
		}
	}
	if err := json.Unmarshal([]byte(r.stdout), &d); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	if strings.Join(d.Periods, " ") != "2021 2022 2023 2024" || len(d.Movers) == 0 || len(d.Movers[0].Series) != 4 {
		t.Errorf("drift JSON %+v", d)
	}
	wantExit(t, db, 2, []string{"--since"}, "drift", "RUS", "--since", "yesterday")
	wantExit(t, db, 2, []string{"want one focal state"}, "drift")
}

// TestRankReadCache: a rank in a process of its own keeps its reads in the read cache
// ($ENTENTE_CACHE), and answers the same from it; ENTENTE_CACHE=off keeps nothing.
func TestRankReadCache(t *testing.T) {
	db := indexDB(t)
	root := t.TempDir()
	run := func(cache string, args ...string) string {
		r := runApp(t, asMain(cache), append([]string{"--db", db}, args...)...)
		if r.code != 0 {
			t.Fatalf("entente %v: %s", args, r)
		}
		return r.stdout
	}
	kept := func() int { return keptReads(root) }
	args := []string{"rank", "RUS", "--at", "2024", "--format", "csv"}
	want := run("off", args...)
	if kept() != 0 {
		t.Fatal("ENTENTE_CACHE=off kept reads")
	}
	if got := run(root, args...); got != want {
		t.Fatalf("rank through an empty cache:\n%s\nwant\n%s", got, want)
	}
	n := kept()
	if n == 0 {
		t.Fatalf("no read kept under %s", root)
	}
	if got := run(root, args...); got != want {
		t.Fatalf("rank from the cache:\n%s\nwant\n%s", got, want)
	}
	if kept() != n {
		t.Errorf("the same rank again kept %d more reads; want none", kept()-n)
	}
	// explain reads through the same cache and agrees with itself without it.
	ex := []string{"explain", "RUS", "BLR", "--at", "2024", "--format", "csv"}
	if got, want := run(root, ex...), run("off", ex...); got != want {
		t.Errorf("explain from the cache:\n%s\nwant\n%s", got, want)
	}
}

// TestImportWarmsReadCache: an import in a process of its own leaves the reads of a rank
// at the store's default date in the read cache, and a rank there then reads nothing new.
func TestImportWarmsReadCache(t *testing.T) {
	db := newDB(t)
	root := t.TempDir()
	as := asMain
	kept := func() int { return keptReads(root) }
	if r := runApp(t, as(root), "--db", db, "import", "unvotes", "testdata/voeten_excerpt.csv", "--quiet"); r.code != 0 {
		t.Fatalf("import: %s", r)
	}
	n := kept()
	if n == 0 {
		t.Fatal("the import kept no read")
	}
	want := runApp(t, as("off"), "--db", db, "rank", "RUS", "--signal", "index", "--format", "csv")
	got := runApp(t, as(root), "--db", db, "rank", "RUS", "--signal", "index", "--format", "csv")
	if want.code != 0 || got.code != 0 || got.stdout != want.stdout {
		t.Fatalf("rank after the import, from the cache:\n%s\nwant\n%s", got, want)
	}
	if kept() != n {
		t.Errorf("the rank at the default date read %d reads the import had not kept", kept()-n)
	}
}
