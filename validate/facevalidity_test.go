package validate_test

import (
	"context"
	"errors"
	"math"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/entente/entente"
	"github.com/entente/entente/country"
	"github.com/entente/entente/validate"
)

// fixedRanker serves hand-made rankings keyed by focal ID and the year of at − 1 day.
type fixedRanker map[string][]validate.Ranked

func (f fixedRanker) rank(_ context.Context, focal entente.Country, at time.Time) ([]validate.Ranked, error) {
	k := focal.ID + " " + at.AddDate(0, 0, -1).Format("2006")
	rs, ok := f[k]
	if !ok {
		return nil, errors.New("no ranking for " + k)
	}
	return rs, nil
}

var rankings = fixedRanker{
	// Eleven states, ranks 1..11 from the top; FRA and DEU tie at 0.5; NOR has no score.
	"RUS 2023": {
		{"BLR", 0.9, "ally"}, {"PRK", 0.8, "ally"}, {"CHN", 0.7, "partner"}, {"IRN", 0.6, "partner"},
		{"FRA", 0.5, "leaning toward"}, {"DEU", 0.5, "leaning toward"}, {"HUN", 0.1, "neutral"},
		{"FIN", 0.0, "neutral"}, {"POL", -0.5, "leaning away"}, {"USA", -0.7, "adversary"}, {"UKR", -0.9, "adversary"},
		{"NOR", math.NaN(), ""},
	},
	"RUS 2022": {{"FIN", 0.2, "neutral"}, {"SWE", 0.1, "neutral"}, {"UKR", -0.9, "adversary"}},
}

const faceFile = `# test assertions
source s1: https://example.org/a | Page A | 2023-01-01
source s2: https://example.org/b | Page B | 2023-02

RUS 2023 UKR below HUN [s1]
RUS 2023 HUN below UKR [s1]
RUS 2023 BLR above PRK [s1,s2]
RUS 2023 BLR first [s1]
RUS 2023 PRK first [s1]
RUS 2023 UKR last [s1]
RUS 2023 BLR,PRK top 2 [s1]
RUS 2023 BLR,CHN top 2 [s1]
RUS 2023 USA,UKR bottom 2 [s1]
RUS 2023 FRA,DEU top 5 [s1]
RUS 2023 UKR bottom_fraction 0.1 [s1]
RUS 2023 USA bottom_fraction 0.1 [s1]
RUS 2023 BLR top_fraction 0.1 [s1]
RUS 2023 CHN top_fraction 0.2 [s1]
RUS 2023 USA,UKR not_class ally,partner [s1]
RUS 2023 IRN not_class ally,partner [s1]
RUS 2023 POL class leaning_away,adversary [s1]
RUS 2023 HUN class leaning_away [s1]
RUS 2023 UKR fell_since 2022 [s1]
RUS 2023 FIN fell_since 2022 [s1]
RUS 2023 NOR below UKR [s1]
RUS 2023 ZZZ,UKR last [s1]
RUS 2023 UKR below ZZZ [s1]
RUS 2023 ZZZ,CHN first [s1]
RUS 2023 UKR rose_since 2022 [s1]
RUS 2021 UKR last [s1]
`

