package gdelt

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/entente/entente"
	"github.com/entente/entente/ingest/csvline"
)

// ErrUnknownCode is the cause of a row whose EventCode, EventBaseCode or EventRootCode
// is not a CAMEO event code (see EventCode).
var ErrUnknownCode = errors.New("unknown CAMEO event code")

// Row is one line of a file, as Read yields it: *Event, *Mention or *BadRow. Read reuses
// rows: they are valid only during the callback (the strings in them stay valid).
type Row interface {
	// RowLine returns the 1-based line of the row.
	RowLine() int
}

// Event is what entente keeps of one row of an events file (2.0 export or 1.0 events).
//
// Empty numeric fields are common upstream and are not errors: an empty GoldsteinScale
// or AvgTone gives NaN, an empty NumMentions, NumSources or NumArticles gives 0, an
// empty IsRootEvent false. Text fields are kept as found ("" when empty).
type Event struct {
	Line              int
	GlobalEventID     int64
	Day               time.Time // SQLDATE, UTC midnight
	Actor1Code        string
	Actor1Name        string
	Actor1CountryCode string
	Actor1Type1Code   string
	Actor2Code        string
	Actor2Name        string
	Actor2CountryCode string
	Actor2Type1Code   string
	IsRootEvent       bool
	EventCode         string // CAMEO code, leading zeros kept ("043")
	EventBaseCode     string
	EventRootCode     string
	QuadClass         int8    // 1 verbal cooperation .. 4 material conflict; agrees with EventRootCode (QuadClass)
	Goldstein         float32 // GoldsteinScale in [-10, 10]; NaN if empty
	NumMentions       int32
	NumSources        int32
	NumArticles       int32
	AvgTone           float32 // in [-100, 100]; NaN if empty
	// ActionGeoCountryCode is the FIPS 10-4 country of the action's place ("" if none).
	ActionGeoCountryCode string
	// DateAdded is DATEADDED as the number YYYYMMDDHHMMSS (UTC). GDELT 1.0 files give
	// only the day, YYYYMMDD; it is normalised to YYYYMMDD000000. It is an int64: the
	// value overflows a 32-bit integer.
	DateAdded int64
	// SourceURL is the article's URL (2.0 and 1.0 daily files); "" in 1.0 back-files,
	// which have no such column.
	SourceURL string
}

// Mention is what entente keeps of one row of a 2.0 mentions file: one article (or other
// document) that mentions an event. The columns MentionDocTranslationInfo and Extras are
// not kept.
//
// Empty fields are not errors: empty character offsets give -1 (as GDELT writes for
// "not found"), an empty SentenceID, Confidence or MentionDocLen 0, an empty InRawText
// false and an empty MentionDocTone NaN.
type Mention struct {
	Line              int
	GlobalEventID     int64
	EventTimeDate     int64 // YYYYMMDDHHMMSS (UTC) of the 15-minute slot the event was first seen in
	MentionTimeDate   int64 // YYYYMMDDHHMMSS (UTC) of the slot of this mention
	MentionType       int8  // 1 web, 2 citation only, 3 CORE, 4 DTIC, 5 JSTOR, 6 non-textual source
	MentionSourceName string
	MentionIdentifier string // the URL for web mentions
	SentenceID        int32
	Actor1CharOffset  int32 // -1 if not found or empty
	Actor2CharOffset  int32
	ActionCharOffset  int32
	InRawText         bool
	Confidence        int8 // percent, 10 to 100
	MentionDocLen     int32
	MentionDocTone    float32 // NaN if empty
}

// BadRow is a line that could not be parsed: quarantine material. Raw is the line cut to
// 1,000 bytes, made valid UTF-8.
type BadRow struct {
	Err *entente.ParseError
	Raw string
}

// RowLine implements Row.
func (r *Event) RowLine() int { return r.Line }

// RowLine implements Row.
func (r *Mention) RowLine() int { return r.Line }

