package entente

import (
	"errors"
	"fmt"
	"unicode/utf8"
)

// The rules a record must meet before any store keeps it, written once here so every
// backend refuses the same records with the same message. A store's writer calls
// Validate on each record it receives (through ImportLog.Record) and stops the import on
// the first error: a record that fails here is a bug of the format package that made
// it, not bad input to quarantine (format packages quarantine bad rows themselves).

// Causes of a RecordError.
var (
	ErrRequired   = errors.New("required")
	ErrOutOfRange = errors.New("out of range")
)

// MaxCCode is the largest COW number the stores hold: the ballots encoding keeps
// ccode*4 + vote in 16 bits (duckdb migration 0002).
const MaxCCode = 16383

// maxSmallInt is the largest session or year the stores hold (a 16-bit column).
const maxSmallInt = 32767

// MaxRawBytes is the most of a refused record's raw line that a quarantine record keeps.
const MaxRawBytes = 1000

// RecordError is a record that Validate refused: which record, which field and why.
// Its error code is EINVALID.
type RecordError struct {
	Record string // the kind of record: "vote", "roll call", "membership", ...
	Key    string // what identifies it to a user: "line 12", "voeten/3421", ...
	Field  string // the offending field
	Err    error  // ErrRequired or ErrOutOfRange, possibly wrapped with detail
}

// Error reads "vote line 12: field ccode: 20000: out of range 1..16383".
func (e *RecordError) Error() string {
	return fmt.Sprintf("%s %s: field %s: %v", e.Record, e.Key, e.Field, e.Err)
}

// Unwrap returns the cause, so errors.Is(err, ErrRequired) works.
func (e *RecordError) Unwrap() error { return e.Err }

// check accumulates the first failed rule of one record.
type check struct {
	record, key string
	err         *RecordError
}

func newCheck(record, key string) *check { return &check{record: record, key: key} }

// required fails when ok is false: field must be given.
func (c *check) required(field string, ok bool) {
	if c.err == nil && !ok {
		c.err = &RecordError{Record: c.record, Key: c.key, Field: field, Err: ErrRequired}
	}
}

// within fails when v is outside [lo, hi].
func (c *check) within(field string, v, lo, hi int) {
	if c.err == nil && (v < lo || v > hi) {
		c.err = &RecordError{Record: c.record, Key: c.key, Field: field, Err: fmt.Errorf("%d: %w %d..%d", v, ErrOutOfRange, lo, hi)}
	}
}

// result returns the first failure as an error, nil when every rule held.
func (c *check) result() error {
	if c.err == nil {
		return nil
	}
	return c.err
}

func lineKey(line int) string { return fmt.Sprintf("line %d", line) }

// Validate checks a roll call: source, id and date given, session in 0..32767.
func (rc RollCall) Validate() error {
	c := newCheck("roll call", fmt.Sprintf("%q of source %q", rc.ID, rc.Source))
	c.required("source", rc.Source != "")
	c.required("id", rc.ID != "")
	c.required("date", !rc.Date.IsZero())
	c.within("session", rc.Session, 0, maxSmallInt)
	return c.result()
}

// Validate checks a vote: source and roll call given, ccode in 1..MaxCCode.
func (v Vote) Validate() error {
	c := newCheck("vote", lineKey(v.Line))
	c.required("source", v.Source != "")
	c.required("roll call", v.RollCallID != "")
	c.within("ccode", v.CCode, 1, MaxCCode)
	return c.result()
}

// Validate checks an issue record: every field given.
func (i RollCallIssue) Validate() error {
	c := newCheck("issue", fmt.Sprintf("%q of %s/%s", i.Issue, i.Source, i.RollCallID))
	c.required("source", i.Source != "")
	c.required("roll call", i.RollCallID != "")
	c.required("issue", i.Issue != "")
	return c.result()
}

// Validate checks an event: source, day and event code given, quad class in 1..4.
func (e Event) Validate() error {
	c := newCheck("event", fmt.Sprintf("%d line %d", e.ID, e.Line))
	c.required("source", e.Source != "")
	c.required("day", !e.Day.IsZero())
	c.required("event code", e.EventCode != "")
	c.within("quad class", int(e.Quad), 1, 4)
	return c.result()
}

// Validate checks a mention: its URL given.
func (m Mention) Validate() error {
	c := newCheck("mention", fmt.Sprintf("of event %d line %d", m.EventID, m.Line))
	c.required("url", m.URL != "")
	return c.result()
}

// Validate checks an aid record: donor, recipient, month, kind and the release title
// (the citation's Title, the record's key) given.
func (a Aid) Validate() error {
	c := newCheck("aid", lineKey(a.Line))
	c.required("donor", a.Donor != "")
	c.required("recipient", a.Recipient != "")
	c.required("month", !a.Month.IsZero())
	c.required("kind", a.Kind != "")
	c.required("release title", a.Cite.Title != "")
	return c.result()
}

// Validate checks an alliance dyad-year: both ccodes in 1..MaxCCode, year in 1..32767.
func (t AllianceTie) Validate() error {
	c := newCheck("alliance", lineKey(t.Line))
	c.within("ccode1", t.A, 1, MaxCCode)
	c.within("ccode2", t.B, 1, MaxCCode)
	c.within("year", t.Year, 1, maxSmallInt)
	return c.result()
}

// Validate checks a membership spell: source, state, organisation and begin given,
// ccode in 0..MaxCCode (0: not known).
func (m Membership) Validate() error {
	c := newCheck("membership", lineKey(m.Line))
	c.required("source", m.Source != "")
	c.required("state", m.State != "")
	c.required("organisation", m.Org != "")
	c.required("begin", !m.Begin.IsZero())
	c.within("ccode", m.CCode, 0, MaxCCode)
	return c.result()
}

// Validate checks a ledger act: id, date, actor, counterpart, kind and at least one
// source given.
func (a Act) Validate() error {
	c := newCheck("act", fmt.Sprintf("%q line %d", a.ID, a.Line))
	c.required("id", a.ID != "")
	c.required("date", !a.Date.IsZero())
	c.required("actor", a.Actor != "")
	c.required("counterpart", a.Counterpart != "")
	c.required("kind", a.Kind != "")
	c.required("sources", len(a.Sources) > 0)
	return c.result()
}

// CutRaw returns a raw input line as a quarantine record keeps it: each run of invalid
// UTF-8 replaced by one U+FFFD, as strings.ToValidUTF8 does (every store holds only
// valid UTF-8, and refused lines are often the ones that are not), then cut to at most
// MaxRawBytes without splitting a character. It reads no further into raw than the
// result needs.
func CutRaw(raw []byte) string { return cutRaw(raw, utf8.DecodeRune) }

// CutRawString is CutRaw of a string.
func CutRawString(raw string) string { return cutRaw(raw, utf8.DecodeRuneInString) }

func cutRaw[T string | []byte](raw T, decode func(T) (rune, int)) string {
	out := make([]byte, 0, min(len(raw), MaxRawBytes))
	inBad := false // inside a run of invalid bytes, already replaced
	for i := 0; i < len(raw); {
		r, n := decode(raw[i:])
		if r == utf8.RuneError && n == 1 {
			if !inBad {
				if len(out)+len(replacement) > MaxRawBytes {
					break
				}
				out = append(out, replacement...)
				inBad = true
			}
			i++
			continue
		}
		if len(out)+n > MaxRawBytes {
			break
		}
		out = append(out, raw[i:i+n]...)
		inBad = false
		i += n
	}
	return string(out)
}

const replacement = "\uFFFD"
