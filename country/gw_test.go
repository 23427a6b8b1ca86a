package country

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/entente/entente"
)

func TestByGW(t *testing.T) {
	gw := DefaultGW()
	day := func(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d }
	for _, tc := range []struct {
		gw     int
		at     string
		id     string
		cow    int
		exists bool
	}{
		{260, "1980-06-01", "DEU", 260, true}, // West Germany
		{260, "2000-06-01", "DEU", 255, true}, // GW keeps 260 for united Germany
		{678, "2015-01-01", "YEM", 679, true}, // unified Yemen
		{340, "2010-01-01", "SRB", 345, true}, // Serbia
		{365, "1980-01-01", "SUN", 365, true}, // Soviet Union
		{365, "2024-01-01", "RUS", 365, true}, // Russia
		{731, "2024-07-01", "PRK", 731, true}, // North Korea
		{369, "1985-01-01", "", 0, false},     // Ukraine before independence
		{9999, "2000-01-01", "", 0, false},
	} {
		c, ok := gw.ByGW(tc.gw, day(tc.at))
		if ok != tc.exists || c.ID != tc.id || c.COW != tc.cow {
			t.Errorf("ByGW(%d, %s) = %s/%d %v, want %s/%d %v", tc.gw, tc.at, c.ID, c.COW, ok, tc.id, tc.cow, tc.exists)
		}
	}
	if c, ok := gw.ByGWYear(365, 1991); !ok || c.ID != "SUN" {
		t.Errorf("ByGWYear(365, 1991) = %s %v, want SUN (1 July)", c.ID, ok)
	}
}

func TestLoadGWBad(t *testing.T) {
	head := strings.Join(GWColumns, "\t") + "\n"
	for name, in := range map[string]string{
		"no header":  "2\t2\tUSA\tUS\t1816-01-01\t\n",
		"bad gw":     head + "x\t2\tUSA\tUS\t1816-01-01\t\n",
		"wrong id":   head + "2\t2\tCAN\tUS\t1816-01-01\t\n",
		"bad date":   head + "2\t2\tUSA\tUS\t1816-13-01\t\n",
		"end before": head + "2\t2\tUSA\tUS\t1900-01-01\t1850-01-01\n",
		"fields":     head + "2\t2\tUSA\n",
	} {
		_, err := LoadGW(strings.NewReader(in), Default())
		var pe *entente.ParseError
		if !errors.As(err, &pe) || pe.Line == 0 {
			t.Errorf("%s: err = %v, want a ParseError with a line", name, err)
		}
	}
}