// RowLine implements Row.
func (r *BadRow) RowLine() int { return r.Err.Line }

// Stats accounts for every line of a file: Lines = Rows + Bad + Blank, plus one if
// HeaderLine is not 0.
type Stats struct {
	Lines      int // physical lines read
	Rows       int // lines passed to fn as *Event or *Mention
	Bad        int // lines passed to fn as *BadRow
	Blank      int // empty lines: no data, not passed to fn
	HeaderLine int // the line of a header row that was skipped (some copies carry one); 0 if none
	V1Daily    int // 1.0 events rows with 58 fields (daily files, with SOURCEURL)
	V1Back     int // 1.0 events rows with 57 fields (back-files, without SOURCEURL)
	// NoFinalNewline reports that the last line had no newline: the file may be cut.
	// That line is still parsed; it is a *BadRow (entente.ErrTruncated) when it also
	// has the wrong field count.
	NoFinalNewline bool
	// Notes are remarks on the file as a whole, for the import report.
	Notes []string
}

// Read reads one GDELT file (plain text; see Open for .zip) and passes every row to fn,
// in file order. The layout is taken from the field count of the first data line (61:
// 2.0 export, 16: 2.0 mentions, 57 or 58: 1.0 events); when that count fits no layout,
// from the file name (DetectName). A first line whose first field starts with
// "GlobalEvent" (any case) is a header row: it is skipped and reported in
// Stats.HeaderLine.
//
// A line that cannot be parsed is passed as a *BadRow and reading goes on; see the
// package documentation for the checks. An empty file is a *entente.ParseError wrapping
// entente.ErrEmpty; a read error of r ends Read with that error, wrapped; an error from
// fn stops Read and is returned as is.
func Read(r io.Reader, file string, fn func(Row) error) (Layout, Stats, error) {
	p := newParser(r, file, LayoutUnknown)
	err := p.run(fn)
	return p.layout, p.stats, err
}

// ReadAs is Read with the layout given rather than detected: lines of another field
// count are BadRows.
func ReadAs(r io.Reader, file string, layout Layout, fn func(Row) error) (Stats, error) {
	if layout != LayoutExport && layout != LayoutMentions && layout != LayoutV1Events {
		return Stats{}, fmt.Errorf("read gdelt %s: unknown layout %d", file, layout)
	}
	p := newParser(r, file, layout)
	err := p.run(fn)
	return p.stats, err
}

type parser struct {
	lr     *lineReader
	file   string
	layout Layout
	stats  Stats
	f      fields

	event   Event
	mention Mention
	bad     BadRow

	strs    interner
	days    dayCache
	lastURL []byte
	lastStr string
}

func newParser(r io.Reader, file string, layout Layout) *parser {
	return &parser{lr: newLineReader(r), file: file, layout: layout, strs: interner{m: map[string]string{}}}
}

func (p *parser) run(fn func(Row) error) error {
	seenData := false
	for {
		line, ok, nl, tooLong, err := p.lr.next()
		if err != nil {
			return fmt.Errorf("read gdelt %s: line %d: %w", p.file, p.lr.num+1, err)
		}
		if !ok {
			break
		}
		p.stats.Lines++
		p.stats.NoFinalNewline = !nl
		if p.lr.num == 1 {
			line = bytes.TrimPrefix(line, []byte("\uFEFF")) // a byte-order mark
		}
		if len(line) == 0 && !tooLong {
			p.stats.Blank++
			continue
		}
		if tooLong {
			err = p.fail(fn, line, 0, "", fmt.Errorf("%w: longer than %d bytes", entente.ErrLineTooLong, MaxLineBytes))
		} else if !utf8.Valid(line) {
			err = p.fail(fn, line, csvline.FirstInvalidUTF8(line)+1, "", entente.ErrNotUTF8)
		} else {
			p.f.split(line)
			if !seenData && isHeader(p.f.get(0)) {
				seenData = true
				p.stats.HeaderLine = p.lr.num
				if p.layout == LayoutUnknown {
					p.layout = layoutOfCount(p.f.n)
				}
				continue
			}
			err = p.row(fn, nl)
		}
		seenData = true
		if err != nil {
			return err
		}
	}
	if p.stats.Rows+p.stats.Bad == 0 && p.stats.HeaderLine == 0 {
		return &entente.ParseError{File: p.file, Line: max(1, p.stats.Lines), Err: entente.ErrEmpty}
	}
	return nil
}

