package unvotes

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/entente/entente"
)

// FuzzParse feeds arbitrary bytes to Read: it must not panic, every error must be a
// ParseError with a line, and rows must come in line order.
func FuzzParse(f *testing.F) {
	excerpts, _ := filepath.Glob("testdata/*.csv")
	for _, p := range excerpts {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
			lines := strings.SplitAfter(string(b), "\n")
			if len(lines) > 3 {
				f.Add([]byte(strings.Join(lines[:3], "")))
				f.Add([]byte(lines[0] + lines[len(lines)-2][:len(lines[len(lines)-2])/2]))
			}
		}
	}
	if dir := filepath.Join("..", "..", "..", "shared", "data", "unvotes"); dirExists(dir) {
		for _, n := range []string{"voeten_votes_1946_2024.csv", "un_votes.csv", "un_roll_calls.csv", "un_roll_call_issues.csv", "un_votes_2025_processed.csv"} {
			if lines := firstLines(filepath.Join(dir, n), 6); len(lines) > 0 {
				f.Add([]byte(strings.Join(lines, "\n") + "\n"))
			}
		}
	}
	f.Add([]byte(voetenHeader + "1001,2,\"1946-01-01\",1946,1\n1001,20,\"19"))
	f.Add([]byte("rcid,session,importantvote,date,unres,amend,para,short,descr\n3,1,0,\"1946-01-01\",\"R/1/66\",1,0,\"A\",\"x\n\"\"y\"\"\"\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		last := 0
		_, err := Read(bytes.NewReader(data), "fuzz.csv", func(r Row) error {
			line := r.RowLine()
			if b, ok := r.(*BadRow); ok {
				if b.Err == nil || b.Err.File != "fuzz.csv" || b.Err.Err == nil {
					t.Fatalf("bad row without a proper ParseError: %+v", b)
				}
				if len(b.Raw) > entente.MaxRawBytes {
					t.Fatalf("raw of %d bytes", len(b.Raw))
				}
			}
			if line <= 1 || line < last {
				t.Fatalf("row at line %d after line %d", line, last)
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
	})
}

func dirExists(dir string) bool {
	st, err := os.Stat(dir)
	return err == nil && st.IsDir()
}
