// Package igo reads the Correlates of War intergovernmental organisations data (COW IGO
// v3, Pevehouse, Nordstrom, McManus and Jamison 2020, "Tracking organizations in the
// world: The Correlates of War IGO Version 3.0 datasets", Journal of Peace Research
// 57:492-503) in the membership-spell form of the manyigos R package
// (manyigos_COW_MEM_memberships.csv: full memberships, 1816-2014).
//
// # Format
//
// A CSV file, every field quoted, with the header stateID, StateName, igoID, Title,
// cowigoNR, Beg, End (in any order; other columns are ignored). Each record is one spell
// of full membership of a state in an organisation: Beg and End are years (YYYY), both
// inclusive. The state is identified by StateName, the COW IGO name of the state
// ("usa", "soafrica", "wgermany"), which Read maps to its COW state number (COW); the
// stateID column is manyigos' own code and cannot serve (North Korea is KOR, East and
// West Germany DEU, South Vietnam VNM, six states blank, and "GIN - GNB"-style codes for
// others). A state may have several spells in one organisation (withdrawal and return).
//
// # Censoring
//
// COW IGO v3 ends in 2014 (Options.LastYear): a spell ending in that year ends because
// the data ends, not because the state left. Read marks such spells Censored; what
// follows the dataset's end is unknown, not "not a member". Spells ending before it are
// real exits (Georgia from the CIS, Uzbekistan from the CSTO) as far as COW records them
// to the year.
//
// # Records and accounting
//
// Read passes every line after the header to its callback as a *Spell or, if it cannot
// be parsed, a *BadRow carrying a *entente.ParseError (file, line, column, field,
// reason) and the raw line: an unknown state name, a bad year or organisation number, an
// end before the beginning or after the dataset's end, an empty organisation code, a
// wrong field count, quoting errors, invalid UTF-8, over-long lines. Blank lines are not
// records. So spells + bad rows = the non-blank lines after the header. An empty file or
// an unrecognised header stops Read with a *entente.ParseError.
package igo

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/entente/entente"
	"github.com/entente/entente/ingest/csvline"
)

// DataEnd is the last year of COW IGO v3, the default Options.LastYear.
const DataEnd = 2014

// Columns are the header names Read requires.
var Columns = [numColumns]string{"stateID", "StateName", "igoID", "Title", "cowigoNR", "Beg", "End"}

const numColumns = 7

// Options tune Read.
type Options struct {
	// LastYear is the dataset's last year: spells ending then are censored, and a spell
	// ending later is a bad row. Zero means DataEnd.
	LastYear int
}

// Record is what Read yields: a *Spell or a *BadRow.
type Record interface {
	// RecordLine returns the 1-based line of the record.
	RecordLine() int
}

// Spell is one spell of full membership of a state in an organisation.
type Spell struct {
	Line      int
	CCode     int    // COW state number, from StateName
	StateName string // as in the file: the COW IGO state name
	StateID   string // as in the file: manyigos' code, unreliable (see the package doc)
	IGO       string // the organisation's COW IGO abbreviation (igoID): NATO, EU, CIS, CSTO ...
	Title     string // the organisation's name
	IGONumber int    // cowigoNR, COW's organisation number
	Begin     int    // first year of membership
	End       int    // last year of membership, or the dataset's last year
	// Censored is set when End is the dataset's last year: the membership lasted at
	// least until then, and the data say nothing of later years.
	Censored bool
}

// Covers reports whether the state was a member in year according to the spell.
func (s *Spell) Covers(year int) bool { return year >= s.Begin && year <= s.End }

// BadRow is a line that could not be parsed: quarantine material. Raw is the line cut
// to 1,000 bytes, made valid UTF-8.
type BadRow struct {
	Err *entente.ParseError
	Raw string
}

// RecordLine implements Record.
func (s *Spell) RecordLine() int { return s.Line }

// RecordLine implements Record.
func (r *BadRow) RecordLine() int { return r.Err.Line }

// Coverage is what a file read says about its years: FirstYear is the earliest
// beginning, LastYear the latest end of the spells read (0 when none was read), and
// membership after LastYear is unknown.
type Coverage struct {
	FirstYear, LastYear int
	Spells, Bad         int // records passed as *Spell and as *BadRow
	Censored            int // spells reaching the dataset's last year
}

// Covers reports whether year lies in the covered years.
func (c Coverage) Covers(year int) bool {
	return c.Spells > 0 && year >= c.FirstYear && year <= c.LastYear
}

