package ucdp

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/entente/entente"
	"github.com/entente/entente/country"
)

const header = `"conflict_id","year","gwno_a","gwno_a_2nd","gwno_b","gwno_b_2nd","incompatibility","intensity_level","type_of_conflict"` + "\n"

// recorder is a ConflictWriter that keeps what it is given.
type recorder struct {
	rows  []entente.ConflictYear
	quar  []entente.Quarantined
	read  []int64
	notes [][]string
}

func (r *recorder) StartFile(entente.ImportFile) error        { return nil }
func (r *recorder) ConflictYear(c entente.ConflictYear) error { r.rows = append(r.rows, c); return nil }
func (r *recorder) Rivalry(entente.Rivalry) error             { panic("rivalry from ucdp") }
func (r *recorder) Dispute(entente.DisputeYear) error         { panic("dispute from ucdp") }
func (r *recorder) ArmsDeal(entente.ArmsDeal) error           { panic("arms deal from ucdp") }
func (r *recorder) Quarantine(q entente.Quarantined) error    { r.quar = append(r.quar, q); return nil }
func (r *recorder) FinishFile(read int64, notes []string) error {
	r.read = append(r.read, read)
	r.notes = append(r.notes, notes)
	return nil
}

func TestImportExcerpt(t *testing.T) {
	var rec recorder
	res, err := Import(context.Background(), &rec, country.DefaultGW(), []File{{Path: "testdata/ucdp_excerpt.csv"}})
	if err != nil {
		t.Fatal(err)
	}
	if res[0].Read != 13 || len(rec.rows) != 12 || len(rec.quar) != 1 {
		t.Fatalf("read %d, rows %d, quarantined %d; want 13, 12, 1", res[0].Read, len(rec.rows), len(rec.quar))
	}
	if q := rec.quar[0]; q.Line != 14 || q.Field != "gwno_a" || !strings.Contains(q.Reason, "GW 751") {
		t.Errorf("quarantined %+v, want line 14 gwno_a GW 751 (Hyderabad)", q)
	}
	var nk *entente.ConflictYear
	for i, c := range rec.rows {
		if c.ConflictID == 13243 && c.Year == 2024 {
			nk = &rec.rows[i]
		}
	}
	if nk == nil || nk.SideA.State != "RUS" || nk.SideA2.State != "PRK" || nk.SideA2.GW != 731 || nk.SideB.State != "UKR" ||
		nk.Intensity != 2 || nk.Type != entente.ConflictInterstate || nk.Incompatibility != "both" {
		t.Errorf("13243/2024 = %+v", nk)
	}
	a, b := nk.Sides()
	if strings.Join(a, ",") != "RUS,PRK" || strings.Join(b, ",") != "UKR" {
		t.Errorf("sides %v %v", a, b)
	}
}

