// Package readcache keeps on disk what the index engine reads from a store file, so
// that a later process asking the same reads of the same, unchanged file is answered
// without starting the database: a command such as 'entente rank RUS --at 2025-06' run
// a second time, or by another focal state at the same date, reads its facts in a few
// milliseconds instead of tens.
//
// A cache belongs to one store file in one state: its folder is named by the file's
// path and by its identity (size, modification time, inode and DuckDB's file headers,
// which each checkpoint rewrites; the size, time and inode of its write-ahead log) and
// by this program's (so a new build never reads an old build's entries). Any write to
// the store changes the identity, and the next cache is a new, empty folder; the old
// one is removed. Each read is one file, keyed by the method and
// its arguments, written whole or not at all (temporary file and rename). Only
// successful reads are kept; a cache entry that cannot be read is read from the store
// again. The cache is a convenience: when its folder cannot be written, reads go to the
// store as if there were none.
package readcache

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/gob"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/entente/entente"
	"github.com/entente/entente/index"
)

// Store is what a cache wraps: the reads of the index engine, the ideal points and the
// force records (the store behind a DuckDB file has them all).
type Store interface {
	index.Source
	entente.IdealPointStore
	entente.ConflictStore
	entente.ArmsFlowStore
}

// Cache answers the reads of Store from its folder, and keeps there what it reads from
// the store. Its write methods go to the store, unkept. It is safe for concurrent use.
type Cache struct {
	st  Store
	dir string

	hits, misses int
	mu           sync.Mutex
	pruned       sync.Once // before this process's first write: a run whose reads are all kept stats no entry
}

var (
	_ index.Source            = (*Cache)(nil)
	_ entente.IdealPointStore = (*Cache)(nil)
	_ entente.ConflictStore   = (*Cache)(nil)
	_ entente.ArmsFlowStore   = (*Cache)(nil)
)

// MaxEntry is the largest read kept (its encoded size): the few reads larger than this
// (an all-years panel's) would cost more to keep than to read again.
const MaxEntry = 32 << 20

// MaxItems is the most items of a read kept: larger reads (a panel's, every pair's
// similarity) are not even encoded.
const MaxItems = 100_000

// MaxEntries and MaxBytes bound the entries of one cache folder; past either the
// oldest are removed before a process first writes to the cache. A warm cache of the
// full data (entente cache warm, 1946-2025) holds about 1,200 entries and 100 MB.
const (
	MaxEntries = 5000
	MaxBytes   = 512 << 20
)

// format changes whenever what an entry holds does.
const format = "2"

// Open returns a cache of st, the store in file storePath, under root (one folder per
// store file, inside). It reads nothing yet. An error means the cache cannot be used
// (the store file cannot be stated, root cannot be made); the caller then reads st
// directly.
func Open(st Store, root, storePath string) (*Cache, error) {
	abs, err := filepath.Abs(storePath)
	if err != nil {
		return nil, fmt.Errorf("read cache: %w", err)
	}
	id, err := identity(abs)
	if err != nil {
		return nil, fmt.Errorf("read cache: %w", err)
	}
	pathKey := digest(abs)[:16]
	dir := filepath.Join(root, pathKey+"-"+digest(id)[:16])
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("read cache: %w", err)
	}
	// Caches of the same file in an earlier state are of no further use.
	if old, err := filepath.Glob(filepath.Join(root, pathKey+"-*")); err == nil {
		for _, o := range old {
			if o != dir {
				os.RemoveAll(o)
			}
		}
	}
	return &Cache{st: st, dir: dir}, nil
}

// Dir is the cache's folder.
func (c *Cache) Dir() string { return c.dir }

// Size returns how many entries the cache's folder holds and their bytes.
func (c *Cache) Size() (entries int, bytes int64, err error) {
	des, err := os.ReadDir(c.dir)
	if err != nil {
		return 0, 0, fmt.Errorf("read cache: %w", err)
	}
	for _, de := range des {
		if !strings.HasSuffix(de.Name(), ".gob") {
			continue
		}
		fi, err := de.Info()
		if err != nil {
			continue // removed meanwhile (pruned by another process)
		}
		entries++
		bytes += fi.Size()
	}
	return entries, bytes, nil
}

