package read

import (
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/entente/entente"
)

// Modalities of an act.
const (
	Asserted = "asserted" // the text states the act happened
	Intended = "intended" // announced, planned, threatened or promised: not (yet) done
	Hedged   = "hedged"   // reported with doubt: "may", "is said to", "reportedly"
	Negated  = "negated"  // the text says it did not happen: "did not recognise", "refused to"
)

// Act is one act a sentence asserts (or plans, doubts or denies) between two actors.
type Act struct {
	Actor           string // registry ID, or organisation code (NATO, UN, IGO)
	Counterpart     string // "" when the sentence names none (a domestic event)
	ActorText       string
	CounterpartText string
	Kind            string         // a key of entente.ActKinds, or "" for a PLOVER event only
	Stance          entente.Stance // the kind's default stance, or from the CAMEO code
	CAMEO           string         // CAMEO event code of the pattern, "" if none
	Plover          string         // PLOVER event type, "" if none
	Date            Date           // Precision PrecisionUnknown when the sentence gives none
	Modality        string
	Confidence      float64 // 0..1, from the pattern's length, the actors' kinds and the modality
	Pattern         string  // the pattern that fired: "patterns.txt:LINE phrase"
	Quote           string  // the sentence
	Sentence        int     // 0-based index of the sentence in the text
	// Main marks the acts of the sentence's main event: the first pattern, left to
	// right, that yields an act. Event data sets such as PLOVER's code one event per
	// sentence; the others are still reported.
	Main bool
}

// Coder finds acts in text. It is immutable after New and safe for concurrent use.
type Coder struct {
	lex  *lexicon
	pats *patternSet
	pool sync.Pool
}

var (
	defaultOnce  sync.Once
	defaultCoder *Coder
)

// Default returns the coder built from the embedded dictionaries and patterns, compiled
// once. Broken embedded data are a build bug and panic.
func Default() *Coder {
	defaultOnce.Do(func() {
		ps, err := compilePatterns(patternsTxt, ploverTSV)
		if err != nil {
			panic("BUG: read: " + err.Error())
		}
		defaultCoder = &Coder{lex: defaultLexicon(), pats: ps}
		defaultCoder.pool.New = func() any { return &scratch{} }
	})
	return defaultCoder
}

type scratch struct {
	toks     []token
	mentions []Mention
	matches  []match
	dates    []Date
}

// Options of a reading.
type Options struct {
	Date time.Time // the article's date: anchors relative dates and leaders' roles; zero if unknown
	// All keeps negated acts and acts with no counterpart (domestic events), which Read
	// otherwise leaves out.
	All bool
}

// Read splits text into sentences and codes each. Time is linear in len(text).
// A sentence with no date of its own takes the last date of the sentences before it in
// the same paragraph ("... the same day"), marked Inherited; never one from another
// paragraph. Pronouns ("it", "they") resolve to the last subject of the paragraph.
func (c *Coder) Read(text string, opt Options) []Act {
	var out []Act
	n := 0
	ctx := &paraContext{para: -1}
	Split(text, func(s Sentence) bool {
		if s.Paragraph != ctx.para {
			*ctx = paraContext{para: s.Paragraph}
		}
		from := len(out)
		out = c.appendActs(out, s.Text, n, opt, ctx)
		last := ctx.date
		if relativeOffset(s.Text) {
			last = Date{} // "A month after the agreement was signed": not that day
		}
		for i := from; i < len(out); i++ {
			if out[i].Date.Precision == PrecisionUnknown && last.Precision != PrecisionUnknown && !last.Start.IsZero() {
				out[i].Date = last
				out[i].Date.Inherited = true
			}
		}
		if d, ok := lastDate(s.Text, opt.Date); ok {
			ctx.date = d
		}
		n++
		return true
	})
	return out
}

// relativeOffset reports a date given relative to another event ("a month after", "two
// weeks later", "days before"), which the date of an earlier sentence does not give.
func relativeOffset(s string) bool {
	if !strings.Contains(s, "after") && !strings.Contains(s, "later") && !strings.Contains(s, "before") &&
		!strings.Contains(s, "earlier") && !strings.Contains(s, "ago") {
		return false
	}
	toks := tokenize(s, nil)
	for i := 0; i+1 < len(toks); i++ {
		switch strings.TrimSuffix(toks[i].norm, "s") {
		case "day", "week", "month", "year", "hour":
			switch toks[i+1].norm {
			case "after", "later", "before", "earlier", "ago":
				return true
			}
		}
	}
	return false
}

// paraContext is what one sentence leaves to the next of its paragraph: the last date
// it names and its subject, the antecedent of a pronoun that opens the next clause.
type paraContext struct {
	para    int
	date    Date
	subject []Mention
}

// lastDate is the last date a sentence names, if any. It is only called for sentences
// that give one, which are few, so tokenizing again costs little.
func lastDate(s string, at time.Time) (Date, bool) {
	if !strings.ContainsAny(s, "0123456789") && at.IsZero() {
		return Date{}, false
	}
	ds := ParseDates(s, at)
	if len(ds) == 0 {
		return Date{}, false
	}
	return ds[len(ds)-1], true
}

// Sentence codes one sentence on its own (pronouns with no antecedent in it name no one).
func (c *Coder) Sentence(s string, opt Options) []Act { return c.appendActs(nil, s, 0, opt, nil) }

// intentMarkers that leave an act undone; hedges that put it in doubt.
var hedges = map[string]bool{
	"may": true, "might": true, "could": true, "reportedly": true, "allegedly": true, "purportedly": true,
	"possibly": true, "perhaps": true, "rumoured": true, "rumored": true, "likely": true, "unconfirmed": true,
	"appeared": true, "appears": true, "seemed": true, "seems": true, "apparently": true,
}

