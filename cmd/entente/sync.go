package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/entente/entente"
	srcsync "github.com/entente/entente/sync"
)

func init() {
	commands = append(commands, &command{
		name:    "sync",
		summary: "fetch the official sources into the data dir (or link them from a mirror)",
		usage: `Usage:
  entente sync [--only SOURCES] [--from DATE --to DATE] [--mirror DIR] [--data DIR]

Fetches the official sources into the data dir, in the layout of ../shared/data:
  unvotes   Voeten's UN General Assembly votes, Harvard Dataverse doi:10.7910/DVN/LEJUQZ -> unvotes/
  gdelt2    GDELT 2.0 15-minute export and mentions files of --from..--to      -> gdelt/v2/
  gdelt1    GDELT 1.0 daily (monthly, yearly before 2013-04) event files         -> gdelt/v1/
  atop      ATOP 5.1 alliance data                                               -> alliances/
  igo       COW IGO v3 memberships                                               -> igo/
  aid       Kiel Institute Ukraine Support Tracker                               -> aid/
('gdelt' names gdelt2.) GDELT is fetched only for a date range; without --from it is
left out, unless named in --only, which is then an error.

Downloads go to FILE.part and are renamed into place only when complete and checked
against the size or MD5 upstream publishes (GDELT's master file list, GDELT 1.0's
md5sums, the Dataverse file listing); an interrupted run resumes its .part files with
HTTP Range requests, and a second run skips what is there and verified. 5xx answers and
dropped connections are retried with backoff.

With --mirror DIR (or $ENTENTE_MIRROR), the same layout is read from a local folder and
its files are linked into the data dir (symbolic links, no copy; --copy copies instead).
The catalogue of URLs is built in (docs/sync.md says which URLs are assumed); --catalogue
FILE (or $ENTENTE_CATALOGUE) overrides it with a JSON file.

The data dir is --data, else $ENTENTE_DATA, else the folder "data" next to the store.
Every file is listed with what was done; the exit code is 1 if any file failed.

Examples:
  entente sync --mirror ../shared/data
  entente sync --only unvotes,atop,igo,aid
  entente sync --only gdelt --from 2024-08-19 --to 2024-08-19
  entente sync --list
`,
		setup: func(fs *flag.FlagSet) func(context.Context, *app, []string) error {
			o := &syncOptions{}
			fs.StringVar(&o.mirror, "mirror", "", "read the sources from this local folder (default $ENTENTE_MIRROR)")
			fs.StringVar(&o.only, "only", "", "comma-separated sources: unvotes, gdelt2 (gdelt), gdelt1, atop, igo, aid")
			fs.StringVar(&o.from, "from", "", "first day of GDELT files to fetch: YYYY, YYYY-MM or YYYY-MM-DD")
			fs.StringVar(&o.to, "to", "", "last day of GDELT files to fetch (default: now)")
			fs.StringVar(&o.data, "data", "", "data dir (default $ENTENTE_DATA, else data/ next to the store)")
			fs.StringVar(&o.catalogue, "catalogue", "", "JSON file overriding the built-in catalogue (default $ENTENTE_CATALOGUE)")
			fs.BoolVar(&o.copy, "copy", false, "with --mirror: copy files instead of linking them")
			fs.BoolVar(&o.list, "list", false, "print the catalogue and exit")
			fs.IntVar(&o.jobs, "jobs", 3, "parallel downloads (1-8)")
			return func(ctx context.Context, a *app, args []string) error {
				if len(args) > 0 {
					return usagef("unexpected argument %q", args[0])
				}
				return a.sync(ctx, o)
			}
		},
	})
}

type syncOptions struct {
	mirror, only, from, to, data, catalogue string
	copy, list                              bool
	jobs                                    int
}

func (a *app) sync(ctx context.Context, o *syncOptions) error {
	cat, err := a.catalogue(o.catalogue)
	if err != nil {
		return err
	}
	if o.list {
		return a.writeCatalogue(cat)
	}
	s := &srcsync.Syncer{Copy: o.copy, Concurrency: o.jobs, Notef: a.note, Now: a.now}
	if o.jobs < 1 || o.jobs > 8 {
		return usagef("--jobs %d: want 1 to 8", o.jobs)
	}
	if s.DataDir, err = a.dataDir(o.data); err != nil {
		return err
	}
	s.Mirror = o.mirror
	if s.Mirror == "" {
		s.Mirror = a.getenv("ENTENTE_MIRROR")
	}
	if o.copy && s.Mirror == "" {
		return usagef("--copy needs --mirror")
	}
	if err := parseSyncRange(s, o.from, o.to); err != nil {
		return err
	}
	srcs, err := a.syncSources(cat, o.only, s)
	if err != nil {
		return err
	}
	if s.Mirror != "" {
		a.note("data dir %s, linking from the mirror %s", s.DataDir, s.Mirror)
	} else {
		a.note("data dir %s", s.DataDir)
	}
	bar := a.progress()
	s.Progress = func(p srcsync.Progress) { bar.Update(p.Path, p.AllDone, p.AllTotal) }
	start := time.Now()
	results, err := s.Sync(ctx, srcs)
	bar.Done()
	if len(results) == 0 && err != nil {
		return err
	}
	if werr := a.writeSyncResults(s.DataDir, results); werr != nil {
		return werr
	}
	if errors.Is(err, context.Canceled) {
		return err
	}
	a.note("%s in %s", summarise(results), time.Since(start).Round(time.Millisecond))
	if n := unverified(results); n > 0 {
		a.note("%d files unverified (verified -): upstream publishes no size or checksum for them", n)
	}
	return syncFailures(results, err)
}

