package duckdb

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/entente/entente"
)

// TestVerifyFindsDamagedBlock overwrites one data block of a table: the store still
// opens (DuckDB reads blocks lazily), and Verify names the damaged table.
func TestVerifyFindsDamagedBlock(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "s.duckdb")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.ExecContext(ctx, `CREATE TABLE filler AS SELECT range AS i, md5(range::VARCHAR) AS s FROM range(300000)`); err != nil {
		t.Fatal(err)
	}
	var block int64
	if err := s.db.QueryRowContext(ctx, `SELECT min(block_id) FROM pragma_storage_info('filler') WHERE block_id >= 0`).Scan(&block); err != nil {
		t.Fatal(err)
	}
	counts, err := s.Verify(ctx)
	if err != nil || counts["filler"] != 300000 {
		t.Fatalf("whole store: %v %v", counts, err)
	}
	s.Close()

	// DuckDB's file: a 4 KiB main header, two 4 KiB database headers, then 256 KiB blocks.
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	junk := []byte(strings.Repeat("entente damage test ", 1000))
	if _, err := f.WriteAt(junk, 3*4096+block*256*1024+8); err != nil {
		t.Fatal(err)
	}
	f.Close()

	r, err := OpenReadOnly(ctx, path)
	if err != nil {
		t.Fatalf("the damaged store should open (the damage is in a data block): %v", err)
	}
	defer r.Close()
	_, err = r.Verify(ctx)
	if entente.ErrorCode(err) != entente.EINVALID || !strings.Contains(err.Error(), "damaged") || !strings.Contains(err.Error(), "filler") {
		t.Fatalf("Verify of a damaged block: %v, want EINVALID naming the table", err)
	}
}

// TestOpenRefusesOtherFiles: files that are not DuckDB stores are refused with a
// message saying what they are, without DuckDB trying to load (or download) an
// extension, and special files are refused before anything reads them.
func TestOpenRefusesOtherFiles(t *testing.T) {
	dir := t.TempDir()
	sqlite := filepath.Join(dir, "x.sqlite")
	os.WriteFile(sqlite, append([]byte("SQLite format 3\x00"), make([]byte, 4096)...), 0o644)
	text := filepath.Join(dir, "notes.txt")
	os.WriteFile(text, []byte("not a database at all, just some words\n"), 0o644)
	fifo := filepath.Join(dir, "pipe")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ path, want string }{
		{sqlite, "is a SQLite database"},
		{text, "is not a DuckDB database"},
		{dir, "is a folder"},
		{fifo, "is a named pipe"},
	} {
		for name, open := range map[string]func(context.Context, string) (*Store, error){"Open": Open,
			"OpenReadOnly": func(ctx context.Context, path string) (*Store, error) { return OpenReadOnly(ctx, path) }} {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			s, err := open(ctx, c.path)
			cancel()
			if err == nil {
				s.Close()
			}
			if entente.ErrorCode(err) != entente.EINVALID || !strings.Contains(err.Error(), c.want) {
				t.Errorf("%s(%s): %v, want EINVALID %q", name, filepath.Base(c.path), err, c.want)
			}
		}
	}
	if _, err := OpenReadOnly(context.Background(), filepath.Join(dir, "missing.duckdb")); entente.ErrorCode(err) != entente.ENOTFOUND {
		t.Errorf("OpenReadOnly of a missing file: %v, want ENOTFOUND", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "missing.duckdb")); !errors.Is(err, os.ErrNotExist) {
		t.Error("OpenReadOnly created the missing file")
	}
}

// TestReadOnly: a read-only store reads what was written and refuses writes; two
// read-only handles can be open at once.
func TestReadOnly(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "s.duckdb")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	r, err := OpenReadOnly(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if !r.ReadOnly() {
		t.Error("ReadOnly() = false")
	}
	if _, err := r.Imports(ctx); err != nil {
		t.Errorf("read on a read-only store: %v", err)
	}
	if _, err := r.db.ExecContext(ctx, `CREATE TABLE x (i INTEGER)`); err == nil {
		t.Error("a read-only store accepted a write")
	}
}

