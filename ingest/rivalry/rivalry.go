// Package rivalry reads the two strategic-rivalry datasets peacesciencer distributes:
// Thompson, Sakuwa and Suhas (peacesciencer_tss_rivalries.csv, 1494-2020; Thompson,
// Sakuwa and Suhas 2022, "Analyzing Strategic Rivalries in World Politics", Springer)
// and Thompson and Dreyer (peacesciencer_td_rivalries.csv, 1494-2010; Thompson and
// Dreyer 2012, "Handbook of International Rivalries, 1494-2010", CQ Press).
//
// # Formats
//
// TSS: tssr_id, rivalry, ccode1, ccode2, start, end, then positional, spatial,
// ideological and interventionary (1 or empty: the rivalry's types), principal and
// aprin (1 or empty). TD: rivalryno, rivalryname, ccode1, ccode2, styear, endyear,
// region, type1..type3 (type names or empty). States are COW numbers. Detect tells the
// two apart by their headers.
//
// # Ongoing rivalries
//
// A rivalry whose end is the last year of its dataset (TSSEnd, TDEnd) is ongoing when
// the data stop: Row.Ongoing is set, and the index treats every year after the end as
// unknown, never as "rivalry over" (docs/force.md).
//
// # Records and accounting
//
// Read passes every line after the header to its callback as a *Row or a *BadRow (with
// a *entente.ParseError), so rows + bad rows = the non-blank lines after the header.
package rivalry

import (
	"fmt"
	"io"
	"strconv"

	"github.com/entente/entente"
	"github.com/entente/entente/ingest/csvline"
)

// The last year of each dataset: a rivalry ending then is ongoing when the data stop.
const (
	TSSEnd = 2020
	TDEnd  = 2010
)

// Format names a rivalry file layout.
type Format int

// The formats.
const (
	Unknown Format = iota
	TSS
	TD
)

// Source returns the entente source constant of the format.
func (f Format) Source() string {
	switch f {
	case TSS:
		return entente.SourceTSS
	case TD:
		return entente.SourceTD
	}
	return ""
}

// Columns are the header names each format requires.
var (
	TSSColumns = []string{"tssr_id", "rivalry", "ccode1", "ccode2", "start", "end",
		"positional", "spatial", "ideological", "interventionary", "principal"}
	TDColumns = []string{"rivalryno", "rivalryname", "ccode1", "ccode2", "styear", "endyear",
		"region", "type1", "type2", "type3"}
)

// Detect returns the format of a header (field names, quotes removed).
func Detect(header []string) Format {
	if _, err := csvline.Index(header, TSSColumns); err == nil {
		return TSS
	}
	if _, err := csvline.Index(header, TDColumns); err == nil {
		return TD
	}
	return Unknown
}

// Record is what Read yields: a *Row or a *BadRow.
type Record interface {
	// RecordLine returns the 1-based line of the record.
	RecordLine() int
}

// Row is one rivalry.
type Row struct {
	Line           int
	Format         Format
	ID             int
	Name           string
	CCode1, CCode2 int
	Start, End     int
	Ongoing        bool     // End is the dataset's last year
	Types          []string // positional, spatial, ideological, interventionary
	Principal      bool     // TSS only
	Region         string   // TD only
}

// BadRow is a line that could not be parsed: quarantine material.
type BadRow struct {
	Format Format
	Err    *entente.ParseError
	Raw    string
}

// RecordLine implements Record.
func (r *Row) RecordLine() int { return r.Line }

// RecordLine implements Record.
func (r *BadRow) RecordLine() int { return r.Err.Line }

// Coverage is what a read saw: the format, its data end, and the counts.
type Coverage struct {
	Format    Format
	DataEnd   int // the dataset's last year (TSSEnd, TDEnd)
	Rows, Bad int
	Ongoing   int
}

// typeNames are the TSS type columns, in order, and the TD type vocabulary.
var typeNames = []string{"positional", "spatial", "ideological", "interventionary"}

