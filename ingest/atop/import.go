package atop

import (
	"context"
	"fmt"

	"github.com/entente/entente"
	"github.com/entente/entente/ingest/inputfile"
)

// File is one input file of an import: its path and, optionally, how to open it. Import
// reads each file twice (inputfile: a digest first, then the records, checked against
// the digest).
type File = inputfile.File

// Result accounts for one file of an import (inputfile.Result) and gives the years it
// covers.
type Result struct {
	inputfile.Result
	Coverage Coverage
}

// Import maps ATOP dyad-year files into w, one file between w.StartFile and
// w.FinishFile: each *Row becomes an entente.AllianceTie (its flags kept, so the store
// can give the ordinal Strength), each *BadRow a quarantined record with file, line,
// field and reason. A row with no obligation at all is kept: within the covered years it
// is a known "no tie", unlike a year after the data's end. A file-level fault (missing
// file, empty file, unknown header), an error of w or a cancelled ctx stops the import
// with an error; the caller's store then drops all of it.
//
// Typical wiring, in cmd/entente:
//
//	reports, err := store.ImportTies(ctx, func(w entente.TieWriter) error {
//		_, err := atop.Import(ctx, w, files)
//		return err
//	})
func Import(ctx context.Context, w entente.TieWriter, files []File) ([]Result, error) {
	return inputfile.Each(ctx, "atop", files, func(f File) (Result, error) { return importFile(ctx, w, f) })
}

func importFile(ctx context.Context, w entente.TieWriter, f File) (Result, error) {
	sum, size, err := inputfile.Digest(ctx, f)
	if err != nil {
		return Result{}, err
	}
	info := entente.ImportFile{Source: entente.SourceATOP, Path: f.Path, SHA256: sum, Size: size}
	if err := w.StartFile(info); err != nil {
		return Result{}, err
	}
	tee, err := inputfile.Reopen(ctx, f, sum)
	if err != nil {
		return Result{}, err
	}
	defer tee.Close()
	var read int64
	noTie := 0
	cov, err := Read(tee, f.Path, func(r Record) error {
		read++
		if read%8192 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		switch r := r.(type) {
		case *BadRow:
			return w.Quarantine(entente.Quarantined{Source: entente.SourceATOP, File: f.Path, SHA256: sum,
				Line: r.Err.Line, Field: r.Err.Field, Reason: r.Err.Error(), Raw: r.Raw})
		case *Row:
			if r.Strength() == NoTie {
				noTie++
			}
			return w.Alliance(entente.AllianceTie{A: r.CCode1, B: r.CCode2, Year: r.Year,
				Defense: r.Defense, Offense: r.Offense, Neutral: r.Neutral, NonAgg: r.NonAgg, Consult: r.Consul, Line: r.Line})
		}
		panic(fmt.Sprintf("BUG: atop: record of type %T", r))
	})
	if err != nil {
		return Result{}, err
	}
	if err := tee.Check(); err != nil {
		return Result{}, err
	}
	var notes []string
	if cov.Rows > 0 {
		notes = append(notes, fmt.Sprintf("ATOP years %d-%d: a dyad-year absent in those years has no alliance; later years are unknown, not \"no alliance\"", cov.FirstYear, cov.LastYear))
	}
	if noTie > 0 {
		notes = append(notes, fmt.Sprintf("%d dyad-years with no obligation flag set: kept as known ties of strength 0", noTie))
	}
	if err := w.FinishFile(read, notes); err != nil {
		return Result{}, err
	}
	return Result{Result: inputfile.Result{File: info, Read: read, Notes: notes}, Coverage: cov}, nil
}
