package index

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/entente/entente"
)

// Evidence is one item behind a signal, with its source.
type Evidence struct {
	Signal string
	Date   time.Time
	// Effect is how much the signal's pull (value × mass) would fall without this item
	// (leave one out): positive items pulled the signal up.
	Effect float64
	Text   string
	Source string // a URL, a roll-call id, a dataset and record
}

// ThirdParty is a third party of the third-party term.
type ThirdParty struct {
	Name   string  // a state ID or a bloc code
	Lagged float64 // its direct score with the focal state a window earlier
	Weight float64 // −Lagged
}

// Explanation takes one score apart.
type Explanation struct {
	Focal        entente.Country
	From, At     time.Time
	Score        Score
	Rank, Of     int // the state's rank among the scored states
	Evidence     [NumSignals][]Evidence
	ThirdParties []ThirdParty
	// Force lists the force records of the pair in the year of the date (war, rivalry,
	// disputes, arms: docs/force.md): shown beside the score, not terms of it yet, so
	// their Effect is NaN.
	Force []Evidence
}

// Explain scores other against focal at date at and lists, per signal, the top
// evidence items (at most top) by their effect.
// The states are named as everywhere (RUS, 365, "Russia") and resolved with Resolve;
// see ExplainDyad.
func (e *Engine) Explain(ctx context.Context, focal, other string, at time.Time, top int) (*Explanation, error) {
	fc, err := e.Resolve(focal, at)
	if err != nil {
		return nil, err
	}
	oc, err := e.Resolve(other, at)
	if err != nil {
		return nil, err
	}
	return e.ExplainDyad(ctx, fc, oc, at, top)
}

// ExplainDyad scores oc against fc at date at and lists, per signal, the top evidence
// items (at most top) by their effect.
func (e *Engine) ExplainDyad(ctx context.Context, fc, oc entente.Country, at time.Time, top int) (*Explanation, error) {
	fr, err := e.frameAt(ctx, fc, at) // refuses a date after the data
	if err != nil {
		return nil, err
	}
	i, ok := fr.byID[oc.ID]
	if !ok {
		return nil, entente.Errorf(entente.ENOTFOUND, "%s (%s) is not a state other than the focal one at %s", oc.Name, oc.ID, at.AddDate(0, 0, -1).Format(time.DateOnly))
	}
	r := e.rank(fr)
	x := &Explanation{Focal: fc, From: fr.from, At: at, Of: len(r.Scores)}
	for j, s := range r.Scores {
		if s.Other.ID == oc.ID {
			x.Score, x.Rank = s, j+1
		}
	}
	d := &fr.dyads[i]
	if x.Rank == 0 {
		x.Score = e.score(fr, d, false)
	}
	for c := range fr.third {
		x.ThirdParties = append(x.ThirdParties, ThirdParty{Name: fr.third[c], Lagged: fr.thirdLag[c], Weight: fr.thirdWeight[c]})
	}
	sort.Slice(x.ThirdParties, func(a, b int) bool { return x.ThirdParties[a].Weight > x.ThirdParties[b].Weight })
	x.Evidence[kUN] = e.unEvidence(fr, d)
	x.Evidence[kAlliances] = allianceEvidence(d)
	x.Evidence[kBlocs] = blocEvidence(d)
	if x.Evidence[kEvents], err = e.eventEvidence(ctx, fr, d); err != nil {
		return nil, err
	}
	x.Evidence[kLedger] = e.ledgerEvidence(d)
	x.Evidence[kAid] = e.aidEvidence(fr, d)
	x.Evidence[kIdeal] = idealEvidence(d)
	x.Evidence[kForce] = e.forceEvidence(d)
	x.Evidence[kThird] = e.thirdEvidence(fr, d)
	for k := range x.Evidence {
		ev := x.Evidence[k]
		sort.SliceStable(ev, func(a, b int) bool {
			if math.Abs(ev[a].Effect) != math.Abs(ev[b].Effect) {
				return math.Abs(ev[a].Effect) > math.Abs(ev[b].Effect)
			}
			return ev[a].Date.After(ev[b].Date)
		})
		if top > 0 && len(ev) > top {
			ev = ev[:top]
		}
		x.Evidence[k] = ev
	}
	if x.Force, err = e.ForceEvidence(ctx, x.Focal, oc, at.AddDate(0, 0, -1).Year()); err != nil {
		return nil, err
	}
	return x, nil
}

