package main

import (
	"context"
	"flag"
	"fmt"
	"runtime"
	"sync"
	"time"

	"github.com/entente/entente"
	"github.com/entente/entente/bloc"
	"github.com/entente/entente/duckdb"
	"github.com/entente/entente/index"
	"github.com/entente/entente/readcache"
	"golang.org/x/sync/errgroup"
)

func init() {
	commands = append(commands, &command{
		name:    "cache",
		summary: "the read cache of the index's commands: warm it for every year, show it, clear it",
		usage: `Usage:
  entente cache warm [--from YEAR] [--to YEAR] [--db PATH]
  entente cache info [--db PATH]
  entente cache clear [--db PATH]

The index's commands (rank, explain, drift, ties, events, similarity, validate), each
in a process of its own, keep what they read from a DuckDB store in a read cache on
disk ($ENTENTE_CACHE, else entente/reads in the user cache folder; ENTENTE_CACHE=off
keeps nothing). A command whose reads are all kept starts no database: 'entente rank'
then takes well under 0.1 s instead of about 0.25 s. Any change to the store (an
import) starts a new, empty cache; an import then keeps the reads of the year of the
store's last roll call (its default date), for every focal state, and 'entente up'
(make run) those of every year.

  warm   makes, once, the reads of a rank at every year from --from to --to (default:
         the years of the store's first and last UN roll calls), which serve every
         focal state and every date of those years, and the reads of every state's
         coverage note: after it, 'entente rank' at any date of those years, for any
         focal state, is answered from the cache. It takes about 3 s and 55 MB of
         disk for 1946-2025 on the full data. Prints what it read and kept.
  info   the cache of the store as it is now: its folder, entries and bytes.
  clear  removes the store's caches (the next commands read the store again).

The cache holds copies of the store's records and nothing else: clearing it loses
nothing. explain and drift read more (the evidence of one pair, series of dates): what
warm does not keep, they read from the store and keep then.

Examples:
  entente cache warm
  entente cache warm --from 1990 --to 2025 --db data/entente.duckdb
  entente cache info
  ENTENTE_CACHE=/tmp/reads entente cache clear
`,
		setup: func(fs *flag.FlagSet) func(context.Context, *app, []string) error {
			from := fs.Int("from", 0, "first year to warm (default: the year of the store's first roll call)")
			to := fs.Int("to", 0, "last year to warm (default: the year of the store's last roll call)")
			return func(ctx context.Context, a *app, args []string) error {
				if len(args) != 1 {
					return usagef("want one action: warm, info or clear")
				}
				switch args[0] {
				case "warm":
					return a.cacheWarm(ctx, *from, *to)
				case "info", "clear":
					if *from != 0 || *to != 0 {
						return usagef("--from and --to are for 'cache warm'")
					}
					if args[0] == "info" {
						return a.cacheInfo(ctx)
					}
					return a.cacheClear()
				}
				return usagef("unknown action %q: want warm, info or clear", args[0])
			}
		},
	})
}

// cacheStore checks that the read cache applies (a DuckDB file, the cache on) and
// returns its root and the store file.
func (a *app) cacheStore() (root, path string, err error) {
	if a.storeDSN() != "" {
		return "", "", entente.Errorf(entente.EINVALID, "the read cache keeps the reads of a DuckDB file (--db); a store given by URL (--store, $ENTENTE_STORE) is read directly")
	}
	root = a.readCacheRoot()
	if root == "" {
		return "", "", entente.Errorf(entente.EINVALID, "the read cache is off (ENTENTE_CACHE=off, or no user cache folder): set ENTENTE_CACHE to a folder")
	}
	path, err = a.storePath()
	return root, path, err
}

// openCache opens the store read-only, DuckDB started only at the first read the
// cache does not hold, and its read cache. The caller closes the store.
func (a *app) openCache(ctx context.Context) (*duckdb.Store, *readcache.Cache, error) {
	root, path, err := a.cacheStore()
	if err != nil {
		return nil, nil, err
	}
	ds, err := duckdb.OpenReadOnly(ctx, path, duckdb.Threads(1), duckdb.Deferred())
	if err != nil {
		return nil, nil, err
	}
	c, err := readcache.Open(ds, root, path)
	if err != nil {
		ds.Close()
		return nil, nil, entente.Errorf(entente.EINVALID, "%v", err)
	}
	return ds, c, nil
}

// warmStore is what the warming commands work on: the index's configuration (the reads
// depend on its horizons: as rank reads), the store opened through its read cache, and
// the dates of its first and last roll calls (zero without).
type warmStore struct {
	cfg         index.Config
	ds          *duckdb.Store
	c           *readcache.Cache
	first, last time.Time
}

// openWarm opens the store for warming; the caller closes w.ds.
func (a *app) openWarm(ctx context.Context) (*warmStore, error) {
	cfg, err := a.indexConfig(indexOptions{})
	if err != nil {
		return nil, err
	}
	ds, c, err := a.openCache(ctx)
	if err != nil {
		return nil, err
	}
	cov, err := c.VoteCoverage(ctx, "")
	if err != nil {
		ds.Close()
		return nil, err
	}
	first, last := entente.CoverageSpan(cov)
	return &warmStore{cfg: cfg, ds: ds, c: c, first: first, last: last}, nil
}

