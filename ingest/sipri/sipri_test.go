package sipri

import (
	"bytes"
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/entente/entente"
	"github.com/entente/entente/country"
)

type recorder struct {
	deals []entente.ArmsDeal
	quar  []entente.Quarantined
	notes []string
}

func (r *recorder) StartFile(f entente.ImportFile) error        { return nil }
func (r *recorder) ConflictYear(entente.ConflictYear) error     { panic("conflict from sipri") }
func (r *recorder) Rivalry(entente.Rivalry) error               { panic("rivalry from sipri") }
func (r *recorder) Dispute(entente.DisputeYear) error           { panic("dispute from sipri") }
func (r *recorder) ArmsDeal(d entente.ArmsDeal) error           { r.deals = append(r.deals, d); return nil }
func (r *recorder) Quarantine(q entente.Quarantined) error      { r.quar = append(r.quar, q); return nil }
func (r *recorder) FinishFile(read int64, notes []string) error { r.notes = notes; return nil }

const preamble = "Transfers of major conventional arms\nSource: SIPRI Arms Transfers Database (c) SIPRI.\n" +
	"Recipient,Supplier,Year of order, ,Number ordered, ,Weapon designation,Weapon description,Number delivered, ,Year(s) of delivery,status,Comments,SIPRI TIV per unit,SIPRI TIV for total order,SIPRI TIV of delivered weapons\n"

func TestImportExcerpt(t *testing.T) {
	var rec recorder
	res, err := Import(context.Background(), &rec, country.Default(), []File{{Path: "testdata/sipri_excerpt.csv"}})
	if err != nil {
		t.Fatal(err)
	}
	r := res[0]
	if r.Coverage.Preamble != 11 || r.Coverage.Joined != 1 || r.Read != int64(len(rec.deals)+len(rec.quar)) || len(rec.quar) != 0 {
		t.Fatalf("result %+v, deals %d, quarantined %+v", r, len(rec.deals), rec.quar)
	}
	find := func(recipient, sup, des string) entente.ArmsDeal {
		t.Helper()
		for _, d := range rec.deals {
			if d.Recipient.Name == recipient && d.Supplier.Name == sup && strings.HasPrefix(d.Designation, des) {
				return d
			}
		}
		t.Fatalf("no deal %s <- %s %s", recipient, sup, des)
		return entente.ArmsDeal{}
	}
	hw := find("Russia", "North Korea", "Hwasong-11")
	if hw.Recipient.State != "RUS" || hw.Supplier.State != "PRK" || !hw.OrderYearUncertain || hw.NumberOrdered != -1 ||
		hw.NumberDelivered != 100 || hw.TIVDelivered != 250 || hw.TIVOrder != 0 || hw.TIVInYear(2024) != 125 || hw.TIVInYear(2022) != 0 {
		t.Errorf("Hwasong-11 = %+v", hw)
	}
	sh := find("Russia", "Iran", "Shahed-136")
	if !sh.NumberOrderedUncertain || sh.NumberOrdered != 6600 || len(sh.DeliveryYears) != 3 {
		t.Errorf("Shahed-136 = %+v", sh)
	}
	if su := find("Afghanistan", "Soviet Union", "An-26"); su.Supplier.State != "SUN" {
		t.Errorf("Soviet Union 1987 = %+v", su.Supplier)
	}
	if gdr := find("East Germany (GDR)", "Soviet Union", "Kh-23"); gdr.Recipient.State != "DDR" {
		t.Errorf("East Germany = %+v", gdr.Recipient)
	}
	if bu := find("Algeria", "Egypt", "Bü-181"); bu.Recipient.State != "DZA" { // Latin-1 decoded; Algeria from July 1962
		t.Errorf("Bü-181 = %+v", bu)
	}
	bt := find("Thailand", "Ukraine", "BTR-3")
	if bt.TIVDelivered != 3.25 || !strings.Contains(bt.Comments, "redesign for other engines") {
		t.Errorf("joined BTR-3 deal = %+v", bt)
	}
	un := find("Afghanistan", "unknown supplier(s)", "Mi-17")
	if un.Supplier.Kind != entente.PartyUnknown || un.Supplier.State != "" {
		t.Errorf("unknown supplier forced onto a state: %+v", un.Supplier)
	}
	au := find("African Union**", "unknown supplier(s)", "Mi-17")
	if au.Recipient.Kind != entente.PartyMultilateral || au.Recipient.State != "" {
		t.Errorf("African Union = %+v", au.Recipient)
	}
	if r.Parties[entente.PartyUnknown] != 2 || r.Parties[entente.PartyMultilateral] != 1 {
		t.Errorf("parties %v", r.Parties)
	}
}

