package unvotes

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/entente/entente"
)

// Row is one record of a file, as Read yields it: *VoetenRow, *VoteRow, *RollCallRow,
// *IssueRow, *UNDLRow or *BadRow. Read reuses rows: they are valid only during the
// callback.
type Row interface {
	// RowLine returns the 1-based line the record starts on.
	RowLine() int
}

// VoetenRow is a record of the Voeten long file. The file's year column is ignored: the
// source mislabels whole sessions (session 78 is labelled 2022), so date is authoritative.
type VoetenRow struct {
	Line  int
	ResID int // session*1000 + sequence
	CCode int // COW number of the voting state
	Date  time.Time
	Vote  entente.VoteValue // 1 yes, 2 abstain, 3 no, 8 absent, 9 non-member
	raw   []byte
}

// VoteRow is a record of unvotes' un_votes.csv.
type VoteRow struct {
	Line    int
	RCID    string // normalised decimal
	Country string
	ISO2    string // "" for states without one (Yemen Arab Republic, West Germany, Zanzibar)
	Vote    entente.VoteValue
	raw     []byte
}

// RollCallRow is a record of unvotes' un_roll_calls.csv.
type RollCallRow struct {
	Line     int
	RollCall entente.RollCall
	raw      []byte
}

// IssueRow is a record of unvotes' un_roll_call_issues.csv. Issue is the short_name
// column as found (lower-cased); Import checks it against entente.Issues.
type IssueRow struct {
	Line  int
	RCID  string
	Issue string
	raw   []byte
}

// UNDLRow is a record of the UN Digital Library wide file: one roll call of any council
// and the states' votes. Cells with an unknown value come as separate BadRows after it.
type UNDLRow struct {
	Line     int
	Council  string
	RollCall entente.RollCall
	Votes    []StateVote // non-empty cells only
	raw      []byte
}

// StateVote is one state column of a UNDL record.
type StateVote struct {
	ISO3   string
	Column int // 1-based field number, for messages
	Value  entente.VoteValue
}

// BadRow is a record, or for UNDL a single cell, that could not be parsed: quarantine
// material. Raw is the line cut to 1,000 bytes, made valid UTF-8.
type BadRow struct {
	Err *entente.ParseError
	Raw string
}

// RowLine implements Row.
func (r *VoetenRow) RowLine() int { return r.Line }

// RowLine implements Row.
func (r *VoteRow) RowLine() int { return r.Line }

// RowLine implements Row.
func (r *RollCallRow) RowLine() int { return r.Line }

// RowLine implements Row.
func (r *IssueRow) RowLine() int { return r.Line }

// RowLine implements Row.
func (r *UNDLRow) RowLine() int { return r.Line }

// RowLine implements Row.
func (r *BadRow) RowLine() int { return r.Err.Line }

// Read reads one file in any of the layouts: the header decides the layout, then every
// record is passed to fn, in file order. A record that cannot be parsed is passed as a
// *BadRow and reading goes on. File-level faults (empty file, unknown header, header not
// UTF-8) stop Read with a *entente.ParseError naming the file and line; an error from fn
// stops it and is returned as is.
func Read(r io.Reader, file string, fn func(Row) error) (Layout, error) {
	p := parser{sc: newScanner(r, file), file: file}
	s, err := p.header()
	if err != nil {
		return LayoutUnknown, err
	}
	p.schema = s
	p.sc.multiline = s.layout == LayoutRollCalls || s.layout == LayoutUNDL
	return s.layout, p.records(fn)
}

type parser struct {
	sc     *scanner
	file   string
	schema schema

	voeten   VoetenRow
	vote     VoteRow
	rollCall RollCallRow
	issue    IssueRow
	undl     UNDLRow
	bad      BadRow

	dates   dateCache
	strs    map[string]string // interned names and codes
	lastID  []byte
	lastIDs string
}

