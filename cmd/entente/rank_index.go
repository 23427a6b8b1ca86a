package main

import (
	"context"
	"os"
	"path/filepath"
	"time"

	"github.com/entente/entente"
	"github.com/entente/entente/bloc"
	"github.com/entente/entente/duckdb"
	"github.com/entente/entente/index"
	"github.com/entente/entente/readcache"
)

// rank --signal index, explain and drift read the index's configuration here.

// indexOptions are the index's configuration sources: a config file and a
// name=value,... list, applied in that order over the defaults of docs/index.md. rank
// reads them from $ENTENTE_INDEX_CONFIG and $ENTENTE_INDEX_WEIGHTS; rank, explain,
// drift, panel and validate also take --config and --weights.
type indexOptions struct {
	config  string
	weights string
	noCache bool // read the store, not its read cache: for a command that reads everything once (panel)
}

// indexConfig builds the configuration: defaults, then the environment, then flags.
func (a *app) indexConfig(o indexOptions) (index.Config, error) {
	cfg := index.DefaultConfig()
	for _, file := range []string{a.getenv("ENTENTE_INDEX_CONFIG"), o.config} {
		if file == "" {
			continue
		}
		f, err := os.Open(file)
		if err != nil {
			return cfg, entente.Errorf(entente.EINVALID, "index config: %s", err)
		}
		err = cfg.ParseConfig(f, file)
		f.Close()
		if err != nil {
			return cfg, err
		}
	}
	for _, list := range []string{a.getenv("ENTENTE_INDEX_WEIGHTS"), o.weights} {
		if err := cfg.SetList(list); err != nil {
			return cfg, err
		}
	}
	return cfg, nil
}

// indexEngine opens the store and returns an engine over it; the caller closes the store.
func (a *app) indexEngine(ctx context.Context, o indexOptions) (*index.Engine, entente.Store, error) {
	cfg, err := a.indexConfig(o)
	if err != nil {
		return nil, nil, err
	}
	st, src, err := a.openIndexStore(ctx, o)
	if err != nil {
		return nil, nil, err
	}
	e := index.New(src, a.countries, bloc.Default(), cfg)
	if ds, ok := st.(*duckdb.Store); ok {
		// Read-only for the command's life: what the engine reads once holds.
		e.KeepFacts()
		if a.exits {
			// These commands open no other store: the process's exit releases this one.
			ds.LeaveOpen()
		}
	}
	return e, st, nil
}

// openIndexStore opens the store read-only, and what the engine reads from: the store,
// or, for a command of its own process on a DuckDB file, the store through its read
// cache (readcache; $ENTENTE_CACHE, docs/index.md), DuckDB then started only if a read
// is not kept. In-process callers (tests, serve) read the store.
func (a *app) openIndexStore(ctx context.Context, o indexOptions) (entente.Store, index.Source, error) {
	// The engine runs its many small reads side by side: DuckDB's own threads would
	// only add their cost (duckdb.Threads).
	opts := []duckdb.ReadOption{duckdb.Threads(1)}
	if o.noCache || !a.readsCached() {
		st, err := a.openExistingStore(ctx, opts...)
		return st, st, err
	}
	path, err := a.storePath()
	if err != nil {
		return nil, nil, err
	}
	ds, err := duckdb.OpenReadOnly(ctx, path, append(opts, duckdb.Deferred())...)
	if err != nil {
		return nil, nil, err
	}
	c, err := readcache.Open(ds, a.readCacheRoot(), path)
	if err != nil {
		return ds, ds, nil // the cache is a convenience: without it, the store
	}
	return ds, c, nil
}

// warmReadCache, after an import in a process of its own, keeps the reads of a rank at
// any date of the year of the store's last roll call (its default date) and of every
// state's coverage note (cache warm for that year), so that the index's commands that
// follow, for any focal state, find their reads kept rather than start DuckDB. It costs
// the import about a second on the full data; a failure here is left to those commands.
func (a *app) warmReadCache(ctx context.Context) {
	if !a.readsCached() {
		return
	}
	ws, err := a.openWarm(ctx)
	if err != nil {
		return
	}
	defer ws.ds.Close()
	if !ws.last.IsZero() {
		a.warmCache(ctx, ws.c, ws.cfg, ws.last.Year(), ws.last.Year(), nil)
	}
}

// readsCached reports whether the index's commands read through the read cache: in a
// process of their own (main), on a DuckDB file, with the cache on.
func (a *app) readsCached() bool {
	return a.exits && a.storeDSN() == "" && a.readCacheRoot() != ""
}

// readCacheRoot is where read caches live: $ENTENTE_CACHE, else entente/reads in the
// user cache dir; "" (no cache) for ENTENTE_CACHE=off or without a user cache dir.
func (a *app) readCacheRoot() string {
	switch v := a.getenv("ENTENTE_CACHE"); v {
	case "off":
		return ""
	case "":
		dir, err := os.UserCacheDir()
		if err != nil {
			return ""
		}
		return filepath.Join(dir, "entente", "reads")
	default:
		return v
	}
}

// indexAt opens the engine (indexEngine) and turns --at (or --until) into the exclusive
// end of the index's window: the end of the year, month or day given; without one, the
// day after the last roll call. The caller closes the store.
func (a *app) indexAt(ctx context.Context, o indexOptions, at string) (*index.Engine, entente.Store, time.Time, error) {
	var d *entente.DateSpec
	if at != "" {
		spec, err := entente.ParseDateSpec(at)
		if err != nil {
			return nil, nil, time.Time{}, usagef("--at: %s", err)
		}
		d = &spec
	}
	e, st, err := a.indexEngine(ctx, o)
	if err != nil {
		return nil, nil, time.Time{}, err
	}
	end, err := e.End(ctx, d)
	if err != nil {
		st.Close()
		return nil, nil, time.Time{}, err
	}
	return e, st, end, nil
}
