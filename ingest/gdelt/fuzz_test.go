package gdelt

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/entente/entente"
)

// seed adds each excerpt, its first lines, and its first line cut in half.
func seed(f *testing.F, paths ...string) {
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		f.Add(b)
		lines := strings.SplitAfter(string(b), "\n")
		f.Add([]byte(strings.Join(lines[:min(3, len(lines))], "")))
		f.Add([]byte(lines[0][:len(lines[0])/2]))
	}
}

// fuzzRead checks what must hold for any input: no panic; every line accounted for;
// bad rows carry a ParseError with file, line and a cause, and a bounded raw line; rows
// come in line order; file-level errors name a line.
func fuzzRead(t *testing.T, data []byte, layout Layout) {
	last := 0
	fn := func(r Row) error {
		if b, ok := r.(*BadRow); ok {
			if b.Err == nil || b.Err.File != "fuzz" || b.Err.Err == nil || b.Err.Line < 1 {
				t.Fatalf("bad row without a proper ParseError: %+v", b)
			}
			if len(b.Raw) > entente.MaxRawBytes {
				t.Fatalf("raw of %d bytes", len(b.Raw))
			}
		}
		if line := r.RowLine(); line <= last {
			t.Fatalf("row at line %d after line %d", line, last)
		} else {
			last = line
		}
		return nil
	}
	var st Stats
	var err error
	if layout == LayoutUnknown {
		_, st, err = Read(bytes.NewReader(data), "fuzz", fn)
	} else {
		st, err = ReadAs(bytes.NewReader(data), "fuzz", layout, fn)
	}
	if err != nil {
		var pe *entente.ParseError
		if !errors.As(err, &pe) || pe.Line < 1 || !errors.Is(err, entente.ErrEmpty) {
			t.Fatalf("error %v: want an empty-file ParseError with a line", err)
		}
		return
	}
	checkAccounting(t, "fuzz", st)
}

// FuzzReadExport fuzzes the 2.0 export parser, seeded with real lines.
func FuzzReadExport(f *testing.F) {
	seed(f, "testdata/export_20180101000000_excerpt.tsv", "testdata/export_20150218230000_excerpt.tsv", "testdata/export_head_excerpt.tsv")
	f.Fuzz(func(t *testing.T, data []byte) { fuzzRead(t, data, LayoutExport) })
}

// FuzzReadMentions fuzzes the 2.0 mentions parser, seeded with real lines.
func FuzzReadMentions(f *testing.F) {
	seed(f, "testdata/mentions_20150218230000_excerpt.tsv")
	f.Fuzz(func(t *testing.T, data []byte) { fuzzRead(t, data, LayoutMentions) })
}

// FuzzReadV1Events fuzzes the 1.0 events parser (57 and 58 fields), seeded with real lines.
func FuzzReadV1Events(f *testing.F) {
	seed(f, "testdata/v1_events_excerpt.tsv")
	f.Fuzz(func(t *testing.T, data []byte) { fuzzRead(t, data, LayoutV1Events) })
}

// FuzzRead fuzzes layout detection and every parser behind it.
func FuzzRead(f *testing.F) {
	excerpts, _ := filepath.Glob("testdata/*.tsv")
	seed(f, excerpts...)
	f.Add([]byte(""))
	f.Add([]byte("\n\n"))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzRead(t, data, LayoutUnknown) })
}