func (p *parser) header() (schema, error) {
	rec, ok, err := p.sc.next()
	if err != nil {
		return schema{}, err
	}
	if !ok {
		return schema{}, &entente.ParseError{File: p.file, Line: 1, Err: entente.ErrEmpty}
	}
	if rec.err != nil && !errors.Is(rec.err, entente.ErrTruncated) {
		return schema{}, &entente.ParseError{File: p.file, Line: rec.line, Column: rec.col, Field: "header", Err: rec.err}
	}
	if rec.err != nil {
		return schema{}, &entente.ParseError{File: p.file, Line: rec.line, Field: "header", Err: fmt.Errorf("%w: %w", entente.ErrHeader, rec.err)}
	}
	names := make([]string, len(rec.fields))
	for i, f := range rec.fields {
		names[i] = string(f)
	}
	s, err := newSchema(names)
	if err != nil {
		return schema{}, &entente.ParseError{File: p.file, Line: rec.line, Field: "header", Err: err}
	}
	return s, nil
}

func (p *parser) records(fn func(Row) error) error {
	for {
		rec, ok, err := p.sc.next()
		if err != nil {
			return err
		}
		if !ok {
			return nil
		}
		if rec.err == nil && len(rec.fields) != p.schema.n {
			rec.err = fmt.Errorf("%w: %d fields, want %d", entente.ErrFieldCount, len(rec.fields), p.schema.n)
			if rec.noNL {
				rec.err = fmt.Errorf("%w: last line has %d fields, want %d, and no newline", entente.ErrTruncated, len(rec.fields), p.schema.n)
			}
		}
		if rec.err != nil {
			if err := p.fail(fn, rec, rec.col, "", rec.err); err != nil {
				return err
			}
			continue
		}
		if err := p.record(fn, rec); err != nil {
			return err
		}
	}
}

// fail passes a BadRow for rec to fn.
func (p *parser) fail(fn func(Row) error, rec record, col int, field string, err error) error {
	p.bad = BadRow{
		Err: &entente.ParseError{File: p.file, Line: rec.line, Column: col, Field: field, Err: err},
		Raw: entente.CutRaw(rec.raw),
	}
	return fn(&p.bad)
}

// fieldErr passes a BadRow for field name of rec.
func (p *parser) fieldErr(fn func(Row) error, rec record, name string, err error) error {
	i := p.schema.col[name]
	return p.fail(fn, rec, p.sc.starts[i]+1, name, err)
}

func (p *parser) field(rec record, name string) []byte { return rec.fields[p.schema.col[name]] }

func (p *parser) record(fn func(Row) error, rec record) error {
	switch p.schema.layout {
	case LayoutVoeten:
		return p.voetenRecord(fn, rec)
	case LayoutVotes:
		return p.voteRecord(fn, rec)
	case LayoutRollCalls:
		return p.rollCallRecord(fn, rec)
	case LayoutIssues:
		return p.issueRecord(fn, rec)
	case LayoutUNDL:
		return p.undlRecord(fn, rec)
	}
	panic("BUG: unvotes: record of unknown layout")
}

func (p *parser) voetenRecord(fn func(Row) error, rec record) error {
	resid, ok := atoi(p.field(rec, "resid"))
	if !ok || resid < 1000 {
		return p.fieldErr(fn, rec, "resid", fmt.Errorf("%w %q: want session*1000+sequence", entente.ErrBadNumber, p.field(rec, "resid")))
	}
	ccode, ok := atoi(p.field(rec, "ccode"))
	if !ok || ccode == 0 {
		return p.fieldErr(fn, rec, "ccode", fmt.Errorf("%w %q: want a COW state number", entente.ErrBadNumber, p.field(rec, "ccode")))
	}
	date, err := p.dates.parse(p.field(rec, "date"))
	if err != nil {
		return p.fieldErr(fn, rec, "date", err)
	}
	v, err := voetenVote(p.field(rec, "vote"))
	if err != nil {
		return p.fieldErr(fn, rec, "vote", err)
	}
	p.voeten = VoetenRow{Line: rec.line, ResID: resid, CCode: ccode, Date: date, Vote: v, raw: rec.raw}
	return fn(&p.voeten)
}

func voetenVote(b []byte) (entente.VoteValue, error) {
	if len(b) == 1 {
		switch v := entente.VoteValue(b[0] - '0'); v {
		case entente.Yes, entente.Abstain, entente.No, entente.Absent, entente.NonMember:
			return v, nil
		}
	}
	return 0, fmt.Errorf("%w %q: want 1 (yes), 2 (abstain), 3 (no), 8 (absent) or 9 (non-member)", entente.ErrBadVote, b)
}

