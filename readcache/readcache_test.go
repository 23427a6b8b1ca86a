package readcache_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/entente/entente"
	"github.com/entente/entente/bloc"
	"github.com/entente/entente/country"
	"github.com/entente/entente/duckdb"
	"github.com/entente/entente/index"
	"github.com/entente/entente/index/scenariotest"
	"github.com/entente/entente/readcache"
)

// world is a small store in the index's scenario language: votes, blocs, events, aid
// and ledger acts, enough that a rank reads each kind of fact.
const world = `
load
  states RUS BLR KAZ ARM USA GBR FRA
  rollcall 2023-02-01 x10 y y y y n n n
  rollcall 2023-06-01 x8  n n a a y y y
  rollcall 2024-02-01 x10 y y y a n n n
  rollcall 2024-06-01 x8  n n a y y y y
  member CSTO RUS 2002-10-07
  member CSTO BLR 2002-10-07
  member CSTO ARM 2002-10-07 until=2024-02-22
  member NATO USA 1949-08-24
  member NATO GBR 1949-08-24
  act 2023-03-01 GBR RUS sanctions -
  act 2024-06-19 BLR RUS alliance_treaty +
`

func newStore(t *testing.T, facts string) string {
	t.Helper()
	sc, err := scenariotest.ParseScenario(strings.NewReader(facts), "world.txt")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "store.duckdb")
	ctx := context.Background()
	st, err := duckdb.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if err := sc.Load(ctx, st, country.Default()); err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// counted counts the reads that reach the store.
type counted struct {
	readcache.Store
	n atomic.Int64
}

func (c *counted) Ballots(ctx context.Context, q entente.BallotQuery) ([]entente.Ballot, error) {
	c.n.Add(1)
	return c.Store.Ballots(ctx, q)
}

func (c *counted) Acts(ctx context.Context, q entente.ActQuery) ([]entente.Act, error) {
	c.n.Add(1)
	return c.Store.Acts(ctx, q)
}

func (c *counted) VoteCoverage(ctx context.Context, issue string) ([]entente.SourceCoverage, error) {
	c.n.Add(1)
	return c.Store.VoteCoverage(ctx, issue)
}

