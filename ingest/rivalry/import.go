package rivalry

import (
	"context"
	"fmt"
	"slices"

	"github.com/entente/entente"
	"github.com/entente/entente/ingest/inputfile"
)

// File is one input file of an import (inputfile: digested, then read and checked).
type File = inputfile.File

// Result accounts for one file: the store's Imported + Quarantined + Duplicate equals Read.
type Result struct {
	File     entente.ImportFile
	Read     int64
	Coverage Coverage
	Notes    []string
}

// Import maps rivalry files of either format into w: each *Row becomes an
// entente.Rivalry (COW numbers as given, Ongoing kept), each *BadRow a quarantined
// record. A file-level fault, an error of w or a cancelled ctx stops the import; the
// store then drops all of it.
func Import(ctx context.Context, w entente.ConflictWriter, files []File) ([]Result, error) {
	return inputfile.Each(ctx, "rivalry", files, func(f File) (Result, error) { return importFile(ctx, w, f) })
}

func importFile(ctx context.Context, w entente.ConflictWriter, f File) (Result, error) {
	sum, size, err := inputfile.Digest(ctx, f)
	if err != nil {
		return Result{}, err
	}
	tee, err := inputfile.Reopen(ctx, f, sum)
	if err != nil {
		return Result{}, err
	}
	defer tee.Close()
	info := entente.ImportFile{Path: f.Path, SHA256: sum, Size: size}
	started := false
	var read int64
	cov, err := Read(tee, f.Path, func(r Record) error {
		if !started { // the source is known once the header is read
			started = true
			info.Source = formatOf(r).Source()
			if err := w.StartFile(info); err != nil {
				return err
			}
		}
		read++
		if err := ctx.Err(); err != nil {
			return err
		}
		switch r := r.(type) {
		case *BadRow:
			return w.Quarantine(entente.Quarantined{Source: info.Source, File: f.Path, SHA256: sum,
				Line: r.Err.Line, Field: r.Err.Field, Reason: r.Err.Error(), Raw: r.Raw})
		case *Row:
			return w.Rivalry(entente.Rivalry{Source: r.Format.Source(), ID: r.ID, Name: r.Name, CCode1: r.CCode1, CCode2: r.CCode2,
				Start: r.Start, End: r.End, Ongoing: r.Ongoing, Types: slices.Clone(r.Types), Principal: r.Principal,
				Region: r.Region, Line: r.Line})
		}
		panic(fmt.Sprintf("BUG: rivalry: record of type %T", r))
	})
	if err != nil {
		return Result{}, err
	}
	if err := tee.Check(); err != nil {
		return Result{}, err
	}
	if !started {
		info.Source = cov.Format.Source()
		if err := w.StartFile(info); err != nil {
			return Result{}, err
		}
	}
	var notes []string
	if cov.Ongoing > 0 {
		notes = append(notes, fmt.Sprintf("%d rivalries end in %d, the data's last year: ongoing when the data stop; later years are unknown, not over",
			cov.Ongoing, cov.DataEnd))
	}
	if err := w.FinishFile(read, notes); err != nil {
		return Result{}, err
	}
	return Result{File: info, Read: read, Coverage: cov, Notes: notes}, nil
}

// formatOf returns the format a record was read in.
func formatOf(r Record) Format {
	switch r := r.(type) {
	case *Row:
		return r.Format
	case *BadRow:
		return r.Format
	}
	return Unknown
}
