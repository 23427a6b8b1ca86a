package unvotes

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/entente/entente"
)

// Tolerance is how far from a spell of its COW number a vote may be dated and still be
// attributed to it (the Voeten file dates some votes by the session's start).
const Tolerance = 366 * 24 * time.Hour

// codeKind is the kind of state code a layout carries.
type codeKind uint8

const (
	kindCOW codeKind = iota
	kindISO2
	kindISO3
	kindName
)

func (k codeKind) String() string {
	return [...]string{"COW", "ISO2", "ISO3", "name"}[k]
}

type codeKey struct {
	kind codeKind
	code string
	cow  int
}

// resolver applies the succession rule of the package comment, with a cache and tallies
// for the file notes. It serves one file.
type resolver struct {
	cs     entente.CountryService
	byCOW  map[int][]entente.Country // from cs.All(), built on first need
	direct map[codeKey]entente.Country

	succession map[string]int       // "RU → SUN (COW 365)" → votes
	tolerated  map[string]*dateSpan // "COW 511 → XZZ (1963-12-10..1964-04-25)" → votes and their dates
}

func newResolver(cs entente.CountryService) *resolver {
	return &resolver{cs: cs, direct: map[codeKey]entente.Country{}, succession: map[string]int{}, tolerated: map[string]*dateSpan{}}
}

func (r *resolver) lookup(kind codeKind, code string, cow int, at time.Time) (entente.Country, bool) {
	switch kind {
	case kindCOW:
		return r.cs.ByCOW(cow, at)
	case kindISO2:
		return r.cs.ByISO2(code, at)
	case kindISO3:
		return r.cs.ByISO3(code, at)
	default:
		return r.cs.ByName(code, at)
	}
}

// resolve returns the spell a vote by code at day at belongs to. For kindCOW, code is
// "" and cow the number.
func (r *resolver) resolve(kind codeKind, code string, cow int, at time.Time) (entente.Country, error) {
	key := codeKey{kind, code, cow}
	if c, ok := r.direct[key]; ok && c.ExistsAt(at) {
		return c, nil
	}
	if c, ok := r.lookup(kind, code, cow, at); ok {
		r.direct[key] = c
		return c, nil
	}
	// Succession: the code's latest spell names the COW number to look up at the date.
	target := cow
	if kind != kindCOW {
		latest, ok := r.lookup(kind, code, 0, time.Time{})
		if !ok || latest.COW == 0 {
			return entente.Country{}, r.unknown(kind, code, at)
		}
		target = latest.COW
		if c, ok := r.cs.ByCOW(target, at); ok {
			r.succession[fmt.Sprintf("%s %s → %s (COW %d)", kind, code, c.ID, target)]++
			return c, nil
		}
	}
	if kind == kindCOW {
		code = strconv.Itoa(cow)
	}
	if c, ok := r.nearest(target, at); ok {
		key := fmt.Sprintf("%s %s → %s (%s)", kind, code, c.ID, spellDates(c))
		sp := r.tolerated[key]
		if sp == nil {
			sp = &dateSpan{first: at, last: at}
			r.tolerated[key] = sp
		}
		sp.add(at)
		return c, nil
	}
	return entente.Country{}, r.unknown(kind, code, at)
}

func (r *resolver) unknown(kind codeKind, code string, at time.Time) error {
	return fmt.Errorf("%w %s at %s (%s code; no spell of it or of its COW number within 366 days)", entente.ErrUnknownState, code, at.Format(time.DateOnly), kind)
}

// nearest returns the spell of COW number cow closest to at, if within Tolerance.
func (r *resolver) nearest(cow int, at time.Time) (entente.Country, bool) {
	if cow == 0 {
		return entente.Country{}, false
	}
	if r.byCOW == nil {
		r.byCOW = map[int][]entente.Country{}
		for _, c := range r.cs.All() {
			if c.COW != 0 {
				r.byCOW[c.COW] = append(r.byCOW[c.COW], c)
			}
		}
	}
	var best entente.Country
	bestGap := time.Duration(-1)
	for _, c := range r.byCOW[cow] {
		var gap time.Duration
		switch {
		case at.Before(c.Begin):
			gap = c.Begin.Sub(at)
		case !c.End.IsZero() && at.After(c.End):
			gap = at.Sub(c.End)
		}
		if bestGap < 0 || gap < bestGap {
			best, bestGap = c, gap
		}
	}
	return best, bestGap >= 0 && bestGap <= Tolerance
}

func spellDates(c entente.Country) string {
	end := ""
	if !c.End.IsZero() {
		end = c.End.Format(time.DateOnly)
	}
	return c.Begin.Format(time.DateOnly) + ".." + end
}

// notes returns the tallies as file notes.
func (r *resolver) notes() []string {
	var out []string
	if n, s := tally(r.succession); n > 0 {
		out = append(out, fmt.Sprintf("%d votes resolved by succession (code without a spell at the vote's date, its latest spell's COW number used): %s", n, s))
	}
	if len(r.tolerated) > 0 {
		keys := make([]string, 0, len(r.tolerated))
		n := 0
		for k, sp := range r.tolerated {
			keys = append(keys, k)
			n += sp.n
		}
		slices.Sort(keys)
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = k + " ×" + strconv.Itoa(r.tolerated[k].n) + " " + r.tolerated[k].String()
		}
		out = append(out, fmt.Sprintf("%d votes dated outside their state's spell resolved by the 366-day tolerance: %s", n, strings.Join(parts, "; ")))
	}
	return out
}

func tally(m map[string]int) (int, string) {
	keys := make([]string, 0, len(m))
	n := 0
	for k, v := range m {
		keys = append(keys, k)
		n += v
	}
	slices.Sort(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + " ×" + strconv.Itoa(m[k])
	}
	return n, strings.Join(parts, "; ")
}

// dateSpan counts votes and the range of their dates.
type dateSpan struct {
	n           int
	first, last time.Time
}

func (d *dateSpan) add(t time.Time) {
	d.n++
	if t.Before(d.first) {
		d.first = t
	}
	if t.After(d.last) {
		d.last = t
	}
}

// String gives "on 1963-12-03" or "from 1991-10-03 to 1991-12-06".
func (d *dateSpan) String() string {
	if d.first.Equal(d.last) {
		return "on " + d.first.Format(time.DateOnly)
	}
	return "from " + d.first.Format(time.DateOnly) + " to " + d.last.Format(time.DateOnly)
}
