package validate_test

import (
	"errors"
	"math"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/entente/entente/validate"
)

const goodLabels = `# A hand-made label set for tests.
# focal: USA
# at: 2016-12-21
# outcome: test vote: no = with, yes = against, abstain = neutral
# source: https://example.org/press | A press release | 2017-12-21
iso3	group
ISR	with
GTM	with
CAN	neutral
FRA	against
# a comment among the rows
TUR	against
`

func TestParseLabels(t *testing.T) {
	set, err := validate.ParseLabels(strings.NewReader(goodLabels), "dir/usa-test.tsv")
	if err != nil {
		t.Fatal(err)
	}
	if set.Name != "usa-test" || set.Focal != "USA" || !set.At.Equal(time.Date(2016, 12, 21, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("got name %q focal %q at %v", set.Name, set.Focal, set.At)
	}
	if len(set.Sources) != 1 || set.Sources[0].URL != "https://example.org/press" || set.Sources[0].Title != "A press release" || set.Sources[0].Date != "2017-12-21" {
		t.Errorf("sources = %+v", set.Sources)
	}
	if got := []int{set.Count(validate.With), set.Count(validate.Against), set.Count(validate.Neutral)}; got[0] != 2 || got[1] != 2 || got[2] != 1 {
		t.Errorf("counts with/against/neutral = %v, want [2 2 1]", got)
	}
	if l := set.Labels[4]; l.State != "TUR" || l.Group != validate.Against || l.Line != 12 {
		t.Errorf("last label = %+v, want TUR against on line 12", l)
	}
}

func TestParseLabelsErrors(t *testing.T) {
	head := "# focal: USA\n# at: 2016-12-21\n# outcome: x\n# source: https://e.org | T | 2017\n"
	tests := []struct {
		name, in   string
		line, col  int
		field, msg string
	}{
		{"no header", head + "ISR\twith\n", 5, 1, "header", "want"},
		{"bad group", head + "iso3\tgroup\nISR\tfriend\n", 6, 5, "group", "friend"},
		{"bad id", head + "iso3\tgroup\nIsr\twith\n", 6, 1, "iso3", "registry ID"},
		{"three fields", head + "iso3\tgroup\nISR\twith\tx\n", 6, 0, "", "2 tab-separated"},
		{"duplicate", head + "iso3\tgroup\nISR\twith\nFRA\tagainst\nISR\tagainst\n", 8, 1, "iso3", "line 6"},
		{"focal labelled", head + "iso3\tgroup\nUSA\twith\n", 6, 1, "iso3", "focal"},
		{"bad date", "# focal: USA\n# at: 2016-12\n", 2, 7, "at", "YYYY-MM-DD"},
		{"bad source", "# focal: USA\n# source: example.org | T | 2017\n", 2, 11, "source", "http"},
		{"source without date", "# source: https://e.org | T\n", 1, 11, "source", "URL | title | date"},
		{"focal twice", "# focal: USA\n# focal: ISR\n", 2, 3, "focal", "twice"},
		{"no with", head + "iso3\tgroup\nFRA\tagainst\n", 6, 0, "group", "at least one"},
		{"missing outcome", "# focal: USA\n# at: 2016-12-21\n# source: https://e.org | T | 2017\niso3\tgroup\nISR\twith\nFRA\tagainst\n", 6, 0, "outcome", "missing"},
		{"empty", "", 0, 0, "focal", "missing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := validate.ParseLabels(strings.NewReader(tt.in), "x.tsv")
			var pe *validate.ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("err = %v, want a *ParseError", err)
			}
			if !errors.Is(err, validate.ErrSyntax) {
				t.Errorf("err does not wrap ErrSyntax")
			}
			if pe.File != "x.tsv" || pe.Line != tt.line || pe.Column != tt.col || pe.Field != tt.field || !strings.Contains(pe.Msg, tt.msg) {
				t.Errorf("got %s (line %d col %d field %q), want line %d col %d field %q containing %q", pe, pe.Line, pe.Column, pe.Field, tt.line, tt.col, tt.field, tt.msg)
			}
		})
	}
}