// TestLeaveOpen: LeaveOpen makes Close of a read-only store do nothing (the store still
// reads), and leaves a store open for writing to close as before.
func TestLeaveOpen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "s.duckdb")
	w, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	w.LeaveOpen()
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Imports(ctx); err == nil {
		t.Error("a store open for writing still reads after LeaveOpen and Close; want it closed")
	}
	r, err := OpenReadOnly(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	r.LeaveOpen()
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Imports(ctx); err != nil {
		t.Errorf("a read-only store left open: %v after Close; want it still open", err)
	}
	r.left = false // the test's process goes on: release the store
	r.Close()
}

// votesStore returns the path of a closed store holding 600 synthetic votes (20 roll
// calls, 30 states).
func votesStore(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "s.duckdb")
	w, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.ImportVotes(context.Background(), synthetic(20, 30)); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestThreads: a store opened read-only on one thread reads as one on every core.
func TestThreads(t *testing.T) {
	ctx := context.Background()
	path := votesStore(t)
	var got []int64
	for _, opts := range [][]ReadOption{nil, {Threads(1)}} {
		r, err := OpenReadOnly(ctx, path, opts...)
		if err != nil {
			t.Fatal(err)
		}
		var threads, n int64
		if err := r.db.QueryRowContext(ctx, `SELECT current_setting('threads')`).Scan(&threads); err != nil {
			t.Fatal(err)
		}
		cov, err := r.VoteCoverage(ctx, "")
		if err != nil || len(cov) != 1 {
			t.Fatalf("threads %d: vote coverage %v, %v", threads, cov, err)
		}
		n = cov[0].Votes
		r.Close()
		if opts != nil && threads != 1 {
			t.Errorf("Threads(1): DuckDB runs %d threads", threads)
		}
		got = append(got, n)
	}
	if got[0] != 600 || got[1] != 600 {
		t.Errorf("votes read on every core and on one thread: %v; want 600 both", got)
	}
}

// TestDeferred: a deferred store starts DuckDB at its first query, reads as any other,
// refuses a file that is not a store at once, and an older schema at the first query
// with the error OpenReadOnly gives.
func TestDeferred(t *testing.T) {
	ctx := context.Background()
	path := votesStore(t)

	r, err := OpenReadOnly(ctx, path, Deferred(), Threads(1))
	if err != nil {
		t.Fatal(err)
	}
	cov, err := r.VoteCoverage(ctx, "")
	if err != nil || len(cov) != 1 || cov[0].Votes != 600 {
		t.Fatalf("deferred store: vote coverage %v, %v; want 600 votes", cov, err)
	}
	var threads int64
	if err := r.db.QueryRowContext(ctx, `SELECT current_setting('threads')`).Scan(&threads); err != nil || threads != 1 {
		t.Errorf("deferred store with Threads(1): %d threads (%v)", threads, err)
	}
	if _, err := r.db.ExecContext(ctx, `CREATE TABLE x (i INTEGER)`); err == nil {
		t.Error("a deferred read-only store accepted a write")
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := r.VoteCoverage(ctx, ""); err == nil {
		t.Error("a closed deferred store still reads")
	}

	// A store closed before its first query never starts DuckDB, and reads nothing after.
	r, err = OpenReadOnly(ctx, path, Deferred())
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := r.VoteCoverage(ctx, ""); err == nil {
		t.Error("a deferred store closed unopened reads")
	}

	text := filepath.Join(t.TempDir(), "notes.txt")
	os.WriteFile(text, []byte("not a database at all, just some words\n"), 0o644)
	if _, err := OpenReadOnly(ctx, text, Deferred()); entente.ErrorCode(err) != entente.EINVALID {
		t.Errorf("deferred open of a text file: %v, want EINVALID at once", err)
	}

	// An older schema: the newest migration forgotten.
	w, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.db.ExecContext(ctx, `DELETE FROM schema_migrations WHERE version = (SELECT max(version) FROM schema_migrations)`); err != nil {
		t.Fatal(err)
	}
	w.Close()
	_, want := OpenReadOnly(ctx, path)
	if entente.ErrorCode(want) != entente.ECONFLICT {
		t.Fatalf("older schema: %v, want ECONFLICT", want)
	}
	r, err = OpenReadOnly(ctx, path, Deferred())
	if err != nil {
		t.Fatalf("deferred open checks the schema at the first query, not before: %v", err)
	}
	defer r.Close()
	_, err = r.VoteCoverage(ctx, "")
	if entente.ErrorCode(err) != entente.ECONFLICT || !strings.Contains(err.Error(), want.Error()) {
		t.Errorf("older schema, deferred: %v; want %v", err, want)
	}
}
