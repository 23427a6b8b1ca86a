package main

// Kill and interrupt tests of the imports (docs/reliability.md): each import runs in a
// child process that stops at a named point (duckdb.TestHook) and is killed there with
// SIGKILL or interrupted with SIGINT (Ctrl-C). Afterwards the store must hold either
// the state before the import or the whole import, with its derived tables current or
// marked out of date; after one re-run of the same import, every table must equal that
// of a clean import, compared table by table (count and checksum of the sorted rows).

import (
	"bufio"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	_ "github.com/duckdb/duckdb-go/v2"

	"github.com/entente/entente/clickhouse"
	"github.com/entente/entente/duckdb"
)

// Both stores stamp their stored similarities.
var (
	_ stampedStore = (*duckdb.Store)(nil)
	_ stampedStore = (*clickhouse.Store)(nil)
)

// TestReliabilityChild runs the command line in a child process that stops at a named
// point: the arguments come from $ENTENTE_REL_ARGS (separated by 0x1f), the point from
// $ENTENTE_REL_PAUSE, "point" or "point:n" (the first call at that point with n or
// more). There it prints "PAUSED point n" on stderr and waits for Ctrl-C (or SIGKILL),
// or for a line on stdin, which makes it go on.
func TestReliabilityChild(t *testing.T) {
	args := os.Getenv("ENTENTE_REL_ARGS")
	if args == "" {
		t.Skip("not a test by itself: the child process of the kill and interrupt tests")
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	if at := os.Getenv("ENTENTE_REL_PAUSE"); at != "" {
		point, nstr, _ := strings.Cut(at, ":")
		min, _ := strconv.ParseInt(nstr, 10, 64)
		goOn := make(chan bool)
		go func() {
			sc := bufio.NewScanner(os.Stdin)
			for sc.Scan() {
				goOn <- true
			}
		}()
		var mu sync.Mutex
		paused := false
		duckdb.TestHook = func(p string, n int64) {
			mu.Lock()
			if paused || p != point || n < min {
				mu.Unlock()
				return
			}
			paused = true
			mu.Unlock()
			fmt.Fprintf(os.Stderr, "\nPAUSED %s %d\n", p, n)
			select {
			case <-ctx.Done():
			case <-goOn:
			case <-time.After(time.Minute):
			}
		}
	}
	code := newApp(os.Stdout, os.Stderr, os.Getenv).run(ctx, strings.Split(args, "\x1f"))
	stop()
	os.Exit(code)
}

// childRun is what a child stopped at a point did.
type childRun struct {
	stdout, stderr string
	reached        bool  // it printed PAUSED
	n              int64 // the n of the point
	killed         bool  // it died by SIGKILL
	code           int   // its exit code when not killed
}

// runPaused runs args in a child stopped at point at, sends sig there, and waits. It
// may run in a goroutine of its own.
func runPaused(t *testing.T, args []string, at string, sig syscall.Signal) childRun {
	t.Helper()
	return runPausedThen(t, args, at, func(cmd *exec.Cmd, _ io.Writer) { cmd.Process.Signal(sig) })
}

// runPausedThen runs args in a child stopped at point at, calls then there (which may
// stop the child, or write a line to its stdin to make it go on), and waits.
func runPausedThen(t *testing.T, args []string, at string, then func(cmd *exec.Cmd, stdin io.Writer)) childRun {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestReliabilityChild$")
	cmd.Env = append(os.Environ(), "ENTENTE_REL_ARGS="+strings.Join(args, "\x1f"), "ENTENTE_REL_PAUSE="+at)
	var stdout strings.Builder
	cmd.Stdout = &stdout
	var run childRun
	pipe, err := cmd.StderrPipe()
	if err != nil {
		t.Error(err)
		return run
	}
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Error(err)
		return run
	}
	defer stdin.Close()
	if err := cmd.Start(); err != nil {
		t.Error(err)
		return run
	}
	var stderr strings.Builder
	done := make(chan struct{})
	go func() {
		defer close(done)
		sc := bufio.NewScanner(pipe)
		for sc.Scan() {
			line := sc.Text()
			stderr.WriteString(line + "\n")
			if f := strings.Fields(line); len(f) == 3 && f[0] == "PAUSED" && !run.reached {
				run.reached = true
				run.n, _ = strconv.ParseInt(f[2], 10, 64)
				then(cmd, stdin)
			}
		}
		io.Copy(io.Discard, pipe)
	}()
	select {
	case <-done:
	case <-time.After(90 * time.Second):
		cmd.Process.Kill()
		<-done
		t.Errorf("child at %s: still running after 90 s", at)
	}
	err = cmd.Wait()
	var ee *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() && ws.Signal() == syscall.SIGKILL {
			run.killed = true
		}
		run.code = ee.ExitCode()
	default:
		t.Errorf("child at %s: %v", at, err)
	}
	run.stdout, run.stderr = stdout.String(), stderr.String()
	return run
}