// rank ranks RUS at the end of 2024 over src and prints the ranking in full.
func rank(t *testing.T, src index.Source) string {
	t.Helper()
	e := index.New(src, country.Default(), bloc.Default(), index.DefaultConfig())
	r, err := e.Rank(context.Background(), "RUS", time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("%+v", *r)
}

// opened are the stores openRO opened, which closeAll closes (DuckDB opens a file
// for writing in a process only when no reader of it is open there).
var opened []*duckdb.Store

func openRO(t *testing.T, path string) *duckdb.Store {
	t.Helper()
	st, err := duckdb.OpenReadOnly(context.Background(), path, duckdb.Deferred())
	if err != nil {
		t.Fatal(err)
	}
	opened = append(opened, st)
	t.Cleanup(closeAll)
	return st
}

func closeAll() {
	for _, st := range opened {
		st.Close()
	}
	opened = nil
}

func entries(t *testing.T, dir string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.gob"))
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// A cache answers as the store does; a second process over the same, unchanged store
// reads nothing from the store; a changed store starts a new cache and the old one goes.
func TestCacheAnswersAsTheStore(t *testing.T) {
	path := newStore(t, world)
	root := t.TempDir()
	want := rank(t, openRO(t, path))

	c1, err := readcache.Open(openRO(t, path), root, path)
	if err != nil {
		t.Fatal(err)
	}
	if got := rank(t, c1); got != want {
		t.Fatalf("through an empty cache:\n%s\nwant\n%s", got, want)
	}
	// Reads asked twice at once both miss; each is kept once.
	hits, misses := c1.Counts()
	if n := len(entries(t, c1.Dir())); misses == 0 || n == 0 || n > misses {
		t.Fatalf("empty cache: %d hits, %d misses, %d entries; want the misses kept", hits, misses, n)
	}

	st := &counted{Store: openRO(t, path)}
	c2, err := readcache.Open(st, root, path)
	if err != nil {
		t.Fatal(err)
	}
	if c2.Dir() != c1.Dir() {
		t.Fatalf("same store, another cache folder: %s, %s", c2.Dir(), c1.Dir())
	}
	if got := rank(t, c2); got != want {
		t.Fatalf("through a full cache:\n%s\nwant\n%s", got, want)
	}
	if hits, misses := c2.Counts(); misses != 0 || hits == 0 || st.n.Load() != 0 {
		t.Fatalf("full cache: %d hits, %d misses, %d store reads; want no read of the store", hits, misses, st.n.Load())
	}

	// A damaged entry is read from the store again.
	files := entries(t, c1.Dir())
	for _, f := range files {
		if err := os.WriteFile(f, []byte("not gob"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	c3, err := readcache.Open(openRO(t, path), root, path)
	if err != nil {
		t.Fatal(err)
	}
	if got := rank(t, c3); got != want {
		t.Fatalf("through damaged entries:\n%s\nwant\n%s", got, want)
	}
	if _, misses := c3.Counts(); misses < len(files) {
		t.Errorf("damaged entries: %d misses, want at least %d", misses, len(files))
	}

	// An import changes the store: a new cache, which sees the new fact.
	time.Sleep(10 * time.Millisecond) // a modification time apart, on coarse clocks
	sc, err := scenariotest.ParseScenario(strings.NewReader("load\n  act 2024-09-01 KAZ RUS military_cooperation_agreement +\n"), "more.txt")
	if err != nil {
		t.Fatal(err)
	}
	closeAll()
	rw, err := duckdb.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	if err := sc.Load(context.Background(), rw, country.Default()); err != nil {
		t.Fatal(err)
	}
	if err := rw.Close(); err != nil {
		t.Fatal(err)
	}
	changed := rank(t, openRO(t, path))
	if changed == want {
		t.Fatal("the new act changed nothing: the test proves nothing")
	}
	c4, err := readcache.Open(openRO(t, path), root, path)
	if err != nil {
		t.Fatal(err)
	}
	if c4.Dir() == c1.Dir() {
		t.Fatal("a changed store kept its cache folder")
	}
	if _, err := os.Stat(c1.Dir()); !os.IsNotExist(err) {
		t.Errorf("the changed store's old cache %s remains (%v)", c1.Dir(), err)
	}
	if got := rank(t, c4); got != changed {
		t.Fatalf("after the import:\n%s\nwant\n%s", got, changed)
	}
}

// A cache whose folder cannot be made is refused; one that cannot be written still
// answers.
func TestCacheUnwritable(t *testing.T) {
	path := newStore(t, world)
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := readcache.Open(openRO(t, path), filepath.Join(file, "sub"), path); err == nil {
		t.Error("a cache under a file opened")
	}
	if _, err := readcache.Open(openRO(t, path), t.TempDir(), filepath.Join(t.TempDir(), "none.duckdb")); err == nil {
		t.Error("a cache of a missing store opened")
	}
	root := t.TempDir()
	c, err := readcache.Open(openRO(t, path), root, path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(c.Dir()); err != nil { // nowhere to write now
		t.Fatal(err)
	}
	if got, want := rank(t, c), rank(t, openRO(t, path)); got != want {
		t.Fatalf("unwritable cache:\n%s\nwant\n%s", got, want)
	}
}

// The oldest entries beyond MaxEntries go before a process first writes to the cache;
// a process whose reads are all kept removes (and stats) nothing.
func TestCachePrunes(t *testing.T) {
	path := newStore(t, world)
	root := t.TempDir()
	ctx := context.Background()
	c, err := readcache.Open(openRO(t, path), root, path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Acts(ctx, entente.ActQuery{}); err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-time.Hour)
	for i := range readcache.MaxEntries + 10 {
		f := filepath.Join(c.Dir(), fmt.Sprintf("%05d.gob", i))
		if err := os.WriteFile(f, nil, 0o644); err != nil {
			t.Fatal(err)
		}
		mod := old.Add(time.Duration(i) * time.Second)
		if err := os.Chtimes(f, mod, mod); err != nil {
			t.Fatal(err)
		}
	}
	c2, err := readcache.Open(openRO(t, path), root, path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c2.Acts(ctx, entente.ActQuery{}); err != nil {
		t.Fatal(err)
	}
	if hits, misses := c2.Counts(); hits != 1 || misses != 0 {
		t.Fatalf("the kept read again: %d hits, %d misses; want 1, 0", hits, misses)
	}
	if got := entries(t, c.Dir()); len(got) != readcache.MaxEntries+11 {
		t.Fatalf("%d entries after a process that wrote nothing, want %d (none removed)", len(got), readcache.MaxEntries+11)
	}
	if _, err := c2.Acts(ctx, entente.ActQuery{Kind: "sanctions"}); err != nil {
		t.Fatal(err)
	}
	got := entries(t, c.Dir())
	if len(got) != readcache.MaxEntries {
		t.Fatalf("%d entries after pruning, want %d", len(got), readcache.MaxEntries)
	}
	if _, err := os.Stat(filepath.Join(c.Dir(), "00000.gob")); !os.IsNotExist(err) {
		t.Errorf("the oldest entry remains (%v)", err)
	}
	if hits, _ := c2.Counts(); hits != 1 {
		t.Fatal("the new read was answered from the cache")
	}
	again, err := readcache.Open(openRO(t, path), root, path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := again.Acts(ctx, entente.ActQuery{}); err != nil {
		t.Fatal(err)
	}
	if hits, _ := again.Counts(); hits != 1 {
		t.Error("the newest kept read was pruned")
	}
}

// The same read asked with a time that carries a monotonic clock reading, or in another
// location, is the same entry.
func TestCacheKeyIgnoresClockReading(t *testing.T) {
	path := newStore(t, world)
	root := t.TempDir()
	c, err := readcache.Open(openRO(t, path), root, path)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	at := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	if _, err := c.Acts(ctx, entente.ActQuery{From: at}); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	withClock := now.Add(at.Sub(now)) // the same instant, with a monotonic reading
	if withClock.String() == at.String() {
		t.Fatal("the time carries no monotonic reading: the test proves nothing")
	}
	if _, err := c.Acts(ctx, entente.ActQuery{From: withClock}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Acts(ctx, entente.ActQuery{From: at.In(time.FixedZone("", 0))}); err != nil {
		t.Fatal(err)
	}
	if hits, misses := c.Counts(); hits != 2 || misses != 1 {
		t.Errorf("one read asked three ways: %d hits, %d misses; want 2, 1", hits, misses)
	}
}

// A write that leaves the file's size and time as they were (a coarse clock) still
// gives a new cache: the identity holds DuckDB's file headers.
func TestCacheSeesHeaderChange(t *testing.T) {
	path := filepath.Join(t.TempDir(), "store.duckdb")
	data := make([]byte, 16<<10)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	c1, err := readcache.Open(nil, root, path)
	if err != nil {
		t.Fatal(err)
	}
	data[4096+8] = 1 // a database header's iteration
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(path, fi.ModTime(), fi.ModTime()); err != nil {
		t.Fatal(err)
	}
	c2, err := readcache.Open(nil, root, path)
	if err != nil {
		t.Fatal(err)
	}
	if c1.Dir() == c2.Dir() {
		t.Error("a header rewritten at the same size and time kept the cache folder")
	}
	data[15<<10] = 1 // past the headers: size, time and headers as before
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(path, fi.ModTime(), fi.ModTime()); err != nil {
		t.Fatal(err)
	}
	c3, err := readcache.Open(nil, root, path)
	if err != nil {
		t.Fatal(err)
	}
	if c3.Dir() != c2.Dir() {
		t.Error("the identity reads past the headers")
	}
}
