package index

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/entente/entente"
	"github.com/entente/entente/signal"
)

// frame is the evidence of one focal state at one date, gathered per other state.
type frame struct {
	focal     entente.Country
	from, at  time.Time
	unFrom    time.Time // start of the UN window: from, or earlier when extended
	agrees    []float64 // the focal state's agreement with every state in the window, sorted
	unMean    float64   // mean agreement of every pair of states over the window's roll calls
	rollCalls int
	ballots   []*entente.Ballot // the window's roll calls, for evidence
	chance    []float64         // per roll call of ballots: a random other voter's agreement with the focal state's vote
	contestW  []float64         // (1 − chance)^contestP per roll call (contestWeights)
	contestP  float64
	dyads     []dyad
	byID      map[string]int

	third       []string  // third parties: state IDs and bloc codes
	thirdWeight []float64 // w_C = −(lagged score of C), for C strongly misaligned
	thirdLag    []float64
}

// dyad is the evidence of one other state.
type dyad struct {
	other entente.Country
	un    []uint8 // per shared roll call: 3·(focal vote − 1) + (other vote − 1)
	unRC  []int32 // index into frame.ballots, parallel to un
	// unNum and unDen are w·(a − e) and w of each shared roll call (beyondChance) for the
	// exponent unP, computed once per dyad for the bootstrap's draws.
	unNum, unDen []float64
	unP          float64
	alliance     float64 // NaN when unknown
	allianceMass float64 // 1 within ATOP's years, decaying after its end
	blocs        float64 // NaN when no bloc data
	blocSpells   []spell
	events       []eventItem
	ledger       []ledgerItem
	aid          []aidItem
	force        []forceItem
	ideal        float64 // NaN when unknown
	third        []thirdItem
	flags        []string
	n            [NumSignals]int
	notes        [NumSignals]string
}

type ledgerItem struct {
	s     float64 // stance · kind weight · share · decay
	act   *entente.Act
	share float64
	decay float64
}

type eventItem struct {
	gsum, weight, decay float64
	events              int64
	period              string
}

type aidItem struct {
	eur, decay float64
	period     string
	donor      string
}

type thirdItem struct {
	c    int     // index into frame.third
	s    float64 // signed cooperation weight
	what string  // what it is, for explanations
	date time.Time
	act  *entente.Act
	rec  *forceRec // a force record with the third party, described on demand
}

// ongoingKinds are states of affairs: without an end date they last, so their age is 0.
var ongoingKinds = map[string]bool{"troop_deployment": true, "basing_access": true, "membership_suspend": true}

// direct returns the point scores of every state at date at without the third-party
// term: the lagged alignment the third-party term reads.
func (e *Engine) direct(ctx context.Context, f *facts, fc entente.Country, at time.Time) (map[string]float64, error) {
	fr, err := e.frame(ctx, f, fc, at, nil)
	if err != nil {
		return nil, err
	}
	out := make(map[string]float64, len(fr.dyads))
	for i := range fr.dyads {
		if s := e.score(fr, &fr.dyads[i], false); !math.IsNaN(s.Score) {
			out[fr.dyads[i].other.ID] = s.Score
		}
	}
	return out, nil
}

// frame gathers the evidence of every state with focal at date at. lag holds the
// lagged scores of the third-party term; nil leaves the term out.
func (e *Engine) frame(ctx context.Context, f *facts, fc entente.Country, at time.Time, lag map[string]float64) (*frame, error) {
	from := at.AddDate(0, -e.windowMonths(), 0)
	day := at.AddDate(0, 0, -1)
	fr := &frame{focal: fc, from: from, at: at, byID: map[string]int{}}
	for _, c := range e.countries.All() {
		if !c.ExistsAt(day) || c.ID == fc.ID {
			continue
		}
		if _, dup := fr.byID[c.ID]; dup {
			continue
		}
		fr.byID[c.ID] = len(fr.dyads)
		fr.dyads = append(fr.dyads, dyad{other: c, alliance: math.NaN(), allianceMass: 1, blocs: math.NaN(), ideal: math.NaN()})
	}
	if lag != nil {
		e.thirdParties(f, fr, lag, day)
	}
	e.gatherUN(f, fr, day)
	if err := e.gatherAlliances(ctx, f, fr, day); err != nil {
		return nil, err
	}
	e.gatherBlocs(f, fr, day)
	e.gatherEvents(f, fr)
	e.gatherAid(f, fr)
	e.gatherActs(f, fr)
	e.gatherIdeal(f, fr)
	if err := e.gatherForce(ctx, f, fr); err != nil {
		return nil, err
	}
	for i := range fr.dyads {
		fr.dyads[i].flags = sortedFlags(fr.dyads[i].flags)
		noteThird(fr, &fr.dyads[i])
	}
	return fr, nil
}

