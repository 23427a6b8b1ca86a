package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/entente/entente"
	"github.com/entente/entente/duckdb"
	"github.com/entente/entente/index"
	"github.com/entente/entente/ingest/unvotes"
)

func init() {
	commands = append(commands, &command{
		name:    "import",
		summary: "import source files into the store (unvotes, gdelt, aid, atop, igo, ledger, ucdp, rivalry, mids, sipri)",
		usage: `Usage:
  entente import SOURCE PATH...

Reads files in their upstream formats into the store. PATH may be a file (plain or
gzip-compressed), a folder (its *.csv and *.csv.gz files) or a glob. Sources:
  unvotes   UN General Assembly roll-call votes: Voeten's long file (resid, ccode, date,
            year, vote), the unvotes package files (un_votes.csv, un_roll_calls.csv,
            un_roll_call_issues.csv) and UN Digital Library wide files (one column per
            state); each file's layout is found from its header (docs/sources.md).
  gdelt     GDELT 2.0 15-minute export and mentions files, GDELT 1.0 daily and back-file
            event files, plain or .zip as distributed (docs/events.md).
  aid       the Kiel Institute's Ukraine Support Tracker data explorer file.
  atop      ATOP alliance obligations, directed dyad-years (docs/ties.md).
  idealpoints  the published Bailey-Strezhnev-Voeten ideal points: the July 2025 release
            or the April 2020 issue files, layout from the header (docs/idealpoints.md).
  igo       COW IGO organisation memberships.
  ledger    entente's cited ledger of acts (data/ledger/*.yaml; docs/ledger.md): checked
            first, acts with errors are quarantined with file and line.
  ucdp      UCDP/PRIO armed conflict-years with the states on each side (docs/force.md).
  rivalry   strategic rivalries, Thompson-Sakuwa-Suhas or Thompson-Dreyer files.
  mids      Gibler-Miller-Little militarised disputes, directed dispute-years.
  sipri     the SIPRI arms-transfers trade register (Latin-1, with its preamble).
  force     any of the four above, each file's format told from its first lines.

An import is atomic: interrupted (Ctrl-C, kill -9) or failed before its commit, it
leaves the store as it was. Records already stored are counted as duplicates and not
added again, so importing a file twice adds nothing. Bad records (unknown state at the
date, bad vote code or date, wrong field count, non-UTF-8 bytes) are kept in the
quarantine with file, line and reason; the report accounts for every record read:
  read = imported + quarantined + duplicate.
After an import of UN votes, the yearly similarity signals of every dyad are recomputed
(after the commit, stamped with the votes they were built from); after one of events,
the dyad-month event aggregates of the months it touched (in its commit). Stopped
between the commit and the end of that recomputation (Ctrl-C, kill -9, a full disk), an
import says that its records were kept, and the next import of any source, or the same
one again, recomputes the signals (docs/reliability.md).

Examples:
  entente import unvotes ../shared/data/unvotes/voeten_votes_1946_2024.csv
  entente import unvotes ../shared/data/unvotes/
  entente import unvotes 'downloads/un_*.csv' --format json
  entente import gdelt ../shared/data/gdelt/v2/
  entente import atop ../shared/data/alliances/peacesciencer_atop_alliance.csv
  entente import idealpoints ../shared/data/idealpoints/IdealpointsJuly2025.csv
  entente import ledger data/ledger/
  entente import force ../shared/data/conflict/ ../shared/data/arms/
`,
		setup: func(fs *flag.FlagSet) func(context.Context, *app, []string) error {
			return func(ctx context.Context, a *app, args []string) error {
				if len(args) < 2 {
					return usagef("want a source and at least one path")
				}
				imp, ok := importers[args[0]]
				if !ok {
					return usagef("unknown source %q: want one of %s", args[0], strings.Join(sortedKeys(importers), ", "))
				}
				if err := imp(a, ctx, args[1:]); err != nil {
					return err
				}
				a.warmReadCache(ctx)
				return nil
			}
		},
	})
}

// importers maps a SOURCE of 'entente import' to its importer; each source's file adds
// itself in an init function.
var importers = map[string]func(a *app, ctx context.Context, paths []string) error{}

func init() { importers["unvotes"] = (*app).importUNVotes }

