package idealpoints

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzRead checks that Read never panics and accounts for every data line it passes on.
func FuzzRead(f *testing.F) {
	for _, n := range []string{"july2025.csv", "humanrights2020.csv", "all2020.csv"} {
		b, err := os.ReadFile(filepath.Join("testdata", n))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b))
	}
	f.Add("ccode,session,NVotes,IdealPoint,QO%,Q5%,Q10%,Q50%,Q90%,Q95%,Q100%\n2,1,3,,,,,,,,\n")
	f.Fuzz(func(t *testing.T, data string) {
		n := 0
		st, err := Read(strings.NewReader(data), "fuzz.csv", func(r Record) error {
			n++
			if row, ok := r.(*Row); ok {
				for _, p := range row.Points {
					if err := p.Validate(); err != nil {
						t.Fatalf("Read passed an invalid point: %v", err)
					}
				}
			}
			return nil
		})
		if err == nil && st.Rows+st.Bad != n {
			t.Fatalf("stats %d + %d, callbacks %d", st.Rows, st.Bad, n)
		}
	})
}
