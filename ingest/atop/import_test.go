package atop

import (
	"context"
	"io"
	"strings"
	"testing"

	"github.com/entente/entente"
)

// recorder is a TieWriter that keeps what it is given.
type recorder struct {
	ties        []entente.AllianceTie
	quarantined []entente.Quarantined
	read        []int64
	notes       [][]string
}

func (r *recorder) StartFile(entente.ImportFile) error   { return nil }
func (r *recorder) Membership(entente.Membership) error  { panic("membership from atop") }
func (r *recorder) Act(entente.Act) error                { panic("act from atop") }
func (r *recorder) Alliance(t entente.AllianceTie) error { r.ties = append(r.ties, t); return nil }
func (r *recorder) Quarantine(q entente.Quarantined) error {
	r.quarantined = append(r.quarantined, q)
	return nil
}
func (r *recorder) FinishFile(read int64, notes []string) error {
	r.read = append(r.read, read)
	r.notes = append(r.notes, notes)
	return nil
}

func TestImportExcerpt(t *testing.T) {
	var rec recorder
	res, err := Import(context.Background(), &rec, []File{{Path: "testdata/atop_excerpt.csv"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 1 || res[0].Read != 13 || len(rec.ties) != 13 || rec.read[0] != 13 {
		t.Fatalf("results %+v, %d ties; want 13", res, len(rec.ties))
	}
	if res[0].Coverage.FirstYear != 1832 || res[0].Coverage.LastYear != 2018 {
		t.Errorf("coverage %+v", res[0].Coverage)
	}
	want := map[[3]int]int{{2, 20, 1942}: 3, {2, 200, 1921}: 2, {2, 205, 1975}: 1, {140, 160, 1859}: 0, {365, 370, 2018}: 3}
	for _, tie := range rec.ties {
		if s, ok := want[[3]int{tie.A, tie.B, tie.Year}]; ok && tie.Strength() != s {
			t.Errorf("%+v: strength %d, want %d", tie, tie.Strength(), s)
		}
		if tie.Line < 2 {
			t.Errorf("%+v: no line", tie)
		}
	}
	notes := strings.Join(rec.notes[0], "\n")
	if !strings.Contains(notes, "1832-2018") || !strings.Contains(notes, "unknown") || !strings.Contains(notes, "1 dyad-years with no obligation") {
		t.Errorf("notes:\n%s", notes)
	}
}

func TestImportQuarantinesBadRows(t *testing.T) {
	data := strings.Join(Columns[:], ",") + "\n2,20,1942,1,1,0,0,0\n2,2,1942,1,0,0,0,0\n2,20,NA,1,0,0,0,0\n2,20\n"
	var rec recorder
	res, err := Import(context.Background(), &rec, []File{{Path: "bad.csv", Open: func() (io.ReadCloser, error) {
		return io.NopCloser(strings.NewReader(data)), nil
	}}})
	if err != nil {
		t.Fatal(err)
	}
	if res[0].Read != 4 || len(rec.ties) != 1 || len(rec.quarantined) != 3 {
		t.Fatalf("read %d, %d ties, %d quarantined; want 4, 1, 3", res[0].Read, len(rec.ties), len(rec.quarantined))
	}
	for i, q := range rec.quarantined {
		if q.Line != i+3 || q.File != "bad.csv" || q.Source != entente.SourceATOP || q.Reason == "" {
			t.Errorf("quarantined %+v", q)
		}
	}
}

func TestImportMissingFile(t *testing.T) {
	var rec recorder
	if _, err := Import(context.Background(), &rec, []File{{Path: "testdata/nonexistent.csv"}}); err == nil {
		t.Fatal("no error for a missing file")
	}
}