// Remove removes under root the caches of the store file storePath, whatever its state
// (its folders, not other files'), and returns how many folders it removed.
func Remove(root, storePath string) (int, error) {
	abs, err := filepath.Abs(storePath)
	if err != nil {
		return 0, fmt.Errorf("read cache: %w", err)
	}
	dirs, err := filepath.Glob(filepath.Join(root, digest(abs)[:16]+"-*"))
	if err != nil {
		return 0, fmt.Errorf("read cache: %w", err)
	}
	for i, d := range dirs {
		if err := os.RemoveAll(d); err != nil {
			return i, fmt.Errorf("read cache: %w", err)
		}
	}
	return len(dirs), nil
}

// Counts returns how many reads the cache answered (hits) and passed to the store
// (misses) so far.
func (c *Cache) Counts() (hits, misses int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.hits, c.misses
}

// identity names the state of the store file at path and of this program.
func identity(path string) (string, error) {
	var b strings.Builder
	fmt.Fprintf(&b, "format %s\n", format)
	for _, p := range []string{path, path + ".wal"} {
		fi, err := os.Stat(p)
		switch {
		case os.IsNotExist(err) && p != path:
			fmt.Fprintf(&b, "%s absent\n", p)
			continue
		case err != nil:
			return "", err
		}
		fmt.Fprintf(&b, "%s %d %d %d\n", p, fi.Size(), fi.ModTime().UnixNano(), inode(fi))
	}
	// DuckDB's file headers: each checkpoint writes one with a new iteration, so a
	// write is seen even where the clock of the file system is coarse and the size did
	// not change.
	head, err := fileHead(path, headBytes)
	if err != nil {
		return "", err
	}
	fmt.Fprintf(&b, "head %x\n", sha256.Sum256(head))
	exe, err := os.Executable()
	if err != nil {
		return "", err
	}
	fi, err := os.Stat(exe)
	if err != nil {
		return "", err
	}
	fmt.Fprintf(&b, "program %s %d %d\n", exe, fi.Size(), fi.ModTime().UnixNano())
	return b.String(), nil
}

// headBytes covers a DuckDB file's main header and its two database headers.
const headBytes = 3 * 4096

// fileHead returns the first n bytes of the file at path (fewer if it is shorter).
func fileHead(path string, n int) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	buf := make([]byte, n)
	k, err := io.ReadFull(f, buf)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return nil, err
	}
	return buf[:k], nil
}

func digest(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

// prune removes the oldest entries of dir beyond maxEntries or maxBytes.
func prune(dir string, maxEntries int, maxBytes int64) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	type aged struct {
		name string
		mod  time.Time
		size int64
	}
	all := make([]aged, 0, len(ents))
	for _, e := range ents {
		if info, err := e.Info(); err == nil {
			all = append(all, aged{e.Name(), info.ModTime(), info.Size()})
		}
	}
	sort.Slice(all, func(i, j int) bool { return all[i].mod.After(all[j].mod) })
	var total int64
	for i, a := range all {
		total += a.size
		if i >= maxEntries || total > maxBytes {
			os.Remove(filepath.Join(dir, a.name))
		}
	}
}

// entry is what one cache file holds: the read's result.
type entry[T any] struct{ V T }

// kept answers a read from the cache, or reads it with read and keeps the result. key
// names the read: the method and its arguments. Entries are gob.
func kept[T any](c *Cache, key string, read func() (T, error)) (T, error) {
	return keptAs(c, key, read, encodeGob[T], decodeGob[T])
}

