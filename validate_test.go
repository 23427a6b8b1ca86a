package entente_test

import (
	"errors"
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/entente/entente"
)

func TestValidate(t *testing.T) {
	day := entente.Day(2020, 1, 2)
	cite := []entente.Citation{{Title: "t"}}
	tests := []struct {
		name  string
		rec   interface{ Validate() error }
		field string // "" when valid
		cause error
	}{
		{"roll call", entente.RollCall{Source: "voeten", ID: "1", Date: day, Session: 75}, "", nil},
		{"roll call without id", entente.RollCall{Source: "voeten", Date: day}, "id", entente.ErrRequired},
		{"roll call without date", entente.RollCall{Source: "voeten", ID: "1"}, "date", entente.ErrRequired},
		{"roll call session", entente.RollCall{Source: "voeten", ID: "1", Date: day, Session: 40000}, "session", entente.ErrOutOfRange},
		{"roll call negative session", entente.RollCall{Source: "voeten", ID: "1", Date: day, Session: -1}, "session", entente.ErrOutOfRange},
		{"vote", entente.Vote{Source: "voeten", RollCallID: "1", CCode: 365, Line: 3}, "", nil},
		{"vote without roll call", entente.Vote{Source: "voeten", CCode: 365}, "roll call", entente.ErrRequired},
		{"vote ccode 0", entente.Vote{Source: "voeten", RollCallID: "1"}, "ccode", entente.ErrOutOfRange},
		{"vote ccode too large", entente.Vote{Source: "voeten", RollCallID: "1", CCode: entente.MaxCCode + 1}, "ccode", entente.ErrOutOfRange},
		{"issue", entente.RollCallIssue{Source: "unvotes", RollCallID: "1", Issue: "me"}, "", nil},
		{"issue without code", entente.RollCallIssue{Source: "unvotes", RollCallID: "1"}, "issue", entente.ErrRequired},
		{"event", entente.Event{Source: "gdelt2", Day: day, EventCode: "010", Quad: 1}, "", nil},
		{"event without code", entente.Event{Source: "gdelt2", Day: day, Quad: 1}, "event code", entente.ErrRequired},
		{"event quad", entente.Event{Source: "gdelt2", Day: day, EventCode: "010", Quad: 5}, "quad class", entente.ErrOutOfRange},
		{"mention", entente.Mention{URL: "https://x"}, "", nil},
		{"mention without url", entente.Mention{}, "url", entente.ErrRequired},
		{"aid", entente.Aid{Donor: "DEU", Recipient: "UKR", Month: day, Kind: "military", Cite: cite[0]}, "", nil},
		{"aid without release", entente.Aid{Donor: "DEU", Recipient: "UKR", Month: day, Kind: "military"}, "release title", entente.ErrRequired},
		{"alliance", entente.AllianceTie{A: 2, B: 20, Year: 1990}, "", nil},
		{"alliance ccode2", entente.AllianceTie{A: 2, B: 0, Year: 1990}, "ccode2", entente.ErrOutOfRange},
		{"alliance year", entente.AllianceTie{A: 2, B: 20}, "year", entente.ErrOutOfRange},
		{"membership", entente.Membership{Source: "cowigo", State: "USA", CCode: 2, Org: "NATO", Begin: day}, "", nil},
		{"membership without ccode", entente.Membership{Source: "bloc", State: "USA", Org: "NATO", Begin: day}, "", nil},
		{"membership without begin", entente.Membership{Source: "cowigo", State: "USA", Org: "NATO"}, "begin", entente.ErrRequired},
		{"membership ccode", entente.Membership{Source: "cowigo", State: "USA", CCode: 40000, Org: "NATO", Begin: day}, "ccode", entente.ErrOutOfRange},
		{"membership negative ccode", entente.Membership{Source: "cowigo", State: "USA", CCode: -2, Org: "NATO", Begin: day}, "ccode", entente.ErrOutOfRange},
		{"act", entente.Act{ID: "a", Date: day, Actor: "RUS", Counterpart: "BLR", Kind: "treaty", Sources: cite}, "", nil},
		{"act without sources", entente.Act{ID: "a", Date: day, Actor: "RUS", Counterpart: "BLR", Kind: "treaty"}, "sources", entente.ErrRequired},
	}
	for _, tt := range tests {
		err := tt.rec.Validate()
		if tt.field == "" {
			if err != nil {
				t.Errorf("%s: %v, want valid", tt.name, err)
			}
			continue
		}
		var re *entente.RecordError
		if !errors.As(err, &re) || re.Field != tt.field || !errors.Is(err, tt.cause) {
			t.Errorf("%s: %v, want a RecordError of field %q (%v)", tt.name, err, tt.field, tt.cause)
			continue
		}
		if entente.ErrorCode(err) != entente.EINVALID || !strings.Contains(err.Error(), "field "+tt.field) {
			t.Errorf("%s: %q (code %s), want EINVALID naming the field", tt.name, err, entente.ErrorCode(err))
		}
	}
}