// storeState is a store's content, table by table: "rows:checksum" of the rows sorted
// and hashed, leaving out what differs between equal imports (import ids, times, the
// accounting of re-runs). derived is the stamp of the stored similarities: "current",
// "stale", or "" when the store keeps no stamp.
type storeState struct {
	tables  map[string]string
	derived string
}

// unsignedCols are, per table, the columns that differ between two imports of the same
// data: ids given to imports and times.
var unsignedCols = map[string]bool{"import_id": true, "applied_at": true, "started": true, "finished": true, "built_at": true, "changed_at": true}

// readState reads the state of the DuckDB store db. visible: only the rows of finished
// imports, as every read sees them (an event import killed in the middle leaves rows no
// read sees until the next event import deletes them).
func readState(t *testing.T, db string, visible bool) storeState {
	t.Helper()
	conn, err := sql.Open("duckdb", db+"?access_mode=READ_ONLY")
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	rows, err := conn.Query(`SELECT table_name, column_name, data_type FROM duckdb_columns()
		WHERE database_name = current_database() AND schema_name = 'main' ORDER BY table_name, column_index`)
	if err != nil {
		t.Fatalf("read %s: %v", db, err)
	}
	cols := map[string][]string{}
	hasImportID := map[string]bool{}
	for rows.Next() {
		var tb, c, typ string
		if err := rows.Scan(&tb, &c, &typ); err != nil {
			t.Fatal(err)
		}
		if c == "import_id" {
			hasImportID[tb] = true
		}
		if unsignedCols[c] {
			continue
		}
		q := `"` + c + `"`
		if typ == "FLOAT" || typ == "DOUBLE" {
			q = "round(" + q + ", 9)" // the engine's sums may run in any order
		}
		cols[tb] = append(cols[tb], q)
	}
	rows.Close()
	// One query for every table: each table's "rows:checksum".
	var parts []string
	for tb, cs := range cols {
		var q string
		switch tb {
		case "fact_generations", "derivations":
			continue // ids of imports: compared through derived below
		case "imports":
			// A re-run after a committed import adds a row of duplicates: compare the
			// files and what they added.
			q = `SELECT 'imports', count(*) || ':' || coalesce(sum(hash(source, file, sha256, size, imported))::VARCHAR, '0')
				FROM (SELECT source, file, sha256, size, sum(imported) AS imported FROM imports GROUP BY ALL)`
		default:
			where := ""
			if visible && hasImportID[tb] {
				where = ` WHERE import_id IN (SELECT id FROM imports)`
			}
			q = `SELECT '` + tb + `', count(*) || ':' || coalesce(sum(hash(` + strings.Join(cs, ", ") + `))::VARCHAR, '0') FROM "` + tb + `"` + where
		}
		parts = append(parts, q)
	}
	st := storeState{tables: map[string]string{}}
	rows, err = conn.Query(strings.Join(parts, "\nUNION ALL\n"))
	if err != nil {
		t.Fatalf("read %s: %v", db, err)
	}
	for rows.Next() {
		var tb, v string
		if err := rows.Scan(&tb, &v); err != nil {
			t.Fatal(err)
		}
		st.tables[tb] = v
	}
	if err := rows.Close(); err != nil {
		t.Fatal(err)
	}
	if _, ok := cols["derivations"]; ok {
		var g, b sql.NullInt64
		if err := conn.QueryRow(`SELECT (SELECT generation FROM fact_generations WHERE facts = 'votes'),
			(SELECT generation FROM derivations WHERE name = 'un_similarity/year')`).Scan(&g, &b); err != nil {
			t.Fatal(err)
		}
		st.derived = "current"
		if (b.Valid && b.Int64 != g.Int64) || (!b.Valid && g.Int64 > 0) {
			st.derived = "stale"
		}
	}
	return st
}

