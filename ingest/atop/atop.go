// Package atop reads the Alliance Treaty Obligations and Provisions (ATOP) data in its
// directed dyad-year form, as distributed by peacesciencer
// (peacesciencer_atop_alliance.csv: ATOP v5.1, 1815-2018).
//
// # Format
//
// A CSV file with a header naming, in any order, ccode1, ccode2, year, atop_defense,
// atop_offense, atop_neutral, atop_nonagg and atop_consul (other columns are ignored).
// Each record is one directed dyad-year: the Correlates of War state numbers of the two
// states, the year, and five 0/1 flags saying whether any alliance in force that year
// obliges ccode1 toward ccode2 to defend, to join an offensive, to stay neutral, not to
// attack, or to consult (Leeds, Ritter, Mitchell and Long 2002, "Alliance Treaty
// Obligations and Provisions, 1815-1944", International Interactions 28:237-260; ATOP
// v5.1 codebook, http://www.atopdata.org). A dyad-year absent from the file had no
// alliance — but only within the years the file covers: ATOP v5.1 ends in 2018, and a
// later year is unknown, not "no alliance" (peacesciencer issue #9). Read therefore
// returns the Coverage it saw, and Coverage.Covers tells a known year from an unknown one.
//
// # Records and accounting
//
// Read passes every line after the header to its callback as a *Row or, if it cannot be
// parsed, a *BadRow carrying a *entente.ParseError (file, line, column, field, reason)
// and the raw line: bad numbers or flags (NA included), a wrong field count, a dyad of a
// state with itself, quoting errors, invalid UTF-8, over-long lines. Blank lines are not
// records. So rows + bad rows = the lines after the header that are not blank. An empty
// file or an unrecognised header stops Read with a *entente.ParseError.
package atop

import (
	"fmt"
	"io"
	"strconv"

	"github.com/entente/entente"
	"github.com/entente/entente/ingest/csvline"
)

// Strength is the ordinal strength of an alliance tie from one state to another in a
// year, the scale of entente's alliance signals (docs/blocs.md, "Alliance portfolios"):
// the strongest obligation any alliance in force imposes. It follows the ATOP codebook's
// obligation types (Leeds et al. 2002) ordered by commitment, as the alliance-portfolio
// literature orders them (Signorino and Ritter 1999 use the COW analogue: defence pact 3,
// neutrality or non-aggression 2, entente 1, none 0).
type Strength uint8

// The strengths. MaxStrength is d_max in the S similarity of portfolios.
const (
	NoTie         Strength = 0 // no obligation
	NonAggression Strength = 1 // atop_nonagg
	Neutrality    Strength = 2 // atop_neutral or atop_consul (consultation)
	Defense       Strength = 3 // atop_defense or atop_offense
	MaxStrength            = Defense
)

// String returns the strength's name.
func (s Strength) String() string {
	switch s {
	case NoTie:
		return "none"
	case NonAggression:
		return "non-aggression"
	case Neutrality:
		return "neutrality/consultation"
	case Defense:
		return "defense/offense"
	}
	return "Strength(" + strconv.Itoa(int(s)) + ")"
}

// Columns are the header names Read requires.
var Columns = [numColumns]string{"ccode1", "ccode2", "year", "atop_defense", "atop_offense", "atop_neutral", "atop_nonagg", "atop_consul"}

const numColumns = 8

// Record is what Read yields: a *Row or a *BadRow.
type Record interface {
	// RecordLine returns the 1-based line of the record.
	RecordLine() int
}

// Row is one directed dyad-year: the obligations of CCode1 toward CCode2 in Year.
type Row struct {
	Line           int
	CCode1, CCode2 int // Correlates of War state numbers
	Year           int
	Defense        bool
	Offense        bool
	Neutral        bool
	NonAgg         bool
	Consul         bool
}

// Strength returns the ordinal tie strength of the row: defense or offense 3, neutrality
// or consultation 2, non-aggression 1, none 0.
func (r *Row) Strength() Strength {
	switch {
	case r.Defense || r.Offense:
		return Defense
	case r.Neutral || r.Consul:
		return Neutrality
	case r.NonAgg:
		return NonAggression
	}
	return NoTie
}

// BadRow is a line that could not be parsed: quarantine material. Raw is the line cut
// to 1,000 bytes, made valid UTF-8.
type BadRow struct {
	Err *entente.ParseError
	Raw string
}

