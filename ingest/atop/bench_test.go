package atop

import (
	"bytes"
	"os"
	"testing"
)

// BenchmarkRead parses the whole ATOP dyad-year file (273,296 rows, 6.2 MB).
func BenchmarkRead(b *testing.B) {
	data, err := os.ReadFile(realFile(b))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		n := 0
		if _, err := Read(bytes.NewReader(data), "atop.csv", func(r Record) error {
			if bad, ok := r.(*BadRow); ok {
				b.Fatalf("bad row: %v", bad.Err)
			}
			n++
			return nil
		}); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(n), "rows/op")
	}
}
