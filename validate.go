package entente

import (
	"errors"
	"fmt"
	"unicode/utf8"
)

// The rules a record must meet before any store keeps it, written once here so every
// backend refuses the same records with the same message. A store's writer calls
// Validate on each record it receives, through ImportLog.Record, and stops the import
// on the first error: a record that fails here is a bug of the format package that made
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

// missing and outOfRange make the RecordError of a failed rule; key formats what
// identifies the record and is called only then, so a record that passes costs no
// allocation (Validate runs once per record of every import).
func missing(record string, key func() string, field string) error {
	return &RecordError{Record: record, Key: key(), Field: field, Err: ErrRequired}
}

func outOfRange(record string, key func() string, field string, v, lo, hi int) error {
	return &RecordError{Record: record, Key: key(), Field: field, Err: fmt.Errorf("%d: %w %d..%d", v, ErrOutOfRange, lo, hi)}
}

func within(v, lo, hi int) bool { return lo <= v && v <= hi }

// Validate checks a roll call: source, id and date given, session in 0..32767.
func (rc RollCall) Validate() error {
	key := func() string { return fmt.Sprintf("%q of source %q", rc.ID, rc.Source) }
	switch {
	case rc.Source == "":
		return missing("roll call", key, "source")
	case rc.ID == "":
		return missing("roll call", key, "id")
	case rc.Date.IsZero():
		return missing("roll call", key, "date")
	case !within(rc.Session, 0, maxSmallInt):
		return outOfRange("roll call", key, "session", rc.Session, 0, maxSmallInt)
	}
	return nil
}

// Validate checks a vote: source and roll call given, ccode in 1..MaxCCode.
func (v Vote) Validate() error {
	key := func() string { return fmt.Sprintf("line %d", v.Line) }
	switch {
	case v.Source == "":
		return missing("vote", key, "source")
	case v.RollCallID == "":
		return missing("vote", key, "roll call")
	case !within(v.CCode, 1, MaxCCode):
		return outOfRange("vote", key, "ccode", v.CCode, 1, MaxCCode)
	}
	return nil
}

// Validate checks an issue record: every field given.
func (i RollCallIssue) Validate() error {
	key := func() string { return fmt.Sprintf("%q of %s/%s", i.Issue, i.Source, i.RollCallID) }
	switch {
	case i.Source == "":
		return missing("issue", key, "source")
	case i.RollCallID == "":
		return missing("issue", key, "roll call")
	case i.Issue == "":
		return missing("issue", key, "issue")
	}
	return nil
}

// Validate checks an event: source, day and event code given, quad class in 1..4.
func (e Event) Validate() error {
	key := func() string { return fmt.Sprintf("%d line %d", e.ID, e.Line) }
	switch {
	case e.Source == "":
		return missing("event", key, "source")
	case e.Day.IsZero():
		return missing("event", key, "day")
	case e.EventCode == "":
		return missing("event", key, "event code")
	case !within(int(e.Quad), 1, 4):
		return outOfRange("event", key, "quad class", int(e.Quad), 1, 4)
	}
	return nil
}

// Validate checks a mention: its URL given.
func (m Mention) Validate() error {
	if m.URL == "" {
		return missing("mention", func() string { return fmt.Sprintf("of event %d line %d", m.EventID, m.Line) }, "url")
	}
	return nil
}

// Validate checks an aid record: donor, recipient, month, kind and the release title
// (the citation's Title, the record's key) given.
func (a Aid) Validate() error {
	key := func() string { return fmt.Sprintf("line %d", a.Line) }
	switch {
	case a.Donor == "":
		return missing("aid", key, "donor")
	case a.Recipient == "":
		return missing("aid", key, "recipient")
	case a.Month.IsZero():
		return missing("aid", key, "month")
	case a.Kind == "":
		return missing("aid", key, "kind")
	case a.Cite.Title == "":
		return missing("aid", key, "release title")
	}
	return nil
}

// Validate checks an alliance dyad-year: both ccodes in 1..MaxCCode, year in 1..32767.
func (t AllianceTie) Validate() error {
	key := func() string { return fmt.Sprintf("line %d", t.Line) }
	switch {
	case !within(t.A, 1, MaxCCode):
		return outOfRange("alliance", key, "ccode1", t.A, 1, MaxCCode)
	case !within(t.B, 1, MaxCCode):
		return outOfRange("alliance", key, "ccode2", t.B, 1, MaxCCode)
	case !within(t.Year, 1, maxSmallInt):
		return outOfRange("alliance", key, "year", t.Year, 1, maxSmallInt)
	}
	return nil
}

// Validate checks a membership spell: source, state, organisation and begin given,
// ccode in 0..MaxCCode (0: not known).
func (m Membership) Validate() error {
	key := func() string { return fmt.Sprintf("line %d", m.Line) }
	switch {
	case m.Source == "":
		return missing("membership", key, "source")
	case m.State == "":
		return missing("membership", key, "state")
	case m.Org == "":
		return missing("membership", key, "organisation")
	case m.Begin.IsZero():
		return missing("membership", key, "begin")
	case !within(m.CCode, 0, MaxCCode):
		return outOfRange("membership", key, "ccode", m.CCode, 0, MaxCCode)
	}
	return nil
}

// Validate checks a ledger act: id, date, actor, counterpart, kind and at least one
// source given.
func (a Act) Validate() error {
	key := func() string { return fmt.Sprintf("%q line %d", a.ID, a.Line) }
	switch {
	case a.ID == "":
		return missing("act", key, "id")
	case a.Date.IsZero():
		return missing("act", key, "date")
	case a.Actor == "":
		return missing("act", key, "actor")
	case a.Counterpart == "":
		return missing("act", key, "counterpart")
	case a.Kind == "":
		return missing("act", key, "kind")
	case len(a.Sources) == 0:
		return missing("act", key, "sources")
	}
	return nil
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
