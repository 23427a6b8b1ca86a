//go:build linux

package main

import (
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// mountTmpfs mounts a tmpfs of size bytes on a new folder and returns it; it is
// unmounted when the test ends. The test skips where mounting is not permitted.
func mountTmpfs(t *testing.T, size string) string {
	t.Helper()
	dir := t.TempDir()
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, "size="+size); err != nil {
		t.Skipf("a small file system for the full-disk test cannot be mounted here (mount -t tmpfs needs root with CAP_SYS_ADMIN): %v", err)
	}
	t.Cleanup(func() {
		if err := syscall.Unmount(dir, 0); err != nil {
			t.Errorf("unmount %s: %v", dir, err)
		}
	})
	return dir
}

// fillDisk writes a file in dir until the file system is full, and returns its path.
func fillDisk(t *testing.T, dir string) string {
	t.Helper()
	path := filepath.Join(dir, "filler")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, chunk := range []int{1 << 20, 64 << 10, 4 << 10, 512} {
		buf := make([]byte, chunk)
		for {
			if _, err := f.Write(buf); err != nil {
				if !errors.Is(err, syscall.ENOSPC) {
					t.Fatalf("fill %s: %v", dir, err)
				}
				break
			}
		}
	}
	return path
}

// TestImportDiskFull: a vote import whose store's disk fills while the
// stored similarities are rebuilt (after the votes are committed) fails with exit 1
// and a message naming the full disk and saying what was kept; once there is space, one
// re-run of the same import leaves every table equal to a clean import's. The same for
// a disk that fills just before the import's COMMIT: nothing of it is stored.
func TestImportDiskFull(t *testing.T) {
	if testing.Short() {
		t.Skip("starts child processes on a small mounted file system")
	}
	dir := mountTmpfs(t, "64m")
	args := append([]string{"import", "unvotes"}, excerpts[1:]...)

	// The clean import, on an ordinary disk.
	cleanDB := newDB(t)
	mustRun(t, cleanDB, "import", "unvotes", excerpts[0], "--quiet")
	mustRun(t, cleanDB, append(args, "--quiet")...)
	clean := readState(t, cleanDB, false)

	for _, tc := range []struct {
		point string   // where the disk fills
		facts string   // the state of the store then: before, or clean facts
		want  []string // in stderr
	}{
		{"derived", "clean facts", []string{"disk holding the store is full", "No space left on device", "the 730 new records of this import were committed", "un_similarity", "next import"}},
		{"commit", "before", []string{"disk holding the store", "is full", "No space left on device", "nothing of this import was stored"}},
	} {
		t.Run(tc.point, func(t *testing.T) {
			db := filepath.Join(dir, tc.point+".db")
			mustRun(t, db, "import", "unvotes", excerpts[0], "--quiet")
			before := readState(t, db, false)
			var filler string
			run := runPausedThen(t, append(append([]string{}, args...), "--db", db), tc.point, func(_ *exec.Cmd, stdin io.Writer) {
				filler = fillDisk(t, dir)
				io.WriteString(stdin, "go on\n")
			})
			if !run.reached {
				t.Fatalf("the child never reached %s (exit %d):\n%s", tc.point, run.code, run.stderr)
			}
			t.Logf("disk full at %s: exit %d\n%s", tc.point, run.code, run.stderr)
			if run.code != 1 {
				t.Errorf("import onto a full disk: exit %d, want 1\n%s", run.code, run.stderr)
			}
			for _, want := range tc.want {
				if !strings.Contains(run.stderr, want) {
					t.Errorf("import onto a full disk: stderr does not say %q:\n%s", want, run.stderr)
				}
			}
			if tc.facts != "before" && strings.Contains(run.stderr, "nothing was changed") {
				t.Errorf("import onto a full disk: stderr says nothing was changed, but the votes were committed:\n%s", run.stderr)
			}
			if err := os.Remove(filler); err != nil {
				t.Fatal(err)
			}
			got := readState(t, db, true)
			switch tc.facts {
			case "before":
				if d := got.diff(before); len(d) > 0 {
					t.Errorf("after a full disk before the commit, the store changed:\n  %s", strings.Join(d, "\n  "))
				}
			default:
				if d := got.diff(clean, "un_similarity"); len(d) > 0 || got.derived != "stale" {
					t.Errorf("after a full disk during the rebuild, the store does not hold the import with its similarities marked out of date (%s):\n  %s",
						got.derived, strings.Join(d, "\n  "))
				}
			}

			r := cli(t, db, args...)
			if r.code != 0 {
				t.Fatalf("the re-run with space: %s", r)
			}
			if tc.facts != "before" && !strings.Contains(r.stderr, "un_similarity was out of date") {
				t.Errorf("the re-run does not say it rebuilt the stored similarities:\n%s", r.stderr)
			}
			if d := readState(t, db, false).diff(clean); len(d) > 0 {
				t.Errorf("after one re-run with space, tables differ from a clean import's:\n  %s", strings.Join(d, "\n  "))
			}
			if err := os.Remove(db); err != nil {
				t.Fatal(err)
			}
			os.Remove(db + ".wal")
		})
	}
}
