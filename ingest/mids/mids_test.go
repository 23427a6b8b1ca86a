package mids

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/entente/entente"
)

type recorder struct {
	rows []entente.DisputeYear
	quar []entente.Quarantined
}

func (r *recorder) StartFile(f entente.ImportFile) error        { return nil }
func (r *recorder) ConflictYear(entente.ConflictYear) error     { panic("conflict from mids") }
func (r *recorder) Rivalry(entente.Rivalry) error               { panic("rivalry from mids") }
func (r *recorder) Dispute(d entente.DisputeYear) error         { r.rows = append(r.rows, d); return nil }
func (r *recorder) ArmsDeal(entente.ArmsDeal) error             { panic("arms deal from mids") }
func (r *recorder) Quarantine(q entente.Quarantined) error      { r.quar = append(r.quar, q); return nil }
func (r *recorder) FinishFile(read int64, notes []string) error { return nil }

func TestImportExcerpt(t *testing.T) {
	var rec recorder
	res, err := Import(context.Background(), &rec, []File{{Path: "testdata/gml_excerpt.csv"}})
	if err != nil {
		t.Fatal(err)
	}
	if res[0].Read != 10 || len(rec.rows) != 10 || len(rec.quar) != 0 {
		t.Fatalf("read %d, rows %d, quarantined %d", res[0].Read, len(rec.rows), len(rec.quar))
	}
	first := rec.rows[0]
	if first.DispNum != 2 || first.CCode1 != 2 || first.CCode2 != 200 || first.Year != 1902 || first.HostLev != 3 ||
		first.HiAct != 7 || !first.SideA || !first.Onset || !first.Revisionist || first.DispHostLev != 3 {
		t.Errorf("first = %+v", first)
	}
	n := 0
	for _, d := range rec.rows {
		if d.DispNum == 4585 && d.Year == 2010 && (d.CCode1 == 750 || d.CCode1 == 770) {
			n++
		}
	}
	if n == 0 {
		t.Error("India-Pakistan dispute 4585 missing")
	}
}

func TestMalformed(t *testing.T) {
	head := strings.Join(Columns[:], ",") + "\n"
	good := []string{"1", "2", "200", "1902", "1", "1", "1", "0", "7", "3", "3"}
	for i, col := range Columns {
		for _, v := range []string{"x", "", "99"} {
			if v == "99" && (col == "dispnum" || col == "ccode1" || col == "ccode2" || col == "year") {
				continue
			}
			f := append([]string(nil), good...)
			f[i] = v
			var bad []*BadRow
			_, err := Read(strings.NewReader(head+strings.Join(f, ",")+"\n"), "f.csv", func(r Record) error {
				if b, ok := r.(*BadRow); ok {
					c := *b
					bad = append(bad, &c)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if len(bad) != 1 || bad[0].Err.Field != col || bad[0].Err.Line != 2 || bad[0].Err.Column != i+1 {
				t.Errorf("%s=%q: bad rows %+v", col, v, bad)
			}
		}
	}
	var bad int
	if _, err := Read(strings.NewReader(head+"1,2,2,1902,1,1,1,0,7,3,3\n1,2\n"), "f.csv", func(r Record) error {
		if _, ok := r.(*BadRow); ok {
			bad++
		}
		return nil
	}); err != nil || bad != 2 {
		t.Errorf("self-dispute and short line: %d bad rows, err %v", bad, err)
	}
}

func FuzzRead(f *testing.F) {
	if b, err := os.ReadFile("testdata/gml_excerpt.csv"); err == nil {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		_, err := Read(bytes.NewReader(data), "fuzz.csv", func(r Record) error {
			if row, ok := r.(*Row); ok {
				d := entente.DisputeYear{DispNum: row.DispNum, CCode1: row.CCode1, CCode2: row.CCode2, Year: row.Year,
					HostLev: row.HostLev, DispHostLev: row.DispHostLev, Fatality: row.Fatality}
				if err := d.Validate(); err != nil {
					t.Fatalf("row the store would refuse: %v", err)
				}
			}
			return nil
		})
		var pe *entente.ParseError
		if err != nil && (!errors.As(err, &pe) || pe.Line <= 0) {
			t.Fatalf("error without a line: %v", err)
		}
	})
}

func realFile(tb testing.TB) string {
	p := filepath.Join("..", "..", "..", "shared", "data", "conflict", "peacesciencer_gml_dirdisp.csv")
	if _, err := os.Stat(p); err != nil {
		tb.Skipf("real data not found at %s (../shared/data from the repo root): %v", p, err)
	}
	return p
}

func TestReal(t *testing.T) {
	var rec recorder
	res, err := Import(context.Background(), &rec, []File{{Path: realFile(t)}})
	if err != nil {
		t.Fatal(err)
	}
	if res[0].Read != 10276 || len(rec.rows) != 10276 || len(rec.quar) != 0 {
		t.Errorf("read %d, rows %d, quarantined %d", res[0].Read, len(rec.rows), len(rec.quar))
	}
	if c := res[0].Coverage; c.FirstYear != 1816 || c.LastYear != 2010 {
		t.Errorf("coverage %+v", c)
	}
}

// BenchmarkRead parses the whole directed dispute-year file (10,276 rows, 1.1 MB).
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
		if _, err := Read(bytes.NewReader(data), "gml.csv", func(Record) error { n++; return nil }); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}
