package main

// End-to-end tests of the command line, run in process: each test runs command lines
// through app.run with injected writers against a store in t.TempDir(), and checks the
// exit code, stdout and stderr. The UN vote excerpts in testdata/ are described, with
// the hand counts the tests use, in testdata/README.md.

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"math"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// result is what one command line printed and returned.
type result struct {
	stdout, stderr string
	code           int
}

func (r result) String() string {
	return "exit " + strconv.Itoa(r.code) + "\n--- stdout:\n" + r.stdout + "--- stderr:\n" + r.stderr
}

// runApp runs args in process. setup, if not nil, may change the app before it runs
// (for example to inject a country registry). The environment is empty, so a developer's
// $ENTENTE_DB never leaks into a test.
func runApp(t *testing.T, setup func(*app), args ...string) result {
	t.Helper()
	var stdout, stderr bytes.Buffer
	a := newApp(&stdout, &stderr, func(string) string { return "" })
	if setup != nil {
		setup(a)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	code := a.run(ctx, args)
	return result{stdout: stdout.String(), stderr: stderr.String(), code: code}
}

// asMain makes an app run as the binary's main does (a.exits: the store is left to the
// exit, the index's reads kept in the read cache) with $ENTENTE_CACHE = cache ("off"
// for none) and no other environment.
func asMain(cache string) func(*app) {
	return func(a *app) {
		a.exits = true
		a.getenv = func(k string) string {
			if k == "ENTENTE_CACHE" {
				return cache
			}
			return ""
		}
	}
}

// keptReads counts the entries of the read caches under root.
func keptReads(root string) int {
	files, _ := filepath.Glob(filepath.Join(root, "*", "*.gob"))
	return len(files)
}

// cli runs args against the store db (--db db).
func cli(t *testing.T, db string, args ...string) result {
	t.Helper()
	return runApp(t, nil, append(args, "--db", db)...)
}

// mustRun runs args against db and fails the test unless the exit code is 0.
func mustRun(t *testing.T, db string, args ...string) result {
	t.Helper()
	r := cli(t, db, args...)
	if r.code != 0 {
		t.Fatalf("entente %s: %s", strings.Join(args, " "), r)
	}
	return r
}

// wantExit runs args against db and fails the test unless the exit code is code and
// stderr holds every string of want.
func wantExit(t *testing.T, db string, code int, want []string, args ...string) result {
	t.Helper()
	r := cli(t, db, args...)
	if r.code != code {
		t.Errorf("entente %s: exit %d, want %d\n%s", strings.Join(args, " "), r.code, code, r)
	}
	for _, w := range want {
		if !strings.Contains(r.stderr, w) {
			t.Errorf("entente %s: stderr does not hold %q:\n%s", strings.Join(args, " "), w, r.stderr)
		}
	}
	return r
}

// newDB returns the path of a store file that does not exist yet.
func newDB(t *testing.T) string {
	t.Helper()
	return filepath.Join(t.TempDir(), "entente.db")
}

// excerpts are the testdata files, in the order the tests import them.
var excerpts = []string{
	"testdata/voeten_excerpt.csv",
	"testdata/un_roll_calls_excerpt.csv",
	"testdata/un_roll_call_issues_excerpt.csv",
	"testdata/un_votes_excerpt.csv",
	"testdata/undl_excerpt.csv",
}

// excerptDB returns a new store holding every excerpt.
func excerptDB(t *testing.T) string {
	t.Helper()
	db := newDB(t)
	mustRun(t, db, append([]string{"import", "unvotes", "--quiet"}, excerpts...)...)
	return db
}

// table is a parsed CSV output: its header and rows as column → value.
type table struct {
	header []string
	rows   []map[string]string
}

func parseCSV(t *testing.T, s string) table {
	t.Helper()
	recs, err := csv.NewReader(strings.NewReader(s)).ReadAll()
	if err != nil {
		t.Fatalf("output is not CSV: %v\n%s", err, s)
	}
	if len(recs) == 0 {
		t.Fatalf("CSV output has no header")
	}
	tb := table{header: recs[0]}
	for _, rec := range recs[1:] {
		row := map[string]string{}
		for i, h := range tb.header {
			row[h] = rec[i]
		}
		tb.rows = append(tb.rows, row)
	}
	return tb
}

// find returns the rows whose columns have the given values (pairs of column, value).
func (tb table) find(kv ...string) []map[string]string {
	var out []map[string]string
next:
	for _, r := range tb.rows {
		for i := 0; i+1 < len(kv); i += 2 {
			if r[kv[i]] != kv[i+1] {
				continue next
			}
		}
		out = append(out, r)
	}
	return out
}

// one returns the single row with the given values, failing the test otherwise.
func (tb table) one(t *testing.T, kv ...string) map[string]string {
	t.Helper()
	rs := tb.find(kv...)
	if len(rs) != 1 {
		t.Fatalf("%d rows with %v, want 1; rows: %v", len(rs), kv, tb.rows)
	}
	return rs[0]
}

func (tb table) column(name string) []string {
	out := make([]string, len(tb.rows))
	for i, r := range tb.rows {
		out[i] = r[name]
	}
	return out
}

func parseJSON(t *testing.T, s string) []map[string]any {
	t.Helper()
	var rows []map[string]any
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	if err := dec.Decode(&rows); err != nil {
		t.Fatalf("output is not a JSON array of objects: %v\n%s", err, s)
	}
	if dec.More() {
		t.Fatalf("JSON output has trailing data:\n%s", s)
	}
	return rows
}

// num parses a CSV number field; "" is NaN (undefined).
func num(t *testing.T, s string) float64 {
	t.Helper()
	if s == "" {
		return math.NaN()
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatalf("not a number: %q", s)
	}
	return f
}

// near reports whether a CSV field holds want to the 6 decimals the CLI prints.
func near(t *testing.T, field string, want float64) bool {
	t.Helper()
	return math.Abs(num(t, field)-want) < 5e-7
}

// snapshot is what the store answers before and after an operation that must not change
// it: every dyad of every year, and the whole quarantine.
func snapshot(t *testing.T, db string) string {
	t.Helper()
	sim := mustRun(t, db, "similarity", "--all", "--metric", "all", "--format", "csv")
	q := mustRun(t, db, "quarantine", "--limit", "0", "--format", "csv")
	return sim.stdout + "\n" + q.stdout
}
