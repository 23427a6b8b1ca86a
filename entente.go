// Package entente holds the domain of the entente system: states, facts (UN votes and
// roll calls), signals and the storage contract every backend implements. It imports
// only the standard library; packages for formats, stores and interfaces depend on it.
package entente

import (
	"errors"
	"fmt"
	"strings"
)

// Error codes. Each maps to exactly one exit code (cmd/entente) and one HTTP status.
const (
	EINVALID  = "invalid"   // bad input or usage: exit 2, HTTP 400
	ENOTFOUND = "not_found" // an unknown state, roll call, ...: exit 2, HTTP 404
	ECONFLICT = "conflict"  // the store is in a state that forbids the action: exit 1, HTTP 409
	EINTERNAL = "internal"  // a bug or an I/O failure: exit 1, HTTP 500
)

// Error is the domain error: a code from the list above and a message meant for users.
type Error struct {
	Code    string
	Message string
}

// Error implements the error interface.
func (e *Error) Error() string { return e.Message }

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EINVALID for a
// *ParseError or a *RecordError (bad input), EINTERNAL for any other non-nil error and
// "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	var pe *ParseError
	if errors.As(err, &pe) {
		return EINVALID
	}
	var re *RecordError
	if errors.As(err, &re) {
		return EINVALID
	}
	return EINTERNAL
}

// Sentinel causes of bad input. Parsers wrap them in a *ParseError, so callers can test
// with errors.Is and users read file, line and field.
var (
	ErrEmpty        = errors.New("empty file")
	ErrHeader       = errors.New("unrecognised header")
	ErrFieldCount   = errors.New("wrong number of fields")
	ErrBadVote      = errors.New("bad vote code")
	ErrBadDate      = errors.New("bad date")
	ErrBadNumber    = errors.New("bad number")
	ErrUnknownState = errors.New("unknown state")
	ErrNotUTF8      = errors.New("not valid UTF-8")
	ErrLineTooLong  = errors.New("line too long")
	ErrTruncated    = errors.New("truncated file")
	ErrQuote        = errors.New("bad quoting")
)

// ParseError is an error in one place of an input file, in the manner of encoding/csv's.
// Line and Column are 1-based; Column is 0 when the whole line is at fault.
type ParseError struct {
	File   string
	Line   int
	Column int
	Field  string // the column name, when known
	Err    error  // one of the Err* sentinels, possibly wrapped with detail
}

// Error formats the position the way compilers do: file:line:column: field: cause.
func (e *ParseError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
		if e.Column > 0 {
			fmt.Fprintf(&b, ":%d", e.Column)
		}
	}
	b.WriteString(": ")
	if e.Field != "" {
		b.WriteString("field ")
		b.WriteString(e.Field)
		b.WriteString(": ")
	}
	b.WriteString(e.Err.Error())
	return b.String()
}

// Unwrap returns the cause, so errors.Is(err, ErrBadVote) works.
func (e *ParseError) Unwrap() error { return e.Err }