// loo returns, for each of n items, value(all) − value(all but the item).
func loo(n int, value func(idx []int) (v, m float64)) []float64 {
	pull := func(idx []int) float64 {
		v, m := value(idx)
		if math.IsNaN(v) {
			return 0
		}
		return v * m
	}
	all := pull(nil)
	out := make([]float64, n)
	idx := make([]int, 0, n)
	for i := range n {
		idx = idx[:0]
		for j := range n {
			if j != i {
				idx = append(idx, j)
			}
		}
		out[i] = all - pull(idx)
	}
	return out
}

var voteWord = [3]string{"yes", "abstain", "no"}

func (e *Engine) unEvidence(fr *frame, d *dyad) []Evidence {
	effects := loo(len(d.un), func(idx []int) (float64, float64) { return fr.unValue(&e.cfg, d, idx) })
	out := make([]Evidence, len(d.un))
	for i, p := range d.un {
		b := fr.ballots[d.unRC[i]]
		var counts [3]int
		for _, v := range b.Votes {
			if v.Cast() {
				counts[v-1]++
			}
		}
		src := b.Source + " roll call " + b.RollCallID
		if b.Source == entente.SourceUNDL {
			src = "https://digitallibrary.un.org/record/" + b.RollCallID
		}
		out[i] = Evidence{Signal: SigUNVotes, Date: b.Date, Effect: effects[i], Source: src,
			Text: fmt.Sprintf("%s %s, %s %s (all: %d yes, %d abstain, %d no)", fr.focal.ID, voteWord[p/3], d.other.ID, voteWord[p%3], counts[0], counts[1], counts[2])}
	}
	return out
}

func allianceEvidence(d *dyad) []Evidence {
	if math.IsNaN(d.alliance) {
		return nil
	}
	return []Evidence{{Signal: SigAlliances, Effect: d.alliance, Text: d.notes[kAlliances], Source: "ATOP v5.1 dyad-years (atopdata.org)"}}
}

func idealEvidence(d *dyad) []Evidence {
	if math.IsNaN(d.ideal) {
		return nil
	}
	return []Evidence{{Signal: SigIdeal, Effect: d.ideal, Text: d.notes[kIdeal],
		Source: "UN General Assembly ideal points (Bailey, Strezhnev and Voeten 2017; docs/idealpoints.md)"}}
}

func (e *Engine) forceEvidence(d *dyad) []Evidence {
	effects := loo(len(d.force), func(idx []int) (float64, float64) { return e.forceValue(d.force, idx) })
	out := make([]Evidence, len(d.force))
	for i, it := range d.force {
		what := it.rec.text()
		out[i] = Evidence{Signal: SigForce, Date: entente.Day(it.rec.year, 12, 31), Effect: effects[i], Source: what,
			Text: fmt.Sprintf("%s %d: %s [weight %.2f, strength %.2f, decay %.2f]", it.rec.kind, it.rec.year, what,
				e.cfg.ForceWeights[it.rec.kind], it.rec.strength, it.decay)}
	}
	return out
}

func blocEvidence(d *dyad) []Evidence {
	var out []Evidence
	for _, s := range d.blocSpells {
		if s.state == "" {
			continue
		}
		src := ""
		if len(s.cites) > 0 {
			src = citation(s.cites[0])
		}
		text := fmt.Sprintf("%s %s of %s since %s", s.state, s.status, s.bloc, s.from.Format(time.DateOnly))
		if !s.until.IsZero() {
			text += " until " + s.until.Format(time.DateOnly)
		}
		out = append(out, Evidence{Signal: SigBlocs, Date: s.from, Text: text, Source: src})
	}
	return out
}

func citation(c entente.Citation) string {
	if c.URL != "" {
		return c.URL
	}
	parts := []string{c.Publisher, c.Title}
	if !c.Published.IsZero() {
		parts = append(parts, c.Published.Format(time.DateOnly))
	}
	return strings.Join(parts, ", ")
}

func actEvidence(a *entente.Act, effect float64) Evidence {
	src := ""
	if len(a.Sources) > 0 {
		src = citation(a.Sources[0])
	}
	sign := "+"
	if a.Stance == entente.Hostile {
		sign = "-"
	}
	return Evidence{Signal: SigLedger, Date: a.Date, Effect: effect, Source: src,
		Text: fmt.Sprintf("[%s] %s %s %s (%s): %s", a.ID, a.Actor, a.Kind, a.Counterpart, sign, a.Summary)}
}

