// Package idealpoints reads the published UN General Assembly ideal points of Bailey,
// Strezhnev & Voeten ("Estimating Dynamic State Preferences from United Nations Voting
// Data", Journal of Conflict Resolution 61:430-456, 2017) in their two release layouts.
//
// # Formats
//
// The July 2025 release (IdealpointsJuly2025.csv) has one row per state-year with the
// columns ccode, year, idealpointfp, idealpointall, idealpointlegacy, nvotesfp, qofp,
// q5fp .. q100fp, nvotesall, qoall, q5all .. q100all and nvotesLegacy (iso3c and
// countryname are ignored). Each row carries up to three estimates, the variants "fp",
// "all" and "legacy"; an empty estimate is unknown (idealpointall is empty for 2024), not
// zero, and yields no point.
//
// The issue-specific files of April 2020 (IdealpointestimatesHumanRights_Apr2020.csv
// and its siblings) have one row per state-session with the columns ccode, session,
// NVotes<Issue>, IdealPoint<Issue>, QO%<Issue>, Q5%<Issue> .. Q100%<Issue>, where
// <Issue> is empty (all votes), HumanRights, Important, MiddleEast, NoNukes or Nuclear.
// The issue read from the header names the variant: "apr2020_all",
// "apr2020_humanrights", ... The year of a session is session + 1945 (session 1: 1946).
//
// The layout is detected from the header, never from the file name.
//
// # Records and accounting
//
// Read passes every line after the header to its callback as a *Row (the points of the
// line) or, if it cannot be used, a *BadRow carrying a *entente.ParseError (file, line,
// column, field, reason) and the raw line: bad numbers, a year or session out of range,
// quantiles out of order, a row with no estimate at all, a wrong field count, quoting
// faults. Blank lines are not records. Bytes that are not UTF-8 are read as Latin-1 (the
// April 2020 files spell São Tomé so). An empty file or an unrecognised header stops Read
// with a *entente.ParseError.
package idealpoints

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/entente/entente"
	"github.com/entente/entente/ingest/csvline"
)

// Layout is a release layout.
type Layout int

// The layouts.
const (
	Unknown   Layout = iota
	July2025         // IdealpointsJuly2025.csv: state-years, variants fp, all, legacy
	Issue2020        // Idealpointestimates<Issue>_Apr2020.csv: state-sessions, one variant
)

// String names the layout.
func (l Layout) String() string {
	switch l {
	case July2025:
		return "July 2025 release"
	case Issue2020:
		return "April 2020 issue release"
	}
	return "unknown"
}

// Record is what Read yields: a *Row or a *BadRow.
type Record interface {
	RecordLine() int
}

// Row is the points of one line. It is reused: valid only during the callback.
type Row struct {
	Line   int
	Points []entente.IdealPoint
}

// BadRow is a line that could not be used: quarantine material.
type BadRow struct {
	Err *entente.ParseError
	Raw string
}

// RecordLine implements Record.
func (r *Row) RecordLine() int { return r.Line }

// RecordLine implements Record.
func (r *BadRow) RecordLine() int { return r.Err.Line }

// column sets: per variant, the estimate, vote count and seven quantile columns ("" for
// none).
type variant struct {
	name  string
	x     string
	votes string
	q     [7]string
}

var july2025 = []variant{
	{"fp", "idealpointfp", "nvotesfp", [7]string{"qofp", "q5fp", "q10fp", "q50fp", "q90fp", "q95fp", "q100fp"}},
	{"all", "idealpointall", "nvotesall", [7]string{"qoall", "q5all", "q10all", "q50all", "q90all", "q95all", "q100all"}},
	{"legacy", "idealpointlegacy", "nvotesLegacy", [7]string{}},
}

// issueVariant returns the variant of an April 2020 issue file from its header.
func issueVariant(header []string) (variant, bool) {
	for _, h := range header {
		h = strings.TrimSpace(h)
		if issue, ok := strings.CutPrefix(h, "IdealPoint"); ok {
			v := variant{name: "apr2020_all", x: h, votes: "NVotes" + issue}
			if issue != "" {
				v.name = "apr2020_" + strings.ToLower(issue)
			}
			for i, p := range []string{"QO%", "Q5%", "Q10%", "Q50%", "Q90%", "Q95%", "Q100%"} {
				v.q[i] = p + issue
			}
			return v, true
		}
	}
	return variant{}, false
}

// plan is a header resolved to column positions.
type plan struct {
	layout  Layout
	ccode   int
	year    int // year or session column
	session bool
	vars    []resolved
}

type resolved struct {
	name  string
	x     int
	votes int
	q     [7]int // -1: absent
	names [9]string
}

func resolve(header []string) (plan, error) {
	var p plan
	var vars []variant
	yearCol := "year"
	if v, ok := issueVariant(header); ok {
		p.layout, p.session, yearCol, vars = Issue2020, true, "session", []variant{v}
	} else {
		p.layout, vars = July2025, july2025
	}
	idx, err := csvline.Index(header, []string{"ccode", yearCol})
	if err != nil {
		return plan{}, err
	}
	p.ccode, p.year = idx[0], idx[1]
	for _, v := range vars {
		want := []string{v.x, v.votes}
		for _, q := range v.q {
			if q != "" {
				want = append(want, q)
			}
		}
		idx, err := csvline.Index(header, want)
		if err != nil {
			return plan{}, err
		}
		r := resolved{name: v.name, x: idx[0], votes: idx[1]}
		r.names[0], r.names[1] = v.x, v.votes
		for i := range r.q {
			r.q[i] = -1
			if v.q[i] != "" {
				r.q[i] = idx[2+i]
				r.names[2+i] = v.q[i]
			}
		}
		p.vars = append(p.vars, r)
	}
	return p, nil
}

