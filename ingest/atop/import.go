package atop

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"

	"github.com/entente/entente"
)

// File is one input file of an import.
type File struct {
	// Path names the file in reports and quarantine records, as the user gave it.
	Path string
	// Open returns the file's bytes; nil opens Path. Import opens each file twice: once
	// to hash it (the digest goes into the report before any record), once to read it,
	// checking the digest again.
	Open func() (io.ReadCloser, error)
}

func (f File) open() (io.ReadCloser, error) {
	if f.Open != nil {
		return f.Open()
	}
	return os.Open(f.Path)
}

// Result accounts for one file of an import. Read counts every record passed to the
// writer, so the store's Imported + Quarantined + Duplicate equals it.
type Result struct {
	File     entente.ImportFile
	Read     int64
	Coverage Coverage
	Notes    []string
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
	var out []Result
	for _, f := range files {
		if err := ctx.Err(); err != nil {
			return out, err
		}
		res, err := importFile(ctx, w, f)
		if err != nil {
			return out, fmt.Errorf("import atop %s: %w", f.Path, err)
		}
		out = append(out, res)
	}
	return out, nil
}

// digest hashes a file: its SHA-256 and size.
func digest(f File) (string, int64, error) {
	rc, err := f.open()
	if err != nil {
		return "", 0, err
	}
	defer rc.Close()
	h := sha256.New()
	n, err := io.Copy(h, rc)
	if err != nil {
		return "", 0, fmt.Errorf("read %s: %w", f.Path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}

func importFile(ctx context.Context, w entente.TieWriter, f File) (Result, error) {
	sum, size, err := digest(f)
	if err != nil {
		return Result{}, err
	}
	info := entente.ImportFile{Source: entente.SourceATOP, Path: f.Path, SHA256: sum, Size: size}
	if err := w.StartFile(info); err != nil {
		return Result{}, err
	}
	rc, err := f.open()
	if err != nil {
		return Result{}, err
	}
	defer rc.Close()
	h := sha256.New()
	tee := io.TeeReader(rc, h)
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
	if _, err := io.Copy(io.Discard, tee); err != nil {
		return Result{}, fmt.Errorf("read %s: %w", f.Path, err)
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != sum {
		return Result{}, entente.Errorf(entente.ECONFLICT, "%s changed while being imported (sha256 %s, then %s)", f.Path, sum, got)
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
	return Result{File: info, Read: read, Coverage: cov, Notes: notes}, nil
}
