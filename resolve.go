package entente

import "time"

// ResolveAt is the one rule for naming a state at a date: the spell of query that
// exists at day at, else its latest spell (a state asked for after its end, or before
// its beginning, is still the state the user meant). With a zero at it is
// s.Resolve(query, time.Time{}). The error is the one of the lookup at day at.
//
// It is a function over CountryService, not a method of it, so that every
// implementation (the registry, test doubles) gets the same rule without writing it.
func ResolveAt(s CountryService, query string, at time.Time) (Country, error) {
	c, err := s.Resolve(query, at)
	if err != nil && !at.IsZero() {
		if latest, err2 := s.Resolve(query, time.Time{}); err2 == nil {
			return latest, nil
		}
	}
	return c, err
}
