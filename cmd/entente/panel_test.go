package main

import (
	"context"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/entente/entente"
	"github.com/entente/entente/bloc"
	"github.com/entente/entente/country"
	"github.com/entente/entente/duckdb"
	"github.com/entente/entente/index"
)

// TestPanel checks the panel of indexFacts against rank: the columns, one row per
// directed dyad of the focal states and every other state in each year, each score the
// one 'rank FOCAL --at YEAR' prints (the same shortest round-trip digits), the rows
// without a score counted in the note, and CSV by default.
func TestPanel(t *testing.T) {
	db := indexDB(t)
	r := mustRun(t, db, "panel", "--from", "2023", "--to", "2024", "--states", "RUS,usa")
	tb := parseCSV(t, r.stdout)
	want := "ccode1,ccode2,year,iso3_1,iso3_2,score,class," + strings.Join(index.Signals, ",")
	for _, s := range index.Signals {
		want += "," + s + "_n"
	}
	want += ",n_signals"
	if got := strings.Join(tb.header, ","); got != want {
		t.Fatalf("header %q, want %q", got, want)
	}
	unknown := 0
	for _, year := range []string{"2023", "2024"} {
		for _, focal := range []string{"RUS", "USA"} {
			rows := tb.find("year", year, "iso3_1", focal)
			rk := parseCSV(t, mustRun(t, db, "rank", focal, "--at", year, "--format", "csv").stdout)
			ranked := map[string]map[string]string{}
			for _, row := range rk.rows {
				ranked[row["iso3"]] = row
			}
			if len(rows) < len(rk.rows) || len(rows) < 150 {
				t.Fatalf("%s %s: %d panel rows, rank has %d: want every state of the year", focal, year, len(rows), len(rk.rows))
			}
			for _, row := range rows {
				if row["iso3_2"] == focal {
					t.Errorf("%s %s: a row with itself", focal, year)
				}
				rr, ok := ranked[row["iso3_2"]]
				if !ok {
					unknown++
					if row["score"] != "" || row["class"] != "unknown" {
						t.Errorf("%s %s %s: score %q class %q, rank leaves the state out: want empty and unknown", focal, year, row["iso3_2"], row["score"], row["class"])
					}
					continue
				}
				if row["score"] != rr["score"] || row["class"] != rr["class"] || row["ccode2"] != rr["ccode"] {
					t.Errorf("%s %s %s: panel %s %s ccode %s, rank %s %s ccode %s", focal, year, row["iso3_2"], row["score"], row["class"], row["ccode2"], rr["score"], rr["class"], rr["ccode"])
				}
				// rank prints contributions; the panel prints values: a signal is empty
				// in one exactly when it is in the other.
				for _, s := range index.Signals {
					if (row[s] == "") != (rr[s] == "") {
						t.Errorf("%s %s %s %s: panel value %q, rank contribution %q", focal, year, row["iso3_2"], s, row[s], rr[s])
					}
				}
			}
		}
	}
	if unknown == 0 {
		t.Error("no row without a score: the unknown path is untested")
	}
	if !strings.Contains(r.stderr, strconv.Itoa(len(tb.rows))+" directed dyad-years") || !strings.Contains(r.stderr, strconv.Itoa(unknown)+" without direct evidence") {
		t.Errorf("closing note does not count %d rows and %d unknown:\n%s", len(tb.rows), unknown, r.stderr)
	}
	// The rows come by year, then ccode1.
	for i := 1; i < len(tb.rows); i++ {
		a, b := tb.rows[i-1], tb.rows[i]
		if a["year"] > b["year"] || a["year"] == b["year"] && a["ccode1"] != b["ccode1"] && atoi(t, a["ccode1"]) > atoi(t, b["ccode1"]) {
			t.Fatalf("row %d (%s %s) after row %d (%s %s)", i+1, b["year"], b["ccode1"], i, a["year"], a["ccode1"])
		}
	}
}

