package index

import (
	"context"
	"fmt"
	"math"
	"strings"

	"github.com/entente/entente"
)

// forceData is the force records of one focal state with every other state.
type forceData struct {
	recs []forceRec
	last map[string]int // last year of each source
}

// loadForce returns the force records of the focal state from year from on, drawn
// from every state's records of those years (forceRows), or from the engine's cache,
// which a new import invalidates (the key holds the stored coverage); nil when the
// source holds none.
func (e *Engine) loadForce(ctx context.Context, cov []entente.SourceYears, focal entente.Country, from int) (*forceData, error) {
	cs := e.conflicts()
	if cs == nil || len(cov) == 0 {
		return nil, nil
	}
	key := fmt.Sprint(focal.ID, "|", from, "|", cov)
	return e.cache.force.get(true, key, func() (*forceData, error) {
		rows, err := e.forceRows(ctx, cs, cov, from)
		if err != nil {
			return nil, err
		}
		return e.focalForce(rows, cov, focal, from), nil
	})
}

// newForceData returns the focal state's empty force records, with the last year of each
// stored source, and the function that adds a record with another state (none with no
// state, or with the focal state itself).
func newForceData(cov []entente.SourceYears, focal entente.Country) (*forceData, func(string, forceRec)) {
	fd := &forceData{last: map[string]int{}}
	for _, c := range cov {
		fd.last[c.Source] = c.Last
	}
	return fd, func(other string, r forceRec) {
		if other == "" || other == focal.ID {
			return
		}
		r.other = other
		fd.recs = append(fd.recs, r)
	}
}

// forceRowSet is every state's force records from one year on, as the store gives
// them: each focal state's are drawn from it (focalForce), so that the focal states of
// a date, whose first year is one decade's, share four reads.
type forceRowSet struct {
	conflicts []entente.ConflictYear
	rivalries []entente.Rivalry
	disputes  []entente.DisputeYear
	flows     []entente.ArmsFlow
}

// forceRows reads, or finds kept, every state's force records from year from on: the
// four kinds at once.
func (e *Engine) forceRows(ctx context.Context, cs entente.ConflictStore, cov []entente.SourceYears, from int) (*forceRowSet, error) {
	key := fmt.Sprint(from, "|", cov)
	return e.cache.forceRows.get(true, key, func() (*forceRowSet, error) {
		rs := &forceRowSet{}
		q := entente.ForceQuery{FromYear: from}
		err := readAll(ctx,
			func(ctx context.Context) (err error) {
				rs.conflicts, err = cs.ConflictYears(ctx, q)
				return err
			},
			func(ctx context.Context) (err error) {
				rs.rivalries, err = cs.Rivalries(ctx, q)
				return err
			},
			func(ctx context.Context) (err error) {
				rs.disputes, err = cs.Disputes(ctx, q)
				return err
			},
			func(ctx context.Context) (err error) {
				rs.flows, err = armsFlows(ctx, cs, from)
				return err
			})
		if err != nil {
			return nil, err
		}
		return rs, nil
	})
}

// armsFlows returns the arms flows of every state's deals from year from on: from the
// store's flows, or from its whole deals.
func armsFlows(ctx context.Context, cs entente.ConflictStore, from int) ([]entente.ArmsFlow, error) {
	if fs, ok := cs.(entente.ArmsFlowStore); ok {
		return fs.ArmsFlows(ctx, "", from)
	}
	ds, err := cs.ArmsDeals(ctx, entente.ForceQuery{FromYear: from})
	if err != nil {
		return nil, err
	}
	flows := make([]entente.ArmsFlow, len(ds))
	for i, d := range ds {
		flows[i] = entente.ArmsFlow{Supplier: d.Supplier.State, Recipient: d.Recipient.State,
			DeliveryYears: d.DeliveryYears, TIVDelivered: d.TIVDelivered}
	}
	return flows, nil
}

// focalForce draws the focal state's records from rows, the records a store gives for
// a query by the focal state (entente.ConflictStore): the rows of every conflict-year
// in which its COW number is on any row; the rivalries and disputes with it at either
// end; the arms flows with it as supplier or recipient. Its records come in a fixed
// order: wars and co-belligerence, rivalries, disputes, arms. A state without a COW
// number has arms records only.
func (e *Engine) focalForce(rows *forceRowSet, cov []entente.SourceYears, focal entente.Country, from int) *forceData {
	fd, add := newForceData(cov, focal)
	if cc := focal.COW; cc > 0 {
		type cyKey struct{ id, year int }
		in := map[cyKey]bool{}
		for _, r := range rows.conflicts {
			if r.SideA.CCode == cc || r.SideA2.CCode == cc || r.SideB.CCode == cc || r.SideB2.CCode == cc {
				in[cyKey{r.ConflictID, r.Year}] = true
			}
		}
		var cys []entente.ConflictYear
		for _, r := range rows.conflicts {
			if in[cyKey{r.ConflictID, r.Year}] {
				cys = append(cys, r)
			}
		}
		e.conflictRecs(cys, focal, add)
		var rivs []entente.Rivalry
		for _, r := range rows.rivalries {
			if r.CCode1 == cc || r.CCode2 == cc {
				rivs = append(rivs, r)
			}
		}
		e.rivalryRecs(rivs, focal, from, add)
		var ds []entente.DisputeYear
		for _, d := range rows.disputes {
			if d.CCode1 == cc || d.CCode2 == cc {
				ds = append(ds, d)
			}
		}
		e.disputeRecs(ds, focal, add)
	}
	var flows []entente.ArmsFlow
	for _, f := range rows.flows {
		if f.Supplier == focal.ID || f.Recipient == focal.ID {
			flows = append(flows, f)
		}
	}
	e.armsRecs(flows, focal, from, add)
	return fd
}