// noteThird counts and describes the dyad's items of the third-party term, once every
// signal has added its own.
func noteThird(fr *frame, d *dyad) {
	d.n[kThird] = len(d.third)
	if len(fr.third) == 0 {
		d.notes[kThird] = "no strongly misaligned third party"
	} else if len(d.third) == 0 {
		d.notes[kThird] = fmt.Sprintf("no dealings with the %d strongly misaligned third parties", len(fr.third))
	} else {
		seen := map[int]bool{}
		var names []string
		for _, it := range d.third {
			if !seen[it.c] {
				seen[it.c] = true
				names = append(names, fr.third[it.c])
			}
		}
		sort.Strings(names)
		if len(names) > 6 {
			names = append(names[:6], "...")
		}
		d.notes[kThird] = fmt.Sprintf("%d items with %s", len(d.third), strings.Join(names, ", "))
	}
}

// thirdParties picks the states (and blocs the focal state is not in) whose lagged score
// is at most −ThirdThreshold; a bloc's lagged score is its members' mean.
func (e *Engine) thirdParties(f *facts, fr *frame, lag map[string]float64, day time.Time) {
	add := func(name string, m float64) {
		if m <= -e.cfg.ThirdThreshold {
			fr.third = append(fr.third, name)
			fr.thirdWeight = append(fr.thirdWeight, -m)
			fr.thirdLag = append(fr.thirdLag, m)
		}
	}
	ids := make([]string, 0, len(lag))
	for id := range lag {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		add(id, lag[id])
	}
	codes := make([]string, 0, len(e.cfg.BlocWeights))
	for code := range e.cfg.BlocWeights {
		codes = append(codes, code)
	}
	sort.Strings(codes)
	for _, code := range codes {
		if f.isMember(fr.focal.ID, code, day) {
			continue
		}
		var sum float64
		var n int
		for _, m := range f.membersOf(code, day) {
			if v, ok := lag[m]; ok {
				sum += v
				n++
			}
		}
		if n > 0 {
			add(code, sum/float64(n))
		}
	}
}

func (fr *frame) thirdIndex(name string) int {
	for i, t := range fr.third {
		if t == name {
			return i
		}
	}
	return -1
}

