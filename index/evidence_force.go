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

// The force and ideal-point terms of the index (docs/index.md). The force records of a
// focal state are read by force_load.go (and kept by the engine, keyed by the stored
// coverage, so that a new import gives a new load); the ideal points of the sessions a
// date needs are read with the facts (facts.go).

// forceRec is one dyad-year record of the force signal: a kind (a key of
// Config.ForceWeights), the year, its strength in [0, 1] and what it is.
type forceRec struct {
	other    string
	year     int
	kind     string
	strength float64
	what     string
	// describe, when set, gives what instead: the arms records, thousands for a large
	// exporter, are only described when explain shows one.
	describe func() string
}

// text says what the record is: the source's words, with its figures.
func (r *forceRec) text() string {
	if r.describe != nil {
		return r.describe()
	}
	return r.what
}

// forceItem is a force record as evidence of one dyad at one date.
type forceItem struct {
	rec   *forceRec
	s     float64 // signed, weighted and decayed
	decay float64
}

// idealData is one source's ideal points by year: COW code → position, and the
// standard deviation of the year's positions.
type idealData struct {
	source string
	years  map[int]map[int]float64
	sd     map[int]float64
}

func pairKey(a, b string) string {
	if a > b {
		a, b = b, a
	}
	return a + "|" + b + "|"
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func uniqueInts(xs []int) []int {
	sort.Ints(xs)
	out := xs[:0]
	for i, x := range xs {
		if i == 0 || x != xs[i-1] {
			out = append(out, x)
		}
	}
	return out
}

func joinInts(xs []int) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = fmt.Sprint(x)
	}
	return strings.Join(s, ", ")
}

// forceYears returns the years of force records a frame at date at scores, firstYear to
// lastYear, and from, the first year it reads.
func (e *Engine) forceYears(at time.Time) (from, firstYear, lastYear int) {
	lastYear = at.Year() - 1 // the records of a year are known once the year is over
	firstYear = lastYear - int(e.cfg.ForceHorizon) + 1
	// The first year read is the decade of the year before: nearby dates, and a date and
	// its lag a year earlier, share one load and the engine's cache.
	from = firstYear - 1
	from -= ((from % 10) + 10) % 10
	return from, firstYear, lastYear
}

// gatherForce adds the force records of every dyad: the records of whole years before
// the date (a year's record is known once the year is over), within ForceHorizon years,
// each weighted by its kind and strength and decayed from the end of its year.
func (e *Engine) gatherForce(ctx context.Context, f *facts, fr *frame) error {
	from, firstYear, lastYear := e.forceYears(fr.at)
	fd, err := e.loadForce(ctx, f.forceCov, fr.focal, from)
	if err != nil {
		return err
	}
	if fd == nil {
		for i := range fr.dyads {
			fr.dyads[i].notes[kForce] = "no force data"
		}
		return nil
	}
	for _, r := range fd.recs {
		if r.year < firstYear || r.year > lastYear {
			continue
		}
		i, ok := fr.byID[r.other]
		if !ok {
			continue
		}
		// A kind weighed 0 (arms, co-belligerence by default) is kept as evidence that
		// counts 0: explain shows it, the value does not read it.
		s, dec := e.forceSigned(&r, fr.at)
		d := &fr.dyads[i]
		d.force = append(d.force, forceItem{rec: &r, s: s, decay: dec})
	}
	if err := e.thirdForce(ctx, f, fr, from, firstYear, lastYear); err != nil {
		return err
	}
	var ends []string
	for _, src := range []string{entente.SourceUCDP, entente.SourceTSS, entente.SourceTD, entente.SourceGML, entente.SourceSIPRI} {
		if y, ok := fd.last[src]; ok {
			ends = append(ends, fmt.Sprintf("%s to %d", strings.ToUpper(src), y))
		}
	}
	cov := strings.Join(ends, ", ")
	for i := range fr.dyads {
		d := &fr.dyads[i]
		d.n[kForce] = len(d.force)
		if len(d.force) == 0 {
			d.notes[kForce] = fmt.Sprintf("no force record %d-%d (%s)", firstYear, lastYear, cov)
			continue
		}
		var pos, neg float64
		kinds := map[string]bool{}
		for _, it := range d.force {
			kinds[it.rec.kind] = true
			if it.s > 0 {
				pos += it.s
			} else {
				neg -= it.s
			}
		}
		d.notes[kForce] = fmt.Sprintf("%d records (%s), decayed weight +%.2f / -%.2f", len(d.force), strings.Join(sortedKeys(kinds), ", "), pos, neg)
		if pos+neg == 0 {
			d.notes[kForce] += " (their kinds weigh 0: force." + strings.Join(sortedKeys(kinds), ", force.") + ")"
		}
	}
	return nil
}

// thirdForce adds to the third-party term the other states' force records with each
// third party that is a state: a war, rivalry or dispute with it is hostility toward a
// state strongly misaligned with the focal state, co-belligerence and arms with it
// dealings with one; each weighed as in the force term, times ThirdForce.
func (e *Engine) thirdForce(ctx context.Context, f *facts, fr *frame, from, firstYear, lastYear int) error {
	if e.cfg.ThirdForce <= 0 || len(fr.third) == 0 {
		return nil
	}
	for c, id := range fr.third {
		j, ok := fr.byID[id]
		if !ok {
			continue // a bloc, or a state gone by the date
		}
		fd, err := e.loadForce(ctx, f.forceCov, fr.dyads[j].other, from)
		if err != nil {
			return err
		}
		if fd == nil {
			return nil
		}
		e.addThirdForce(fr, c, fd, firstYear, lastYear)
	}
	return nil
}

