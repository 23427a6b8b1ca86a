package duckdb

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/entente/entente"
	"github.com/entente/entente/storetest"
)

func openTemp(t testing.TB) *Store {
	t.Helper()
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), "sub", "entente.duckdb"))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) entente.Store { return openTemp(t) })
}

func TestMigrations(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "m.duckdb")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	check := func(s *Store) {
		t.Helper()
		var n, v int
		if err := s.db.QueryRowContext(ctx, `SELECT count(*), max(version) FROM schema_migrations`).Scan(&n, &v); err != nil {
			t.Fatal(err)
		}
		if n != SchemaVersion() || v != SchemaVersion() {
			t.Errorf("schema_migrations has %d rows up to version %d, want %d", n, v, SchemaVersion())
		}
	}
	check(s)
	s.Close()

	// Reopening applies nothing again.
	s, err = Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	check(s)

	// A store from a newer binary is refused.
	if _, err := s.db.ExecContext(ctx, `INSERT INTO schema_migrations VALUES (?, now())`, SchemaVersion()+1); err != nil {
		t.Fatal(err)
	}
	s.Close()
	_, err = Open(ctx, path)
	if entente.ErrorCode(err) != entente.ECONFLICT {
		t.Fatalf("Open of a newer store: error %v, want code %s", err, entente.ECONFLICT)
	}
	t.Log(err)
}

func TestMigrationFiles(t *testing.T) {
	ms, err := migrations()
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) == 0 || ms[0].version != 1 {
		t.Fatalf("migrations = %+v", ms)
	}
}

func TestReopenPersists(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "p.duckdb")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.ImportVotes(ctx, synthetic(10, 50)); err != nil {
		t.Fatal(err)
	}
	sims := []entente.Similarity{{A: 2, B: 365, Period: "1990", N: 3, Values: [7]float64{1, entente.Undefined}}}
	if err := s.ReplaceSimilarity(ctx, "year", sims); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, s)
	s.Close()
	s, err = Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if after := snapshot(t, s); !reflect.DeepEqual(before, after) {
		t.Errorf("after reopen %+v, want %+v", after, before)
	}
	got, err := s.Similarities(ctx, entente.SimilarityQuery{By: "year"})
	if err != nil || len(got) != 1 || got[0].Values[0] != 1 || got[0].Values[1] == got[0].Values[1] {
		t.Errorf("similarities after reopen = %+v, %v", got, err)
	}
}

// storeState is what a test compares across a reopen or a crash.
type storeState struct {
	Coverage []entente.SourceCoverage
	Imports  int
	Ballots  int
}