var negators = map[string]bool{"not": true, "never": true, "no": true, "neither": true, "nor": true, "without": true}

// refusers negate the act they introduce ("refused to recognise").
var refusers = map[string]bool{
	"refuse": true, "refused": true, "refuses": true, "refusing": true, "decline": true, "declined": true,
	"declines": true, "fail": true, "failed": true, "fails": true, "reject": true, "rejected": true, "rejects": true,
}

var attribution = map[string]bool{
	"said": true, "says": true, "reported": true, "reports": true, "told": true, "announced": true,
	"according": true, "quoted": true, "confirmed": true, "added": true, "stated": true, "reporting": true,
}

var auxPassive = map[string]bool{"was": true, "were": true, "been": true, "being": true, "be": true, "is": true, "are": true}

func (c *Coder) appendActs(out []Act, s string, idx int, opt Options, ctx *paraContext) []Act {
	sc := c.pool.Get().(*scratch)
	defer c.pool.Put(sc)
	start := len(out)
	sc.toks = tokenize(s, sc.toks)
	toks := sc.toks
	sc.matches = c.pats.find(s, toks, sc.matches)
	if len(sc.matches) == 0 && ctx == nil {
		return out
	}
	sc.mentions = c.lex.mentions(s, toks, opt.Date, sc.mentions)
	ms := mergeMentions(sc.mentions, toks)
	var prior []Mention
	if ctx != nil {
		prior = ctx.subject
		defer func() {
			// the sentence's subject for the next: the actors of its first act, else its
			// first subject-like group
			for _, a := range out[start:] {
				for _, g := range ms {
					if g.ms[0].Code == a.Actor {
						ctx.subject = g.ms
						return
					}
				}
			}
			intro := introPhrase(toks)
			for _, g := range ms {
				if g.first >= intro && subjectLike(toks, g.first) {
					ctx.subject = g.ms
					return
				}
			}
		}()
	}
	if len(sc.matches) == 0 || len(ms) == 0 && len(prior) == 0 {
		return out
	}
	sc.dates = parseDates(s, toks, opt.Date, sc.dates)
	tail := attributionTail(toks)
	intro := introPhrase(toks)
	mainTok := -1
	for _, m := range sc.matches {
		p := m.p
		if m.dominated || (p.cameo == "" && p.kind == "") {
			continue
		}
		if p.intent && followedByPattern(sc.matches, m) {
			continue // the act it introduces carries the intent
		}
		modality, intentCode := c.modality(toks, sc.matches, m)
		kind := p.kind
		if modality == Intended && pastDecision(toks, m, declarative[kind]) {
			modality = Asserted // "In 2018, it agreed to recognise ...": done
		}
		if blocked(toks, m) {
			modality = Negated // "Hungary vetoed the EU's sanctions package"
		}
		if kind == "membership_join" && accessionProcess(toks, m) {
			kind = "accession_application" // "a bill on starting the process of accession to the EU"
		}
		if m.first >= tail && mainTok >= 0 {
			continue // inside the attribution: "..., officials said"
		}
		actors, counter := c.parties(toks, ms, m, tail, prior)
		if intro > 0 && m.first >= intro {
			// "Despite warnings from the UN, Israel refused": the fronted phrase's names
			// are not coordinated with the subject
			k := 0
			for k < len(actors) && actors[k].first < intro {
				k++
			}
			if k < len(actors) {
				actors = actors[k:]
			}
		}
		if len(actors) == 0 {
			continue
		}
		if forceKind(kind) {
			if cue := supportCue(toks, ms, m); cue != "" && (len(counter) == 0 || counter[0].Code == cue) {
				// "air strikes in Syria in support of Assad": a deployment for Syria
				kind = "troop_deployment"
				if len(counter) == 0 {
					counter = mentionsOf(ms, cue)
				}
			}
		}
		if kind == "regime_change" {
			for _, g := range ms {
				if g.first > m.first && g.last <= m.last {
					actors = g.ms // "the government of Yemen fell": Yemen's government
					break
				}
			}
			if b := backer(toks, ms, m); b != nil {
				counter = b // "the Russia-backed government fell": its alignment changes toward Russia
			}
		}
		if kind == "invasion" && len(counter) > 0 {
			if e := counter[len(counter)-1].last; e < len(toks) && !toks[e].punct && !toks[e].cap && toks[e].norm != "'s" &&
				!territoryNouns[toks[e].norm] && !prepositions[toks[e].norm] && toks[e].norm != "and" && toks[e].norm != "in" {
				kind = "" // "protesters invaded Saudi diplomatic posts": not the state's territory
			}
		}
		if needsOrg(kind) && (len(counter) == 0 || counter[0].Kind != KindOrg) {
			continue
		}
		cameo := p.cameo
		if modality == Intended && cameo != "" {
			cameo = intentCode(cameo)
		}
		if p.symmetric && len(actors) > 1 && len(counter) > 0 && (!withParty(toks, counter[0].first) || counter[0].first > m.last+4) {
			counter = nil // "Indian and Chinese troops clashed in the Galwan Valley": a place
		}
		pairs := pairUp(actors, counter, p.symmetric)
		for _, pr := range pairs {
			a := Act{
				Actor: pr[0].Code, ActorText: pr[0].Text,
				Kind: kind, CAMEO: cameo, Modality: modality, Quote: s, Sentence: idx,
				Pattern: p.Name(),
			}
			if pr[1] != nil {
				a.Counterpart, a.CounterpartText = pr[1].Code, pr[1].Text
			}
			if a.Actor == a.Counterpart {
				if a.Kind != "" {
					a.Kind = ""
				}
				a.Counterpart, a.CounterpartText = "", ""
			}
			if cameo != "" {
				a.Plover = c.pats.ploverOf(cameo)
			}
			a.Stance = stanceOf(a.Kind, cameo)
			if a.Kind == "recognition" && pr[1] != nil && pr[1].Patron != "" {
				if pr[1].Patron == a.Actor {
					// the patron recognises the entity: hostile to the state it breaks from
					a.Stance = entente.Hostile
				} else {
					// a third state's recognition is toward the patron (docs/ledger.md)
					a.Counterpart, a.CounterpartText = pr[1].Patron, pr[1].Text
				}
			} else if a.Kind == "recognition" && pr[1] != nil && pr[1].Kind == KindState && pr[1].Source == "petrarch2 Phoenix" && secession(toks) {
				// a place's independence recognised: hostile to the state it belongs to
				a.Stance = entente.Hostile
			}
			if a.Kind == "troop_deployment" && pr[1] != nil && hostileDeployment(toks, m) {
				a.Stance = entente.Hostile
			}
			a.Date = nearestDate(toks, sc.dates, m)
			a.Confidence = confidence(p, pr[0], pr[1], modality)
			if !opt.All && (modality == Negated || a.Counterpart == "") {
				continue
			}
			if a.Kind == "" && a.Plover == "" {
				continue
			}
			if mainTok < 0 && m.first >= intro {
				mainTok = m.first
			}
			a.Main = m.first == mainTok
			out = append(out, a)
		}
	}
	return append(out[:start], dedupe(out[start:])...)
}