// cutReference is the rule CutRaw implements, written the slow way.
func cutReference(b []byte) string {
	s := strings.ToValidUTF8(string(b), "\uFFFD")
	if len(s) <= entente.MaxRawBytes {
		return s
	}
	n := entente.MaxRawBytes
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// TestCutRawLines holds the assertions of the tests of the helpers CutRaw replaced
// (csvline.CutRaw, unvotes' cutRaw).
func TestCutRawLines(t *testing.T) {
	if got := entente.CutRaw([]byte(strings.Repeat("é", 600))); len(got) > entente.MaxRawBytes || !strings.HasPrefix(got, "é") {
		t.Errorf("CutRaw: %d bytes", len(got))
	}
	s := strings.Repeat("é", 600) // 1,200 bytes
	got := entente.CutRaw([]byte(s))
	if len(got) != 1000 || !strings.HasPrefix(s, got) {
		t.Errorf("cutRaw: %d bytes", len(got))
	}
	if got := entente.CutRaw([]byte("a\xffb")); got != "a\uFFFDb" {
		t.Errorf("cutRaw(invalid) = %q", got)
	}
}

func TestCutRaw(t *testing.T) {
	long := strings.Repeat("x", 998) + "é€" // the euro sign straddles the limit
	cases := [][]byte{
		nil, []byte("a,b,c"), []byte(long), []byte("a\xff\xfeb"),
		append([]byte("a"), []byte(strings.Repeat("\xff", 2000)+"xyz")...), // a run of bad bytes across the limit
	}
	rng := rand.New(rand.NewPCG(1, 2))
	alphabet := []string{"a", "é", "€", "😀", "\xff", "\xe2\x82", "\uFFFD"}
	for range 300 {
		var b strings.Builder
		for n := rng.IntN(1200); b.Len() < n; {
			b.WriteString(alphabet[rng.IntN(len(alphabet))])
		}
		cases = append(cases, []byte(b.String()))
	}
	for _, c := range cases {
		want := cutReference(c)
		if got := entente.CutRaw(c); got != want {
			t.Fatalf("CutRaw(%q) = %q, want %q", c, got, want)
		}
		if got := entente.CutRawString(string(c)); got != want {
			t.Fatalf("CutRawString(%q) = %q, want %q", c, got, want)
		}
		if !utf8.ValidString(want) || len(want) > entente.MaxRawBytes {
			t.Fatalf("reference of %q is not a valid cut", c)
		}
	}
	if got := entente.CutRaw([]byte(long)); got != long[:1000] {
		t.Errorf("cut at %d bytes, want 1000 (before the euro sign)", len(got))
	}
}

func BenchmarkValidateVote(b *testing.B) {
	v := entente.Vote{Source: "voeten", RollCallID: "1", CCode: 365, Line: 3}
	b.ReportAllocs()
	for b.Loop() {
		if err := v.Validate(); err != nil {
			b.Fatal(err)
		}
	}
}

func TestParsePrecision(t *testing.T) {
	for _, p := range []entente.Precision{entente.PrecisionDay, entente.PrecisionMonth, entente.PrecisionYear} {
		if got := entente.ParsePrecision(p.String()); got != p {
			t.Errorf("ParsePrecision(%q) = %v", p.String(), got)
		}
	}
}

func TestValidateSimilarities(t *testing.T) {
	ok := []entente.Similarity{{A: 2, B: 20, Period: "1990", N: 3}}
	if err := entente.ValidateSimilarities("year", ok); err != nil {
		t.Errorf("valid rows: %v", err)
	}
	for _, bad := range [][]entente.Similarity{{{A: 20, B: 2, Period: "1990"}}, {{A: 2, B: 20}}, {{A: 2, B: 40000, Period: "1990"}}} {
		if err := entente.ValidateSimilarities("year", bad); entente.ErrorCode(err) != entente.EINVALID {
			t.Errorf("%+v: %v, want EINVALID", bad, err)
		}
	}
	if err := entente.ValidateSimilarities("", ok); entente.ErrorCode(err) != entente.EINVALID {
		t.Errorf("empty grouping: %v", err)
	}
}