// isHeader reports whether a first field names the event ID column, as header rows
// added to some copies do ("GLOBALEVENTID", "GlobalEventID", "GlobalEventsID").
func isHeader(first []byte) bool {
	const prefix = "globalevent"
	return len(first) >= len(prefix) && bytes.EqualFold(first[:len(prefix)], []byte(prefix))
}

func (p *parser) row(fn func(Row) error, nl bool) error {
	if p.layout == LayoutUnknown {
		l := layoutOfCount(p.f.n)
		hint := DetectName(p.file)
		switch {
		case l == LayoutUnknown && hint == LayoutUnknown:
			return p.fail(fn, p.f.line, 0, "", fieldCountErr(p.f.n, "61 (2.0 export), 16 (2.0 mentions), 57 or 58 (1.0 events)", nl))
		case l == LayoutUnknown:
			l = hint
		case hint != LayoutUnknown && hint != l:
			p.stats.Notes = append(p.stats.Notes, fmt.Sprintf("the file name suggests a %s file but line %d has %d fields: read as %s", hint, p.lr.num, p.f.n, l))
		}
		p.layout = l
	}
	switch p.layout {
	case LayoutExport:
		if p.f.n != ExportFields {
			return p.fail(fn, p.f.line, 0, "", fieldCountErr(p.f.n, "61", nl))
		}
		return p.eventRow(fn, exportCols)
	case LayoutV1Events:
		switch p.f.n {
		case V1DailyFields:
			p.stats.V1Daily++
			return p.eventRow(fn, v1DailyCols)
		case V1BackFields:
			p.stats.V1Back++
			return p.eventRow(fn, v1BackCols)
		}
		return p.fail(fn, p.f.line, 0, "", fieldCountErr(p.f.n, "57 or 58", nl))
	case LayoutMentions:
		if p.f.n != MentionsFields {
			return p.fail(fn, p.f.line, 0, "", fieldCountErr(p.f.n, "16", nl))
		}
		return p.mentionRow(fn)
	}
	panic("BUG: gdelt: row of unknown layout")
}

// fail passes a BadRow for the current line to fn.
func (p *parser) fail(fn func(Row) error, line []byte, col int, field string, err error) error {
	p.stats.Bad++
	p.bad = BadRow{
		Err: &entente.ParseError{File: p.file, Line: p.lr.num, Column: col, Field: field, Err: err},
		Raw: entente.CutRaw(line),
	}
	return fn(&p.bad)
}

// fieldErr passes a BadRow for field i of the current line.
func (p *parser) fieldErr(fn func(Row) error, names []string, i int, err error) error {
	return p.fail(fn, p.f.line, p.f.col(i), names[i], err)
}