// needsOrg: kinds whose counterpart must be an organisation.
func needsOrg(kind string) bool {
	switch kind {
	case "membership_join", "membership_leave", "membership_suspend", "accession_application":
		return true
	}
	return false
}

func followedByPattern(ms []match, m match) bool {
	for _, o := range ms {
		if o.first >= m.last && o.first <= m.last+gap && !o.dominated && (o.p.cameo != "" || o.p.kind != "") && !o.p.intent {
			return true
		}
	}
	return false
}

// modality looks before the pattern, within its clause, for negation, refusal, doubt
// and intent; it returns the modality and, for an intended act, the CAMEO code that
// expresses the intent (AGREE for cooperation, THREATEN for conflict).
func (c *Coder) modality(toks []token, ms []match, m match) (string, func(string) string) {
	lo := m.first - 6
	intent := false
	hedge := false
	for j := m.first - 1; j >= 0 && j >= lo; j-- {
		t := toks[j]
		if t.punct && t.norm != "(" {
			break
		}
		switch {
		case negators[t.norm] && !inPattern(m, j):
			return Negated, nil
		case refusers[t.norm] && j >= m.first-3:
			return Negated, nil
		case hedges[t.norm]:
			hedge = true
		case t.norm == "to" && j > 0 && (toks[j-1].norm == "said" || toks[j-1].norm == "believed" || toks[j-1].norm == "reported" || toks[j-1].norm == "thought" || toks[j-1].norm == "alleged"):
			hedge = true
		}
	}
	marker := ""
	for _, o := range ms {
		if o.p.intent && o.last <= m.first && o.last >= m.first-gap {
			intent = true
			marker = o.p.cameo
		}
	}
	if m.p.intent {
		intent = true
	}
	for j := m.first + 1; j < m.last; j++ {
		hedge = hedge || hedges[toks[j].norm]
	}
	switch {
	case hedge:
		return Hedged, nil
	case intent:
		return Intended, func(code string) string {
			if marker != "" {
				return marker
			}
			if code < "09" {
				return "030"
			}
			return "130"
		}
	}
	return Asserted, nil
}

func inPattern(m match, j int) bool { return j >= m.first && j < m.last }

// introOpeners open a fronted phrase that is not the sentence's main event: "Despite
// warnings of starvation by aid agencies, the government refused ...".
var introOpeners = map[string]bool{
	"despite": true, "after": true, "following": true, "amid": true, "before": true, "since": true,
	"although": true, "though": true, "while": true, "as": true, "if": true, "unless": true, "when": true,
}

var introAdverbs = map[string]bool{"shortly": true, "soon": true, "just": true, "long": true, "even": true, "only": true, "immediately": true}

// introPhrase returns the token index after the comma that closes a fronted phrase, or 0.
func introPhrase(toks []token) int {
	k := 0
	if len(toks) > 1 && introAdverbs[toks[0].norm] {
		k = 1 // "Shortly after the announcement, ..."
	}
	if len(toks) == 0 || !introOpeners[toks[k].norm] {
		return 0
	}
	for i, t := range toks {
		if t.norm == "," {
			return i + 1
		}
		if t.punct {
			break
		}
	}
	return 0
}

// attributionTail returns the token index where a trailing attribution (", officials
// said") starts, or len(toks).
func attributionTail(toks []token) int {
	for i := len(toks) - 1; i > 0; i-- {
		if toks[i].norm == "," {
			for j := i + 1; j < len(toks); j++ {
				if attribution[toks[j].norm] {
					return i
				}
			}
			return len(toks)
		}
	}
	return len(toks)
}

// group is a run of mentions joined by "and" or commas ("Hungarian and Romanian").
type group struct {
	ms          []Mention
	first, last int
}