func (e *Engine) gatherUN(f *facts, fr *frame, day time.Time) {
	window := func(from time.Time) []entente.Ballot {
		lo := sort.Search(len(f.ballots), func(i int) bool { return !f.ballots[i].Date.Before(from) })
		hi := sort.Search(len(f.ballots), func(i int) bool { return !f.ballots[i].Date.Before(fr.at) })
		return f.ballots[lo:hi]
	}
	// A window with too few roll calls (the record's gap in the second half of 2024) is
	// extended backward a year at a time.
	fr.unFrom = fr.from
	win := window(fr.unFrom)
	for months := e.windowMonths(); float64(len(win)) < e.cfg.UNMinWindow && float64(months+12) <= e.cfg.UNMaxMonths; months += 12 {
		fr.unFrom = fr.at.AddDate(0, -(months + 12), 0)
		win = window(fr.unFrom)
	}
	fr.rollCalls = len(win)
	fr.unMean = meanPairAgreement(win)
	if len(win) == 0 {
		for i := range fr.dyads {
			fr.dyads[i].notes[kUN] = "no UN roll call in the window"
		}
		return
	}
	cuts := regimeCuts(f.acts, fr.at)
	fcow := int16(fr.focal.COW)
	if fcow == 0 {
		return
	}
	ids := map[int16]int{}
	dyadOf := func(cc int16) int {
		if i, ok := ids[cc]; ok {
			return i
		}
		i := -1
		if c, ok := e.countries.ByCOW(int(cc), day); ok {
			if j, ok := fr.byID[c.ID]; ok {
				i = j
			}
		}
		ids[cc] = i
		return i
	}
	for bi := range win {
		b := &win[bi]
		k, ok := searchCC(b.CCodes, fcow)
		if !ok || !b.Votes[k].Cast() {
			continue
		}
		fv := uint8(b.Votes[k] - 1)
		rc := int32(len(fr.ballots))
		fr.ballots = append(fr.ballots, b)
		// One pass: each other voter's pair with the focal state, and their mean
		// agreement with its vote (the roll call's chance agreement).
		var agr, tot float64
		for j, cc := range b.CCodes {
			v := b.Votes[j]
			if cc == fcow || !v.Cast() || j > 0 && b.CCodes[j-1] == cc {
				continue
			}
			code := fv*3 + uint8(v-1)
			agr += agreeOf[code]
			tot++
			if i := dyadOf(cc); i >= 0 {
				d := &fr.dyads[i]
				if cutBefore(cuts, fr.focal.ID, d.other.ID, b.Date) {
					continue
				}
				d.un = append(d.un, code)
				d.unRC = append(d.unRC, rc)
			}
		}
		fr.chance = append(fr.chance, agr/max(tot, 1))
	}
	if e.cfg.UNContest > 0 {
		fr.contestW = fr.contestWeights(e.cfg.UNContest)
		fr.contestP = e.cfg.UNContest
	}
	// The reference distribution (UNPercentile): the focal state's agreement with every
	// state that shares enough roll calls with it in the window.
	for i := range fr.dyads {
		d := &fr.dyads[i]
		if float64(len(d.un)) < e.cfg.MinRollCalls {
			continue
		}
		fr.agrees = append(fr.agrees, agreement(d.un, nil))
	}
	sort.Float64s(fr.agrees)
	for i := range fr.dyads {
		d := &fr.dyads[i]
		d.n[kUN] = len(d.un)
		if len(d.un) == 0 {
			d.notes[kUN] = "no shared roll call in the window"
			continue
		}
		a := agreement(d.un, nil)
		d.notes[kUN] = fmt.Sprintf("agreement %.3f over %d roll calls", a, len(d.un))
		switch {
		case e.cfg.UNContest > 0:
			d.notes[kUN] += fmt.Sprintf(", %+.3f beyond chance on contested votes", fr.beyondChance(&e.cfg, d, nil))
		case e.cfg.UNRelative > 0:
			d.notes[kUN] += fmt.Sprintf(" (all pairs: %.3f)", fr.unMean)
		}
		if e.cfg.UNPercentile > 0 {
			d.notes[kUN] += fmt.Sprintf(", percentile %.2f among %d states", fr.ecdf(a), len(fr.agrees))
		}
		if !fr.unFrom.Equal(fr.from) {
			d.notes[kUN] += fmt.Sprintf(" (window extended to %s for want of roll calls)", fr.unFrom.Format("2006-01"))
		}
	}
}

// meanPairAgreement is the mean, over the roll calls, of the agreement of every pair of
// states that voted: from the counts y, a, n of a roll call, pairs that vote alike count
// 1 and pairs of which one abstains ½, over the N(N−1)/2 pairs. NaN with no roll call.
func meanPairAgreement(win []entente.Ballot) float64 {
	var sum float64
	n := 0
	for i := range win {
		var c [3]float64
		for _, v := range win[i].Votes {
			if v.Cast() {
				c[v-1]++
			}
		}
		tot := c[0] + c[1] + c[2]
		if tot < 2 {
			continue
		}
		pairs := tot * (tot - 1) / 2
		same := c[0]*(c[0]-1)/2 + c[1]*(c[1]-1)/2 + c[2]*(c[2]-1)/2
		half := c[1] * (c[0] + c[2])
		sum += (same + half/2) / pairs
		n++
	}
	if n == 0 {
		return math.NaN()
	}
	return sum / float64(n)
}

