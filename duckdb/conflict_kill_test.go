package duckdb

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/entente/entente"
)

// syntheticDisputes fills a force import with n directed dispute-years, calling tick
// after each.
func syntheticDisputes(n int, tick func(int)) func(entente.ConflictWriter) error {
	return func(w entente.ConflictWriter) error {
		if err := w.StartFile(entente.ImportFile{Source: entente.SourceGML, Path: "gml.csv", SHA256: "feed", Size: 1}); err != nil {
			return err
		}
		for i := range n {
			d := entente.DisputeYear{DispNum: 1 + i/100, CCode1: 2 + i%50, CCode2: 200 + i%97, Year: 1900 + i%100,
				HostLev: 1 + i%5, DispHostLev: 5, Fatality: -9, Line: i + 2}
			if err := w.Dispute(d); err != nil {
				return err
			}
			if tick != nil {
				tick(i + 1)
			}
		}
		return w.FinishFile(int64(n), nil)
	}
}

// TestKilledConflictImport checks that a process killed in the middle of a force
// import, while staging or between the inserts and COMMIT, leaves nothing visible.
func TestKilledConflictImport(t *testing.T) {
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
			s.Close()
			marker := path + ".marker"
			cmd := exec.Command(os.Args[0], "-test.run=^TestConflictChildProcess$", "-test.v")
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
			if cov, err := s.ForceCoverage(ctx); err != nil || len(cov) != 0 {
				t.Errorf("after kill -9: force coverage %+v, %v; want none", cov, err)
			}
			if imps, err := s.Imports(ctx); err != nil || len(imps) != 0 {
				t.Errorf("after kill -9: %d import reports, %v; want none", len(imps), err)
			}
			reps, err := s.ImportConflict(ctx, syntheticDisputes(1000, nil))
			if err != nil || reps[0].Imported != 1000 {
				t.Errorf("import after kill: %+v, %v", reps, err)
			}
		})
	}
}

// TestConflictChildProcess is the child of TestKilledConflictImport: it runs a force
// import and writes the marker file when it reaches the point to be killed at. Run
// alone it does nothing.
func TestConflictChildProcess(t *testing.T) {
	path := os.Getenv("ENTENTE_KILL_DB")
	if path == "" {
		t.Skip("child of TestKilledConflictImport")
	}
	mode, marker := os.Getenv("ENTENTE_KILL_MODE"), os.Getenv("ENTENTE_KILL_MARKER")
	signal := func() {
		if err := os.WriteFile(marker, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	var tick func(int)
	switch mode {
	case "staging":
		tick = func(n int) {
			if n == 20_000 {
				signal()
			}
			if n > 20_000 {
				time.Sleep(time.Microsecond) // keep staging until killed
			}
		}
	case "commit":
		testHookBeforeCommit = func() {
			signal()
			time.Sleep(time.Minute)
		}
	}
	_, err = s.ImportConflict(context.Background(), syntheticDisputes(200_000, tick))
	t.Fatalf("import finished (%v): it should have been killed", err)
}
