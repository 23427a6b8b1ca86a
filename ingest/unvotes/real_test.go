package unvotes

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/entente/entente"
)

// sharedData is the project's copy of the real datasets (../shared/data from the
// project root), or "" when it is absent.
func sharedData(tb testing.TB) string {
	dir := filepath.Join("..", "..", "..", "shared", "data", "unvotes")
	if _, err := os.Stat(dir); err != nil {
		tb.Skipf("real data absent (%s): %v; these tests need the shared datasets", dir, err)
	}
	return dir
}

// TestRealFiles imports every real file and checks that each record read is accounted for.
func TestRealFiles(t *testing.T) {
	if testing.Short() {
		t.Skip("full files: not in -short mode")
	}
	dir := sharedData(t)
	names := []string{"voeten_votes_1946_2024.csv", "un_votes.csv", "un_roll_call_issues.csv", "un_roll_calls.csv", "un_votes_2025_processed.csv"}
	var files []File
	for _, n := range names {
		files = append(files, File{Path: filepath.Join(dir, n)})
	}
	w := &recWriter{countOnly: true}
	res, err := Import(context.Background(), w, &anyCountries{}, files, Options{})
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]*recFile{}
	for i, f := range w.files {
		if !f.balanced() {
			t.Errorf("%s: read %d != roll calls %d + votes %d + issues %d + quarantined %d", f.Info.Path, f.Read, f.NRollCalls, f.NVotes, f.NIssues, f.NQuarantined)
		}
		if len(f.Info.SHA256) != 64 || res[i].Read != f.Read {
			t.Errorf("%s: %+v", f.Info.Path, res[i])
		}
		byName[filepath.Base(f.Info.Path)] = f
		t.Logf("%s: read %d, roll calls %d (+%d implied), votes %d, issues %d, quarantined %d; notes %q",
			filepath.Base(f.Info.Path), f.Read, f.NRollCalls, f.NImplied, f.NVotes, f.NIssues, f.NQuarantined, f.Notes)
	}
	if w.files[0].Info.Path != files[3].Path {
		t.Errorf("first file imported: %s, want the roll calls", w.files[0].Info.Path)
	}
	check := func(name string, read, rollCalls, implied, votes, issues, quarantined int64) {
		t.Helper()
		f := byName[name]
		if f == nil {
			t.Fatalf("%s not imported", name)
		}
		got := [6]int64{f.Read, f.NRollCalls, f.NImplied, f.NVotes, f.NIssues, f.NQuarantined}
		if want := [6]int64{read, rollCalls, implied, votes, issues, quarantined}; got != want {
			t.Errorf("%s: read, roll calls, implied, votes, issues, quarantined = %v, want %v", name, got, want)
		}
	}
	check("voeten_votes_1946_2024.csv", 855890, 0, 6132, 855890, 0, 0)
	check("un_votes.csv", 870109, 0, 0, 870109, 0, 0)
	check("un_roll_calls.csv", 6203, 6203, 0, 0, 0, 0)
	check("un_roll_call_issues.csv", 5745, 0, 0, 0, 5745, 0)
	ga, cells := undlCounts(t, filepath.Join(dir, "un_votes_2025_processed.csv"))
	check("un_votes_2025_processed.csv", 236+cells, ga, 0, cells, 0, 236-ga)
}

// undlCounts counts, with encoding/csv, the General Assembly rows of the wide file and
// their non-empty state cells.
func undlCounts(t *testing.T, path string) (ga, cells int64) {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	council := 4
	for _, r := range recs[1:] {
		if r[council] != "General Assembly" {
			continue
		}
		ga++
		for i, v := range r {
			if isISO3(recs[0][i]) && v != "" {
				cells++
			}
		}
	}
	return ga, cells
}

// TestRealRollCallsMatchEncodingCSV checks the hand-written scanner against encoding/csv
// on the file with the oddest quoting.
func TestRealRollCallsMatchEncodingCSV(t *testing.T) {
	path := filepath.Join(sharedData(t), "un_roll_calls.csv")
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want, err := csv.NewReader(bytes.NewReader(raw)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var got []entente.RollCall
	if _, err := Read(bytes.NewReader(raw), path, func(r Row) error {
		rc, ok := r.(*RollCallRow)
		if !ok {
			return errors.New(r.(*BadRow).Err.Error())
		}
		got = append(got, rc.RollCall)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want)-1 {
		t.Fatalf("%d roll calls, encoding/csv reads %d", len(got), len(want)-1)
	}
	for i, rc := range got {
		w := want[i+1]
		title := strings.TrimSpace(w[7])
		if title == "" {
			title = strings.TrimSpace(w[8])
		}
		if rc.ID != w[0] || rc.Date.Format("2006-01-02") != w[3] || rc.Resolution != strings.TrimSpace(w[4]) || rc.Title != title {
			t.Fatalf("row %d: %+v, encoding/csv %q", i+2, rc, w)
		}
	}
}

// firstLines returns up to n lines of a real file, for fuzz seeds.
func firstLines(path string, n int) []string {
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(io.LimitReader(f, 1<<20))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() && len(out) < n {
		out = append(out, sc.Text())
	}
	return out
}
