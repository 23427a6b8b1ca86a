package gdelt

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func TestEventCode(t *testing.T) {
	tests := []struct {
		code      string
		desc      string
		goldstein float64
		ok        bool
	}{
		{"01", "MAKE PUBLIC STATEMENT", 0, true},
		{"043", "Host a visit", 2.8, true},
		{"044", `Meet at a "third" location`, 2.5, true},
		{"1056", "Demand de-escalation of military engagement", -5, true},
		{"106", "Demand withdrawal", -5, true}, // split out of the garbled upstream line
		{"190", "Use conventional military force, not specified below", -10, true},
		{"2042", "Detonate nuclear weapons", -10, true},
		{"1", "", 0, false}, // quad-class heading, not an event code
		{"43", "", 0, false},
		{"099", "", 0, false},
		{"", "", 0, false},
		{"04a", "", 0, false},
	}
	for _, tc := range tests {
		desc, g, ok := EventCode(tc.code)
		if desc != tc.desc || g != tc.goldstein || ok != tc.ok {
			t.Errorf("EventCode(%q) = %q, %v, %v; want %q, %v, %v", tc.code, desc, g, ok, tc.desc, tc.goldstein, tc.ok)
		}
	}
	if n := len(EventCodes()); n != 311 {
		t.Errorf("%d codes, want 311", n)
	}
}

// TestQuadClass checks the root → quad class map against the headings of the lookup
// file (1 before 01, 2 before 06, 3 before 10, 4 before 15).
func TestQuadClass(t *testing.T) {
	want := map[string]int8{"01": 1, "05": 1, "06": 2, "09": 2, "10": 3, "14": 3, "15": 4, "20": 4, "00": 0, "21": 0, "1": 0, "010": 0}
	for root, q := range want {
		if got := QuadClass(root); got != q {
			t.Errorf("QuadClass(%q) = %d, want %d", root, got, q)
		}
	}
	for _, c := range EventCodes() {
		if QuadClass(c[:2]) == 0 {
			t.Errorf("code %s: root without a quad class", c)
		}
	}
}

// TestCameoTableMatchesSource regenerates nothing but checks the embedded table against
// the shared lookup files: every code and value there is here (after gen.go's repairs).
func TestCameoTableMatchesSource(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(sharedData(t), "CAMEO.goldsteinscale.txt"))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for i, line := range strings.Split(strings.ReplaceAll(string(b), "\r", ""), "\n") {
		code, val, ok := strings.Cut(line, "\t")
		if i == 0 || !ok {
			continue
		}
		n++
		_, g, found := EventCode(code)
		if v, err := strconv.ParseFloat(strings.TrimSpace(val), 64); !found || err != nil || v != g {
			t.Errorf("code %s: embedded %v (found %v), source %q", code, g, found, val)
		}
	}
	if n != len(EventCodes()) {
		t.Errorf("source has %d codes, table %d", n, len(EventCodes()))
	}
}
