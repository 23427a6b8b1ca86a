// Package ucdp reads the UCDP/PRIO Armed Conflict Dataset in the conflict-year form
// peacesciencer distributes (peacesciencer_ucdp_acd.csv: ACD 1946-2024; Gleditsch et
// al. 2002, "Armed Conflict 1946-2001: A New Dataset", Journal of Peace Research
// 39(5):615-637; Davies, Pettersson and Öberg 2023, "Organized violence 1989-2022",
// JPR 60(4); UCDP/PRIO Armed Conflict Dataset Codebook).
//
// # Format
//
// A CSV file with a header naming, in any order, conflict_id, year, gwno_a,
// gwno_a_2nd, gwno_b, gwno_b_2nd, incompatibility, intensity_level and
// type_of_conflict (other columns are ignored). States are Gleditsch-Ward numbers, not
// COW numbers. Side A is the government side (gwno_a) with the states fighting on it
// (gwno_a_2nd); side B is the opposing state in an interstate conflict (gwno_b) and the
// states supporting side B (gwno_b_2nd). A conflict-year with several secondary states
// is repeated once per supporter, so a conflict-year's sides are the union of its rows.
// Intensity 1 is 25-999 battle-related deaths in the year, 2 is 1,000 or more.
// type_of_conflict is extrasystemic, interstate, intrastate or II (internationalised
// intrastate).
//
// # Records and accounting
//
// Read passes every line after the header to its callback as a *Row or a *BadRow (with
// a *entente.ParseError: file, line, column, field, reason), so rows + bad rows = the
// non-blank lines after the header.
package ucdp

import (
	"fmt"
	"io"
	"strconv"

	"github.com/entente/entente"
	"github.com/entente/entente/ingest/csvline"
)

// Columns are the header names Read requires.
var Columns = [numColumns]string{"conflict_id", "year", "gwno_a", "gwno_a_2nd", "gwno_b", "gwno_b_2nd",
	"incompatibility", "intensity_level", "type_of_conflict"}

const numColumns = 9

// Record is what Read yields: a *Row or a *BadRow.
type Record interface {
	// RecordLine returns the 1-based line of the record.
	RecordLine() int
}

// Row is one conflict-year row. GW numbers are 0 where the data leaves them empty.
type Row struct {
	Line            int
	ConflictID      int
	Year            int
	GWA, GWA2       int
	GWB, GWB2       int
	Incompatibility string // territory, government or both
	Intensity       int    // 1 or 2
	Type            string // an entente.Conflict* constant
}

// BadRow is a line that could not be parsed: quarantine material.
type BadRow struct {
	Err *entente.ParseError
	Raw string
}

// RecordLine implements Record.
func (r *Row) RecordLine() int { return r.Line }

// RecordLine implements Record.
func (r *BadRow) RecordLine() int { return r.Err.Line }

// Coverage is the years of the rows read: the data's years.
type Coverage struct {
	FirstYear, LastYear int
	Rows, Bad           int
}

// Read reads a UCDP conflict-year file, passing each record to fn in file order. Rows
// are reused: valid only during the callback. An empty file or a header without the
// Columns stops Read with a *entente.ParseError; an error from fn is returned as is.
func Read(r io.Reader, file string, fn func(Record) error) (Coverage, error) {
	var cov Coverage
	lr := csvline.NewReader(r, file)
	names, err := lr.Header()
	if err != nil {
		return cov, err
	}
	found, herr := csvline.Index(names, Columns[:])
	if herr != nil {
		return cov, &entente.ParseError{File: file, Line: lr.Line(), Field: "header", Err: herr}
	}
	var idx [numColumns]int
	copy(idx[:], found)
	var row Row
	var bad BadRow
	fail := func(raw []byte, col int, field string, e error) error {
		cov.Bad++
		bad = BadRow{Err: &entente.ParseError{File: file, Line: lr.Line(), Column: col, Field: field, Err: e}, Raw: entente.CutRaw(raw)}
		return fn(&bad)
	}
	err = lr.Records(len(names), func(raw []byte, fields [][]byte) error {
		if c, name, perr := parseRow(&row, fields, idx); perr != nil {
			return fail(raw, c, name, perr)
		}
		row.Line = lr.Line()
		cov.Rows++
		if cov.FirstYear == 0 || row.Year < cov.FirstYear {
			cov.FirstYear = row.Year
		}
		cov.LastYear = max(cov.LastYear, row.Year)
		return fn(&row)
	}, func(raw []byte, col int, e error) error { return fail(raw, col, "", e) })
	return cov, err
}

// Bounds of a plausible record: the ACD begins in 1946.
const (
	minYear = 1946
	maxYear = 2200
)

func parseRow(row *Row, fields [][]byte, idx [numColumns]int) (int, string, error) {
	var ints [6]int
	for i := range 6 {
		f := fields[idx[i]]
		if len(f) == 0 && i >= 3 { // gwno_a_2nd, gwno_b, gwno_b_2nd may be empty
			continue
		}
		n, err := strconv.Atoi(string(f))
		if err != nil || len(f) > 7 || n < 0 {
			what := ""
			if len(f) == 0 || string(f) == "NA" {
				what = ": missing value"
			}
			return idx[i] + 1, Columns[i], fmt.Errorf("%w: %q%s", entente.ErrBadNumber, f, what)
		}
		ints[i] = n
	}
	if ints[0] <= 0 {
		return idx[0] + 1, Columns[0], fmt.Errorf("%w: conflict id %d", entente.ErrBadNumber, ints[0])
	}
	if ints[1] < minYear || ints[1] > maxYear {
		return idx[1] + 1, Columns[1], fmt.Errorf("%w: year %d outside %d..%d", entente.ErrBadDate, ints[1], minYear, maxYear)
	}
	for i := 2; i < 6; i++ {
		if ints[i] > 999 || (i == 2 && ints[i] == 0) {
			return idx[i] + 1, Columns[i], fmt.Errorf("%w: GW number %d outside 1..999", entente.ErrBadNumber, ints[i])
		}
	}
	inc := string(fields[idx[6]])
	switch inc {
	case "territory", "government", "both":
	default:
		return idx[6] + 1, Columns[6], fmt.Errorf("%w: incompatibility %q, want territory, government or both", entente.ErrBadValue, inc)
	}
	var intensity int
	switch string(fields[idx[7]]) {
	case "1":
		intensity = 1
	case "2":
		intensity = 2
	default:
		return idx[7] + 1, Columns[7], fmt.Errorf("%w: intensity %q, want 1 or 2", entente.ErrBadValue, fields[idx[7]])
	}
	var typ string
	switch string(fields[idx[8]]) {
	case "extrasystemic":
		typ = entente.ConflictExtrasystemic
	case "interstate":
		typ = entente.ConflictInterstate
	case "intrastate":
		typ = entente.ConflictIntrastate
	case "II":
		typ = entente.ConflictInternationalised
	default:
		return idx[8] + 1, Columns[8], fmt.Errorf("%w: type %q, want extrasystemic, interstate, intrastate or II", entente.ErrBadValue, fields[idx[8]])
	}
	*row = Row{ConflictID: ints[0], Year: ints[1], GWA: ints[2], GWA2: ints[3], GWB: ints[4], GWB2: ints[5],
		Incompatibility: inc, Intensity: intensity, Type: typ}
	return 0, "", nil
}
