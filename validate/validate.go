// Package validate measures how well an alignment score, computed at one date, separates
// the states that later acted with a focal state from those that acted against it, and
// checks orderings that public facts imply.
//
// Two text formats feed it, documented in testdata/validation/README.md and
// testdata/facevalidity/README.md:
//
//   - label files (ParseLabels): a focal state, the date to predict from, the outcome and
//     its sources, then one state per line with its group (with, against, neutral);
//   - face-validity files (ParseFaceValidity): named sources, then one assertion per line,
//     "FOCAL AT SUBJECTS VERB ARGS [source,...]", e.g. "RUS 2023 UKR below HUN [war]".
//
// A Scorer gives each state's score with a focal state at a date; AUC turns one label set
// and one scorer's scores into the Mann–Whitney area under the ROC curve, and Run puts
// several scorers side by side over many label sets. States a scorer does not score are
// unknown: they are named in the result and left out, never scored 0.
//
// The package imports only the root package and the standard library; cmd/entente wires
// the index engine into it.
package validate

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/entente/entente"
)

// ErrSyntax is wrapped by every ParseError.
var ErrSyntax = errors.New("syntax error")

// ParseError is a bad line in a label or face-validity file. Column is 1-based and 0 when
// the whole line is at fault; Field names the part of the line, if any.
type ParseError struct {
	File   string
	Line   int
	Column int
	Field  string
	Msg    string
}

// Error formats the position as file:line:column.
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
		b.WriteString(e.Field + ": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Unwrap returns ErrSyntax, so errors.Is(err, ErrSyntax) holds.
func (e *ParseError) Unwrap() error { return ErrSyntax }

// Source is a public document a label or an assertion rests on.
type Source struct {
	URL   string
	Title string
	Date  string // as published: YYYY, YYYY-MM or YYYY-MM-DD
}

// parseSource reads "URL | title | date".
func parseSource(s string) (Source, string) {
	parts := strings.Split(s, "|")
	if len(parts) != 3 {
		return Source{}, "want \"URL | title | date\""
	}
	src := Source{URL: strings.TrimSpace(parts[0]), Title: strings.TrimSpace(parts[1]), Date: strings.TrimSpace(parts[2])}
	if !strings.HasPrefix(src.URL, "http://") && !strings.HasPrefix(src.URL, "https://") {
		return src, fmt.Sprintf("URL %q does not start with http:// or https://", src.URL)
	}
	if src.Title == "" {
		return src, "empty title"
	}
	if _, err := entente.ParseDateSpec(src.Date); err != nil {
		return src, fmt.Sprintf("date %q: want YYYY, YYYY-MM or YYYY-MM-DD", src.Date)
	}
	return src, ""
}

// validID reports whether s looks like a registry ID: three upper-case ASCII letters.
func validID(s string) bool {
	if len(s) != 3 {
		return false
	}
	for i := 0; i < 3; i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}

// Scorer returns every state's score with focal at date at (the exclusive end of the
// evidence), keyed by registry ID. A state absent from the map, or with a NaN score, is
// unknown. Higher means closer to the focal state.
type Scorer func(ctx context.Context, focal entente.Country, at time.Time) (map[string]float64, error)

// Ranked is one state in a ranking: its registry ID, score and class ("" when the
// scorer has no classes).
type Ranked struct {
	ID    string
	Score float64
	Class string
}

// Ranker returns the states scored with focal at date at, in any order; states it cannot
// score are left out (or carry a NaN score). Face-validity assertions are evaluated on it.
type Ranker func(ctx context.Context, focal entente.Country, at time.Time) ([]Ranked, error)
