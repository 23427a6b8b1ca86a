package igo

import (
	"context"
	"io"
	"strings"
	"testing"

	"github.com/entente/entente"
	"github.com/entente/entente/country"
)

// recorder is a TieWriter that keeps what it is given.
type recorder struct {
	files       []entente.ImportFile
	memberships []entente.Membership
	quarantined []entente.Quarantined
	read        []int64
	notes       [][]string
}

func (r *recorder) StartFile(f entente.ImportFile) error { r.files = append(r.files, f); return nil }
func (r *recorder) Alliance(entente.AllianceTie) error   { panic("alliance from igo") }
func (r *recorder) Act(entente.Act) error                { panic("act from igo") }
func (r *recorder) Membership(m entente.Membership) error {
	r.memberships = append(r.memberships, m)
	return nil
}
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
	res, err := Import(context.Background(), &rec, country.Default(), []File{{Path: "testdata/cow_igo_excerpt.csv"}}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 1 || res[0].Read != 17 || rec.read[0] != 17 {
		t.Fatalf("results %+v, read %v; want 17 records", res, rec.read)
	}
	if got := int64(len(rec.memberships) + len(rec.quarantined)); got != 17 {
		t.Errorf("%d records passed to the writer, want 17", got)
	}
	if len(res[0].File.SHA256) != 64 || res[0].File.Source != entente.SourceCOWIGO {
		t.Errorf("file %+v", res[0].File)
	}
	by := map[string]entente.Membership{}
	for _, m := range rec.memberships {
		by[m.State+" "+m.Org] = m
		if m.Source != entente.SourceCOWIGO || m.Status != "member" {
			t.Errorf("membership %+v", m)
		}
	}
	if m := by["RUS CIS"]; m.CCode != 365 || !m.Censored || !m.Begin.Equal(entente.Day(1991, 1, 1)) || !m.End.Equal(entente.Day(2014, 12, 31)) {
		t.Errorf("Russia in the CIS: %+v, want RUS (not SUN), 1991-2014, censored", m)
	}
	if m := by["GEO CIS"]; m.Censored || !m.End.Equal(entente.Day(2007, 12, 31)) {
		t.Errorf("Georgia in the CIS: %+v, want a real exit in 2007", m)
	}
	if m := by["DDR CMEA"]; m.CCode != 265 {
		t.Errorf("East Germany in COMECON: %+v", m)
	}
	// The wine office appears twice, under two titles: the repeat goes to the writer
	// with the same key, so the store counts it as a duplicate, and a note says so.
	n := 0
	for _, m := range rec.memberships {
		if m.Org == "IVWO" && m.State == "FRA" {
			n++
		}
	}
	if n != 2 {
		t.Errorf("%d IVWO spells of France passed, want 2 (the store drops the repeat)", n)
	}
	if notes := strings.Join(rec.notes[0], "\n"); !strings.Contains(notes, "1 spells listed twice under an organisation's old and new titles") ||
		!strings.Contains(notes, "International Vine And Wine Office") || !strings.Contains(notes, "censored") {
		t.Errorf("notes:\n%s", notes)
	}
	// Baden (COW 267) ended in 1871 and is in the registry; the Imperial Defence
	// Committee's South Africa is too: nothing quarantined.
	for _, q := range rec.quarantined {
		t.Errorf("quarantined %+v", q)
	}
}

func TestImportBadRowsAndUnknownState(t *testing.T) {
	data := header +
		`"XXX","nosuchstate","NATO","North Atlantic Treaty Organization (NATO)","3700","1949","2014"` + "\n" +
		`"BEL","belgium","NATO","North Atlantic Treaty Organization (NATO)","3700","1949","2014"` + "\n" +
		`"BEL","belgium","NATO","North Atlantic Treaty Organization (NATO)","3700","19x9","2014"` + "\n"
	var rec recorder
	res, err := Import(context.Background(), &rec, country.Default(), []File{{Path: "bad.csv", Open: openString(data)}}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res[0].Read != 3 || len(rec.memberships) != 1 || len(rec.quarantined) != 2 {
		t.Fatalf("read %d, %d memberships, %d quarantined; want 3, 1, 2", res[0].Read, len(rec.memberships), len(rec.quarantined))
	}
	for _, q := range rec.quarantined {
		if q.File != "bad.csv" || q.Line < 2 || q.Reason == "" || q.SHA256 == "" {
			t.Errorf("quarantined %+v", q)
		}
	}
}

func openString(s string) func() (io.ReadCloser, error) {
	return func() (io.ReadCloser, error) { return io.NopCloser(strings.NewReader(s)), nil }
}