// mergeMentions joins a mention with the next of the same code when only titles
// separate them ("Russian President Boris Yeltsin") and groups coordinated mentions.
func mergeMentions(ms []Mention, toks []token) []group {
	var gs []group
	for i := 0; i < len(ms); i++ {
		m := ms[i]
		if len(gs) > 0 {
			g := &gs[len(gs)-1]
			prev := g.ms[len(g.ms)-1]
			between := toks[prev.last:m.first]
			if prev.Code == m.Code && titlesOnly(between) {
				g.ms[len(g.ms)-1].last = m.last
				g.last = m.last
				continue
			}
			if coordinated(between) {
				g.ms = append(g.ms, m)
				g.last = m.last
				continue
			}
		}
		gs = append(gs, group{ms: []Mention{m}, first: m.first, last: m.last})
	}
	return gs
}

var titles = map[string]bool{
	"president": true, "prime": true, "minister": true, "foreign": true, "defence": true, "defense": true,
	"secretary": true, "leader": true, "the": true, "of": true, "'s": true, "state": true, "government": true,
	"army": true, "military": true, "officials": true, "official": true, "parliament": true, "deputy": true,
	"chief": true, "negotiator": true, "envoy": true, "ambassador": true, "spokesman": true, "authorities": true,
	"troops": true, "forces": true, "general": true, "king": true, "emir": true, "sheikh": true,
}

func titlesOnly(ts []token) bool {
	if len(ts) > 4 {
		return false
	}
	for _, t := range ts {
		if t.punct || !(titles[t.norm] || t.cap) {
			return false
		}
	}
	return true
}

func coordinated(ts []token) bool {
	if len(ts) == 0 || len(ts) > 3 {
		return false
	}
	conj := false
	for _, t := range ts {
		switch {
		case t.norm == "and" || t.norm == "," || t.norm == "or":
			conj = true
		case conj && coordModifiers[t.norm]:
		default:
			return false
		}
	}
	return conj
}

// coordModifiers may stand between a conjunction and the next coordinated name: "Bahrain,
// the United Arab Emirates", "Sweden and neighbouring Finland".
var coordModifiers = map[string]bool{
	"the": true, "neighbouring": true, "neighboring": true, "fellow": true, "allied": true, "its": true,
}

// parties chooses the actors (the subject of the clause before the pattern) and the
// counterparts (the first group after it, outside a trailing attribution). A passive
// ("was attacked by X") swaps them; a "<" pattern ("X said Y must") takes the
// counterpart from before. A subject pronoun between the last name and the pattern
// ("..., and it declared") stands for the nearest fitting antecedent: a subject-like
// group earlier in the sentence, else prior (the paragraph's last subject). An object
// followed by a second verb of the same subject ("X blamed Y and announced ...") is
// passed over for that subject.
func (c *Coder) parties(toks []token, gs []group, m match, tail int, prior []Mention) (actors, counter []Mention) {
	var before, after, inside, within []int // group indexes
	for gi, g := range gs {
		if g.first > m.first && g.last <= m.last {
			within = append(within, gi)
		}
		if g.first < m.first {
			before = append(before, gi) // a name may run into the pattern: "Syria's government fell"
		} else if g.first >= m.last && g.first < tail {
			after = append(after, gi)
		} else if g.first > m.first && g.last < m.last && g.first < tail {
			// a name inside the pattern: "struck Iran's nuclear facilities", "seized a
			// British tanker": the possessor, or for force kinds any name, is the target
			if toks[g.last].norm == "'s" || forceKind(m.p.kind) || m.p.kind == "diplomatic_break" || m.p.kind == "recognition" || needsOrg(m.p.kind) && g.ms[0].Kind == KindOrg {
				inside = append(inside, gi)
			}
		}
	}
	after = append(inside, after...)
	defer func() {
		// a coordination does not run into a trailing attribution: "sent troops to
		// Russia, South Korean officials said"
		if len(counter) > 1 && m.first < tail {
			k := 0
			for k < len(counter) && counter[k].first < tail {
				k++
			}
			counter = counter[:k]
		}
	}()
	defer func() {
		// the counterpart is another party than the actor ("signed treaties to annex four
		// Moscow-occupied regions"), and for membership kinds an organisation
		for k := 0; m.p.kind != "" && k < len(after) && len(actors) > 0 && len(counter) > 0 && gs[after[k]].first <= m.last+8; k++ {
			if counter[0].Code != actors[0].Code && (!needsOrg(m.p.kind) || counter[0].Kind == KindOrg) {
				break
			}
			if gs[after[k]].ms[0].Code != actors[0].Code && (!needsOrg(m.p.kind) || gs[after[k]].ms[0].Kind == KindOrg) {
				counter = gs[after[k]].ms
			}
		}
	}()
	if m.p.before {
		if len(before) >= 2 {
			return gs[before[len(before)-2]].ms, gs[before[len(before)-1]].ms
		}
		if len(before) == 1 && len(after) > 0 {
			return gs[before[0]].ms, nil
		}
		return nil, nil
	}
	if passive(toks, m) {
		for _, gi := range after {
			if g := gs[gi]; g.first > 0 && toks[g.first-1].norm == "by" || g.first > 1 && toks[g.first-2].norm == "by" {
				if len(before) > 0 {
					return g.ms, gs[before[len(before)-1]].ms
				}
				return g.ms, nil
			}
		}
	}
	// a subject pronoun after the last name and before the pattern
	lastEnd := 0
	if n := len(before); n > 0 {
		lastEnd = gs[before[n-1]].last
	}
	for j := m.first - 1; j >= lastEnd; j-- {
		if toks[j].punct && toks[j].norm != "," {
			break
		}
		pron := toks[j].norm
		if !pronouns[pron] {
			pron = ""
			if k, kind := epithet(toks, j); k >= 0 && subjectLike(toks, k) {
				j, pron = k, kind // "The island nation signed ...": like "it"
			}
		}
		if pron != "" && subjectLike(toks, j) {
			ante := antecedent(toks, gs, before, pron, prior)
			if ante == nil {
				return nil, nil
			}
			if len(after) > 0 {
				counter = gs[after[0]].ms
			}
			return ante, counter
		}
	}
	if n := len(before); n > 1 {
		// "Pakistan, a key U.S. ally in the war against terrorism, has refused": the
		// name inside the apposition is not the subject
		if k := appositionHead(toks, gs, before, m.first); k >= 0 {
			before = before[:k+1]
		}
	}
	if n := len(before); n > 0 {
		last := gs[before[n-1]]
		if j := participle(toks, last.last, m.first); j >= 0 {
			// "X intervened in the war between Y and Z, launching airstrikes": the main
			// clause's subject acts
			for k := n - 1; k >= 0; k-- {
				if g := gs[before[k]]; g.last <= j && subjectLike(toks, g.first) {
					if len(after) > 0 {
						counter = gs[after[0]].ms
					}
					return g.ms, counter
				}
			}
		}
		switch {
		case needsOrg(m.p.kind) && last.last >= m.first && last.ms[0].Kind == KindOrg && n > 1:
			// "ARM ... the EU accession process": the organisation qualifies the noun
			return gs[before[n-2]].ms, last.ms
		case last.last == m.first && last.first > 0 && datives[toks[last.first-1].norm] && n > 1:
			// "Syria granted Russia access": Russia receives
			return gs[before[n-2]].ms, last.ms
		case n > 1 && objectLike(toks, last.first) && secondVerb(toks[last.last:m.first]):
			// "X blamed Y and announced leaving": X leaves
			for k := n - 2; k >= 0; k-- {
				if g := gs[before[k]]; subjectLike(toks, g.first) {
					actors = g.ms
					break
				}
			}
			if actors != nil {
				if len(after) > 0 {
					counter = gs[after[0]].ms
				}
				return actors, counter
			}
		}
	}
	if len(before) > 0 {
		actors = gs[before[len(before)-1]].ms
	} else if len(within) > 0 && !forceKind(m.p.kind) && !needsOrg(m.p.kind) && toks[gs[within[0]].last].norm != "'s" {
		// "The first deployment of NATO peacekeeping troops arrived in Bosnia"
		actors = gs[within[0]].ms
	} else if len(after) > 0 {
		// no subject before: the first group after acts ("Demanding ..., Russia ...")
		actors = gs[after[0]].ms
		after = after[1:]
	} else {
		// only the attribution names someone: it speaks for itself
		for gi := len(gs) - 1; gi >= 0; gi-- {
			if gs[gi].first >= tail {
				actors = gs[gi].ms
			}
		}
	}
	if len(after) > 0 {
		counter = gs[after[0]].ms
		if (strings.HasPrefix(m.p.cameo, "11") || strings.HasPrefix(m.p.cameo, "14")) && len(after) > 1 && addressee(toks, gs[after[0]].first) {
			// "complained to the UN over Israeli air raids": the addressee is not the target
			for _, gi := range after[1:] {
				if g := gs[gi]; aboutWord(toks, g.first) {
					counter = g.ms
					break
				}
			}
		}
	}
	return actors, counter
}