func snapshot(t *testing.T, s *Store) storeState {
	t.Helper()
	ctx := context.Background()
	cov, err := s.VoteCoverage(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	imps, err := s.Imports(ctx)
	if err != nil {
		t.Fatal(err)
	}
	b, err := s.Ballots(ctx, entente.BallotQuery{})
	if err != nil {
		t.Fatal(err)
	}
	return storeState{cov, len(imps), len(b)}
}

func TestDefaultPath(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	home := func() (string, error) { return "/home/u", nil }
	noHome := func() (string, error) { return "", errors.New("no home") }
	tests := []struct {
		name string
		env  map[string]string
		home func() (string, error)
		goos string
		want string
	}{
		{"ENTENTE_DB wins", map[string]string{"ENTENTE_DB": "/x/e.duckdb", "XDG_DATA_HOME": "/d"}, home, "linux", "/x/e.duckdb"},
		{"XDG_DATA_HOME", map[string]string{"XDG_DATA_HOME": "/d"}, home, "linux", "/d/entente/entente.duckdb"},
		{"relative XDG ignored", map[string]string{"XDG_DATA_HOME": "d"}, home, "linux", "/home/u/.local/share/entente/entente.duckdb"},
		{"home", nil, home, "freebsd", "/home/u/.local/share/entente/entente.duckdb"},
		{"macOS", map[string]string{"XDG_DATA_HOME": "/d"}, home, "darwin", "/home/u/Library/Application Support/entente/entente.duckdb"},
		{"windows", map[string]string{"LocalAppData": `/c/AppData/Local`}, home, "windows", filepath.Join("/c/AppData/Local", "entente", "entente.duckdb")},
		{"nothing", nil, noHome, "linux", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := defaultPath(env(tt.env), tt.home, tt.goos)
			if tt.want == "" {
				if err == nil {
					t.Errorf("got %q, want an error", got)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("got %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

// synthetic fills an import of nRC roll calls, each with a vote of nStates states
// (cast votes, with every 10th state absent), in one Voeten-like file.
func synthetic(nRC, nStates int) func(entente.VoteWriter) error {
	return syntheticFrom(0, nRC, nStates, nil)
}

// syntheticFrom is synthetic with roll call ids from first; after every vote it calls
// tick (when not nil) with the number of votes written.
func syntheticFrom(first, nRC, nStates int, tick func(n int)) func(entente.VoteWriter) error {
	return func(w entente.VoteWriter) error {
		f := entente.ImportFile{Source: entente.SourceVoeten, Path: fmt.Sprintf("synthetic-%d.csv", first),
			SHA256: fmt.Sprintf("%064d", first), Size: int64(nRC * nStates * 20)}
		if err := w.StartFile(f); err != nil {
			return err
		}
		n := 0
		start := entente.Day(1946, 1, 1)
		for r := first; r < first+nRC; r++ {
			rc := entente.RollCall{Source: entente.SourceVoeten, ID: fmt.Sprint(r), Session: 1 + r/80,
				Date: start.AddDate(0, 0, r*4)}
			for c := range nStates {
				if err := w.ImpliedRollCall(rc); err != nil {
					return err
				}
				v := entente.VoteValue(1 + (r+c)%3)
				if c%10 == 9 {
					v = entente.Absent
				}
				err := w.Vote(entente.Vote{Source: rc.Source, RollCallID: rc.ID, CCode: 2 + c*5,
					ISO3: "XAA", Value: v, Line: n + 2})
				if err != nil {
					return err
				}
				n++
				if tick != nil {
					tick(n)
				}
			}
		}
		return w.FinishFile(int64(n), nil)
	}
}

// TestKilledImport checks that a process killed in the middle of an import, while
// staging or between the inserts and COMMIT, leaves the store as it was.
func TestKilledImport(t *testing.T) {
	if testing.Short() {
		t.Skip("starts child processes")
	}
	for _, mode := range []string{"staging", "commit"} {
		t.Run(mode, func(t *testing.T) {
			ctx := context.Background()
			path := filepath.Join(t.TempDir(), "k.duckdb")
			s, err := Open(ctx, path)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := s.ImportVotes(ctx, synthetic(20, 100)); err != nil {
				t.Fatal(err)
			}
			before := snapshot(t, s)
			s.Close()

			marker := path + ".marker"
			cmd := exec.Command(os.Args[0], "-test.run=^TestChildProcess$", "-test.v")
			cmd.Env = append(os.Environ(), "ENTENTE_KILL_DB="+path, "ENTENTE_KILL_MODE="+mode, "ENTENTE_KILL_MARKER="+marker)
			out, _ := os.Create(filepath.Join(t.TempDir(), "child.log"))
			defer out.Close()
			cmd.Stdout, cmd.Stderr = out, out
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			deadline := time.Now().Add(2 * time.Minute)
			for {
				if _, err := os.Stat(marker); err == nil {
					break
				}
				if time.Now().After(deadline) {
					cmd.Process.Kill()
					cmd.Wait()
					log, _ := os.ReadFile(out.Name())
					t.Fatalf("child never reached the %s point:\n%s", mode, log)
				}
				time.Sleep(20 * time.Millisecond)
			}
			time.Sleep(200 * time.Millisecond)
			if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
				t.Fatal(err)
			}
			err = cmd.Wait()
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
				log, _ := os.ReadFile(out.Name())
				t.Fatalf("child did not die by SIGKILL: %v\n%s", err, log)
			}

			s, err = Open(ctx, path)
			if err != nil {
				t.Fatalf("reopen after kill: %v", err)
			}
			defer s.Close()
			if after := snapshot(t, s); !reflect.DeepEqual(before, after) {
				t.Errorf("after kill -9 the store is %+v, want %+v", after, before)
			}
			// And it still takes imports.
			reps, err := s.ImportVotes(ctx, syntheticFrom(1000, 5, 10, nil))
			if err != nil || reps[0].Imported != 50 {
				t.Errorf("import after kill: %+v, %v", reps, err)
			}
		})
	}
}

// TestChildProcess is the child process of TestKilledImport and TestOpenLocked. In
// modes staging and commit it runs a large import and signals, through a marker file,
// when it has reached the point to be killed at; in mode open it opens the store and
// prints the outcome. Run alone it does nothing.
func TestChildProcess(t *testing.T) {
	path := os.Getenv("ENTENTE_KILL_DB")
	if path == "" {
		t.Skip("child of TestKilledImport")
	}
	mode, marker := os.Getenv("ENTENTE_KILL_MODE"), os.Getenv("ENTENTE_KILL_MARKER")
	signal := func() {
		if err := os.WriteFile(marker, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if mode == "open" {
		_, err := Open(context.Background(), path)
		fmt.Printf("code=%s err=%v\n", entente.ErrorCode(err), err)
		return
	}
	if mode == "events" {
		s, err := Open(context.Background(), path)
		if err != nil {
			t.Fatal(err)
		}
		eventChunkRows = 100 // many chunks are committed before the kill
		_, err = s.ImportEvents(context.Background(), syntheticEvents(1_000_000, func(n int) {
			if n == 2000 {
				signal()
			}
			if n > 2000 {
				time.Sleep(100 * time.Microsecond) // keep importing until killed
			}
		}))
		t.Fatalf("import finished (%v): it should have been killed", err)
	}
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	var tick func(int)
	switch mode {
	case "staging":
		tick = func(n int) {
			if n == 300_000 {
				signal()
			}
			if n > 300_000 {
				time.Sleep(time.Microsecond) // keep staging until killed
			}
		}
	case "commit":
		testHookBeforeCommit = func() {
			signal()
			time.Sleep(time.Minute)
		}
	}
	_, err = s.ImportVotes(context.Background(), syntheticFrom(100, 4000, 150, tick))
	t.Fatalf("import finished (%v): it should have been killed", err)
}

// TestOpenLocked checks that a store in use by another process is refused with
// ECONFLICT: DuckDB lets one process at a time open a file for writing.
func TestOpenLocked(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a child process")
	}
	path := filepath.Join(t.TempDir(), "l.duckdb")
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	cmd := exec.Command(os.Args[0], "-test.run=^TestChildProcess$")
	cmd.Env = append(os.Environ(), "ENTENTE_KILL_DB="+path, "ENTENTE_KILL_MODE=open")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "code="+entente.ECONFLICT+" ") || !strings.Contains(string(out), "in use") {
		t.Errorf("opening a store held by another process:\n%s\nwant code %s and \"in use\"", out, entente.ECONFLICT)
	}
}

func TestEventStoreContract(t *testing.T) {
	storetest.RunEvents(t, func(t *testing.T) entente.Store {
		s, err := Open(context.Background(), filepath.Join(t.TempDir(), "entente.duckdb"))
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}

func TestTieStoreContract(t *testing.T) {
	storetest.RunTies(t, func(t *testing.T) entente.Store {
		s, err := Open(context.Background(), filepath.Join(t.TempDir(), "entente.duckdb"))
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}

// TestEventStoreContractSmallChunks runs the event contract with chunks of two records,
// so every import moves several chunks within its transaction.
func TestEventStoreContractSmallChunks(t *testing.T) {
	defer func(n int) { eventChunkRows = n }(eventChunkRows)
	eventChunkRows = 2
	storetest.RunEvents(t, func(t *testing.T) entente.Store {
		s, err := Open(context.Background(), filepath.Join(t.TempDir(), "entente.duckdb"))
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}

// syntheticEvents writes n events between a few states, one file, calling tick after
// each.
func syntheticEvents(n int, tick func(int)) func(entente.EventWriter) error {
	states := []string{"RUS", "UKR", "USA", "CHN", "PRK", "BLR"}
	return func(w entente.EventWriter) error {
		if err := w.StartFile(entente.ImportFile{Source: entente.SourceGDELT2, Path: "synthetic.export.CSV", SHA256: "syn", Size: 1}); err != nil {
			return err
		}
		for i := 0; i < n; i++ {
			e := entente.Event{Source: entente.SourceGDELT2, ID: int64(1000 + i), Day: entente.Day(2024, 8, 1+i%28),
				DateAdded: 20240801000000 + int64(i%28)*1000000, Actor1: states[i%6], Actor2: states[(i/6)%6],
				EventCode: "042", RootCode: "04", Quad: 1, Goldstein: 1.9, NumSources: 1, NumMentions: 1, NumArticles: 1,
				URL: fmt.Sprintf("https://example.org/%d", i), Line: i + 1}
			if err := w.Event(e); err != nil {
				return err
			}
			if i%500 == 7 {
				if err := w.Quarantine(entente.Quarantined{Line: i + 1, Field: "EventCode", Reason: "test", Raw: "x"}); err != nil {
					return err
				}
			}
			if tick != nil {
				tick(i + 1)
			}
		}
		return w.FinishFile(int64(n+(n+492)/500), nil)
	}
}

// TestKilledEventImport checks that an event import killed after some of its chunks
// were moved into the store leaves nothing any read sees, and that the next import
// removes the leftovers and counts as if they had never been.
func TestKilledEventImport(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a child process")
	}
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "k.duckdb")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	marker := path + ".marker"
	cmd := exec.Command(os.Args[0], "-test.run=^TestChildProcess$", "-test.v")
	cmd.Env = append(os.Environ(), "ENTENTE_KILL_DB="+path, "ENTENTE_KILL_MODE=events", "ENTENTE_KILL_MARKER="+marker)
	out, _ := os.Create(filepath.Join(t.TempDir(), "child.log"))
	defer out.Close()
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(2 * time.Minute)
	for {
		if _, err := os.Stat(marker); err == nil {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			cmd.Wait()
			log, _ := os.ReadFile(out.Name())
			t.Fatalf("child never got going:\n%s", log)
		}
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(300 * time.Millisecond)
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()

	s, err = Open(ctx, path)
	if err != nil {
		t.Fatalf("reopen after kill: %v", err)
	}
	defer s.Close()
	var leftovers int
	if err := s.db.QueryRow(`SELECT count(*) FROM events`).Scan(&leftovers); err != nil {
		t.Fatal(err)
	}
	if leftovers == 0 {
		t.Fatal("no chunk was moved before the kill: the test does not test what it says")
	}
	if sig, err := s.EventSignals(ctx, entente.EventQuery{}); err != nil || len(sig) != 0 {
		t.Errorf("signals after the kill: %d rows, %v; want none", len(sig), err)
	}
	if ev, err := s.EventEvidence(ctx, entente.EventQuery{}, 5); err != nil || len(ev) != 0 {
		t.Errorf("evidence after the kill: %d rows, %v; want none", len(ev), err)
	}
	if q, err := s.Quarantine(ctx, "", 0); err != nil || len(q) != 0 {
		t.Errorf("quarantine after the kill: %d rows, %v; want none", len(q), err)
	}
	reps, err := s.ImportEvents(ctx, syntheticEvents(3000, nil))
	if err != nil {
		t.Fatal(err)
	}
	if r := reps[0]; r.Imported != 3000 || r.Duplicate != 0 || r.Quarantined != 6 {
		t.Errorf("import after the kill: %+v; want 3000 imported, 6 quarantined, no duplicates", r)
	}
	if err := s.db.QueryRow(`SELECT count(*) FROM events`).Scan(&leftovers); err != nil || leftovers != 3000 {
		t.Errorf("events stored after the re-import: %d, %v; want 3000", leftovers, err)
	}
}

func TestIdealPointStoreContract(t *testing.T) {
	storetest.RunIdealPoints(t, func(t *testing.T) entente.Store { return openTemp(t) })
}
