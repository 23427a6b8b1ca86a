package ledger

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/entente/entente"
	"github.com/entente/entente/country"
)

var testNow = entente.Day(2025, 6, 30)

// head is a valid act up to its kind; tests append the fields they need.
const head = `- id: a1
  date: 2024-06-19
  actor: PRK
  counterpart: RUS
`

const tail = `  summary: A treaty.
  sources:
    - url: https://example.org/a
`

// mirror is head with the parties swapped (by name, which Check resolves) and another id.
const mirror = `- id: a2
  date: 2024-06-19
  actor: Russian Federation
  counterpart: PRK
`

func validate(src string) ([]Act, []error) {
	acts, errs := Parse(strings.NewReader(src), "t.yaml")
	errs = append(errs, Check(acts, country.Default(), testNow, nil)...)
	return acts, errs
}

func TestValidationErrors(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want error
		at   string // file:line prefix of the one expected error
	}{
		{"unknown kind", head + "  kind: alliance_tready\n" + tail, ErrUnknownKind, "t.yaml:5:"},
		{"unknown actor", "- id: a1\n  date: 2024-06-19\n  actor: Narnia\n  counterpart: RUS\n  kind: alliance_treaty\n" + tail, entente.ErrUnknownState, "t.yaml:3:"},
		{"unknown counterpart", "- id: a1\n  date: 2024-06-19\n  actor: PRK\n  counterpart: WARSAW_PACT\n  kind: alliance_treaty\n" + tail, entente.ErrUnknownState, "t.yaml:4:"},
		{"state not yet existing", "- id: a1\n  date: 2005-01-01\n  actor: SSD\n  counterpart: RUS\n  kind: state_visit\n" + tail, entente.ErrUnknownState, "t.yaml:3:"},
		{"missing sources", head + "  kind: alliance_treaty\n  summary: A treaty.\n", ErrMissingSource, "t.yaml:1:"},
		{"empty sources", head + "  kind: alliance_treaty\n  summary: A treaty.\n  sources: []\n", ErrMissingSource, "t.yaml:7:"},
		{"source without url or title", head + "  kind: alliance_treaty\n  summary: A treaty.\n  sources:\n    - title: A page\n      publisher: X\n", ErrBadSource, "t.yaml:8:"},
		{"source url not http", head + "  kind: alliance_treaty\n  summary: A treaty.\n  sources:\n    - url: example.org/a\n", ErrBadSource, "t.yaml:8:"},
		{"future date", "- id: a1\n  date: 2025-07-01\n  actor: PRK\n  counterpart: RUS\n  kind: alliance_treaty\n" + tail, ErrFutureDate, "t.yaml:2:"},
		{"future end", head + "  end: 2026\n  kind: troop_deployment\n" + tail, ErrFutureDate, "t.yaml:5:"},
		{"future published", head + "  kind: alliance_treaty\n  summary: A treaty.\n  sources:\n    - title: T\n      publisher: P\n      published: 2025-12-01\n", ErrFutureDate, "t.yaml:10:"},
		{"duplicate id", head + "  kind: alliance_treaty\n" + tail + head + "  kind: state_visit\n" + tail, ErrDuplicateID, "t.yaml:9:"},
		{"end before start", head + "  end: 2024-06-18\n  kind: troop_deployment\n" + tail, ErrEndBeforeStart, "t.yaml:5:"},
		{"bad date", "- id: a1\n  date: 2024-13-01\n  actor: PRK\n  counterpart: RUS\n  kind: alliance_treaty\n" + tail, entente.ErrBadDate, "t.yaml:2:"},
		{"bad end date", head + "  end: June 2024\n  kind: troop_deployment\n" + tail, entente.ErrBadDate, "t.yaml:5:"},
		{"unknown field", head + "  kind: alliance_treaty\n  sumary: typo\n" + tail, ErrUnknownField, "t.yaml:6:"},
		{"unknown source field", head + "  kind: alliance_treaty\n  summary: A treaty.\n  sources:\n    - url: https://example.org/a\n      checkd: true\n", ErrUnknownField, "t.yaml:9:"},
		{"repeated field", head + "  kind: alliance_treaty\n  kind: state_visit\n" + tail, ErrRepeatedField, "t.yaml:6:"},
		{"missing kind", head + tail, ErrMissingField, "t.yaml:1:"},
		{"empty actor", "- id: a1\n  date: 2024-06-19\n  actor:\n  counterpart: RUS\n  kind: alliance_treaty\n" + tail, ErrMissingField, "t.yaml:3:"},
		{"missing summary", head + "  kind: alliance_treaty\n  sources:\n    - url: https://example.org/a\n", ErrMissingField, "t.yaml:1:"},
		{"no default stance", head + "  kind: regime_change\n" + tail, ErrMissingField, "t.yaml:1:"},
		{"bad stance", head + "  kind: alliance_treaty\n  stance: friendly\n" + tail, ErrBadStance, "t.yaml:6:"},
		{"unquoted minus stance", head + "  kind: condemnation\n  stance: -\n" + tail, ErrSyntax, "t.yaml:6:"},
		{"actor is counterpart", "- id: a1\n  date: 2024-06-19\n  actor: RUS\n  counterpart: Russian Federation\n  kind: state_visit\n" + tail, ErrSelfAct, "t.yaml:4:"},
		{"bad magnitude", head + "  kind: troop_deployment\n  magnitude: 11000 troops\n" + tail, entente.ErrBadNumber, "t.yaml:6:"},
		{"bad checked", head + "  kind: alliance_treaty\n  summary: A treaty.\n  sources:\n    - url: https://example.org/a\n      checked: yes\n", ErrBadValue, "t.yaml:9:"},
		{"bad id", "- id: A 1\n  date: 2024-06-19\n  actor: PRK\n  counterpart: RUS\n  kind: alliance_treaty\n" + tail, ErrBadValue, "t.yaml:1:"},
		{"multi-line summary", head + "  kind: alliance_treaty\n  summary: |\n    two\n    lines\n  sources:\n    - url: https://example.org/a\n", ErrBadValue, "t.yaml:6:"},
		{"bad mutual", head + "  mutual: yes\n  kind: alliance_treaty\n" + tail, ErrBadValue, "t.yaml:5:"},
		{"mirrored act", head + "  kind: alliance_treaty\n" + tail + mirror + "  kind: alliance_treaty\n" + tail, ErrMirroredAct, "t.yaml:11:"},
		{"mirror of a mutual act", head + "  mutual: true\n  kind: alliance_treaty\n" + tail + mirror + "  kind: alliance_treaty\n" + tail, ErrMirroredAct, "t.yaml:12:"},
		{"mirror of a one-sided act", head + "  mutual: false\n  kind: strike\n" + tail + mirror + "  kind: strike\n" + tail, ErrMirroredAct, "t.yaml:12:"},
		{"not a list", "id: a1\n", ErrShape, "t.yaml:1:"},
		{"alias", head + "  kind: &k alliance_treaty\n" + tail, ErrShape, "t.yaml:5:"},
		{"syntax", head + "  kind: [alliance_treaty\n" + tail, ErrSyntax, "t.yaml:"},
		{"empty file", "# nothing yet\n", entente.ErrEmpty, "t.yaml: "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, errs := validate(tt.src)
			if len(errs) != 1 {
				t.Fatalf("got %d errors, want 1: %v", len(errs), errs)
			}
			err := errs[0]
			if !errors.Is(err, tt.want) {
				t.Errorf("error %q does not wrap %q", err, tt.want)
			}
			var pe *entente.ParseError
			if !errors.As(err, &pe) {
				t.Errorf("error %q is not a *entente.ParseError", err)
			}
			if !strings.HasPrefix(err.Error(), tt.at) {
				t.Errorf("error %q does not start with %q", err, tt.at)
			}
		})
	}
}

