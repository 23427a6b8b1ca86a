package country_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/entente/entente"
	"github.com/entente/entente/country"
)

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

func TestResolve(t *testing.T) {
	r := country.Default()
	tests := []struct {
		name, query, at string
		id              string
		cow             int
	}{
		{"iso3", "RUS", "", "RUS", 365},
		{"iso3 lower spaced", "  rus ", "", "RUS", 365},
		{"iso2", "RU", "", "RUS", 365},
		{"cow number latest", "365", "", "RUS", 365},
		{"cow number 1980", "365", "1980-01-01", "SUN", 365},
		{"cow number 2000", "365", "2000-01-01", "RUS", 365},
		{"cow number pre-USSR", "365", "1900-01-01", "RUS", 365},
		{"cow letter", "cow:AUS", "", "AUT", 305},
		{"cow letter lower", "COW:aus", "", "AUT", 305},
		{"bare AUS is Australia", "AUS", "", "AUS", 900},
		{"name", "Russia", "", "RUS", 365},
		{"alias", "Russian Federation", "", "RUS", 365},
		{"alias case", "russian federation", "2020-06-01", "RUS", 365},
		{"ussr", "USSR", "", "SUN", 365},
		{"soviet union", "Soviet Union", "1970-01-01", "SUN", 365},
		{"north korea", "North Korea", "", "PRK", 731},
		{"dprk", "DPRK", "", "PRK", 731},
		{"dprk long", "Democratic People's Republic of Korea", "", "PRK", 731},
		{"dprk curly apostrophe", "Democratic People’s Republic of Korea", "", "PRK", 731},
		{"south korea", "South Korea", "", "KOR", 732},
		{"ivory coast", "Ivory Coast", "", "CIV", 437},
		{"cote d'ivoire", "Côte d'Ivoire", "", "CIV", 437},
		{"czechia", "Czechia", "", "CZE", 316},
		{"burma", "Burma", "", "MMR", 775},
		{"turkiye", "Türkiye", "", "TUR", 640},
		{"turkey", "Turkey", "", "TUR", 640},
		{"de at 1980", "DEU", "1980-01-01", "DEU", 260},
		{"de at 2000", "DEU", "2000-01-01", "DEU", 255},
		{"de latest", "DEU", "", "DEU", 255},
		{"de 1930", "DEU", "1930-01-01", "DEU", 255},
		{"germany 1980 is west germany", "Germany", "1980-01-01", "DEU", 260},
		{"east germany", "East Germany", "", "DDR", 265},
		{"ddr", "DDR", "1980-01-01", "DDR", 265},
		{"yemen 1980", "YEM", "1980-01-01", "YEM", 678},
		{"yemen 2000", "YEM", "2000-01-01", "YEM", 679},
		{"south yemen", "YMD", "", "YMD", 680},
		{"cow 680", "680", "", "YMD", 680},
		{"345 1980", "345", "1980-01-01", "YUG", 345},
		{"345 2004", "345", "2004-01-01", "SCG", 345},
		{"345 latest", "345", "", "SRB", 345},
		{"scg", "SCG", "", "SCG", 345},
		{"cs 1980", "CS", "1980-01-01", "CSK", 315},
		{"cs 2005", "CS", "2005-01-01", "SCG", 345},
		{"czech 1993", "CZE", "1993-01-01", "CZE", 316},
		{"slovakia", "SVK", "1993-01-01", "SVK", 317},
		{"south sudan", "SSD", "2011-07-09", "SSD", 626},
		{"north vietnam", "816", "1970-01-01", "VDR", 816},
		{"vietnam", "816", "1980-01-01", "VNM", 816},
		{"south vietnam", "817", "1970-01-01", "XVS", 817},
		{"zanzibar", "511", "", "XZN", 511},
		{"zanzibar name", "Zanzibar", "1964-01-01", "XZN", 511},
		{"kosovo", "XKX", "", "XKX", 347},
		{"kosovo cow", "347", "2010-01-01", "XKX", 347},
		{"taiwan", "TWN", "", "TWN", 713},
		{"palestine", "PSE", "", "PSE", 0},
		{"palestine name", "State of Palestine", "", "PSE", 0},
		{"holy see", "VAT", "", "VAT", 0},
		{"vatican", "Vatican City", "", "VAT", 0},
		{"uk", "UK", "", "GBR", 200},
		{"zaire", "Zaire", "", "COD", 490},
		{"old iso3 alias", "ROM", "", "ROU", 360},
		{"eswatini", "Swaziland", "", "SWZ", 572},
		{"cow name", "German Federal Republic", "", "DEU", 260},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := r.Resolve(tt.query, day(tt.at))
			if err != nil {
				t.Fatalf("Resolve(%q, %q): %v", tt.query, tt.at, err)
			}
			if c.ID != tt.id || c.COW != tt.cow {
				t.Errorf("Resolve(%q, %q) = %s, want ID %s COW %d", tt.query, tt.at, country.Describe(c), tt.id, tt.cow)
			}
		})
	}
}

