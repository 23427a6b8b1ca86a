package idealpoints

import (
	"bytes"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/entente/entente"
)

// collect reads data and returns copies of the rows' points and the bad rows.
func collect(t testing.TB, data string) (Stats, [][]entente.IdealPoint, []*entente.ParseError, error) {
	var rows [][]entente.IdealPoint
	var bad []*entente.ParseError
	st, err := Read(strings.NewReader(data), "f.csv", func(r Record) error {
		switch r := r.(type) {
		case *Row:
			rows = append(rows, append([]entente.IdealPoint(nil), r.Points...))
		case *BadRow:
			bad = append(bad, r.Err)
		}
		return nil
	})
	return st, rows, bad, err
}

func readFile(t *testing.T, name string) string {
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestJuly2025(t *testing.T) {
	st, rows, bad, err := collect(t, readFile(t, "july2025.csv"))
	if err != nil || len(bad) != 0 {
		t.Fatalf("err %v, bad %v", err, bad)
	}
	if st.Layout != July2025 || len(rows) != 4 || st.Points != 3+3+1+3 {
		t.Fatalf("layout %v, %d rows, %d points", st.Layout, len(rows), st.Points)
	}
	us46 := rows[0]
	if us46[0].Variant != "fp" || us46[1].Variant != "all" || us46[2].Variant != "legacy" {
		t.Fatalf("variants %+v", us46)
	}
	all := us46[1]
	if all.CCode != 2 || all.Year != 1946 || all.X != 1.8877739906311 || all.Votes != 39 || all.Q[0] != 0.929798901081085 ||
		all.Q[6] != 3.15696310997009 || all.Line != 2 || all.Source != entente.SourceBSV {
		t.Errorf("USA 1946 all: %+v", all)
	}
	if leg := us46[2]; leg.X != 1.67634999752045 || leg.Votes != 42 || !math.IsNaN(leg.Q[1]) {
		t.Errorf("USA 1946 legacy: %+v", leg)
	}
	// 2024: idealpointall is empty, so only the fp estimate is a point.
	if us24 := rows[2]; len(us24) != 1 || us24[0].Variant != "fp" || us24[0].Year != 2024 || us24[0].X != 2.20620203018188 {
		t.Errorf("USA 2024: %+v", us24)
	}
}

func TestIssue2020(t *testing.T) {
	for _, c := range []struct{ file, variant string }{{"humanrights2020.csv", "apr2020_humanrights"}, {"all2020.csv", "apr2020_all"}} {
		st, rows, bad, err := collect(t, readFile(t, c.file))
		if err != nil || len(bad) != 0 || st.Layout != Issue2020 || len(rows) != 2 {
			t.Fatalf("%s: err %v bad %v layout %v rows %d", c.file, err, bad, st.Layout, len(rows))
		}
		p := rows[0][0]
		if p.Variant != c.variant || p.CCode != 2 {
			t.Errorf("%s: %+v", c.file, p)
		}
	}
	_, rows, _, _ := collect(t, readFile(t, "humanrights2020.csv"))
	// "1",2,25,14,2.731292,1.586721,2.085953,2.205596,2.725147,3.221158,3.427828,3.940423: session 25 is 1970.
	if p := rows[0][0]; p.Year != 1970 || p.X != 2.731292 || p.Votes != 14 || p.Q[1] != 2.085953 || p.Q[5] != 3.427828 {
		t.Errorf("first human-rights row: %+v", p)
	}
}

func TestBadInput(t *testing.T) {
	head := "ccode,iso3c,countryname,year,idealpointfp,idealpointall,idealpointlegacy,nvotesfp,qofp,q5fp,q10fp,q50fp,q90fp,q95fp,q100fp,nvotesall,qoall,q5all,q10all,q50all,q90all,q95all,q100all,nvotesLegacy\n"
	good := `2,"USA","United States",1946,1.6,1.8,1.6,25,0.3,0.9,1.1,1.6,2.2,2.3,3.2,39,0.9,1.3,1.4,1.8,2.4,2.5,3.1,42` + "\n"
	cases := []struct {
		name, line, field string
		err               error
	}{
		{"ccode", `x,"USA","United States",1946,1.6,1.8,1.6,25,0.3,0.9,1.1,1.6,2.2,2.3,3.2,39,0.9,1.3,1.4,1.8,2.4,2.5,3.1,42`, "ccode", entente.ErrBadNumber},
		{"year", `2,"USA","United States",1800,1.6,1.8,1.6,25,0.3,0.9,1.1,1.6,2.2,2.3,3.2,39,0.9,1.3,1.4,1.8,2.4,2.5,3.1,42`, "year", entente.ErrBadDate},
		{"estimate", `2,"USA","United States",1946,abc,1.8,1.6,25,0.3,0.9,1.1,1.6,2.2,2.3,3.2,39,0.9,1.3,1.4,1.8,2.4,2.5,3.1,42`, "idealpointfp", entente.ErrBadNumber},
		{"quantile order", `2,"USA","United States",1946,1.6,1.8,1.6,25,0.3,0.9,1.1,1.6,2.2,2.3,3.2,39,0.9,1.3,1.4,1.8,2.4,2.0,3.1,42`, "q95all", entente.ErrBadNumber},
		{"votes", `2,"USA","United States",1946,1.6,1.8,1.6,2.5,0.3,0.9,1.1,1.6,2.2,2.3,3.2,39,0.9,1.3,1.4,1.8,2.4,2.5,3.1,42`, "nvotesfp", entente.ErrBadNumber},
		{"no estimate", `2,"USA","United States",1946,,,,,,,,,,,,,,,,,,,,`, "", entente.ErrBadNumber},
		{"fields", `2,"USA","United States",1946,1.6`, "", entente.ErrFieldCount},
		{"infinite", `2,"USA","United States",1946,Inf,1.8,1.6,25,0.3,0.9,1.1,1.6,2.2,2.3,3.2,39,0.9,1.3,1.4,1.8,2.4,2.5,3.1,42`, "idealpointfp", entente.ErrBadNumber},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			st, rows, bad, err := collect(t, head+good+c.line+"\n"+good)
			if err != nil {
				t.Fatal(err)
			}
			if len(rows) != 2 || len(bad) != 1 || st.Rows+st.Bad != 3 {
				t.Fatalf("%d rows, %d bad: want 2 and 1", len(rows), len(bad))
			}
			e := bad[0]
			if e.Line != 3 || e.Field != c.field || !errors.Is(e, c.err) || e.File != "f.csv" {
				t.Errorf("bad row: %v (line %d field %q), want line 3 field %q %v", e, e.Line, e.Field, c.field, c.err)
			}
		})
	}
}