func TestDuplicateIDNamesBothPlaces(t *testing.T) {
	dir := t.TempDir()
	src := head + "  kind: alliance_treaty\n" + tail
	write(t, filepath.Join(dir, "a.yaml"), src)
	write(t, filepath.Join(dir, "b.yaml"), "# second file\n"+src)
	_, _, errs := CheckPaths(country.Default(), testNow, nil, dir)
	if len(errs) != 1 || !errors.Is(errs[0], ErrDuplicateID) {
		t.Fatalf("errors %v, want one duplicate id", errs)
	}
	msg := errs[0].Error()
	for _, want := range []string{filepath.Join(dir, "b.yaml") + ":2:", filepath.Join(dir, "a.yaml") + ":1"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message %q does not name %s", msg, want)
		}
	}
}

func TestParseValid(t *testing.T) {
	f, err := os.Open("testdata/valid.yaml")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	acts, errs := Parse(f, "valid.yaml")
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	if errs := Check(acts, country.Default(), testNow, nil); len(errs) > 0 {
		t.Fatal(errs)
	}
	want := []entente.Act{
		{
			ID: "2024-06-19-prk-rus-treaty", Date: entente.Day(2024, 6, 19), Precision: entente.PrecisionDay,
			Actor: "PRK", Counterpart: "RUS", Kind: "alliance_treaty", Stance: entente.Cooperative,
			Summary: "North Korea and Russia sign the Treaty on Comprehensive Strategic Partnership, with a mutual assistance clause.",
			Sources: []entente.Citation{{
				URL:       "https://en.wikipedia.org/wiki/Treaty_on_Comprehensive_Strategic_Partnership_between_Russia_and_North_Korea",
				Title:     "Treaty on Comprehensive Strategic Partnership between Russia and North Korea",
				Publisher: "Wikipedia",
			}},
			File: "valid.yaml", Line: 2,
		},
		{
			ID: "2024-10-prk-troops-kursk", Date: entente.Day(2024, 10, 1), Precision: entente.PrecisionMonth,
			End: entente.Day(2025, 4, 30), Actor: "PRK", Counterpart: "RUS", Kind: "troop_deployment",
			Stance: entente.Cooperative, Magnitude: 11000, Summary: "North Korean troops deployed to Russia's Kursk region.",
			Sources: []entente.Citation{{Title: "North Korean troops in Russia", Publisher: "Example Publisher",
				Published: entente.Day(2024, 11, 4), Quote: "About 11,000 troops"}},
			File: "valid.yaml", Line: 14,
		},
		{
			ID: "2024-syr-regime", Date: entente.Day(2024, 1, 1), Precision: entente.PrecisionYear,
			Actor: "SYR", Counterpart: "RUS", Kind: "regime_change", Stance: entente.Hostile,
			Summary: "The Assad government falls.",
			Sources: []entente.Citation{{URL: "https://example.org/syria", Checked: true}},
			File:    "valid.yaml", Line: 28,
		},
		{
			ID: "2024-03-07-swe-nato", Date: entente.Day(2024, 3, 7), Precision: entente.PrecisionDay,
			Actor: "SWE", Counterpart: "NATO", Kind: "membership_join", Stance: entente.Cooperative,
			Summary: "Sweden joins NATO.",
			Sources: []entente.Citation{{URL: "https://example.org/sweden"}},
			File:    "valid.yaml", Line: 38,
		},
	}
	if got := Domain(acts); !reflect.DeepEqual(got, want) {
		t.Errorf("acts:\n got %+v\nwant %+v", got, want)
	}
	if acts[1].Unit != "troops" {
		t.Errorf("unit %q, want troops", acts[1].Unit)
	}
	if p := acts[0].Pos["counterpart"]; p != (Pos{5, 16}) {
		t.Errorf("counterpart at %v, want 5:16", p)
	}
}