// agreement is the mean agreement of the pairs (all, or a draw): 1 for the same vote,
// ½ when one of the two abstains, 0 for opposite votes.
func agreement(pairs []uint8, idx []int) float64 {
	var sum float64
	n := len(pairs)
	if idx == nil {
		for _, p := range pairs {
			sum += agreeOf[p]
		}
	} else {
		n = len(idx)
		for _, i := range idx {
			sum += agreeOf[pairs[i]]
		}
	}
	if n == 0 {
		return math.NaN()
	}
	return sum / float64(n)
}

// agreeOf is the agreement of a pair 3·(focal vote − 1) + (other vote − 1): yes, abstain,
// no; 1 alike, ½ one abstains, 0 opposite.
var agreeOf = [9]float64{1, 0.5, 0, 0.5, 1, 0.5, 0, 0.5, 1}

// cutBefore reports whether date precedes the latest regime change of either state:
// the fallen government's record no longer speaks for the state.
func cutBefore(cuts map[string]time.Time, a, b string, date time.Time) bool {
	return date.Before(cuts[a]) || date.Before(cuts[b])
}

func searchCC(ccs []int16, cc int16) (int, bool) {
	i := sort.Search(len(ccs), func(i int) bool { return ccs[i] >= cc })
	return i, i < len(ccs) && ccs[i] == cc
}

func (e *Engine) gatherAlliances(ctx context.Context, f *facts, fr *frame, day time.Time) error {
	year := f.atopYear(day)
	mass, aged := 1.0, ""
	if year < day.Year() {
		// After ATOP's end its last year is the latest evidence: it ages, like an act,
		// rather than vanishing (which would be a change where the data merely end).
		mass = math.Exp2(-float64(day.Year()-f.allianceLast) / e.cfg.AllianceHalfLife)
		aged = fmt.Sprintf(" (ATOP ends %d: its last year, weight %.2f)", f.allianceLast, mass)
	}
	ay, err := e.allianceYear(ctx, f, year)
	if err != nil {
		return err
	}
	for i := range fr.dyads {
		d := &fr.dyads[i]
		if ay == nil {
			if f.allianceLast > 0 {
				d.notes[kAlliances] = fmt.Sprintf("unknown: ATOP covers %d-%d", f.allianceFirst, f.allianceLast)
			} else {
				d.notes[kAlliances] = "no alliance data"
			}
			continue
		}
		if fr.focal.COW == 0 || d.other.COW == 0 {
			continue
		}
		m := ay.Dyad(fr.focal.COW, d.other.COW)
		if m.IsUnknown() {
			d.notes[kAlliances] = fmt.Sprintf("unknown: not both in the %d state system", year)
			continue
		}
		back, _ := ay.Tie(d.other.COW, fr.focal.COW)
		direct := max(m.Direct, back)
		v := float64(direct) / signal.MaxTie
		if !math.IsNaN(m.Kappa) {
			v = 0.5*v + 0.5*m.Kappa
		}
		d.alliance, d.allianceMass = v, mass
		d.n[kAlliances] = 1
		d.notes[kAlliances] = fmt.Sprintf("ATOP %d: direct tie %d of 3, portfolio kappa %.2f over %d states%s", year, direct, m.Kappa, m.N, aged)
		if direct == signal.MaxTie {
			d.flags = appendFlag(d.flags, "treaty")
		}
	}
	return nil
}

// atopYear is the ATOP year a frame at day reads: day's year, or ATOP's last year after
// its end.
func (f *facts) atopYear(day time.Time) int {
	if f.allianceLast > 0 && day.Year() > f.allianceLast {
		return f.allianceLast
	}
	return day.Year()
}

func appendFlag(flags []string, f string) []string {
	for _, x := range flags {
		if x == f {
			return flags
		}
	}
	return append(flags, f)
}

