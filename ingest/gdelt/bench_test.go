package gdelt

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// benchRead parses the concatenation of the named real files (as one stream: the layout
// is the same) and reports bytes/s, rows/s and allocations.
func benchRead(b *testing.B, pattern string) {
	paths, _ := filepath.Glob(filepath.Join(sharedData(b), pattern))
	if len(paths) == 0 {
		b.Skipf("no files match %s", pattern)
	}
	var data []byte
	for _, p := range paths {
		d, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		data = append(data, d...)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	rows := 0
	for b.Loop() {
		rows = 0
		if _, _, err := Read(bytes.NewReader(data), "bench", func(r Row) error {
			if bad, ok := r.(*BadRow); ok {
				b.Fatalf("bad row: %v", bad.Err)
			}
			rows++
			return nil
		}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(rows), "rows/op")
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkReadExport parses the five real 2.0 export files (11,123 rows, 4.4 MB).
func BenchmarkReadExport(b *testing.B) { benchRead(b, "v2/*.export.CSV") }

// BenchmarkReadMentions parses the four real 2.0 mentions files (37,208 rows, 7.6 MB).
func BenchmarkReadMentions(b *testing.B) { benchRead(b, "v2/*.mentions.CSV") }

// BenchmarkReadV1 parses the 1.0 sample mixing daily (58) and back-file (57) rows.
func BenchmarkReadV1(b *testing.B) { benchRead(b, "gdelt1_events_sample_reed9999.tsv") }
