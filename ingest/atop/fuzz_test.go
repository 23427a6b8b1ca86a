package atop

import (
	"bytes"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/entente/entente"
)

// FuzzRead feeds arbitrary bytes to Read: it must not panic, every error must be a
// ParseError with a line, records come in line order, and rows are well-formed.
func FuzzRead(f *testing.F) {
	if b, err := os.ReadFile("testdata/atop_excerpt.csv"); err == nil {
		f.Add(b)
		lines := strings.SplitAfter(string(b), "\n")
		f.Add([]byte(strings.Join(lines[:3], "")))
		f.Add([]byte(lines[0] + lines[2][:7]))
	}
	f.Add([]byte(header + "2,20,1942,NA,1,0,0,0\n\"2\",\"20\",\"1942\",1,1,0,0,0\n"))
	f.Add([]byte(header + "2,20,1942,1,1,0,0,\"0\"x\n\n\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		last := 0
		cov, err := Read(bytes.NewReader(data), "fuzz.csv", func(r Record) error {
			line := r.RecordLine()
			switch r := r.(type) {
			case *BadRow:
				if r.Err == nil || r.Err.File != "fuzz.csv" || r.Err.Err == nil || len(r.Raw) > entente.MaxRawBytes+3 {
					t.Fatalf("bad row without a proper ParseError: %+v", r)
				}
			case *Row:
				if r.CCode1 == r.CCode2 || r.Year < minYear || r.Year > maxYear || r.Strength() > MaxStrength {
					t.Fatalf("ill-formed row %+v", r)
				}
			}
			if line <= 1 || line <= last {
				t.Fatalf("record at line %d after line %d", line, last)
			}
			last = line
			return nil
		})
		if err != nil {
			var pe *entente.ParseError
			if !errors.As(err, &pe) || pe.Line <= 0 {
				t.Fatalf("error without a line: %v", err)
			}
		}
		if cov.Rows > 0 && cov.FirstYear > cov.LastYear {
			t.Fatalf("coverage %+v", cov)
		}
	})
}
