package read

import (
	"bufio"
	_ "embed"
	"fmt"
	"strings"

	"github.com/entente/entente"
)

//go:embed patterns.txt
var patternsTxt string

//go:embed plover_gen.tsv
var ploverTSV string

// pattern is one compiled line of patterns.txt.
type pattern struct {
	cameo     string // "" for none
	kind      string // "" for a PLOVER event only
	symmetric bool
	before    bool // counterpart is the mention before the pattern
	intent    bool // introduces an intended act
	border    bool // needs a border word in the sentence ("clashed with ... at the border")
	words     []map[string]bool
	text      string // the phrase as written, for explanations
	line      int
}

// Name identifies the pattern in explanations: "patterns.txt:42 impose|adopt sanctions".
func (p *pattern) Name() string { return fmt.Sprintf("patterns.txt:%d %s", p.line, p.text) }

type patternSet struct {
	byFirst map[string][]*pattern
	plover  map[string][2]string // CAMEO code -> PLOVER event, mode
}

// irregular verb forms, keyed by the base form.
var irregular = map[string][]string{
	"send": {"sent"}, "give": {"gave", "given"}, "meet": {"met"}, "hold": {"held"}, "break": {"broke", "broken"},
	"leave": {"left"}, "sell": {"sold"}, "fight": {"fought"}, "shoot": {"shot"}, "forgive": {"forgave", "forgiven"},
	"undertake": {"undertook", "undertaken"}, "freeze": {"froze", "frozen"}, "become": {"became"},
	"overthrow": {"overthrew", "overthrown"}, "withdraw": {"withdrew", "withdrawn"}, "strike": {"struck"},
	"seek": {"sought"}, "forbid": {"forbade", "forbidden"}, "draw": {"drew", "drawn"}, "deal": {"dealt"},
	"pay": {"paid"}, "beat": {"beaten"}, "bring": {"brought"}, "take": {"took", "taken"}, "drive": {"drove", "driven"},
	"arise": {"arose"}, "lead": {"led"}, "buy": {"bought"}, "set": {"set"}, "put": {"put"}, "cut": {"cut"},
	"quit": {"quit"}, "shut": {"shut"}, "let": {"let"}, "upset": {"upset"}, "rebuild": {"rebuilt"},
	"fly": {"flew", "flown"}, "fall": {"fell", "fallen"}, "speak": {"spoke", "spoken"}, "stand": {"stood"}, "win": {"won"}, "lose": {"lost"},
	"shall": {}, "will": {}, "would": {}, "must": {},
}

// inflections returns the forms a pattern word matches.
func inflections(w string) []string {
	if strings.HasPrefix(w, "=") {
		return []string{w[1:]}
	}
	forms := []string{w}
	if irr, ok := irregular[w]; ok {
		forms = append(forms, irr...)
		if len(irr) == 0 {
			return forms
		}
	}
	last := w[len(w)-1]
	vowel := func(c byte) bool { return strings.IndexByte("aeiou", c) >= 0 }
	switch {
	case last == 'e':
		forms = append(forms, w+"s", w+"d", w[:len(w)-1]+"ing")
	case last == 'y' && len(w) > 1 && !vowel(w[len(w)-2]):
		forms = append(forms, w[:len(w)-1]+"ies", w[:len(w)-1]+"ied", w+"ing")
	case strings.HasSuffix(w, "s") || strings.HasSuffix(w, "sh") || strings.HasSuffix(w, "ch") || strings.HasSuffix(w, "x"):
		forms = append(forms, w+"es", w+"ed", w+"ing")
	default:
		forms = append(forms, w+"s", w+"ed", w+"ing")
		// a short final consonant-vowel-consonant doubles: ban, banned; plan, planning
		if n := len(w); n >= 3 && n <= 5 && !vowel(last) && last != 'w' && last != 'x' && last != 'y' && vowel(w[n-2]) && !vowel(w[n-3]) {
			forms = append(forms, w+string(last)+"ed", w+string(last)+"ing")
		}
	}
	return forms
}