func (p *parser) eventRow(fn func(Row) error, c *eventCols) error {
	f := &p.f
	e := &p.event
	var ok bool
	if e.GlobalEventID, ok = parseID(f.get(c.id)); !ok {
		return p.fieldErr(fn, c.names, c.id, fmt.Errorf("%w %q: want a positive integer", entente.ErrBadNumber, f.get(c.id)))
	}
	var err error
	if e.Day, err = p.days.parse(f.get(c.day)); err != nil {
		return p.fieldErr(fn, c.names, c.day, err)
	}
	if e.IsRootEvent, ok = parseFlag(f.get(c.isRoot)); !ok {
		return p.fieldErr(fn, c.names, c.isRoot, fmt.Errorf("%w %q: want 0 or 1", entente.ErrBadNumber, f.get(c.isRoot)))
	}
	var codes [3]*cameoCode
	for k, i := range [3]int{c.code, c.base, c.root} {
		if codes[k] = lookupCode(f.get(i)); codes[k] == nil {
			return p.fieldErr(fn, c.names, i, fmt.Errorf("%w %q", ErrUnknownCode, f.get(i)))
		}
	}
	e.EventCode, e.EventBaseCode, e.EventRootCode = codes[0].code, codes[1].code, codes[2].code
	want := QuadClass(e.EventRootCode)
	if q := f.get(c.quad); len(q) != 1 || int8(q[0]-'0') != want {
		return p.fieldErr(fn, c.names, c.quad, fmt.Errorf("%w %q: want %d, the quad class of root code %s", entente.ErrBadNumber, q, want, e.EventRootCode))
	}
	e.QuadClass = want
	if e.Goldstein, ok = parseFloat(f.get(c.goldstein), 10); !ok {
		return p.fieldErr(fn, c.names, c.goldstein, fmt.Errorf("%w %q: want a number in [-10, 10] or nothing", entente.ErrBadNumber, f.get(c.goldstein)))
	}
	for _, x := range [3]struct {
		i   int
		dst *int32
	}{{c.numMentions, &e.NumMentions}, {c.numSources, &e.NumSources}, {c.numArticles, &e.NumArticles}} {
		if *x.dst, ok = parseCount(f.get(x.i)); !ok {
			return p.fieldErr(fn, c.names, x.i, fmt.Errorf("%w %q: want a count or nothing", entente.ErrBadNumber, f.get(x.i)))
		}
	}
	if e.AvgTone, ok = parseFloat(f.get(c.avgTone), 100); !ok {
		return p.fieldErr(fn, c.names, c.avgTone, fmt.Errorf("%w %q: want a number in [-100, 100] or nothing", entente.ErrBadNumber, f.get(c.avgTone)))
	}
	if e.DateAdded, ok = parseStamp(f.get(c.dateAdded), c != exportCols); !ok {
		want := "YYYYMMDDHHMMSS"
		if c != exportCols {
			want = "YYYYMMDD or YYYYMMDDHHMMSS"
		}
		return p.fieldErr(fn, c.names, c.dateAdded, fmt.Errorf("%w %q: want %s", entente.ErrBadDate, f.get(c.dateAdded), want))
	}
	e.SourceURL = ""
	if c.sourceURL >= 0 {
		e.SourceURL = p.url(f.get(c.sourceURL))
	}
	e.Line = p.lr.num
	e.Actor1Code = p.strs.get(f.get(c.a1Code))
	e.Actor1Name = p.strs.get(f.get(c.a1Name))
	e.Actor1CountryCode = p.strs.get(f.get(c.a1Country))
	e.Actor1Type1Code = p.strs.get(f.get(c.a1Type1))
	e.Actor2Code = p.strs.get(f.get(c.a2Code))
	e.Actor2Name = p.strs.get(f.get(c.a2Name))
	e.Actor2CountryCode = p.strs.get(f.get(c.a2Country))
	e.Actor2Type1Code = p.strs.get(f.get(c.a2Type1))
	e.ActionGeoCountryCode = p.strs.get(f.get(c.actionGeoCountry))
	p.stats.Rows++
	return fn(e)
}

