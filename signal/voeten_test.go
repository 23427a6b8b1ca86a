package signal

import (
	"encoding/csv"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/entente/entente"
)

// voetenPath is Voeten's long vote file in the shared data directory, if present.
var voetenPath = filepath.Join("..", "..", "shared", "data", "unvotes", "voeten_votes_1946_2024.csv")

type voetenRow struct {
	resid int
	date  time.Time
	ccode int16
	vote  entente.VoteValue
}

var voeten struct {
	once    sync.Once
	rows    []voetenRow
	ballots []entente.Ballot
	err     error
}

// loadVoeten reads the file once per test binary: its rows as read, and ballots built
// the way the store hands them out (one per resid, ordered by date then id, CCodes
// ascending). It skips the test when the file is absent.
func loadVoeten(tb testing.TB) ([]voetenRow, []entente.Ballot) {
	tb.Helper()
	voeten.once.Do(func() { voeten.rows, voeten.ballots, voeten.err = readVoeten(voetenPath) })
	if errors.Is(voeten.err, fs.ErrNotExist) {
		tb.Skipf("skipping: %s not found (the shared data directory is not mounted)", voetenPath)
	}
	if voeten.err != nil {
		tb.Fatal(voeten.err)
	}
	return voeten.rows, voeten.ballots
}

func readVoeten(path string) ([]voetenRow, []entente.Ballot, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.ReuseRecord = true
	header, err := r.Read()
	if err != nil {
		return nil, nil, err
	}
	if strings.Join(header, ",") != "resid,ccode,date,year,vote" {
		return nil, nil, errors.New("unexpected header " + strings.Join(header, ","))
	}
	var rows []voetenRow
	for {
		rec, err := r.Read()
		if err != nil {
			if errors.Is(err, os.ErrClosed) || err.Error() == "EOF" {
				break
			}
			return nil, nil, err
		}
		resid, err1 := strconv.Atoi(rec[0])
		cc, err2 := strconv.Atoi(rec[1])
		date, err3 := time.Parse(time.DateOnly, rec[2])
		vote, err4 := strconv.Atoi(rec[4])
		if err := errors.Join(err1, err2, err3, err4); err != nil {
			return nil, nil, err
		}
		rows = append(rows, voetenRow{resid, date, int16(cc), entente.VoteValue(vote)})
	}
	index := map[int]int{}
	var ballots []entente.Ballot
	for _, row := range rows {
		i, ok := index[row.resid]
		if !ok {
			i = len(ballots)
			index[row.resid] = i
			// Voeten's resid is session·1000 + the roll call's number in the session.
			ballots = append(ballots, entente.Ballot{Source: entente.SourceVoeten, RollCallID: strconv.Itoa(row.resid), Date: row.date, Session: row.resid / 1000})
		}
		ballots[i].CCodes = append(ballots[i].CCodes, row.ccode)
		ballots[i].Votes = append(ballots[i].Votes, row.vote)
	}
	for i := range ballots {
		b := &ballots[i]
		order := make([]int, len(b.CCodes))
		for k := range order {
			order[k] = k
		}
		slices.SortFunc(order, func(x, y int) int { return int(b.CCodes[x]) - int(b.CCodes[y]) })
		cc := make([]int16, len(order))
		vv := make([]entente.VoteValue, len(order))
		for k, o := range order {
			cc[k], vv[k] = b.CCodes[o], b.Votes[o]
		}
		b.CCodes, b.Votes = cc, vv
	}
	slices.SortFunc(ballots, func(a, b entente.Ballot) int {
		if c := a.Date.Compare(b.Date); c != 0 {
			return c
		}
		x, _ := strconv.Atoi(a.RollCallID)
		y, _ := strconv.Atoi(b.RollCallID)
		return x - y
	})
	return rows, ballots, nil
}

func TestVoetenAllPairs(t *testing.T) {
	rows, ballots := loadVoeten(t)
	start := time.Now()
	all := AllPairs(ballots, ByYear(), 2)
	t.Logf("%d roll calls, %d votes: AllPairs by year gave %d rows in %v", len(ballots), len(rows), len(all), time.Since(start))
	checkOrder(t, all)

	// An independent count from the rows as read: the roll calls of 1980 where both
	// the US (2) and the Soviet Union (365) cast a vote, and how often they matched.
	const a, b, year = 2, 365, 1980
	votes := map[int]map[int16]entente.VoteValue{}
	for _, r := range rows {
		if r.date.Year() == year && (r.ccode == a || r.ccode == b) && r.vote.Cast() {
			if votes[r.resid] == nil {
				votes[r.resid] = map[int16]entente.VoteValue{}
			}
			votes[r.resid][r.ccode] = r.vote
		}
	}
	n, same := 0, 0
	for _, v := range votes {
		if len(v) == 2 {
			n++
			if v[a] == v[b] {
				same++
			}
		}
	}
	if n == 0 {
		t.Fatal("no roll calls with both the US and the USSR in 1980: the file is not what the test expects")
	}
	i := slices.IndexFunc(all, func(s entente.Similarity) bool { return s.A == a && s.B == b && s.Period == "1980" })
	if i < 0 {
		t.Fatal("no row for 2–365 in 1980")
	}
	row := all[i]
	if row.N != n {
		t.Errorf("2–365 1980: n = %d, counted %d", row.N, n)
	}
	// Agreement counts half for abstentions, so it is at least the share of identical votes.
	if row.Values[agree] < float64(same)/float64(n) {
		t.Errorf("2–365 1980: agree = %v, below the share of identical votes %d/%d", row.Values[agree], same, n)
	}
	t.Logf("2–365 1980: n %d, identical %d, values %v", row.N, same, row.Values)

	dyad := Dyad(ballots, ByYear(), b, a)
	if j := slices.IndexFunc(dyad, func(s entente.Similarity) bool { return s.Period == "1980" }); j < 0 || !sameRow(dyad[j], row) {
		t.Errorf("Dyad disagrees with AllPairs for 2–365 1980")
	}
	var fromAll []entente.Similarity
	for _, r := range all {
		if r.A == b || r.B == b {
			fromAll = append(fromAll, r)
		}
	}
	if focal := Focal(ballots, ByYear(), b); !slices.EqualFunc(focal, fromAll, sameRow) {
		t.Errorf("Focal(365) gives %d rows, AllPairs %d, or values differ", len(focal), len(fromAll))
	}
}

func BenchmarkAllPairsVoeten(b *testing.B) {
	_, ballots := loadVoeten(b)
	for _, by := range []struct {
		name   string
		period Period
	}{{"year", ByYear()}, {"session", BySession()}, {"all", ByRange(time.Time{}, time.Time{})}} {
		b.Run(by.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				AllPairs(ballots, by.period, 2)
			}
		})
	}
}

func BenchmarkFocalVoeten(b *testing.B) {
	_, ballots := loadVoeten(b)
	b.ReportAllocs()
	for b.Loop() {
		Focal(ballots, ByYear(), 365)
	}
}
