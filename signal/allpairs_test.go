package signal

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/entente/entente"
)

// randomBallots makes n roll calls over years from..from+years−1 drawn from a pool of
// states that each miss a roll call at random and sometimes record absent or
// non-member; some roll calls have an unknown session.
func randomBallots(rng *rand.Rand, n, from, years int, pool []int16) []entente.Ballot {
	ballots := make([]entente.Ballot, 0, n)
	for r := range n {
		y := from + rng.IntN(years)
		date := entente.Day(y, time.Month(1+rng.IntN(12)), 1+rng.IntN(28))
		session := y - 1945
		if rng.IntN(10) == 0 {
			session = 0
		}
		b := entente.Ballot{Source: "test", RollCallID: fmt.Sprint(r), Date: date, Session: session}
		present := rng.Float64() // how full this roll call is
		for _, cc := range pool {
			if rng.Float64() > present {
				continue
			}
			v := entente.VoteValue(1 + rng.IntN(3))
			switch rng.IntN(20) {
			case 0:
				v = entente.Absent
			case 1:
				v = entente.NonMember
			}
			// Some states lean one way, so not every table is noise.
			if cc%3 == 0 && rng.IntN(2) == 0 {
				v = entente.Yes
			}
			b.CCodes = append(b.CCodes, cc)
			b.Votes = append(b.Votes, v)
		}
		ballots = append(ballots, b)
	}
	slices.SortFunc(ballots, func(a, b entente.Ballot) int { return a.Date.Compare(b.Date) })
	return ballots
}

// naive computes every dyad in every period with Pair over full vote vectors.
func naive(ballots []entente.Ballot, period Period, pool []int16) map[[3]string]entente.Similarity {
	byKey := map[string][]*entente.Ballot{}
	for i := range ballots {
		if k := period(&ballots[i]); k != "" {
			byKey[k] = append(byKey[k], &ballots[i])
		}
	}
	want := map[[3]string]entente.Similarity{}
	for key, bs := range byKey {
		for _, a := range pool {
			for _, b := range pool {
				if a >= b {
					continue
				}
				va := make([]entente.VoteValue, len(bs))
				vb := make([]entente.VoteValue, len(bs))
				for r, bl := range bs {
					for k, cc := range bl.CCodes {
						switch cc {
						case a:
							va[r] = bl.Votes[k]
						case b:
							vb[r] = bl.Votes[k]
						}
					}
				}
				n, v := Pair(va, vb).Metrics()
				if n > 0 {
					want[[3]string{key, fmt.Sprint(a), fmt.Sprint(b)}] = entente.Similarity{A: int(a), B: int(b), Period: key, N: n, Values: v}
				}
			}
		}
	}
	return want
}

func sameRow(a, b entente.Similarity) bool {
	if a.A != b.A || a.B != b.B || a.Period != b.Period || a.N != b.N {
		return false
	}
	for k := range a.Values {
		if !same(a.Values[k], b.Values[k]) {
			return false
		}
	}
	return true
}

func checkOrder(t *testing.T, rows []entente.Similarity) {
	t.Helper()
	for i := 1; i < len(rows); i++ {
		p, q := rows[i-1], rows[i]
		if p.Period == q.Period && (p.A > q.A || p.A == q.A && p.B >= q.B) || p.Period != q.Period && !periodLess(p.Period, q.Period) {
			t.Fatalf("rows %d and %d out of order: %v %v", i-1, i, p, q)
		}
		if q.A >= q.B {
			t.Fatalf("row %d: A >= B: %v", i, q)
		}
	}
}

func TestAllPairsMatchesNaive(t *testing.T) {
	pool := []int16{2, 20, 31, 40, 200, 220, 255, 365, 390, 710, 750, 900, 990}
	rng := rand.New(rand.NewPCG(7, 11))
	ballots := randomBallots(rng, 700, 1950, 6, pool)
	periods := map[string]Period{
		"year":    ByYear(),
		"month":   ByMonth(),
		"session": BySession(),
		"range":   ByRange(entente.Day(1951, 3, 1), entente.Day(1955, 1, 1)), // > 64 roll calls
		"all":     ByRange(time.Time{}, time.Time{}),
	}
	for name, period := range periods {
		want := naive(ballots, period, pool)
		t.Logf("%s: %d dyad-periods", name, len(want))
		for _, workers := range []int{1, 2, 3, 0} {
			t.Run(fmt.Sprintf("%s/workers=%d", name, workers), func(t *testing.T) {
				got := AllPairs(ballots, period, workers)
				checkOrder(t, got)
				if len(got) != len(want) {
					t.Errorf("%d rows, want %d", len(got), len(want))
				}
				for _, row := range got {
					w, ok := want[[3]string{row.Period, fmt.Sprint(row.A), fmt.Sprint(row.B)}]
					if !ok {
						t.Fatalf("unexpected row %v", row)
					}
					if !sameRow(row, w) {
						t.Fatalf("row %v, want %v", row, w)
					}
				}
			})
		}
		t.Run(name+"/focal+dyad", func(t *testing.T) {
			all := AllPairs(ballots, period, 2)
			for _, cc := range pool {
				var wantRows []entente.Similarity
				for _, r := range all {
					if r.A == int(cc) || r.B == int(cc) {
						wantRows = append(wantRows, r)
					}
				}
				got := Focal(ballots, period, int(cc))
				if !slices.EqualFunc(got, wantRows, sameRow) {
					t.Fatalf("Focal(%d): %d rows, want %d rows equal to AllPairs'", cc, len(got), len(wantRows))
				}
			}
			for _, ab := range [][2]int{{2, 365}, {365, 2}, {710, 20}, {31, 990}} {
				var wantRows []entente.Similarity
				for _, r := range all {
					if r.A == min(ab[0], ab[1]) && r.B == max(ab[0], ab[1]) {
						wantRows = append(wantRows, r)
					}
				}
				if got := Dyad(ballots, period, ab[0], ab[1]); !slices.EqualFunc(got, wantRows, sameRow) {
					t.Fatalf("Dyad(%v) = %v, want %v", ab, got, wantRows)
				}
			}
		})
	}
}