func (p *parser) mentionRow(fn func(Row) error) error {
	f := &p.f
	m := &p.mention
	names := mentionsNames
	var ok bool
	if m.GlobalEventID, ok = parseID(f.get(mID)); !ok {
		return p.fieldErr(fn, names, mID, fmt.Errorf("%w %q: want a positive integer", entente.ErrBadNumber, f.get(mID)))
	}
	if m.EventTimeDate, ok = parseStamp(f.get(mEventTime), false); !ok {
		return p.fieldErr(fn, names, mEventTime, fmt.Errorf("%w %q: want YYYYMMDDHHMMSS", entente.ErrBadDate, f.get(mEventTime)))
	}
	if m.MentionTimeDate, ok = parseStamp(f.get(mMentionTime), false); !ok {
		return p.fieldErr(fn, names, mMentionTime, fmt.Errorf("%w %q: want YYYYMMDDHHMMSS", entente.ErrBadDate, f.get(mMentionTime)))
	}
	t := f.get(mType)
	if len(t) != 1 || t[0] < '1' || t[0] > '6' {
		return p.fieldErr(fn, names, mType, fmt.Errorf("%w %q: want a mention type from 1 to 6", entente.ErrBadNumber, t))
	}
	m.MentionType = int8(t[0] - '0')
	if m.SentenceID, ok = parseCount(f.get(mSentence)); !ok {
		return p.fieldErr(fn, names, mSentence, fmt.Errorf("%w %q: want a sentence number or nothing", entente.ErrBadNumber, f.get(mSentence)))
	}
	for _, x := range [3]struct {
		i   int
		dst *int32
	}{{mA1Offset, &m.Actor1CharOffset}, {mA2Offset, &m.Actor2CharOffset}, {mActionOffset, &m.ActionCharOffset}} {
		if *x.dst, ok = parseOffset(f.get(x.i)); !ok {
			return p.fieldErr(fn, names, x.i, fmt.Errorf("%w %q: want a character offset, -1 or nothing", entente.ErrBadNumber, f.get(x.i)))
		}
	}
	if m.InRawText, ok = parseFlag(f.get(mInRawText)); !ok {
		return p.fieldErr(fn, names, mInRawText, fmt.Errorf("%w %q: want 0 or 1", entente.ErrBadNumber, f.get(mInRawText)))
	}
	conf, ok := parseCount(f.get(mConfidence))
	if !ok || conf > 100 {
		return p.fieldErr(fn, names, mConfidence, fmt.Errorf("%w %q: want a percentage or nothing", entente.ErrBadNumber, f.get(mConfidence)))
	}
	m.Confidence = int8(conf)
	if m.MentionDocLen, ok = parseCount(f.get(mDocLen)); !ok {
		return p.fieldErr(fn, names, mDocLen, fmt.Errorf("%w %q: want a length or nothing", entente.ErrBadNumber, f.get(mDocLen)))
	}
	if m.MentionDocTone, ok = parseFloat(f.get(mDocTone), 100); !ok {
		return p.fieldErr(fn, names, mDocTone, fmt.Errorf("%w %q: want a number in [-100, 100] or nothing", entente.ErrBadNumber, f.get(mDocTone)))
	}
	m.Line = p.lr.num
	m.MentionSourceName = p.strs.get(f.get(mSourceName))
	m.MentionIdentifier = p.url(f.get(mIdentifier))
	p.stats.Rows++
	return fn(m)
}

// url returns b as a string, reusing the last one when equal: neighbouring rows often
// come from the same article.
func (p *parser) url(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	if !bytes.Equal(b, p.lastURL) {
		p.lastURL = append(p.lastURL[:0], b...)
		p.lastStr = string(b)
	}
	return p.lastStr
}

// interner hands out one string per distinct short text (actor codes and names, country
// codes, source names), so that rows do not allocate for them. It forgets everything
// when it holds maxInterned strings, which bounds its memory on endless input.
type interner struct{ m map[string]string }

const maxInterned = 1 << 16

func (in *interner) get(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	if s, ok := in.m[string(b)]; ok {
		return s
	}
	if len(in.m) >= maxInterned {
		clear(in.m)
	}
	s := string(b)
	in.m[s] = s
	return s
}

// dayCache parses SQLDATE values (YYYYMMDD), remembering the last few hundred.
type dayCache struct {
	last    int
	lastDay time.Time
	m       map[int]time.Time
}