func compilePatterns(src, plover string) (*patternSet, error) {
	ps := &patternSet{byFirst: map[string][]*pattern{}, plover: map[string][2]string{}}
	for _, line := range strings.Split(plover, "\n") {
		f := strings.Split(line, "\t")
		if len(f) >= 3 && line[0] != '#' {
			ps.plover[f[0]] = [2]string{f[1], f[2]}
		}
	}
	sc := bufio.NewScanner(strings.NewReader(src))
	n := 0
	for sc.Scan() {
		n++
		line := sc.Text()
		if strings.TrimSpace(line) == "" || line[0] == '#' {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 4 {
			return nil, fmt.Errorf("patterns.txt:%d: want 4 tab-separated fields, got %d", n, len(f))
		}
		p := &pattern{text: f[3], line: n}
		if f[0] != "-" {
			p.cameo = f[0]
			if ps.ploverOf(p.cameo) == "" {
				return nil, fmt.Errorf("patterns.txt:%d: CAMEO code %s has no PLOVER type", n, f[0])
			}
		}
		if f[1] != "-" {
			if _, ok := entente.ActKinds[f[1]]; !ok {
				return nil, fmt.Errorf("patterns.txt:%d: unknown act kind %q", n, f[1])
			}
			p.kind = f[1]
		}
		p.symmetric = strings.Contains(f[2], "=")
		p.before = strings.Contains(f[2], "<")
		p.intent = strings.Contains(f[2], "i")
		p.border = strings.Contains(f[2], "b")
		for _, alt := range strings.Fields(f[3]) {
			set := map[string]bool{}
			for _, w := range strings.Split(alt, "|") {
				for _, form := range inflections(strings.ToLower(w)) {
					set[form] = true
				}
			}
			p.words = append(p.words, set)
		}
		for w := range p.words[0] {
			ps.byFirst[w] = append(ps.byFirst[w], p)
		}
	}
	return ps, sc.Err()
}

// ploverOf maps a CAMEO code to its PLOVER event type, trying shorter prefixes.
func (ps *patternSet) ploverOf(code string) string {
	for c := code; len(c) >= 2; c = c[:len(c)-1] {
		if v, ok := ps.plover[c]; ok {
			return v[0]
		}
		if v, ok := ps.plover[c+"0"]; ok && len(c) == 2 {
			return v[0]
		}
	}
	return ""
}

// match is one pattern found in a sentence: tokens [first, last).
type match struct {
	p           *pattern
	first, last int
	dominated   bool
}

// borderWords make a clash a border clash.
var borderWords = map[string]bool{"border": true, "borders": true, "frontier": true, "boundary": true}

// gap is how many other words may separate two words of a pattern.
const gap = 3

func (ps *patternSet) find(s string, toks []token, out []match) []match {
	out = out[:0]
	border := false
	for _, t := range toks {
		if borderWords[t.norm] {
			border = true
			break
		}
	}
	for i, t := range toks {
		if t.punct || t.cap && months[t.norm] != 0 && i > 0 {
			continue // "March 2025" is a date, not a verb
		}
		if t.start > 0 && s[t.start-1] == '-' && i > 0 && toks[i-1].end == t.start-1 {
			continue // "Moscow-occupied", "Russia-backed": an adjective, not the verb
		}
		for _, p := range ps.byFirst[t.norm] {
			if p.border && !border {
				continue
			}
			end, ok := matchRest(p, toks, i)
			if ok {
				out = append(out, match{p: p, first: i, last: end})
			}
		}
	}
	// a pattern inside a longer one that matched over it gives way, and a pattern with
	// no act kind gives way to an overlapping one with a kind
	for a := range out {
		for b := range out {
			if a == b || out[b].p.intent || out[a].p.intent {
				continue
			}
			A, B := out[a], out[b]
			if B.first <= A.first && B.last >= A.last && len(B.p.words) > len(A.p.words) {
				out[a].dominated = true
			}
			if A.p.kind == "" && B.p.kind != "" && !needsOrg(B.p.kind) && A.first < B.last && B.first < A.last {
				out[a].dominated = true
			}
			if A.p.kind != "" && B.p.kind != "" && A.last == B.last && B.first > A.first && len(B.p.words) >= len(A.p.words) {
				// "signed a mutual defence agreement": the noun phrase names the act
				out[a].dominated = true
			}
		}
	}
	return out
}

func matchRest(p *pattern, toks []token, i int) (int, bool) {
	pos := i
	for k := 1; k < len(p.words); k++ {
		found := -1
		for j := pos + 1; j < len(toks) && j <= pos+1+gap; j++ {
			if toks[j].punct && toks[j].norm != "(" && toks[j].norm != ")" {
				break
			}
			if p.words[k][toks[j].norm] {
				found = j
				break
			}
		}
		if found < 0 {
			return 0, false
		}
		pos = found
	}
	return pos + 1, true
}
