package aid

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/entente/entente"
	"github.com/entente/entente/country"
)

// recorder is an entente.EventWriter that keeps what it is given.
type recorder struct {
	files []entente.ImportFile
	aid   []entente.Aid
	quar  []entente.Quarantined
	reads []int64
	notes [][]string
}

func (r *recorder) StartFile(f entente.ImportFile) error { r.files = append(r.files, f); return nil }
func (r *recorder) Event(entente.Event) error            { return errors.New("no events in aid files") }
func (r *recorder) Mention(entente.Mention) error        { return errors.New("no mentions in aid files") }
func (r *recorder) Aid(a entente.Aid) error              { r.aid = append(r.aid, a); return nil }
func (r *recorder) Quarantine(q entente.Quarantined) error {
	r.quar = append(r.quar, q)
	return nil
}
func (r *recorder) FinishFile(read int64, notes []string) error {
	r.reads = append(r.reads, read)
	r.notes = append(r.notes, notes)
	return nil
}

func TestImportExcerpt(t *testing.T) {
	rec := &recorder{}
	p := filepath.Join("testdata", "kiel_ust_data_explorer.csv")
	res, err := Import(context.Background(), rec, country.Default(), []File{{Path: p}}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 1 || res[0].Read != 33 || len(rec.aid) != 33 || len(rec.quar) != 0 || res[0].Release.Number != 29 {
		t.Fatalf("results %+v, %d records; want 11 rows × 3 kinds", res, len(rec.aid))
	}
	if f := rec.files[0]; f.Source != entente.SourceKiel || f.SHA256 == "" || f.Size == 0 {
		t.Errorf("file %+v", f)
	}
	a := rec.aid[3*1+2] // Australia 2022-03, military
	if a.Donor != "AUS" || a.Recipient != "UKR" || a.Kind != "military" || a.EURbn != 0.077611 || !a.Month.Equal(entente.Day(2022, 3, 1)) ||
		a.Line != 3 || a.Cite.Title != "Ukraine Support Tracker, release 29" || a.Cite.Publisher != Publisher || !a.Cite.Published.Equal(entente.Day(2026, 8, 4)) {
		t.Errorf("Australia 2022-03 military: %+v", a)
	}
	eu := rec.aid[3*4] // EU 2022-03, financial
	if eu.Donor != "EU" || eu.Kind != "financial" || eu.EURbn != 1.2705 {
		t.Errorf("EU 2022-03 financial: %+v", eu)
	}
	var sum float64
	for _, a := range rec.aid {
		sum += a.EURbn
	}
	// The totals of the 11 rows, each counted once.
	want := 0.002645 + 0.142911 + 0.069697 + 0 + 1.6855 + 0.72 + 0.15 + 0.44 + 1.567 + 0.356201 + 1.073926
	if d := sum - want; d > 1e-9 || d < -1e-9 {
		t.Errorf("records sum to %v, the rows' totals to %v", sum, want)
	}
	notes := strings.Join(rec.notes[0], "\n")
	for _, w := range []string{"11 rows → 33 aid records", "EU (Commission and Council) (EU) 3 rows", "no double counting"} {
		if !strings.Contains(notes, w) {
			t.Errorf("notes lack %q:\n%s", w, notes)
		}
	}
}

func TestImportQuarantine(t *testing.T) {
	dir := t.TempDir()
	data := head +
		`"Atlantis","ATL",2022,2,1,1,0,0,1,0,1,1` + "\n" + // not a state
		`"Germany","DEU",2022,2,x,1,0,0,1,0,1,1` + "\n" + // bad number
		`"Germany","DEU",2022,3,2,1,0,0,2,0,1,1` + "\n" // total is not the sum of the kinds
	p := filepath.Join(dir, "explorer.csv")
	os.WriteFile(p, []byte(data), 0o644)
	rec := &recorder{}
	rel := &Release{Number: 30, Date: entente.Day(2026, 9, 1)}
	res, err := Import(context.Background(), rec, country.Default(), []File{{Path: p}}, Options{Release: rel})
	if err != nil {
		t.Fatal(err)
	}
	if res[0].Read != 5 || len(rec.quar) != 2 || len(rec.aid) != 3 {
		t.Fatalf("read %d, %d quarantined, %d records; want 5 = 2 + 3", res[0].Read, len(rec.quar), len(rec.aid))
	}
	if q := rec.quar[0]; q.Line != 2 || q.Field != "iso" || !strings.Contains(q.Reason, "Atlantis (ATL) is not a state") || q.Source != entente.SourceKiel {
		t.Errorf("quarantined %+v", q)
	}
	if q := rec.quar[1]; q.Line != 3 || q.Field != "total" {
		t.Errorf("quarantined %+v", q)
	}
	notes := strings.Join(res[0].Notes, "\n")
	if !strings.Contains(notes, "1 rows whose total differs") || !strings.Contains(notes, "Atlantis (ATL) 1 rows") {
		t.Errorf("notes:\n%s", notes)
	}
	if rec.aid[0].Cite.Title != "Ukraine Support Tracker, release 30" {
		t.Errorf("citation %+v", rec.aid[0].Cite)
	}
}

func TestImportNoRelease(t *testing.T) {
	p := filepath.Join(t.TempDir(), "explorer.csv")
	os.WriteFile(p, []byte(head), 0o644)
	_, err := Import(context.Background(), &recorder{}, country.Default(), []File{{Path: p}}, Options{})
	if err == nil || !strings.Contains(err.Error(), ReleaseFile) {
		t.Errorf("no release file: %v", err)
	}
}