// keptAs is kept with the entry's encoding given (codec.go for the largest reads).
func keptAs[T any](c *Cache, key string, read func() (T, error), encode func(T) ([]byte, error), decode func([]byte) (T, error)) (T, error) {
	file := filepath.Join(c.dir, digest(key)[:32]+".gob")
	if data, err := os.ReadFile(file); err == nil {
		if v, err := decode(data); err == nil {
			c.count(true)
			return v, nil
		}
	}
	c.count(false)
	v, err := read()
	if err != nil {
		return v, err
	}
	if rv := reflect.ValueOf(v); rv.Kind() == reflect.Slice && rv.Len() > MaxItems {
		return v, nil
	}
	if data, err := encode(v); err == nil && len(data) <= MaxEntry {
		c.pruned.Do(func() { prune(c.dir, MaxEntries-1, MaxBytes) }) // room for this entry
		write(file, data)
	}
	return v, nil
}

func encodeGob[T any](v T) ([]byte, error) {
	var buf bytes.Buffer
	err := gob.NewEncoder(&buf).Encode(entry[T]{v})
	return buf.Bytes(), err
}

func decodeGob[T any](data []byte) (T, error) {
	var e entry[T]
	err := gob.NewDecoder(bytes.NewReader(data)).Decode(&e)
	return e.V, err
}

func (c *Cache) count(hit bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if hit {
		c.hits++
	} else {
		c.misses++
	}
}

// write writes data to file whole or not at all. A failure leaves no entry.
func write(file string, data []byte) {
	tmp, err := os.CreateTemp(filepath.Dir(file), ".tmp-*")
	if err != nil {
		return
	}
	_, err = tmp.Write(data)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), file)
	}
	if err != nil {
		os.Remove(tmp.Name())
	}
}

// key names a read by its method and arguments, as JSON: every field of a query, and
// times as instants with their offset (never a monotonic clock reading, which %v would
// print).
func key(method string, args ...any) string {
	b, err := json.Marshal(args)
	if err != nil {
		return fmt.Sprintf("%s %+v", method, args)
	}
	return method + " " + string(b)
}

// VoteCoverage is Store.VoteCoverage, kept.
func (c *Cache) VoteCoverage(ctx context.Context, issue string) ([]entente.SourceCoverage, error) {
	return kept(c, key("VoteCoverage", issue), func() ([]entente.SourceCoverage, error) { return c.st.VoteCoverage(ctx, issue) })
}

// Ballots is Store.Ballots, kept.
func (c *Cache) Ballots(ctx context.Context, q entente.BallotQuery) ([]entente.Ballot, error) {
	return keptAs(c, key("Ballots", q), func() ([]entente.Ballot, error) { return c.st.Ballots(ctx, q) }, encodeBallots, decodeBallots)
}

// EventSignals is Store.EventSignals, kept.
func (c *Cache) EventSignals(ctx context.Context, q entente.EventQuery) ([]entente.EventSignal, error) {
	return kept(c, key("EventSignals", q), func() ([]entente.EventSignal, error) { return c.st.EventSignals(ctx, q) })
}

// EventEvidence is Store.EventEvidence, kept.
func (c *Cache) EventEvidence(ctx context.Context, q entente.EventQuery, n int) ([]entente.EventEvidence, error) {
	return kept(c, key("EventEvidence", q, n), func() ([]entente.EventEvidence, error) { return c.st.EventEvidence(ctx, q, n) })
}

// AidSignals is Store.AidSignals, kept.
func (c *Cache) AidSignals(ctx context.Context, q entente.EventQuery) ([]entente.AidSignal, error) {
	return kept(c, key("AidSignals", q), func() ([]entente.AidSignal, error) { return c.st.AidSignals(ctx, q) })
}

// Alliances is Store.Alliances, kept.
func (c *Cache) Alliances(ctx context.Context, year, ccode int) ([]entente.AllianceTie, error) {
	return kept(c, key("Alliances", year, ccode), func() ([]entente.AllianceTie, error) { return c.st.Alliances(ctx, year, ccode) })
}

// AllianceCoverage is Store.AllianceCoverage, kept.
func (c *Cache) AllianceCoverage(ctx context.Context) (first, last int, err error) {
	v, err := kept(c, key("AllianceCoverage"), func() ([2]int, error) {
		f, l, err := c.st.AllianceCoverage(ctx)
		return [2]int{f, l}, err
	})
	return v[0], v[1], err
}