func (p *parser) voteRecord(fn func(Row) error, rec record) error {
	rcid, err := p.rcid(p.field(rec, "rcid"))
	if err != nil {
		return p.fieldErr(fn, rec, "rcid", err)
	}
	country := bytes.TrimSpace(p.field(rec, "country"))
	iso2 := bytes.TrimSpace(p.field(rec, "country_code"))
	if len(country) == 0 && len(iso2) == 0 {
		return p.fieldErr(fn, rec, "country", fmt.Errorf("%w: neither country nor country_code given", entente.ErrUnknownState))
	}
	var v entente.VoteValue
	switch string(p.field(rec, "vote")) {
	case "yes":
		v = entente.Yes
	case "abstain":
		v = entente.Abstain
	case "no":
		v = entente.No
	default:
		return p.fieldErr(fn, rec, "vote", fmt.Errorf("%w %q: want yes, abstain or no", entente.ErrBadVote, p.field(rec, "vote")))
	}
	p.vote = VoteRow{Line: rec.line, RCID: rcid, Country: p.intern(country), ISO2: p.intern(iso2), Vote: v, raw: rec.raw}
	return fn(&p.vote)
}

func (p *parser) rollCallRecord(fn func(Row) error, rec record) error {
	rcid, err := p.rcid(p.field(rec, "rcid"))
	if err != nil {
		return p.fieldErr(fn, rec, "rcid", err)
	}
	session, ok := atoi(p.field(rec, "session"))
	if !ok {
		return p.fieldErr(fn, rec, "session", fmt.Errorf("%w %q: want a session number", entente.ErrBadNumber, p.field(rec, "session")))
	}
	var important bool
	switch string(p.field(rec, "importantvote")) {
	case "0", "":
	case "1":
		important = true
	default:
		return p.fieldErr(fn, rec, "importantvote", fmt.Errorf("%w %q: want 0 or 1", entente.ErrBadNumber, p.field(rec, "importantvote")))
	}
	date, err := p.dates.parse(p.field(rec, "date"))
	if err != nil {
		return p.fieldErr(fn, rec, "date", err)
	}
	title := strings.TrimSpace(string(p.field(rec, "short")))
	if title == "" {
		title = strings.TrimSpace(string(p.field(rec, "descr")))
	}
	p.rollCall = RollCallRow{Line: rec.line, RollCall: entente.RollCall{
		Source:     entente.SourceUNVotes,
		ID:         rcid,
		Session:    session,
		Date:       date,
		Resolution: strings.TrimSpace(string(p.field(rec, "unres"))),
		Title:      title,
		Important:  important,
	}, raw: rec.raw}
	return fn(&p.rollCall)
}

func (p *parser) issueRecord(fn func(Row) error, rec record) error {
	rcid, err := p.rcid(p.field(rec, "rcid"))
	if err != nil {
		return p.fieldErr(fn, rec, "rcid", err)
	}
	p.issue = IssueRow{Line: rec.line, RCID: rcid, Issue: p.intern(bytes.ToLower(bytes.TrimSpace(p.field(rec, "short_name")))), raw: rec.raw}
	return fn(&p.issue)
}

