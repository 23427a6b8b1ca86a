package main

import (
	"bytes"
	"fmt"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/entente/entente"
	"github.com/entente/entente/country"
)

// gwEnd is the last day of the peacesciencer Gleditsch-Ward state list; a spell ending
// then is treated as ongoing.
const gwEnd = "2017-12-31"

// gwLastYear is the last year the GW table is built for: open spells are mapped through
// it and stay open.
const gwLastYear = 2025

// gwCOW holds the Gleditsch-Ward numbers whose COW counterpart the countrycode panel
// leaves empty: GW continues North Yemen's 678 for unified Yemen, which COW numbers 679
// from 22 May 1990 (Gleditsch and Ward 1999, "A revised list of independent states
// since the Congress of Vienna", International Interactions 25:393-413, list notes).
var gwCOW = map[int]struct {
	from string
	cow  int
}{678: {"1990-05-22", 679}}

// gwExtra are the Gleditsch-Ward numbers UCDP uses beyond the peacesciencer GW list,
// mapped to the COW state they designate from a day on: the GW microstates list
// (Gleditsch and Ward 1999, appendix: Grenada 55, Tonga 972), and 345, which UCDP keeps
// for Serbia after Montenegro's 2006 independence where the GW list moves to 340
// (UCDP/PRIO Armed Conflict Dataset codebook, gwno of "Serbia (Yugoslavia)").
var gwExtra = []struct {
	gw, cow int
	from    string
}{{55, 55, ""}, {972, 955, ""}, {345, 345, "2006-06-05"}}

// gwSpan is one row of gw.tsv: GW number gw maps to the registry state id (through COW
// number cow) on [begin, end].
type gwSpan struct {
	gw, cow    int
	id, name   string
	begin, end string // end "" while ongoing
}

