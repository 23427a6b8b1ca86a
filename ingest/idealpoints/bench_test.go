package idealpoints

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkRead parses the July 2025 release (11,440 rows) when present, else the
// testdata excerpt repeated.
func BenchmarkRead(b *testing.B) {
	data, err := os.ReadFile("../../../shared/data/idealpoints/IdealpointsJuly2025.csv")
	if err != nil {
		ex, err := os.ReadFile(filepath.Join("testdata", "july2025.csv"))
		if err != nil {
			b.Fatal(err)
		}
		head, body, _ := bytes.Cut(ex, []byte("\n"))
		data = append(append(head, '\n'), bytes.Repeat(body, 2000)...)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Read(bytes.NewReader(data), "bench.csv", func(Record) error { return nil }); err != nil {
			b.Fatal(err)
		}
	}
}
