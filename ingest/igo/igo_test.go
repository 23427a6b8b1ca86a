package igo

import (
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/entente/entente"
	"github.com/entente/entente/country"
)

func readAll(t *testing.T, src string, opt Options) ([]Spell, []BadRow, Coverage, error) {
	t.Helper()
	var spells []Spell
	var bad []BadRow
	cov, err := Read(strings.NewReader(src), "t.csv", opt, func(r Record) error {
		switch r := r.(type) {
		case *Spell:
			spells = append(spells, *r)
		case *BadRow:
			bad = append(bad, *r)
		}
		return nil
	})
	return spells, bad, cov, err
}

func TestExcerpt(t *testing.T) {
	b, err := os.ReadFile("testdata/cow_igo_excerpt.csv")
	if err != nil {
		t.Fatal(err)
	}
	spells, bad, cov, err := readAll(t, string(b), Options{})
	if err != nil || len(bad) != 0 {
		t.Fatalf("err %v, bad %v", err, bad)
	}
	if want := (Coverage{FirstYear: 1816, LastYear: 2014, Spells: 17, Censored: 7}); cov != want {
		t.Errorf("coverage %+v, want %+v", cov, want)
	}
	if s := spells[1]; s.CCode != 560 || s.StateID != "" || s.IGO != "IDC" || s.Begin != 1920 || s.End != 1946 || s.Censored {
		t.Errorf("South Africa's spell: %+v", s)
	}
	if s := spells[6]; s.CCode != 265 || s.StateID != "DEU" {
		t.Errorf("East Germany's spell: %+v", s)
	}
	byState := map[string]Spell{}
	for _, s := range spells {
		if s.IGO == "CIS" || s.IGO == "CSTO" || s.IGO == "NATO" {
			byState[s.StateName+" "+s.IGO] = s
		}
	}
	for _, c := range []struct {
		key            string
		cc, end        int
		censored       bool
		in2000, in2014 bool
	}{
		{"ukraine CIS", 369, 1992, false, false, false},
		{"georgia CIS", 372, 2007, false, true, false},
		{"russia CIS", 365, 2014, true, true, true},
		{"uzbekistan CSTO", 704, 2011, false, false, false},
		{"armenia CSTO", 371, 2014, true, false, true},
		{"turkey NATO", 640, 2014, true, true, true},
	} {
		s, ok := byState[c.key]
		if !ok {
			t.Errorf("%s missing", c.key)
			continue
		}
		if s.CCode != c.cc || s.End != c.end || s.Censored != c.censored || s.Covers(2000) != c.in2000 || s.Covers(2014) != c.in2014 {
			t.Errorf("%s: %+v", c.key, s)
		}
	}
	if cov.Covers(2015) || !cov.Covers(2014) {
		t.Error("2015 is after COW IGO v3: unknown")
	}
}

func TestLastYearOption(t *testing.T) {
	src := header + `"RUS","russia","CIS","CIS","1230","1991","2014"` + "\n" + `"RUS","russia","CSTO","CSTO","1125","2002","2018"` + "\n"
	spells, bad, _, err := readAll(t, src, Options{LastYear: 2018})
	if err != nil || len(bad) != 0 || spells[0].Censored || !spells[1].Censored {
		t.Fatalf("err %v bad %v spells %+v", err, bad, spells)
	}
	_, bad, _, _ = readAll(t, src, Options{})
	if len(bad) != 1 || !errors.Is(bad[0].Err, entente.ErrBadDate) || bad[0].Err.Field != "End" {
		t.Fatalf("an end after DataEnd: %v", bad)
	}
}

const header = `"stateID","StateName","igoID","Title","cowigoNR","Beg","End"` + "\n"

func TestMalformedRows(t *testing.T) {
	tests := []struct {
		name  string
		line  string
		err   error
		field string
		col   int
	}{
		{"unknown state", `"XXX","atlantis","NATO","NATO","3700","1949","2014"`, entente.ErrUnknownState, "StateName", 2},
		{"empty igo", `"BEL","belgium","","NATO","3700","1949","2014"`, entente.ErrBadNumber, "igoID", 3},
		{"bad number", `"BEL","belgium","NATO","NATO","37x","1949","2014"`, entente.ErrBadNumber, "cowigoNR", 5},
		{"bad begin", `"BEL","belgium","NATO","NATO","3700","1949-04-04","2014"`, entente.ErrBadDate, "Beg", 6},
		{"NA end", `"BEL","belgium","NATO","NATO","3700","1949","NA"`, entente.ErrBadDate, "End", 7},
		{"end before begin", `"BEL","belgium","NATO","NATO","3700","1949","1948"`, entente.ErrBadDate, "End", 7},
		{"early year", `"BEL","belgium","NATO","NATO","3700","1066","2014"`, entente.ErrBadDate, "Beg", 6},
		{"few fields", `"BEL","belgium","NATO","NATO","3700","1949"`, entente.ErrFieldCount, "", 0},
		{"quote", `"BEL","belgium","NATO","NA"TO","3700","1949","2014"`, entente.ErrQuote, "", 28},
		{"open quote", `"BEL","belgium","NATO","NATO,"3700","1949","2014"`, entente.ErrQuote, "", 0},
		{"not utf8", "\"BEL\",\"belgium\xff\",\"NATO\",\"NATO\",\"3700\",\"1949\",\"2014\"", entente.ErrNotUTF8, "", 15},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			src := header + `"FRA","france","NATO","NATO","3700","1949","2014"` + "\n" + tc.line + "\n" + `"USA","usa","NATO","NATO","3700","1949","2014"` + "\n"
			spells, bad, cov, err := readAll(t, src, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if len(spells) != 2 || len(bad) != 1 || cov.Spells != 2 || cov.Bad != 1 {
				t.Fatalf("spells %d bad %d cov %+v", len(spells), len(bad), cov)
			}
			pe := bad[0].Err
			if !errors.Is(pe, tc.err) || pe.Line != 3 || pe.File != "t.csv" || pe.Field != tc.field || (tc.col != 0 && pe.Column != tc.col) {
				t.Errorf("got %v (line %d, field %q, column %d), want %v at line 3, field %q, column %d", pe, pe.Line, pe.Field, pe.Column, tc.err, tc.field, tc.col)
			}
			if spells[1].Line != 4 || spells[1].CCode != 2 {
				t.Errorf("spell after the bad one: %+v", spells[1])
			}
		})
	}
}

func TestHeader(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		err       error
	}{
		{"empty", "", entente.ErrEmpty},
		{"no header", `"BEL","belgium","NATO","NATO","3700","1949","2014"` + "\n", entente.ErrHeader},
		{"atop", `"ccode1","ccode2","year"` + "\n", entente.ErrHeader},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, _, err := readAll(t, tc.src, Options{})
			var pe *entente.ParseError
			if !errors.As(err, &pe) || !errors.Is(err, tc.err) || pe.Line != 1 {
				t.Fatalf("err %v, want a ParseError at line 1 wrapping %v", err, tc.err)
			}
		})
	}
	if !Detect(Columns[:]) || Detect([]string{"stateID"}) {
		t.Error("Detect")
	}
}

// TestStateNamesInRegistry checks every COW IGO state name's number against the
// country registry: the number must be a COW state there.
func TestStateNamesInRegistry(t *testing.T) {
	reg := country.Default()
	for name, cc := range stateCOW {
		if _, ok := reg.ByCOW(cc, time.Time{}); !ok {
			t.Errorf("%s: COW %d unknown to the registry", name, cc)
		}
	}
	if COW("usa") != 2 || COW("atlantis") != 0 {
		t.Error("COW")
	}
}
