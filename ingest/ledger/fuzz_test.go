package ledger

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/entente/entente/country"
)

func FuzzParse(f *testing.F) {
	// Seeds are real entries: the test file and the first acts of each ledger file (whole
	// ledger files are too large for the mutator to explore efficiently).
	seeds, _ := filepath.Glob("../../data/ledger/*.yaml")
	for _, name := range seeds {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		entries := strings.Split(string(b), "\n- id:")
		for i := 1; i < len(entries) && i <= 2; i++ {
			f.Add("- id:" + entries[i])
		}
	}
	if b, err := os.ReadFile("testdata/valid.yaml"); err == nil {
		f.Add(string(b))
	}
	f.Add(head + "  kind: alliance_treaty\n" + tail)
	f.Add("- id: x\n  stance: -\n")
	f.Fuzz(func(t *testing.T, src string) {
		acts, _ := Parse(strings.NewReader(src), "fuzz.yaml")
		Check(acts, country.Default(), testNow, nil)
		for _, a := range acts {
			if a.ID == "" || a.Kind == "" || len(a.Sources) == 0 {
				t.Fatalf("an act without id, kind or source passed: %+v", a)
			}
		}
	})
}

func BenchmarkParse(b *testing.B) {
	data, err := os.ReadFile("testdata/valid.yaml")
	if err != nil {
		b.Fatal(err)
	}
	src := strings.Repeat(string(data), 50)
	src = strings.ReplaceAll(src, "# A small valid ledger used by the tests.\n", "")
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		Parse(strings.NewReader(src), "bench.yaml")
	}
}