// Read reads a rivalry file of either format, passing each record to fn in file order.
// Rows are reused: valid only during the callback. An empty file or an unknown header
// stops Read with a *entente.ParseError; an error from fn is returned as is.
func Read(r io.Reader, file string, fn func(Record) error) (Coverage, error) {
	var cov Coverage
	lr := csvline.NewReader(r, file)
	names, err := lr.Header()
	if err != nil {
		return cov, err
	}
	cov.Format = Detect(names)
	var cols []string
	switch cov.Format {
	case TSS:
		cols, cov.DataEnd = TSSColumns, TSSEnd
	case TD:
		cols, cov.DataEnd = TDColumns, TDEnd
	default:
		return cov, &entente.ParseError{File: file, Line: lr.Line(), Field: "header",
			Err: fmt.Errorf("%w: neither TSS (%v) nor TD (%v) rivalries", entente.ErrHeader, TSSColumns, TDColumns)}
	}
	idx, _ := csvline.Index(names, cols)
	var row Row
	var bad BadRow
	fail := func(raw []byte, col int, field string, e error) error {
		cov.Bad++
		bad = BadRow{Format: cov.Format, Err: &entente.ParseError{File: file, Line: lr.Line(), Column: col, Field: field, Err: e}, Raw: entente.CutRaw(raw)}
		return fn(&bad)
	}
	err = lr.Records(len(names), func(raw []byte, fields [][]byte) error {
		if c, name, perr := parseRow(&row, cov.Format, cols, fields, idx); perr != nil {
			return fail(raw, c, name, perr)
		}
		row.Line = lr.Line()
		row.Ongoing = row.End == cov.DataEnd
		if row.End > cov.DataEnd {
			return fail(raw, idx[5]+1, cols[5], fmt.Errorf("%w: end %d after the dataset's last year %d", entente.ErrBadDate, row.End, cov.DataEnd))
		}
		cov.Rows++
		if row.Ongoing {
			cov.Ongoing++
		}
		return fn(&row)
	}, func(raw []byte, col int, e error) error { return fail(raw, col, "", e) })
	return cov, err
}

func parseRow(row *Row, f Format, cols []string, fields [][]byte, idx []int) (int, string, error) {
	var ints [6]int
	for _, i := range []int{0, 2, 3, 4, 5} {
		v := fields[idx[i]]
		n, err := strconv.Atoi(string(v))
		if err != nil || len(v) > 6 || n <= 0 {
			return idx[i] + 1, cols[i], fmt.Errorf("%w: %q", entente.ErrBadNumber, v)
		}
		ints[i] = n
	}
	if ints[2] > 999 || ints[3] > 999 || ints[2] == ints[3] {
		return idx[3] + 1, cols[3], fmt.Errorf("%w: states %d, %d", entente.ErrBadNumber, ints[2], ints[3])
	}
	if ints[4] < 1400 || ints[4] > 2200 {
		return idx[4] + 1, cols[4], fmt.Errorf("%w: start %d", entente.ErrBadDate, ints[4])
	}
	if ints[5] < ints[4] || ints[5] > 2200 {
		return idx[5] + 1, cols[5], fmt.Errorf("%w: end %d before start %d", entente.ErrBadDate, ints[5], ints[4])
	}
	name := string(fields[idx[1]])
	if name == "" {
		return idx[1] + 1, cols[1], fmt.Errorf("%w: no rivalry name", entente.ErrBadValue)
	}
	types := row.Types[:0]
	var principal bool
	region := ""
	switch f {
	case TSS:
		for i, t := range typeNames {
			c := 6 + i
			switch string(fields[idx[c]]) {
			case "", "NA", "0":
			case "1":
				types = append(types, t)
			default:
				return idx[c] + 1, cols[c], fmt.Errorf("%w: %q, want 1 or empty", entente.ErrBadValue, fields[idx[c]])
			}
		}
		switch string(fields[idx[10]]) {
		case "", "NA", "0":
		case "1":
			principal = true
		default:
			return idx[10] + 1, cols[10], fmt.Errorf("%w: %q, want 1 or empty", entente.ErrBadValue, fields[idx[10]])
		}
	case TD:
		region = string(fields[idx[6]])
		for c := 7; c <= 9; c++ {
			v := string(fields[idx[c]])
			if v == "" || v == "NA" {
				continue
			}
			ok := false
			for _, t := range typeNames {
				ok = ok || t == v
			}
			if !ok {
				return idx[c] + 1, cols[c], fmt.Errorf("%w: type %q, want one of %v", entente.ErrBadValue, v, typeNames)
			}
			types = append(types, v)
		}
	}
	*row = Row{Format: f, ID: ints[0], Name: name, CCode1: ints[2], CCode2: ints[3], Start: ints[4], End: ints[5],
		Types: types, Principal: principal, Region: region}
	return 0, "", nil
}
