package index

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/entente/entente"
)

// Point is one date of a dyad's series.
type Point struct {
	Period  string    // "2019" for a calendar year; "2025-06" for the 12 months to a month's end
	At      time.Time // exclusive end of the window
	Score   float64   // NaN when unknown
	Lo, Hi  float64
	Class   string
	Contrib [NumSignals]float64 // each signal's contribution (NaN when unavailable)
	reps    []float64
}

// Change is a change point in a dyad's series.
type Change struct {
	Period     string    // the first period of the new level
	Date       time.Time // the start of that period
	Before     float64   // mean score of the segment before
	After      float64   // mean score of the segment after
	Shift      float64   // After − Before
	Confidence float64   // share of bootstrap series with a change within one period of it
	// Deltas is, per signal, the change of its mean contribution across the break: the
	// signals that moved.
	Deltas   [NumSignals]float64
	Evidence []Evidence // ledger acts within a year of the break
}

// String formats a change for messages: "2024 down -0.42 (conf 0.93)".
func (c Change) String() string {
	dir := "up"
	if c.Shift < 0 {
		dir = "down"
	}
	return fmt.Sprintf("%s %s %+.2f (conf %.2f)", c.Period, dir, c.Shift, c.Confidence)
}

// Mover is one state's series with the focal state and its change points.
type Mover struct {
	Other   entente.Country
	Series  []Point
	Changes []Change
	Moved   float64 // the largest |Shift|; 0 without a change point
	acts    map[string]*entente.Act
}

// DriftResult is the series of every state with a focal state, movers first.
type DriftResult struct {
	Focal   entente.Country
	Periods []string
	Movers  []Mover // by Moved, largest first, then by ID
}

// Drift computes the yearly series of every state's score with focal for the calendar
// years from the year of from to the year before to (to is exclusive; a to inside a
// year adds a last point for the 12 months ending then), detects change points in each
// series with PELT and orders the states by their largest shift.
//
// focal is named as everywhere (RUS, 365, "Russia") and resolved with Resolve at to;
// see DriftState.
func (e *Engine) Drift(ctx context.Context, focal string, from, to time.Time) (*DriftResult, error) {
	fc, err := e.Resolve(focal, to)
	if err != nil {
		return nil, err
	}
	return e.DriftState(ctx, fc, from, to)
}

// DriftState is Drift for a resolved focal state.
func (e *Engine) DriftState(ctx context.Context, fc entente.Country, from, to time.Time) (*DriftResult, error) {
	dates, labels := driftDates(from, to)
	if len(dates) == 0 {
		return nil, entente.Errorf(entente.EINVALID, "drift: empty range %s..%s", from.Format(time.DateOnly), to.Format(time.DateOnly))
	}
	if err := e.CheckDataEnd(ctx, dates[len(dates)-1]); err != nil { // a series past the data: dataend.go
		return nil, err
	}
	first := dates[0].AddDate(0, -e.windowMonths(), 0)
	f, err := e.load(ctx, first, dates[len(dates)-1])
	if err != nil {
		return nil, err
	}
	res := &DriftResult{Focal: fc, Periods: labels}
	movers := map[string]*Mover{}
	var order []string
	lags := map[time.Time]map[string]float64{}
	for k, at := range dates {
		prev := at.AddDate(0, -e.windowMonths(), 0)
		lag, ok := lags[prev]
		if !ok {
			if lag, err = e.direct(ctx, f, fc, prev); err != nil {
				return nil, err
			}
		}
		fr, err := e.frame(ctx, f, fc, at, lag)
		if err != nil {
			return nil, err
		}
		direct := map[string]float64{}
		for i := range fr.dyads {
			d := &fr.dyads[i]
			id := d.other.ID
			m := movers[id]
			if m == nil {
				m = &Mover{Other: d.other, acts: map[string]*entente.Act{}}
				movers[id] = m
				order = append(order, id)
				for j := 0; j < k; j++ {
					m.Series = append(m.Series, unknownPoint(labels[j], dates[j]))
				}
			}
			s := e.score(fr, d, true)
			p := Point{Period: labels[k], At: at, Score: s.Score, Lo: s.Lo, Hi: s.Hi, Class: s.Class, reps: s.reps}
			for c := range NumSignals {
				p.Contrib[c] = math.NaN()
				if s.Signals[c].Available() {
					p.Contrib[c] = s.Signals[c].Contribution
				}
			}
			m.Series = append(m.Series, p)
			for _, it := range d.ledger {
				m.acts[it.act.ID] = it.act
			}
			if ds := e.score(fr, d, false); !math.IsNaN(ds.Score) {
				direct[id] = withoutThird(ds)
			}
		}
		lags[at] = direct
		for _, id := range order {
			if m := movers[id]; len(m.Series) < k+1 {
				m.Series = append(m.Series, unknownPoint(labels[k], at))
			}
		}
	}
	for _, id := range order {
		m := movers[id]
		e.changes(m)
		res.Movers = append(res.Movers, *m)
	}
	sort.SliceStable(res.Movers, func(i, j int) bool {
		a, b := res.Movers[i], res.Movers[j]
		if a.Moved != b.Moved {
			return a.Moved > b.Moved
		}
		return a.Other.ID < b.Other.ID
	})
	return res, nil
}

// withoutThird is the score of s recomputed without the third-party term: the direct
// score a later period reads as lagged alignment.
func withoutThird(s Score) float64 {
	var sum, w float64
	for k, c := range s.Signals {
		if k == kThird || !c.Available() {
			continue
		}
		sum += c.Weight * c.Value
		w += c.Weight
	}
	if w == 0 {
		return math.NaN()
	}
	return sum / w
}