func TestFileFaults(t *testing.T) {
	for name, data := range map[string]string{
		"empty":  "",
		"header": "a,b,c\n1,2,3\n",
		"votes":  "resid,ccode,date,year,vote\n1001,2,1946-01-01,1946,1\n",
	} {
		_, _, _, err := collect(t, data)
		var pe *entente.ParseError
		if !errors.As(err, &pe) {
			t.Errorf("%s: err = %v, want a ParseError", name, err)
		}
	}
}

func TestDetect(t *testing.T) {
	for file, want := range map[string]Layout{"july2025.csv": July2025, "humanrights2020.csv": Issue2020} {
		line, _, _ := strings.Cut(readFile(t, file), "\n")
		var h []string
		for _, f := range strings.Split(line, ",") {
			h = append(h, strings.Trim(f, `"`))
		}
		if got := Detect(h); got != want {
			t.Errorf("%s: %v, want %v", file, got, want)
		}
	}
	if Detect([]string{"resid", "ccode"}) != Unknown {
		t.Error("a vote file detected as ideal points")
	}
}

// TestRealFilesAccounted reads every published file: rows + bad rows = data lines.
func TestRealFilesAccounted(t *testing.T) {
	dir := "../../../shared/data/idealpoints"
	files, _ := filepath.Glob(filepath.Join(dir, "*.csv"))
	more, _ := filepath.Glob(filepath.Join(dir, "voeten_issue_idealpoints_Apr2020", "*.csv"))
	files = append(files, more...)
	if len(files) == 0 {
		t.Skipf("real data absent in %s: skipping", dir)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		lines := bytes.Count(b, []byte("\n")) - 1
		st, _, bad, err := collect(t, string(b))
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if st.Rows+st.Bad != lines {
			t.Errorf("%s: %d rows + %d bad != %d data lines", f, st.Rows, st.Bad, lines)
		}
		for _, e := range bad[:min(3, len(bad))] {
			t.Logf("%s: %v", filepath.Base(f), e)
		}
		t.Logf("%s: %v, %d rows, %d points, %d bad", filepath.Base(f), st.Layout, st.Rows, st.Points, st.Bad)
	}
}

// TestLatin1Names: the April 2020 files spell São Tomé in Latin-1, in a column that is
// ignored; the row is read, not refused.
func TestLatin1Names(t *testing.T) {
	data := "Row,ccode,session,NVotes,IdealPoint,QO%,Q5%,Q10%,Q50%,Q90%,Q95%,Q100%,iso3c,Countryname\n" +
		"4698,403,32,69,-0.5168244,-1.537459,-1.012669,-0.8557968,-0.5019136,-0.1832058,-0.1154051,0.2128216,STP,S\xe3o Tom\xe9 & Pr\xedncipe\r\n"
	_, rows, bad, err := collect(t, data)
	if err != nil || len(bad) != 0 || len(rows) != 1 || rows[0][0].CCode != 403 || rows[0][0].Year != 1977 {
		t.Fatalf("err %v bad %v rows %+v", err, bad, rows)
	}
}