// TestPanelParquet checks that the panel's Parquet file holds the CSV's values, with
// typed columns: the signal columns are double even where no row has the signal.
func TestPanelParquet(t *testing.T) {
	db := indexDB(t)
	tb := checkParquetEqualsCSV(t, db, map[string]string{"ccode1": "BIGINT", "year": "BIGINT", "iso3_2": "VARCHAR", "score": "DOUBLE",
		"events": "DOUBLE", "aid": "DOUBLE", "unvotes_n": "BIGINT", "n_signals": "BIGINT"},
		"panel", "--from", "2024", "--to", "2024", "--states", "RUS")
	for _, row := range tb.rows {
		if row["events"] != "" {
			t.Fatalf("events %q: indexFacts hold no events; the all-null column is untested", row["events"])
		}
	}
	// --intervals adds lo and hi after score, around it.
	iv := parseCSV(t, mustRun(t, db, "panel", "--from", "2024", "--to", "2024", "--states", "RUS", "--intervals").stdout)
	if i := slices.Index(iv.header, "lo"); i != 6 || iv.header[7] != "hi" {
		t.Fatalf("--intervals header %q: want lo, hi after score", iv.header)
	}
	for _, row := range iv.rows {
		if row["score"] == "" {
			continue
		}
		s, lo, hi := mustFloat(t, row["score"]), mustFloat(t, row["lo"]), mustFloat(t, row["hi"])
		if lo > s+1e-9 || hi < s-1e-9 {
			t.Errorf("%s: score %v outside [%v, %v]", row["iso3_2"], s, lo, hi)
		}
	}
}

// TestPanelWeights: the panel takes the index's parameters as rank does: with
// --weights, each score is the one rank prints with the same --weights (and differs
// from the default's somewhere), a signal weighed in gets its column; a parameter that
// does not exist is refused by name.
func TestPanelWeights(t *testing.T) {
	db := indexDB(t)
	const w = "weight.ledger=0,weight.blocs=2"
	def := parseCSV(t, mustRun(t, db, "panel", "--from", "2024", "--states", "RUS").stdout)
	got := parseCSV(t, mustRun(t, db, "panel", "--from", "2024", "--states", "RUS", "--weights", w).stdout)
	rk := parseCSV(t, mustRun(t, db, "rank", "RUS", "--at", "2024", "--format", "csv", "--weights", w).stdout)
	ranked := map[string]string{}
	for _, row := range rk.rows {
		ranked[row["iso3"]] = row["score"]
	}
	differ, ledger := 0, 0
	for _, row := range def.rows {
		if row["ledger"] != "" {
			ledger++
		}
	}
	if ledger == 0 {
		t.Fatal("no ledger value without --weights: weight.ledger=0 proves nothing")
	}
	for i, row := range got.rows {
		if row["iso3_2"] != def.rows[i]["iso3_2"] {
			t.Fatalf("row %d: %s, without --weights %s: want the same rows", i+1, row["iso3_2"], def.rows[i]["iso3_2"])
		}
		if s, ok := ranked[row["iso3_2"]]; ok && row["score"] != s {
			t.Errorf("%s: panel --weights %s, rank --weights %s", row["iso3_2"], row["score"], s)
		}
		if row["score"] != def.rows[i]["score"] {
			differ++
		}
		if row["ledger"] != "" {
			t.Errorf("%s: ledger %q with weight.ledger=0: a signal weighed 0 has no value", row["iso3_2"], row["ledger"])
		}
	}
	if differ == 0 {
		t.Error("no score changed with --weights: the flag is not read")
	}
	wantExit(t, db, 2, []string{`unknown parameter "weight.nope"`}, "panel", "--from", "2024", "--weights", "weight.nope=1")
}

// TestPanelUsage checks the panel's refusals: no --from, a bad year, an empty range, an
// unknown state, the table format, and years after the store's data.
func TestPanelUsage(t *testing.T) {
	db := indexDB(t)
	wantExit(t, db, 2, []string{"give --from"}, "panel")
	wantExit(t, db, 2, []string{`--from "90"`}, "panel", "--from", "90")
	wantExit(t, db, 2, []string{"--to 2020 is before --from 2024"}, "panel", "--from", "2024", "--to", "2020")
	wantExit(t, db, 2, []string{"Atlantis"}, "panel", "--from", "2024", "--states", "Atlantis")
	wantExit(t, db, 2, []string{"--format table"}, "panel", "--from", "2024", "--format", "table")
	wantExit(t, db, 2, []string{"lies after the data", "2024-06-08"}, "panel", "--from", "2024", "--to", "2030")
}

