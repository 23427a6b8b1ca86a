package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	nethttp "net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/entente/entente"
	srcsync "github.com/entente/entente/sync"
)

func init() {
	commands = append(commands, &command{
		name:    "up",
		summary: "sync the sources (or link a mirror), import everything present, then serve",
		usage: `Usage:
  entente up [--mirror DIR] [--addr 127.0.0.1:8080] [--data DIR] [--ledger DIR] [--offline]

The main job, in one command:
  1. sync    fetch the official sources into the data dir, as 'entente sync' does
             (without a date range GDELT is left out), or, with --mirror DIR or
             $ENTENTE_MIRROR, link them from a local folder in the same layout (such as
             ../shared/data); --offline skips this step;
  2. import  every source present in the data dir: unvotes/, gdelt/v2/ and gdelt/v1/,
             aid/ (the tracker's data explorer file), alliances/ (ATOP dyad-years),
             igo/ (COW IGO memberships), conflict/ and arms/ (UCDP, rivalries, MIDs,
             SIPRI: the force signals), idealpoints/ (the published ideal points) and
             the cited ledger (--ledger, default data/ledger in the current folder: run
             it from the repository); conflict/, arms/ and idealpoints/ are not in the
             download catalogue yet and are read from the mirror in place;
  3. compute the UN similarity signals (done by the import when votes are new) and warm
             the index of --warm (its ranking and yearly series), so the first page is fast;
  4. serve   the dashboard and the API, as 'entente serve' does, until Ctrl-C.

It is idempotent: a second run links or skips what is in place and its imports report
every record as a duplicate, adding nothing. A source that fails to sync or import is
reported and left out; the rest is served. Progress and reports go to stderr.

Examples:
  entente up --mirror ../shared/data
  ENTENTE_MIRROR=../shared/data entente up --addr :8080
  entente up --offline
`,
		setup: func(fs *flag.FlagSet) func(context.Context, *app, []string) error {
			o := &upOptions{}
			fs.StringVar(&o.addr, "addr", "127.0.0.1:8080", "address to listen on: host:port")
			fs.StringVar(&o.mirror, "mirror", "", "link the sources from this local folder (default $ENTENTE_MIRROR)")
			fs.StringVar(&o.data, "data", "", "data dir (default $ENTENTE_DATA, else data/ next to the store)")
			fs.StringVar(&o.ledger, "ledger", "", "folder of ledger files (default data/ledger, when present)")
			fs.BoolVar(&o.offline, "offline", false, "skip the sync: import what is in the data dir")
			fs.StringVar(&o.warm, "warm", "RUS", "state whose ranking and series are computed before the first request ('' for none)")
			fs.BoolVar(&o.noServe, "no-serve", false, "stop after the import (for scripts and tests)")
			return func(ctx context.Context, a *app, args []string) error {
				if len(args) > 0 {
					return usagef("unexpected argument %q", args[0])
				}
				return a.up(ctx, o)
			}
		},
	})
}

type upOptions struct {
	addr, mirror, data, ledger, warm string
	offline, noServe                 bool
}

// upImport is one import of 'entente up': a source of 'entente import' and where its
// files lie in the data dir.
type upImport struct {
	source string
	// find returns the paths to import (files or folders), none when the source is absent.
	find func(dataDir string) []string
}

// upImports lists the imports in order: votes first (the index's date comes from
// them), the ledger last. Paths follow the catalogue's layout (docs/sync.md).
var upImports = []upImport{
	{"unvotes", dirsWith([]string{"unvotes"}, ".csv", ".csv.gz")},
	{"gdelt", dirsWith([]string{"gdelt/v2", "gdelt/v1"}, gdeltExts...)},
	{"aid", firstGlob("aid/*data_explorer*.csv")},
	{"atop", firstGlob("alliances/*atop*.csv", "alliances/*dyad*.csv")},
	{"igo", firstGlob("igo/*COW_MEM_memberships*.csv", "igo/state_year*.csv")},
	// Not in the download catalogue (no upstream URL checked yet, docs/sync.md): read
	// from the data dir when there, else from the mirror in place.
	{"force", dirsWith([]string{"conflict", "arms"}, ".csv")},
	{"idealpoints", firstGlob("idealpoints/Idealpoints*.csv")},
}

// notCatalogued are the sources up reads from the mirror in place when sync did not
// bring them into the data dir.
var notCatalogued = map[string]bool{"force": true, "idealpoints": true}

// dirsWith returns the folders under the data dir that hold a file ending in one of exts.
func dirsWith(dirs []string, exts ...string) func(string) []string {
	return func(dataDir string) []string {
		var out []string
		for _, d := range dirs {
			p := filepath.Join(dataDir, filepath.FromSlash(d))
			entries, err := os.ReadDir(p)
			if err != nil {
				continue
			}
		found:
			for _, e := range entries {
				name := strings.ToLower(e.Name())
				for _, x := range exts {
					if strings.HasSuffix(name, x) {
						out = append(out, p)
						break found
					}
				}
			}
		}
		return out
	}
}

// firstGlob returns the files of the first pattern that matches any.
func firstGlob(patterns ...string) func(string) []string {
	return func(dataDir string) []string {
		for _, pat := range patterns {
			if m, _ := filepath.Glob(filepath.Join(dataDir, filepath.FromSlash(pat))); len(m) > 0 {
				return m
			}
		}
		return nil
	}
}

