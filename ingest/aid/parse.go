// Package aid reads the Kiel Institute's Ukraine Support Tracker into entente aid facts:
// a pure parser of its data explorer file (Read) and of its release file (ReadRelease),
// and a mapping into an entente.EventWriter (Import).
//
// # The data explorer file
//
// kiel_ust_data_explorer.csv is a quoted, comma-separated file with a header:
//
//	country, iso, year, month, total, financial, humanitarian, military,
//	commitments, to_be_allocated, gdp, pct_gdp
//
// one row per donor and month, amounts in billions of euros: government-to-government
// aid to Ukraine allocated that month, by kind (financial, humanitarian, military),
// their total, the commitments made (allocated or not), the part of commitments not yet
// allocated, the donor's GDP (EUR bn) and the month's total as a percentage of it. In
// every row of release 29, total = financial + humanitarian + military and commitments =
// total + to_be_allocated (to 1e-6).
//
// Empty amounts read as 0 (the tracker leaves a kind blank where there was none); any
// other value must be a plain decimal number. A row that cannot be parsed (wrong field
// count, bad number, month or year, bad quoting, not UTF-8) is passed to the callback as
// a *BadRow holding an *entente.ParseError, and reading goes on. An empty file or an
// unknown header stops Read with a *entente.ParseError.
//
// # Mapping
//
// See Import and docs/events.md: each row gives three aid records (financial,
// humanitarian, military), donor → UKR, for the month; total, commitments and
// to_be_allocated are not stored, so nothing is counted twice.
package aid

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/entente/entente"
)

// Columns of the data explorer file, in order.
var Columns = []string{"country", "iso", "year", "month", "total", "financial", "humanitarian",
	"military", "commitments", "to_be_allocated", "gdp", "pct_gdp"}

// releaseColumns are the columns of kiel_ust_release_info.csv.
var releaseColumns = []string{"release", "period", "date", "label"}

// Row is what Read passes to its callback: *Record or *BadRow. Read reuses rows: they are
// valid only during the callback.
type Row interface {
	RowLine() int
}

// Record is one row of the data explorer file: a donor's aid to Ukraine in one month.
type Record struct {
	Line          int
	Country       string // the tracker's donor name ("Germany", "EU (Commission and Council)")
	ISO           string // ISO 3166 alpha-3, or "EU" for the EU institutions
	Month         time.Time
	Total         float64 // EUR bn allocated in the month: Financial + Humanitarian + Military
	Financial     float64
	Humanitarian  float64
	Military      float64
	Commitments   float64 // EUR bn committed: Total + ToBeAllocated
	ToBeAllocated float64
	GDP           float64 // the donor's GDP, EUR bn; NaN if empty
	PctGDP        float64 // Total as a percentage of GDP; NaN if empty
	Raw           string  // the row as read, fields joined by commas
}

// BadRow is a row that could not be parsed: quarantine material.
type BadRow struct {
	Err *entente.ParseError
	Raw string
}

// RowLine implements Row.
func (r *Record) RowLine() int { return r.Line }

// RowLine implements Row.
func (r *BadRow) RowLine() int { return r.Err.Line }

// Stats accounts for the rows of a file: every row after the header is a Record or a
// BadRow.
type Stats struct {
	Records int
	Bad     int
}

// Read reads a data explorer file and passes every row after the header to fn, in file
// order. See the package documentation for the checks. An error from fn stops Read and
// is returned as is.
func Read(r io.Reader, file string, fn func(Row) error) (Stats, error) {
	var st Stats
	cr := csv.NewReader(skipBOM(r))
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	head, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return st, &entente.ParseError{File: file, Line: 1, Err: entente.ErrEmpty}
	}
	if err != nil {
		return st, &entente.ParseError{File: file, Line: 1, Err: fmt.Errorf("%w: %v", entente.ErrHeader, err)}
	}
	if !equalFold(head, Columns) {
		return st, &entente.ParseError{File: file, Line: 1, Err: fmt.Errorf("%w %q: want %s (the tracker's data explorer file)", entente.ErrHeader, strings.Join(head, ","), strings.Join(Columns, ","))}
	}
	var rec Record
	var bad BadRow
	for {
		fields, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return st, nil
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			st.Bad++
			bad = BadRow{Err: &entente.ParseError{File: file, Line: pe.StartLine, Column: pe.Column, Err: fmt.Errorf("%w: %v", entente.ErrQuote, pe.Err)}}
			if err := fn(&bad); err != nil {
				return st, err
			}
			continue
		}
		if err != nil {
			return st, fmt.Errorf("read aid %s: %w", file, err)
		}
		line, _ := cr.FieldPos(0)
		if perr := parseRecord(&rec, fields); perr != nil {
			perr.File, perr.Line = file, line
			st.Bad++
			bad = BadRow{Err: perr, Raw: entente.CutRawString(strings.Join(fields, ","))}
			if err := fn(&bad); err != nil {
				return st, err
			}
			continue
		}
		rec.Line = line
		rec.Raw = entente.CutRawString(strings.Join(fields, ","))
		st.Records++
		if err := fn(&rec); err != nil {
			return st, err
		}
	}
}