// catalogue returns the built-in catalogue, overlaid by the file named by --catalogue
// or $ENTENTE_CATALOGUE.
func (a *app) catalogue(file string) ([]srcsync.Source, error) {
	if file == "" {
		file = a.getenv("ENTENTE_CATALOGUE")
	}
	cat := srcsync.Catalogue()
	if file == "" {
		return cat, nil
	}
	f, err := os.Open(file)
	if err != nil {
		return nil, entente.Errorf(entente.EINVALID, "catalogue: %v", err)
	}
	defer f.Close()
	cat, err = srcsync.LoadCatalogue(f, cat)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	return cat, nil
}

// dataDir is --data, $ENTENTE_DATA, or the folder data next to the store.
func (a *app) dataDir(flagValue string) (string, error) {
	if flagValue != "" {
		return flagValue, nil
	}
	if d := a.getenv("ENTENTE_DATA"); d != "" {
		return d, nil
	}
	store, err := a.storePath()
	if err != nil {
		return "", err
	}
	return filepath.Join(filepath.Dir(store), "data"), nil
}

func parseSyncRange(s *srcsync.Syncer, from, to string) error {
	if from != "" {
		d, err := entente.ParseDateSpec(from)
		if err != nil {
			return usagef("--from: %s", err)
		}
		s.From = d.Start
	}
	if to != "" {
		if from == "" && s.Mirror == "" {
			return usagef("--to needs --from")
		}
		d, err := entente.ParseDateSpec(to)
		if err != nil {
			return usagef("--to: %s", err)
		}
		s.To = d.End
	}
	if !s.To.IsZero() && !s.To.After(s.From) {
		return usagef("--to %s is before --from %s", to, from)
	}
	return nil
}

// syncSources selects the sources of --only. Without --only, dated sources (GDELT) are
// left out when there is no date range to fetch, with a note; named in --only, that is
// a usage error. A mirror needs no range: it is linked whole.
func (a *app) syncSources(cat []srcsync.Source, only string, s *srcsync.Syncer) ([]srcsync.Source, error) {
	var names []string
	for _, n := range strings.Split(only, ",") {
		switch n = strings.ToLower(strings.TrimSpace(n)); n {
		case "":
		case "gdelt":
			names = append(names, "gdelt2")
		default:
			names = append(names, n)
		}
	}
	srcs, err := srcsync.Select(cat, names)
	if err != nil {
		return nil, usagef("--only: %s", err)
	}
	if s.Mirror != "" || !s.From.IsZero() {
		return srcs, nil
	}
	var out []srcsync.Source
	for _, src := range srcs {
		if !src.Dated {
			out = append(out, src)
			continue
		}
		if len(names) > 0 {
			return nil, usagef("%s needs --from (and --to): the full archive is hundreds of gigabytes", src.Name)
		}
		a.note("%s left out: give --from and --to to fetch its files of a date range", src.Name)
	}
	return out, nil
}

func (a *app) writeSyncResults(dataDir string, results []srcsync.Result) error {
	w := a.newRowWriter([]string{"source", "file", "status", "verified", "bytes", "detail"})
	for _, r := range results {
		detail := r.Note
		if r.Err != nil {
			detail = r.Err.Error()
		}
		var verified any
		if r.Verified != "" {
			verified = r.Verified
		}
		if err := w.Row(r.Source, r.File.Path, string(r.Status), verified, r.Bytes, detail); err != nil {
			return err
		}
	}
	return w.Close()
}

func summarise(results []srcsync.Result) string {
	n := map[srcsync.Status]int{}
	for _, r := range results {
		n[r.Status]++
	}
	var parts []string
	for _, st := range []srcsync.Status{srcsync.StatusFetched, srcsync.StatusResumed, srcsync.StatusLinked, srcsync.StatusCopied,
		srcsync.StatusSkipped, srcsync.StatusAbsent, srcsync.StatusFailed} {
		if n[st] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n[st], st))
		}
	}
	if len(parts) == 0 {
		return "nothing to do"
	}
	return strings.Join(parts, ", ")
}

func unverified(results []srcsync.Result) int {
	n := 0
	for _, r := range results {
		switch r.Status {
		case srcsync.StatusFailed, srcsync.StatusAbsent:
		default:
			if r.Verified == "" {
				n++
			}
		}
	}
	return n
}

// syncFailures turns the failed results into one error that lists their URLs.
func syncFailures(results []srcsync.Result, err error) error {
	var urls []string
	for _, r := range results {
		if r.Status == srcsync.StatusFailed {
			urls = append(urls, "  "+r.File.URL)
		}
	}
	if len(urls) == 0 {
		return err // nil, or a failure with no file to name
	}
	return fmt.Errorf("%d failed (details in the table above):\n%s", len(urls), strings.Join(urls, "\n"))
}

func (a *app) writeCatalogue(cat []srcsync.Source) error {
	w := a.newRowWriter([]string{"source", "dir", "kind", "url", "license", "assumed"})
	for _, s := range cat {
		urls := []string{s.Index}
		if s.Kind == srcsync.KindFiles {
			urls = urls[:0]
			for _, f := range s.Files {
				urls = append(urls, f.URL)
			}
		}
		if s.Kind == srcsync.KindDataverse {
			urls = []string{s.Index + " " + s.DOI + " " + strings.Join(s.Pick, " ")}
		}
		for _, u := range urls {
			var assumed any
			if s.Assumed != "" {
				assumed = s.Assumed
			}
			if err := w.Row(s.Name, s.Dir+"/", s.Kind, u, s.License, assumed); err != nil {
				return err
			}
		}
	}
	return w.Close()
}
