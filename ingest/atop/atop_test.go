package atop

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/entente/entente"
	"github.com/entente/entente/ingest/csvline"
)

// readAll reads src and returns copies of the rows and bad rows.
func readAll(t *testing.T, src string) ([]Row, []BadRow, Coverage, error) {
	t.Helper()
	var rows []Row
	var bad []BadRow
	cov, err := Read(strings.NewReader(src), "t.csv", func(r Record) error {
		switch r := r.(type) {
		case *Row:
			rows = append(rows, *r)
		case *BadRow:
			bad = append(bad, *r)
		}
		return nil
	})
	return rows, bad, cov, err
}

func TestExcerpt(t *testing.T) {
	b, err := os.ReadFile("testdata/atop_excerpt.csv")
	if err != nil {
		t.Fatal(err)
	}
	rows, bad, cov, err := readAll(t, string(b))
	if err != nil || len(bad) != 0 {
		t.Fatalf("err %v, bad %v", err, bad)
	}
	if len(rows) != 13 {
		t.Fatalf("%d rows, want 13", len(rows))
	}
	if want := (Coverage{FirstYear: 1832, LastYear: 2018, Rows: 13}); cov != want {
		t.Errorf("coverage %+v, want %+v", cov, want)
	}
	// Strength of each row, in file order, from the flags in the README's table.
	want := []Strength{3, 2, 3, 1, 1, 0, 2, 3, 2, 3, 3, 3, 1}
	for i, r := range rows {
		if r.Strength() != want[i] {
			t.Errorf("line %d %d→%d %d: strength %v, want %v", r.Line, r.CCode1, r.CCode2, r.Year, r.Strength(), want[i])
		}
	}
	if r := rows[0]; r != (Row{Line: 2, CCode1: 2, CCode2: 20, Year: 1942, Defense: true, Offense: true}) {
		t.Errorf("first row %+v", r)
	}
	if !cov.Covers(2018) || cov.Covers(2019) || cov.Covers(1800) {
		t.Errorf("Covers wrong for %+v", cov)
	}
}

func TestStrengthString(t *testing.T) {
	for s, w := range map[Strength]string{0: "none", 1: "non-aggression", 2: "neutrality/consultation", 3: "defense/offense", 7: "Strength(7)"} {
		if s.String() != w {
			t.Errorf("%d: %q", s, s.String())
		}
	}
}

const header = `"ccode1","ccode2","year","atop_defense","atop_offense","atop_neutral","atop_nonagg","atop_consul"` + "\n"

func TestMalformedRows(t *testing.T) {
	tests := []struct {
		name  string
		line  string
		err   error
		field string
		col   int
	}{
		{"bad ccode", "2x,20,1942,1,1,0,0,0", entente.ErrBadNumber, "ccode1", 1},
		{"ccode zero", "2,0,1942,1,1,0,0,0", entente.ErrBadNumber, "ccode2", 2},
		{"self dyad", "2,2,1942,1,1,0,0,0", entente.ErrBadNumber, "ccode2", 2},
		{"year", "2,20,19420,1,1,0,0,0", entente.ErrBadDate, "year", 3},
		{"year text", "2,20,y,1,1,0,0,0", entente.ErrBadNumber, "year", 3},
		{"NA flag", "2,20,1942,NA,1,0,0,0", entente.ErrBadNumber, "atop_defense", 4},
		{"empty flag", "2,20,1942,1,1,0,0,", entente.ErrBadNumber, "atop_consul", 8},
		{"flag 2", "2,20,1942,1,2,0,0,0", entente.ErrBadNumber, "atop_offense", 5},
		{"few fields", "2,20,1942,1,1,0,0", entente.ErrFieldCount, "", 0},
		{"many fields", "2,20,1942,1,1,0,0,0,0", entente.ErrFieldCount, "", 0},
		{"open quote", `"2,20,1942,1,1,0,0,0`, entente.ErrQuote, "", 1},
		{"not utf8", "2,20,1942,1,1,0,0,\xff", entente.ErrNotUTF8, "", 19},
		{"too long", "2,20," + strings.Repeat("9", csvline.MaxLineBytes), entente.ErrLineTooLong, "", 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			src := header + "2,20,1941,1,1,0,0,0\n" + tc.line + "\n2,20,1943,1,1,0,0,0\n"
			rows, bad, cov, err := readAll(t, src)
			if err != nil {
				t.Fatal(err)
			}
			if len(rows) != 2 || len(bad) != 1 || cov.Rows != 2 || cov.Bad != 1 {
				t.Fatalf("rows %d bad %d cov %+v", len(rows), len(bad), cov)
			}
			pe := bad[0].Err
			if !errors.Is(pe, tc.err) || pe.Line != 3 || pe.File != "t.csv" || pe.Field != tc.field || pe.Column != tc.col {
				t.Errorf("got %v (line %d, field %q, column %d), want %v at line 3, field %q, column %d", pe, pe.Line, pe.Field, pe.Column, tc.err, tc.field, tc.col)
			}
			if rows[1].Line != 4 {
				t.Errorf("row after the bad one at line %d", rows[1].Line)
			}
		})
	}
}

