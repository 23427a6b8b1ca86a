package gdelt

import (
	"bytes"
	"math/rand/v2"
	"testing"
)

// TestSplitMatchesBytesSplit checks the eight-bytes-at-a-time tab search against
// bytes.Split on random lines, with bytes next to the tab's value (0x08, 0x0a, 0x89)
// that a carrying SWAR test would mistake for tabs.
func TestSplitMatchesBytesSplit(t *testing.T) {
	alphabet := []byte{'\t', '\t', 'a', '1', 0x08, 0x0a, 0x89, 0xff, 0x00, 0x01}
	r := rand.New(rand.NewPCG(1, 2))
	var f fields
	for i := 0; i < 20000; i++ {
		line := make([]byte, r.IntN(200))
		for j := range line {
			line[j] = alphabet[r.IntN(len(alphabet))]
		}
		want := bytes.Split(line, []byte{'\t'})
		f.split(line)
		if f.n != len(want) {
			t.Fatalf("%q: %d fields, want %d", line, f.n, len(want))
		}
		for k := 0; k < min(f.n, maxSplit); k++ {
			if !bytes.Equal(f.get(k), want[k]) {
				t.Fatalf("%q: field %d = %q, want %q", line, k, f.get(k), want[k])
			}
		}
	}
}