func TestResolveErrors(t *testing.T) {
	r := country.Default()
	tests := []struct {
		name, query, at string
		code            string
		contains        []string
	}{
		{"empty", "  ", "", entente.EINVALID, []string{"empty"}},
		{"unknown name suggests", "Rusia", "", entente.ENOTFOUND, []string{"russia"}},
		{"unknown code", "QQQ", "", entente.ENOTFOUND, []string{"QQQ"}},
		{"unknown cow", "999", "", entente.ENOTFOUND, []string{"COW number"}},
		{"unknown cow letter", "cow:ZZZ", "", entente.ENOTFOUND, []string{"COW letter"}},
		{"code before existence", "SSD", "2000-01-01", entente.ENOTFOUND, []string{"2011-07-09"}},
		{"ussr after end", "SUN", "2000-01-01", entente.ENOTFOUND, []string{"1991-12-25"}},
		{"name before existence", "South Sudan", "2000-01-01", entente.ENOTFOUND, []string{"did not exist"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := r.Resolve(tt.query, day(tt.at))
			if got := entente.ErrorCode(err); got != tt.code {
				t.Fatalf("Resolve(%q) error %v, code %q, want %q", tt.query, err, got, tt.code)
			}
			for _, s := range tt.contains {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q does not contain %q", err, s)
				}
			}
		})
	}
}

// TestResolveAmbiguous builds a tiny registry where one alias names two coexisting
// states: Resolve must refuse and list both.
func TestResolveAmbiguous(t *testing.T) {
	const file = "id\tiso3\tiso2\tisonum\tcow\tcowletter\tname\taliases\tbegin\tend\tnote\n" +
		"COG\tCOG\tCG\t178\t484\tCON\tCongo-Brazzaville\tCongo\t1960-08-15\t\t\n" +
		"COD\tCOD\tCD\t180\t490\tDRC\tCongo-Kinshasa\tCongo\t1960-06-30\t\t\n"
	r, err := country.Load(strings.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	_, err = r.Resolve("congo", time.Time{})
	if entente.ErrorCode(err) != entente.EINVALID {
		t.Fatalf("got %v, want EINVALID", err)
	}
	for _, s := range []string{"COG Congo-Brazzaville (COW 484, 1960-08-15..ongoing)", "COD Congo-Kinshasa (COW 490, 1960-06-30..ongoing)"} {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("error %q does not list %q", err, s)
		}
	}
	if _, ok := r.ByName("Congo", time.Time{}); ok {
		t.Error("ByName of an ambiguous name succeeded")
	}
	if c, err := r.Resolve("COD", time.Time{}); err != nil || c.COW != 490 {
		t.Errorf("Resolve(COD) = %v, %v", c, err)
	}
}

