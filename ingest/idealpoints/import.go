package idealpoints

import (
	"context"
	"fmt"

	"github.com/entente/entente"
	"github.com/entente/entente/ingest/inputfile"
)

// File is one input file of an import; see inputfile.File.
type File = inputfile.File

// Result accounts for one file of an import. Read counts every record passed to the
// writer, so the store's Imported + Quarantined + Duplicate equals it.
type Result struct {
	File  entente.ImportFile
	Read  int64
	Stats Stats
	Notes []string
}

// Import maps published ideal-point files into w, one file between w.StartFile and
// w.FinishFile: each *Row becomes one record with its points, each *BadRow a quarantined
// record with file, line, field and reason. A file-level fault, an error of w or a
// cancelled ctx stops the import with an error; the store then drops all of it.
func Import(ctx context.Context, w entente.IdealPointWriter, files []File) ([]Result, error) {
	var out []Result
	for _, f := range files {
		if err := ctx.Err(); err != nil {
			return out, err
		}
		res, err := importFile(ctx, w, f)
		if err != nil {
			return out, fmt.Errorf("import idealpoints %s: %w", f.Path, err)
		}
		out = append(out, res)
	}
	return out, nil
}

func importFile(ctx context.Context, w entente.IdealPointWriter, f File) (Result, error) {
	sum, size, err := inputfile.Digest(f)
	if err != nil {
		return Result{}, err
	}
	info := entente.ImportFile{Source: entente.SourceBSV, Path: f.Path, SHA256: sum, Size: size}
	if err := w.StartFile(info); err != nil {
		return Result{}, err
	}
	tee, err := inputfile.Reopen(f, sum)
	if err != nil {
		return Result{}, err
	}
	defer tee.Close()
	var read int64
	st, err := Read(tee, f.Path, func(r Record) error {
		read++
		if read%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		switch r := r.(type) {
		case *BadRow:
			return w.Quarantine(entente.Quarantined{Source: entente.SourceBSV, File: f.Path, SHA256: sum,
				Line: r.Err.Line, Field: r.Err.Field, Reason: r.Err.Error(), Raw: r.Raw})
		case *Row:
			return w.Row(r.Line, r.Points)
		}
		panic(fmt.Sprintf("BUG: idealpoints: record of type %T", r))
	})
	if err != nil {
		return Result{}, err
	}
	if err := tee.Check(); err != nil {
		return Result{}, err
	}
	notes := []string{fmt.Sprintf("%s: %d points from %d rows", st.Layout, st.Points, st.Rows)}
	if err := w.FinishFile(read, notes); err != nil {
		return Result{}, err
	}
	return Result{File: info, Read: read, Stats: st, Notes: notes}, nil
}