// stateAt returns the registry ID of a COW number in the middle of year ("" if none).
func (e *Engine) stateAt(cc, year int) string {
	if c, ok := e.countries.ByCOW(cc, entente.Day(year, 7, 1)); ok {
		return c.ID
	}
	return ""
}

// conflictRecs adds the war and co-belligerence records of the focal state: the other
// states on the opposite side of an interstate or internationalised UCDP conflict-year,
// and those on its own side of any.
func (e *Engine) conflictRecs(rows []entente.ConflictYear, focal entente.Country, add func(string, forceRec)) {
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
	for _, k := range order {
		c := cys[k]
		strength := 0.5
		if c.intensity >= 2 {
			strength = 1
		}
		what := fmt.Sprintf("UCDP conflict %d, %d (%s, intensity %d)", k.id, k.year, c.typ, c.intensity)
		own, opp := c.a, c.b
		if c.b[focal.ID] {
			own, opp = c.b, c.a
		} else if !c.a[focal.ID] {
			continue
		}
		if c.typ == entente.ConflictInterstate || c.typ == entente.ConflictInternationalised {
			for _, y := range sortedKeys(opp) {
				add(y, forceRec{year: k.year, kind: "war", strength: strength, what: "opposite sides of " + what})
			}
		}
		for _, y := range sortedKeys(own) {
			add(y, forceRec{year: k.year, kind: "cobelligerence", strength: strength, what: "same side of " + what})
		}
	}
}

// rivalryRecs adds one record per rival and year, however many sources list the
// rivalry.
func (e *Engine) rivalryRecs(rivs []entente.Rivalry, focal entente.Country, from int, add func(string, forceRec)) {
	seen := map[string]bool{}
	for _, r := range rivs {
		cc := r.CCode2
		if cc == focal.COW {
			cc = r.CCode1
		}
		for y := max(r.Start, from); y <= r.End; y++ {
			other := e.stateAt(cc, y)
			k := fmt.Sprint(other, y)
			if other == "" || seen[k] {
				continue
			}
			seen[k] = true
			add(other, forceRec{year: y, kind: "rivalry", strength: 1,
				what: fmt.Sprintf("%s strategic rivalry %q (%d-%d)", strings.ToUpper(r.Source), r.Name, r.Start, r.End)})
		}
	}
}

// disputeRecs adds, per other state and year, the highest MID hostility level either
// state reached toward the other, from 2 (threat) to 5 (war): strength (level − 1) / 4.
func (e *Engine) disputeRecs(ds []entente.DisputeYear, focal entente.Country, add func(string, forceRec)) {
	type dy struct {
		other string
		year  int
	}
	hi := map[dy]int{}
	mids := map[dy][]int{}
	var order []dy
	for _, d := range ds {
		cc := d.CCode2
		if d.CCode2 == focal.COW {
			cc = d.CCode1
		}
		k := dy{e.stateAt(cc, d.Year), d.Year}
		if _, ok := hi[k]; !ok {
			order = append(order, k)
		}
		hi[k] = max(hi[k], d.HostLev)
		mids[k] = append(mids[k], d.DispNum)
	}
	for _, k := range order {
		if h := hi[k]; h >= 2 {
			add(k.other, forceRec{year: k.year, kind: "disputes", strength: float64(h-1) / 4,
				what: fmt.Sprintf("MID %s, %d: hostility level %d", joinInts(uniqueInts(mids[k])), k.year, h)})
		}
	}
}

// armsRecs adds the arms records of the focal state: per other state and year, the
// larger of the share of the focal state's arms imports that came from it and the share
// of its exports that went to it (SIPRI TIV), over ArmsShare, at most 1.
func (e *Engine) armsRecs(deals []entente.ArmsFlow, focal entente.Country, from int, add func(string, forceRec)) {
	type ay struct {
		other string
		year  int
	}
	in, out := make(map[ay]float64, len(deals)), make(map[ay]float64, len(deals))
	imports, exports := map[int]float64{}, map[int]float64{}
	var order []ay
	seen := make(map[ay]bool, len(deals))
	for _, d := range deals {
		for _, y := range d.DeliveryYears {
			v := d.TIVInYear(y)
			if y < from || math.IsNaN(v) || v <= 0 {
				continue
			}
			var k ay
			switch focal.ID {
			case d.Recipient:
				imports[y] += v
				k = ay{d.Supplier, y}
				in[k] += v
			case d.Supplier:
				exports[y] += v
				k = ay{d.Recipient, y}
				out[k] += v
			default:
				continue
			}
			if k.other != "" && k.other != focal.ID && !seen[k] {
				seen[k] = true
				order = append(order, k)
			}
		}
	}
	for _, k := range order {
		var share float64
		tin, tout := in[k], out[k]
		imp, exp := imports[k.year], exports[k.year]
		if tin > 0 {
			share = max(share, tin/imp)
		}
		if tout > 0 {
			share = max(share, tout/exp)
		}
		add(k.other, forceRec{year: k.year, kind: "arms", strength: min(1, share/max(e.cfg.ArmsShare, 1e-9)),
			describe: func() string {
				var what []string
				if tin > 0 {
					what = append(what, fmt.Sprintf("%s -> %s TIV %.1f, %.0f%% of %s's imports", k.other, focal.ID, tin, 100*tin/imp, focal.ID))
				}
				if tout > 0 {
					what = append(what, fmt.Sprintf("%s -> %s TIV %.1f, %.0f%% of %s's exports", focal.ID, k.other, tout, 100*tout/exp, focal.ID))
				}
				return fmt.Sprintf("SIPRI %d: %s", k.year, strings.Join(what, "; "))
			}})
	}
}