// cacheWarm keeps the reads of a rank at every year from first to last (0: the years of
// the store's first and last roll calls) and of every state's coverage note.
func (a *app) cacheWarm(ctx context.Context, first, last int) error {
	start := time.Now()
	ws, err := a.openWarm(ctx)
	if err != nil {
		return err
	}
	defer ws.ds.Close()
	if ws.last.IsZero() {
		return entente.Errorf(entente.EINVALID, "store %s holds no UN roll call: nothing to warm (import unvotes first)", ws.ds.Path())
	}
	if first == 0 {
		first = ws.first.Year()
	}
	if last == 0 {
		last = ws.last.Year()
	}
	switch {
	case last > ws.last.Year():
		return usagef("--to %d: the store's last roll call is of %s, and the index refuses dates after its data", last, ws.last.Format(time.DateOnly))
	case first < 1 || first > last:
		return usagef("--from %d --to %d: want 1 <= from <= to", first, last)
	}
	bar := a.progress()
	states, err := a.warmCache(ctx, ws.c, ws.cfg, first, last, bar)
	bar.Done()
	if err != nil {
		return err
	}
	c := ws.c
	hits, misses := c.Counts()
	entries, size, err := c.Size()
	if err != nil {
		return err
	}
	w := a.newRowWriter([]string{"store", "from", "to", "years", "states", "reads", "kept_before", "entries", "bytes", "seconds", "cache"})
	if err := w.Row(ws.ds.Path(), first, last, last-first+1, states, misses, hits, entries, size,
		fmt.Sprintf("%.1f", time.Since(start).Seconds()), c.Dir()); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	a.note("kept the reads of a rank at any date of %d-%d, for any focal state: %d read from the store now, %d kept already; %d entries, %s in %s",
		first, last, misses, hits, entries, humanBytes(size), c.Dir())
	return nil
}

// warmAll keeps the reads of a rank at any date of the store's years (cache warm
// without its report).
func (a *app) warmAll(ctx context.Context) error {
	ws, err := a.openWarm(ctx)
	if err != nil {
		return err
	}
	defer ws.ds.Close()
	if ws.last.IsZero() {
		return nil
	}
	bar := a.progress()
	defer bar.Done()
	_, err = a.warmCache(ctx, ws.c, ws.cfg, ws.first.Year(), ws.last.Year(), bar)
	return err
}

// warmCache keeps in c the reads of a rank at any date of the years first..last, for any
// focal state, with its coverage note: for each year the reads of a rank at its end,
// which serve every date of it (Engine.Prefetch), and its note's; for each state that
// existed then, its note's own reads (its events, aid and acts: the same at every date).
// It returns the number of states.
func (a *app) warmCache(ctx context.Context, c *readcache.Cache, cfg index.Config, first, last int, bar *progressBar) (int, error) {
	engine := func() *index.Engine { return index.New(c, a.countries, bloc.Default(), cfg) }
	var years []int
	for y := first; y <= last; y++ {
		years = append(years, y)
	}
	var ids []string
	seen := map[string]bool{}
	for _, s := range a.countries.All() {
		if !seen[s.ID] && s.Overlaps(time.Date(first, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(last+1, 1, 1, 0, 0, 0, 0, time.UTC)) {
			seen[s.ID] = true
			ids = append(ids, s.ID)
		}
	}
	total := int64(len(years) + len(ids))
	var done int64
	var mu sync.Mutex
	step := func() {
		mu.Lock()
		done++
		bar.UpdateCount("cache warm", done, total, "years and states")
		mu.Unlock()
	}
	e := engine()
	// Each year, then each state, on up to four goroutines (no more than the cores).
	workers := min(max(runtime.NumCPU(), 1), 4)
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(workers)
	for _, y := range years {
		g.Go(func() error {
			at := time.Date(y+1, 1, 1, 0, 0, 0, 0, time.UTC)
			var fc entente.Country
			for _, s := range a.countries.All() {
				if s.ExistsAt(at.AddDate(0, 0, -1)) {
					fc = s
					break
				}
			}
			if fc.ID != "" { // else no state in the registry then: no rank to serve
				// An engine per year: each year's facts are freed once kept.
				if err := engine().Prefetch(gctx, fc, at); err != nil {
					return fmt.Errorf("cache warm %d: %w", y, err)
				}
				from, to := e.Window(at)
				if _, err := index.DataCoverage(gctx, c, fc.ID, "", from, to); err != nil {
					return fmt.Errorf("cache warm %d: %w", y, err)
				}
			}
			step()
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return 0, err
	}
	from, to := e.Window(time.Date(last+1, 1, 1, 0, 0, 0, 0, time.UTC))
	g, gctx = errgroup.WithContext(ctx)
	g.SetLimit(workers)
	for _, id := range ids {
		g.Go(func() error {
			if _, err := index.DataCoverage(gctx, c, id, "", from, to); err != nil {
				return fmt.Errorf("cache warm %s: %w", id, err)
			}
			step()
			return nil
		})
	}
	return len(ids), g.Wait()
}

// cacheInfo prints the store's cache as it is now.
func (a *app) cacheInfo(ctx context.Context) error {
	ds, c, err := a.openCache(ctx)
	if err != nil {
		return err
	}
	defer ds.Close()
	entries, size, err := c.Size()
	if err != nil {
		return err
	}
	w := a.newRowWriter([]string{"store", "entries", "bytes", "cache"})
	if err := w.Row(ds.Path(), entries, size, c.Dir()); err != nil {
		return err
	}
	return w.Close()
}

// cacheClear removes the store's caches.
func (a *app) cacheClear() error {
	root, path, err := a.cacheStore()
	if err != nil {
		return err
	}
	n, err := readcache.Remove(root, path)
	if err != nil {
		return err
	}
	a.note("removed %d read cache folder(s) of %s under %s", n, path, root)
	return nil
}
