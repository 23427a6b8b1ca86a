package read

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// benchCorpus is the PLOVER dev set's sentences and the test articles, as one text.
func benchCorpus(b *testing.B) (string, int) {
	var parts []string
	for _, r := range loadDev(b) {
		parts = append(parts, r.Text)
	}
	files, _ := filepath.Glob(filepath.Join("testdata", "articles", "*.txt"))
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		s, err := Prepare(data)
		if err != nil {
			b.Fatal(err)
		}
		parts = append(parts, s)
	}
	text := strings.Join(parts, "\n\n")
	return text, len(Sentences(text))
}

// BenchmarkRead codes the corpus on one goroutine and reports sentences per second.
func BenchmarkRead(b *testing.B) {
	text, n := benchCorpus(b)
	c := Default()
	opt := Options{Date: time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)}
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cpuTime()
	for i := 0; i < b.N; i++ {
		c.Read(text, opt)
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "sentences/s")
	// per CPU second of the process: the figure that does not depend on how loaded a
	// shared machine is (wall-clock sentences/s does)
	if d := (cpuTime() - cpu0).Seconds(); d > 0 {
		b.ReportMetric(float64(n*b.N)/d, "sentences/cpu-s")
	}
}

func BenchmarkSplit(b *testing.B) {
	text, _ := benchCorpus(b)
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		Split(text, func(Sentence) bool { return true })
	}
}
