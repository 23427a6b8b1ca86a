package main

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/entente/entente"
	"github.com/entente/entente/ingest/aid"
	"github.com/entente/entente/ingest/gdelt"
)

// 'entente import gdelt' and 'entente import aid': event and aid records into the
// event store (docs/events.md).

func init() {
	importers["gdelt"] = (*app).importGDELT
	importers["aid"] = (*app).importAid
}

// expandEventPaths turns PATH arguments into files as expandPaths does, except that a
// folder gives its files whose names end with one of exts (any case), not recursing.
func expandEventPaths(args []string, exts []string) ([]string, error) {
	var out []string
	seen := map[string]bool{}
	for _, arg := range args {
		var found []string
		if fi, err := os.Stat(arg); err == nil && fi.IsDir() {
			entries, err := os.ReadDir(arg)
			if err != nil {
				return nil, err
			}
			for _, e := range entries {
				name := strings.ToLower(e.Name())
				for _, x := range exts {
					if !e.IsDir() && strings.HasSuffix(name, x) {
						found = append(found, filepath.Join(arg, e.Name()))
						break
					}
				}
			}
			if len(found) == 0 {
				return nil, entente.Errorf(entente.EINVALID, "%s: folder holds no %s file", arg, strings.Join(exts, ", "))
			}
			sort.Strings(found)
		} else {
			var err error
			if found, err = expandPaths([]string{arg}); err != nil {
				return nil, err
			}
		}
		for _, f := range found {
			if !seen[f] {
				seen[f] = true
				out = append(out, f)
			}
		}
	}
	return out, nil
}

// gdeltExts are the file names a folder gives to 'import gdelt': upstream's .CSV and
// .CSV.zip, and the .tsv copies some mirrors use.
var gdeltExts = []string{".csv", ".csv.zip", ".tsv", ".zip"}

func (a *app) importGDELT(ctx context.Context, args []string) error {
	paths, err := expandEventPaths(args, gdeltExts)
	if err != nil {
		return err
	}
	files := make([]gdelt.File, len(paths))
	for i, p := range paths {
		files[i] = gdelt.File{Path: p}
	}
	st, err := a.openStore(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	bar := a.progress()
	start := time.Now()
	var results []gdelt.Result
	reports, err := st.ImportEvents(ctx, func(w entente.EventWriter) error {
		var err error
		results, err = gdelt.Import(ctx, w, a.countries, files, gdelt.Options{Progress: bar.Update})
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
	a.note("imported and dyad-month event signals updated in %s", time.Since(start).Round(time.Millisecond))
	return a.afterImport(ctx, st, tot.Imported, false)
}

// aidExts are the file names a folder gives to 'import aid': the data explorer file
// (the tracker's other files hold totals and weapons lists, not donor-months).
var aidExts = []string{"data_explorer.csv"}

func (a *app) importAid(ctx context.Context, args []string) error {
	paths, err := expandEventPaths(args, aidExts)
	if err != nil {
		return err
	}
	var opt aid.Options
	var files []aid.File
	for _, p := range paths {
		if filepath.Base(p) == aid.ReleaseFile { // given explicitly: the release of the others
			r, err := aid.LoadRelease(p)
			if err != nil {
				return err
			}
			opt.Release = &r
			continue
		}
		files = append(files, aid.File{Path: p})
	}
	if len(files) == 0 {
		return usagef("no data explorer file among %s", strings.Join(args, " "))
	}
	st, err := a.openStore(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	start := time.Now()
	var results []aid.Result
	reports, err := st.ImportEvents(ctx, func(w entente.EventWriter) error {
		var err error
		results, err = aid.Import(ctx, w, a.countries, files, opt)
		return err
	})
	if err != nil {
		return err
	}
	layouts := map[string]string{}
	for _, r := range results {
		layouts[r.File.Path] = r.Release.Citation().Title
	}
	tot, err := a.writeImportReports(reports, layouts)
	if err != nil {
		return err
	}
	a.note("imported in %s", time.Since(start).Round(time.Millisecond))
	return a.afterImport(ctx, st, tot.Imported, false)
}