func unknownPoint(label string, at time.Time) Point {
	p := Point{Period: label, At: at, Score: math.NaN(), Lo: math.NaN(), Hi: math.NaN(), Class: ClassUnknown}
	for c := range NumSignals {
		p.Contrib[c] = math.NaN()
	}
	return p
}

// driftDates returns the evaluation dates (exclusive window ends) of calendar years
// from the year of from up to to, and their labels.
func driftDates(from, to time.Time) ([]time.Time, []string) {
	var dates []time.Time
	var labels []string
	for y := from.Year(); ; y++ {
		end := entente.Day(y+1, 1, 1)
		if end.After(to) {
			if start := entente.Day(y, 1, 1); to.After(start) {
				dates = append(dates, to)
				labels = append(labels, to.AddDate(0, 0, -1).Format("2006-01"))
			}
			break
		}
		dates = append(dates, end)
		labels = append(labels, strconv.Itoa(y))
	}
	return dates, labels
}

// changes finds the change points of m's series: PELT with each point weighted by its
// precision 1/σ², σ² the variance of its bootstrap replicates (at least NoiseFloor²),
// and penalty PenaltyFactor · ln n; each change's confidence is the share of bootstrap
// series (replicate b at every point) in which PELT finds a change within one period
// of it.
func (e *Engine) changes(m *Mover) {
	var idx []int
	var x, w []float64
	floor := e.cfg.NoiseFloor * e.cfg.NoiseFloor
	for i, p := range m.Series {
		if math.IsNaN(p.Score) {
			continue
		}
		idx = append(idx, i)
		x = append(x, p.Score)
		w = append(w, 1/math.Max(variance(p.reps), floor))
	}
	if len(x) < 3 {
		return
	}
	pen := e.cfg.PenaltyFactor * math.Log(float64(len(x)))
	cps := PELT(x, w, pen)
	if len(cps) == 0 {
		return
	}
	hits := make([]int, len(cps))
	reps := 0
	for b := 0; ; b++ {
		xb := make([]float64, len(x))
		ok := true
		for j, i := range idx {
			r := m.Series[i].reps
			if b >= len(r) {
				ok = false
				break
			}
			xb[j] = r[b]
		}
		if !ok {
			break
		}
		reps++
		found := PELT(xb, w, pen)
		for c, tau := range cps {
			for _, t := range found {
				if t >= tau-1 && t <= tau+1 {
					hits[c]++
					break
				}
			}
		}
	}
	bounds := append(append([]int{0}, cps...), len(x))
	for c, tau := range cps {
		before := mean(x[bounds[c]:tau])
		after := mean(x[tau:bounds[c+2]])
		p := m.Series[idx[tau]]
		ch := Change{Period: p.Period, Date: p.At.AddDate(-1, 0, 0), Before: before, After: after, Shift: after - before}
		if reps > 0 {
			ch.Confidence = float64(hits[c]) / float64(reps)
		}
		for k := range NumSignals {
			var a, b []float64
			for j := bounds[c]; j < tau; j++ {
				if v := m.Series[idx[j]].Contrib[k]; !math.IsNaN(v) {
					b = append(b, v)
				}
			}
			for j := tau; j < bounds[c+2]; j++ {
				if v := m.Series[idx[j]].Contrib[k]; !math.IsNaN(v) {
					a = append(a, v)
				}
			}
			ch.Deltas[k] = meanOr0(a) - meanOr0(b)
		}
		lo, hi := ch.Date.AddDate(-1, 0, 0), ch.Date.AddDate(1, 0, 0)
		for _, a := range m.acts {
			if !a.Date.Before(lo) && a.Date.Before(hi) {
				ch.Evidence = append(ch.Evidence, actEvidence(a, 0))
			}
		}
		// By date, then by text: the acts come from a map, and the order must not vary.
		sort.Slice(ch.Evidence, func(i, j int) bool {
			a, b := ch.Evidence[i], ch.Evidence[j]
			if !a.Date.Equal(b.Date) {
				return a.Date.Before(b.Date)
			}
			return a.Text < b.Text
		})
		m.Changes = append(m.Changes, ch)
		m.Moved = math.Max(m.Moved, math.Abs(ch.Shift))
	}
}

func mean(x []float64) float64 {
	if len(x) == 0 {
		return math.NaN()
	}
	s := 0.0
	for _, v := range x {
		s += v
	}
	return s / float64(len(x))
}

func meanOr0(x []float64) float64 {
	if len(x) == 0 {
		return 0
	}
	return mean(x)
}

func variance(x []float64) float64 {
	if len(x) < 2 {
		return 0
	}
	m := mean(x)
	s := 0.0
	for _, v := range x {
		s += (v - m) * (v - m)
	}
	return s / float64(len(x)-1)
}

// FormatDrift writes the movers with their change points as text, for messages.
func FormatDrift(d *DriftResult) string {
	var b strings.Builder
	fmt.Fprintf(&b, "drift of %s over %s\n", d.Focal.ID, strings.Join(d.Periods, " "))
	for _, m := range d.Movers {
		known := false
		for _, p := range m.Series {
			known = known || !math.IsNaN(p.Score)
		}
		if !known {
			continue
		}
		var xs []string
		for _, p := range m.Series {
			if math.IsNaN(p.Score) {
				xs = append(xs, "-")
			} else {
				xs = append(xs, fmt.Sprintf("%.2f", p.Score))
			}
		}
		fmt.Fprintf(&b, "  %s %s %v\n", m.Other.ID, strings.Join(xs, " "), m.Changes)
	}
	return b.String()
}
