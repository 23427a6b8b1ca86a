package entente

import (
	"fmt"
	"strings"
	"time"
)

// ResolveAt is the one rule for naming a state at a date: the spell of query that
// exists at day at. A state that exists, but not at day at (Moldova in 1985, the Korean
// Empire, cow:KOR, in 2020), is EINVALID with a message that names it, its spells and
// what held its COW number then: the date is a mistake, and an answer for another spell
// would answer another question. With a zero at (no date given), the latest spell: the
// one place where a state is named without a date. Other errors are the lookup's.
//
// It is a function over CountryService, not a method of it, so that every
// implementation (the registry, test doubles) gets the same rule without writing it.
func ResolveAt(s CountryService, query string, at time.Time) (Country, error) {
	c, err := s.Resolve(query, at)
	if err == nil || at.IsZero() || ErrorCode(err) != ENOTFOUND {
		return c, err
	}
	latest, err2 := s.Resolve(query, time.Time{})
	if err2 != nil {
		return c, err
	}
	return Country{}, Errorf(EINVALID, "%s", NotAtMessage(s, query, latest, at))
}

// NotAtMessage says that query, the state c, did not exist at day at: its spells, and
// the state that held its COW number then, if any.
func NotAtMessage(s CountryService, query string, c Country, at time.Time) string {
	var spells []string
	for _, x := range s.All() {
		if x.ID != c.ID {
			continue
		}
		if x.End.IsZero() {
			spells = append(spells, "from "+x.Begin.Format(time.DateOnly))
		} else {
			spells = append(spells, x.Begin.Format(time.DateOnly)+" to "+x.End.Format(time.DateOnly))
		}
	}
	name := fmt.Sprintf("%s (%s)", c.Name, c.ID)
	if !strings.EqualFold(query, c.ID) && !strings.EqualFold(query, c.Name) {
		name = fmt.Sprintf("%s names %s, which", query, name)
	}
	msg := fmt.Sprintf("%s did not exist on %s: its spells are %s", name, at.Format(time.DateOnly), strings.Join(spells, ", "))
	if len(spells) == 1 {
		msg = fmt.Sprintf("%s did not exist on %s: it existed %s", name, at.Format(time.DateOnly), spells[0])
		if c.End.IsZero() {
			msg = fmt.Sprintf("%s did not exist on %s: it exists %s", name, at.Format(time.DateOnly), spells[0])
		}
	}
	if c.COW != 0 {
		if then, ok := s.ByCOW(c.COW, at); ok && then.ID != c.ID {
			msg += fmt.Sprintf(" (COW %d was %s (%s) then)", c.COW, then.Name, then.ID)
		}
	}
	return msg
}