// addressee reports a name introduced by "to" ("complained to the EU").
func addressee(toks []token, i int) bool {
	for j := i - 1; j >= 0 && j >= i-2; j-- {
		switch toks[j].norm {
		case "to":
			return true
		case "the":
			continue
		}
		return false
	}
	return false
}

// aboutWord reports "over", "about", "against" or "at" within three words before token i.
func aboutWord(toks []token, i int) bool {
	for j := i - 1; j >= 0 && j >= i-3; j-- {
		switch toks[j].norm {
		case "over", "about", "against", "at":
			return true
		}
		if toks[j].punct {
			return false
		}
	}
	return false
}

// appositionHead returns the index in before of a group followed by ", <apposition>,"
// that runs up to the pattern (the last comma of the sentence before the pattern closes
// it), or -1.
func appositionHead(toks []token, gs []group, before []int, end int) int {
	for k := len(before) - 2; k >= 0; k-- {
		g := gs[before[k]]
		if g.last >= len(toks) || toks[g.last].norm != "," || g.last+1 >= len(toks) {
			continue
		}
		if w := toks[g.last+1].norm; w != "a" && w != "an" && w != "the" && w != "its" && w != "which" && w != "who" {
			continue
		}
		// the apposition closes with a comma after the later groups
		lastG := gs[before[len(before)-1]]
		for j := lastG.last; j < end; j++ {
			if toks[j].norm == "," {
				return k
			}
			if toks[j].punct {
				break
			}
		}
	}
	return -1
}

// participle returns the index of a comma between from and to that opens a participial
// clause (", launching airstrikes"), or -1.
func participle(toks []token, from, to int) int {
	for j := from; j < to && j+1 < len(toks); j++ {
		if toks[j].norm == "," && strings.HasSuffix(toks[j+1].norm, "ing") && !toks[j+1].cap && len(toks[j+1].norm) > 5 {
			return j
		}
	}
	return -1
}

// forceKind: kinds of force and territory, whose target may be named inside the pattern.
func forceKind(kind string) bool {
	switch kind {
	case "invasion", "strike", "border_clash", "annexation", "blockade", "seizure":
		return true
	}
	return false
}

var pronouns = map[string]bool{"it": true, "they": true, "he": true, "she": true}

// epithetNouns are definite descriptions that stand for the last state or organisation
// named as a subject in the paragraph: "the country", "the island nation", "the Gulf
// kingdom", "the alliance". They resolve only to a single state (or organisation) that
// is the nearest subject, never by what the noun says (a "kingdom" is not checked to be
// one), so they are read as "it" with a kind.
var epithetNouns = map[string]string{
	"country": "state", "nation": "state", "kingdom": "state", "republic": "state", "emirate": "state",
	"alliance": "org", "bloc": "org", "organisation": "org", "organization": "org",
}