// Memberships is Store.Memberships, kept.
func (c *Cache) Memberships(ctx context.Context, state string, from, to time.Time) ([]entente.Membership, error) {
	return keptAs(c, key("Memberships", state, from, to), func() ([]entente.Membership, error) { return c.st.Memberships(ctx, state, from, to) },
		encodeMemberships, decodeMemberships)
}

// Acts is Store.Acts, kept.
func (c *Cache) Acts(ctx context.Context, q entente.ActQuery) ([]entente.Act, error) {
	return kept(c, key("Acts", q), func() ([]entente.Act, error) { return c.st.Acts(ctx, q) })
}

// Similarities is Store.Similarities, kept.
func (c *Cache) Similarities(ctx context.Context, q entente.SimilarityQuery) ([]entente.Similarity, error) {
	return kept(c, key("Similarities", q), func() ([]entente.Similarity, error) { return c.st.Similarities(ctx, q) })
}

// IdealPoints is Store.IdealPoints, kept.
func (c *Cache) IdealPoints(ctx context.Context, q entente.IdealPointQuery) ([]entente.IdealPoint, error) {
	return kept(c, key("IdealPoints", q), func() ([]entente.IdealPoint, error) { return c.st.IdealPoints(ctx, q) })
}

// ConflictYears is Store.ConflictYears, kept.
func (c *Cache) ConflictYears(ctx context.Context, q entente.ForceQuery) ([]entente.ConflictYear, error) {
	return keptAs(c, key("ConflictYears", q), func() ([]entente.ConflictYear, error) { return c.st.ConflictYears(ctx, q) },
		encodeConflictYears, decodeConflictYears)
}

// Rivalries is Store.Rivalries, kept.
func (c *Cache) Rivalries(ctx context.Context, q entente.ForceQuery) ([]entente.Rivalry, error) {
	return kept(c, key("Rivalries", q), func() ([]entente.Rivalry, error) { return c.st.Rivalries(ctx, q) })
}

// Disputes is Store.Disputes, kept.
func (c *Cache) Disputes(ctx context.Context, q entente.ForceQuery) ([]entente.DisputeYear, error) {
	return keptAs(c, key("Disputes", q), func() ([]entente.DisputeYear, error) { return c.st.Disputes(ctx, q) }, encodeDisputes, decodeDisputes)
}

// ArmsDeals is Store.ArmsDeals, kept.
func (c *Cache) ArmsDeals(ctx context.Context, q entente.ForceQuery) ([]entente.ArmsDeal, error) {
	return kept(c, key("ArmsDeals", q), func() ([]entente.ArmsDeal, error) { return c.st.ArmsDeals(ctx, q) })
}

// ArmsFlows is Store.ArmsFlows, kept.
func (c *Cache) ArmsFlows(ctx context.Context, state string, fromYear int) ([]entente.ArmsFlow, error) {
	return keptAs(c, key("ArmsFlows", state, fromYear), func() ([]entente.ArmsFlow, error) { return c.st.ArmsFlows(ctx, state, fromYear) },
		encodeArmsFlows, decodeArmsFlows)
}

// ForceCoverage is Store.ForceCoverage, kept.
func (c *Cache) ForceCoverage(ctx context.Context) ([]entente.SourceYears, error) {
	return kept(c, key("ForceCoverage"), func() ([]entente.SourceYears, error) { return c.st.ForceCoverage(ctx) })
}

// ImportIdealPoints goes to the store.
func (c *Cache) ImportIdealPoints(ctx context.Context, fill func(entente.IdealPointWriter) error) ([]entente.ImportReport, error) {
	return c.st.ImportIdealPoints(ctx, fill)
}

// ReplaceIdealPoints goes to the store.
func (c *Cache) ReplaceIdealPoints(ctx context.Context, source, variant string, points []entente.IdealPoint) error {
	return c.st.ReplaceIdealPoints(ctx, source, variant, points)
}

// ImportConflict goes to the store.
func (c *Cache) ImportConflict(ctx context.Context, fill func(entente.ConflictWriter) error) ([]entente.ImportReport, error) {
	return c.st.ImportConflict(ctx, fill)
}
