package mids

import (
	"context"
	"fmt"

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

// Import maps directed dispute-year files into w: each *Row becomes an
// entente.DisputeYear, each *BadRow a quarantined record. A file-level fault, an error
// of w or a cancelled ctx stops the import; the store then drops all of it.
func Import(ctx context.Context, w entente.ConflictWriter, files []File) ([]Result, error) {
	var out []Result
	for _, f := range files {
		if err := ctx.Err(); err != nil {
			return out, err
		}
		res, err := importFile(ctx, w, f)
		if err != nil {
			return out, fmt.Errorf("import mids %s: %w", f.Path, err)
		}
		out = append(out, res)
	}
	return out, nil
}

func importFile(ctx context.Context, w entente.ConflictWriter, f File) (Result, error) {
	sum, size, err := inputfile.Digest(f)
	if err != nil {
		return Result{}, err
	}
	info := entente.ImportFile{Source: entente.SourceGML, Path: f.Path, SHA256: sum, Size: size}
	if err := w.StartFile(info); err != nil {
		return Result{}, err
	}
	tee, err := inputfile.Reopen(f, sum)
	if err != nil {
		return Result{}, err
	}
	defer tee.Close()
	var read int64
	cov, err := Read(tee, f.Path, func(r Record) error {
		read++
		if read%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		switch r := r.(type) {
		case *BadRow:
			return w.Quarantine(entente.Quarantined{Source: entente.SourceGML, File: f.Path, SHA256: sum,
				Line: r.Err.Line, Field: r.Err.Field, Reason: r.Err.Error(), Raw: r.Raw})
		case *Row:
			return w.Dispute(entente.DisputeYear{DispNum: r.DispNum, CCode1: r.CCode1, CCode2: r.CCode2, Year: r.Year,
				Onset: r.Onset, SideA: r.SideA, Revisionist: r.Revisionist, HostLev: r.HostLev, HiAct: r.HiAct,
				Fatality: r.Fatality, DispHostLev: r.DispHostLev, Line: r.Line})
		}
		panic(fmt.Sprintf("BUG: mids: record of type %T", r))
	})
	if err != nil {
		return Result{}, err
	}
	if err := tee.Check(); err != nil {
		return Result{}, err
	}
	var notes []string
	if cov.Rows > 0 {
		notes = append(notes, fmt.Sprintf("GML MID years %d-%d: later years are unknown, not peace", cov.FirstYear, cov.LastYear))
	}
	if err := w.FinishFile(read, notes); err != nil {
		return Result{}, err
	}
	return Result{File: info, Read: read, Coverage: cov, Notes: notes}, nil
}
