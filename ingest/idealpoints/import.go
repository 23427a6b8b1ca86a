package idealpoints

import (
	"context"
	"fmt"
	"io"

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
	return inputfile.Each(ctx, "idealpoints", files, func(f File) (Result, error) { return importFile(ctx, w, f) })
}

func importFile(ctx context.Context, w entente.IdealPointWriter, f File) (Result, error) {
	var st Stats
	acc, err := inputfile.Stream(ctx, w, f, entente.SourceBSV, func(tee io.Reader, info entente.ImportFile) (int64, []string, error) {
		var read int64
		var err error
		st, err = Read(tee, f.Path, func(r Record) error {
			read++
			if read%4096 == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			switch r := r.(type) {
			case *BadRow:
				return w.Quarantine(entente.Quarantined{Source: entente.SourceBSV, File: f.Path, SHA256: info.SHA256,
					Line: r.Err.Line, Field: r.Err.Field, Reason: r.Err.Error(), Raw: r.Raw})
			case *Row:
				return w.Row(r.Line, r.Points)
			}
			panic(fmt.Sprintf("BUG: idealpoints: record of type %T", r))
		})
		if err != nil {
			return 0, nil, err
		}
		return read, []string{fmt.Sprintf("%s: %d points from %d rows", st.Layout, st.Points, st.Rows)}, nil
	})
	if err != nil {
		return Result{}, err
	}
	return Result{File: acc.File, Read: acc.Read, Stats: st, Notes: acc.Notes}, nil
}
