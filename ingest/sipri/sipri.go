// Package sipri reads the trade register of the SIPRI Arms Transfers Database as SIPRI's
// download writes it (https://armstrade.sipri.org/armstrade/page/trade_register.php;
// method: https://www.sipri.org/databases/armstransfers/sources-and-methods).
//
// # Format
//
// ISO-8859-1 (Latin-1) text, decoded here to UTF-8 byte by byte. A preamble of notes
// ("A '?' in a column indicates uncertain data", "SIPRI trend-indicator values (TIVs) are
// in millions", the generation date ...) precedes a header line starting
// "Recipient,Supplier,Year of order"; Read skips the preamble (up to MaxPreamble lines)
// and requires the header's 16 columns in SIPRI's order: Recipient, Supplier, Year of
// order, "?", Number ordered, "?", Weapon designation, Weapon description, Number
// delivered, "?", Year(s) of delivery ("2023; 2024"), status, Comments, SIPRI TIV per
// unit, SIPRI TIV for total order, SIPRI TIV of delivered weapons. The unnamed columns
// hold "?" when the figure before them is uncertain; the flags are kept. An empty number
// or TIV is unknown (-1, NaN), never 0; a TIV of "0" is a volume under 0.5 million.
//
// # Quirks
//
// Parties are names, not codes: states (some gone: Soviet Union, East Germany (GDR),
// Yugoslavia, Czechoslovakia), non-state actors marked "*" ("Houthi rebels (Yemen)*"),
// multinational bodies marked "**" (NATO**, United Nations**) and "unknown
// supplier(s)" / "unknown recipient(s)". A few Comments hold a raw line break without
// quotes, which splits a deal over two physical lines; Read joins such a line with the
// next when together they make exactly 16 fields, and reports the deal at its first line.
//
// # Records and accounting
//
// Read passes every deal after the header to its callback as a *Row or a *BadRow (with
// a *entente.ParseError), so rows + bad rows = the deals read.
package sipri

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/entente/entente"
	"github.com/entente/entente/ingest/csvline"
)

// Header is the trade register's header line (after decoding).
var Header = []string{"Recipient", "Supplier", "Year of order", "", "Number ordered", "", "Weapon designation",
	"Weapon description", "Number delivered", "", "Year(s) of delivery", "status", "Comments",
	"SIPRI TIV per unit", "SIPRI TIV for total order", "SIPRI TIV of delivered weapons"}

// NumColumns is the number of fields of a deal.
const NumColumns = 16

// MaxPreamble is how many lines before the header Read accepts.
const MaxPreamble = 40

// Record is what Read yields: a *Row or a *BadRow.
type Record interface {
	// RecordLine returns the 1-based line of the record.
	RecordLine() int
}

// Row is one deal. Text is the deal's decoded line (lines joined with a space where a
// comment held a line break): its identity for deduplication.
type Row struct {
	Line                     int
	Text                     string
	Recipient, Supplier      string
	OrderYear                int
	OrderYearUncertain       bool
	NumberOrdered            int // -1: not known
	NumberOrderedUncertain   bool
	Designation, Description string
	NumberDelivered          int // -1: not known
	NumberDeliveredUncertain bool
	DeliveryYears            []int
	Status, Comments         string
	TIVUnit                  float64 // NaN: not known
	TIVOrder                 float64
	TIVDelivered             float64
}

// BadRow is a deal that could not be parsed: quarantine material.
type BadRow struct {
	Err *entente.ParseError
	Raw string
}

// RecordLine implements Record.
func (r *Row) RecordLine() int { return r.Line }

// RecordLine implements Record.
func (r *BadRow) RecordLine() int { return r.Err.Line }

// Coverage is what a read saw.
type Coverage struct {
	FirstYear, LastYear int // order and delivery years of the rows
	Rows, Bad           int
	Joined              int // deals split over two lines by a line break in a comment
	Preamble            int // lines before the header
}

// latin1 appends the UTF-8 encoding of Latin-1 bytes b to dst.
func latin1(dst, b []byte) []byte {
	for _, c := range b {
		if c < utf8.RuneSelf {
			dst = append(dst, c)
		} else {
			dst = utf8.AppendRune(dst, rune(c))
		}
	}
	return dst
}

// lineReader yields decoded physical lines with their numbers, and can put one back.
type lineReader struct {
	br      *bufio.Reader
	file    string
	line    int
	buf     []byte
	back    bool
	backBuf []byte
	backNum int
	noNL    bool
}

