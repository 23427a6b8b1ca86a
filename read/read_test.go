package read

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/entente/entente"
)

// articleNames lists the test articles: every testdata/articles/*.txt, found by a glob
// so that an article added there is always read (and must have its .expected file).
func articleNames(t *testing.T) []string {
	paths, err := filepath.Glob(filepath.Join("testdata", "articles", "*.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) == 0 {
		t.Fatal("no test articles in testdata/articles")
	}
	names := make([]string, len(paths))
	for i, p := range paths {
		names[i] = strings.TrimSuffix(filepath.Base(p), ".txt")
	}
	return names
}

// readArticle reads article name at the date its .expected file gives ("date YYYY-MM-DD",
// the first non-comment line) and returns its acts and the remaining expectation lines.
func readArticle(t *testing.T, name string) (acts []Act, expect []string) {
	data, err := os.ReadFile(filepath.Join("testdata", "articles", name+".txt"))
	if err != nil {
		t.Fatal(err)
	}
	text, err := Prepare(data)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("testdata", "articles", name+".expected")
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("article %s.txt has no expectations: %v", name, err)
	}
	defer f.Close()
	var at time.Time
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' {
			continue
		}
		if d, ok := strings.CutPrefix(line, "date "); ok && at.IsZero() {
			if at, err = time.Parse(time.DateOnly, strings.TrimSpace(d)); err != nil {
				t.Fatalf("%s:%d: field date: %v", path, n, err)
			}
			continue
		}
		if at.IsZero() {
			t.Fatalf("%s:%d: want a first line \"date YYYY-MM-DD\"", path, n)
		}
		if w := strings.Fields(line); len(w) != 5 && !(w[0] == "none" && len(w) == 4) {
			t.Fatalf("%s:%d: want ACTOR COUNTERPART KIND DATE MODALITY or none ACTOR COUNTERPART KIND", path, n)
		}
		expect = append(expect, line)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return Default().Read(text, Options{Date: at, All: true}), expect
}

// TestArticles reads each hand-written article and checks its expected acts (file
// NAME.expected: a date line, then actor, counterpart, kind, date or -, modality; or
// "none ACTOR COUNTERPART|* KIND" for an act that must not be asserted).
func TestArticles(t *testing.T) {
	kinds := map[string]bool{}
	for _, name := range articleNames(t) {
		t.Run(name, func(t *testing.T) {
			acts, expect := readArticle(t, name)
			for _, line := range expect {
				w := strings.Fields(line)
				if w[0] == "none" {
					for _, a := range acts {
						if a.Actor == w[1] && (w[2] == "*" || a.Counterpart == w[2]) && a.Kind == w[3] && a.Modality == Asserted {
							t.Errorf("%s: asserted act %v, want none", line, a)
						}
					}
					kinds[w[3]] = true
					continue
				}
				found := false
				for _, a := range acts {
					if a.Actor == w[0] && a.Counterpart == w[1] && a.Kind == w[2] && (w[3] == "-" || dateString(a.Date) == w[3]) && a.Modality == w[4] {
						found = true
						break
					}
				}
				if !found {
					t.Errorf("missing %s", line)
				}
				kinds[w[2]] = true
			}
			if t.Failed() {
				for _, a := range acts {
					t.Logf("got %v", a)
				}
			}
		})
	}
	for k := range entente.ActKinds {
		if !kinds[k] {
			t.Errorf("kind %s appears in no test article", k)
		}
	}
}

func TestNegationAndHedging(t *testing.T) {
	c := Default()
	for _, tc := range []struct {
		s        string
		modality string // "" for no act of the kind at all
		kind     string
	}{
		{"Kazakhstan did not recognise the independence of Abkhazia from Georgia.", Negated, "recognition"},
		{"Kazakhstan refused to recognise the annexation of Crimea by Russia.", Negated, "recognition"},
		{"Armenia plans to leave the CSTO.", Intended, "membership_leave"},
		{"Belarus is said to have deployed troops to Russia.", Hedged, "troop_deployment"},
		{"Belarus may deploy troops to Russia.", Hedged, "troop_deployment"},
		{"Belarus deployed troops to Russia.", Asserted, "troop_deployment"},
	} {
		acts := c.Sentence(tc.s, Options{All: true})
		got := ""
		for _, a := range acts {
			if a.Kind == tc.kind {
				got = a.Modality
			}
		}
		if got != tc.modality {
			t.Errorf("%q: modality %q, want %q (%v)", tc.s, got, tc.modality, acts)
		}
		// without All, a denial is no act
		for _, a := range c.Sentence(tc.s, Options{}) {
			if a.Modality == Negated {
				t.Errorf("%q: negated act %v reported without All", tc.s, a)
			}
		}
	}
}