func (p *parser) undlRecord(fn func(Row) error, rec record) error {
	token, ok := atoi(p.field(rec, "token"))
	if !ok || token <= 0 {
		return p.fieldErr(fn, rec, "token", fmt.Errorf("%w %q: want a record number", entente.ErrBadNumber, p.field(rec, "token")))
	}
	date, err := p.dates.parse(bytes.TrimSpace(p.field(rec, "Date")))
	if err != nil {
		return p.fieldErr(fn, rec, "Date", err)
	}
	res := strings.TrimSpace(string(p.field(rec, "Resolution")))
	p.undl = UNDLRow{
		Line:    rec.line,
		Council: strings.TrimSpace(string(p.field(rec, "Council"))),
		RollCall: entente.RollCall{
			Source:     entente.SourceUNDL,
			ID:         strconv.Itoa(token),
			Session:    SessionOf(res),
			Date:       date,
			Resolution: res,
			Title:      strings.TrimSpace(string(p.field(rec, "Title"))),
			URL:        strings.TrimSpace(string(p.field(rec, "Link"))),
		},
		Votes: p.undl.Votes[:0],
		raw:   rec.raw,
	}
	type badCell struct {
		col  int
		name string
		err  error
	}
	var bad []badCell
	for _, i := range p.schema.stateCols {
		cell := bytes.TrimSpace(rec.fields[i])
		var v entente.VoteValue
		switch string(cell) {
		case "":
			continue // absent or not a member: no record
		case "YES":
			v = entente.Yes
		case "NO":
			v = entente.No
		case "ABSTAIN":
			v = entente.Abstain
		default:
			bad = append(bad, badCell{p.sc.starts[i] + 1, p.schema.names[i],
				fmt.Errorf("%w %q: want YES, NO, ABSTAIN or empty", entente.ErrBadVote, cell)})
			continue
		}
		p.undl.Votes = append(p.undl.Votes, StateVote{ISO3: p.schema.names[i], Column: i + 1, Value: v})
	}
	if err := fn(&p.undl); err != nil {
		return err
	}
	for _, b := range bad {
		if err := p.fail(fn, rec, b.col, b.name, b.err); err != nil {
			return err
		}
	}
	return nil
}

// SessionOf returns the regular GA session of a resolution or decision symbol
// (A/RES/79/269, A/DEC/80/506 → 79, 80), or 0 when the symbol names none: emergency
// special sessions (A/RES/ES-11/7) run across regular sessions and get 0, "unknown",
// rather than a session guessed from the date.
func SessionOf(symbol string) int {
	parts := strings.Split(symbol, "/")
	if len(parts) < 3 || parts[0] != "A" {
		return 0
	}
	n, err := strconv.Atoi(parts[2])
	if err != nil || n <= 0 {
		return 0
	}
	return n
}

// rcid normalises a roll-call id: a positive decimal number, without leading zeros.
func (p *parser) rcid(b []byte) (string, error) {
	if bytes.Equal(b, p.lastID) {
		return p.lastIDs, nil
	}
	n, ok := atoi(b)
	if !ok || n <= 0 {
		return "", fmt.Errorf("%w %q: want a roll-call number", entente.ErrBadNumber, b)
	}
	p.lastID = append(p.lastID[:0], b...)
	p.lastIDs = strconv.Itoa(n)
	return p.lastIDs, nil
}

func (p *parser) intern(b []byte) string {
	if s, ok := p.strs[string(b)]; ok {
		return s
	}
	if p.strs == nil {
		p.strs = map[string]string{}
	}
	s := string(b)
	if len(p.strs) < 10000 {
		p.strs[s] = s
	}
	return s
}

// atoi parses a non-negative decimal of at most 9 digits.
func atoi(b []byte) (int, bool) {
	if len(b) == 0 || len(b) > 9 {
		return 0, false
	}
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// dateCache parses YYYY-MM-DD, remembering the last date: long files repeat it row after row.
type dateCache struct {
	last []byte
	t    time.Time
}

func (c *dateCache) parse(b []byte) (time.Time, error) {
	if len(c.last) > 0 && bytes.Equal(b, c.last) {
		return c.t, nil
	}
	t, ok := parseDay(b)
	if !ok {
		return time.Time{}, fmt.Errorf("%w %q: want YYYY-MM-DD", entente.ErrBadDate, b)
	}
	c.last, c.t = append(c.last[:0], b...), t
	return t, nil
}

func parseDay(b []byte) (time.Time, bool) {
	if len(b) != 10 || b[4] != '-' || b[7] != '-' {
		return time.Time{}, false
	}
	y, ok1 := atoi(b[0:4])
	m, ok2 := atoi(b[5:7])
	d, ok3 := atoi(b[8:10])
	if !ok1 || !ok2 || !ok3 || y == 0 || m < 1 || m > 12 || d < 1 {
		return time.Time{}, false
	}
	t := entente.Day(y, time.Month(m), d)
	if t.Day() != d { // 31 April and the like roll over
		return time.Time{}, false
	}
	return t, true
}
