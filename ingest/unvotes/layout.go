package unvotes

import (
	"fmt"
	"strings"

	"github.com/entente/entente"
)

// Layout is one of the file layouts this package reads.
type Layout int

// Layouts, detected from the header line.
const (
	LayoutUnknown   Layout = iota
	LayoutVoeten           // Voeten long file: "resid","ccode","date","year","vote"
	LayoutVotes            // unvotes un_votes.csv: "rcid","country","country_code","vote"
	LayoutRollCalls        // unvotes un_roll_calls.csv: "rcid","session","importantvote","date",...
	LayoutIssues           // unvotes un_roll_call_issues.csv: "rcid","short_name","issue"
	LayoutUNDL             // UN Digital Library wide file: Link,token,...,Council,...,Date,...,tags,AGO,ALB,...
)

// String names the layout as users see it in messages.
func (l Layout) String() string {
	switch l {
	case LayoutVoeten:
		return "voeten votes"
	case LayoutVotes:
		return "unvotes votes"
	case LayoutRollCalls:
		return "unvotes roll calls"
	case LayoutIssues:
		return "unvotes roll-call issues"
	case LayoutUNDL:
		return "UN Digital Library votes"
	}
	return "unknown"
}

// Source returns the entente.Source* constant of the layout's dataset.
func (l Layout) Source() string {
	switch l {
	case LayoutVoeten:
		return entente.SourceVoeten
	case LayoutVotes, LayoutRollCalls, LayoutIssues:
		return entente.SourceUNVotes
	case LayoutUNDL:
		return entente.SourceUNDL
	}
	return ""
}

// required columns of each layout; a header must name all of them (in any order; extra
// columns are ignored, so later releases that add columns still load).
var required = map[Layout][]string{
	LayoutVoeten:    {"resid", "ccode", "date", "vote"},
	LayoutVotes:     {"rcid", "country", "country_code", "vote"},
	LayoutRollCalls: {"rcid", "session", "importantvote", "date", "unres", "short", "descr"},
	LayoutIssues:    {"rcid", "short_name"},
	LayoutUNDL:      {"Link", "token", "Title", "Council", "Resolution", "Date"},
}

// detectOrder tries the more specific layouts first (every votes header has "vote").
var detectOrder = []Layout{LayoutUNDL, LayoutRollCalls, LayoutVoeten, LayoutVotes, LayoutIssues}

// schema is a detected header: where each needed column is.
type schema struct {
	layout Layout
	n      int            // fields per record
	col    map[string]int // required column -> index
	names  []string       // header names, for error messages
	// UNDL: the state columns (three upper-case letters), their index and ISO3 code.
	stateCols []int
}

// Detect returns the layout named by a header line. An unknown header is an error
// wrapping entente.ErrHeader.
func Detect(header []string) (Layout, error) {
	s, err := newSchema(header)
	return s.layout, err
}

func newSchema(header []string) (schema, error) {
	idx := make(map[string]int, len(header))
	for i, h := range header {
		h = strings.TrimSpace(h)
		if _, dup := idx[h]; !dup {
			idx[h] = i
		}
	}
	for _, l := range detectOrder {
		s := schema{layout: l, n: len(header), col: map[string]int{}, names: header}
		ok := true
		for _, name := range required[l] {
			i, found := idx[name]
			if !found {
				ok = false
				break
			}
			s.col[name] = i
		}
		if !ok {
			continue
		}
		if l == LayoutUNDL {
			for i, h := range header {
				if isISO3(h) {
					s.stateCols = append(s.stateCols, i)
				}
			}
			if len(s.stateCols) == 0 {
				return schema{}, fmt.Errorf("%w: UN Digital Library layout without state (ISO3) columns", entente.ErrHeader)
			}
		}
		return s, nil
	}
	shown := header
	if len(shown) > 12 {
		shown = shown[:12]
	}
	return schema{}, fmt.Errorf("%w: %q is not a known UN votes layout (Voeten, unvotes votes, roll calls or issues, UN Digital Library)", entente.ErrHeader, shown)
}

func isISO3(h string) bool {
	if len(h) != 3 {
		return false
	}
	for i := 0; i < 3; i++ {
		if h[i] < 'A' || h[i] > 'Z' {
			return false
		}
	}
	return true
}
