// Package mids reads the Gibler-Miller-Little (GML) militarised interstate dispute data
// in the directed dispute-year form peacesciencer distributes
// (peacesciencer_gml_dirdisp.csv, GML MID v2.2.1, 1816-2010; Gibler, Miller and Little
// 2016, "An Analysis of the Militarized Interstate Dispute (MID) Dataset, 1816-2001",
// International Studies Quarterly 60(4):719-730).
//
// # Format
//
// A CSV file with a header naming, in any order, dispnum, ccode1, ccode2, year,
// midonset, sidea1, revstate1, fatality1, hiact1, hostlev1 and hostlev (other columns
// are ignored). Each record is one directed dispute-year: what ccode1 (COW number) did
// toward ccode2 in dispute dispnum that year. hostlev1 is ccode1's highest hostility
// level (1 no militarised action, 2 threat to use force, 3 display of force, 4 use of
// force, 5 war), hiact1 its highest action (0..23, MID codebook), fatality1 its fatality
// level (0 none, 1: 1-25 deaths, ... 6: more than 999; -9 unknown), hostlev the
// dispute's highest level. The data stop in 2010: later years are unknown, not peace.
//
// # Records and accounting
//
// Read passes every line after the header to its callback as a *Row or a *BadRow (with
// a *entente.ParseError), so rows + bad rows = the non-blank lines after the header.
package mids

import (
	"fmt"
	"io"
	"strconv"

	"github.com/entente/entente"
	"github.com/entente/entente/ingest/csvline"
)

// Columns are the header names Read requires.
var Columns = [numColumns]string{"dispnum", "ccode1", "ccode2", "year", "midonset", "sidea1", "revstate1",
	"fatality1", "hiact1", "hostlev1", "hostlev"}

const numColumns = 11

// Record is what Read yields: a *Row or a *BadRow.
type Record interface {
	// RecordLine returns the 1-based line of the record.
	RecordLine() int
}

// Row is one directed dispute-year.
type Row struct {
	Line                          int
	DispNum, CCode1, CCode2, Year int
	Onset, SideA, Revisionist     bool
	Fatality, HiAct, HostLev      int
	DispHostLev                   int
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

// Read reads a directed dispute-year file, passing each record to fn in file order.
// Rows are reused: valid only during the callback. An empty file or a header without
// the Columns stops Read with a *entente.ParseError; an error from fn is returned as is.
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

// bounds are the accepted ranges of each column, in Columns order.
var bounds = [numColumns][2]int{
	{1, 1 << 20}, {1, 999}, {1, 999}, {1800, 2200}, {0, 1}, {0, 1}, {-9, 1}, {-9, 6}, {0, 23}, {1, 5}, {1, 5},
}

func parseRow(row *Row, fields [][]byte, idx [numColumns]int) (int, string, error) {
	var v [numColumns]int
	for i := range numColumns {
		f := fields[idx[i]]
		n, err := strconv.Atoi(string(f))
		if err != nil || len(f) > 8 {
			what := ""
			if len(f) == 0 || string(f) == "NA" {
				what = ": missing value"
			}
			return idx[i] + 1, Columns[i], fmt.Errorf("%w: %q%s", entente.ErrBadNumber, f, what)
		}
		if n < bounds[i][0] || n > bounds[i][1] || (i == 7 && n < 0 && n != -9) || (i == 6 && n < 0 && n != -9) {
			return idx[i] + 1, Columns[i], fmt.Errorf("%w: %d outside %d..%d", entente.ErrBadNumber, n, bounds[i][0], bounds[i][1])
		}
		v[i] = n
	}
	if v[1] == v[2] {
		return idx[2] + 1, Columns[2], fmt.Errorf("%w: a dispute of a state with itself (%d)", entente.ErrBadNumber, v[1])
	}
	*row = Row{DispNum: v[0], CCode1: v[1], CCode2: v[2], Year: v[3], Onset: v[4] == 1, SideA: v[5] == 1,
		Revisionist: v[6] == 1, Fatality: v[7], HiAct: v[8], HostLev: v[9], DispHostLev: v[10]}
	return 0, "", nil
}