func TestMalformed(t *testing.T) {
	for _, tc := range []struct{ name, line, field string }{
		{"bad id", "x,2024,365,,369,,both,2,interstate", "conflict_id"},
		{"zero id", "0,2024,365,,369,,both,2,interstate", "conflict_id"},
		{"year", "1,1900,365,,369,,both,2,interstate", "year"},
		{"no side A", "1,2024,,,369,,both,2,interstate", "gwno_a"},
		{"NA", "1,2024,NA,,369,,both,2,interstate", "gwno_a"},
		{"GW too big", "1,2024,365,,1369,,both,2,interstate", "gwno_b"},
		{"incompatibility", "1,2024,365,,369,,land,2,interstate", "incompatibility"},
		{"intensity", "1,2024,365,,369,,both,3,interstate", "intensity_level"},
		{"type", "1,2024,365,,369,,both,2,civil", "type_of_conflict"},
		{"fields", "1,2024,365,,369,,both,2", ""},
		{"quote", `1,2024,365,,369,,"both,2,interstate`, ""},
		{"not UTF-8", "1,2024,365,,369,,b\xffth,2,interstate", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []Record
			cov, err := Read(strings.NewReader(header+tc.line+"\n"), "f.csv", func(r Record) error {
				if b, ok := r.(*BadRow); ok {
					c := *b
					got = append(got, &c)
				} else {
					got = append(got, r)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			bad, ok := got[0].(*BadRow)
			if len(got) != 1 || !ok || cov.Bad != 1 {
				t.Fatalf("got %v, want one bad row", got)
			}
			if bad.Err.Line != 2 || bad.Err.File != "f.csv" || bad.Err.Field != tc.field {
				t.Errorf("error %+v, want line 2 field %q", bad.Err, tc.field)
			}
		})
	}
}

func TestFileFaults(t *testing.T) {
	for name, in := range map[string]string{"empty": "", "header": "a,b,c\n1,2,3\n"} {
		_, err := Read(strings.NewReader(in), "f.csv", func(Record) error { return nil })
		var pe *entente.ParseError
		if !errors.As(err, &pe) {
			t.Errorf("%s: err = %v, want a ParseError", name, err)
		}
	}
	if _, err := Import(context.Background(), &recorder{}, country.DefaultGW(), []File{{Path: "testdata/missing.csv"}}); err == nil {
		t.Error("missing file imported")
	}
}

func FuzzRead(f *testing.F) {
	if b, err := os.ReadFile("testdata/ucdp_excerpt.csv"); err == nil {
		f.Add(b)
	}
	f.Add([]byte(header + "1,2024,365,731,369,,both,2,II\n1,2024,NA,,,,x,1,intrastate"))
	f.Fuzz(func(t *testing.T, data []byte) {
		last := 0
		_, err := Read(bytes.NewReader(data), "fuzz.csv", func(r Record) error {
			switch r := r.(type) {
			case *BadRow:
				if r.Err == nil || r.Err.Err == nil {
					t.Fatalf("bad row without an error: %+v", r)
				}
			case *Row:
				if r.ConflictID <= 0 || r.Year < minYear || r.GWA <= 0 || (r.Intensity != 1 && r.Intensity != 2) || r.Type == "" {
					t.Fatalf("ill-formed row %+v", r)
				}
			}
			if r.RecordLine() <= last {
				t.Fatalf("line %d after %d", r.RecordLine(), last)
			}
			last = r.RecordLine()
			return nil
		})
		var pe *entente.ParseError
		if err != nil && (!errors.As(err, &pe) || pe.Line <= 0) {
			t.Fatalf("error without a line: %v", err)
		}
	})
}

func realFile(tb testing.TB) string {
	p := filepath.Join("..", "..", "..", "shared", "data", "conflict", "peacesciencer_ucdp_acd.csv")
	if _, err := os.Stat(p); err != nil {
		tb.Skipf("real data not found at %s (../shared/data from the repo root): %v", p, err)
	}
	return p
}

// TestReal imports the whole file: every row is a row or a quarantined record, and the
// quarantined ones are GW numbers without a registry state that year, each named.
func TestReal(t *testing.T) {
	var rec recorder
	res, err := Import(context.Background(), &rec, country.DefaultGW(), []File{{Path: realFile(t)}})
	if err != nil {
		t.Fatal(err)
	}
	if res[0].Read != 5652 || int64(len(rec.rows)+len(rec.quar)) != res[0].Read || res[0].Coverage.Bad != 0 {
		t.Errorf("read %d = rows %d + quarantined %d, bad %d", res[0].Read, len(rec.rows), len(rec.quar), res[0].Coverage.Bad)
	}
	if len(rec.quar) > 10 {
		t.Errorf("%d rows with an unresolved GW number, want few: %+v", len(rec.quar), rec.quar[0])
	}
	if c := res[0].Coverage; c.FirstYear != 1946 || c.LastYear != 2024 {
		t.Errorf("coverage %+v", c)
	}
}

// BenchmarkRead parses the whole UCDP file (5,652 rows, 432 kB).
func BenchmarkRead(b *testing.B) {
	data, err := os.ReadFile(realFile(b))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		n = 0
		if _, err := Read(bytes.NewReader(data), "ucdp.csv", func(Record) error { n++; return nil }); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}
