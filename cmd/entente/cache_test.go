package main

import (
	"strconv"
	"strings"
	"testing"
)

// TestCacheWarm: after 'cache warm', a rank (with its coverage note) at any date of the
// warmed years, for any focal state, reads nothing new and says what it says without a
// cache; info counts the entries and clear removes them.
func TestCacheWarm(t *testing.T) {
	db := indexDB(t)
	root := t.TempDir()
	run := func(cache string, args ...string) result {
		t.Helper()
		return runApp(t, asMain(cache), append([]string{"--db", db}, args...)...)
	}
	kept := func() int { return keptReads(root) }
	r := run(root, "cache", "warm", "--format", "csv")
	if r.code != 0 {
		t.Fatalf("cache warm: %s", r)
	}
	row := parseCSV(t, r.stdout).rows[0]
	// The scenario's roll calls are of 2023 and 2024.
	if row["from"] != "2023" || row["to"] != "2024" || row["years"] != "2" {
		t.Errorf("warmed %s-%s (%s years), want 2023-2024 (2)", row["from"], row["to"], row["years"])
	}
	n := kept()
	if n == 0 || row["entries"] != strconv.Itoa(n) {
		t.Fatalf("%d entries kept, the command says %s", n, row["entries"])
	}
	for _, q := range [][]string{
		{"RUS", "2024"}, {"RUS", "2024-06"}, {"BLR", "2024-03-15"}, {"GBR", "2023-09"}, {"KAZ", "2023"},
	} {
		args := []string{"rank", q[0], "--at", q[1], "--format", "csv"}
		got, want := run(root, args...), run("off", args...)
		if got.code != 0 || want.code != 0 {
			t.Fatalf("rank %v: %s / %s", q, got, want)
		}
		if got.stdout != want.stdout || got.stderr != want.stderr {
			t.Errorf("rank %v from the warm cache:\n%s%s\nwant\n%s%s", q, got.stdout, got.stderr, want.stdout, want.stderr)
		}
		if !strings.Contains(got.stderr, "coverage: unvotes") {
			t.Errorf("rank %v: no coverage note: %s", q, got.stderr)
		}
		if kept() != n {
			t.Fatalf("rank %v read %d reads the warm cache did not hold", q, kept()-n)
		}
	}
	// A second warm reads nothing from the store.
	r = run(root, "cache", "warm", "--format", "csv")
	if r.code != 0 {
		t.Fatalf("cache warm again: %s", r)
	}
	if tb := parseCSV(t, r.stdout); tb.rows[0]["reads"] != "0" {
		t.Errorf("a second warm read from the store: %s", r.stdout)
	}
	r = run(root, "cache", "info", "--format", "csv")
	if tb := parseCSV(t, r.stdout); r.code != 0 || tb.rows[0]["entries"] != strconv.Itoa(n) {
		t.Errorf("cache info: %s, want %d entries", r, n)
	}
	if r = run(root, "cache", "clear"); r.code != 0 || kept() != 0 {
		t.Errorf("cache clear: %s, %d entries left", r, kept())
	}

	// Bad input: exit 2 with a message naming what is wrong.
	for _, c := range []struct {
		cache string
		args  []string
		want  string
	}{
		{root, []string{"cache"}, "want one action"},
		{root, []string{"cache", "warm", "--to", "2030"}, "last roll call is of 2024"},
		{root, []string{"cache", "warm", "--from", "2025", "--to", "2024"}, "1 <= from <= to"},
		{root, []string{"cache", "heat"}, `unknown action "heat"`},
		{root, []string{"cache", "info", "--from", "2000"}, "--from and --to are for 'cache warm'"},
		{"off", []string{"cache", "warm"}, "read cache is off"},
	} {
		r := run(c.cache, c.args...)
		if r.code != 2 || !strings.Contains(r.stderr, c.want) {
			t.Errorf("entente %v: exit %d, stderr %q; want exit 2 saying %q", c.args, r.code, r.stderr, c.want)
		}
	}
}
