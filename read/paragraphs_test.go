package read

import (
	"bufio"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
)

// paragraph is one annotated real news paragraph of testdata/paragraphs (see its
// README): the page's address and date, a short excerpt, and the acts it states.
type paragraph struct {
	name, url string
	set       string // development, second or third (testdata/paragraphs/README.md)
	published time.Time
	text      string
	acts      []goldAct
}

// goldAct is one annotated act: actor, counterpart, kind, stance, date ("-" when the
// paragraph gives none) and modality.
type goldAct struct{ actor, counter, kind, stance, date, modality string }

// symmetricKinds are matched in either direction (a treaty "between X and Y").
var symmetricKinds = map[string]bool{
	"alliance_treaty": true, "strategic_partnership": true, "military_cooperation_agreement": true,
	"economic_agreement": true, "border_clash": true,
}

func (g goldAct) key() string {
	a, c := g.actor, g.counter
	if symmetricKinds[g.kind] && c < a {
		a, c = c, a
	}
	return strings.Join([]string{a, c, g.kind, g.stance, g.date}, " ")
}

func loadParagraphs(t testing.TB) []paragraph {
	paths, err := filepath.Glob(filepath.Join("testdata", "paragraphs", "*.txt"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no paragraphs in testdata/paragraphs: %v", err)
	}
	var out []paragraph
	for _, path := range paths {
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		p := paragraph{name: strings.TrimSuffix(filepath.Base(path), ".txt"), set: "development"}
		section := 0 // 0 header, 1 text, 2 acts
		var text []string
		sc := bufio.NewScanner(f)
		for n := 1; sc.Scan(); n++ {
			line := sc.Text()
			if line == "--" {
				section++
				continue
			}
			switch section {
			case 0:
				k, v, ok := strings.Cut(line, ": ")
				switch {
				case !ok:
					t.Fatalf("%s:%d: want \"field: value\"", path, n)
				case k == "url":
					p.url = v
				case k == "set":
					p.set = v
				case k == "published":
					if p.published, err = time.Parse(time.DateOnly, v); err != nil {
						t.Fatalf("%s:%d: field published: %v", path, n, err)
					}
				}
			case 1:
				text = append(text, line)
			default:
				w := strings.Fields(line)
				if len(w) == 0 {
					continue
				}
				if len(w) != 6 {
					t.Fatalf("%s:%d: want ACTOR COUNTERPART KIND STANCE DATE MODALITY", path, n)
				}
				p.acts = append(p.acts, goldAct{w[0], w[1], w[2], w[3], w[4], w[5]})
			}
		}
		f.Close()
		if p.url == "" || p.published.IsZero() || len(text) == 0 {
			t.Fatalf("%s: needs url, published and a text between -- lines", path)
		}
		p.text = strings.Join(text, "\n")
		out = append(out, p)
	}
	return out
}

// codedGold turns the asserted ledger-kind acts the coder reports (as `entente read`
// does, without --all) into annotation keys.
func codedGold(acts []Act) map[string]Act {
	out := map[string]Act{}
	for _, a := range acts {
		if a.Kind == "" || a.Modality != Asserted {
			continue
		}
		d := dateString(a.Date)
		if d == "" {
			d = "-"
		}
		g := goldAct{a.Actor, a.Counterpart, a.Kind, stanceSign(a), d, a.Modality}
		out[g.key()] = a
	}
	return out
}

func stanceSign(a Act) string {
	if a.Stance < 0 {
		return "-"
	}
	return "+"
}

// TestParagraphs measures precision and recall of asserted acts on the annotated real
// paragraphs: an act counts as found only with the annotated actor, counterpart, kind,
// stance and date (unknown when the paragraph gives none); every other asserted act is
// false, including acts the paragraph only plans, doubts or denies.
func TestParagraphs(t *testing.T) {
	c := Default()
	tp, fp, fn := 0, 0, 0
	bySet := map[string]*[3]int{} // tp, fp, fn by set
	for _, p := range loadParagraphs(t) {
		got := codedGold(c.Read(p.text, Options{Date: p.published}))
		want := map[string]bool{}
		for _, g := range p.acts {
			if g.modality == Asserted {
				want[g.key()] = true
			}
		}
		var bad []string
		if bySet[p.set] == nil {
			bySet[p.set] = &[3]int{}
		}
		count := func(i int) { bySet[p.set][i]++ }
		for k := range got {
			if want[k] {
				tp++
				count(0)
			} else {
				fp++
				count(1)
				bad = append(bad, "false: "+k)
			}
		}
		for k := range want {
			if _, ok := got[k]; !ok {
				fn++
				count(2)
				bad = append(bad, "missed: "+k)
			}
		}
		if len(bad) > 0 && testing.Verbose() {
			sort.Strings(bad)
			t.Logf("%s\n  %s", p.name, strings.Join(bad, "\n  "))
		}
	}
	prec := float64(tp) / float64(max(tp+fp, 1))
	rec := float64(tp) / float64(max(tp+fn, 1))
	t.Logf("real paragraphs: precision %.3f (%d of %d) recall %.3f (%d of %d)", prec, tp, tp+fp, rec, tp, tp+fn)
	for _, set := range []string{"development", "second", "third"} {
		if x := bySet[set]; x != nil {
			t.Logf("  %s: %d of %d asserted acts right, %d of %d annotated acts found", set, x[0], x[0]+x[1], x[0], x[0]+x[2])
		}
	}
	if prec < minParagraphPrecision || rec < minParagraphRecall {
		t.Errorf("precision %.3f recall %.3f, want at least %.2f and %.2f", prec, rec, minParagraphPrecision, minParagraphRecall)
	}
}

// The acceptance figures of issue 17 (docs/read.md).
const (
	minParagraphPrecision = 0.85
	minParagraphRecall    = 0.65
)