func TestDuplicateDealsKeptApart(t *testing.T) {
	line := "Chad,France,1990,,2,,AMX-13,light tank,2,,1991,Second hand,,0.5,1,1\n"
	var rec recorder
	path := filepath.Join(t.TempDir(), "dup.csv")
	if err := os.WriteFile(path, []byte(preamble+line+line), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Import(context.Background(), &rec, country.Default(), []File{{Path: path}}); err != nil {
		t.Fatal(err)
	}
	if len(rec.deals) != 2 || rec.deals[0].Key == rec.deals[1].Key {
		t.Errorf("two identical deals: %d deals, keys %v", len(rec.deals), rec.deals)
	}
}

func TestNonStateNeverForced(t *testing.T) {
	for name, want := range map[string]string{
		"Houthi rebels (Yemen)*": entente.PartyNonState, "NATO**": entente.PartyMultilateral,
		"unknown supplier(s)": entente.PartyUnknown, "unknown recipient(s)": entente.PartyUnknown, "Yemen": entente.PartyState,
	} {
		if got := PartyKind(name); got != want {
			t.Errorf("PartyKind(%q) = %s, want %s", name, got, want)
		}
	}
}

func TestMalformed(t *testing.T) {
	good := []string{"Chad", "France", "1990", "", "2", "", "AMX-13", "light tank", "2", "", "1991", "New", "", "0.5", "1", "1"}
	for _, tc := range []struct {
		col int
		val string
	}{
		{0, ""}, {1, ""}, {2, "199x"}, {2, "1850"}, {3, "!"}, {4, "two"}, {5, "x"}, {8, "-3"}, {9, "??"},
		{10, "1991; 1990"}, {10, "19x1"}, {13, "abc"}, {14, "-1"}, {15, "1e400"},
	} {
		f := append([]string(nil), good...)
		f[tc.col] = tc.val
		var bad []*BadRow
		_, err := Read(strings.NewReader(preamble+strings.Join(f, ",")+"\n"), "f.csv", func(r Record) error {
			if b, ok := r.(*BadRow); ok {
				c := *b
				bad = append(bad, &c)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(bad) != 1 || bad[0].Err.Line != 4 || bad[0].Err.Column != tc.col+1 || bad[0].Err.Field != Header[tc.col] {
			t.Errorf("column %d = %q: bad rows %+v", tc.col, tc.val, bad)
		}
	}
	// A short line that the next does not complete is bad; the next is read on its own.
	var rows, bad int
	_, err := Read(strings.NewReader(preamble+"Chad,France,1990\n"+strings.Join(good, ",")+"\n"), "f.csv", func(r Record) error {
		if _, ok := r.(*BadRow); ok {
			bad++
		} else {
			rows++
		}
		return nil
	})
	if err != nil || rows != 1 || bad != 1 {
		t.Errorf("short line: rows %d bad %d err %v", rows, bad, err)
	}
	for name, in := range map[string]string{"empty": "", "no header": "a\nb\n", "bad header": strings.Replace(preamble, "Supplier", "Seller", 1)} {
		_, err := Read(strings.NewReader(in), "f.csv", func(Record) error { return nil })
		var pe *entente.ParseError
		if !errors.As(err, &pe) || pe.Line <= 0 {
			t.Errorf("%s: err = %v, want a ParseError with a line", name, err)
		}
	}
}

func FuzzRead(f *testing.F) {
	if b, err := os.ReadFile("testdata/sipri_excerpt.csv"); err == nil {
		f.Add(b)
	}
	f.Add([]byte(preamble + "Chad,France,1990,?,2,?,AMX\xe9,light tank,2,?,1991; 1992,New,x\r\n,0.5,1,1\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		_, err := Read(bytes.NewReader(data), "fuzz.csv", func(r Record) error {
			switch r := r.(type) {
			case *Row:
				if r.Recipient == "" || r.Supplier == "" || r.OrderYear < minYear || math.IsInf(r.TIVDelivered, 0) || !strings.HasPrefix(r.Text, r.Recipient) {
					t.Fatalf("ill-formed row %+v", r)
				}
			case *BadRow:
				if r.Err == nil || r.Err.Line <= 0 {
					t.Fatalf("bad row without a line: %+v", r)
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
	p := filepath.Join("..", "..", "..", "shared", "data", "arms", "sipri_trade_register_2025-03-13.csv")
	if _, err := os.Stat(p); err != nil {
		tb.Skipf("real data not found at %s (../shared/data from the repo root): %v", p, err)
	}
	return p
}

// TestReal imports the whole register: 29,531 lines are an 11-line preamble, a header
// and 29,519 lines holding 29,515 deals (four comments with a line break).
func TestReal(t *testing.T) {
	var rec recorder
	res, err := Import(context.Background(), &rec, country.Default(), []File{{Path: realFile(t)}})
	if err != nil {
		t.Fatal(err)
	}
	r := res[0]
	if r.Read != 29515 || r.Coverage.Joined != 4 || r.Coverage.Bad != 0 || int64(len(rec.deals)+len(rec.quar)) != r.Read {
		t.Errorf("read %d, joined %d, bad %d, deals %d, quarantined %d", r.Read, r.Coverage.Joined, r.Coverage.Bad, len(rec.deals), len(rec.quar))
	}
	for _, q := range rec.quar {
		if !strings.Contains(q.Reason, "no registry state") {
			t.Errorf("quarantined for another reason: %+v", q)
		}
	}
	if len(rec.quar) > 200 {
		t.Errorf("%d deals quarantined, want few (states before their registry spell, unrecognised entities)", len(rec.quar))
	}
}

// BenchmarkRead parses the whole trade register (29,515 deals, 3.8 MB).
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
		if _, err := Read(bytes.NewReader(data), "sipri.csv", func(Record) error { n++; return nil }); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}