func TestAUC(t *testing.T) {
	set, err := validate.ParseLabels(strings.NewReader(`# focal: USA
# at: 2016-12-21
# outcome: x
# source: https://e.org | T | 2017
iso3	group
AAA	with
BBB	with
CCC	with
FFF	with
HHH	with
DDD	against
EEE	against
GGG	neutral
`), "t.tsv")
	if err != nil {
		t.Fatal(err)
	}
	// Pairs (with, against): A>D 1, A>E 1, B=D ½, B>E 1, C<D 0, C>E 1: 4.5 of 6.
	// FFF is unscored, HHH NaN: both unknown; GGG is neutral and ignored.
	scores := map[string]float64{"AAA": 0.9, "BBB": 0.5, "CCC": 0.2, "DDD": 0.5, "EEE": 0.1, "GGG": -5, "HHH": math.NaN()}
	r := validate.AUC(set, scores)
	if r.AUC != 0.75 || r.With != 3 || r.Against != 2 {
		t.Errorf("AUC = %v with %d against %d, want 0.75, 3, 2", r.AUC, r.With, r.Against)
	}
	if strings.Join(r.Unknown, ",") != "FFF,HHH" {
		t.Errorf("unknown = %v, want [FFF HHH]", r.Unknown)
	}
	cases := []struct {
		name   string
		scores map[string]float64
		want   float64
	}{
		{"perfect", map[string]float64{"AAA": 3, "BBB": 2, "CCC": 1, "DDD": 0, "EEE": -1}, 1},
		{"reversed", map[string]float64{"AAA": -3, "BBB": -2, "CCC": -1, "DDD": 0, "EEE": 1}, 0},
		{"all tied", map[string]float64{"AAA": 1, "BBB": 1, "CCC": 1, "DDD": 1, "EEE": 1}, 0.5},
		// A>D 1, A>E 1, B<D 0, B>E 1, C<D 0, C=E ½ → 3.5/6.
		{"mixed", map[string]float64{"AAA": 5, "BBB": 2, "CCC": 1, "DDD": 3, "EEE": 1}, 3.5 / 6},
	}
	for _, c := range cases {
		if got := validate.AUC(set, c.scores).AUC; math.Abs(got-c.want) > 1e-12 {
			t.Errorf("%s: AUC = %v, want %v", c.name, got, c.want)
		}
	}
	if got := validate.AUC(set, map[string]float64{"AAA": 1}).AUC; !math.IsNaN(got) {
		t.Errorf("no against scored: AUC = %v, want NaN", got)
	}
}

func BenchmarkParseLabels(b *testing.B) {
	data := []byte(goodLabels)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := validate.ParseLabels(strings.NewReader(goodLabels), "b.tsv"); err != nil {
			b.Fatal(err)
		}
	}
}

func FuzzParseLabels(f *testing.F) {
	f.Add(goodLabels)
	if data, err := os.ReadFile("../testdata/validation/usa-2017-jerusalem.tsv"); err == nil {
		f.Add(string(data))
	}
	f.Add("# focal: USA\niso3\tgroup\n")
	f.Fuzz(func(t *testing.T, in string) {
		set, err := validate.ParseLabels(strings.NewReader(in), "f.tsv")
		if err != nil {
			var pe *validate.ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error %v is not a *ParseError", err)
			}
			return
		}
		if set.Count(validate.With) == 0 || set.Count(validate.Against) == 0 {
			t.Fatalf("accepted a set without both groups")
		}
		seen := map[string]bool{}
		for _, l := range set.Labels {
			if seen[l.State] || l.State == set.Focal {
				t.Fatalf("accepted duplicate or focal label %s", l.State)
			}
			seen[l.State] = true
		}
	})
}

// TestDevLabelSets parses the repository's dev label sets: the issue asks for at least
// 12 of them over at least 6 focal states, each with a source.
func TestDevLabelSets(t *testing.T) {
	sets, err := validate.LoadLabelDir("../testdata/validation")
	if err != nil {
		t.Fatal(err)
	}
	focal := map[string]bool{}
	for _, s := range sets {
		focal[s.Focal] = true
		if s.Count(validate.With) < 5 || s.Count(validate.Against) < 5 {
			t.Errorf("%s: %d with, %d against: too few to measure", s.Name, s.Count(validate.With), s.Count(validate.Against))
		}
	}
	if len(sets) < 12 || len(focal) < 6 {
		t.Errorf("%d label sets over %d focal states, want at least 12 over 6", len(sets), len(focal))
	}
}