// RecordLine implements Record.
func (r *Row) RecordLine() int { return r.Line }

// RecordLine implements Record.
func (r *BadRow) RecordLine() int { return r.Err.Line }

// Coverage is what a file read says about the years it covers: rows in FirstYear..
// LastYear are known (an absent dyad-year is no alliance), other years are unknown.
// Both are 0 when no row was read.
type Coverage struct {
	FirstYear, LastYear int
	Rows, Bad           int // records passed as *Row and as *BadRow
}

// Covers reports whether year lies in the covered years.
func (c Coverage) Covers(year int) bool {
	return c.Rows > 0 && year >= c.FirstYear && year <= c.LastYear
}

// Detect reports whether a header (field names, quotes removed) is the ATOP dyad-year
// layout: it names every column of Columns.
func Detect(header []string) bool {
	_, err := columnIndex(header)
	return err == nil
}

func columnIndex(header []string) ([numColumns]int, error) {
	var idx [numColumns]int
	found, err := csvline.Index(header, Columns[:])
	copy(idx[:], found)
	return idx, err
}

// Read reads an ATOP dyad-year file, passing each record to fn in file order, and
// returns the coverage of the rows read. Rows are reused: they are valid only during the
// callback. File-level faults (empty file, unrecognised header) stop Read with a
// *entente.ParseError; an error from fn stops it and is returned as is.
func Read(r io.Reader, file string, fn func(Record) error) (Coverage, error) {
	var cov Coverage
	lr := csvline.NewReader(r, file)
	names, err := lr.Header()
	if err != nil {
		return cov, err
	}
	idx, herr := columnIndex(names)
	if herr != nil {
		if len(names) > 0 && isDigits([]byte(names[0])) {
			herr = fmt.Errorf("%w: the first line is data; the file has no header (want %v)", entente.ErrHeader, Columns)
		}
		return cov, &entente.ParseError{File: file, Line: lr.Line(), Field: "header", Err: herr}
	}
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
		if row.Year > cov.LastYear {
			cov.LastYear = row.Year
		}
		return fn(&row)
	}, func(raw []byte, col int, e error) error { return fail(raw, col, "", e) })
	return cov, err
}

// Year bounds of a plausible record; ATOP begins in 1815.
const (
	minYear = 1800
	maxYear = 2200
)

// parseRow fills row from fields; on failure it returns the 1-based column, the field's
// name and the cause.
func parseRow(row *Row, fields [][]byte, idx [numColumns]int) (int, string, error) {
	var ints [3]int
	for i := range 3 {
		f := fields[idx[i]]
		n, err := strconv.Atoi(string(f))
		if err != nil || len(f) > 6 {
			return idx[i] + 1, Columns[i], fmt.Errorf("%w: %q", entente.ErrBadNumber, f)
		}
		ints[i] = n
	}
	for i := range 2 {
		if ints[i] < 1 || ints[i] > 999 {
			return idx[i] + 1, Columns[i], fmt.Errorf("%w: state number %d outside 1..999", entente.ErrBadNumber, ints[i])
		}
	}
	if ints[0] == ints[1] {
		return idx[1] + 1, Columns[1], fmt.Errorf("%w: a state allied with itself (%d)", entente.ErrBadNumber, ints[1])
	}
	if ints[2] < minYear || ints[2] > maxYear {
		return idx[2] + 1, Columns[2], fmt.Errorf("%w: year %d outside %d..%d", entente.ErrBadDate, ints[2], minYear, maxYear)
	}
	var flags [5]bool
	for i := range 5 {
		f := fields[idx[3+i]]
		switch string(f) {
		case "0":
		case "1":
			flags[i] = true
		default:
			what := "want 0 or 1"
			if len(f) == 0 || string(f) == "NA" {
				what = "missing value"
			}
			return idx[3+i] + 1, Columns[3+i], fmt.Errorf("%w: %q: %s", entente.ErrBadNumber, f, what)
		}
	}
	*row = Row{CCode1: ints[0], CCode2: ints[1], Year: ints[2],
		Defense: flags[0], Offense: flags[1], Neutral: flags[2], NonAgg: flags[3], Consul: flags[4]}
	return 0, "", nil
}

func isDigits(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