// Detect reports whether a header (field names, quotes removed) is the COW IGO
// membership-spell layout.
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

// Read reads a COW IGO membership-spell file, passing each record to fn in file order,
// and returns the coverage of the spells read. Records are reused: they are valid only
// during the callback. File-level faults (empty file, unrecognised header) stop Read
// with a *entente.ParseError; an error from fn stops it and is returned as is.
func Read(r io.Reader, file string, opt Options, fn func(Record) error) (Coverage, error) {
	if opt.LastYear == 0 {
		opt.LastYear = DataEnd
	}
	var cov Coverage
	lr := csvline.NewReader(r, file)
	names, err := lr.Header()
	if err != nil {
		return cov, err
	}
	idx, herr := columnIndex(names)
	if herr != nil {
		return cov, &entente.ParseError{File: file, Line: lr.Line(), Field: "header", Err: herr}
	}
	p := parser{idx: idx, last: opt.LastYear, strs: map[string]string{}}
	var bad BadRow
	fail := func(raw []byte, col int, field string, e error) error {
		cov.Bad++
		bad = BadRow{Err: &entente.ParseError{File: file, Line: lr.Line(), Column: col, Field: field, Err: e}, Raw: entente.CutRaw(raw)}
		return fn(&bad)
	}
	err = lr.Records(len(names), func(raw []byte, fields [][]byte) error {
		if c, name, perr := p.parse(fields); perr != nil {
			return fail(raw, c, name, perr)
		}
		s := &p.spell
		s.Line = lr.Line()
		cov.Spells++
		if s.Censored {
			cov.Censored++
		}
		if cov.FirstYear == 0 || s.Begin < cov.FirstYear {
			cov.FirstYear = s.Begin
		}
		if s.End > cov.LastYear {
			cov.LastYear = s.End
		}
		return fn(s)
	}, func(raw []byte, col int, e error) error { return fail(raw, col, "", e) })
	return cov, err
}

// The earliest plausible year: COW IGO begins in 1816.
const minYear = 1800

type parser struct {
	idx   [numColumns]int
	last  int
	spell Spell
	strs  map[string]string // interned names: 14k rows share 650 strings
}

func (p *parser) intern(b []byte) string {
	if s, ok := p.strs[string(b)]; ok {
		return s
	}
	s := string(b)
	if len(p.strs) < 100000 {
		p.strs[s] = s
	}
	return s
}

// parse fills p.spell from fields; on failure it returns the 1-based column, the
// field's name and the cause.
func (p *parser) parse(fields [][]byte) (int, string, error) {
	at := func(i int) []byte { return fields[p.idx[i]] }
	bad := func(i int, err error) (int, string, error) { return p.idx[i] + 1, Columns[i], err }
	name := at(1)
	cc := stateCOW[string(name)]
	if cc == 0 {
		return bad(1, fmt.Errorf("%w: COW IGO state name %q", entente.ErrUnknownState, name))
	}
	igo := strings.TrimSpace(string(at(2)))
	if igo == "" {
		return bad(2, fmt.Errorf("%w: empty organisation code", entente.ErrBadNumber))
	}
	nr, err := strconv.Atoi(string(at(4)))
	if err != nil || nr <= 0 || len(at(4)) > 6 {
		return bad(4, fmt.Errorf("%w: organisation number %q", entente.ErrBadNumber, at(4)))
	}
	var years [2]int
	for k, i := range [2]int{5, 6} {
		f := at(i)
		y, err := strconv.Atoi(string(f))
		if err != nil || len(f) != 4 || y < minYear {
			return bad(i, fmt.Errorf("%w: %q: want a year YYYY from %d", entente.ErrBadDate, f, minYear))
		}
		years[k] = y
	}
	if years[1] < years[0] {
		return bad(6, fmt.Errorf("%w: end %d before beginning %d", entente.ErrBadDate, years[1], years[0]))
	}
	if years[1] > p.last {
		return bad(6, fmt.Errorf("%w: end %d after the dataset's last year %d", entente.ErrBadDate, years[1], p.last))
	}
	p.spell = Spell{
		CCode: cc, StateName: p.intern(name), StateID: p.intern(at(0)),
		IGO: p.intern([]byte(igo)), Title: p.intern(at(3)), IGONumber: nr,
		Begin: years[0], End: years[1], Censored: years[1] == p.last,
	}
	return 0, "", nil
}