func (c *dayCache) parse(b []byte) (time.Time, error) {
	v, ok := digits(b, 8)
	if !ok {
		return time.Time{}, fmt.Errorf("%w %q: want YYYYMMDD", entente.ErrBadDate, b)
	}
	if v == c.last && v != 0 {
		return c.lastDay, nil
	}
	t, ok := c.m[v]
	if !ok {
		if !validDay(v) {
			return time.Time{}, fmt.Errorf("%w %q: not a day of the calendar", entente.ErrBadDate, b)
		}
		t = entente.Day(v/10000, time.Month(v/100%100), v%100)
		if c.m == nil || len(c.m) >= 4096 {
			c.m = make(map[int]time.Time, 512)
		}
		c.m[v] = t
	}
	c.last, c.lastDay = v, t
	return t, nil
}

// validDay reports whether YYYYMMDD is a day of the (proleptic Gregorian) calendar
// from year 1.
func validDay(v int) bool {
	y, m, d := v/10000, v/100%100, v%100
	if y < 1 || m < 1 || m > 12 || d < 1 {
		return false
	}
	return d <= daysIn(y, m)
}

func daysIn(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// parseStamp parses a YYYYMMDDHHMMSS time stamp; with dayOK also a YYYYMMDD day, returned
// as YYYYMMDD000000.
func parseStamp(b []byte, dayOK bool) (int64, bool) {
	if dayOK && len(b) == 8 {
		v, ok := digits(b, 8)
		if !ok || !validDay(v) {
			return 0, false
		}
		return int64(v) * 1000000, true
	}
	if len(b) != 14 {
		return 0, false
	}
	day, ok1 := digits(b[:8], 8)
	clock, ok2 := digits(b[8:], 6)
	if !ok1 || !ok2 || !validDay(day) || clock/10000 > 23 || clock/100%100 > 59 || clock%100 > 60 {
		return 0, false
	}
	return int64(day)*1000000 + int64(clock), true
}

// digits parses exactly n ASCII digits.
func digits(b []byte, n int) (int, bool) {
	if len(b) != n {
		return 0, false
	}
	v := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int(c-'0')
	}
	return v, true
}

// parseID parses a positive decimal integer of at most 18 digits.
func parseID(b []byte) (int64, bool) {
	if len(b) == 0 || len(b) > 18 {
		return 0, false
	}
	var v int64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int64(c-'0')
	}
	return v, v > 0
}

// parseCount parses a non-negative int32; empty is 0.
func parseCount(b []byte) (int32, bool) {
	if len(b) > 10 {
		return 0, false
	}
	var v int64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int64(c-'0')
	}
	return int32(v), v <= math.MaxInt32
}

// parseOffset parses a character offset: a count, -1 (not found), or empty (-1).
func parseOffset(b []byte) (int32, bool) {
	if len(b) == 0 || (len(b) == 2 && b[0] == '-' && b[1] == '1') {
		return -1, true
	}
	return parseCount(b)
}

// parseFlag parses 0 or 1; empty is false.
func parseFlag(b []byte) (bool, bool) {
	switch {
	case len(b) == 0:
		return false, true
	case len(b) == 1 && b[0] == '0':
		return false, true
	case len(b) == 1 && b[0] == '1':
		return true, true
	}
	return false, false
}

// parseFloat parses a decimal number in [-limit, limit]; empty is NaN.
func parseFloat(b []byte, limit float64) (float32, bool) {
	if len(b) == 0 {
		return float32(math.NaN()), true
	}
	if len(b) > 32 {
		return 0, false
	}
	for _, c := range b { // plain decimals only: no "Inf", "NaN", hex or underscores
		if (c < '0' || c > '9') && c != '.' && c != '-' && c != '+' && c != 'e' && c != 'E' {
			return 0, false
		}
	}
	v, err := strconv.ParseFloat(string(b), 32)
	if err != nil || math.IsNaN(v) || v < -limit || v > limit {
		return 0, false
	}
	return float32(v), true
}