func TestFaceValidity(t *testing.T) {
	fv, err := validate.ParseFaceValidity(strings.NewReader(faceFile), "f.txt")
	if err != nil {
		t.Fatal(err)
	}
	if len(fv.Sources) != 2 || fv.Sources["s2"].Date != "2023-02" {
		t.Errorf("sources = %+v", fv.Sources)
	}
	checks, err := validate.Evaluate(context.Background(), fv, country.Default(), rankings.rank)
	if err != nil {
		t.Fatal(err)
	}
	// Worked out by hand on the rankings above (n = 11).
	want := []validate.Status{
		validate.Pass, validate.Fail, validate.Pass, validate.Pass, validate.Fail, validate.Pass,
		validate.Pass, validate.Fail, validate.Pass,
		validate.Pass,    // FRA and DEU tie at #5: both in the top 5
		validate.Pass,    // UKR is 1/11 from the bottom ≤ 0.1
		validate.Fail,    // USA 2/11 > 0.1
		validate.Pass,    // BLR 1/11 from the top
		validate.Fail,    // CHN 3/11 > 0.2
		validate.Pass,    // USA, UKR adversaries
		validate.Fail,    // IRN is a partner
		validate.Pass,    // POL leaning away
		validate.Fail,    // HUN neutral
		validate.Fail,    // UKR −0.9 in 2022 and 2023: not fallen
		validate.Pass,    // FIN 0.2 → 0.0
		validate.Unknown, // NOR has a NaN score
		validate.Unknown, // ZZZ unscored, UKR passes
		validate.Unknown, // the other side unscored
		validate.Fail,    // ZZZ unknown but CHN fails: a failure wins
		validate.Fail,    // UKR not risen either
		validate.Unknown, // ranker error for 2021
	}
	if len(checks) != len(want) {
		t.Fatalf("%d checks, want %d", len(checks), len(want))
	}
	for i, c := range checks {
		if c.Status != want[i] {
			t.Errorf("line %d %q: %s (%s), want %s", c.Assertion.Line, c.Assertion.Text, c.Status, c.Detail, want[i])
		}
	}
	if d := checks[0].Detail; d != "UKR #11 of 11 (-0.900 adversary) vs HUN #7 of 11 (0.100 neutral)" {
		t.Errorf("detail = %q", d)
	}
	if checks[len(checks)-1].Err == nil {
		t.Errorf("ranker error not recorded")
	}
}

func TestParseFaceValidityErrors(t *testing.T) {
	src := "source s: https://e.org | T | 2023\n"
	tests := []struct {
		name, in   string
		line, col  int
		field, msg string
	}{
		{"undefined source", src + "RUS 2023 UKR last [t]\n", 2, 19, "sources", "not defined"},
		{"no sources", src + "RUS 2023 UKR last HUN\n", 2, 19, "sources", "[NAME"},
		{"too few words", src + "RUS 2023 UKR [s]\n", 2, 0, "", "words"},
		{"missing brackets", src + "RUS 2023 UKR below HUN s\n", 2, 24, "sources", "[NAME"},
		{"bad focal", src + "Rus 2023 UKR last [s]\n", 2, 1, "focal", "registry ID"},
		{"bad date", src + "RUS 23 UKR last [s]\n", 2, 5, "at", "YYYY"},
		{"bad subject", src + "RUS 2023 UKR,uk last [s]\n", 2, 10, "subjects", "\"uk\""},
		{"focal subject", src + "RUS 2023 RUS last [s]\n", 2, 10, "subjects", "focal"},
		{"unknown verb", src + "RUS 2023 UKR under HUN [s]\n", 2, 14, "verb", "unknown verb"},
		{"arity", src + "RUS 2023 UKR last HUN [s]\n", 2, 14, "verb", "takes 0"},
		{"bad N", src + "RUS 2023 UKR top 0 [s]\n", 2, 18, "top", "positive"},
		{"bad fraction", src + "RUS 2023 UKR bottom_fraction 1.5 [s]\n", 2, 30, "bottom_fraction", "(0, 1]"},
		{"since not before", src + "RUS 2023 UKR fell_since 2023 [s]\n", 2, 25, "fell_since", "not before"},
		{"bad source line", "source s https://e.org | T | 2023\n", 1, 8, "source", "NAME"},
		{"bad source url", "source s: e.org | T | 2023\n", 1, 11, "source s", "http"},
		{"source twice", src + src, 2, 8, "source", "twice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := validate.ParseFaceValidity(strings.NewReader(tt.in), "f.txt")
			var pe *validate.ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("err = %v, want a *ParseError", err)
			}
			if pe.Line != tt.line || pe.Column != tt.col || pe.Field != tt.field || !strings.Contains(pe.Msg, tt.msg) {
				t.Errorf("got %s (line %d col %d field %q), want line %d col %d field %q containing %q", pe, pe.Line, pe.Column, pe.Field, tt.line, tt.col, tt.field, tt.msg)
			}
		})
	}
}