func TestSuccession(t *testing.T) {
	r := country.Default()
	tests := []struct {
		cow      int
		at       string
		id, iso2 string
		letter   string
		ok       bool
	}{
		{365, "1991-12-25", "SUN", "SU", "RUS", true},
		{365, "1991-12-26", "RUS", "RU", "RUS", true},
		{260, "1955-05-05", "DEU", "DE", "GFR", true},
		{260, "1990-10-02", "DEU", "DE", "GFR", true},
		{260, "1990-10-03", "", "", "", false},
		{265, "1954-03-25", "DDR", "DD", "GDR", true},
		{265, "1990-10-03", "", "", "", false},
		{255, "1990-10-03", "DEU", "DE", "GMY", true},
		{255, "1950-01-01", "", "", "", false},
		{255, "1939-01-01", "DEU", "DE", "GMY", true},
		{678, "1990-05-21", "YEM", "YE", "YAR", true},
		{679, "1990-05-22", "YEM", "YE", "YEM", true},
		{680, "1990-05-21", "YMD", "YD", "YPR", true},
		{345, "2003-02-03", "YUG", "YU", "YUG", true},
		{345, "2003-02-04", "SCG", "CS", "YUG", true},
		{345, "2006-06-04", "SCG", "CS", "YUG", true},
		{345, "2006-06-05", "SRB", "RS", "YUG", true},
		{315, "1992-12-31", "CSK", "CS", "CZE", true},
		{315, "1993-01-01", "", "", "", false},
		{316, "1993-01-01", "CZE", "CZ", "CZR", true},
		{317, "1993-01-01", "SVK", "SK", "SLO", true},
		{626, "2011-07-08", "", "", "", false},
		{626, "2011-07-09", "SSD", "SS", "SSD", true},
		{511, "1963-12-19", "XZN", "", "ZAN", true},
		{511, "1964-04-27", "", "", "", false},
		{816, "1976-07-01", "VDR", "VD", "DRV", true},
		{816, "1976-07-02", "VNM", "VN", "DRV", true},
		{817, "1975-04-30", "XVS", "", "RVN", true},
		{347, "2008-02-20", "XKX", "XK", "KOS", true},
		{713, "2024-01-01", "TWN", "TW", "TAW", true},
		{2, "2030-01-01", "USA", "US", "USA", true}, // COW's 2016 end is treated as ongoing
	}
	for _, tt := range tests {
		c, ok := r.ByCOW(tt.cow, day(tt.at))
		if ok != tt.ok || c.ID != tt.id || c.ISO2 != tt.iso2 || c.COWLetter != tt.letter {
			t.Errorf("ByCOW(%d, %s) = %s %s %s %v, want %s %s %s %v", tt.cow, tt.at, c.ID, c.ISO2, c.COWLetter, ok, tt.id, tt.iso2, tt.letter, tt.ok)
		}
	}
	if c, ok := r.ByISO3("sun", time.Time{}); !ok || c.ISONum != 810 || !c.End.Equal(day("1991-12-25")) {
		t.Errorf("ByISO3(sun) = %+v", c)
	}
	if c, ok := r.ByISO2("cs", day("1980-06-01")); !ok || c.ID != "CSK" {
		t.Errorf("ByISO2(cs, 1980) = %+v", c)
	}
	if c, ok := r.ByName("yugoslavia", day("1980-06-01")); !ok || c.ID != "YUG" {
		t.Errorf("ByName(yugoslavia, 1980) = %+v", c)
	}
	if _, ok := r.ByName("yugoslavia", day("2010-06-01")); ok {
		t.Error("ByName(yugoslavia, 2010) found a spell")
	}
}

func TestAll(t *testing.T) {
	all := country.Default().All()
	if len(all) < 240 {
		t.Fatalf("All() has %d spells", len(all))
	}
	for i := 1; i < len(all); i++ {
		a, b := all[i-1], all[i]
		if a.COW > b.COW || (a.COW == b.COW && !a.Begin.Before(b.Begin)) {
			t.Errorf("All() out of order at %d: %s then %s", i, country.Describe(a), country.Describe(b))
		}
	}
	all[0].Name = "changed"
	if country.Default().All()[0].Name == "changed" {
		t.Error("All() returns the registry's own slice")
	}
	// Every current ISO code names one state today.
	seen := map[string]string{}
	for _, c := range all {
		if c.End.IsZero() && c.ISO3 != "" {
			if prev, dup := seen[c.ISO3]; dup {
				t.Errorf("ISO3 %s names %s and %s", c.ISO3, prev, c.Name)
			}
			seen[c.ISO3] = c.Name
		}
	}
}

func TestLoadErrors(t *testing.T) {
	const header = "id\tiso3\tiso2\tisonum\tcow\tcowletter\tname\taliases\tbegin\tend\tnote\n"
	tests := []struct {
		name, file string
		line       int
		field      string
		sentinel   error
	}{
		{"empty", "", 0, "", entente.ErrEmpty},
		{"header", "a\tb\n", 1, "", entente.ErrHeader},
		{"fields", header + "RUS\tRUS\n", 2, "", entente.ErrFieldCount},
		{"id", header + "ru\tRUS\tRU\t643\t365\tRUS\tRussia\t\t1991-12-26\t\t\n", 2, "id", country.ErrBadCode},
		{"isonum", header + "RUS\tRUS\tRU\tx\t365\tRUS\tRussia\t\t1991-12-26\t\t\n", 2, "isonum", entente.ErrBadNumber},
		{"begin", header + "RUS\tRUS\tRU\t643\t365\tRUS\tRussia\t\t1991-13-26\t\t\n", 2, "begin", entente.ErrBadDate},
		{"end before begin", header + "RUS\tRUS\tRU\t643\t365\tRUS\tRussia\t\t1991-12-26\t1990-01-01\t\n", 2, "end", entente.ErrBadDate},
		{"overlap", header + "# c\n" +
			"SUN\tSUN\tSU\t810\t365\tRUS\tSoviet Union\t\t1922-12-30\t1991-12-26\t\n" +
			"RUS\tRUS\tRU\t643\t365\tRUS\tRussia\t\t1991-12-26\t\t\n", 4, "cow", entente.ErrBadDate},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := country.Load(strings.NewReader(tt.file))
			var pe *entente.ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("Load: %v, want a *ParseError", err)
			}
			if pe.Line != tt.line || pe.Field != tt.field || !errors.Is(err, tt.sentinel) {
				t.Errorf("Load: %v (line %d field %q), want line %d field %q cause %v", err, pe.Line, pe.Field, tt.line, tt.field, tt.sentinel)
			}
		})
	}
}