// diff lists the tables whose content differs between s and want (leaving out those
// in skip).
func (s storeState) diff(want storeState, skip ...string) []string {
	var out []string
	names := map[string]bool{}
	for tb := range s.tables {
		names[tb] = true
	}
	for tb := range want.tables {
		names[tb] = true
	}
next:
	for tb := range names {
		for _, k := range skip {
			if tb == k {
				continue next
			}
		}
		if s.tables[tb] != want.tables[tb] {
			out = append(out, fmt.Sprintf("%s: %s, want %s", tb, s.tables[tb], want.tables[tb]))
		}
	}
	sort.Strings(out)
	return out
}

// copyFile copies the store src to a new file and returns its path.
func copyFile(t *testing.T, src string) string {
	t.Helper()
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(t.TempDir(), "entente.db")
	if err := os.WriteFile(dst, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return dst
}

// killCase is one import of the kill tests: the store it starts from (base, imported
// first) and the import.
type killCase struct {
	name   string
	base   []string // an import run first (nil: an empty store... with the vote excerpt)
	args   []string // the import
	points []string // where to stop it; "staging@f" is staging at fraction f of the records
}

var killCases = []killCase{
	{name: "unvotes", base: []string{"import", "unvotes", excerpts[0]},
		args:   append([]string{"import", "unvotes"}, excerpts[1:]...),
		points: []string{"staged", "staging:1", "staging@0.5", "moved", "commit", "committed", "derive", "derived", "similarity", "similarity-committed"}},
	{name: "gdelt", base: []string{"import", "gdelt", "../../ingest/gdelt/testdata/export_head_excerpt.tsv"},
		args: []string{"import", "gdelt", "../../ingest/gdelt/testdata/export_20150218230000_excerpt.tsv",
			"../../ingest/gdelt/testdata/mentions_20150218230000_excerpt.tsv", "../../ingest/gdelt/testdata/export_20180101000000_excerpt.tsv",
			"../../ingest/gdelt/testdata/v1_events_excerpt.tsv"},
		points: []string{"staged", "staging:1", "staging@0.33", "staging@0.67", "chunk:1", "moved", "finished", "commit", "committed", "staging@1"}},
	{name: "atop", args: []string{"import", "atop", "../../ingest/atop/testdata/atop_excerpt.csv"},
		points: []string{"staged", "staging:1", "staging@0.5", "commit", "committed"}},
	{name: "igo", args: []string{"import", "igo", "../../ingest/igo/testdata/cow_igo_excerpt.csv"},
		points: []string{"staged", "staging@0.5", "moved", "finished", "committed"}},
	{name: "ledger", args: []string{"import", "ledger", "../../data/ledger"},
		points: []string{"staged", "staging:1", "staging@0.25", "staging@0.5", "staging@0.75", "moved", "finished", "commit", "committed", "staging@1"}},
}

// shortPoints are the points of the kill tests run with -short.
var shortPoints = map[string]bool{"staged": true, "commit": true, "committed": true, "derive": true, "similarity": true}

// bothSignals are the points where both SIGKILL and SIGINT stop the import: around the
// commit and, for the votes, the rebuild after it. At the other points the two
// alternate, so each import meets both; with $ENTENTE_KILL_TESTS=all, both stop it at
// every point.
var bothSignals = map[string]bool{"commit": true, "committed": true, "derive": true, "derived": true, "similarity": true}

// TestImportKilledOrInterruptedAtEachPoint: every import, stopped at each of its points
// by SIGKILL or SIGINT, leaves a store that holds the state before it or the whole
// import (derived tables current or marked out of date), says truly what it kept, and
// one re-run makes every table equal to a clean import's.
func TestImportKilledOrInterruptedAtEachPoint(t *testing.T) {
	// 52 child processes, each followed by a re-run: about 50 s of CPU; 80 with
	// $ENTENTE_KILL_TESTS=all; 27 with -short (shortPoints). Figures: docs/reliability.md.
	all := os.Getenv("ENTENTE_KILL_TESTS") == "all"
	for _, kc := range killCases {
		t.Run(kc.name, func(t *testing.T) {
			t.Parallel()
			// base: the vote excerpt, so the stored similarities exist, plus kc.base.
			base := newDB(t)
			mustRun(t, base, "import", "unvotes", excerpts[0], "--quiet")
			if kc.base != nil && kc.name != "unvotes" {
				mustRun(t, base, append(kc.base, "--quiet")...)
			}
			before := readState(t, base, false)
			cleanDB := copyFile(t, base)
			mustRun(t, cleanDB, append(kc.args, "--quiet")...)
			clean := readState(t, cleanDB, false)
			if d := clean.diff(before); len(d) == 0 {
				t.Fatalf("the import changes nothing: the test would prove nothing")
			}
			// The first point, "staged", counts the records the others are placed by.
			if kc.points[0] != "staged" {
				t.Fatalf("the first point must be staged, to count the records")
			}
			total := killAt(t, kc, "staged", []syscall.Signal{syscall.SIGKILL}, base, before, clean)
			for i, point := range kc.points {
				if testing.Short() && !shortPoints[point] {
					continue
				}
				at := point
				if p, f, ok := strings.Cut(point, "@"); ok {
					frac, _ := strconv.ParseFloat(f, 64)
					at = fmt.Sprintf("%s:%d", p, max(1, int64(frac*float64(total))))
				}
				sigs := []syscall.Signal{syscall.SIGKILL, syscall.SIGINT}
				switch {
				case point == "staged" && !all:
					continue // killed above
				case point == "staged":
					sigs = sigs[1:]
				case !all && !bothSignals[point]:
					sigs = sigs[i%2 : i%2+1]
				}
				t.Run(at, func(t *testing.T) {
					t.Parallel()
					killAt(t, kc, at, sigs, base, before, clean)
				})
			}
		})
	}
}

// killAt runs the import of kc on copies of base in children stopped at point at, one
// per signal of sigs (at once: they mostly wait for the disk), and stopped there by
// it; for each it checks the store and what the child said, re-runs the import and
// checks that every table then equals a clean import's. It returns the n of the point.
func killAt(t *testing.T, kc killCase, at string, sigs []syscall.Signal, base string, before, clean storeState) int64 {
	t.Helper()
	dbs := make([]string, len(sigs))
	runs := make([]childRun, len(sigs))
	var wg sync.WaitGroup
	for i, sig := range sigs {
		dbs[i] = copyFile(t, base)
		args := append(append([]string{}, kc.args...), "--db", dbs[i])
		wg.Add(1)
		go func() {
			defer wg.Done()
			runs[i] = runPaused(t, args, at, sig)
		}()
	}
	wg.Wait()
	for i, sig := range sigs {
		db, run := dbs[i], runs[i]
		name := fmt.Sprintf("%s at %s (%s)", kc.name, at, sig)
		if !run.reached {
			t.Errorf("%s: the child never reached the point (exit %d):\n%s", name, run.code, run.stderr)
			continue
		}
		facts := checkAfterStop(t, name, db, run, sig, before, clean)
		t.Logf("%s: %s; store then: %s", name, lastLine(run), facts)
		r := cli(t, db, kc.args...)
		if r.code != 0 {
			t.Errorf("%s: the re-run failed: %s", name, r)
			continue
		}
		if d := readState(t, db, false).diff(clean); len(d) > 0 {
			t.Errorf("%s: after one re-run, tables differ from a clean import's:\n  %s\nre-run stderr:\n%s",
				name, strings.Join(d, "\n  "), r.stderr)
		}
		if facts == "clean facts" && !strings.Contains(r.stderr, "un_similarity was out of date") {
			t.Errorf("%s: the re-run rebuilt the stored similarities without saying they were out of date:\n%s", name, r.stderr)
		}
	}
	return runs[0].n
}

// checkAfterStop checks the store db and what the child said after it was stopped.
func checkAfterStop(t *testing.T, name, db string, run childRun, sig syscall.Signal, before, clean storeState) (facts string) {
	t.Helper()
	got := readState(t, db, true)
	// facts: which state the tables are in
	switch {
	case len(got.diff(before)) == 0:
		facts = "before"
	case len(got.diff(clean)) == 0:
		facts = "clean"
	case len(got.diff(clean, "un_similarity")) == 0:
		facts = "clean facts"
		if got.derived != "stale" {
			t.Errorf("%s: the votes were committed but the stored similarities are not, and nothing marks them out of date (stamp %q):\n  %s",
				name, got.derived, strings.Join(got.diff(clean), "\n  "))
		}
	default:
		t.Errorf("%s: the store is neither as before the import nor as after it:\nagainst before:\n  %s\nagainst a clean import:\n  %s",
			name, strings.Join(got.diff(before), "\n  "), strings.Join(got.diff(clean), "\n  "))
	}
	if facts == "before" && got.derived == "stale" {
		t.Errorf("%s: the store is as before the import, but its similarities are marked out of date", name)
	}
	if sig == syscall.SIGKILL {
		if !run.killed {
			t.Errorf("%s: the child was not killed (exit %d):\n%s", name, run.code, run.stderr)
		}
		return facts
	}
	switch {
	case run.code == 0:
		if facts != "clean" {
			t.Errorf("%s: exit 0, but the store holds %s:\n%s", name, facts, run.stderr)
		}
	case run.code != 1:
		t.Errorf("%s: exit %d, want 1 (or 0 if it finished)\n%s", name, run.code, run.stderr)
	case !strings.Contains(run.stderr, "interrupted"):
		t.Errorf("%s: stderr does not say it was interrupted:\n%s", name, run.stderr)
	case facts != "before" && strings.Contains(run.stderr, "nothing was changed"):
		t.Errorf("%s: the import was committed, but stderr says nothing was changed:\n%s", name, run.stderr)
	case facts != "before" && !strings.Contains(run.stderr, "committed"):
		t.Errorf("%s: the import was committed, but stderr does not say so:\n%s", name, run.stderr)
	case facts == "before" && !strings.Contains(run.stderr, "nothing was changed"):
		t.Errorf("%s: nothing was changed, but stderr does not say so:\n%s", name, run.stderr)
	}
	return facts
}

// lastLine is how a stopped child ended: killed, or its exit code and last line.
func lastLine(run childRun) string {
	if run.killed {
		return "killed"
	}
	lines := strings.Split(strings.TrimSpace(run.stderr), "\n")
	return fmt.Sprintf("exit %d: %s", run.code, lines[len(lines)-1])
}

// TestOtherImportRebuildsStaleSimilarity: the stored similarities a killed vote import
// left out of date are rebuilt by the next import of another source, which says so in
// one line; the one after that has nothing to rebuild.
func TestOtherImportRebuildsStaleSimilarity(t *testing.T) {
	cleanDB := excerptDB(t)
	mustRun(t, cleanDB, "import", "ledger", "../../data/ledger", "--quiet")
	clean := readState(t, cleanDB, false)

	db := newDB(t)
	mustRun(t, db, "import", "unvotes", excerpts[0], "--quiet")
	run := runPaused(t, append(append([]string{"import", "unvotes"}, excerpts[1:]...), "--db", db), "derive", syscall.SIGKILL)
	if !run.reached || !run.killed {
		t.Fatalf("the vote import was not killed after its commit (exit %d):\n%s", run.code, run.stderr)
	}
	if st := readState(t, db, true); st.derived != "stale" {
		t.Fatalf("after the kill, the stored similarities are %q, want stale", st.derived)
	}
	r := mustRun(t, db, "import", "ledger", "../../data/ledger")
	if n := strings.Count(r.stderr, "un_similarity was out of date"); n != 1 {
		t.Errorf("the ledger import said %d times that the similarities were out of date, want once:\n%s", n, r.stderr)
	}
	if d := readState(t, db, false).diff(clean); len(d) > 0 {
		t.Errorf("after the ledger import, tables differ from clean imports':\n  %s", strings.Join(d, "\n  "))
	}
	r = mustRun(t, db, "import", "ledger", "../../data/ledger")
	if strings.Contains(r.stderr, "similarity") {
		t.Errorf("a second import rebuilt the similarities again:\n%s", r.stderr)
	}
}
