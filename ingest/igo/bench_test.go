package igo

import (
	"bytes"
	"os"
	"testing"
)

// BenchmarkRead parses the whole COW IGO spell file (14,317 rows, 1.4 MB).
func BenchmarkRead(b *testing.B) {
	data, err := os.ReadFile(realFile(b))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		n := 0
		if _, err := Read(bytes.NewReader(data), "igo.csv", Options{}, func(r Record) error {
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