// TestRoundTrip writes parsed acts back in the ledger format and parses them again.
func TestRoundTrip(t *testing.T) {
	acts, _, errs := Load("testdata/valid.yaml")
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	Check(acts, country.Default(), testNow, nil)
	var b strings.Builder
	if err := Write(&b, acts); err != nil {
		t.Fatal(err)
	}
	again, errs := Parse(strings.NewReader(b.String()), "again.yaml")
	if len(errs) > 0 {
		t.Fatalf("%v\n%s", errs, b.String())
	}
	if errs := Check(again, country.Default(), testNow, nil); len(errs) > 0 {
		t.Fatal(errs)
	}
	for i := range acts {
		x, y := acts[i].Act, again[i].Act
		x.File, x.Line, y.File, y.Line = "", 0, "", 0
		if !reflect.DeepEqual(x, y) || acts[i].Unit != again[i].Unit {
			t.Errorf("act %d changed:\n was %+v\n now %+v", i, x, y)
		}
	}
}

func TestLoadFolders(t *testing.T) {
	dir := t.TempDir()
	one := head + "  kind: alliance_treaty\n" + tail
	two := strings.Replace(one, "id: a1", "id: a2", 1)
	three := strings.Replace(one, "id: a1", "id: a3", 1)
	write(t, filepath.Join(dir, "b.yaml"), two)
	write(t, filepath.Join(dir, "a.yml"), one)
	write(t, filepath.Join(dir, "sub", "c.yaml"), three)
	write(t, filepath.Join(dir, "notes.txt"), "not a ledger")

	acts, files, errs := Load(dir)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	var ids []string
	for _, a := range acts {
		ids = append(ids, a.ID)
	}
	if want := []string{"a1", "a2", "a3"}; !reflect.DeepEqual(ids, want) {
		t.Errorf("ids %v, want %v (lexical file order)", ids, want)
	}
	if len(files) != 3 {
		t.Errorf("files %v, want 3", files)
	}

	// A glob, and the same file named twice, read once.
	acts, _, errs = Load(filepath.Join(dir, "*.yaml"), filepath.Join(dir, "b.yaml"))
	if len(errs) > 0 || len(acts) != 1 || acts[0].ID != "a2" {
		t.Errorf("glob: acts %v errs %v", acts, errs)
	}

	for _, bad := range []string{filepath.Join(dir, "missing.yaml"), filepath.Join(dir, "*.json"), t.TempDir()} {
		if _, _, errs := Load(bad); len(errs) != 1 {
			t.Errorf("Load(%s): errors %v, want 1", bad, errs)
		}
	}
}