func TestTruncatedLastLine(t *testing.T) {
	_, bad, _, err := readAll(t, header+"2,20,1941,1,1,0,0,0\n2,20,19")
	if err != nil || len(bad) != 1 || !errors.Is(bad[0].Err, entente.ErrTruncated) {
		t.Fatalf("err %v bad %v", err, bad)
	}
}

func TestHeader(t *testing.T) {
	tests := []struct {
		name, src string
		err       error
	}{
		{"empty", "", entente.ErrEmpty},
		{"blank lines", "\n\n", entente.ErrEmpty},
		{"no header", "2,20,1942,1,1,0,0,0\n", entente.ErrHeader},
		{"missing column", `"ccode1","ccode2","year","atop_defense"` + "\n", entente.ErrHeader},
		{"twice", `ccode1,ccode1,ccode2,year,atop_defense,atop_offense,atop_neutral,atop_nonagg,atop_consul` + "\n", entente.ErrHeader},
		{"other file", "stateID,StateName,igoID\n", entente.ErrHeader},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, _, _, err := readAll(t, tc.src)
			var pe *entente.ParseError
			if !errors.As(err, &pe) || !errors.Is(err, tc.err) || pe.Line != 1 {
				t.Fatalf("err %v, want a ParseError at line 1 wrapping %v", err, tc.err)
			}
		})
	}
	if !Detect(Columns[:]) || Detect([]string{"ccode1"}) {
		t.Error("Detect")
	}
}

func TestHeaderAnyOrderBOMAndCRLF(t *testing.T) {
	src := "\uFEFFyear,ccode2,ccode1,atop_consul,atop_nonagg,atop_neutral,atop_offense,atop_defense,extra\r\n1950,20,2,1,0,0,0,0,x\r\n"
	rows, bad, cov, err := readAll(t, src)
	if err != nil || len(bad) != 0 || len(rows) != 1 {
		t.Fatalf("err %v bad %v rows %v", err, bad, rows)
	}
	if r := rows[0]; r.CCode1 != 2 || r.CCode2 != 20 || r.Year != 1950 || !r.Consul || r.Defense || r.Strength() != Neutrality {
		t.Errorf("row %+v", r)
	}
	if cov.FirstYear != 1950 || cov.LastYear != 1950 {
		t.Errorf("coverage %+v", cov)
	}
}

func TestCallbackErrorStops(t *testing.T) {
	stop := errors.New("stop")
	n := 0
	_, err := Read(strings.NewReader(header+"2,20,1941,1,1,0,0,0\n2,20,1942,1,1,0,0,0\n"), "t.csv", func(Record) error { n++; return stop })
	if err != stop || n != 1 {
		t.Fatalf("err %v after %d records", err, n)
	}
}

func TestEmptyCoverageCoversNothing(t *testing.T) {
	_, _, cov, err := readAll(t, header)
	if err != nil || cov.Covers(0) || cov.Covers(2000) {
		t.Fatalf("err %v cov %+v", err, cov)
	}
}