// epithet reports a definite description ending at token j ("the country", "the island
// nation": "the" and at most one modifier before the noun) and returns the index of its
// "the" and the kind of antecedent it needs, or -1.
func epithet(toks []token, j int) (int, string) {
	kind, ok := epithetNouns[toks[j].norm]
	if !ok || toks[j].cap && j > 0 {
		return -1, ""
	}
	for k := j - 1; k >= 0 && k >= j-2; k-- {
		if toks[k].norm == "the" {
			return k, kind
		}
		if toks[k].punct {
			break
		}
	}
	return -1, ""
}

// clauseOpeners may stand right before a clause's subject.
var clauseOpeners = map[string]bool{
	"and": true, "but": true, "while": true, "whereas": true, "as": true, "after": true, "when": true,
	"then": true, "that": true, "which": true, "who": true, "also": true, "meanwhile": true, "since": true,
	"because": true, "although": true, "though": true, "later": true, "yesterday": true, "today": true,
	"earlier": true, "so": true, "if": true, "before": true, "once": true, "now": true, "instead": true,
}

// subjectLike reports a word at token i that can open a clause as its subject: at the
// start of the sentence, or after punctuation, a conjunction, a date or a determiner
// that itself opens the clause ("the Kremlin", "On 24 February 2022 Russia").
func subjectLike(toks []token, i int) bool {
	for i > 0 && (toks[i-1].norm == "the" || titles[toks[i-1].norm] && toks[i-1].cap) {
		i--
	}
	if i == 0 {
		return true
	}
	p := toks[i-1]
	_, wd := weekdays[p.norm]
	_, mo := months[p.norm]
	return p.punct || clauseOpeners[p.norm] || reporters[p.norm] || p.norm == "say" || isNumber(p.norm) || wd || mo && p.cap
}

// objectLike reports a name right after a verb-like word (lower case, not a preposition,
// determiner or conjunction): "blamed Russia".
func objectLike(toks []token, i int) bool {
	for i > 0 && toks[i-1].norm == "the" {
		i--
	}
	if i == 0 {
		return false
	}
	p := toks[i-1]
	return !p.punct && !p.cap && !prepositions[p.norm] && !clauseOpeners[p.norm] && !isNumber(p.norm)
}

var prepositions = map[string]bool{
	"of": true, "in": true, "on": true, "at": true, "to": true, "from": true, "with": true, "by": true,
	"for": true, "against": true, "between": true, "among": true, "into": true, "over": true, "about": true,
	"under": true, "through": true, "toward": true, "towards": true, "across": true, "a": true, "an": true,
	"its": true, "their": true, "his": true, "her": true, "both": true, "than": true, "like": true, "including": true,
}

// secondVerb reports tokens between an object and the pattern that start a second verb
// phrase of the same subject: "and announced", ", and said it would".
func secondVerb(ts []token) bool {
	if n := len(ts); n > 0 && ts[n-1].norm == "and" {
		return true // "... and expelled": the pattern is the second verb
	}
	for k, t := range ts {
		if (t.norm == "and" || t.norm == "but" || t.norm == "then") && k+1 < len(ts) && !ts[k+1].cap && !ts[k+1].punct && !pronouns[ts[k+1].norm] && ts[k+1].norm != "the" {
			return true
		}
	}
	return false
}

// antecedent is the nearest fitting antecedent of a pronoun: a subject-like group
// earlier in the sentence (a person for he/she, several actors or any for they, a
// state or organisation for it), else the paragraph's last subject.
func antecedent(toks []token, gs []group, before []int, pron string, prior []Mention) []Mention {
	fits := func(ms []Mention) bool {
		switch pron {
		case "state":
			return len(ms) == 1 && ms[0].Kind == KindState
		case "org":
			return len(ms) == 1 && ms[0].Kind == KindOrg
		case "he", "she":
			return ms[0].Kind == KindPerson
		case "it":
			return len(ms) == 1 && ms[0].Kind != KindPerson
		}
		return true
	}
	for k := len(before) - 1; k >= 0; k-- {
		if g := gs[before[k]]; subjectLike(toks, g.first) && fits(g.ms) {
			return g.ms
		}
	}
	for _, k := range before {
		if g := gs[k]; !objectLike(toks, g.first) && !(g.first > 0 && prepositions[toks[g.first-1].norm]) && fits(g.ms) {
			return g.ms // "Radical French farmers said they would ..."
		}
	}
	if len(prior) > 0 && fits(prior) {
		return prior
	}
	return nil
}

// datives are verbs whose first object receives what the pattern names.
var datives = map[string]bool{
	"grant": true, "granted": true, "grants": true, "give": true, "gave": true, "given": true, "offer": true,
	"offered": true, "allow": true, "allowed": true, "provide": true, "provided": true, "sold": true, "sent": true,
	"promised": true, "denied": true, "deny": true,
}

func passive(toks []token, m match) bool {
	for j := m.first - 1; j >= 0 && j >= m.first-3; j-- {
		if auxPassive[toks[j].norm] {
			w := toks[m.first].norm
			return strings.HasSuffix(w, "ed") || strings.HasSuffix(w, "en") || w == "sent" || w == "held" || w == "shot" || w == "hit"
		}
		if toks[j].punct {
			return false
		}
	}
	return false
}