// addThirdForce adds the records of fd, the force records of third party c, with the
// frame's other states (not the focal state) from firstYear to lastYear as items of
// their third-party term: a war, rivalry or dispute with c is hostility toward it
// (negative cooperation), co-belligerence and arms cooperation; weighed, signed and
// decayed as in the force term, times ThirdForce. A kind weighed 0 adds nothing.
func (e *Engine) addThirdForce(fr *frame, c int, fd *forceData, firstYear, lastYear int) {
	for ri := range fd.recs {
		r := &fd.recs[ri]
		if r.year < firstYear || r.year > lastYear || r.other == fr.focal.ID {
			continue
		}
		i, ok := fr.byID[r.other]
		s, _ := e.forceSigned(r, fr.at)
		if !ok || s == 0 {
			continue
		}
		d := &fr.dyads[i]
		d.third = append(d.third, thirdItem{c: c, s: s * e.cfg.ThirdForce, date: entente.Day(r.year, 12, 31), rec: r})
	}
}

// forceSigned returns a force record's signed weight at date at (war, rivalry and
// disputes negative; co-belligerence and arms positive): its kind's weight × its
// strength × its decay from the end of its year, and the decay.
func (e *Engine) forceSigned(r *forceRec, at time.Time) (s, dec float64) {
	sign := 1.0
	if r.kind == "war" || r.kind == "rivalry" || r.kind == "disputes" {
		sign = -1
	}
	dec = math.Exp2(-years(at.Sub(entente.Day(r.year+1, 1, 1))) / e.cfg.ForceHalfLife)
	return sign * e.cfg.ForceWeights[r.kind] * r.strength * dec, dec
}

// forceValue is the balance (F+ − F−) / (F+ + F−) of the records' signed, decayed
// weights, with the mass (F+ + F−) / (F+ + F− + c), as the ledger's.
func (e *Engine) forceValue(items []forceItem, idx []int) (v, m float64) {
	return balance(len(items), idx, func(i int) float64 { return items[i].s }, e.cfg.ForcePrior)
}

// loadIdeal returns the ideal points of the sessions from to to that the index reads:
// the published ones (variant "all") when IdealBSV is set and they are stored, else
// entente's own; nil when neither.
func (e *Engine) loadIdeal(ctx context.Context, from, to int) (*idealData, error) {
	ips, ok := e.src.(entente.IdealPointStore)
	if !ok {
		return nil, nil
	}
	order := []string{entente.SourceEntente, entente.SourceBSV}
	if e.cfg.IdealBSV > 0 {
		order = []string{entente.SourceBSV, entente.SourceEntente}
	}
	for _, src := range order {
		pts, err := ips.IdealPoints(ctx, entente.IdealPointQuery{Source: src, Variant: "all", From: from, To: to})
		if err != nil {
			return nil, err
		}
		if len(pts) == 0 {
			continue
		}
		d := &idealData{source: src, years: map[int]map[int]float64{}, sd: map[int]float64{}}
		for _, p := range pts {
			if d.years[p.Year] == nil {
				d.years[p.Year] = map[int]float64{}
			}
			d.years[p.Year][p.CCode] = p.X
		}
		for y, m := range d.years {
			// Summed in ccode order: the same sums, to the last bit, on every run.
			ccs := make([]int, 0, len(m))
			for cc := range m {
				ccs = append(ccs, cc)
			}
			sort.Ints(ccs)
			var s, s2 float64
			for _, cc := range ccs {
				x := m[cc]
				s += x
				s2 += x * x
			}
			n := float64(len(m))
			d.sd[y] = math.Sqrt(max(s2/n-(s/n)*(s/n), 0))
		}
		return d, nil
	}
	return nil, nil
}

// gatherIdeal sets the ideal signal of every dyad from the latest session (year Y,
// opened in September Y) over by the date (mid-September Y+1), within three years, in
// which the focal state has a point: clamp(1 − 2·z / IdealScale), z the distance in
// standard deviations of that year's points. The same session serves every pair.
func (e *Engine) gatherIdeal(f *facts, fr *frame) {
	id := f.ideal
	if id == nil || fr.focal.COW == 0 {
		for i := range fr.dyads {
			fr.dyads[i].notes[kIdeal] = "no ideal points"
		}
		return
	}
	year := fr.at.Year() - 1
	if fr.at.Before(time.Date(fr.at.Year(), 9, 15, 0, 0, 0, 0, time.UTC)) {
		year--
	}
	y := year
	for ; y > year-3; y-- {
		if _, ok := id.years[y][fr.focal.COW]; ok && id.sd[y] > 0 {
			break
		}
	}
	if y == year-3 {
		for i := range fr.dyads {
			fr.dyads[i].notes[kIdeal] = fmt.Sprintf("no %s ideal point of the focal state for the sessions %d-%d", id.source, year-2, year)
		}
		return
	}
	fx := id.years[y][fr.focal.COW]
	for i := range fr.dyads {
		d := &fr.dyads[i]
		x, ok := id.years[y][d.other.COW]
		if d.other.COW == 0 || !ok {
			d.notes[kIdeal] = fmt.Sprintf("no %s ideal point in session %d", id.source, y)
			continue
		}
		z := math.Abs(fx-x) / id.sd[y]
		d.ideal = clamp(1 - 2*z/max(e.cfg.IdealScale, 1e-9))
		d.n[kIdeal] = 1
		d.notes[kIdeal] = fmt.Sprintf("%s ideal points, session %d: %.2f and %.2f, distance %.2f SD", id.source, y, fx, x, z)
	}
}