func TestByCOWAllocs(t *testing.T) {
	r := country.Default()
	at := day("1980-06-01")
	n := testing.AllocsPerRun(1000, func() {
		if _, ok := r.ByCOW(365, at); !ok {
			t.Fatal("ByCOW(365) not found")
		}
	})
	if n != 0 {
		t.Errorf("ByCOW allocates %v times per call", n)
	}
}

func BenchmarkByCOW(b *testing.B) {
	r := country.Default()
	at := day("1980-06-01")
	b.ReportAllocs()
	for b.Loop() {
		r.ByCOW(365, at)
	}
}

func BenchmarkResolveName(b *testing.B) {
	r := country.Default()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.Resolve("Russian Federation", time.Time{}); err != nil {
			b.Fatal(err)
		}
	}
}

func FuzzResolve(f *testing.F) {
	for _, s := range []string{"RUS", "ru", "365", "cow:AUS", "Russia", "Côte d'Ivoire", " ", "cow:", "0", "-1", "99999999999999999999", "Congo", "the gambia", "St. Kitts & Nevis", "\xff"} {
		f.Add(s, int64(0))
		f.Add(s, day("1980-06-01").Unix())
	}
	r := country.Default()
	f.Fuzz(func(t *testing.T, q string, unix int64) {
		var at time.Time
		if unix != 0 {
			at = time.Unix(unix%(1<<40), 0).UTC()
		}
		c, err := r.Resolve(q, at)
		if err == nil && c.ID == "" {
			t.Fatalf("Resolve(%q) returned an empty country without error", q)
		}
		if err != nil && entente.ErrorCode(err) == entente.EINTERNAL {
			t.Fatalf("Resolve(%q): internal error %v", q, err)
		}
		r.ByName(q, at)
		r.ByISO2(q, at)
		r.ByISO3(q, at)
	})
}

// TestResolveContainedNames: a short name held in the names of other states existing at
// the date is ambiguous, with every candidate listed as a code the user can type back
// (never an internal ID); a curated alias still decides, and a name no other state
// holds resolves.
func TestResolveContainedNames(t *testing.T) {
	r := country.Default()
	for _, c := range []struct {
		query, at string
		want      []string // candidates listed
	}{
		{"Korea", "", []string{"PRK North Korea", "KOR South Korea", "cow:KOR Korea"}},
		{"korea", "2020-01-01", []string{"PRK", "KOR"}},
		{"Congo", "", []string{"COG Congo", "COD Democratic Republic of the Congo"}},
		{"Sudan", "2020-01-01", []string{"SDN Sudan", "SSD South Sudan"}},
		{"Guinea", "", []string{"GIN Guinea", "GNB Guinea-Bissau", "GNQ Equatorial Guinea", "PNG Papua New Guinea"}},
	} {
		_, err := r.Resolve(c.query, day(c.at))
		if entente.ErrorCode(err) != entente.EINVALID || !strings.Contains(err.Error(), "ambiguous") {
			t.Errorf("Resolve(%q, %q): %v, want ambiguous", c.query, c.at, err)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("Resolve(%q): %v does not list %q", c.query, err, w)
			}
		}
		if strings.Contains(err.Error(), "XKO") {
			t.Errorf("Resolve(%q): %v shows an internal ID", c.query, err)
		}
	}
	for _, c := range []struct{ query, at, id string }{
		{"Korea", "1900-01-01", "XKO"},   // the only Korea then
		{"Sudan", "2000-01-01", "SDN"},   // before South Sudan
		{"Germany", "1980-01-01", "DEU"}, // the registry's alias: West Germany
		{"Niger", "", "NER"},             // Nigeria is another word
		{"China", "", "CHN"},
		{"Dominica", "", "DMA"},
	} {
		if got, err := r.Resolve(c.query, day(c.at)); err != nil || got.ID != c.id {
			t.Errorf("Resolve(%q, %q) = %s, %v; want %s", c.query, c.at, got.ID, err, c.id)
		}
	}
}