// Detect returns the layout a header (field names, quotes removed) announces.
func Detect(header []string) Layout {
	p, err := resolve(header)
	if err != nil {
		return Unknown
	}
	return p.layout
}

// Stats counts what Read passed on.
type Stats struct {
	Layout Layout
	Rows   int
	Bad    int
	Points int
}

// Read reads a published ideal-point file, passing each record to fn in file order.
// File-level faults (empty file, unrecognised header) stop Read with a
// *entente.ParseError; an error from fn stops it and is returned as is.
func Read(r io.Reader, file string, fn func(Record) error) (Stats, error) {
	var st Stats
	// The April 2020 files write country names in Latin-1 (São Tomé as S\xe3o): bytes that
	// are not UTF-8 are read as Latin-1, so such rows are not refused for a column that
	// is ignored anyway. The files are a few megabytes: read whole.
	data, err := io.ReadAll(r)
	if err != nil {
		return st, err
	}
	if !utf8.Valid(data) {
		data = latin1Fallback(data)
	}
	lr := csvline.NewReader(bytes.NewReader(data), file)
	names, err := lr.Header()
	if err != nil {
		return st, err
	}
	p, err := resolve(names)
	if err != nil {
		return st, &entente.ParseError{File: file, Line: lr.Line(), Field: "header",
			Err: fmt.Errorf("%w: neither the July 2025 layout (ccode, year, idealpointall, ...) nor an April 2020 issue file (ccode, session, IdealPoint..., ...): %w", entente.ErrHeader, err)}
	}
	st.Layout = p.layout
	var row Row
	var bad BadRow
	fail := func(raw []byte, col int, field string, e error) error {
		st.Bad++
		bad = BadRow{Err: &entente.ParseError{File: file, Line: lr.Line(), Column: col, Field: field, Err: e}, Raw: entente.CutRaw(raw)}
		return fn(&bad)
	}
	err = lr.Records(len(names), func(raw []byte, fields [][]byte) error {
		row.Line = lr.Line()
		if col, field, perr := p.parse(&row, fields, names); perr != nil {
			return fail(raw, col, field, perr)
		}
		st.Rows++
		st.Points += len(row.Points)
		return fn(&row)
	}, func(raw []byte, col int, e error) error { return fail(raw, col, "", e) })
	return st, err
}

// parse fills row from fields; on failure it returns the 1-based column, the field's
// name and the cause.
func (p *plan) parse(row *Row, fields [][]byte, names []string) (int, string, error) {
	row.Points = row.Points[:0]
	cc, err := strconv.Atoi(strings.TrimSpace(string(fields[p.ccode])))
	if err != nil || cc < 1 || cc > 999 {
		return p.ccode + 1, names[p.ccode], fmt.Errorf("%w: state number %q: want 1..999", entente.ErrBadNumber, fields[p.ccode])
	}
	y, err := strconv.Atoi(strings.TrimSpace(string(fields[p.year])))
	switch {
	case err != nil:
		return p.year + 1, names[p.year], fmt.Errorf("%w: %q", entente.ErrBadNumber, fields[p.year])
	case p.session && (y < 1 || y > 200):
		return p.year + 1, names[p.year], fmt.Errorf("%w: session %d outside 1..200", entente.ErrBadNumber, y)
	case p.session:
		y += 1945
	case y < 1946 || y > 2200:
		return p.year + 1, names[p.year], fmt.Errorf("%w: year %d outside 1946..2200", entente.ErrBadDate, y)
	}
	for _, v := range p.vars {
		x, ok, err := number(fields[v.x])
		if err != nil {
			return v.x + 1, names[v.x], err
		}
		if !ok {
			continue // unknown estimate: no point
		}
		pt := entente.IdealPoint{Source: entente.SourceBSV, Variant: v.name, CCode: cc, Year: y, X: x,
			Q: entente.NoQuantiles(), Line: row.Line}
		n, ok, err := number(fields[v.votes])
		if err != nil || (ok && (n < 0 || n != math.Trunc(n) || n > 1e6)) {
			return v.votes + 1, names[v.votes], fmt.Errorf("%w: vote count %q", entente.ErrBadNumber, fields[v.votes])
		}
		if ok {
			pt.Votes = int(n)
		}
		last := math.Inf(-1)
		for i, c := range v.q {
			if c < 0 {
				continue
			}
			q, ok, err := number(fields[c])
			if err != nil {
				return c + 1, names[c], err
			}
			if !ok {
				continue
			}
			if q < last {
				return c + 1, names[c], fmt.Errorf("%w: quantile %g below the one before (%g)", entente.ErrBadNumber, q, last)
			}
			last = q
			pt.Q[i] = q
		}
		row.Points = append(row.Points, pt)
	}
	if len(row.Points) == 0 {
		return 0, "", fmt.Errorf("%w: no estimate in any column", entente.ErrBadNumber)
	}
	return 0, "", nil
}

// number parses a decimal; an empty field or NA is unknown (ok false).
func number(f []byte) (v float64, ok bool, err error) {
	s := strings.TrimSpace(string(f))
	if s == "" || s == "NA" {
		return 0, false, nil
	}
	v, err = strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || math.Abs(v) > 1e6 {
		return 0, false, fmt.Errorf("%w: %q", entente.ErrBadNumber, f)
	}
	return v, true, nil
}

// latin1Fallback returns b with every byte that does not begin a valid UTF-8 sequence
// decoded as Latin-1.
func latin1Fallback(b []byte) []byte {
	out := make([]byte, 0, len(b)+len(b)/16)
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		if r == utf8.RuneError && n <= 1 {
			out = utf8.AppendRune(out, rune(b[0]))
			b = b[1:]
			continue
		}
		out = append(out, b[:n]...)
		b = b[n:]
	}
	return out
}
