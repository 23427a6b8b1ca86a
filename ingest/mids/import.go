package mids

import (
	"context"
	"fmt"
	"io"

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
	return inputfile.Each(ctx, "mids", files, func(f File) (Result, error) { return importFile(ctx, w, f) })
}

func importFile(ctx context.Context, w entente.ConflictWriter, f File) (Result, error) {
	var cov Coverage
	acc, err := inputfile.Stream(ctx, w, f, entente.SourceGML, func(tee io.Reader, info entente.ImportFile) (int64, []string, error) {
		var read int64
		var err error
		cov, err = Read(tee, f.Path, func(r Record) error {
			read++
			if read%4096 == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			switch r := r.(type) {
			case *BadRow:
				return w.Quarantine(entente.Quarantined{Source: entente.SourceGML, File: f.Path, SHA256: info.SHA256,
					Line: r.Err.Line, Field: r.Err.Field, Reason: r.Err.Error(), Raw: r.Raw})
			case *Row:
				return w.Dispute(entente.DisputeYear{DispNum: r.DispNum, CCode1: r.CCode1, CCode2: r.CCode2, Year: r.Year,
					Onset: r.Onset, SideA: r.SideA, Revisionist: r.Revisionist, HostLev: r.HostLev, HiAct: r.HiAct,
					Fatality: r.Fatality, DispHostLev: r.DispHostLev, Line: r.Line})
			}
			panic(fmt.Sprintf("BUG: mids: record of type %T", r))
		})
		if err != nil {
			return 0, nil, err
		}
		var notes []string
		if cov.Rows > 0 {
			notes = append(notes, fmt.Sprintf("GML MID years %d-%d: later years are unknown, not peace", cov.FirstYear, cov.LastYear))
		}
		return read, notes, nil
	})
	if err != nil {
		return Result{}, err
	}
	return Result{File: acc.File, Read: acc.Read, Coverage: cov, Notes: acc.Notes}, nil
}
