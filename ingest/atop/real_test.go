package atop

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// realFile is the project's copy of the ATOP dyad-year file (../shared/data from the
// project root); the test is skipped when it is absent.
func realFile(tb testing.TB) string {
	p := filepath.Join("..", "..", "..", "shared", "data", "alliances", "peacesciencer_atop_alliance.csv")
	if _, err := os.Stat(p); err != nil {
		tb.Skipf("real data absent (%s): %v; this test needs the shared datasets", p, err)
	}
	return p
}

// TestRealFile reads the whole file and accounts for every line: rows + bad rows equal
// the non-blank lines after the header.
func TestRealFile(t *testing.T) {
	p := realFile(t)
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	lines := 0
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		if len(bytes.TrimSpace(sc.Bytes())) > 0 {
			lines++
		}
	}
	var byStrength [4]int
	dyads := map[[3]int]Strength{}
	cov, err := Read(bytes.NewReader(data), filepath.Base(p), func(r Record) error {
		switch r := r.(type) {
		case *Row:
			byStrength[r.Strength()]++
			dyads[[3]int{r.CCode1, r.CCode2, r.Year}] = r.Strength()
		case *BadRow:
			t.Errorf("bad row: %v (%q)", r.Err, r.Raw)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if cov.Rows+cov.Bad != lines-1 {
		t.Errorf("rows %d + bad %d != %d lines after the header", cov.Rows, cov.Bad, lines-1)
	}
	if cov.Rows != 273296 || cov.Bad != 0 || cov.FirstYear != 1815 || cov.LastYear != 2018 {
		t.Errorf("coverage %+v, want 273296 rows, 0 bad, 1815-2018", cov)
	}
	if len(dyads) != cov.Rows {
		t.Errorf("%d distinct dyad-years in %d rows", len(dyads), cov.Rows)
	}
	t.Logf("rows by strength 0..3: %v", byStrength)
	if byStrength != [4]int{170, 121402, 13699, 138025} { // counted independently with Python's csv
		t.Errorf("rows by strength %v", byStrength)
	}
	for _, c := range []struct {
		a, b, y int
		want    Strength
	}{{365, 370, 2018, Defense}, {2, 200, 2018, Defense}, {2, 365, 2018, NonAggression}, {365, 255, 1939, Neutrality}} {
		if got := dyads[[3]int{c.a, c.b, c.y}]; got != c.want {
			t.Errorf("%d→%d %d: %v, want %v", c.a, c.b, c.y, got, c.want)
		}
	}
	if cov.Covers(2019) {
		t.Error("2019 is after ATOP v5.1: unknown")
	}
}
