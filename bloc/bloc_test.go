package bloc

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/entente/entente"
	"github.com/entente/entente/country"
)

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func states(ms []Membership, status Status) map[string]bool {
	out := map[string]bool{}
	for _, m := range ms {
		if status == "" || m.Status == status {
			out[m.State] = true
		}
	}
	return out
}

func TestMembersAt(t *testing.T) {
	r := Default()
	tests := []struct {
		bloc, at string
		in, out  []string
		n        int // full members, 0: not checked
	}{
		{"NATO", "2023-05-01", []string{"FIN", "USA", "MNE", "MKD", "TUR"}, []string{"SWE"}, 31},
		{"NATO", "2024-04-01", []string{"FIN", "SWE"}, nil, 32},
		{"NATO", "2017-06-04", nil, []string{"MNE"}, 28},
		{"NATO", "2017-06-05", []string{"MNE"}, nil, 29},
		{"SCO", "2024-08-01", []string{"BLR", "IRN", "IND", "PAK", "CHN", "RUS"}, nil, 10},
		{"SCO", "2024-07-03", nil, []string{"BLR"}, 9},
		{"EU", "2021-01-01", []string{"DEU", "FRA", "HRV"}, []string{"GBR"}, 27},
		{"EU", "2020-01-31", []string{"GBR"}, nil, 28},
		{"EU", "2020-02-01", nil, []string{"GBR"}, 27},
		{"BRICS", "2025-02-01", []string{"BRA", "RUS", "IND", "CHN", "ZAF", "EGY", "ETH", "IRN", "ARE", "IDN"}, []string{"SAU"}, 10},
		{"BRICS", "2023-12-31", nil, []string{"EGY", "IRN"}, 5},
		{"EAEU", "2016-01-01", []string{"ARM", "BLR", "KAZ", "KGZ", "RUS"}, nil, 5},
		{"CIS", "2010-01-01", []string{"RUS", "ARM", "MDA"}, []string{"GEO"}, 9},
		{"CIS", "2009-08-17", []string{"GEO"}, nil, 0},
		{"UNION_STATE", "2025-01-01", []string{"BLR", "RUS"}, nil, 2},
		{"CSTO", "2025-06-01", []string{"BLR", "KAZ", "KGZ", "RUS", "TJK"}, []string{"UZB", "ARM"}, 5},
		{"CSTO", "2010-06-01", []string{"UZB", "ARM"}, nil, 7},
	}
	for _, tc := range tests {
		t.Run(tc.bloc+"@"+tc.at, func(t *testing.T) {
			full := states(r.Members(tc.bloc, day(tc.at)), StatusMember)
			for _, s := range tc.in {
				if !full[s] {
					t.Errorf("%s not a member", s)
				}
			}
			for _, s := range tc.out {
				if full[s] {
					t.Errorf("%s a member", s)
				}
			}
			if tc.n > 0 && len(full) != tc.n {
				t.Errorf("%d members, want %d: %v", len(full), tc.n, full)
			}
		})
	}
}

func TestFrozenAndSuspended(t *testing.T) {
	r := Default()
	got := r.MemberOf("arm", day("2025-06-01"))
	var csto *Membership
	for i := range got {
		if got[i].Bloc == "CSTO" {
			csto = &got[i]
		}
	}
	if csto == nil || csto.Status != StatusFrozen || len(csto.Sources) == 0 {
		t.Fatalf("ARM in the CSTO at 2025-06: %+v", got)
	}
	if blocs := states(got, ""); len(got) != 3 {
		t.Errorf("ARM's blocs at 2025-06: %v", blocs)
	}
	if m := r.MemberOf("ARM", day("2024-02-21")); m[0].Bloc != "CIS" || m[1].Bloc != "CSTO" || m[1].Status != StatusMember {
		t.Errorf("ARM before the freeze: %+v", m)
	}
	uzb := states(r.Members("CSTO", day("2020-01-01")), StatusSuspended)
	if !uzb["UZB"] {
		t.Errorf("UZB suspended from the CSTO in 2020: %v", uzb)
	}
	if ukr := r.MemberOf("UKR", day("2010-01-01")); len(ukr) != 1 || ukr[0].Status != StatusParticipant {
		t.Errorf("UKR in 2010: %+v", ukr)
	}
	if ukr := r.MemberOf("UKR", day("2019-01-01")); len(ukr) != 0 {
		t.Errorf("UKR in 2019: %+v", ukr)
	}
}

