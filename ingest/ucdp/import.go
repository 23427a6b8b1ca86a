package ucdp

import (
	"context"
	"fmt"
	"io"

	"github.com/entente/entente"
	"github.com/entente/entente/country"
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

// Import maps UCDP conflict-year files into w: each *Row becomes an
// entente.ConflictYear whose GW numbers are resolved through gw to the registry state of
// that year (1 July, or the first or last day of the year the state exists); a row with
// a GW number the registry does not know that year is quarantined naming the column,
// never guessed. Each *BadRow is quarantined with file, line, field and reason. A
// file-level fault, an error of w or a cancelled ctx stops the import; the store then
// drops all of it.
func Import(ctx context.Context, w entente.ConflictWriter, gw *country.GWTable, files []File) ([]Result, error) {
	return inputfile.Each(ctx, "ucdp", files, func(f File) (Result, error) { return importFile(ctx, w, gw, f) })
}

func importFile(ctx context.Context, w entente.ConflictWriter, gw *country.GWTable, f File) (Result, error) {
	var cov Coverage
	acc, err := inputfile.Stream(ctx, w, f, entente.SourceUCDP, func(tee io.Reader, info entente.ImportFile) (int64, []string, error) {
		var read int64
		unresolved := 0
		quarantine := func(line int, field, reason, raw string) error {
			return w.Quarantine(entente.Quarantined{Source: entente.SourceUCDP, File: f.Path, SHA256: info.SHA256,
				Line: line, Field: field, Reason: reason, Raw: raw})
		}
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
				return quarantine(r.Err.Line, r.Err.Field, r.Err.Error(), r.Raw)
			case *Row:
				c := entente.ConflictYear{ConflictID: r.ConflictID, Year: r.Year, Incompatibility: r.Incompatibility,
					Intensity: r.Intensity, Type: r.Type, Line: r.Line}
				for i, p := range []struct {
					gw  int
					dst *entente.ConflictParty
				}{{r.GWA, &c.SideA}, {r.GWA2, &c.SideA2}, {r.GWB, &c.SideB}, {r.GWB2, &c.SideB2}} {
					if p.gw == 0 {
						continue
					}
					s, ok := gw.ByGWYear(p.gw, r.Year)
					if !ok {
						unresolved++
						return quarantine(r.Line, Columns[2+i], fmt.Sprintf("%s:%d: %s: %v: GW %d is no registry state in %d",
							f.Path, r.Line, Columns[2+i], entente.ErrUnknownState, p.gw, r.Year),
							fmt.Sprintf("conflict %d year %d", r.ConflictID, r.Year))
					}
					*p.dst = entente.ConflictParty{GW: p.gw, CCode: s.COW, State: s.ID}
				}
				return w.ConflictYear(c)
			}
			panic(fmt.Sprintf("BUG: ucdp: record of type %T", r))
		})
		if err != nil {
			return 0, nil, err
		}
		var notes []string
		if cov.Rows > 0 {
			notes = append(notes, fmt.Sprintf("UCDP years %d-%d: later years are unknown, not peace", cov.FirstYear, cov.LastYear))
		}
		if unresolved > 0 {
			notes = append(notes, fmt.Sprintf("%d rows quarantined: a GW number with no registry state in the row's year", unresolved))
		}
		return read, notes, nil
	})
	if err != nil {
		return Result{}, err
	}
	return Result{File: acc.File, Read: acc.Read, Coverage: cov, Notes: acc.Notes}, nil
}