// BuildGW returns the contents of gw.tsv: for every spell of the peacesciencer GW state
// list, the registry state it is on each day, found year by year through, in order, the
// countrycode panel's COW number or ISO3 code for (gwn, year), the gwCOW table, the same
// COW number, and the GW state name.
func BuildGW(dataDir string, countriesTSV []byte) ([]byte, error) {
	reg, err := country.Load(bytes.NewReader(countriesTSV))
	if err != nil {
		return nil, err
	}
	states, err := readCSV(filepath.Join(dataDir, "peacesciencer_gw_states.csv"))
	if err != nil {
		return nil, err
	}
	panel, err := readCSV(filepath.Join(dataDir, "countrycode_codelist_panel.csv"))
	if err != nil {
		return nil, err
	}
	type gy struct{ gw, year int }
	pcow := map[gy]int{}
	panelLast := 0
	piso := map[gy]string{}
	for _, p := range panel {
		g, err1 := strconv.Atoi(p["gwn"])
		y, err2 := strconv.Atoi(p["year"])
		if err1 != nil || err2 != nil {
			continue
		}
		panelLast = max(panelLast, y)
		if c, err := strconv.Atoi(p["cown"]); err == nil {
			pcow[gy{g, y}] = c
		}
		if p["iso3c"] != "" && p["iso3c"] != "NA" {
			piso[gy{g, y}] = p["iso3c"]
		}
	}
	var spans []gwSpan
	for i, s := range states {
		gw, err := strconv.Atoi(s["gwcode"])
		if err != nil {
			return nil, fmt.Errorf("peacesciencer_gw_states.csv:%d: gwcode: %w", i+2, err)
		}
		begin, end := s["startdate"], s["enddate"]
		if end == gwEnd {
			end = ""
		}
		b, err1 := time.Parse(time.DateOnly, begin)
		e := time.Date(gwLastYear, 12, 31, 0, 0, 0, 0, time.UTC)
		var err2 error
		if end != "" {
			e, err2 = time.Parse(time.DateOnly, end)
		}
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("peacesciencer_gw_states.csv:%d: bad dates %q..%q", i+2, begin, end)
		}
		var cur *gwSpan
		lastCOW, lastISO := 0, ""
		for y := b.Year(); y <= e.Year(); y++ {
			pc, hasC := pcow[gy{gw, y}]
			pi, hasI := piso[gy{gw, y}]
			if hasC || hasI {
				lastCOW, lastISO = pc, pi
			} else if y > panelLast {
				pc, pi = lastCOW, lastISO // the panel stops: its last codes go on
			}
			from := time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC)
			if from.Before(b) {
				from = b
			}
			to := time.Date(y, 12, 31, 0, 0, 0, 0, time.UTC)
			if to.After(e) {
				to = e
			}
			for d := from; !d.After(to); {
				c, ok := gwLookup(reg, gw, s["statename"], d, pc, pi)
				if !ok {
					cur = nil
					d = d.AddDate(0, 0, 1)
					continue
				}
				last := to
				if !c.End.IsZero() && c.End.Before(to) {
					last = c.End
				}
				if cur != nil && cur.id == c.ID && cur.cow == c.COW && cur.end == d.AddDate(0, 0, -1).Format(time.DateOnly) {
					cur.end = last.Format(time.DateOnly)
				} else {
					spans = append(spans, gwSpan{gw: gw, cow: c.COW, id: c.ID, name: s["statename"],
						begin: d.Format(time.DateOnly), end: last.Format(time.DateOnly)})
					cur = &spans[len(spans)-1]
				}
				d = last.AddDate(0, 0, 1)
			}
		}
		if cur != nil && end == "" {
			cur.end = ""
		}
	}
	for _, x := range gwExtra {
		for _, c := range reg.All() {
			if c.COW != x.cow {
				continue
			}
			b := c.Begin.Format(time.DateOnly)
			if b < x.from {
				if !c.End.IsZero() && c.End.Format(time.DateOnly) < x.from {
					continue
				}
				b = x.from
			}
			e := ""
			if !c.End.IsZero() {
				e = c.End.Format(time.DateOnly)
			}
			spans = append(spans, gwSpan{gw: x.gw, cow: c.COW, id: c.ID, name: c.Name, begin: b, end: e})
		}
	}
	sort.SliceStable(spans, func(i, j int) bool {
		if spans[i].gw != spans[j].gw {
			return spans[i].gw < spans[j].gw
		}
		return spans[i].begin < spans[j].begin
	})
	var buf bytes.Buffer
	buf.WriteString("# Code generated by country/internal/gen from ../shared/data/countrycodes (peacesciencer_gw_states.csv, countrycode_codelist_panel.csv) and countries.tsv; DO NOT EDIT.\n")
	buf.WriteString("# Gleditsch-Ward state numbers to registry states by date (docs/countries.md, \"Gleditsch-Ward numbers\").\n")
	buf.WriteString(strings.Join(country.GWColumns, "\t") + "\n")
	for _, s := range spans {
		fmt.Fprintf(&buf, "%d\t%d\t%s\t%s\t%s\t%s\n", s.gw, s.cow, s.id, s.name, s.begin, s.end)
	}
	if _, err := country.LoadGW(bytes.NewReader(buf.Bytes()), reg); err != nil {
		return nil, fmt.Errorf("generated gw.tsv does not load: %w", err)
	}
	return buf.Bytes(), nil
}

// gwLookup finds the registry spell a GW state is on at day d.
func gwLookup(reg *country.Registry, gw int, name string, d time.Time, cow int, iso string) (entente.Country, bool) {
	if c, ok := reg.ByCOW(cow, d); ok && cow != 0 {
		return c, true
	}
	if c, ok := reg.ByISO3(iso, d); ok && iso != "" && c.COW != 0 {
		return c, true
	}
	if x, has := gwCOW[gw]; has && d.Format(time.DateOnly) >= x.from {
		if c, ok := reg.ByCOW(x.cow, d); ok {
			return c, true
		}
	}
	if c, ok := reg.ByCOW(gw, d); ok {
		return c, true
	}
	if c, ok := reg.ByName(name, d); ok && c.COW != 0 {
		return c, true
	}
	return entente.Country{}, false
}
