package index

import (
	"context"
	"time"

	"github.com/entente/entente"
)

// Table is an answer of the engine ready to write: named columns and rows whose cells
// are string, int, int64, float64 (NaN: undefined) or nil (undefined), the values the
// command line and the API write as they are. Notes are what the answer's reader should
// know beside the rows (coverage, what was left out and why).
type Table struct {
	Columns []string
	Rows    [][]any
	Notes   []string
}

func (t *Table) row(vals ...any) { t.Rows = append(t.Rows, vals) }

// Window is the span of a single-signal ranking: [From, To) and its label.
type Window struct {
	From, To time.Time
	Label    string
}

// Day returns the last day of the window, the day its states are named at.
func (w Window) Day() time.Time { return w.To.AddDate(0, 0, -1) }

// RankWindow turns a date (nil: none given) into a ranking's window: a year means that
// calendar year, a month or a day the 12 months ending with it; without a date, the 12
// months ending with last, the last day with data.
func RankWindow(at *entente.DateSpec, last time.Time) Window {
	if at == nil {
		to := last.AddDate(0, 0, 1)
		from := to.AddDate(-1, 0, 0)
		return Window{from, to, from.Format(time.DateOnly) + ".." + last.Format(time.DateOnly)}
	}
	if at.Precision == entente.PrecisionYear {
		return Window{at.Start, at.End, at.Start.Format("2006")}
	}
	from := at.End.AddDate(-1, 0, 0)
	return Window{from, at.End, from.Format(time.DateOnly) + ".." + at.End.AddDate(0, 0, -1).Format(time.DateOnly)}
}

// Resolve names a state at the day before the exclusive date at, else its latest spell
// (entente.ResolveAt): the rule every interface uses before asking the engine.
func (e *Engine) Resolve(query string, at time.Time) (entente.Country, error) {
	day := at
	if !at.IsZero() {
		day = at.AddDate(0, 0, -1)
	}
	return entente.ResolveAt(e.countries, query, day)
}

// Countries returns the country registry the engine names states with.
func (e *Engine) Countries() entente.CountryService { return e.countries }

// byCOW names the state with COW number ccode at day at, else its latest spell; a
// number the registry does not know gives a Country with only COW set.
func (e *Engine) byCOW(ccode int, at time.Time) entente.Country {
	if c, ok := e.countries.ByCOW(ccode, at); ok {
		return c
	}
	if c, ok := e.countries.ByCOW(ccode, time.Time{}); ok {
		return c
	}
	return entente.Country{COW: ccode}
}

// byISO3 names the state with registry ID id at day at, else its latest spell; ok is
// false for an ID the registry does not know (an organisation, a donor that is not a
// state).
func (e *Engine) byISO3(id string, at time.Time) (entente.Country, bool) {
	if c, ok := e.countries.ByISO3(id, at); ok {
		return c, true
	}
	return e.countries.ByISO3(id, time.Time{})
}

// LatestRollCall returns the day after the last UN roll call stored: the default date
// of the index. It is EINVALID when the store holds no roll call.
func (e *Engine) LatestRollCall(ctx context.Context) (time.Time, error) {
	cov, err := e.voteCoverage(ctx)
	if err != nil {
		return time.Time{}, err
	}
	_, last := entente.CoverageSpan(cov)
	if last.IsZero() {
		return time.Time{}, entente.Errorf(entente.EINVALID, "no UN roll call in the store to date the index by: give --at")
	}
	return last.AddDate(0, 0, 1), nil
}