// TestRealPanel is the panel on the real data (realIndexStore: every kind of evidence
// the index reads): for a few focal states and years, the engine's panel rows are
// RankState's scores, contributions and evidence counts to 1e-12, including years whose
// third-party term reads lagged scores the panel carried over from the year before.
func TestRealPanel(t *testing.T) {
	db := realIndexStore(t)

	ctx := context.Background()
	st, err := duckdb.OpenReadOnly(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	// Signals the defaults weigh 0 (docs/index.md) get weight 1 here, so that the panel
	// is compared with RankState on every signal.
	cfg := index.DefaultConfig()
	for i, sig := range index.Signals {
		if cfg.Weights[i] == 0 {
			if err := cfg.Set(sig, "1"); err != nil {
				t.Fatal(err)
			}
		}
	}
	e := index.New(st, country.Default(), bloc.Default(), cfg)
	var focals []entente.Country
	for _, id := range []string{"RUS", "USA", "KAZ", "DEU", "IND", "UKR", "POL"} {
		c, err := e.Resolve(id, index.PanelAt(2024))
		if err != nil {
			t.Fatal(err)
		}
		focals = append(focals, c)
	}
	years := [][2]int{{1990, 1992}, {2015, 2018}, {2022, 2025}}
	third := 0
	seen := map[string]int{} // rows with each signal available
	for _, span := range years {
		rows := map[int]map[string][]index.PanelRow{}
		err := e.Panel(ctx, index.PanelQuery{From: span[0], To: span[1], States: focals}, func(r *index.PanelRow) error {
			if rows[r.Year] == nil {
				rows[r.Year] = map[string][]index.PanelRow{}
			}
			rows[r.Year][r.Focal.ID] = append(rows[r.Year][r.Focal.ID], *r)
			if r.Signals[slices.Index(index.Signals, index.SigThird)].Available() {
				third++
			}
			for k, name := range index.Signals {
				if r.Signals[k].Available() {
					seen[name]++
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		for y := span[0]; y <= span[1]; y++ {
			for _, fc := range index.New(st, country.Default(), bloc.Default(), cfg).PanelFocals(y, focals) {
				realCheckAgainstRank(t, e, fc, y, rows[y][fc.ID])
			}
		}
	}
	if third == 0 {
		t.Error("no third-party term in the real panel: the lagged scores are untested")
	}
	for _, name := range []string{index.SigUNVotes, index.SigIdeal, index.SigAlliances, index.SigBlocs, index.SigEvents, index.SigLedger, index.SigAid, index.SigForce} {
		if seen[name] == 0 {
			t.Errorf("no row with %s available: that signal is not compared", name)
		}
	}
	t.Logf("rows with each signal: %v", seen)
}

// realCheckAgainstRank compares the panel rows of fc in year with RankState.
func realCheckAgainstRank(t *testing.T, e *index.Engine, fc entente.Country, year int, rows []index.PanelRow) {
	t.Helper()
	rk, err := e.RankState(context.Background(), fc, index.PanelAt(year))
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(rk.Scores)+rk.Unknown || len(rows) == 0 {
		t.Fatalf("%s %d: %d panel rows, rank %d scores + %d unknown", fc.ID, year, len(rows), len(rk.Scores), rk.Unknown)
	}
	by := map[string]index.Score{}
	for _, s := range rk.Scores {
		by[s.Other.ID] = s
	}
	eq := func(a, b float64) bool {
		if math.IsNaN(a) || math.IsNaN(b) {
			return math.IsNaN(a) && math.IsNaN(b)
		}
		return math.Abs(a-b) <= 1e-12
	}
	for _, r := range rows {
		w, ok := by[r.Other.ID]
		if !ok {
			if r.Known() {
				t.Errorf("%s %d %s: panel %v, rank leaves it out", fc.ID, year, r.Other.ID, r.Score.Score)
			}
			continue
		}
		if !eq(r.Score.Score, w.Score) || r.Class != w.Class {
			t.Errorf("%s %d %s: panel %v %s, rank %v %s", fc.ID, year, r.Other.ID, r.Score.Score, r.Class, w.Score, w.Class)
		}
		for k := range index.Signals {
			g, x := r.Signals[k], w.Signals[k]
			if !eq(g.Value, x.Value) || !eq(g.Weight, x.Weight) || !eq(g.Contribution, x.Contribution) || g.N != x.N {
				t.Errorf("%s %d %s %s: panel %+v, rank %+v", fc.ID, year, r.Other.ID, index.Signals[k], g, x)
			}
		}
	}
}

// TestProgressCount checks the progress bar of counted work: the count and its unit,
// not bytes, and nothing when off.
func TestProgressCount(t *testing.T) {
	var b strings.Builder
	p := &progressBar{w: &b, on: true}
	p.UpdateCount("panel", 3, 10, "focal-years")
	if s := b.String(); !strings.Contains(s, " 30% 3/10 focal-years") || strings.Contains(s, " B") {
		t.Errorf("bar %q: want 30%% and 3/10 focal-years", s)
	}
	var off strings.Builder
	(&progressBar{w: &off}).UpdateCount("panel", 3, 10, "focal-years")
	if off.Len() != 0 {
		t.Errorf("bar drawn while off: %q", off.String())
	}
}
