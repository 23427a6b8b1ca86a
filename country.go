package entente

import "time"

// Country is one spell of a state's existence under one set of codes. A state that
// changed codes (West Germany, COW 260, then Germany, 255) or a seat that passed to a
// successor (the USSR, then Russia, both COW 365) is several Countries with adjoining
// dates. Registry data lives in package country.
type Country struct {
	// ID is entente's code for the state: the ISO 3166-1 alpha-3 code where the spell had
	// one, an ISO 3166-3 former code (SUN, DDR, YMD, YUG, CSK, ...) or, for states that
	// never had one, a user-assigned code from the X block (docs/countries.md lists them).
	// Spells may share an ID (DEU was COW 260 until 1990 and 255 after); ID and Begin
	// together are unique.
	ID        string
	ISO3      string // ISO 3166-1 alpha-3, or the ISO 3166-3 former code; "" if none
	ISO2      string // ISO 3166-1 alpha-2; "" if none
	ISONum    int    // ISO 3166-1 numeric; 0 if none
	COW       int    // Correlates of War state number; 0 if not a COW system member
	COWLetter string // COW state abbreviation (AUS is Austria there); "" if none
	Name      string // English short name
	Aliases   []string
	Begin     time.Time // first day of the spell
	End       time.Time // last day of the spell; zero while it lasts
}

// ExistsAt reports whether the spell covers day t. A zero t matches every spell.
func (c Country) ExistsAt(t time.Time) bool {
	if t.IsZero() {
		return true
	}
	if t.Before(c.Begin) {
		return false
	}
	return c.End.IsZero() || !t.After(c.End)
}

// Overlaps reports whether the spell shares a day with [from, to) (zero bounds are open).
func (c Country) Overlaps(from, to time.Time) bool {
	if !to.IsZero() && !c.Begin.Before(to) {
		return false
	}
	if !from.IsZero() && !c.End.IsZero() && c.End.Before(from) {
		return false
	}
	return true
}

// CountryService resolves states by any code or name at a date. Implementations are
// safe for concurrent use.
type CountryService interface {
	// Resolve accepts ISO3, ISO2, a COW number, "cow:" plus a COW letter code, or a name
	// or alias, case-insensitively. With a non-zero at, only spells existing then match;
	// with a zero at, the latest spell of each match wins. No match is ENOTFOUND; several
	// different states is EINVALID with the candidates listed in the message.
	Resolve(query string, at time.Time) (Country, error)
	// ByCOW, ByISO2, ByISO3 and ByName look up one code at day at (zero: latest spell).
	ByCOW(ccode int, at time.Time) (Country, bool)
	ByISO2(code string, at time.Time) (Country, bool)
	ByISO3(code string, at time.Time) (Country, bool)
	ByName(name string, at time.Time) (Country, bool)
	// All returns every spell, ordered by COW number, then Begin.
	All() []Country
}
