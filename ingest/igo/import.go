package igo

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

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

// Import maps COW IGO membership-spell files into w, one file between w.StartFile and
// w.FinishFile. Each *Spell becomes an entente.Membership with Source
// entente.SourceCOWIGO, status "member", Begin the 1 January of its first year and End
// the 31 December of its last, Censored when the spell reaches the dataset's last year,
// CCode its COW number and State the registry ID of that COW number at the spell's
// beginning (countries.ByCOW at the end of the first year, see stateOf). Signals key
// COW IGO memberships by CCode, which stays the same across a change of registry spell
// (the USSR and Russia are both COW 365). Each *BadRow, and each spell whose COW
// number the registry does not know in any of its years, is quarantined.
//
// The same spell (state, organisation number, first and last year) can appear twice,
// once under an organisation's old title and once under its new one (COW IGO lists the
// International Wine Office as "International Wine Office" and again as "International
// Vine And Wine Office"). The repeat is passed to w under the first one's organisation
// code and begin, so the store counts it as a duplicate, and a note says how many.
// A file-level fault, an error of w or a cancelled ctx stops the import with an error.
func Import(ctx context.Context, w entente.TieWriter, countries entente.CountryService, files []File, opt Options) ([]Result, error) {
	return inputfile.Each(ctx, "igo", files, func(f File) (Result, error) { return importFile(ctx, w, countries, f, opt) })
}

// spellKey identifies a spell independently of the organisation's title.
type spellKey struct{ ccode, igo, begin, end int }

type firstSpell struct {
	line  int
	org   string
	title string
}

func importFile(ctx context.Context, w entente.TieWriter, countries entente.CountryService, f File, opt Options) (Result, error) {
	sum, size, err := inputfile.Digest(ctx, f)
	if err != nil {
		return Result{}, err
	}
	info := entente.ImportFile{Source: entente.SourceCOWIGO, Path: f.Path, SHA256: sum, Size: size}
	if err := w.StartFile(info); err != nil {
		return Result{}, err
	}
	tee, err := inputfile.Reopen(ctx, f, sum)
	if err != nil {
		return Result{}, err
	}
	defer tee.Close()
	var read int64
	seen := map[spellKey]firstSpell{}
	renamed := map[string]int{} // "old title / new title" -> repeats
	repeated, noState := 0, 0
	quarantine := func(line int, field, reason, raw string) error {
		return w.Quarantine(entente.Quarantined{Source: entente.SourceCOWIGO, File: f.Path, SHA256: sum,
			Line: line, Field: field, Reason: reason, Raw: raw})
	}
	cov, err := Read(tee, f.Path, opt, func(r Record) error {
		read++
		if read%8192 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		switch r := r.(type) {
		case *BadRow:
			return quarantine(r.Err.Line, r.Err.Field, r.Err.Error(), r.Raw)
		case *Spell:
			c, ok := stateOf(countries, r)
			if !ok {
				noState++
				pe := &entente.ParseError{File: f.Path, Line: r.Line, Field: "StateName",
					Err: fmt.Errorf("%w: COW %d (%s) is in no registry spell in %d-%d", entente.ErrUnknownState, r.CCode, r.StateName, r.Begin, r.End)}
				return quarantine(r.Line, "StateName", pe.Error(), fmt.Sprintf("%s,%s,%s,%d,%d", r.StateName, r.IGO, r.Title, r.Begin, r.End))
			}
			m := entente.Membership{Source: entente.SourceCOWIGO, State: c.ID, CCode: r.CCode, Org: r.IGO, OrgName: r.Title,
				Begin: entente.Day(r.Begin, 1, 1), End: entente.Day(r.End, 12, 31), Status: entente.StatusMember, Censored: r.Censored, Line: r.Line}
			k := spellKey{r.CCode, r.IGONumber, r.Begin, r.End}
			if first, dup := seen[k]; dup {
				m.Org = first.org
				if first.title != r.Title {
					renamed[first.title+"\" and \""+r.Title]++
				} else {
					repeated++
				}
			} else {
				seen[k] = firstSpell{r.Line, r.IGO, r.Title}
			}
			return w.Membership(m)
		}
		panic(fmt.Sprintf("BUG: igo: record of type %T", r))
	})
	if err != nil {
		return Result{}, err
	}
	if err := tee.Check(); err != nil {
		return Result{}, err
	}
	notes := importNotes(cov, opt, renamed, repeated, noState)
	if err := w.FinishFile(read, notes); err != nil {
		return Result{}, err
	}
	return Result{Result: inputfile.Result{File: info, Read: read, Notes: notes}, Coverage: cov}, nil
}

// stateOf finds the registry spell of a membership's state: the one in force at the end
// of the membership's first year (COW IGO gives years only; the state that exists at the
// end of the year of joining is the one that went on holding the membership: Russia, not
// the USSR, for a CIS spell from 1991), else at its first day, else the first registry
// spell of its COW number within the membership's years.
func stateOf(countries entente.CountryService, s *Spell) (entente.Country, bool) {
	for y := s.Begin; y <= s.End; y++ {
		for _, at := range [2]time.Time{entente.Day(y, 12, 31), entente.Day(y, 1, 1)} {
			if c, ok := countries.ByCOW(s.CCode, at); ok {
				return c, true
			}
		}
	}
	return entente.Country{}, false
}

func importNotes(cov Coverage, opt Options, renamed map[string]int, repeated, noState int) []string {
	last := opt.LastYear
	if last == 0 {
		last = DataEnd
	}
	var notes []string
	if cov.Spells > 0 {
		notes = append(notes, fmt.Sprintf("COW IGO ends in %d: %d spells reaching it are censored (membership after %d is unknown, not \"not a member\")", last, cov.Censored, last))
	}
	if len(renamed) > 0 {
		n := 0
		var pairs []string
		for p, k := range renamed {
			n += k
			pairs = append(pairs, fmt.Sprintf("\"%s\" (%d)", p, k))
		}
		sort.Strings(pairs)
		notes = append(notes, fmt.Sprintf("%d spells listed twice under an organisation's old and new titles (same state, organisation number, first and last year): the first kept, the repeat counted as a duplicate: %s",
			n, strings.Join(pairs, "; ")))
	}
	if repeated > 0 {
		notes = append(notes, fmt.Sprintf("%d spells repeated with the same title: counted as duplicates", repeated))
	}
	if noState > 0 {
		notes = append(notes, fmt.Sprintf("%d spells quarantined: the COW number is in no registry spell during the membership", noState))
	}
	return notes
}