func TestReport(t *testing.T) {
	r, _, errs := CheckPaths(country.Default(), testNow, nil, "testdata")
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	want := Report{Files: 1, Acts: 4, Sources: 4, Checked: 1, ByKind: map[string]int{
		"alliance_treaty": 1, "troop_deployment": 1, "regime_change": 1, "membership_join": 1}}
	if !reflect.DeepEqual(r, want) {
		t.Errorf("report %+v, want %+v", r, want)
	}
	if s := r.String(); !strings.HasPrefix(s, "1 files, 4 acts, 4 sources (1 checked), 0 errors\n") {
		t.Errorf("report text %q", s)
	}
}

func TestInjectedOrganisations(t *testing.T) {
	src := "- id: a1\n  date: 2024-06-19\n  actor: ARM\n  counterpart: CSTO\n  kind: membership_suspend\n" + tail
	onlyEU := func(s string) bool { return strings.EqualFold(s, "EU") }
	acts, errs := Parse(strings.NewReader(src), "t.yaml")
	if errs := Check(acts, country.Default(), testNow, onlyEU); len(errs) != 1 || !errors.Is(errs[0], entente.ErrUnknownState) {
		t.Errorf("with an EU-only checker: errors %v, want CSTO unknown", errs)
	}
	if errs = append(errs, Check(acts, country.Default(), testNow, nil)...); len(errs) > 0 {
		t.Errorf("default checker: %v", errs)
	}
}

func TestDefaultStanceCoversKinds(t *testing.T) {
	for k := range DefaultStance {
		if _, ok := entente.ActKinds[k]; !ok {
			t.Errorf("DefaultStance has %q, not a kind of entente.ActKinds", k)
		}
	}
}

// TestStarterLedger checks the real ledger in data/ledger against the real country
// registry at the real date.
func TestStarterLedger(t *testing.T) {
	r, _, errs := CheckPaths(country.Default(), time.Now(), nil, "../../data/ledger")
	for _, err := range errs {
		t.Error(err)
	}
	if r.Acts == 0 {
		t.Fatal("no acts in data/ledger")
	}
	t.Logf("data/ledger: %s", r)
}

func write(t *testing.T, name, s string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestMutualActs: a bilateral act is recorded once; the checker accepts a mirrored pair
// only when both sides say they acted on their own (mutual: false), and mirrors are
// matched on kind and the exact date.
func TestMutualActs(t *testing.T) {
	ok := []struct{ name, src string }{
		{"one mutual act", head + "  mutual: true\n  kind: alliance_treaty\n" + tail},
		{"two one-sided acts", head + "  mutual: false\n  kind: strike\n" + tail + mirror + "  mutual: false\n  kind: strike\n" + tail},
		{"mirror of another kind", head + "  kind: strike\n" + tail + mirror + "  kind: border_clash\n" + tail},
		{"mirror on another date", head + "  kind: strike\n" + tail + strings.Replace(mirror, "2024-06-19", "2024-06-20", 1) + "  kind: strike\n" + tail},
		{"mirror at another precision", head + "  kind: strike\n" + tail + strings.Replace(mirror, "2024-06-19", "2024-06", 1) + "  kind: strike\n" + tail},
		{"same direction twice", head + "  kind: strike\n" + tail + strings.Replace(head, "a1", "a2", 1) + "  kind: strike\n" + tail},
	}
	for _, tt := range ok {
		if _, errs := validate(tt.src); len(errs) != 0 {
			t.Errorf("%s: %v", tt.name, errs)
		}
	}
	acts, errs := validate(head + "  mutual: true\n  kind: alliance_treaty\n" + tail + mirror + "  mutual: false\n  kind: strike\n" + tail + strings.Replace(head, "a1", "a3", 1) + "  kind: state_visit\n" + tail)
	if len(errs) != 0 || len(acts) != 3 {
		t.Fatalf("%d acts, errors %v", len(acts), errs)
	}
	want := [][2]bool{{true, false}, {false, true}, {false, false}}
	for i, a := range acts {
		if got := [2]bool{a.Mutual, a.OneSided}; got != want[i] {
			t.Errorf("act %s: mutual, one-sided = %v, want %v", a.ID, got, want[i])
		}
	}
	var b strings.Builder
	if err := Write(&b, acts); err != nil {
		t.Fatal(err)
	}
	again, errs := Parse(strings.NewReader(b.String()), "again.yaml")
	if len(errs) != 0 || len(again) != 3 {
		t.Fatalf("re-read %d acts, errors %v", len(again), errs)
	}
	for i, a := range again {
		if got := [2]bool{a.Mutual, a.OneSided}; got != want[i] {
			t.Errorf("written act %s: mutual, one-sided = %v, want %v", a.ID, got, want[i])
		}
	}
}