func TestKnown(t *testing.T) {
	r := Default()
	for _, c := range []string{"NATO", "nato", "CSTO", "EU", "EAEU", "SCO", "BRICS", "CIS", "UNION_STATE"} {
		if !r.Known(c) {
			t.Errorf("%s unknown", c)
		}
	}
	if r.Known("WARSAW") || r.Members("WARSAW", day("1970-01-01")) != nil {
		t.Error("WARSAW known")
	}
	if len(r.Blocs()) != 8 {
		t.Errorf("%d blocs", len(r.Blocs()))
	}
}

// TestEveryRowSourced checks every spell: a source with a title and publisher, URLs that
// look like URLs, and a state the country registry knows at, or within a month of, the spell's start.
func TestEveryRowSourced(t *testing.T) {
	reg := country.Default()
	all := Default().All()
	if len(all) < 100 {
		t.Fatalf("%d spells", len(all))
	}
	checked := 0
	for _, m := range all {
		if len(m.Sources) == 0 {
			t.Errorf("line %d: no source", m.Line)
		}
		for _, c := range m.Sources {
			if c.Title == "" || c.Publisher == "" || (c.URL != "" && !strings.HasPrefix(c.URL, "http")) {
				t.Errorf("line %d: bad citation %+v", m.Line, c)
			}
			if c.Checked {
				checked++
			}
		}
		// The CIS founders signed as Soviet republics, days before the registry's (COW's)
		// independence dates of late December 1991: allow a month.
		_, atFrom := reg.ByISO3(m.State, m.From)
		_, soon := reg.ByISO3(m.State, m.From.AddDate(0, 0, 31))
		if !atFrom && !soon {
			if _, ok := reg.ByISO3(m.State, time.Time{}); !ok {
				t.Errorf("line %d: %s unknown to the country registry", m.Line, m.State)
			} else {
				t.Errorf("line %d: %s not a state on %s", m.Line, m.State, m.From.Format(time.DateOnly))
			}
		}
		if m.From.After(time.Now()) {
			t.Errorf("line %d: future date", m.Line)
		}
	}
	t.Logf("%d spells, %d citations checked", len(all), checked)
}

func TestLoadErrors(t *testing.T) {
	blocs := "code\tname\tkind\nNATO\tNorth Atlantic Treaty Organization\tsecurity\n"
	srcs := "id\turl\ttitle\tpublisher\tpublished\tchecked\tquote\ns1\thttps://x\tT\tP\t2020-01-01\ttrue\tq\n"
	head := "bloc\tstate\tstatus\tfrom\tuntil\tprecision\tsources\tnote\n"
	tests := []struct {
		name, members string
		err           error
		field         string
	}{
		{"unknown bloc", "WARSAW\tPOL\tmember\t1955-05-14\t\tday\ts1\t\n", nil, "bloc"},
		{"bad state", "NATO\tpol\tmember\t1999-03-12\t\tday\ts1\t\n", entente.ErrUnknownState, "state"},
		{"bad status", "NATO\tPOL\tally\t1999-03-12\t\tday\ts1\t\n", nil, "status"},
		{"bad date", "NATO\tPOL\tmember\t1999-3-12\t\tday\ts1\t\n", entente.ErrBadDate, "from"},
		{"until before from", "NATO\tPOL\tmember\t1999-03-12\t1999-03-12\tday\ts1\t\n", entente.ErrBadDate, "until"},
		{"no source", "NATO\tPOL\tmember\t1999-03-12\t\tday\t\t\n", nil, "sources"},
		{"unknown source", "NATO\tPOL\tmember\t1999-03-12\t\tday\ts2\t\n", nil, "sources"},
		{"precision", "NATO\tPOL\tmember\t1999-03-12\t\thour\ts1\t\n", nil, "precision"},
		{"fields", "NATO\tPOL\tmember\n", entente.ErrFieldCount, ""},
		{"overlap", "NATO\tPOL\tmember\t1999-03-12\t\tday\ts1\t\nNATO\tPOL\tfrozen\t2020-01-01\t\tday\ts1\t\n", nil, "from"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load([]byte(blocs), []byte(head+tc.members), []byte(srcs))
			var pe *entente.ParseError
			if !errors.As(err, &pe) || pe.File != "members.tsv" || pe.Line < 2 || pe.Field != tc.field {
				t.Fatalf("err %v, want a members.tsv error in field %q", err, tc.field)
			}
			if tc.err != nil && !errors.Is(err, tc.err) {
				t.Errorf("err %v, want %v", err, tc.err)
			}
		})
	}
	if _, err := Load([]byte(blocs), []byte(head), []byte(srcs)); err != nil {
		t.Errorf("empty members: %v", err)
	}
}
