package index_test

import (
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/entente/entente"
	"github.com/entente/entente/bloc"
	"github.com/entente/entente/country"
	"github.com/entente/entente/duckdb"
	"github.com/entente/entente/index"
	"github.com/entente/entente/index/scenariotest"
)

// scenarioStore loads the facts of a scenario file into a new DuckDB store.
func scenarioStore(t *testing.T, file string) entente.Store {
	t.Helper()
	ctx := context.Background()
	r, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	sc, err := scenariotest.ParseScenario(r, filepath.Base(file))
	if err != nil {
		t.Fatal(err)
	}
	st, err := duckdb.Open(ctx, filepath.Join(t.TempDir(), "panel.duckdb"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := sc.Load(ctx, st, country.Default()); err != nil {
		t.Fatalf("load: %v", err)
	}
	return st
}

// panelRows runs the panel of q and returns its rows by year and focal ID.
func panelRows(t *testing.T, e *index.Engine, q index.PanelQuery) map[int]map[string][]index.PanelRow {
	t.Helper()
	out := map[int]map[string][]index.PanelRow{}
	err := e.Panel(context.Background(), q, func(r *index.PanelRow) error {
		if out[r.Year] == nil {
			out[r.Year] = map[string][]index.PanelRow{}
		}
		out[r.Year][r.Focal.ID] = append(out[r.Year][r.Focal.ID], *r)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// same reports whether two values are equal to 1e-12 (NaN equals NaN).
func same(a, b float64) bool {
	if math.IsNaN(a) || math.IsNaN(b) {
		return math.IsNaN(a) && math.IsNaN(b)
	}
	return math.Abs(a-b) <= 1e-12
}

// checkPanelAgainstRank compares the panel rows of focal fc in year with RankState at the
// end of the year: the same states, and for each the same score, interval, class, flags
// and signal values, weights and evidence counts; the states RankState leaves out are
// the rows without a score.
func checkPanelAgainstRank(t *testing.T, e *index.Engine, fc entente.Country, year int, rows []index.PanelRow, intervals bool) {
	t.Helper()
	rk, err := e.RankState(context.Background(), fc, index.PanelAt(year))
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(rk.Scores)+rk.Unknown {
		t.Errorf("%s %d: %d panel rows, rank has %d scores and %d unknown", fc.ID, year, len(rows), len(rk.Scores), rk.Unknown)
	}
	byID := map[string]index.Score{}
	for _, s := range rk.Scores {
		byID[s.Other.ID] = s
	}
	unknown := 0
	for _, r := range rows {
		want, ok := byID[r.Other.ID]
		if !ok {
			unknown++
			if r.Known() {
				t.Errorf("%s %d %s: panel score %v, rank leaves the state out", fc.ID, year, r.Other.ID, r.Score.Score)
			}
			continue
		}
		if !same(r.Score.Score, want.Score) || r.Class != want.Class || !slices.Equal(r.Flags, want.Flags) {
			t.Errorf("%s %d %s: panel %v %s %v, rank %v %s %v", fc.ID, year, r.Other.ID, r.Score.Score, r.Class, r.Flags, want.Score, want.Class, want.Flags)
		}
		if intervals && (!same(r.Lo, want.Lo) || !same(r.Hi, want.Hi)) {
			t.Errorf("%s %d %s: panel interval [%v, %v], rank [%v, %v]", fc.ID, year, r.Other.ID, r.Lo, r.Hi, want.Lo, want.Hi)
		}
		if !intervals && (!math.IsNaN(r.Lo) || !math.IsNaN(r.Hi)) {
			t.Errorf("%s %d %s: interval [%v, %v] without Intervals", fc.ID, year, r.Other.ID, r.Lo, r.Hi)
		}
		for k, name := range index.Signals {
			g, w := r.Signals[k], want.Signals[k]
			if !same(g.Value, w.Value) || !same(g.Weight, w.Weight) || !same(g.Contribution, w.Contribution) || g.N != w.N {
				t.Errorf("%s %d %s %s: panel %+v, rank %+v", fc.ID, year, r.Other.ID, name, g, w)
			}
		}
	}
	if unknown != rk.Unknown {
		t.Errorf("%s %d: %d rows without a score, rank leaves %d out", fc.ID, year, unknown, rk.Unknown)
	}
}

// TestPanelMatchesRankState checks, on the scenarios with a third-party term, a regime
// change and bloc exits, that every panel row is the score RankState gives at the end of
// its year, for every focal state of the panel, including the years whose lagged scores
// the panel reuses from the year before.
func TestPanelMatchesRankState(t *testing.T) {
	for _, name := range []string{"third_party", "regime_change", "membership_exit"} {
		t.Run(name, func(t *testing.T) {
			e := index.New(scenarioStore(t, "testdata/scenarios/"+name+".txt"), country.Default(), bloc.Default(), index.DefaultConfig())
			var focals []entente.Country
			for _, id := range []string{"RUS", "USA", "KAZ", "SYR", "FIN"} {
				c, err := e.Resolve(id, entente.Day(2025, 1, 1))
				if err != nil {
					t.Fatal(err)
				}
				focals = append(focals, c)
			}
			q := index.PanelQuery{From: 2021, To: 2024, States: focals}
			got := panelRows(t, e, q)
			thirdSeen := false
			for y := q.From; y <= q.To; y++ {
				if len(got[y]) != len(focals) {
					t.Errorf("%d: %d focal states, want %d", y, len(got[y]), len(focals))
				}
				for _, fc := range focals {
					rows := got[y][fc.ID]
					checkPanelAgainstRank(t, e, fc, y, rows, false)
					for _, r := range rows {
						thirdSeen = thirdSeen || r.Signals[slices.Index(index.Signals, index.SigThird)].Available()
					}
				}
			}
			if name == "third_party" && !thirdSeen {
				t.Error("no third-party term in the panel of the third_party scenario: the comparison does not reach the lagged scores")
			}
		})
	}
}

// TestPanelIntervals checks that with Intervals the panel's bootstrap intervals are
// RankState's.
func TestPanelIntervals(t *testing.T) {
	e := index.New(scenarioStore(t, "testdata/scenarios/third_party.txt"), country.Default(), bloc.Default(), index.DefaultConfig())
	rus, err := e.Resolve("RUS", entente.Day(2025, 1, 1))
	if err != nil {
		t.Fatal(err)
	}
	got := panelRows(t, e, index.PanelQuery{From: 2023, To: 2024, States: []entente.Country{rus}, Intervals: true})
	known := 0
	for y := 2023; y <= 2024; y++ {
		checkPanelAgainstRank(t, e, rus, y, got[y]["RUS"], true)
		for _, r := range got[y]["RUS"] {
			if r.Known() {
				known++
			}
		}
	}
	if known == 0 {
		t.Fatal("no scored row: the interval comparison compared nothing")
	}
}

// TestPanelOrderAndStop checks the rows' order (year, ccode1, ccode2, states without a
// COW number last), the focal states of each year (every state that exists then, once),
// and that an error of fn stops the panel and is returned.
func TestPanelOrderAndStop(t *testing.T) {
	e := index.New(scenarioStore(t, "testdata/scenarios/decay.txt"), country.Default(), bloc.Default(), index.DefaultConfig())
	type key struct {
		year     int
		c1, c2   int
		id1, id2 string
	}
	less := func(a, b key) bool {
		cow := func(x, y int) int {
			switch {
			case x == y:
				return 0
			case x == 0:
				return 1
			case y == 0:
				return -1
			case x < y:
				return -1
			}
			return 1
		}
		if a.year != b.year {
			return a.year < b.year
		}
		if c := cow(a.c1, b.c1); c != 0 || a.id1 != b.id1 {
			return c < 0 || c == 0 && a.id1 < b.id1
		}
		if c := cow(a.c2, b.c2); c != 0 {
			return c < 0
		}
		return a.id2 < b.id2
	}
	var prev *key
	focals := map[int]map[string]bool{}
	n := 0
	err := e.Panel(context.Background(), index.PanelQuery{From: 1991, To: 1992}, func(r *index.PanelRow) error {
		k := key{r.Year, r.Focal.COW, r.Other.COW, r.Focal.ID, r.Other.ID}
		if prev != nil && !less(*prev, k) {
			t.Fatalf("row %+v after %+v", k, *prev)
		}
		if r.Focal.ID == r.Other.ID {
			t.Fatalf("row %+v pairs a state with itself", k)
		}
		prev = &k
		if focals[r.Year] == nil {
			focals[r.Year] = map[string]bool{}
		}
		focals[r.Year][r.Focal.ID] = true
		n++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for y, fs := range focals {
		want := e.PanelFocals(y, nil)
		if len(fs) != len(want) {
			t.Errorf("%d: %d focal states, want %d", y, len(fs), len(want))
		}
	}
	// The Soviet Union is a focal state in 1990's panel only, Russia from 1991 (it
	// exists on 1991-12-31).
	if !focals[1991]["RUS"] || focals[1991]["SUN"] || focals[1992]["SUN"] {
		t.Errorf("1991 focal states RUS %v SUN %v, 1992 SUN %v: want Russia, not the Soviet Union", focals[1991]["RUS"], focals[1991]["SUN"], focals[1992]["SUN"])
	}

	stop := errors.New("stop")
	calls := 0
	err = e.Panel(context.Background(), index.PanelQuery{From: 1991, To: 1992}, func(*index.PanelRow) error {
		calls++
		if calls == 10 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || calls != 10 {
		t.Errorf("fn failing at row 10: Panel returned %v after %d calls (of %d rows)", err, calls, n)
	}
}

// TestPanelAfterData checks that the panel refuses years after the store's data, as
// RankState does, before writing any row.
func TestPanelAfterData(t *testing.T) {
	e := index.New(scenarioStore(t, "testdata/scenarios/third_party.txt"), country.Default(), bloc.Default(), index.DefaultConfig())
	rows := 0
	err := e.Panel(context.Background(), index.PanelQuery{From: 2024, To: 2026}, func(*index.PanelRow) error { rows++; return nil })
	if entente.ErrorCode(err) != entente.EINVALID || rows != 0 {
		t.Errorf("panel 2024-2026 past data ending 2024: error %v after %d rows, want EINVALID before any row", err, rows)
	}
	rus, _ := e.Resolve("RUS", index.PanelAt(2024))
	if _, err2 := e.RankState(context.Background(), rus, index.PanelAt(2026)); err2 == nil || err2.Error() != err.Error() {
		t.Errorf("RankState at 2026: %v; panel: %v: want the same refusal", err2, err)
	}
}
