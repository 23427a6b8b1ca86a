package rivalry

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
	rows []entente.Rivalry
	quar []entente.Quarantined
	src  []string
}

func (r *recorder) StartFile(f entente.ImportFile) error        { r.src = append(r.src, f.Source); return nil }
func (r *recorder) ConflictYear(entente.ConflictYear) error     { panic("conflict from rivalry") }
func (r *recorder) Rivalry(v entente.Rivalry) error             { r.rows = append(r.rows, v); return nil }
func (r *recorder) Dispute(entente.DisputeYear) error           { panic("dispute from rivalry") }
func (r *recorder) ArmsDeal(entente.ArmsDeal) error             { panic("arms deal from rivalry") }
func (r *recorder) Quarantine(q entente.Quarantined) error      { r.quar = append(r.quar, q); return nil }
func (r *recorder) FinishFile(read int64, notes []string) error { return nil }

func TestImportExcerpts(t *testing.T) {
	var rec recorder
	res, err := Import(context.Background(), &rec, []File{{Path: "testdata/tss_excerpt.csv"}, {Path: "testdata/td_excerpt.csv"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 2 || res[0].Read != 5 || res[1].Read != 4 || len(rec.rows) != 9 || len(rec.quar) != 0 {
		t.Fatalf("results %+v, rows %d, quarantined %d", res, len(rec.rows), len(rec.quar))
	}
	if strings.Join(rec.src, ",") != "tss,td" {
		t.Errorf("sources %v", rec.src)
	}
	byKey := map[string]entente.Rivalry{}
	for _, r := range rec.rows {
		byKey[r.RecordKey()] = r
	}
	ip := byKey["tss/107"]
	if ip.Name != "India-Pakistan" || !ip.Ongoing || ip.End != 2020 || !ip.Principal || strings.Join(ip.Types, ",") != "positional,spatial" {
		t.Errorf("TSS India-Pakistan = %+v", ip)
	}
	if ru := byKey["tss/262"]; !ru.Ongoing || strings.Join(ru.Types, ",") != "spatial,interventionary" || ru.Principal {
		t.Errorf("TSS Russia-Ukraine = %+v", ru)
	}
	if td := byKey["td/106"]; !td.Ongoing || td.End != TDEnd || td.Region != "South Asia" {
		t.Errorf("TD India-Pakistan = %+v", td)
	}
	if af := byKey["tss/1"]; af.Ongoing || af.End != 1918 {
		t.Errorf("ended rivalry marked ongoing: %+v", af)
	}
}

func TestMalformed(t *testing.T) {
	tss := strings.Join(TSSColumns, ",") + ",aprin\n"
	td := strings.Join(TDColumns, ",") + "\n"
	for _, tc := range []struct{ name, in, field string }{
		{"id", tss + "x,A-B,2,20,1900,1950,1,,,,,\n", "tssr_id"},
		{"self", tss + "1,A-B,2,2,1900,1950,1,,,,,\n", "ccode2"},
		{"end before start", tss + "1,A-B,2,20,1950,1900,1,,,,,\n", "end"},
		{"after data end", tss + "1,A-B,2,20,1950,2021,1,,,,,\n", "end"},
		{"flag", tss + "1,A-B,2,20,1900,1950,yes,,,,,\n", "positional"},
		{"no name", tss + "1,,2,20,1900,1950,1,,,,,\n", "rivalry"},
		{"td type", td + "1,A-B,2,20,1900,1950,X,economic,,\n", "type1"},
		{"td year", td + "1,A-B,2,20,NA,1950,X,spatial,,\n", "styear"},
		{"fields", td + "1,A-B,2,20\n", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var bad []*BadRow
			_, err := Read(strings.NewReader(tc.in), "f.csv", func(r Record) error {
				if b, ok := r.(*BadRow); ok {
					c := *b
					bad = append(bad, &c)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if len(bad) != 1 || bad[0].Err.Line != 2 || bad[0].Err.Field != tc.field {
				t.Fatalf("bad rows %+v, want one at line 2 field %q", bad, tc.field)
			}
		})
	}
	_, err := Read(strings.NewReader("a,b\n1,2\n"), "f.csv", func(Record) error { return nil })
	var pe *entente.ParseError
	if !errors.As(err, &pe) || !errors.Is(err, entente.ErrHeader) {
		t.Errorf("unknown header: err = %v", err)
	}
}

func FuzzRead(f *testing.F) {
	for _, p := range []string{"testdata/tss_excerpt.csv", "testdata/td_excerpt.csv"} {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		_, err := Read(bytes.NewReader(data), "fuzz.csv", func(r Record) error {
			if row, ok := r.(*Row); ok {
				if row.CCode1 == row.CCode2 || row.End < row.Start || row.Name == "" || row.Format == Unknown {
					t.Fatalf("ill-formed row %+v", row)
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

func realFiles(tb testing.TB) []string {
	dir := filepath.Join("..", "..", "..", "shared", "data", "conflict")
	if _, err := os.Stat(dir); err != nil {
		tb.Skipf("real data not found at %s (../shared/data from the repo root): %v", dir, err)
	}
	return []string{filepath.Join(dir, "peacesciencer_tss_rivalries.csv"), filepath.Join(dir, "peacesciencer_td_rivalries.csv")}
}

func TestReal(t *testing.T) {
	var rec recorder
	files := realFiles(t)
	res, err := Import(context.Background(), &rec, []File{{Path: files[0]}, {Path: files[1]}})
	if err != nil {
		t.Fatal(err)
	}
	if res[0].Read != 264 || res[1].Read != 197 || len(rec.rows) != 461 || len(rec.quar) != 0 {
		t.Errorf("read %d + %d, rows %d, quarantined %d", res[0].Read, res[1].Read, len(rec.rows), len(rec.quar))
	}
	if res[0].Coverage.Ongoing != 56 || res[1].Coverage.Ongoing != 42 {
		t.Errorf("ongoing %d, %d; want 56, 42", res[0].Coverage.Ongoing, res[1].Coverage.Ongoing)
	}
}

// BenchmarkRead parses the TSS file (264 rivalries).
func BenchmarkRead(b *testing.B) {
	data, err := os.ReadFile(realFiles(b)[0])
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		n = 0
		if _, err := Read(bytes.NewReader(data), "tss.csv", func(Record) error { n++; return nil }); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}