func TestSplit(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"Mr. Smith met Gen. Jones in the U.S. Senate. They talked.", []string{"Mr. Smith met Gen. Jones in the U.S. Senate.", "They talked."}},
		{"George W. Bush visited Moscow on Jan. 5. Putin hosted him.", []string{"George W. Bush visited Moscow on Jan. 5.", "Putin hosted him."}},
		{"Growth was 3.5 per cent in 2024. It fell.", []string{"Growth was 3.5 per cent in 2024.", "It fell."}},
		{`He said: "We will go." Then he left.`, []string{`He said: "We will go."`, "Then he left."}},
		{"Headline\n\nFirst paragraph. Second sentence!", []string{"Headline", "First paragraph.", "Second sentence!"}},
		{"No boundary here", []string{"No boundary here"}},
		{"", nil},
	} {
		var got []string
		for _, s := range Sentences(tc.in) {
			got = append(got, s.Text)
		}
		if tc.in == "Headline\n\nFirst paragraph. Second sentence!" {
			if ss := Sentences(tc.in); ss[0].Paragraph != 0 || ss[1].Paragraph != 1 || ss[2].Paragraph != 1 {
				t.Errorf("paragraphs of %q: %+v", tc.in, ss)
			}
		}
		if strings.Join(got, "|") != strings.Join(tc.want, "|") {
			t.Errorf("Split(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestDates(t *testing.T) {
	anchor := entente.Day(2025, 6, 12) // a Thursday
	for _, tc := range []struct {
		in, want string
		prec     entente.Precision
	}{
		{"signed on 19 June 2024", "2024-06-19", entente.PrecisionDay},
		{"signed on June 19, 2024", "2024-06-19", entente.PrecisionDay},
		{"signed 2024-06-19", "2024-06-19", entente.PrecisionDay},
		{"in March 2025", "2025-03", entente.PrecisionMonth},
		{"in June 2022", "2022-06", entente.PrecisionMonth},
		{"by the end of 2024", "2024", entente.PrecisionYear},
		{"a plan for 2025-2026", "2025..2026", entente.PrecisionYear},
		{"a plan for 2025–26", "2025..2026", entente.PrecisionYear},
		{"last year", "2024", entente.PrecisionYear},
		{"on Tuesday", "2025-06-10", entente.PrecisionDay},
		{"on Thursday", "2025-06-12", entente.PrecisionDay},
		{"last November", "2024-11", entente.PrecisionMonth},
		{"yesterday", "2025-06-11", entente.PrecisionDay},
	} {
		ds := ParseDates(tc.in, anchor)
		if len(ds) == 0 {
			t.Errorf("%q: no date", tc.in)
			continue
		}
		if got := dateString(ds[0]); got != tc.want || ds[0].Precision != tc.prec {
			t.Errorf("%q: %s (%v), want %s (%v)", tc.in, got, ds[0].Precision, tc.want, tc.prec)
		}
	}
	if ds := ParseDates("on Tuesday, last year", time.Time{}); len(ds) != 0 {
		t.Errorf("relative dates with no anchor: %v", ds)
	}
}

func TestBadInput(t *testing.T) {
	if _, err := Prepare(nil); err != ErrEmpty {
		t.Errorf("empty: %v", err)
	}
	if _, err := Prepare([]byte(" \n\t ")); err != ErrEmpty {
		t.Errorf("blank: %v", err)
	}
	if _, err := Prepare([]byte("\x7fELF\x02\x01\x01\x00\x00\x00")); err != ErrBinary {
		t.Errorf("binary: %v", err)
	}
	s, err := Prepare([]byte("Russia \xff\xfe imposed sanctions on Ukraine."))
	if err != nil || !strings.Contains(s, "\uFFFD") {
		t.Errorf("invalid UTF-8: %q %v", s, err)
	}
	// a 50 MB line with no sentence boundary: bounded sentences, linear time
	big := strings.Repeat("Russia and Belarus held talks with China ", 50<<20/41)
	start, cpu0 := time.Now(), cpuTime()
	n, longest := 0, 0
	Split(big, func(s Sentence) bool { n++; longest = max(longest, len(s.Text)); return true })
	acts := Default().Read(big, Options{})
	if longest > MaxSentence {
		t.Errorf("sentence of %d bytes", longest)
	}
	// CPU time, not wall time: the machine may be shared and loaded
	if d := cpuTime() - cpu0; d > 60*time.Second {
		t.Errorf("50 MB took %v of CPU", d)
	}
	t.Logf("50 MB line: %d sentences, %d acts in %v (%v of CPU)", n, len(acts), time.Since(start), cpuTime()-cpu0)
	// one word of 50 MB
	word := strings.Repeat("x", 50<<20)
	n = 0
	Split(word, func(s Sentence) bool { n++; return true })
	if n < (50<<20)/MaxSentence {
		t.Errorf("50 MB word: %d pieces", n)
	}
}

// cpuTime is the user and system CPU time of the process so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func TestStripHTML(t *testing.T) {
	got := StripHTML(`<p>Russia &amp; China</p><script>alert("<p>x</p>")</script><p>met.</p><!-- c`)
	if strings.Contains(got, "alert") || !strings.Contains(got, "Russia & China") || !strings.Contains(got, "met.") {
		t.Errorf("StripHTML = %q", got)
	}
}

func TestParagraphNumbers(t *testing.T) {
	ss := Sentences("One. Two.\n\nThree. Four.\n \nFive.\nSix.")
	want := []int{0, 0, 1, 1, 2, 2}
	if len(ss) != len(want) {
		t.Fatalf("sentences %+v", ss)
	}
	for i, s := range ss {
		if s.Paragraph != want[i] {
			t.Errorf("sentence %q in paragraph %d, want %d", s.Text, s.Paragraph, want[i])
		}
	}
}
