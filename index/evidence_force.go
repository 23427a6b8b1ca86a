package index

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/entente/entente"
)

// The force and ideal-point terms of the index (docs/index.md). Both read small
// datasets that change only on import, so the engine loads them whole once and keeps
// them, keyed by the stored coverage: a new import gives a new key and a new load.

// forceRec is one dyad-year record of the force signal: a kind (a key of
// Config.ForceWeights), the year, its strength in [0, 1] and what it is.
type forceRec struct {
	other    string
	year     int
	kind     string
	strength float64
	what     string
}

// forceItem is a force record as evidence of one dyad at one date.
type forceItem struct {
	rec   *forceRec
	s     float64 // signed, weighted and decayed
	decay float64
}

// forceData is every force record by state (each record is listed under both states).
type forceData struct {
	key     string
	byState map[string][]forceRec
	last    map[string]int // last year of each source
}

// idealData is one source's ideal points by year: COW code → position, and the
// standard deviation of the year's positions.
type idealData struct {
	key    string
	source string
	years  map[int]map[int]float64
	sd     map[int]float64
}

// slowCache holds the engine's force and ideal-point data between calls.
type slowCache struct {
	mu    sync.Mutex
	force *forceData
	ideal *idealData
}

// loadForce returns the force records of the store, loading them when the stored
// coverage changed; nil when the source holds none.
func (e *Engine) loadForce(ctx context.Context) (*forceData, error) {
	cs := e.conflicts()
	if cs == nil {
		return nil, nil
	}
	cov, err := cs.ForceCoverage(ctx)
	if err != nil {
		return nil, err
	}
	if len(cov) == 0 {
		return nil, nil
	}
	key := fmt.Sprint(cov)
	e.cache.mu.Lock()
	defer e.cache.mu.Unlock()
	if e.cache.force != nil && e.cache.force.key == key {
		return e.cache.force, nil
	}
	fd := &forceData{key: key, byState: map[string][]forceRec{}, last: map[string]int{}}
	for _, c := range cov {
		fd.last[c.Source] = c.Last
	}
	add := func(a, b string, r forceRec) {
		if a == "" || b == "" || a == b {
			return
		}
		r.other = b
		fd.byState[a] = append(fd.byState[a], r)
		r.other = a
		fd.byState[b] = append(fd.byState[b], r)
	}
	byCOW := func(cc, year int) string {
		if c, ok := e.countries.ByCOW(cc, entente.Day(year, 7, 1)); ok {
			return c.ID
		}
		return ""
	}

	// War and co-belligerence: the sides of each UCDP conflict-year.
	rows, err := cs.ConflictYears(ctx, entente.ForceQuery{})
	if err != nil {
		return nil, err
	}
	type cyKey struct{ id, year int }
	type cy struct {
		a, b      map[string]bool
		typ       string
		intensity int
	}
	cys := map[cyKey]*cy{}
	var order []cyKey
	for _, r := range rows {
		k := cyKey{r.ConflictID, r.Year}
		c := cys[k]
		if c == nil {
			c = &cy{a: map[string]bool{}, b: map[string]bool{}, typ: r.Type}
			cys[k] = c
			order = append(order, k)
		}
		c.intensity = max(c.intensity, r.Intensity)
		sa, sb := r.Sides()
		for _, id := range sa {
			c.a[id] = true
		}
		for _, id := range sb {
			c.b[id] = true
		}
	}
	strength := func(intensity int) float64 {
		if intensity >= 2 {
			return 1
		}
		return 0.5
	}
	for _, k := range order {
		c := cys[k]
		a, b := sortedKeys(c.a), sortedKeys(c.b)
		what := fmt.Sprintf("UCDP conflict %d, %d (%s, intensity %d)", k.id, k.year, c.typ, c.intensity)
		if c.typ == entente.ConflictInterstate || c.typ == entente.ConflictInternationalised {
			for _, x := range a {
				for _, y := range b {
					add(x, y, forceRec{year: k.year, kind: "war", strength: strength(c.intensity), what: "opposite sides of " + what})
				}
			}
		}
		for _, side := range [][]string{a, b} {
			for i, x := range side {
				for _, y := range side[i+1:] {
					add(x, y, forceRec{year: k.year, kind: "cobelligerence", strength: strength(c.intensity), what: "same side of " + what})
				}
			}
		}
	}

	// Rivalries: one record per dyad-year, however many sources list the rivalry.
	rivs, err := cs.Rivalries(ctx, entente.ForceQuery{})
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	for _, r := range rivs {
		for y := max(r.Start, 1816); y <= r.End; y++ {
			a, b := byCOW(r.CCode1, y), byCOW(r.CCode2, y)
			if a == "" || b == "" {
				continue
			}
			k := pairKey(a, b) + fmt.Sprint(y)
			if seen[k] {
				continue
			}
			seen[k] = true
			add(a, b, forceRec{year: y, kind: "rivalry", strength: 1,
				what: fmt.Sprintf("%s strategic rivalry %q (%d-%d)", strings.ToUpper(r.Source), r.Name, r.Start, r.End)})
		}
	}

	// Militarised disputes: the highest hostility level either state reached toward
	// the other in the year, from 2 (threat) to 5 (war).
	ds, err := cs.Disputes(ctx, entente.ForceQuery{})
	if err != nil {
		return nil, err
	}
	type dy struct {
		a, b string
		year int
	}
	hi := map[dy]int{}
	mids := map[dy][]int{}
	var dorder []dy
	for _, d := range ds {
		a, b := byCOW(d.CCode1, d.Year), byCOW(d.CCode2, d.Year)
		if a == "" || b == "" || a == b {
			continue
		}
		if a > b {
			a, b = b, a
		}
		k := dy{a, b, d.Year}
		if _, ok := hi[k]; !ok {
			dorder = append(dorder, k)
		}
		hi[k] = max(hi[k], d.HostLev)
		mids[k] = append(mids[k], d.DispNum)
	}
	for _, k := range dorder {
		if h := hi[k]; h >= 2 {
			add(k.a, k.b, forceRec{year: k.year, kind: "disputes", strength: float64(h-1) / 4,
				what: fmt.Sprintf("MID %s, %d: hostility level %d", joinInts(uniqueInts(mids[k])), k.year, h)})
		}
	}

	// Arms: TIV delivered each year between two states, as a share of the recipient's
	// imports that year.
	deals, err := cs.ArmsDeals(ctx, entente.ForceQuery{})
	if err != nil {
		return nil, err
	}
	type ay struct {
		from, to string
		year     int
	}
	tiv := map[ay]float64{}
	imports := map[string]float64{} // recipient|year
	var aorder []ay
	for _, d := range deals {
		for _, y := range d.DeliveryYears {
			v := d.TIVInYear(y)
			if math.IsNaN(v) || v <= 0 {
				continue
			}
			imports[fmt.Sprint(d.Recipient.State, "|", y)] += v
			if d.Supplier.State == "" || d.Recipient.State == "" || d.Supplier.State == d.Recipient.State {
				continue
			}
			k := ay{d.Supplier.State, d.Recipient.State, y}
			if _, ok := tiv[k]; !ok {
				aorder = append(aorder, k)
			}
			tiv[k] += v
		}
	}
	for _, k := range aorder {
		tot := imports[fmt.Sprint(k.to, "|", k.year)]
		if tot <= 0 {
			continue
		}
		share := tiv[k] / tot
		add(k.from, k.to, forceRec{year: k.year, kind: "arms", strength: min(1, share/max(e.cfg.ArmsShare, 1e-9)),
			what: fmt.Sprintf("SIPRI %d: %s -> %s TIV %.1f, %.0f%% of %s's imports", k.year, k.from, k.to, tiv[k], 100*share, k.to)})
	}
	e.cache.force = fd
	return fd, nil
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

// gatherForce adds the force records of every dyad: the records of whole years before
// the date (a year's record is known once the year is over), within ForceHorizon years,
// each weighted by its kind and strength and decayed from the end of its year.
func (e *Engine) gatherForce(f *facts, fr *frame) {
	if f.force == nil {
		for i := range fr.dyads {
			fr.dyads[i].notes[kForce] = "no force data"
		}
		return
	}
	lastYear := fr.at.Year() - 1 // the records of a year are known once the year is over
	firstYear := lastYear - int(e.cfg.ForceHorizon) + 1
	for _, r := range f.force.byState[fr.focal.ID] {
		if r.year < firstYear || r.year > lastYear {
			continue
		}
		i, ok := fr.byID[r.other]
		if !ok {
			continue
		}
		w := e.cfg.ForceWeights[r.kind]
		if w == 0 {
			continue
		}
		sign := 1.0
		if r.kind == "war" || r.kind == "rivalry" || r.kind == "disputes" {
			sign = -1
		}
		dec := math.Exp2(-years(fr.at.Sub(entente.Day(r.year+1, 1, 1))) / e.cfg.ForceHalfLife)
		d := &fr.dyads[i]
		d.force = append(d.force, forceItem{rec: &r, s: sign * w * r.strength * dec, decay: dec})
	}
	var ends []string
	for _, src := range []string{entente.SourceUCDP, entente.SourceTSS, entente.SourceTD, entente.SourceGML, entente.SourceSIPRI} {
		if y, ok := f.force.last[src]; ok {
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
	}
}

// forceValue is the balance (F+ − F−) / (F+ + F−) of the records' signed, decayed
// weights, with the mass (F+ + F−) / (F+ + F− + c).
func (e *Engine) forceValue(items []forceItem, idx []int) (v, m float64) {
	if len(items) == 0 {
		return math.NaN(), 0
	}
	var sum, abs float64
	each(len(items), idx, func(i int) {
		sum += items[i].s
		abs += math.Abs(items[i].s)
	})
	if abs == 0 {
		return math.NaN(), 0
	}
	return sum / abs, abs / (abs + e.cfg.ForcePrior)
}

// loadIdeal returns the ideal points the index reads: the published ones (variant
// "all") when IdealBSV is set and they are stored, else entente's own; nil when neither.
func (e *Engine) loadIdeal(ctx context.Context) (*idealData, error) {
	ips, ok := e.src.(entente.IdealPointStore)
	if !ok {
		return nil, nil
	}
	order := []string{entente.SourceEntente, entente.SourceBSV}
	if e.cfg.IdealBSV > 0 {
		order = []string{entente.SourceBSV, entente.SourceEntente}
	}
	for _, src := range order {
		pts, err := ips.IdealPoints(ctx, entente.IdealPointQuery{Source: src, Variant: "all"})
		if err != nil {
			return nil, err
		}
		if len(pts) == 0 {
			continue
		}
		key := fmt.Sprint(src, len(pts), pts[0].Year, pts[len(pts)-1].Year, pts[len(pts)-1].X)
		e.cache.mu.Lock()
		if e.cache.ideal != nil && e.cache.ideal.key == key {
			d := e.cache.ideal
			e.cache.mu.Unlock()
			return d, nil
		}
		e.cache.mu.Unlock()
		d := &idealData{key: key, source: src, years: map[int]map[int]float64{}, sd: map[int]float64{}}
		for _, p := range pts {
			if d.years[p.Year] == nil {
				d.years[p.Year] = map[int]float64{}
			}
			d.years[p.Year][p.CCode] = p.X
		}
		for y, m := range d.years {
			var s, s2 float64
			for _, x := range m {
				s += x
				s2 += x * x
			}
			n := float64(len(m))
			d.sd[y] = math.Sqrt(max(s2/n-(s/n)*(s/n), 0))
		}
		e.cache.mu.Lock()
		e.cache.ideal = d
		e.cache.mu.Unlock()
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