// pairUp turns actor and counterpart groups into directed pairs. Joint actors with no
// counterpart act toward each other when the pattern is symmetric.
func pairUp(actors, counter []Mention, symmetric bool) [][2]*Mention {
	var out [][2]*Mention
	if len(counter) == 0 || symmetric && len(actors) > 1 && within(counter, actors) {
		if len(actors) > 1 {
			for i := range actors {
				for j := range actors {
					if i != j && actors[i].Code != actors[j].Code {
						out = append(out, [2]*Mention{&actors[i], &actors[j]})
					}
				}
			}
			return out
		}
		return [][2]*Mention{{&actors[0], nil}}
	}
	for i := range actors {
		for j := range counter {
			out = append(out, [2]*Mention{&actors[i], &counter[j]})
		}
	}
	return out
}

// withParty reports a name introduced as a party ("with Qatar", "against the state of
// Qatar"), not as a place.
func withParty(toks []token, i int) bool {
	for j := i - 1; j >= 0 && j >= i-4; j-- {
		switch toks[j].norm {
		case "with", "against", "between":
			return true
		case "the", "state", "of", "government", "republic":
			continue
		}
		return false
	}
	return false
}

// within reports whether every counterpart is also one of the actors ("Russia and China
// signed a treaty in Moscow": Moscow is no third party).
func within(counter, actors []Mention) bool {
	for _, c := range counter {
		found := false
		for _, a := range actors {
			found = found || a.Code == c.Code
		}
		if !found {
			return false
		}
	}
	return true
}

// stanceOf is the kind's default stance (docs/ledger.md), else cooperative for CAMEO
// roots 01-08 and hostile for 09-20.
func stanceOf(kind, cameo string) entente.Stance {
	switch kind {
	case "sanctions", "membership_leave", "membership_suspend", "diplomatic_break", "condemnation", "regime_change",
		"invasion", "strike", "border_clash", "annexation", "blockade", "seizure":
		// regime_change has no default in the ledger: a government falling outside
		// elections is read as a loss for the counterpart; drafts ask for a check
		return entente.Hostile
	case "":
	default:
		return entente.Cooperative
	}
	if cameo != "" && cameo >= "09" {
		return entente.Hostile
	}
	return entente.Cooperative
}

// nearestDate chooses the date of the sentence nearest to the pattern (the more precise
// among equally near ones), passing over a date that times a report rather than the act
// ("said on Tuesday", "told reporters on Monday").
func nearestDate(toks []token, ds []Date, m match) Date {
	best, bestDist := -1, 0
	for i, d := range ds {
		if reportDate(toks, d.tok) || validity(toks, d.tok) {
			continue
		}
		dist := 0
		switch {
		case d.tok >= m.last:
			dist = d.tok - m.last
		case d.tok < m.first:
			dist = m.first - d.tok
		}
		if best < 0 || dist < bestDist || dist == bestDist && d.Precision < ds[best].Precision {
			best, bestDist = i, dist
		}
	}
	if best < 0 {
		return Date{Precision: PrecisionUnknown}
	}
	return ds[best]
}

// validity reports a period a document runs for, not the day it was made: "a plan for
// 2018-2022", "for the years 2018-2022".
func validity(toks []token, i int) bool {
	for j := i - 1; j >= 0 && j >= i-3; j-- {
		switch toks[j].norm {
		case "for":
			return true
		case "the", "years", "period", "year":
			continue
		}
		return false
	}
	return false
}

// reporters are verbs of saying whose date is the report's.
var reporters = map[string]bool{
	"said": true, "says": true, "told": true, "stated": true, "added": true, "wrote": true, "tweeted": true,
	"reported": true, "claimed": true, "insisted": true, "noted": true, "warned": true, "confirmed": true,
}