func TestAllPairsEdgeCases(t *testing.T) {
	if got := AllPairs(nil, ByYear(), 2); len(got) != 0 {
		t.Errorf("no ballots: %d rows", len(got))
	}
	// Two states that never vote on the same roll call give no row; a lone voter none.
	ballots := []entente.Ballot{
		{Date: entente.Day(1980, 1, 1), CCodes: []int16{2, 365}, Votes: []entente.VoteValue{entente.Yes, entente.Absent}},
		{Date: entente.Day(1980, 2, 1), CCodes: []int16{2, 365}, Votes: []entente.VoteValue{entente.NonMember, entente.No}},
		{Date: entente.Day(1981, 2, 1), CCodes: []int16{2, 365}, Votes: []entente.VoteValue{entente.Yes, entente.No}},
	}
	got := AllPairs(ballots, ByYear(), 2)
	if len(got) != 1 || got[0].Period != "1981" || got[0].N != 1 || got[0].Values[agree] != 0 {
		t.Errorf("AllPairs = %v, want one 1981 row with n 1 and agree 0", got)
	}
	// A state listed twice on a roll call counts with its first entry, in every path.
	dup := []entente.Ballot{
		{Date: entente.Day(1990, 1, 1), CCodes: []int16{2, 2, 365}, Votes: []entente.VoteValue{entente.Yes, entente.No, entente.Yes}},
		{Date: entente.Day(1990, 1, 2), CCodes: []int16{2, 365, 365}, Votes: []entente.VoteValue{entente.No, entente.Absent, entente.No}},
		{Date: entente.Day(1990, 1, 3), CCodes: []int16{2, 365}, Votes: []entente.VoteValue{entente.No, entente.No}},
	}
	wantDup := entente.Similarity{A: 2, B: 365, Period: "1990", N: 2}
	_, wantDup.Values = Table{{1, 0, 0}, {}, {0, 0, 1}}.Metrics()
	for name, rows := range map[string][]entente.Similarity{
		"AllPairs": AllPairs(dup, ByYear(), 1),
		"Focal":    Focal(dup, ByYear(), 365),
		"Dyad":     Dyad(dup, ByYear(), 2, 365),
	} {
		if len(rows) != 1 || !sameRow(rows[0], wantDup) {
			t.Errorf("%s with duplicate entries = %v, want %v", name, rows, wantDup)
		}
	}
	if got := Dyad(ballots, ByYear(), 2, 2); got != nil {
		t.Errorf("Dyad with itself = %v, want nil", got)
	}
}

func TestPeriods(t *testing.T) {
	b := &entente.Ballot{Date: entente.Day(1980, 3, 14), Session: 34}
	for _, tt := range []struct {
		period Period
		want   string
	}{
		{ByYear(), "1980"},
		{ByMonth(), "1980-03"},
		{BySession(), "34"},
		{ByRange(entente.Day(1980, 1, 1), entente.Day(1981, 1, 1)), "1980-01-01..1980-12-31"},
		{ByRange(time.Time{}, entente.Day(1980, 3, 15)), "..1980-03-14"},
		{ByRange(entente.Day(1980, 3, 14), time.Time{}), "1980-03-14.."},
		{ByRange(entente.Day(1980, 3, 15), time.Time{}), ""},
		{ByRange(time.Time{}, entente.Day(1980, 3, 14)), ""},
	} {
		if got := tt.period(b); got != tt.want {
			t.Errorf("period = %q, want %q", got, tt.want)
		}
	}
	if got := BySession()(&entente.Ballot{Date: entente.Day(1980, 3, 14)}); got != "" {
		t.Errorf("BySession with unknown session = %q, want \"\"", got)
	}
	keys := []string{"10", "9", "100", "1"}
	slices.SortFunc(keys, func(a, b string) int {
		if periodLess(a, b) {
			return -1
		}
		if periodLess(b, a) {
			return 1
		}
		return 0
	})
	if !slices.Equal(keys, []string{"1", "9", "10", "100"}) {
		t.Errorf("session order %v", keys)
	}
}

// syntheticRecord is shaped like the UN record: 79 years of ~80 roll calls each, ~150
// states voting, most yes.
func syntheticRecord() []entente.Ballot {
	rng := rand.New(rand.NewPCG(3, 5))
	var ballots []entente.Ballot
	for y := 1946; y <= 2024; y++ {
		for r := range 80 {
			b := entente.Ballot{Date: entente.Day(y, time.Month(1+r%12), 1), Session: y - 1945}
			for cc := int16(2); cc < 2+190; cc++ {
				if rng.IntN(190) >= 150 {
					continue
				}
				v := entente.Yes
				switch x := rng.IntN(10); {
				case x == 0:
					v = entente.No
				case x < 3:
					v = entente.Abstain
				}
				b.CCodes = append(b.CCodes, cc*5)
				b.Votes = append(b.Votes, v)
			}
			ballots = append(ballots, b)
		}
	}
	return ballots
}

func BenchmarkAllPairs(b *testing.B) {
	ballots := syntheticRecord()
	for _, workers := range []int{1, 2} {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				AllPairs(ballots, ByYear(), workers)
			}
		})
	}
}

func BenchmarkFocal(b *testing.B) {
	ballots := syntheticRecord()
	b.ReportAllocs()
	for b.Loop() {
		Focal(ballots, ByYear(), 825)
	}
}
