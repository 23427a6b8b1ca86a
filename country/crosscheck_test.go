package country_test

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/entente/entente/country"
)

// sharedData is ../shared/data relative to the repository root.
var sharedData = filepath.Join("..", "..", "shared", "data")

func openShared(t *testing.T, rel string) (*csv.Reader, map[string]int, func()) {
	t.Helper()
	name := filepath.Join(sharedData, rel)
	f, err := os.Open(name)
	if errors.Is(err, os.ErrNotExist) {
		t.Skipf("cross-check data not found at %s (../shared/data from the repo root)", name)
	}
	if err != nil {
		t.Fatal(err)
	}
	r := csv.NewReader(f)
	r.ReuseRecord = true
	head, err := r.Read()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range head {
		col[h] = i
	}
	return r, col, func() { f.Close() }
}

// voetenOutsideCOW lists the Voeten UN votes by ccodes whose date lies outside every COW
// spell of that ccode by more than 366 days: India was an original UN member (1945)
// before its independence on 1947-08-15, the start of its COW spell.
var voetenOutsideCOW = map[int]string{
	750: "India voted in the UN from 1946, before independence (COW from 1947-08-15)",
}

// TestVoetenVotesResolve checks that every (ccode, date) of the Voeten UN votes
// resolves with ByCOW, or lies within 366 days of a spell of that ccode (some votes are
// dated by session, before a member's COW start); misses are logged.
func TestVoetenVotesResolve(t *testing.T) {
	r, col, done := openShared(t, filepath.Join("unvotes", "voeten_votes_1946_2024.csv"))
	defer done()
	reg := country.Default()
	spells := map[int][]struct{ b, e time.Time }{}
	for _, c := range reg.All() {
		spells[c.COW] = append(spells[c.COW], struct{ b, e time.Time }{c.Begin, c.End})
	}
	type key struct {
		ccode int
		date  string
	}
	misses := map[key]int{}
	cache := map[key]bool{}
	n := 0
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		n++
		k := key{date: rec[col["date"]]}
		if k.ccode, err = strconv.Atoi(rec[col["ccode"]]); err != nil {
			t.Fatalf("line %d: ccode %q", n+1, rec[col["ccode"]])
		}
		ok, seen := cache[k]
		if !seen {
			d, err := time.Parse(time.DateOnly, k.date)
			if err != nil {
				t.Fatalf("line %d: date %q", n+1, k.date)
			}
			_, ok = reg.ByCOW(k.ccode, d)
			cache[k] = ok
		}
		if !ok {
			misses[k]++
		}
	}
	for k, votes := range misses {
		d, _ := time.Parse(time.DateOnly, k.date)
		gap := -1
		for _, s := range spells[k.ccode] {
			g := 0
			if d.Before(s.b) {
				g = int(s.b.Sub(d).Hours() / 24)
			} else if !s.e.IsZero() && d.After(s.e) {
				g = int(d.Sub(s.e).Hours() / 24)
			}
			if gap < 0 || g < gap {
				gap = g
			}
		}
		msg := fmt.Sprintf("ccode %d date %s: %d votes outside COW dates, %d days from a spell", k.ccode, k.date, votes, gap)
		switch {
		case gap < 0:
			t.Errorf("%s: unknown ccode", msg)
		case gap <= 366:
			t.Log(msg)
		case voetenOutsideCOW[k.ccode] != "":
			t.Logf("%s (documented: %s)", msg, voetenOutsideCOW[k.ccode])
		default:
			t.Errorf("%s: beyond the 366-day tolerance", msg)
		}
	}
	t.Logf("%d votes, %d (ccode, date) pairs outside COW dates", n, len(misses))
}

// panelExceptions are COW numbers where the registry deliberately differs from
// countrycode's panel, which applies today's ISO codes to a COW number's whole history.
var panelExceptions = map[int]string{
	365: "the USSR is ISO 3166-3 SUN until 1991-12-25; countrycode gives RUS throughout",
	816: "North Vietnam is ISO 3166-3 VDR until 1976-07-01; countrycode gives VNM throughout",
	327: "countrycode maps the Holy See (VAT) to COW 327, the Papal States (1816-1860); the registry keeps the Holy See outside COW",
}

// TestPanelISO3MatchesCOW checks ISO3 against the countrycode panel: for each row from
// 1946 with both iso3c and cown, the registry's spell of that COW number in that year has
// that ISO3.
func TestPanelISO3MatchesCOW(t *testing.T) {
	r, col, done := openShared(t, filepath.Join("countrycodes", "countrycode_codelist_panel.csv"))
	defer done()
	reg := country.Default()
	checked := 0
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		iso3, cown := rec[col["iso3c"]], rec[col["cown"]]
		year, _ := strconv.Atoi(rec[col["year"]])
		if iso3 == "" || cown == "" || year < 1946 {
			continue
		}
		ccode, err := strconv.Atoi(cown)
		if err != nil {
			t.Fatalf("cown %q", cown)
		}
		if _, ok := panelExceptions[ccode]; ok {
			continue
		}
		c, ok := reg.ByCOW(ccode, time.Date(year, 7, 1, 0, 0, 0, 0, time.UTC))
		if !ok { // a state that began or ended during the year
			if c, ok = reg.ByCOW(ccode, time.Date(year, 12, 31, 0, 0, 0, 0, time.UTC)); !ok {
				c, ok = reg.ByCOW(ccode, time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC))
			}
		}
		if !ok {
			continue // the panel carries codes for years outside the COW spells
		}
		checked++
		if c.ISO3 != iso3 {
			t.Errorf("COW %d in %d: registry %s, countrycode panel %s", ccode, year, country.Describe(c), iso3)
		}
	}
	if checked < 5000 {
		t.Errorf("only %d panel rows checked", checked)
	}
	t.Logf("%d panel rows checked", checked)
}
