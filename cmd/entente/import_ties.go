package main

import (
	"context"
	"time"

	"github.com/entente/entente"
	"github.com/entente/entente/ingest/atop"
	"github.com/entente/entente/ingest/igo"
	"github.com/entente/entente/ingest/ledger"
)

// The formal-tie sources of 'entente import': ATOP alliances, COW IGO memberships and
// the cited ledger. Each import is one atomic, idempotent
// ImportTies call.
func init() {
	importers["atop"] = (*app).importATOP
	importers["igo"] = (*app).importIGO
	importers["ledger"] = (*app).importLedger
}

func (a *app) importATOP(ctx context.Context, args []string) error {
	paths, err := expandPaths(args)
	if err != nil {
		return err
	}
	files := make([]atop.File, len(paths))
	for i, p := range paths {
		files[i] = atop.File{Path: p}
	}
	return a.importTies(ctx, "atop dyad-year", func(w entente.TieWriter) error {
		_, err := atop.Import(ctx, w, files)
		return err
	})
}

func (a *app) importIGO(ctx context.Context, args []string) error {
	paths, err := expandPaths(args)
	if err != nil {
		return err
	}
	files := make([]igo.File, len(paths))
	for i, p := range paths {
		files[i] = igo.File{Path: p}
	}
	return a.importTies(ctx, "cowigo spells", func(w entente.TieWriter) error {
		_, err := igo.Import(ctx, w, a.countries, files, igo.Options{})
		return err
	})
}

func (a *app) importLedger(ctx context.Context, args []string) error {
	now := a.now()
	return a.importTies(ctx, "ledger", func(w entente.TieWriter) error {
		_, err := ledger.Import(ctx, w, a.countries, args, ledger.Options{Now: now})
		return err
	})
}

// importTies runs one ties import and writes its reports.
func (a *app) importTies(ctx context.Context, layout string, fill func(entente.TieWriter) error) error {
	st, err := a.openStore(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	start := time.Now()
	reports, err := st.ImportTies(ctx, fill)
	if err != nil {
		return err
	}
	layouts := map[string]string{}
	for _, r := range reports {
		layouts[r.File.Path] = layout
	}
	tot, err := a.writeImportReports(reports, layouts)
	if err != nil {
		return err
	}
	a.note("imported in %s", time.Since(start).Round(time.Millisecond))
	return a.afterImport(ctx, st, tot.Imported, false)
}
