package ledger

import (
	"fmt"
	"strings"
	"time"

	"github.com/entente/entente"
)

// Check validates acts against the world: actor and counterpart must be states that
// exist at the act's date (resolved through countries) or organisation codes accepted
// by orgs (nil means IsOrganisation); dates must not be after now; ids must be unique
// across all acts given (the error names both places); actor and counterpart must
// differ. A bilateral act is recorded once: an act that mirrors an earlier one (the same
// kind and date, actor and counterpart swapped) is an error (ErrMirroredAct), unless both
// say mutual: false, each side's own act. Acts missing a field Parse reported are
// skipped for that field.
//
// Check rewrites, in place, each actor and counterpart it accepts to its canonical form:
// the state's registry ID (Country.ID) or the upper-case organisation code, so the acts
// are ready for the store. Checking the same acts twice gives the same result.
func Check(acts []Act, countries entente.CountryService, now time.Time, orgs func(string) bool) []error {
	if orgs == nil {
		orgs = IsOrganisation
	}
	var errs []error
	fail := func(a *Act, field string, err error) {
		pos, ok := a.Pos[field]
		if !ok {
			pos = Pos{Line: a.Line}
		}
		errs = append(errs, &entente.ParseError{File: a.File, Line: pos.Line, Column: pos.Column, Field: field, Err: err})
	}
	seen := map[string]*Act{}
	directed := map[mirrorKey]*Act{}
	for i := range acts {
		a := &acts[i]
		if a.ID != "" {
			if first, dup := seen[a.ID]; dup {
				fail(a, "id", cause(ErrDuplicateID, "duplicate id %q: also at %s:%d", a.ID, first.File, first.Pos["id"].Line))
			} else {
				seen[a.ID] = a
			}
		}
		if a.Date.After(now) {
			fail(a, "date", cause(ErrFutureDate, "date %s is after today (%s)", a.Date.Format(time.DateOnly), now.Format(time.DateOnly)))
		}
		if a.End.After(now) && !a.Date.After(now) {
			fail(a, "end", cause(ErrFutureDate, "end %s is after today (%s); leave end out while the state of affairs lasts", a.End.Format(time.DateOnly), now.Format(time.DateOnly)))
		}
		for j, c := range a.Sources {
			if c.Published.After(now) {
				fail(a, fmt.Sprintf("sources[%d].published", j), cause(ErrFutureDate, "published %s is after today (%s)", c.Published.Format(time.DateOnly), now.Format(time.DateOnly)))
			}
		}
		actorOK := resolve(a, &a.Actor, "actor", countries, orgs, fail)
		counterOK := resolve(a, &a.Counterpart, "counterpart", countries, orgs, fail)
		if actorOK && counterOK && a.Actor == a.Counterpart {
			fail(a, "counterpart", cause(ErrSelfAct, "%s acts on itself", a.Actor))
		}
		if actorOK && counterOK && a.Kind != "" {
			k := mirrorKey{a.Kind, a.Date, a.Precision, a.Actor, a.Counterpart}
			if m, ok := directed[mirrorKey{a.Kind, a.Date, a.Precision, a.Counterpart, a.Actor}]; ok && !(a.OneSided && m.OneSided) {
				field := "actor"
				if _, ok := a.Pos["mutual"]; ok {
					field = "mutual"
				}
				fail(a, field, cause(ErrMirroredAct, "%s %s %s on %s mirrors %s at %s:%d: a bilateral act is recorded once (mutual: true); if each side acted on its own, say mutual: false on both",
					a.Actor, a.Kind, a.Counterpart, formatDate(a.Date, a.Precision), m.ID, m.File, m.Line))
			} else if _, ok := directed[k]; !ok {
				directed[k] = a
			}
		}
	}
	return errs
}

// mirrorKey identifies a directed act for finding its mirror: the same kind and date with
// the parties swapped.
type mirrorKey struct {
	kind               string
	date               time.Time
	precision          entente.Precision
	actor, counterpart string
}

// resolve canonicalises one party of an act; it reports whether the party is known.
// Organisation codes are tried first so that a code is never read as a state's name.
func resolve(a *Act, party *string, field string, countries entente.CountryService, orgs func(string) bool, fail func(*Act, string, error)) bool {
	q := strings.TrimSpace(*party)
	if q == "" || a.Date.IsZero() {
		return false // Parse reported it
	}
	if orgs(q) {
		*party = strings.ToUpper(q)
		return true
	}
	c, err := countries.Resolve(q, a.Date)
	if err != nil {
		fail(a, field, cause(entente.ErrUnknownState, "unknown state or organisation %q on %s: %v", q, a.Date.Format(time.DateOnly), err))
		return false
	}
	*party = c.ID
	return true
}

// causeError carries a full message while unwrapping to its sentinel, so messages need
// not repeat the sentinel's text.
type causeError struct {
	sentinel error
	msg      string
}

func (e *causeError) Error() string { return e.msg }
func (e *causeError) Unwrap() error { return e.sentinel }

func cause(sentinel error, format string, args ...any) error {
	return &causeError{sentinel, fmt.Sprintf(format, args...)}
}