func (a *app) up(ctx context.Context, o *upOptions) error {
	start := time.Now()
	dataDir, err := a.dataDir(o.data)
	if err != nil {
		return err
	}
	if o.mirror == "" {
		o.mirror = a.getenv("ENTENTE_MIRROR")
	}
	if o.offline {
		a.progressf("1/4 sync: skipped (--offline); data dir %s", dataDir)
	} else if err := a.upSync(ctx, dataDir, o.mirror); err != nil {
		return err
	}
	if err := a.upImport(ctx, dataDir, o.mirror, o.ledger); err != nil {
		return err
	}
	if a.readsCached() {
		// The command line beside the dashboard reads through the read cache: every
		// year's reads kept, its ranks start no DuckDB (entente cache warm).
		t := time.Now()
		if err := a.warmAll(ctx); err != nil {
			a.progressf("3/4 cache warm failed, left out (the command line reads the store): %v", err)
		} else {
			a.progressf("3/4 cache warm: the reads of a rank at any date kept for the command line, in %s", time.Since(t).Round(time.Millisecond))
		}
	}
	a.progressf("ready in %s", time.Since(start).Round(time.Millisecond))
	if o.noServe {
		return nil
	}
	return a.serve(ctx, o.addr, nil, func(url string) {
		if o.warm != "" {
			go a.warm(ctx, url, o.warm)
		}
	})
}

// progressf writes a step of 'entente up' on stderr (even under --quiet, which only
// silences the reports and bars of each step).
func (a *app) progressf(format string, args ...any) {
	fmt.Fprintf(a.stderr, "entente up: "+format+"\n", args...)
}

func (a *app) upSync(ctx context.Context, dataDir, mirror string) error {
	cat, err := a.catalogue("")
	if err != nil {
		return err
	}
	s := &srcsync.Syncer{DataDir: dataDir, Mirror: mirror, Notef: a.note, Now: a.now}
	srcs, err := a.syncSources(cat, "", s)
	if err != nil {
		return err
	}
	if mirror != "" {
		a.progressf("1/4 sync: linking %s into %s", mirror, dataDir)
	} else {
		a.progressf("1/4 sync: fetching the official sources into %s (GDELT needs 'entente sync --from'; --mirror DIR reads a local copy)", dataDir)
	}
	bar := a.progress()
	s.Progress = func(p srcsync.Progress) { bar.Update(p.Path, p.AllDone, p.AllTotal) }
	results, err := s.Sync(ctx, srcs)
	bar.Done()
	if errors.Is(err, context.Canceled) || ctx.Err() != nil {
		return ctx.Err()
	}
	if len(results) == 0 && err != nil {
		return err
	}
	a.progressf("1/4 sync: %s", summarise(results))
	for _, r := range results {
		if r.Status == srcsync.StatusFailed {
			a.progressf("1/4 sync: %s %s failed, left out: %v", r.Source, r.File.Path, r.Err)
		}
	}
	return nil
}

func (a *app) upImport(ctx context.Context, dataDir, mirror, ledgerDir string) error {
	// The import reports are progress here: they go to stderr, stdout stays empty.
	stdout := a.stdout
	a.stdout = a.stderr
	defer func() { a.stdout = stdout }()
	if a.quiet {
		a.stdout = io.Discard
	}
	steps := upImports
	if ledgerDir == "" {
		if fi, err := os.Stat(filepath.Join("data", "ledger")); err == nil && fi.IsDir() {
			ledgerDir = filepath.Join("data", "ledger")
		}
	}
	if ledgerDir != "" {
		dir := ledgerDir
		steps = append(steps[:len(steps):len(steps)], upImport{"ledger", func(string) []string { return []string{dir} }})
	} else {
		a.progressf("2/4 import ledger: no data/ledger folder here: run from the repository or give --ledger DIR")
	}
	failed := 0
	for _, step := range steps {
		paths := step.find(dataDir)
		if len(paths) == 0 && mirror != "" && notCatalogued[step.source] {
			paths = step.find(mirror)
		}
		if len(paths) == 0 {
			a.progressf("2/4 import %s: nothing in %s, left out", step.source, dataDir)
			continue
		}
		a.progressf("2/4 import %s: %s", step.source, strings.Join(paths, " "))
		t := time.Now()
		err := importers[step.source](a, ctx, paths)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if err != nil {
			failed++
			a.progressf("2/4 import %s failed, left out: %v", step.source, err)
			if entente.ErrorCode(err) == entente.EINTERNAL && !isInputError(err) {
				return err
			}
			continue
		}
		a.progressf("2/4 import %s: done in %s", step.source, time.Since(t).Round(time.Millisecond))
	}
	if failed > 0 {
		a.progressf("2/4 import: %d sources failed (above); serving the rest", failed)
	}
	a.progressf("3/4 compute: UN similarity signals are up to date; the index is computed per request and cached")
	return nil
}

// isInputError reports whether err is about a file rather than the store: a missing
// or unreadable file, which leaves the source out but does not stop 'entente up'.
func isInputError(err error) bool {
	var pe *os.PathError
	return errors.As(err, &pe)
}

// warm asks the server for focal's ranking and yearly series, so they are cached
// before the first page asks.
func (a *app) warm(ctx context.Context, url, focal string) {
	t := time.Now()
	for _, path := range []string{"/api/v1/rank/" + focal, "/api/v1/drift/" + focal} {
		req, err := nethttp.NewRequestWithContext(ctx, nethttp.MethodGet, url+path, nil)
		if err != nil {
			return
		}
		resp, err := nethttp.DefaultClient.Do(req)
		if err != nil {
			return
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != nethttp.StatusOK {
			a.progressf("4/4 warm %s: %s", path, resp.Status)
			return
		}
	}
	a.progressf("4/4 warm: %s's ranking and series computed in %s", focal, time.Since(t).Round(time.Millisecond))
}