// skipBOM drops a UTF-8 byte-order mark at the start of r: before a quoted field it
// would make the CSV reader fail.
func skipBOM(r io.Reader) io.Reader {
	br := bufio.NewReader(r)
	if b, _ := br.Peek(3); string(b) == "\uFEFF" {
		br.Discard(3)
	}
	return br
}

func equalFold(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !strings.EqualFold(strings.TrimSpace(a[i]), b[i]) {
			return false
		}
	}
	return true
}

// parseRecord fills rec from one row's fields, or returns the fault (File and Line
// left for the caller).
func parseRecord(rec *Record, f []string) *entente.ParseError {
	if len(f) != len(Columns) {
		return &entente.ParseError{Err: fmt.Errorf("%w: %d fields, want %d", entente.ErrFieldCount, len(f), len(Columns))}
	}
	for i, s := range f {
		if !utf8.ValidString(s) {
			return &entente.ParseError{Field: Columns[i], Err: entente.ErrNotUTF8}
		}
	}
	if f[1] == "" {
		return &entente.ParseError{Field: "iso", Err: fmt.Errorf("%w: no donor code", entente.ErrUnknownState)}
	}
	year, err := strconv.Atoi(f[2])
	if err != nil || year < 1900 || year > 2200 {
		return &entente.ParseError{Field: "year", Err: fmt.Errorf("%w %q: want a year", entente.ErrBadDate, f[2])}
	}
	month, err := strconv.Atoi(f[3])
	if err != nil || month < 1 || month > 12 {
		return &entente.ParseError{Field: "month", Err: fmt.Errorf("%w %q: want a month from 1 to 12", entente.ErrBadDate, f[3])}
	}
	*rec = Record{Country: f[0], ISO: strings.ToUpper(f[1]), Month: entente.Day(year, time.Month(month), 1)}
	for i, dst := range []*float64{&rec.Total, &rec.Financial, &rec.Humanitarian, &rec.Military, &rec.Commitments, &rec.ToBeAllocated, &rec.GDP, &rec.PctGDP} {
		col := 4 + i
		v, ok := parseAmount(f[col])
		if !ok {
			return &entente.ParseError{Field: Columns[col], Err: fmt.Errorf("%w %q: want a decimal number or nothing", entente.ErrBadNumber, f[col])}
		}
		if math.IsNaN(v) && col < 10 {
			v = 0 // an empty amount: none of that kind
		}
		*dst = v
	}
	return nil
}

// parseAmount parses a plain decimal number; empty (or "NA", as R writes) is NaN.
func parseAmount(s string) (float64, bool) {
	s = strings.TrimSpace(s)
	if s == "" || s == "NA" {
		return math.NaN(), true
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < '0' || c > '9') && c != '.' && c != '-' && c != '+' && c != 'e' && c != 'E' {
			return 0, false
		}
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
		return 0, false
	}
	return v, true
}

// Release is one release of the tracker (kiel_ust_release_info.csv).
type Release struct {
	Number int       // 29
	Period string    // the last month covered, as the tracker writes it: "04/2026"
	Date   time.Time // the day it was published
	Label  string    // "Ukraine Support Tracker, Release 29 (04/2026)"
}

// ReadRelease reads kiel_ust_release_info.csv: a header (release, period, date, label)
// and one row. More rows are an error: a data explorer file belongs to one release.
func ReadRelease(r io.Reader, file string) (Release, error) {
	cr := csv.NewReader(skipBOM(r))
	recs, err := cr.ReadAll()
	if err != nil {
		return Release{}, &entente.ParseError{File: file, Err: fmt.Errorf("%w: %v", entente.ErrQuote, err)}
	}
	if len(recs) == 0 {
		return Release{}, &entente.ParseError{File: file, Line: 1, Err: entente.ErrEmpty}
	}
	if !equalFold(recs[0], releaseColumns) {
		return Release{}, &entente.ParseError{File: file, Line: 1, Err: fmt.Errorf("%w %q: want %s", entente.ErrHeader, strings.Join(recs[0], ","), strings.Join(releaseColumns, ","))}
	}
	if len(recs) != 2 {
		return Release{}, &entente.ParseError{File: file, Line: len(recs), Err: fmt.Errorf("%w: %d releases, want one", entente.ErrFieldCount, len(recs)-1)}
	}
	f := recs[1]
	n, err := strconv.Atoi(f[0])
	if err != nil || n <= 0 {
		return Release{}, &entente.ParseError{File: file, Line: 2, Field: "release", Err: fmt.Errorf("%w %q", entente.ErrBadNumber, f[0])}
	}
	d, err := time.Parse(time.DateOnly, f[2])
	if err != nil {
		return Release{}, &entente.ParseError{File: file, Line: 2, Field: "date", Err: fmt.Errorf("%w %q: want YYYY-MM-DD", entente.ErrBadDate, f[2])}
	}
	return Release{Number: n, Period: f[1], Date: d, Label: f[3]}, nil
}