func (e *Engine) ledgerEvidence(d *dyad) []Evidence {
	effects := loo(len(d.ledger), func(idx []int) (float64, float64) { return e.ledgerValue(d.ledger, idx) })
	out := make([]Evidence, len(d.ledger))
	for i, it := range d.ledger {
		out[i] = actEvidence(it.act, effects[i])
		out[i].Text += fmt.Sprintf(" [weight %.2f, decay %.2f", e.cfg.KindWeights[it.act.Kind], it.decay)
		if it.share != 1 {
			out[i].Text += fmt.Sprintf(", through a bloc ×%.2f", it.share)
		}
		out[i].Text += "]"
	}
	return out
}

func (e *Engine) eventEvidence(ctx context.Context, fr *frame, d *dyad) ([]Evidence, error) {
	if len(d.events) == 0 {
		return nil, nil
	}
	effects := loo(len(d.events), func(idx []int) (float64, float64) { return e.eventValue(d.events, idx) })
	from := fr.at.AddDate(-int(e.cfg.EventHorizon), 0, 0)
	urls, err := e.src.EventEvidence(ctx, entente.EventQuery{From: from, To: fr.at, By: "month", A: fr.focal.ID, B: d.other.ID}, 3)
	if err != nil {
		return nil, err
	}
	byPeriod := map[string][]string{}
	for _, u := range urls {
		byPeriod[u.Period] = append(byPeriod[u.Period], u.URL)
	}
	out := make([]Evidence, len(d.events))
	for i, it := range d.events {
		m, _ := time.Parse("2006-01", it.period)
		out[i] = Evidence{Signal: SigEvents, Date: m, Effect: effects[i], Source: strings.Join(byPeriod[it.period], " "),
			Text: fmt.Sprintf("%s: %d events, Goldstein mean %.2f over %.0f sources (decay %.2f)", it.period, it.events, it.gsum/it.weight, it.weight, it.decay)}
	}
	return out, nil
}

func (e *Engine) aidEvidence(fr *frame, d *dyad) []Evidence {
	effects := loo(len(d.aid), func(idx []int) (float64, float64) { return e.aidValue(d.aid, idx) })
	out := make([]Evidence, len(d.aid))
	for i, it := range d.aid {
		m, _ := time.Parse("2006-01", it.period)
		out[i] = Evidence{Signal: SigAid, Date: m, Effect: effects[i], Source: "Kiel Institute Ukraine Support Tracker",
			Text: fmt.Sprintf("%s: aid from %s EUR %.3f bn (decay %.2f)", it.period, it.donor, it.eur, it.decay)}
	}
	return out
}

func (e *Engine) thirdEvidence(fr *frame, d *dyad) []Evidence {
	effects := loo(len(d.third), func(idx []int) (float64, float64) { return e.thirdValue(fr, d.third, idx) })
	out := make([]Evidence, len(d.third))
	for i, it := range d.third {
		src := ""
		if it.act != nil && len(it.act.Sources) > 0 {
			src = citation(it.act.Sources[0])
		}
		what := it.what
		if it.rec != nil {
			// the record's words are its source (as the force term's evidence)
			src = it.rec.text()
			what = fmt.Sprintf("%s %d [force weight %.2f × third_force %.2f, strength %.2f]", it.rec.kind, it.rec.year,
				e.cfg.ForceWeights[it.rec.kind], e.cfg.ThirdForce, it.rec.strength)
		}
		out[i] = Evidence{Signal: SigThird, Date: it.date, Effect: effects[i], Source: src,
			Text: fmt.Sprintf("with %s (lagged %.2f): %s", fr.third[it.c], fr.thirdLag[it.c], what)}
	}
	return out
}

// FormatRanking writes a ranking as text, for messages and examples.
func FormatRanking(r *Ranking) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s at %s\n", r.Focal.ID, r.At.Format(time.DateOnly))
	for i, s := range r.Scores {
		fmt.Fprintf(&b, "  %2d %s %6.3f [%6.3f %6.3f] %-14s %-20s", i+1, s.Other.ID, s.Score, s.Lo, s.Hi, s.Class, strings.Join(s.Flags, ","))
		for k, c := range s.Signals {
			if c.Available() {
				fmt.Fprintf(&b, " %s=%.2f", Signals[k], c.Value)
			}
		}
		b.WriteByte('\n')
	}
	return b.String()
}
