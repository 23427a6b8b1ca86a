package aid

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/entente/entente"
)

func readAll(t *testing.T, data string) ([]Record, []BadRow, error) {
	t.Helper()
	var recs []Record
	var bad []BadRow
	_, err := Read(strings.NewReader(data), "x.csv", func(r Row) error {
		switch r := r.(type) {
		case *Record:
			recs = append(recs, *r)
		case *BadRow:
			bad = append(bad, *r)
		}
		return nil
	})
	return recs, bad, err
}

func TestReadExcerpt(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("testdata", "kiel_ust_data_explorer.csv"))
	if err != nil {
		t.Fatal(err)
	}
	recs, bad, err := readAll(t, string(b))
	if err != nil || len(bad) != 0 || len(recs) != 11 {
		t.Fatalf("%d records, %d bad, %v; want 11 records", len(recs), len(bad), err)
	}
	r := recs[1] // Australia, 2022-03
	if r.Line != 3 || r.Country != "Australia" || r.ISO != "AUS" || !r.Month.Equal(entente.Day(2022, 3, 1)) ||
		r.Total != 0.142911 || r.Financial != 0 || r.Humanitarian != 0.0653 || r.Military != 0.077611 ||
		r.Commitments != 0.142912 || r.ToBeAllocated != 0.000001 || math.Abs(r.GDP-1312.77115526256) > 1e-9 {
		t.Errorf("Australia 2022-03: %+v", r)
	}
	if r := recs[10]; r.ISO != "USA" || r.ToBeAllocated != 7.282904 || r.Line != 12 {
		t.Errorf("United States 2022-03: %+v", r)
	}
}

const head = `"country","iso","year","month","total","financial","humanitarian","military","commitments","to_be_allocated","gdp","pct_gdp"` + "\n"

func TestReadMalformed(t *testing.T) {
	tests := []struct {
		name, row string
		field     string
		err       error
	}{
		{"FieldCount", `"X","AUS",2022,2,0,0` + "\n", "", entente.ErrFieldCount},
		{"BadNumber", `"X","AUS",2022,2,abc,0,0,0,0,0,1,0` + "\n", "total", entente.ErrBadNumber},
		{"Inf", `"X","AUS",2022,2,Inf,0,0,0,0,0,1,0` + "\n", "total", entente.ErrBadNumber},
		{"BadMonth", `"X","AUS",2022,13,0,0,0,0,0,0,1,0` + "\n", "month", entente.ErrBadDate},
		{"BadYear", `"X","AUS",22x,1,0,0,0,0,0,0,1,0` + "\n", "year", entente.ErrBadDate},
		{"NoISO", `"X","",2022,1,0,0,0,0,0,0,1,0` + "\n", "iso", entente.ErrUnknownState},
		{"Quote", `"X,"AUS",2022,1,0,0,0,0,0,0,1,0` + "\n", "", entente.ErrQuote},
		{"NotUTF8", "\"X\xff\",\"AUS\",2022,1,0,0,0,0,0,0,1,0\n", "country", entente.ErrNotUTF8},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			recs, bad, err := readAll(t, head+tt.row+`"Y","DEU",2022,1,1,1,0,0,1,0,,`+"\n")
			if err != nil {
				t.Fatal(err)
			}
			if len(bad) != 1 || len(recs) != 1 {
				t.Fatalf("%d bad, %d records; want 1 and 1 (reading goes on)", len(bad), len(recs))
			}
			pe := bad[0].Err
			if !errors.Is(pe, tt.err) || pe.Field != tt.field || pe.Line != 2 || pe.File != "x.csv" {
				t.Errorf("bad row %v (field %q, line %d)", pe, pe.Field, pe.Line)
			}
			if r := recs[0]; !math.IsNaN(r.GDP) || r.Total != 1 {
				t.Errorf("empty gdp: %+v", r)
			}
		})
	}
}

func TestReadFileFaults(t *testing.T) {
	if _, _, err := readAll(t, ""); !errors.Is(err, entente.ErrEmpty) {
		t.Errorf("empty: %v", err)
	}
	if _, _, err := readAll(t, "\"year\",\"month\",\"total_allocations\"\n2022,1,0\n"); !errors.Is(err, entente.ErrHeader) {
		t.Errorf("another tracker file: %v", err)
	}
	if recs, _, err := readAll(t, "\uFEFF"+head); err != nil || len(recs) != 0 {
		t.Errorf("header only, with a BOM: %v", err)
	}
}

func TestReadRelease(t *testing.T) {
	r, err := LoadRelease(filepath.Join("testdata", "kiel_ust_release_info.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if r.Number != 29 || r.Period != "04/2026" || !r.Date.Equal(entente.Day(2026, 8, 4)) || !strings.Contains(r.Label, "Release 29") {
		t.Errorf("release %+v", r)
	}
	c := r.Citation()
	if c.Title != "Ukraine Support Tracker, release 29" || c.Publisher != Publisher || c.URL != TrackerURL || !c.Published.Equal(r.Date) {
		t.Errorf("citation %+v", c)
	}
	for _, bad := range []string{"", "\"a\",\"b\"\n1,2\n", "\"release\",\"period\",\"date\",\"label\"\nx,04/2026,2026-08-04,L\n",
		"\"release\",\"period\",\"date\",\"label\"\n29,04/2026,2026-13-04,L\n", "\"release\",\"period\",\"date\",\"label\"\n29,a,2026-08-04,L\n30,b,2026-09-01,M\n"} {
		if _, err := ReadRelease(strings.NewReader(bad), "r.csv"); err == nil {
			t.Errorf("ReadRelease(%q): no error", bad)
		}
	}
}

func FuzzRead(f *testing.F) {
	b, _ := os.ReadFile(filepath.Join("testdata", "kiel_ust_data_explorer.csv"))
	f.Add(string(b))
	f.Add(head + `"X","AUS",2022,13,0,0,0,0,0,0,1,0` + "\n")
	f.Add(head + `"X,"AUS"` + "\n")
	f.Fuzz(func(t *testing.T, data string) {
		var st Stats
		var n int
		st, err := Read(strings.NewReader(data), "fuzz.csv", func(r Row) error {
			n++
			switch r := r.(type) {
			case *Record:
				if r.Month.IsZero() || r.ISO == "" || math.IsInf(r.Total, 0) {
					t.Fatalf("record %+v", r)
				}
			case *BadRow:
				if r.Err == nil || r.Err.File != "fuzz.csv" || len(r.Raw) > entente.MaxRawBytes {
					t.Fatalf("bad row %+v", r)
				}
			}
			return nil
		})
		if err == nil && st.Records+st.Bad != n {
			t.Fatalf("stats %+v, %d rows", st, n)
		}
	})
}

func BenchmarkRead(b *testing.B) {
	path := filepath.Join("..", "..", "..", "shared", "data", "aid", "kiel_ust_data_explorer.csv")
	data, err := os.ReadFile(path)
	if err != nil {
		data, _ = os.ReadFile(filepath.Join("testdata", "kiel_ust_data_explorer.csv"))
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Read(strings.NewReader(string(data)), "bench", func(Row) error { return nil }); err != nil {
			b.Fatal(err)
		}
	}
}
