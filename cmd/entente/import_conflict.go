package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/entente/entente"
	"github.com/entente/entente/country"
	"github.com/entente/entente/ingest/inputfile"
	"github.com/entente/entente/ingest/mids"
	"github.com/entente/entente/ingest/rivalry"
	"github.com/entente/entente/ingest/sipri"
	"github.com/entente/entente/ingest/ucdp"
)

// The force sources of 'entente import' (docs/force.md): UCDP conflict-years, strategic
// rivalries, MID dispute-years and the SIPRI trade register, and "force", which takes
// any of their files and tells them apart by their first lines. Each import is one
// atomic, idempotent ImportConflict call.
func init() {
	importers["ucdp"] = func(a *app, ctx context.Context, args []string) error { return a.importForce(ctx, "ucdp", args) }
	importers["rivalry"] = func(a *app, ctx context.Context, args []string) error { return a.importForce(ctx, "rivalry", args) }
	importers["mids"] = func(a *app, ctx context.Context, args []string) error { return a.importForce(ctx, "mids", args) }
	importers["sipri"] = func(a *app, ctx context.Context, args []string) error { return a.importForce(ctx, "sipri", args) }
	importers["force"] = func(a *app, ctx context.Context, args []string) error { return a.importForce(ctx, "", args) }
}

// sniffForce tells the force format of a file from its first lines: "" if none. A file
// that cannot be read (a named pipe, a device, unreadable) is an error, as in the import.
func sniffForce(ctx context.Context, path string) (string, error) {
	f, err := inputfile.Raw(ctx, inputfile.File{Path: path})
	if err != nil {
		return "", err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for n := 0; n < sipri.MaxPreamble && sc.Scan(); n++ {
		line := sc.Bytes()
		switch {
		case bytes.HasPrefix(line, []byte("Recipient,Supplier,")):
			return "sipri", nil
		case bytes.Contains(line, []byte(`"conflict_id"`)) || bytes.HasPrefix(line, []byte("conflict_id,")):
			return "ucdp", nil
		case bytes.Contains(line, []byte("dispnum")):
			return "mids", nil
		case bytes.Contains(line, []byte("tssr_id")) || bytes.Contains(line, []byte("rivalryno")):
			return "rivalry", nil
		}
	}
	return "", sc.Err()
}

// importForce imports files of one force format (kind), or of any when kind is "".
func (a *app) importForce(ctx context.Context, kind string, args []string) error {
	paths, err := expandPaths(args)
	if err != nil {
		return err
	}
	byKind := map[string][]string{}
	layouts := map[string]string{}
	for _, p := range paths {
		k := kind
		if k == "" {
			if k, err = sniffForce(ctx, p); err != nil && !errors.Is(err, bufio.ErrTooLong) {
				return err
			} else if k == "" {
				return usagef("%s: not a UCDP, rivalry, MID or SIPRI file (docs/force.md)", p)
			}
		}
		byKind[k] = append(byKind[k], p)
		layouts[p] = k
	}
	files := func(k string) []ucdp.File {
		var out []ucdp.File
		for _, p := range byKind[k] {
			out = append(out, ucdp.File{Path: p})
		}
		return out
	}
	st, err := a.openStore(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	start := time.Now()
	reports, err := st.ImportConflict(ctx, func(w entente.ConflictWriter) error { return a.fillForce(ctx, w, files) })
	if err != nil {
		return fmt.Errorf("import: %w", err)
	}
	tot, err := a.writeImportReports(reports, layouts)
	if err != nil {
		return err
	}
	a.note("imported in %s", time.Since(start).Round(time.Millisecond))
	return a.afterImport(ctx, st, tot.Imported, false)
}

// fillForce imports the files of each force format through w.
func (a *app) fillForce(ctx context.Context, w entente.ConflictWriter, files func(kind string) []ucdp.File) error {
	if fs := files("ucdp"); len(fs) > 0 {
		if _, err := ucdp.Import(ctx, w, country.DefaultGW(), fs); err != nil {
			return err
		}
	}
	if fs := files("rivalry"); len(fs) > 0 {
		if _, err := rivalry.Import(ctx, w, fs); err != nil {
			return err
		}
	}
	if fs := files("mids"); len(fs) > 0 {
		if _, err := mids.Import(ctx, w, fs); err != nil {
			return err
		}
	}
	if fs := files("sipri"); len(fs) > 0 {
		if _, err := sipri.Import(ctx, w, a.countries, fs); err != nil {
			return err
		}
	}
	return nil
}