// expandPaths turns the PATH arguments into files: folders give their *.csv and
// *.csv.gz files, patterns are globbed; a path that matches nothing is an error.
func expandPaths(args []string) ([]string, error) {
	var out []string
	seen := map[string]bool{}
	add := func(p string) {
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	for _, arg := range args {
		fi, err := os.Stat(arg)
		switch {
		case err == nil && fi.IsDir():
			var found []string
			for _, pat := range []string{"*.csv", "*.csv.gz"} {
				m, _ := filepath.Glob(filepath.Join(arg, pat))
				found = append(found, m...)
			}
			if len(found) == 0 {
				return nil, entente.Errorf(entente.EINVALID, "%s: folder holds no *.csv or *.csv.gz file", arg)
			}
			sort.Strings(found)
			for _, f := range found {
				add(f)
			}
		case err == nil:
			add(arg)
		case strings.ContainsAny(arg, "*?["):
			m, gerr := filepath.Glob(arg)
			if gerr != nil || len(m) == 0 {
				return nil, entente.Errorf(entente.EINVALID, "%s: no file matches", arg)
			}
			for _, f := range m {
				add(f)
			}
		default:
			return nil, entente.Errorf(entente.EINVALID, "%s: %v", arg, errNotExist(err))
		}
	}
	return out, nil
}

func errNotExist(err error) string {
	if os.IsNotExist(err) {
		return "no such file or folder"
	}
	return err.Error()
}

func (a *app) importUNVotes(ctx context.Context, args []string) error {
	paths, err := expandPaths(args)
	if err != nil {
		return err
	}
	files := make([]unvotes.File, len(paths))
	for i, p := range paths {
		files[i] = unvotes.File{Path: p}
	}
	st, err := a.openStore(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	dates, err := st.RollCallDates(ctx, entente.SourceUNVotes)
	if err != nil {
		return err
	}
	bar := a.progress()
	start := time.Now()
	var results []unvotes.Result
	reports, err := st.ImportVotes(ctx, func(w entente.VoteWriter) error {
		var err error
		results, err = unvotes.Import(ctx, w, a.countries, files, unvotes.Options{KnownDates: dates, Progress: bar.Update})
		return err
	})
	bar.Done()
	if err != nil {
		return err
	}
	layouts := map[string]string{}
	for _, r := range results {
		layouts[r.File.Path] = r.Layout.String()
	}
	tot, err := a.writeImportReports(reports, layouts)
	if err != nil {
		return err
	}
	a.note("imported in %s", time.Since(start).Round(time.Millisecond))
	return a.afterImport(ctx, st, tot.Imported, tot.Imported > 0)
}

// writeImportReports prints one row per file (with its layout, if known) and, in a
// table, a total; notes go to stderr. It returns the totals.
func (a *app) writeImportReports(reports []entente.ImportReport, layouts map[string]string) (entente.ImportReport, error) {
	w := a.newRowWriter([]string{"file", "layout", "read", "imported", "quarantined", "duplicate"})
	var tot entente.ImportReport
	for _, r := range reports {
		if r.Read != r.Imported+r.Quarantined+r.Duplicate {
			return tot, entente.Errorf(entente.EINTERNAL, "BUG: %s: read %d != imported %d + quarantined %d + duplicate %d",
				r.File.Path, r.Read, r.Imported, r.Quarantined, r.Duplicate)
		}
		if err := w.Row(r.File.Path, layouts[r.File.Path], r.Read, r.Imported, r.Quarantined, r.Duplicate); err != nil {
			return tot, err
		}
		tot.Read += r.Read
		tot.Imported += r.Imported
		tot.Quarantined += r.Quarantined
		tot.Duplicate += r.Duplicate
	}
	if a.format == "table" && len(reports) > 1 {
		w.Row("total", "", tot.Read, tot.Imported, tot.Quarantined, tot.Duplicate)
	}
	if err := w.Close(); err != nil {
		return tot, err
	}
	for _, r := range reports {
		for _, n := range r.Notes {
			a.note("%s: %s", r.File.Path, n)
		}
	}
	if tot.Quarantined > 0 {
		a.note("%d records quarantined: see 'entente quarantine' for file, line and reason", tot.Quarantined)
	}
	return tot, nil
}

// stampedStore is a store that stamps its stored similarities, in the transaction that
// replaces them, with the generation of the votes they were built from, so that rows
// left out of date by an interrupted import are known to be (both stores;
// docs/reliability.md).
type stampedStore interface {
	// SimilarityStamp returns the generation of the stored votes (0: none) and the one
	// the stored yearly similarities were built from (stamped false: no stamp).
	SimilarityStamp(ctx context.Context) (votes, built int64, stamped bool, err error)
	// ReplaceSimilarityFrom is ReplaceSimilarity stamping the rows as built from
	// generation gen of the votes.
	ReplaceSimilarityFrom(ctx context.Context, by string, rows []entente.Similarity, gen int64) error
}

// afterImport brings the derived data up to date after an import committed imported
// new records (votesAdded: some of them votes or roll calls): the stored similarities
// are rebuilt when they are out of date, whether by this import or by an earlier one
// stopped between its commit and the rebuild (Ctrl-C, kill -9, a full disk). When the
// rebuild fails or is interrupted, the error says what is kept: the import's records
// are committed, whatever happens here.
func (a *app) afterImport(ctx context.Context, st entente.Store, imported int64, votesAdded bool) error {
	err := a.refreshDerived(ctx, st, votesAdded)
	if err == nil {
		return nil
	}
	kept := fmt.Sprintf("the %d new records of this import were committed", imported)
	if imported == 0 {
		kept = "this import added no record"
	}
	later := "they are marked out of date and the next import (of any source) rebuilds them"
	if _, ok := st.(stampedStore); !ok {
		later = "this store keeps no build stamp: the next import that adds votes rebuilds them"
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		// Not wrapped: the generic message of an interruption says nothing was changed.
		return fmt.Errorf("interrupted after the commit: %s; the stored similarities (un_similarity) were not rebuilt: %s", kept, later)
	}
	if isDiskFull(err) {
		return fmt.Errorf("the disk holding the store is full: %s, but the stored similarities (un_similarity) could not be rebuilt: %s once there is space (%v)", kept, later, err)
	}
	return fmt.Errorf("%s, but rebuilding the stored similarities (un_similarity) failed: %s (%v)", kept, later, err)
}

// isDiskFull reports whether err is a write that found no space left.
func isDiskFull(err error) bool {
	return errors.Is(err, syscall.ENOSPC) || strings.Contains(err.Error(), "No space left on device")
}

// refreshDerived rebuilds the stored similarities when they are out of date: for a
// store that stamps them, when their stamp differs from the votes' generation; for
// another, when votes were added.
func (a *app) refreshDerived(ctx context.Context, st entente.Store, votesAdded bool) error {
	ss, ok := st.(stampedStore)
	if !ok {
		if !votesAdded {
			return nil
		}
		return a.refreshUNSignals(ctx, st, nil, 0, "")
	}
	// Read even when interrupted: whether there is anything left to do decides what
	// the interruption kept.
	votes, built, stamped, err := ss.SimilarityStamp(context.WithoutCancel(ctx))
	if err != nil {
		return err
	}
	why := ""
	switch {
	case stamped && built == votes, !stamped && votes == 0:
		return nil
	case votesAdded:
		// out of date because of this import: the usual rebuild
	case stamped:
		why = fmt.Sprintf("un_similarity was out of date (built from vote generation %d, votes at %d): rebuilt", built, votes)
	default:
		why = fmt.Sprintf("un_similarity had no build stamp (votes at generation %d; built by an older entente, or never): rebuilt", votes)
	}
	return a.refreshUNSignals(ctx, st, ss, votes, why)
}

// testHook calls duckdb.TestHook, the points of the kill and interrupt tests, at the
// command's own points: "derive" (the import committed, the derivation not begun) and
// "derived" (the similarity rows computed, not yet stored).
func testHook(point string, n int64) {
	if duckdb.TestHook != nil {
		duckdb.TestHook(point, n)
	}
}

// refreshUNSignals stores the yearly similarity of every dyad, as the engine computes
// it over every stored roll call (the API's dyad series reads it; docs/architecture.md),
// stamped as built from generation gen of the votes when ss is not nil. why, when not
// empty, is the note that says why it was out of date.
func (a *app) refreshUNSignals(ctx context.Context, st entente.Store, ss stampedStore, gen int64, why string) error {
	start := time.Now()
	testHook("derive", 0)
	rows, n, err := index.New(st, a.countries, nil, index.DefaultConfig()).UNSignals(ctx)
	if err != nil {
		return err
	}
	testHook("derived", int64(len(rows)))
	if ss != nil {
		err = ss.ReplaceSimilarityFrom(ctx, "year", rows, gen)
	} else {
		err = st.ReplaceSimilarity(ctx, "year", rows)
	}
	if err != nil {
		return fmt.Errorf("store similarity signals: %w", err)
	}
	if why != "" {
		a.note("%s", why)
	}
	a.note("similarity signals: %d dyad-years from %d roll calls in %s", len(rows), n, time.Since(start).Round(time.Millisecond))
	return nil
}