func (e *Engine) gatherBlocs(f *facts, fr *frame, day time.Time) {
	if len(f.spells) == 0 {
		for i := range fr.dyads {
			fr.dyads[i].notes[kBlocs] = "no bloc data"
		}
		return
	}
	codes := make([]string, 0, len(e.cfg.BlocWeights))
	for c := range e.cfg.BlocWeights {
		codes = append(codes, c)
	}
	sort.Slice(codes, func(i, j int) bool {
		wi, wj := e.cfg.BlocWeights[codes[i]], e.cfg.BlocWeights[codes[j]]
		if wi != wj {
			return wi > wj
		}
		return codes[i] < codes[j]
	})
	fSpells := f.blocsOf(fr.focal.ID, day)
	status := func(spells []spell, code string) (member, frozen bool, sp spell) {
		for _, s := range spells {
			if s.bloc == code {
				if s.member {
					return true, false, s
				}
				return false, true, s
			}
		}
		return false, false, spell{}
	}
	for i := range fr.dyads {
		d := &fr.dyads[i]
		aSpells := f.blocsOf(d.other.ID, day)
		var b float64
		var parts []string
		for _, code := range codes {
			fm, ff, fs := status(fSpells, code)
			am, af, as := status(aSpells, code)
			switch {
			case fm && am:
				b += e.cfg.BlocWeights[code]
				parts = append(parts, code)
				d.flags = appendFlag(d.flags, code)
				d.blocSpells = append(d.blocSpells, fs, as)
				d.n[kBlocs]++
			case fm && af || ff && am:
				d.flags = appendFlag(d.flags, code+"(frozen)")
				parts = append(parts, code+" not shared ("+strings.TrimSpace(fs.status+" "+as.status)+")")
				d.blocSpells = append(d.blocSpells, fs, as)
			}
		}
		// Opposed blocs count once per dyad, however many pairs oppose it.
		for _, pair := range entente.OpposedBlocs {
			x, y := pair[0], pair[1]
			pw := e.cfg.OpposedWeights[x+"/"+y]
			if pw <= 0 {
				continue
			}
			fx, _, sfx := status(fSpells, x)
			fy, _, sfy := status(fSpells, y)
			ax, _, sax := status(aSpells, x)
			ay, _, say := status(aSpells, y)
			if !(fx && ay || fy && ax) {
				continue
			}
			b -= e.cfg.OpposedWeight * pw
			parts = append(parts, "opposed "+x+"/"+y)
			d.flags = appendFlag(d.flags, x+"-vs-"+y)
			if fx && ay {
				d.blocSpells = append(d.blocSpells, sfx, say)
			} else {
				d.blocSpells = append(d.blocSpells, sfy, sax)
			}
			d.n[kBlocs]++
			break
		}
		d.blocs = math.Tanh(b)
		if d.n[kBlocs] == 0 {
			// Sharing no bloc says nothing of alignment: unknown, not 0.
			d.blocs = math.NaN()
			d.notes[kBlocs] = "no shared or opposed bloc"
			if len(parts) > 0 {
				d.notes[kBlocs] += ": " + strings.Join(parts, ", ")
			}
			continue
		}
		d.notes[kBlocs] = fmt.Sprintf("%s: tanh(%.2f)", strings.Join(parts, ", "), b)
	}
}