func TestRun(t *testing.T) {
	set, err := validate.ParseLabels(strings.NewReader(goodLabels), "usa.tsv")
	if err != nil {
		t.Fatal(err)
	}
	set2 := *set
	set2.Name = "second"
	good := func(_ context.Context, focal entente.Country, at time.Time) (map[string]float64, error) {
		if focal.ID != "USA" || !at.Equal(set.At) {
			t.Errorf("scorer called with %s %v", focal.ID, at)
		}
		return map[string]float64{"ISR": 1, "GTM": 0.2, "FRA": 0.3, "TUR": -1}, nil // 3 of 4 pairs
	}
	calls := 0
	flaky := func(context.Context, entente.Country, time.Time) (map[string]float64, error) {
		calls++
		if calls == 1 {
			return nil, errors.New("boom")
		}
		return map[string]float64{"ISR": 1, "GTM": 1, "FRA": 0, "TUR": 0}, nil
	}
	rep, err := validate.Run(context.Background(), []*validate.LabelSet{set, &set2}, country.Default(),
		[]validate.NamedScorer{{Name: "good", Score: good}, {Name: "flaky", Score: flaky}})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Tests) != 2 || rep.Tests[0].Focal.ID != "USA" {
		t.Fatalf("tests = %+v", rep.Tests)
	}
	if a := rep.Tests[0].Results[0].AUC; a != 0.75 {
		t.Errorf("good AUC = %v, want 0.75", a)
	}
	if r := rep.Tests[0].Results[1]; r.Err == nil || !math.IsNaN(r.AUC) {
		t.Errorf("flaky first result = %+v, want an error and NaN", r)
	}
	if rep.Mean[0] != 0.75 || rep.Worst[0] != 0.75 || rep.Missing[0] != 0 {
		t.Errorf("good summary = %v %v %v", rep.Mean[0], rep.Worst[0], rep.Missing[0])
	}
	if rep.Mean[1] != 1 || rep.Worst[1] != 1 || rep.Missing[1] != 1 {
		t.Errorf("flaky summary = %v %v %v, want 1 1 1", rep.Mean[1], rep.Worst[1], rep.Missing[1])
	}
	typo := *set
	typo.Labels = append([]validate.Label{{State: "QQQ", Group: validate.With, Line: 9}}, set.Labels...)
	var pe *validate.ParseError
	if _, err := validate.Run(context.Background(), []*validate.LabelSet{&typo}, country.Default(), nil); !errors.As(err, &pe) || pe.Line != 9 {
		t.Errorf("label unknown to the registry: err = %v, want a *ParseError on line 9", err)
	}
	bad := *set
	bad.Focal = "QQQ"
	if _, err := validate.Run(context.Background(), []*validate.LabelSet{&bad}, country.Default(), nil); err == nil {
		t.Errorf("unresolvable focal state: no error")
	}
}

func BenchmarkParseFaceValidity(b *testing.B) {
	b.SetBytes(int64(len(faceFile)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := validate.ParseFaceValidity(strings.NewReader(faceFile), "b.txt"); err != nil {
			b.Fatal(err)
		}
	}
}

func FuzzParseFaceValidity(f *testing.F) {
	f.Add(faceFile)
	if data, err := os.ReadFile("../testdata/facevalidity/orderings.txt"); err == nil {
		f.Add(string(data))
	}
	f.Fuzz(func(t *testing.T, in string) {
		fv, err := validate.ParseFaceValidity(strings.NewReader(in), "f.txt")
		if err != nil {
			var pe *validate.ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error %v is not a *ParseError", err)
			}
			return
		}
		for _, a := range fv.Assertions {
			if len(a.Subjects) == 0 || len(a.Sources) == 0 {
				t.Fatalf("accepted %q without subjects or sources", a.Text)
			}
			for _, s := range a.Sources {
				if _, ok := fv.Sources[s]; !ok {
					t.Fatalf("accepted undefined source %q", s)
				}
			}
		}
	})
}

// TestFaceValiditySuite parses the repository's suite: issue 15 asks for at least 25
// orderings over at least 8 focal states, each with a source.
func TestFaceValiditySuite(t *testing.T) {
	f, err := os.Open("../testdata/facevalidity/orderings.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	fv, err := validate.ParseFaceValidity(f, f.Name())
	if err != nil {
		t.Fatal(err)
	}
	focal := map[string]bool{}
	used := map[string]bool{}
	for _, a := range fv.Assertions {
		focal[a.Focal] = true
		for _, s := range a.Sources {
			used[s] = true
		}
	}
	if len(fv.Assertions) < 25 || len(focal) < 8 {
		t.Errorf("%d assertions over %d focal states, want at least 25 over 8", len(fv.Assertions), len(focal))
	}
	for name := range fv.Sources {
		if !used[name] {
			t.Errorf("source %q is defined but no assertion cites it", name)
		}
	}
}