func (l *lineReader) next() ([]byte, bool, error) {
	if l.back {
		l.back = false
		l.line = l.backNum
		return l.backBuf, true, nil
	}
	l.buf = l.buf[:0]
	got := false
	for {
		chunk, err := l.br.ReadSlice('\n')
		got = got || len(chunk) > 0
		if len(l.buf)+len(chunk) <= 2*csvline.MaxLineBytes {
			l.buf = latin1(l.buf, chunk)
		}
		if err == nil {
			l.noNL = false
			break
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if errors.Is(err, io.EOF) {
			if !got {
				return nil, false, nil
			}
			l.noNL = true
			break
		}
		return nil, false, fmt.Errorf("read %s: %w", l.file, err)
	}
	l.line++
	l.buf = bytes.TrimSuffix(l.buf, []byte{'\n'})
	l.buf = bytes.TrimSuffix(l.buf, []byte{'\r'})
	return l.buf, true, nil
}

func (l *lineReader) unread(b []byte) {
	l.backBuf = append(l.backBuf[:0], b...)
	l.backNum = l.line
	l.line--
	l.back = true
}

// Read reads a trade register, passing each deal to fn in file order. Rows are reused:
// valid only during the callback. A file without the header in its first MaxPreamble
// lines stops Read with a *entente.ParseError; an error from fn is returned as is.
func Read(r io.Reader, file string, fn func(Record) error) (Coverage, error) {
	var cov Coverage
	lr := &lineReader{br: bufio.NewReaderSize(r, 64<<10), file: file}
	split := csvline.NewReader(nil, file)
	for {
		b, ok, err := lr.next()
		if err != nil {
			return cov, err
		}
		if !ok {
			if lr.line == 0 {
				return cov, &entente.ParseError{File: file, Line: 1, Err: entente.ErrEmpty}
			}
			return cov, &entente.ParseError{File: file, Line: lr.line, Field: "header",
				Err: fmt.Errorf("%w: no line starting \"Recipient,Supplier,Year of order\"", entente.ErrHeader)}
		}
		if bytes.HasPrefix(bytes.TrimPrefix(b, []byte("\uFEFF")), []byte("Recipient,")) {
			fields, col, err := split.Split(bytes.TrimPrefix(b, []byte("\uFEFF")))
			if err == nil && len(fields) != NumColumns {
				err = fmt.Errorf("%w: %d header fields, want %d", entente.ErrHeader, len(fields), NumColumns)
			}
			for i := 0; err == nil && i < len(fields); i++ {
				if strings.TrimSpace(string(fields[i])) != Header[i] {
					col, err = i+1, fmt.Errorf("%w: column %d is %q, want %q", entente.ErrHeader, i+1, fields[i], Header[i])
				}
			}
			if err != nil {
				return cov, &entente.ParseError{File: file, Line: lr.line, Column: col, Field: "header", Err: err}
			}
			break
		}
		cov.Preamble++
		if cov.Preamble >= MaxPreamble {
			return cov, &entente.ParseError{File: file, Line: lr.line, Field: "header",
				Err: fmt.Errorf("%w: no header in the first %d lines", entente.ErrHeader, MaxPreamble)}
		}
	}
	var row Row
	var bad BadRow
	var text []byte
	fail := func(line int, raw []byte, col int, field string, e error) error {
		cov.Bad++
		bad = BadRow{Err: &entente.ParseError{File: file, Line: line, Column: col, Field: field, Err: e}, Raw: entente.CutRaw(raw)}
		return fn(&bad)
	}
	for {
		b, ok, err := lr.next()
		if err != nil {
			return cov, err
		}
		if !ok {
			return cov, nil
		}
		if len(bytes.TrimSpace(b)) == 0 {
			continue
		}
		line := lr.line
		text = append(text[:0], b...)
		if len(text) > csvline.MaxLineBytes {
			if err := fail(line, text, 0, "", fmt.Errorf("%w: longer than %d bytes", entente.ErrLineTooLong, csvline.MaxLineBytes)); err != nil {
				return cov, err
			}
			continue
		}
		fields, col, serr := split.Split(text)
		n := len(fields)
		if serr == nil && n < NumColumns && !lr.noNL {
			// A comment with a raw line break: join with the next line if that makes a deal.
			nb, ok, err := lr.next()
			if err != nil {
				return cov, err
			}
			if ok {
				nf, _, nerr := split.Split(nb)
				if nerr == nil && n+len(nf)-1 == NumColumns {
					text = append(append(text, ' '), nb...)
					cov.Joined++
				} else {
					lr.unread(nb)
				}
				fields, col, serr = split.Split(text)
			}
		}
		if serr == nil && len(fields) != NumColumns {
			serr = fmt.Errorf("%w: %d fields, want %d", entente.ErrFieldCount, len(fields), NumColumns)
			if lr.noNL {
				serr = fmt.Errorf("%w: last line has %d fields, want %d, and no newline", entente.ErrTruncated, len(fields), NumColumns)
			}
		}
		if serr != nil {
			if err := fail(line, text, col, "", serr); err != nil {
				return cov, err
			}
			continue
		}
		if c, perr := parseRow(&row, fields); perr != nil {
			if err := fail(line, text, c+1, Header[c], perr); err != nil {
				return cov, err
			}
			continue
		}
		row.Line, row.Text = line, string(text)
		cov.Rows++
		first, last := row.OrderYear, row.OrderYear
		for _, y := range row.DeliveryYears {
			first, last = min(first, y), max(last, y)
		}
		if cov.FirstYear == 0 || first < cov.FirstYear {
			cov.FirstYear = first
		}
		cov.LastYear = max(cov.LastYear, last)
		if err := fn(&row); err != nil {
			return cov, err
		}
	}
}

// Bounds of a plausible year: SIPRI's register begins with orders of 1950 (a few deals
// ordered earlier are delivered from 1950).
const (
	minYear = 1900
	maxYear = 2200
)

// parseRow fills row from the 16 fields; on failure it returns the 0-based column.
func parseRow(row *Row, f [][]byte) (int, error) {
	rec, sup := strings.TrimSpace(string(f[0])), strings.TrimSpace(string(f[1]))
	if rec == "" {
		return 0, fmt.Errorf("%w: no recipient", entente.ErrBadValue)
	}
	if sup == "" {
		return 1, fmt.Errorf("%w: no supplier", entente.ErrBadValue)
	}
	oy, err := strconv.Atoi(string(f[2]))
	if err != nil || oy < minYear || oy > maxYear {
		return 2, fmt.Errorf("%w: year of order %q", entente.ErrBadDate, f[2])
	}
	flag := func(i int) (bool, error) {
		switch strings.TrimSpace(string(f[i])) {
		case "":
			return false, nil
		case "?":
			return true, nil
		}
		return false, fmt.Errorf("%w: %q, want \"?\" or empty", entente.ErrBadValue, f[i])
	}
	count := func(i int) (int, error) {
		s := strings.TrimSpace(string(f[i]))
		if s == "" {
			return -1, nil
		}
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 {
			return 0, fmt.Errorf("%w: %q", entente.ErrBadNumber, s)
		}
		return n, nil
	}
	tiv := func(i int) (float64, error) {
		s := strings.TrimSpace(string(f[i]))
		if s == "" {
			return math.NaN(), nil
		}
		v, err := strconv.ParseFloat(s, 64)
		if err != nil || v < 0 || math.IsInf(v, 0) || math.IsNaN(v) {
			return 0, fmt.Errorf("%w: TIV %q", entente.ErrBadNumber, s)
		}
		return v, nil
	}
	var out Row
	out.Recipient, out.Supplier, out.OrderYear = rec, sup, oy
	var e error
	if out.OrderYearUncertain, e = flag(3); e != nil {
		return 3, e
	}
	if out.NumberOrdered, e = count(4); e != nil {
		return 4, e
	}
	if out.NumberOrderedUncertain, e = flag(5); e != nil {
		return 5, e
	}
	out.Designation, out.Description = string(f[6]), string(f[7])
	if out.NumberDelivered, e = count(8); e != nil {
		return 8, e
	}
	if out.NumberDeliveredUncertain, e = flag(9); e != nil {
		return 9, e
	}
	years := row.DeliveryYears[:0]
	if s := strings.TrimSpace(string(f[10])); s != "" {
		for _, p := range strings.Split(s, ";") {
			y, err := strconv.Atoi(strings.TrimSpace(p))
			if err != nil || y < minYear || y > maxYear {
				return 10, fmt.Errorf("%w: delivery year %q", entente.ErrBadDate, p)
			}
			if len(years) > 0 && y <= years[len(years)-1] {
				return 10, fmt.Errorf("%w: delivery years %q not ascending", entente.ErrBadDate, s)
			}
			years = append(years, y)
		}
	}
	out.DeliveryYears = years
	out.Status, out.Comments = string(f[11]), string(f[12])
	if out.TIVUnit, e = tiv(13); e != nil {
		return 13, e
	}
	if out.TIVOrder, e = tiv(14); e != nil {
		return 14, e
	}
	if out.TIVDelivered, e = tiv(15); e != nil {
		return 15, e
	}
	if len(years) == 0 && !math.IsNaN(out.TIVDelivered) && out.TIVDelivered > 0 {
		return 15, fmt.Errorf("%w: TIV delivered %g without a delivery year", entente.ErrBadValue, out.TIVDelivered)
	}
	*row = out
	return 0, nil
}