func (e *Engine) gatherEvents(f *facts, fr *frame) {
	from := fr.at.AddDate(-int(e.cfg.EventHorizon), 0, 0)
	focal := fr.focal.ID
	cuts := regimeCuts(f.acts, fr.at)
	for _, s := range f.events {
		m, err := time.Parse("2006-01", s.Period)
		if err != nil || m.Before(from) || !m.Before(fr.at) || s.Weight <= 0 || cutBefore(cuts, s.A, s.B, m) {
			continue
		}
		dec := e.decay(years(fr.at.Sub(m.AddDate(0, 0, 15))))
		it := eventItem{gsum: s.GoldsteinSum, weight: float64(s.Weight), decay: dec, events: s.N, period: s.Period}
		switch {
		case s.A == focal:
			if i, ok := fr.byID[s.B]; ok {
				fr.dyads[i].events = append(fr.dyads[i].events, it)
			}
		case s.B == focal:
			if i, ok := fr.byID[s.A]; ok {
				fr.dyads[i].events = append(fr.dyads[i].events, it)
			}
		default:
			for _, p := range [2][2]string{{s.A, s.B}, {s.B, s.A}} {
				i, ok := fr.byID[p[0]]
				c := fr.thirdIndex(p[1])
				if !ok || c < 0 {
					continue
				}
				g := s.GoldsteinSum / float64(s.Weight)
				sv := clamp(g/e.cfg.EventScale) * min(1, float64(s.Weight)/e.cfg.EventPrior) * dec
				fr.dyads[i].third = append(fr.dyads[i].third, thirdItem{c: c, s: sv, date: m,
					what: fmt.Sprintf("events %s-%s %s: %d, Goldstein mean %.1f", s.A, s.B, s.Period, s.N, g)})
			}
		}
	}
	for i := range fr.dyads {
		d := &fr.dyads[i]
		if len(d.events) == 0 {
			d.notes[kEvents] = "no events in the window"
			continue
		}
		var g, w float64
		var n int64
		for _, it := range d.events {
			g += it.gsum * it.decay
			w += it.weight * it.decay
			n += it.events
		}
		d.n[kEvents] = int(n)
		d.notes[kEvents] = fmt.Sprintf("%d events in %d months, decayed Goldstein mean %.2f over %.0f sources", n, len(d.events), g/w, w)
	}
}

func (e *Engine) gatherAid(f *facts, fr *frame) {
	from := fr.at.AddDate(-int(e.cfg.AidHorizon), 0, 0)
	focal := fr.focal.ID
	for _, s := range f.aid {
		m, err := time.Parse("2006-01", s.Period)
		if err != nil || m.Before(from) || !m.Before(fr.at) || s.EURbn <= 0 {
			continue
		}
		dec := e.decay(years(fr.at.Sub(m.AddDate(0, 0, 15))))
		it := aidItem{eur: s.EURbn, decay: dec, period: s.Period, donor: s.A}
		switch {
		case s.A == focal:
			if i, ok := fr.byID[s.B]; ok {
				fr.dyads[i].aid = append(fr.dyads[i].aid, it)
			}
		case s.B == focal:
			if i, ok := fr.byID[s.A]; ok {
				fr.dyads[i].aid = append(fr.dyads[i].aid, it)
			}
		default:
			i, ok := fr.byID[s.A]
			c := fr.thirdIndex(s.B)
			if ok && c >= 0 {
				fr.dyads[i].third = append(fr.dyads[i].third, thirdItem{c: c, s: 2 * (1 - math.Exp(-s.EURbn/e.cfg.AidScale)) * dec, date: m,
					what: fmt.Sprintf("aid %s to %s %s: EUR %.3f bn", s.A, s.B, s.Period, s.EURbn)})
			}
		}
	}
	for i := range fr.dyads {
		d := &fr.dyads[i]
		if len(d.aid) == 0 {
			d.notes[kAid] = "no aid record"
			continue
		}
		var sum, dec float64
		for _, it := range d.aid {
			sum += it.eur
			dec += it.eur * it.decay
		}
		d.n[kAid] = len(d.aid)
		d.notes[kAid] = fmt.Sprintf("EUR %.2f bn in %d months (decayed %.2f)", sum, len(d.aid), dec)
	}
}

// party is a state an act reaches: named, or as a full member of a named bloc.
type party struct {
	id    string
	share float64
	via   string // the bloc, when reached through one
}

func (e *Engine) reach(f *facts, name string, at time.Time) []party {
	if _, ok := e.cfg.BlocWeights[name]; ok {
		var out []party
		for _, m := range f.membersOf(name, at) {
			out = append(out, party{id: m, share: e.cfg.OrgShare, via: name})
		}
		return out
	}
	if strings.ToUpper(name) == "UN" {
		return nil
	}
	return []party{{id: name, share: 1}}
}