// reportDate reports a date right after a verb of saying ("said on Tuesday", "told
// reporters on Monday", "said in a statement on Friday").
func reportDate(toks []token, i int) bool {
	for j := i - 1; j >= 0 && j >= i-7; j-- {
		if toks[j].punct {
			return false
		}
		if reporters[toks[j].norm] {
			return true
		}
	}
	return false
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// confidence: a longer pattern and a state named outright are surer than one word and a
// person or group; intent and doubt lower it; a denial leaves none.
func confidence(p *pattern, a, b *Mention, modality string) float64 {
	c := 0.6
	if len(p.words) > 1 {
		c = 0.8
	}
	for _, m := range []*Mention{a, b} {
		if m == nil {
			continue
		}
		switch {
		case m.Kind == KindPerson && !m.InRole:
			c -= 0.2
		case m.Kind == KindGroup:
			c -= 0.1
		}
	}
	if p.kind != "" && p.cameo != "" {
		c += 0.1
	}
	switch modality {
	case Intended:
		c *= 0.5
	case Hedged:
		c *= 0.4
	case Negated:
		c = 0
	}
	return float64(int(c*100+0.5)) / 100
}

// dedupe drops repeated acts of one sentence (same parties, kind and event type),
// keeping the most confident.
func dedupe(acts []Act) []Act {
	out := acts[:0]
	for _, a := range acts {
		dup := false
		for i := range out {
			b := &out[i]
			if b.Sentence == a.Sentence && b.Actor == a.Actor && b.Counterpart == a.Counterpart && b.Kind == a.Kind && b.Plover == a.Plover && b.Modality == a.Modality {
				if a.Confidence > b.Confidence {
					main := b.Main
					*b = a
					b.Main = b.Main || main
				}
				dup = true
				break
			}
		}
		if !dup {
			out = append(out, a)
		}
	}
	return out
}

// String formats an act for logs and test failures.
func (a Act) String() string {
	return fmt.Sprintf("%s->%s %s/%s %s %s (%s)", a.Actor, a.Counterpart, a.Kind, a.Plover, a.Modality, dateString(a.Date), a.Pattern)
}

func dateString(d Date) string {
	switch d.Precision {
	case entente.PrecisionDay:
		return d.Start.Format(time.DateOnly)
	case entente.PrecisionMonth:
		return d.Start.Format("2006-01")
	case entente.PrecisionYear:
		if d.End.Sub(d.Start) > 366*24*time.Hour {
			return d.Start.Format("2006") + ".." + d.End.AddDate(0, 0, -1).Format("2006")
		}
		return d.Start.Format("2006")
	}
	return ""
}

// secession reports words of a region breaking away ("independence", "separatist"): a
// place's independence recognised is hostile to the state it belongs to, while a
// state's sovereignty or claim recognised ("Rabat's claim to Western Sahara") is not.
func secession(toks []token) bool {
	for _, t := range toks {
		switch t.norm {
		case "independence", "independent", "statehood", "separatist", "separatists", "breakaway", "secession":
			return true
		}
	}
	return false
}

// territoryNouns may follow a state's adjective as what is invaded ("Ukrainian territory").
var territoryNouns = map[string]bool{
	"territory": true, "territories": true, "soil": true, "land": true, "lands": true, "region": true,
	"regions": true, "province": true, "provinces": true, "border": true, "islands": true, "island": true,
	"towns": true, "villages": true, "city": true, "cities": true,
}

// declarative kinds are done by deciding them: a past "agreed to recognise" or "decided
// to sever ties" is the act, not an intention.
var declarative = map[string]bool{
	"recognition": true, "diplomatic_break": true, "sanctions": true, "strategic_partnership": true,
	"membership_suspend": true, "condemnation": true,
}

// pastDecision reports a past-tense decision verb ("decided", "voted"; "agreed" when
// agreed is set) right before the pattern, with no future or modal marker ("will",
// "would", "plans") in its clause: the decision is the act.
func pastDecision(toks []token, m match, agreed bool) bool {
	past := false
	for j := m.first - 1; j >= 0 && j >= m.first-4; j-- {
		t := toks[j]
		if t.punct {
			break
		}
		switch t.norm {
		case "decided", "voted", "resolved":
			past = true
		case "agreed":
			past = past || agreed // "agreed to" is a promise, except for acts done by deciding them
		case "will", "would", "shall", "plans", "plan", "planned", "intends", "may", "might", "could", "to":
			if t.norm != "to" {
				return false
			}
		}
	}
	return past
}

// blockers stop the act they govern: "Hungary vetoed the EU's sanctions package",
// "will block the package of sanctions", "prevented the adoption of".
var blockers = map[string]bool{
	"block": true, "blocks": true, "blocked": true, "blocking": true, "veto": true, "vetoes": true,
	"vetoed": true, "vetoing": true, "prevent": true, "prevents": true, "prevented": true, "obstruct": true,
	"obstructed": true, "halt": true, "halted": true, "stall": true, "stalled": true, "thwart": true, "thwarted": true,
}

// blocked reports a blocking verb before the pattern in its clause (up to 15 words back,
// stopping at clause punctuation).
func blocked(toks []token, m match) bool {
	for j := m.first - 1; j >= 0 && j >= m.first-15; j-- {
		if toks[j].punct {
			return false
		}
		if blockers[toks[j].norm] {
			return true
		}
	}
	return false
}

// processWords make an accession a process begun rather than done.
var processWords = map[string]bool{
	"process": true, "start": true, "starting": true, "begin": true, "beginning": true, "launch": true,
	"launching": true, "initiate": true, "initiating": true, "bid": true, "bill": true, "path": true,
	"application": true, "talks": true, "negotiations": true, "road": true,
}

// accessionProcess reports "accession"/"accede" inside a process: "a bill on starting the
// process of the country's accession to the EU".
func accessionProcess(toks []token, m match) bool {
	if !strings.HasPrefix(toks[m.first].norm, "acce") {
		return false
	}
	for j := m.first - 1; j >= 0 && j >= m.first-6; j-- {
		if toks[j].punct {
			return false
		}
		if processWords[toks[j].norm] {
			return true
		}
	}
	return false
}

// supportCue finds, after a force pattern in its sentence, a sign that the force is used
// for a state rather than against it ("in support of Assad", "at the request of the
// Syrian government", "alongside the Syrian army") and returns that state.
func supportCue(toks []token, gs []group, m match) string {
	for j := m.last; j < len(toks); j++ {
		n := toks[j].norm
		cue := n == "alongside" || n == "request" || n == "invitation" || n == "behalf" ||
			n == "support" && j > 0 && toks[j-1].norm == "in"
		if !cue {
			continue
		}
		for _, g := range gs {
			if g.first > j && g.first <= j+6 {
				return g.ms[0].Code
			}
		}
	}
	return ""
}

func mentionsOf(gs []group, code string) []Mention {
	for _, g := range gs {
		if g.ms[0].Code == code {
			return g.ms[:1]
		}
	}
	return nil
}

// backer finds the state that backs a fallen government: "the Russia-backed regime",
// "backed by Iran".
func backer(toks []token, gs []group, m match) []Mention {
	for _, g := range gs {
		if g.last < len(toks) && (toks[g.last].norm == "backed" || toks[g.last].norm == "allied") {
			return g.ms[:1]
		}
		if g.first > 1 && toks[g.first-1].norm == "by" && toks[g.first-2].norm == "backed" {
			return g.ms[:1]
		}
	}
	return nil
}

// hostileDeployment: troops sent against the counterpart ("deployed troops against").
func hostileDeployment(toks []token, m match) bool {
	for j := m.last; j < len(toks) && j < m.last+5; j++ {
		switch toks[j].norm {
		case "against", "repel", "fight", "counter", "invade", "attack":
			return true
		}
		if toks[j].punct {
			return false
		}
	}
	return false
}
