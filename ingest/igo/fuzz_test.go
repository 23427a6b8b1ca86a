package igo

import (
	"bytes"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/entente/entente"
)

// FuzzRead feeds arbitrary bytes to Read: it must not panic, every error must be a
// ParseError with a line, records come in line order, and spells are well-formed.
func FuzzRead(f *testing.F) {
	if b, err := os.ReadFile("testdata/cow_igo_excerpt.csv"); err == nil {
		f.Add(b)
		lines := strings.SplitAfter(string(b), "\n")
		f.Add([]byte(strings.Join(lines[:4], "")))
		f.Add([]byte(lines[0] + lines[3][:20]))
	}
	f.Add([]byte(header + `,"soafrica","IDC","x ""y""","2030","1920","1946"` + "\n\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		last := 0
		cov, err := Read(bytes.NewReader(data), "fuzz.csv", Options{}, func(r Record) error {
			line := r.RecordLine()
			switch r := r.(type) {
			case *BadRow:
				if r.Err == nil || r.Err.File != "fuzz.csv" || r.Err.Err == nil || len(r.Raw) > entente.MaxRawBytes+3 {
					t.Fatalf("bad row without a proper ParseError: %+v", r)
				}
			case *Spell:
				if r.CCode == 0 || r.IGO == "" || r.Begin > r.End || r.End > DataEnd || r.Censored != (r.End == DataEnd) {
					t.Fatalf("ill-formed spell %+v", r)
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
		if cov.Spells > 0 && cov.FirstYear > cov.LastYear {
			t.Fatalf("coverage %+v", cov)
		}
	})
}