// regimeCuts returns, per state, the date of its latest regime change before at: the
// acts of or toward its fallen government, before that date, no longer count.
func regimeCuts(acts []entente.Act, at time.Time) map[string]time.Time {
	cuts := map[string]time.Time{}
	for _, a := range acts {
		if a.Kind == "regime_change" && a.Date.Before(at) && a.Date.After(cuts[a.Actor]) {
			cuts[a.Actor] = a.Date
		}
	}
	return cuts
}

// ageRef is the date an act's age is measured from at date at: its date, its end when
// it ended, or at itself for an ongoing state of affairs.
func ageRef(a *entente.Act, at time.Time) time.Time {
	switch {
	case !a.End.IsZero() && a.End.Before(at):
		return a.End
	case !a.End.IsZero() || ongoingKinds[a.Kind]:
		return at
	}
	return a.Date
}

func (e *Engine) gatherActs(f *facts, fr *frame) {
	from := fr.at.AddDate(-int(e.cfg.ActHorizon), 0, 0)
	cuts := regimeCuts(f.acts, fr.at)
	focal := fr.focal.ID
	cut := func(id string, a *entente.Act) bool {
		c, ok := cuts[id]
		return ok && a.Date.Before(c)
	}
	for ai := range f.acts {
		a := &f.acts[ai]
		if a.Date.Before(from) || !a.Date.Before(fr.at) {
			continue
		}
		w := e.cfg.KindWeights[a.Kind]
		if w == 0 {
			continue
		}
		dec := e.decay(years(fr.at.Sub(ageRef(a, fr.at))))
		signed := float64(a.Stance) * w * dec
		// Each act counts once per dyad, whichever party it names first: a bilateral
		// act is one ledger entry (mutual: true), not one per direction.
		actors := e.reach(f, a.Actor, a.Date)
		counters := e.reach(f, a.Counterpart, a.Date)
		for _, p := range actors {
			for _, q := range counters {
				if p.id == q.id || cut(p.id, a) || cut(q.id, a) {
					continue
				}
				var other string
				switch {
				case p.id == focal:
					other = q.id
				case q.id == focal:
					other = p.id
				default:
					continue
				}
				i, ok := fr.byID[other]
				if !ok {
					continue
				}
				share := p.share * q.share
				d := &fr.dyads[i]
				d.ledger = append(d.ledger, ledgerItem{s: signed * share, act: a, share: share, decay: dec})
				if a.Kind == "alliance_treaty" && share == 1 && a.Stance == entente.Cooperative && (a.End.IsZero() || !a.End.Before(fr.at)) {
					d.flags = appendFlag(d.flags, "treaty")
				}
			}
		}
		if len(fr.third) == 0 {
			continue
		}
		// The third-party term reads the other state's own dealings: the acts it does,
		// and the cooperation it accepts; not what is done to it against its will.
		for j, pair := range [2][2]string{{a.Actor, a.Counterpart}, {a.Counterpart, a.Actor}} {
			if j == 1 && a.Stance != entente.Cooperative {
				continue
			}
			i, ok := fr.byID[pair[0]]
			c := fr.thirdIndex(pair[1])
			if !ok || c < 0 || pair[0] == pair[1] || cut(pair[0], a) || cut(pair[1], a) {
				continue
			}
			fr.dyads[i].third = append(fr.dyads[i].third, thirdItem{c: c, s: signed, act: a, date: a.Date,
				what: fmt.Sprintf("%s %s %s: %s", a.Actor, a.Kind, a.Counterpart, a.Summary)})
		}
	}
	for i := range fr.dyads {
		d := &fr.dyads[i]
		if len(d.ledger) == 0 {
			d.notes[kLedger] = "no ledger act"
		} else {
			var pos, neg float64
			for _, it := range d.ledger {
				if it.s > 0 {
					pos += it.s
				} else {
					neg -= it.s
				}
			}
			d.n[kLedger] = len(d.ledger)
			d.notes[kLedger] = fmt.Sprintf("%d acts, decayed weight +%.2f / -%.2f", len(d.ledger), pos, neg)
		}
	}
}
