package http

import (
	"database/sql"
	"encoding/csv"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	_ "github.com/duckdb/duckdb-go/v2"

	"github.com/entente/entente/index"
)

// TestRankWeights checks that weights in the query re-rank: with every weight but the
// ledger's at 0, the scores follow the ledger alone, differ from the default ranking,
// and are cached under their own key (the default answer is unchanged afterwards).
func TestRankWeights(t *testing.T) {
	_, ts := testServer(t)
	var def, led, def2 RankResponse
	getJSON(t, ts, "/api/v1/rank/RUS?at=2025-06", &def)
	getJSON(t, ts, "/api/v1/rank/RUS?at=2025-06&w.unvotes=0&w.alliances=0&w.blocs=0&w.events=0&w.aid=0&w.third=0", &led)
	getJSON(t, ts, "/api/v1/rank/RUS?at=2025-06", &def2)
	order := func(r RankResponse) string {
		var ids []string
		for _, s := range r.Scores {
			ids = append(ids, s.State.ID)
		}
		return strings.Join(ids, " ")
	}
	if order(def) != order(def2) {
		t.Errorf("the default ranking changed after a weighted request")
	}
	if order(def) == order(led) {
		t.Errorf("ledger-only weights give the default ranking: %s", order(led))
	}
	for _, s := range led.Scores {
		for name, p := range s.Signals {
			if name != "ledger" && p.Available && float64(p.Contribution) != 0 {
				t.Errorf("%s: %s contributes %v with weight 0", s.State.ID, name, p.Contribution)
			}
		}
	}
	var w WeightsResponse
	getJSON(t, ts, "/api/v1/weights", &w)
	if !w.Reweightable || w.Weights["ledger"] != index.DefaultConfig().Weights[slices.Index(index.Signals, "ledger")] || len(w.Signals) != len(index.Signals) {
		t.Errorf("weights %+v", w)
	}
	for _, bad := range []string{"w.ledger=-1", "w.ledger=x", "w.gravity=1", "w.ledger=1000"} {
		if code, _, body := get(t, ts, "GET", "/api/v1/rank/RUS?at=2025-06&"+bad); code != 400 {
			t.Errorf("%s: %d %s, want 400", bad, code, body)
		}
	}
}

// TestRankDownload checks ?format=csv and ?format=parquet: the CSV has the ranking's
// rows in order with focal and at, and DuckDB reads the same rows and values back from
// the Parquet download.
func TestRankDownload(t *testing.T) {
	_, ts := testServer(t)
	var js RankResponse
	getJSON(t, ts, "/api/v1/rank/RUS?at=2025-06&w.events=0", &js)
	code, h, body := get(t, ts, "GET", "/api/v1/rank/RUS?at=2025-06&w.events=0&format=csv")
	if code != 200 || !strings.HasPrefix(h.Get("Content-Type"), "text/csv") || !strings.Contains(h.Get("Content-Disposition"), "entente-rank-RUS-2025-06-30.csv") {
		t.Fatalf("csv: %d %v", code, h)
	}
	recs, err := csv.NewReader(strings.NewReader(string(body))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs)-1 != len(js.Scores) || strings.Join(recs[0][:4], ",") != "focal,at,rank,iso3" {
		t.Fatalf("csv: %d rows for %d scores; header %v", len(recs)-1, len(js.Scores), recs[0])
	}
	for i, s := range js.Scores {
		r := recs[i+1]
		sc, _ := strconv.ParseFloat(r[6], 64)
		if r[0] != "RUS" || r[1] != "2025-06-30" || r[3] != s.State.ID || sc-float64(s.Score) > 5e-5 || float64(s.Score)-sc > 5e-5 {
			t.Fatalf("csv row %d %v, json %s %v", i+1, r, s.State.ID, s.Score)
		}
	}
	code, h, pq := get(t, ts, "GET", "/api/v1/rank/RUS?at=2025-06&w.events=0&format=parquet")
	if code != 200 || h.Get("Content-Type") != "application/vnd.apache.parquet" {
		t.Fatalf("parquet: %d %v", code, h)
	}
	file := filepath.Join(t.TempDir(), "rank.parquet")
	if err := os.WriteFile(file, pq, 0o644); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.Exec("SET autoload_known_extensions = false")
	rows, err := db.Query("SELECT iso3, score, events FROM read_parquet(?)", file)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	i := 0
	for ; rows.Next(); i++ {
		var id string
		var score sql.NullFloat64
		var events sql.NullFloat64
		if err := rows.Scan(&id, &score, &events); err != nil {
			t.Fatal(err)
		}
		want := recs[i+1]
		if id != want[3] || strconv.FormatFloat(score.Float64, 'g', -1, 64) != want[6] {
			t.Fatalf("parquet row %d: %s %v, csv %v", i+1, id, score, want)
		}
	}
	if i != len(recs)-1 {
		t.Errorf("parquet %d rows, csv %d", i, len(recs)-1)
	}
	if code, _, _ := get(t, ts, "GET", "/api/v1/rank/RUS?format=xlsx"); code != 400 {
		t.Errorf("format=xlsx: %d, want 400", code)
	}
	if code, _, _ := get(t, ts, "GET", "/api/v1/rank/Atlantis?format=csv"); code != 400 && code != 404 {
		t.Errorf("Atlantis csv: %d", code)
	}
}

// TestDataCoverage checks the data_coverage object: the roll calls in the window equal
// the ranking's count, every stored signal has its date range, and a window reaching
// past the last roll call is flagged.
func TestDataCoverage(t *testing.T) {
	_, ts := testServer(t)
	var r RankResponse
	getJSON(t, ts, "/api/v1/rank/RUS?at=2025-06", &r)
	un, ok := r.DataCoverage["unvotes"]
	// The index may widen its UN window when roll calls are few, never narrow it.
	if !ok || un.InWindow == 0 || un.InWindow > int64(r.RollCalls) || un.First == "" || un.Last < un.First {
		t.Fatalf("unvotes coverage %+v, ranking reads %d roll calls", un, r.RollCalls)
	}
	for _, sig := range []string{"events", "aid", "ledger"} {
		if _, ok := r.DataCoverage[sig]; !ok {
			t.Errorf("no coverage of %s", sig)
		}
	}
	if r.DataCoverage["ledger"].InWindow == 0 {
		t.Errorf("no ledger act of Russia in the window: %+v", r.DataCoverage["ledger"])
	}
	// A window that starts after the last roll call (2025-03-04) but holds ledger acts is
	// ranked with the UN record's end flagged; one after all the data is refused
	// (TestDateSemantics).
	var late RankResponse
	getJSON(t, ts, "/api/v1/rank/RUS?at=2025-06-30", &late)
	if n := late.DataCoverage["unvotes"]; !strings.Contains(n.Note, "the data end 2025-03-04") {
		t.Errorf("at 2025-06-30: unvotes coverage %+v, want a note on the data's end", n)
	}
	var d DyadResponse
	getJSON(t, ts, "/api/v1/dyad/RUS/BLR", &d)
	if c := d.DataCoverage["ledger"]; c.Scope != "RUS–BLR" || c.InWindow == 0 {
		t.Errorf("dyad ledger coverage %+v", c)
	}
	t.Logf("RUS 2025-06: %+v", r.DataCoverage)
}
