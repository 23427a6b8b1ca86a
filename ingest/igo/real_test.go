package igo

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/entente/entente/country"
)

// realFile is the project's copy of the COW IGO spells (../shared/data from the project
// root); the test is skipped when it is absent.
func realFile(tb testing.TB) string {
	p := filepath.Join("..", "..", "..", "shared", "data", "igo", "manyigos_COW_MEM_memberships.csv")
	if _, err := os.Stat(p); err != nil {
		tb.Skipf("real data absent (%s): %v; this test needs the shared datasets", p, err)
	}
	return p
}

// TestRealFile reads the whole file and accounts for every line: spells + bad rows
// equal the non-blank lines after the header. Each spell's state must exist, in the
// country registry, in some year of the spell.
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
	reg := country.Default()
	igos := map[string]bool{}
	members := map[string]map[int]bool{}
	cov, err := Read(bytes.NewReader(data), filepath.Base(p), Options{}, func(r Record) error {
		switch r := r.(type) {
		case *Spell:
			igos[r.IGO] = true
			if members[r.IGO] == nil {
				members[r.IGO] = map[int]bool{}
			}
			if r.Covers(2010) && r.IGO == "NATO" || r.Covers(2012) && r.IGO == "CSTO" {
				members[r.IGO][r.CCode] = true
			}
			found := false
			for y := r.Begin; y <= r.End && !found; y++ {
				_, jan := reg.ByCOW(r.CCode, time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC))
				_, dec := reg.ByCOW(r.CCode, time.Date(y, 12, 31, 0, 0, 0, 0, time.UTC))
				found = jan || dec
			}
			if !found {
				t.Errorf("line %d: %s (COW %d) not a state in %d-%d", r.Line, r.StateName, r.CCode, r.Begin, r.End)
			}
		case *BadRow:
			t.Errorf("bad row: %v (%q)", r.Err, r.Raw)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if cov.Spells+cov.Bad != lines-1 {
		t.Errorf("spells %d + bad %d != %d lines after the header", cov.Spells, cov.Bad, lines-1)
	}
	// Counted independently with Python's csv: 14,317 rows, 9,826 ending in 2014.
	if cov.Spells != 14317 || cov.Bad != 0 || cov.Censored != 9826 || cov.FirstYear != 1816 || cov.LastYear != 2014 {
		t.Errorf("coverage %+v", cov)
	}
	if len(igos) != 450 {
		t.Errorf("%d organisations, want 450", len(igos))
	}
	if n := len(members["NATO"]); n != 28 {
		t.Errorf("NATO in 2010: %d members, want 28", n)
	}
	if members["CSTO"][704] || !members["CSTO"][371] {
		t.Error("CSTO 2012: want Armenia, not Uzbekistan (COW: 2002-2011)")
	}
}
