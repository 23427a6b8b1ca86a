package unvotes

import (
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/entente/entente"
)

// testCountries is a small CountryService over a list of spells.
type testCountries struct {
	spells []entente.Country
}

var _ entente.CountryService = (*testCountries)(nil)

func day(s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func spell(id, iso2 string, cow int, name, begin, end string) entente.Country {
	return entente.Country{ID: id, ISO3: id, ISO2: iso2, COW: cow, Name: name, Begin: day(begin), End: day(end)}
}

// newTestCountries returns the spells the excerpts need: the USSR → Russia seat, the two
// Germanys, Zanzibar, the Yemens, Yugoslavia → Serbia, ...
func newTestCountries() *testCountries {
	return &testCountries{spells: []entente.Country{
		spell("USA", "US", 2, "United States", "1816-01-01", ""),
		spell("CAN", "CA", 20, "Canada", "1920-01-10", ""),
		spell("GBR", "GB", 200, "United Kingdom", "1816-01-01", ""),
		spell("FRA", "FR", 220, "France", "1816-01-01", ""),
		spell("DEU", "DE", 260, "Federal Republic of Germany", "1955-05-05", "1990-10-02"),
		spell("DEU", "DE", 255, "Germany", "1990-10-03", ""),
		spell("YUG", "YU", 345, "Yugoslavia", "1878-07-13", "2006-06-04"),
		spell("SRB", "RS", 345, "Serbia", "2006-06-05", ""),
		spell("SUN", "SU", 365, "Soviet Union", "1922-12-30", "1991-12-25"),
		spell("RUS", "RU", 365, "Russia", "1991-12-26", ""),
		spell("TZA", "TZ", 510, "Tanzania", "1961-12-09", ""),
		spell("XZZ", "", 511, "Zanzibar", "1963-12-10", "1964-04-25"),
		spell("ZWE", "ZW", 552, "Zimbabwe", "1980-04-18", ""),
		spell("YEM", "", 678, "Yemen Arab Republic", "1926-11-01", "1990-05-21"),
		spell("YEM", "YE", 679, "Yemen", "1990-05-22", ""),
		spell("CHN", "CN", 710, "China", "1946-01-01", ""),
		spell("XNC", "", 0, "Nowhere Commons", "1946-01-01", ""), // no COW number
	}}
}

func (c *testCountries) find(match func(entente.Country) bool, at time.Time) (entente.Country, bool) {
	var best entente.Country
	found := false
	for _, s := range c.spells {
		if !match(s) || !s.ExistsAt(at) {
			continue
		}
		if !found || s.Begin.After(best.Begin) {
			best, found = s, true
		}
	}
	return best, found
}

func (c *testCountries) Resolve(q string, at time.Time) (entente.Country, error) {
	if s, ok := c.ByISO3(q, at); ok {
		return s, nil
	}
	return entente.Country{}, entente.Errorf(entente.ENOTFOUND, "unknown state %q", q)
}

func (c *testCountries) ByCOW(n int, at time.Time) (entente.Country, bool) {
	return c.find(func(s entente.Country) bool { return s.COW == n }, at)
}

func (c *testCountries) ByISO2(code string, at time.Time) (entente.Country, bool) {
	return c.find(func(s entente.Country) bool { return s.ISO2 != "" && strings.EqualFold(s.ISO2, code) }, at)
}

func (c *testCountries) ByISO3(code string, at time.Time) (entente.Country, bool) {
	return c.find(func(s entente.Country) bool { return s.ISO3 != "" && strings.EqualFold(s.ISO3, code) }, at)
}

func (c *testCountries) ByName(name string, at time.Time) (entente.Country, bool) {
	return c.find(func(s entente.Country) bool { return strings.EqualFold(s.Name, name) }, at)
}

func (c *testCountries) All() []entente.Country { return c.spells }

// anyCountries resolves every code to a made-up spell that always exists: for the
// full-file tests, which check accounting, not the registry.
type anyCountries struct {
	mu   sync.Mutex
	cows map[string]int
}

var _ entente.CountryService = (*anyCountries)(nil)

func (a *anyCountries) spell(key string, cow int) entente.Country {
	if cow == 0 {
		a.mu.Lock()
		if a.cows == nil {
			a.cows = map[string]int{}
		}
		if a.cows[key] == 0 {
			a.cows[key] = 10000 + len(a.cows)
		}
		cow = a.cows[key]
		a.mu.Unlock()
	}
	return entente.Country{ID: fmt.Sprintf("X%d", cow), COW: cow, Name: key}
}

func (a *anyCountries) Resolve(q string, _ time.Time) (entente.Country, error) {
	return a.spell(q, 0), nil
}
func (a *anyCountries) ByCOW(n int, _ time.Time) (entente.Country, bool) { return a.spell("", n), true }
func (a *anyCountries) ByISO2(c string, _ time.Time) (entente.Country, bool) {
	return a.spell("iso2:"+c, 0), true
}
func (a *anyCountries) ByISO3(c string, _ time.Time) (entente.Country, bool) {
	return a.spell("iso3:"+c, 0), true
}
func (a *anyCountries) ByName(c string, _ time.Time) (entente.Country, bool) {
	return a.spell("name:"+c, 0), true
}
func (a *anyCountries) All() []entente.Country { return nil }

// recFile is what recWriter saw of one file.
type recFile struct {
	Info        entente.ImportFile
	RollCalls   []entente.RollCall
	Implied     []entente.RollCall
	Votes       []entente.Vote
	Issues      []entente.RollCallIssue
	Quarantined []entente.Quarantined
	Read        int64
	Notes       []string
	// counts, kept even when countOnly is set
	NRollCalls, NImplied, NVotes, NIssues, NQuarantined int64
}

// recWriter is a VoteWriter that records every call.
type recWriter struct {
	countOnly bool
	files     []*recFile
	cur       *recFile
}

var _ entente.VoteWriter = (*recWriter)(nil)

func (w *recWriter) in(what string) error {
	if w.cur == nil {
		return fmt.Errorf("%s outside StartFile/FinishFile", what)
	}
	return nil
}

func (w *recWriter) StartFile(f entente.ImportFile) error {
	if w.cur != nil {
		return fmt.Errorf("StartFile %s inside %s", f.Path, w.cur.Info.Path)
	}
	w.cur = &recFile{Info: f}
	return nil
}

func (w *recWriter) RollCall(rc entente.RollCall) error {
	if err := w.in("RollCall"); err != nil {
		return err
	}
	w.cur.NRollCalls++
	if !w.countOnly {
		w.cur.RollCalls = append(w.cur.RollCalls, rc)
	}
	return nil
}

func (w *recWriter) ImpliedRollCall(rc entente.RollCall) error {
	if err := w.in("ImpliedRollCall"); err != nil {
		return err
	}
	w.cur.NImplied++
	if !w.countOnly {
		w.cur.Implied = append(w.cur.Implied, rc)
	}
	return nil
}

func (w *recWriter) Vote(v entente.Vote) error {
	if err := w.in("Vote"); err != nil {
		return err
	}
	w.cur.NVotes++
	if !w.countOnly {
		w.cur.Votes = append(w.cur.Votes, v)
	}
	return nil
}

func (w *recWriter) Issue(i entente.RollCallIssue) error {
	if err := w.in("Issue"); err != nil {
		return err
	}
	w.cur.NIssues++
	if !w.countOnly {
		w.cur.Issues = append(w.cur.Issues, i)
	}
	return nil
}

func (w *recWriter) Quarantine(q entente.Quarantined) error {
	if err := w.in("Quarantine"); err != nil {
		return err
	}
	w.cur.NQuarantined++
	w.cur.Quarantined = append(w.cur.Quarantined, q)
	return nil
}

func (w *recWriter) FinishFile(read int64, notes []string) error {
	if err := w.in("FinishFile"); err != nil {
		return err
	}
	w.cur.Read, w.cur.Notes = read, notes
	w.files = append(w.files, w.cur)
	w.cur = nil
	return nil
}

// balanced reports whether every record read was passed on as exactly one counted record.
func (f *recFile) balanced() bool {
	return f.Read == f.NRollCalls+f.NVotes+f.NIssues+f.NQuarantined
}
