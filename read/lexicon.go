package read

import (
	"bufio"
	_ "embed"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/entente/entente/bloc"
	"github.com/entente/entente/country"
)

//go:generate go run ./internal/gen -data ../../shared/data/cameo/petrarch2 -plover ../../shared/data/cameo/plover/CAMEO2PLOVER-2021.txt

//go:embed actors_gen.tsv
var actorsGen string

//go:embed places.tsv
var placesTSV string

// Actor kinds of a mention.
const (
	KindState  = "state"  // a state's name, adjective, capital or seat of government
	KindPerson = "person" // a person with a government role in the state
	KindGroup  = "group"  // an armed or opposition group of the state
	KindOrg    = "org"    // an organisation: a bloc code, UN, or IGO for any other
)

type actorEntry struct {
	kind     string
	code     string // registry ID or organisation code
	toks     []string
	from, to time.Time // government role of a person; zero when open or unknown
	source   string    // "places.tsv", "registry", "phoenix"
	short    bool      // an acronym of three letters or less: matches upper-case text only
	patron   string    // a breakaway entity's patron state (places.tsv kind b)
}

// lexicon indexes actor names by their first word.
type lexicon struct {
	byFirst map[string][]*actorEntry // longest first
	names   map[string]bool          // joined tokens already present
}

var (
	lexOnce sync.Once
	lex     *lexicon
)

func defaultLexicon() *lexicon {
	lexOnce.Do(func() { lex = buildLexicon(country.Default(), bloc.Default()) })
	return lex
}

func buildLexicon(reg *country.Registry, blocs *bloc.Registry) *lexicon {
	l := &lexicon{byFirst: map[string][]*actorEntry{}, names: map[string]bool{}}
	loadTSV(l, placesTSV, "places.tsv")
	for _, b := range blocs.Blocs() {
		l.add(&actorEntry{kind: KindOrg, code: b.Code, toks: normTokens(b.Code), source: "bloc registry"})
		name := b.Name
		if i := strings.Index(name, " ("); i > 0 {
			name = name[:i]
		}
		l.add(&actorEntry{kind: KindOrg, code: b.Code, toks: normTokens(name), source: "bloc registry"})
	}
	for _, c := range reg.All() {
		for _, n := range append([]string{c.Name}, c.Aliases...) {
			if strings.ContainsAny(n, ",") {
				continue // "Korea, Republic of": inverted forms do not occur in text
			}
			l.add(&actorEntry{kind: KindState, code: c.ID, toks: normTokens(n), source: "country registry"})
		}
	}
	loadTSV(l, actorsGen, "petrarch2 Phoenix")
	for _, es := range l.byFirst {
		sort.SliceStable(es, func(i, j int) bool { return len(es[i].toks) > len(es[j].toks) })
	}
	return l
}

func loadTSV(l *lexicon, data, source string) {
	sc := bufio.NewScanner(strings.NewReader(data))
	for sc.Scan() {
		line := sc.Text()
		if line == "" || line[0] == '#' {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) < 3 {
			continue
		}
		e := &actorEntry{code: f[1], toks: normTokens(f[2]), source: source}
		switch f[0] {
		case "s":
			e.kind = KindState
		case "p":
			e.kind = KindPerson
		case "g":
			e.kind = KindGroup
		case "o":
			e.kind = KindOrg
		case "b":
			e.kind = KindState
			if len(f) > 4 {
				e.patron = f[4]
			}
		default:
			continue
		}
		if len(f) > 3 && f[3] != "" {
			a, b, _ := strings.Cut(f[3], "..")
			e.from, _ = time.Parse(time.DateOnly, a)
			e.to, _ = time.Parse(time.DateOnly, b)
		}
		l.add(e)
	}
}

// stopNames are dictionary names that are ordinary words too often to be read as actors.
var stopNames = map[string]bool{
	"the": true, "a": true, "government": true, "state": true, "president": true, "minister": true,
	"new": true, "north": true, "south": true, "east": true, "west": true, "central": true,
	"republic": true, "union": true, "people": true, "national": true, "army": true, "may": true,
	"will": true, "can": true, "man": true, "chad": false, "march": true, "june": true, "july": true,
	"august": true, "april": true, "said": true, "sunday": true, "monday": true, "tuesday": true,
	"wednesday": true, "thursday": true, "friday": true, "saturday": true, "general": true,
}

func (l *lexicon) add(e *actorEntry) {
	if len(e.toks) > 1 && e.toks[0] == "the" {
		e.toks = e.toks[1:] // "The European Union": the article is not part of the name
	}
	if len(e.toks) == 0 {
		return
	}
	key := strings.Join(e.toks, " ")
	if l.names[key] || (len(e.toks) == 1 && stopNames[key]) {
		return
	}
	l.names[key] = true
	e.short = len(e.toks) == 1 && len(key) <= 3
	l.byFirst[e.toks[0]] = append(l.byFirst[e.toks[0]], e)
}

// Mention is an actor named in a sentence.
type Mention struct {
	Code   string // registry ID (RUS) or organisation code (NATO, UN, IGO)
	Kind   string // KindState, KindPerson, KindGroup or KindOrg
	Text   string // as written
	Source string // the dictionary that named it
	InRole bool   // a person in a government role at the article's date (or any date when unknown)
	// Patron is, for a breakaway entity (Abkhazia, the Donetsk People's Republic), the
	// state that recognises or backs it, at the article's date; "" otherwise.
	Patron string
	first  int // token index of the first word
	last   int // token index after the last word
}

// mentions finds actor names in toks, longest match first, left to right. Names must
// start with a capital letter; names of three letters or less must be written in
// capitals (US, UN, EU), so that "us" and "un-" are not read as actors.
func (l *lexicon) mentions(s string, toks []token, at time.Time, out []Mention) []Mention {
	out = out[:0]
	for i := 0; i < len(toks); {
		t := toks[i]
		if !t.cap || t.punct {
			i++
			continue
		}
		var hit *actorEntry
		for _, e := range l.byFirst[t.norm] {
			if i+len(e.toks) > len(toks) || (e.short && !t.upper) {
				continue
			}
			ok := true
			for k := 1; k < len(e.toks); k++ {
				if toks[i+k].norm != e.toks[k] {
					ok = false
					break
				}
			}
			if ok {
				hit = e
				break
			}
		}
		if hit == nil {
			i++
			continue
		}
		end := i + len(hit.toks)
		m := Mention{Code: hit.code, Kind: hit.kind, Text: s[t.start:toks[end-1].end], Source: hit.source, first: i, last: end}
		if hit.patron != "" && (at.IsZero() || !at.Before(hit.from)) {
			m.Patron = hit.patron
		}
		m.InRole = hit.kind != KindPerson || at.IsZero() || ((hit.from.IsZero() || !at.Before(hit.from)) && (hit.to.IsZero() || at.Before(hit.to)))
		out = append(out, m)
		i = end
	}
	return out
}
