package country

import (
	"bufio"
	"bytes"
	_ "embed"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/entente/entente"
)

//go:embed gw.tsv
var embeddedGW []byte

// GWColumns are the header fields of gw.tsv, in order (docs/countries.md).
var GWColumns = []string{"gw", "cow", "id", "gwname", "begin", "end"}

// GWTable maps Gleditsch-Ward state numbers (Gleditsch and Ward 1999), which UCDP
// uses, to registry states by date. GW and COW numbers agree for most states and differ
// for some (GW 260 is Germany after 1990, COW 255; GW 678 is unified Yemen, COW 679; GW
// 340 is Serbia from 2006, COW 345). It is immutable and safe for concurrent use.
type GWTable struct {
	reg   *Registry
	spans map[int][]gwRow // by GW number, ordered by begin
}

type gwRow struct {
	cow        int
	id         string
	begin, end time.Time // end zero while ongoing
}

var (
	gwOnce    sync.Once
	defaultGW *GWTable
)

// DefaultGW returns the GW table embedded with the default registry (gw.tsv, generated
// by internal/gen). A broken embedded file is a build bug and panics.
func DefaultGW() *GWTable {
	gwOnce.Do(func() {
		t, err := LoadGW(bytes.NewReader(embeddedGW), Default())
		if err != nil {
			panic("BUG: embedded gw.tsv: " + err.Error())
		}
		defaultGW = t
	})
	return defaultGW
}

// LoadGW reads a GW table in the gw.tsv format and checks that every row names a
// registry state with that COW number during its span. Errors are *entente.ParseError
// values naming the line and field.
func LoadGW(r io.Reader, reg *Registry) (*GWTable, error) {
	const name = "gw.tsv"
	t := &GWTable{reg: reg, spans: map[int][]gwRow{}}
	sc := bufio.NewScanner(r)
	n := 0
	header := false
	for sc.Scan() {
		n++
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		perr := func(field string, err error) error {
			return &entente.ParseError{File: name, Line: n, Field: field, Err: err}
		}
		if !header {
			if line != strings.Join(GWColumns, "\t") {
				return nil, perr("header", fmt.Errorf("%w: want %s", entente.ErrHeader, strings.Join(GWColumns, ",")))
			}
			header = true
			continue
		}
		if len(f) != len(GWColumns) {
			return nil, perr("", fmt.Errorf("%w: %d, want %d", entente.ErrFieldCount, len(f), len(GWColumns)))
		}
		gw, err := strconv.Atoi(f[0])
		if err != nil || gw <= 0 {
			return nil, perr("gw", fmt.Errorf("%w: %q", entente.ErrBadNumber, f[0]))
		}
		cow, err := strconv.Atoi(f[1])
		if err != nil || cow <= 0 {
			return nil, perr("cow", fmt.Errorf("%w: %q", entente.ErrBadNumber, f[1]))
		}
		b, err := time.Parse(time.DateOnly, f[4])
		if err != nil {
			return nil, perr("begin", fmt.Errorf("%w: %q", entente.ErrBadDate, f[4]))
		}
		var e time.Time
		if f[5] != "" {
			if e, err = time.Parse(time.DateOnly, f[5]); err != nil || e.Before(b) {
				return nil, perr("end", fmt.Errorf("%w: %q", entente.ErrBadDate, f[5]))
			}
		}
		if c, ok := reg.ByCOW(cow, b); !ok || c.ID != f[2] {
			return nil, perr("id", fmt.Errorf("%w: COW %d on %s is not %s", ErrBadCode, cow, f[4], f[2]))
		}
		t.spans[gw] = append(t.spans[gw], gwRow{cow: cow, id: f[2], begin: b, end: e})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	if !header {
		return nil, &entente.ParseError{File: name, Line: n, Field: "header", Err: entente.ErrHeader}
	}
	for _, s := range t.spans {
		sort.Slice(s, func(i, j int) bool { return s[i].begin.Before(s[j].begin) })
	}
	return t, nil
}

// ByGW returns the registry spell GW number gw designates on day at. A zero at takes
// the latest mapping.
func (t *GWTable) ByGW(gw int, at time.Time) (entente.Country, bool) {
	rows := t.spans[gw]
	for i := len(rows) - 1; i >= 0; i-- {
		r := rows[i]
		if at.IsZero() || (!at.Before(r.begin) && (r.end.IsZero() || !at.After(r.end))) {
			d := at
			if d.IsZero() || (!r.end.IsZero() && d.After(r.end)) {
				d = r.begin
			}
			c, ok := t.reg.ByCOW(r.cow, d)
			if ok && c.ID == r.id {
				return c, true
			}
			c, ok = t.reg.ByCOW(r.cow, r.begin)
			return c, ok
		}
	}
	return entente.Country{}, false
}

// ByGWYear returns the state GW number gw designates in year: on 1 July, else on the
// first or last day of the year it exists (a state born or gone mid-year).
func (t *GWTable) ByGWYear(gw, year int) (entente.Country, bool) {
	for _, d := range []time.Time{
		time.Date(year, 7, 1, 0, 0, 0, 0, time.UTC),
		time.Date(year, 12, 31, 0, 0, 0, 0, time.UTC),
		time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC),
	} {
		if c, ok := t.ByGW(gw, d); ok {
			return c, true
		}
	}
	return entente.Country{}, false
}
