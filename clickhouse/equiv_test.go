package clickhouse

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"sort"
	"testing"
	"time"

	"github.com/entente/entente"
	"github.com/entente/entente/country"
	"github.com/entente/entente/duckdb"
	"github.com/entente/entente/ingest/atop"
	"github.com/entente/entente/ingest/gdelt"
	"github.com/entente/entente/ingest/unvotes"
	"github.com/entente/entente/signal"
)

// sharedData is ../shared/data of the workspace, with the real upstream files.
func sharedData(t *testing.T) string {
	_, file, _, _ := runtime.Caller(0)
	dir := filepath.Join(filepath.Dir(file), "..", "..", "shared", "data")
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("no real data at %s: the equivalence test needs ../shared/data", dir)
	}
	return dir
}

// TestEquivalence imports the real UN votes (Voeten), ATOP and the GDELT 2.0 sample
// into DuckDB, one ClickHouse server and the 2-shard cluster, and checks that the
// import reports, ballots, similarity by year (signal.AllPairs), a ranking
// (signal.Focal), event signals and evidence are the same on all three.
func TestEquivalence(t *testing.T) {
	needServer(t)
	data := sharedData(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	reg := country.Default()

	dd, err := duckdb.Open(ctx, filepath.Join(t.TempDir(), "e.duckdb"))
	if err != nil {
		t.Fatal(err)
	}
	defer dd.Close()
	single := openStore(t, singleAddr, false)
	defer single.Close()
	cluster := openStore(t, clusterAddr, true)
	defer cluster.Close()
	stores := []struct {
		name string
		s    entente.Store
	}{{"duckdb", dd}, {"clickhouse", single}, {"cluster", cluster}}

	gfiles, _ := filepath.Glob(filepath.Join(data, "gdelt", "v2", "*.CSV"))
	sort.Strings(gfiles)
	var gdeltFiles []gdelt.File
	for _, p := range gfiles {
		gdeltFiles = append(gdeltFiles, gdelt.File{Path: p})
	}
	type imported struct{ votes, events, ties []entente.ImportReport }
	results := make([]imported, len(stores))
	for i, st := range stores {
		start := time.Now()
		var err error
		results[i].votes, err = st.s.ImportVotes(ctx, func(w entente.VoteWriter) error {
			_, err := unvotes.Import(ctx, w, reg, []unvotes.File{{Path: filepath.Join(data, "unvotes", "voeten_votes_1946_2024.csv")}}, unvotes.Options{})
			return err
		})
		if err != nil {
			t.Fatalf("%s: import votes: %v", st.name, err)
		}
		results[i].events, err = st.s.ImportEvents(ctx, func(w entente.EventWriter) error {
			_, err := gdelt.Import(ctx, w, reg, gdeltFiles, gdelt.Options{})
			return err
		})
		if err != nil {
			t.Fatalf("%s: import gdelt: %v", st.name, err)
		}
		results[i].ties, err = st.s.ImportTies(ctx, func(w entente.TieWriter) error {
			_, err := atop.Import(ctx, w, []atop.File{{Path: filepath.Join(data, "alliances", "peacesciencer_atop_alliance.csv")}})
			return err
		})
		if err != nil {
			t.Fatalf("%s: import atop: %v", st.name, err)
		}
		t.Logf("%s: imports in %v", st.name, time.Since(start).Round(time.Millisecond))
	}
	counts := func(rs []entente.ImportReport) [][4]int64 {
		var out [][4]int64
		for _, r := range rs {
			out = append(out, [4]int64{r.Read, r.Imported, r.Quarantined, r.Duplicate})
		}
		return out
	}
	for i := 1; i < len(stores); i++ {
		for _, k := range []struct {
			what string
			a, b []entente.ImportReport
		}{{"votes", results[0].votes, results[i].votes}, {"events", results[0].events, results[i].events}, {"ties", results[0].ties, results[i].ties}} {
			if !reflect.DeepEqual(counts(k.a), counts(k.b)) {
				t.Errorf("%s import counts (read, imported, quarantined, duplicate): %s %v, duckdb %v", k.what, stores[i].name, counts(k.b), counts(k.a))
			}
			for j := range k.a {
				if j < len(k.b) && !reflect.DeepEqual(k.a[j].Notes, k.b[j].Notes) {
					t.Errorf("%s notes of %s: %s %q, duckdb %q", k.what, k.a[j].File.Path, stores[i].name, k.b[j].Notes, k.a[j].Notes)
				}
			}
		}
	}
	t.Logf("votes %v, events %v, ties %v", counts(results[0].votes), counts(results[0].events), counts(results[0].ties))

	// UN votes: ballots, similarity by year, and the ranking of Russia in 2019.
	var refBallots []entente.Ballot
	var refYears, refRank []entente.Similarity
	for i, st := range stores {
		start := time.Now()
		b, err := st.s.Ballots(ctx, entente.BallotQuery{})
		if err != nil {
			t.Fatalf("%s: ballots: %v", st.name, err)
		}
		took := time.Since(start)
		years := signal.AllPairs(b, signal.ByYear(), 2)
		in2019, err := st.s.Ballots(ctx, entente.BallotQuery{From: entente.Day(2019, 1, 1), To: entente.Day(2020, 1, 1)})
		if err != nil {
			t.Fatal(err)
		}
		rank := signal.Focal(in2019, func(*entente.Ballot) string { return "2019" }, 365)
		t.Logf("%s: %d ballots in %v, %d dyad-years, %d states ranked for RUS 2019", st.name, len(b), took.Round(time.Millisecond), len(years), len(rank))
		if i == 0 {
			refBallots, refYears, refRank = b, years, rank
			if len(b) == 0 || len(rank) == 0 {
				t.Fatal("no ballots or no ranking in DuckDB: nothing to compare")
			}
			continue
		}
		if !reflect.DeepEqual(b, refBallots) {
			t.Errorf("%s: ballots differ from duckdb's (%d vs %d)", st.name, len(b), len(refBallots))
		}
		sameSim(t, st.name+" similarity by year", years, refYears)
		sameSim(t, st.name+" rank RUS 2019", rank, refRank)
	}

	// Events: signals by month and by year, one dyad's evidence; alliances of 2018.
	var refSig [2][]entente.EventSignal
	var refEv []entente.EventEvidence
	var refAll []entente.AllianceTie
	for i, st := range stores {
		var sig [2][]entente.EventSignal
		for j, by := range []string{"month", "year"} {
			sig[j], err = st.s.EventSignals(ctx, entente.EventQuery{By: by})
			if err != nil {
				t.Fatalf("%s: event signals: %v", st.name, err)
			}
		}
		ev, err := st.s.EventEvidence(ctx, entente.EventQuery{A: "USA", By: "month"}, 3)
		if err != nil {
			t.Fatalf("%s: evidence: %v", st.name, err)
		}
		all, err := st.s.Alliances(ctx, 2018, 0)
		if err != nil {
			t.Fatalf("%s: alliances: %v", st.name, err)
		}
		if i == 0 {
			refSig, refEv, refAll = sig, ev, all
			t.Logf("duckdb: %d dyad-months, %d dyad-years, %d evidence rows, %d alliance ties in 2018", len(sig[0]), len(sig[1]), len(ev), len(all))
			continue
		}
		for j := range sig {
			sameSignals(t, st.name, sig[j], refSig[j])
		}
		if !reflect.DeepEqual(ev, refEv) {
			t.Errorf("%s: evidence differs from duckdb's:\n%+v\nwant\n%+v", st.name, ev, refEv)
		}
		if !reflect.DeepEqual(all, refAll) {
			t.Errorf("%s: alliances of 2018 differ from duckdb's (%d vs %d)", st.name, len(all), len(refAll))
		}
	}
}

// close reports whether two sums of the same float32 values, added in another order,
// agree.
func close(a, b float64) bool {
	if math.IsNaN(a) || math.IsNaN(b) {
		return math.IsNaN(a) == math.IsNaN(b)
	}
	return math.Abs(a-b) <= 1e-9*math.Max(1, math.Max(math.Abs(a), math.Abs(b)))
}

func sameSim(t *testing.T, what string, got, want []entente.Similarity) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: %d rows, duckdb %d", what, len(got), len(want))
		return
	}
	for i := range want {
		g, w := got[i], want[i]
		same := g.A == w.A && g.B == w.B && g.Period == w.Period && g.N == w.N
		for j := range w.Values {
			same = same && (g.Values[j] == w.Values[j] || math.IsNaN(g.Values[j]) && math.IsNaN(w.Values[j]))
		}
		if !same {
			t.Errorf("%s: row %d = %+v, duckdb %+v", what, i, g, w)
			return
		}
	}
}

func sameSignals(t *testing.T, what string, got, want []entente.EventSignal) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: %d event signals, duckdb %d", what, len(got), len(want))
		return
	}
	for i := range want {
		g, w := got[i], want[i]
		if g.A != w.A || g.B != w.B || g.Period != w.Period || g.N != w.N || g.Quad != w.Quad || g.Weight != w.Weight ||
			!close(g.GoldsteinSum, w.GoldsteinSum) || !close(g.GoldsteinMean, w.GoldsteinMean) || !close(g.CoopShare, w.CoopShare) {
			t.Errorf("%s: event signal %d = %+v, duckdb %+v", what, i, g, w)
			return
		}
	}
}
