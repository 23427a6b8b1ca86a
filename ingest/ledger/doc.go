// Package ledger reads and validates entente's cited ledger of acts: plain-text YAML
// files, each a list of dated acts between a state and a state or an organisation, with
// their public sources. docs/ledger.md documents the format and the vocabulary.
//
// The work is in three steps, each usable alone: Parse turns one file into acts and the
// errors found in it alone (syntax, unknown or missing fields, bad dates, kinds and
// stances, sources without a way to find them); Check validates acts against the world
// (states resolved at the act's date, organisation codes, the clock, ids unique across
// files); Load reads files, folders and globs and runs Parse on each. Import maps them
// into a store's entente.TieWriter, as the other ingest packages do: acts, and the
// entries with any error quarantined. Every error about
// input is an *entente.ParseError with the file and the line of the offending field,
// wrapping one of the sentinels below (or entente.ErrBadDate, entente.ErrUnknownState,
// entente.ErrEmpty), so callers test with errors.Is.
package ledger

import (
	"errors"
	"fmt"
	"strings"

	"github.com/entente/entente"
)

// Sentinel causes of a bad ledger entry. The domain package has no ledger-specific
// sentinels, so they live here; all are wrapped in an *entente.ParseError.
var (
	ErrSyntax = errors.New("YAML syntax error")
	ErrShape  = errors.New("wrong shape")
	// ErrFileShape is an ErrShape of the file as a whole (not a list of acts, several
	// YAML documents, anchors and aliases, too large): the import refuses such a file.
	ErrFileShape      = fmt.Errorf("%w", ErrShape)
	ErrUnknownField   = errors.New("unknown field")
	ErrRepeatedField  = errors.New("field given twice")
	ErrMissingField   = errors.New("missing required field")
	ErrBadValue       = errors.New("bad value")
	ErrUnknownKind    = errors.New("unknown kind")
	ErrBadStance      = errors.New("bad stance")
	ErrMissingSource  = errors.New("missing source")
	ErrBadSource      = errors.New("source cannot be found")
	ErrFutureDate     = errors.New("date in the future")
	ErrDuplicateID    = errors.New("duplicate id")
	ErrEndBeforeStart = errors.New("end before start")
	ErrSelfAct        = errors.New("actor and counterpart are the same")
	ErrMirroredAct    = errors.New("mirrored act")
)

// Organisations are the organisation codes a counterpart may name, with their full
// names. A later bloc registry may replace this list: Check takes the test as an
// argument.
var Organisations = entente.Organisations

// IsOrganisation reports whether code is a key of Organisations, case-insensitively.
// It is the default organisation test of Check.
func IsOrganisation(code string) bool {
	_, ok := Organisations[strings.ToUpper(strings.TrimSpace(code))]
	return ok
}

// DefaultStance is the stance an act of each kind takes toward its counterpart when the
// entry gives none. A kind missing here (regime_change: the fall of a government can
// bring a state closer to or away from a counterpart) needs an explicit stance.
var DefaultStance = entente.DefaultStances
