package signal

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/entente/entente"
)

// This file holds the force signals of a directed dyad-year, drawn from the conflict,
// rivalry, dispute and arms data: war, co-belligerence, rivalry, MID hostility and arms
// delivered. docs/force.md gives every rule and its references. A signal outside its
// data's years is unknown (NaN), never 0.

// Force signal names, as rank --signal and ties print them.
const (
	ForceWar            = "war"
	ForceCobelligerence = "cobelligerence"
	ForceRivalry        = "rivalry"
	ForceDisputes       = "disputes"
	ForceArms           = "arms"
)

// ForceSignals are the force signal names in display order.
var ForceSignals = []string{ForceWar, ForceCobelligerence, ForceRivalry, ForceDisputes, ForceArms}

// ForceItem is one evidence item behind a force signal: a record of a dataset.
type ForceItem struct {
	Signal string
	Source string // an entente.Source* constant
	Year   int
	From   string // registry ID of the acting state (supplier, MID ccode1); "" when undirected
	To     string
	Value  float64
	Detail string
	Ref    string // where the record is: dataset, identifier, file line
}

// ForceValue is one signal of a directed dyad-year: its value (NaN: unknown), how it is
// read, and the years its data cover.
type ForceValue struct {
	Signal   string
	Value    float64
	Detail   string
	Coverage string // e.g. "UCDP 1946-2024"
}

// ForceDyad is the force evidence of the dyad A -> B in Year.
type ForceDyad struct {
	A, B    entente.Country
	Year    int
	Signals []ForceValue
	Items   []ForceItem
}

// coverageOf returns the years of source, ok false when none are stored.
func coverageOf(cov []entente.SourceYears, source string) (entente.SourceYears, bool) {
	for _, c := range cov {
		if c.Source == source {
			return c, true
		}
	}
	return entente.SourceYears{}, false
}

func covText(name string, c entente.SourceYears, ok bool) string {
	if !ok {
		return name + " not imported"
	}
	return fmt.Sprintf("%s %d-%d", name, c.First, c.Last)
}

// conflictSides groups UCDP rows into conflict-years with the states (COW numbers) on
// each side: the union of the rows' side A and side B parties.
type conflictSides struct {
	id, year  int
	typ       string
	intensity int
	a, b      map[int]bool
	lines     []int
}

func groupConflicts(rows []entente.ConflictYear) []*conflictSides {
	byKey := map[[2]int]*conflictSides{}
	var out []*conflictSides
	for _, r := range rows {
		k := [2]int{r.ConflictID, r.Year}
		c := byKey[k]
		if c == nil {
			c = &conflictSides{id: r.ConflictID, year: r.Year, typ: r.Type, a: map[int]bool{}, b: map[int]bool{}}
			byKey[k] = c
			out = append(out, c)
		}
		c.intensity = max(c.intensity, r.Intensity)
		c.lines = append(c.lines, r.Line)
		for _, p := range []entente.ConflictParty{r.SideA, r.SideA2} {
			if p.CCode > 0 {
				c.a[p.CCode] = true
			}
		}
		for _, p := range []entente.ConflictParty{r.SideB, r.SideB2} {
			if p.CCode > 0 {
				c.b[p.CCode] = true
			}
		}
	}
	return out
}

// side returns 'a', 'b' or 0 for a state in a conflict-year.
func (c *conflictSides) side(ccode int) byte {
	switch {
	case c.a[ccode]:
		return 'a'
	case c.b[ccode]:
		return 'b'
	}
	return 0
}

// warring reports whether a conflict type counts for the war signal: fighting between
// states on opposite sides happens in interstate and internationalised intrastate
// conflicts (UCDP codebook: in the latter, states intervene on one or both sides).
func warring(typ string) bool {
	return typ == entente.ConflictInterstate || typ == entente.ConflictInternationalised
}

func intensityText(i int) string {
	if i == 2 {
		return "war (1,000+ battle deaths)"
	}
	return "minor (25-999 battle deaths)"
}

// yearTIV returns the TIV delivered by a deal in year, and whether it is known.
func yearTIV(d entente.ArmsDeal, year int) (float64, bool) {
	v := d.TIVInYear(year)
	return v, !math.IsNaN(v)
}

// ForceDyadYear gathers the force signals and their evidence for the dyad a -> b in
// year from st. cs resolves COW numbers back to registry states for the items.
func ForceDyadYear(ctx context.Context, st entente.ConflictStore, cs entente.CountryService, a, b entente.Country, year int) (ForceDyad, error) {
	out := ForceDyad{A: a, B: b, Year: year}
	cov, err := st.ForceCoverage(ctx)
	if err != nil {
		return out, err
	}
	name := func(ccode int) string {
		if c, ok := cs.ByCOW(ccode, entente.Day(year, 7, 1)); ok {
			return c.ID
		}
		return fmt.Sprintf("COW %d", ccode)
	}

	// War and co-belligerence (UCDP).
	ucdp, hasUCDP := coverageOf(cov, entente.SourceUCDP)
	ucdpCov := covText("UCDP", ucdp, hasUCDP)
	war, cob := math.NaN(), math.NaN()
	if hasUCDP && year >= ucdp.First && year <= ucdp.Last && a.COW > 0 && b.COW > 0 {
		war, cob = 0, 0
		rows, err := st.ConflictYears(ctx, entente.ForceQuery{CCode: a.COW, FromYear: year, ToYear: year})
		if err != nil {
			return out, err
		}
		for _, c := range groupConflicts(rows) {
			sa, sb := c.side(a.COW), c.side(b.COW)
			if sa == 0 || sb == 0 {
				continue
			}
			ref := fmt.Sprintf("UCDP/PRIO ACD conflict %d, %d (lines %s)", c.id, c.year, joinInts(c.lines))
			sides := fmt.Sprintf("side A: %s; side B: %s", names(c.a, name), names(c.b, name))
			if len(c.b) == 0 {
				sides = fmt.Sprintf("side A: %s; side B: non-state", names(c.a, name))
			}
			if sa != sb && warring(c.typ) {
				war = max(war, float64(c.intensity))
				out.Items = append(out.Items, ForceItem{Signal: ForceWar, Source: entente.SourceUCDP, Year: c.year, From: a.ID, To: b.ID,
					Value: float64(c.intensity), Detail: fmt.Sprintf("opposite sides of %s conflict %d, %s; %s", c.typ, c.id, intensityText(c.intensity), sides), Ref: ref})
			}
			if sa == sb {
				cob++
				out.Items = append(out.Items, ForceItem{Signal: ForceCobelligerence, Source: entente.SourceUCDP, Year: c.year, From: a.ID, To: b.ID,
					Value: float64(c.intensity), Detail: fmt.Sprintf("same side (%s) of %s conflict %d, %s; %s", strings.ToUpper(string(sa)), c.typ, c.id, intensityText(c.intensity), sides), Ref: ref})
			}
		}
	}
	out.Signals = append(out.Signals,
		ForceValue{ForceWar, war, "highest intensity of an interstate or internationalised conflict with the two on opposite sides (0 none, 1 minor, 2 war)", ucdpCov},
		ForceValue{ForceCobelligerence, cob, "conflicts with the two on the same side", ucdpCov})

	// Rivalry (TSS, TD).
	tss, hasTSS := coverageOf(cov, entente.SourceTSS)
	td, hasTD := coverageOf(cov, entente.SourceTD)
	rivCov := strings.Join([]string{covText("TSS", tss, hasTSS), covText("TD", td, hasTD)}, ", ")
	riv := math.NaN()
	dataEnd := 0
	if hasTSS {
		dataEnd = tss.Last
	}
	if hasTD {
		dataEnd = max(dataEnd, td.Last)
	}
	rivDetail := "1 when a strategic rivalry runs in the year, 0 when none; unknown after the data's end"
	if (hasTSS || hasTD) && a.COW > 0 && b.COW > 0 {
		rs, err := st.Rivalries(ctx, entente.ForceQuery{CCode: a.COW, Other: b.COW})
		if err != nil {
			return out, err
		}
		if year <= dataEnd {
			riv = 0
		}
		for _, r := range rs {
			ongoingAfter := r.Ongoing && year > r.End
			if !r.Covers(year) && !ongoingAfter {
				continue
			}
			end := fmt.Sprint(r.End)
			if r.Ongoing {
				end = fmt.Sprintf("%d (ongoing when the data stop)", r.End)
			}
			detail := fmt.Sprintf("%s rivalry %q %d-%s, %s", strings.ToUpper(r.Source), r.Name, r.Start, end, strings.Join(r.Types, "/"))
			if r.Principal {
				detail += ", principal"
			}
			v := 1.0
			if ongoingAfter {
				v = math.NaN()
				detail += fmt.Sprintf("; %d is after the data's end: the rivalry's state is unknown", year)
			} else {
				riv = 1
			}
			out.Items = append(out.Items, ForceItem{Signal: ForceRivalry, Source: r.Source, Year: year, From: a.ID, To: b.ID,
				Value: v, Detail: detail, Ref: fmt.Sprintf("%s rivalry %d (line %d)", strings.ToUpper(r.Source), r.ID, r.Line)})
		}
	}
	out.Signals = append(out.Signals, ForceValue{ForceRivalry, riv, rivDetail, rivCov})

	// MIDs (GML), both directions as items, A's hostility toward B as the value.
	gml, hasGML := coverageOf(cov, entente.SourceGML)
	mid := math.NaN()
	if hasGML && year >= gml.First && year <= gml.Last && a.COW > 0 && b.COW > 0 {
		mid = 0
		ds, err := st.Disputes(ctx, entente.ForceQuery{CCode: a.COW, Other: b.COW, FromYear: year, ToYear: year})
		if err != nil {
			return out, err
		}
		for _, d := range ds {
			if d.CCode1 == a.COW {
				mid = max(mid, float64(d.HostLev))
			}
			out.Items = append(out.Items, ForceItem{Signal: ForceDisputes, Source: entente.SourceGML, Year: d.Year,
				From: name(d.CCode1), To: name(d.CCode2), Value: float64(d.HostLev),
				Detail: fmt.Sprintf("MID %d: hostility %d (%s), highest action %d, fatality level %s%s", d.DispNum, d.HostLev, hostility(d.HostLev), d.HiAct, fatality(d.Fatality), onset(d.Onset)),
				Ref:    fmt.Sprintf("GML MID %d, %d (line %d)", d.DispNum, d.Year, d.Line)})
		}
	}
	if hasGML && year > gml.Last && a.COW > 0 && b.COW > 0 {
		// After the data's end the signal is unknown; the dyad's latest recorded
		// dispute-years are shown as context, marked as such.
		ds, err := st.Disputes(ctx, entente.ForceQuery{CCode: a.COW, Other: b.COW})
		if err != nil {
			return out, err
		}
		last := 0
		for _, d := range ds {
			last = max(last, d.Year)
		}
		for _, d := range ds {
			if d.Year != last {
				continue
			}
			out.Items = append(out.Items, ForceItem{Signal: ForceDisputes, Source: entente.SourceGML, Year: d.Year,
				From: name(d.CCode1), To: name(d.CCode2), Value: float64(d.HostLev),
				Detail: fmt.Sprintf("latest in the data (GML ends %d; %d is unknown): MID %d: hostility %d (%s), highest action %d, fatality level %s%s",
					gml.Last, year, d.DispNum, d.HostLev, hostility(d.HostLev), d.HiAct, fatality(d.Fatality), onset(d.Onset)),
				Ref: fmt.Sprintf("GML MID %d, %d (line %d)", d.DispNum, d.Year, d.Line)})
		}
	}
	out.Signals = append(out.Signals, ForceValue{ForceDisputes, mid, "A's highest MID hostility level toward B (0 none, 2 threat, 3 display, 4 use of force, 5 war)", covText("GML MID", gml, hasGML)})

	// Arms (SIPRI): A -> B TIV in year, and its share of B's imports that year.
	sip, hasSIPRI := coverageOf(cov, entente.SourceSIPRI)
	arms := math.NaN()
	armsDetail := "TIV (millions) delivered by A to B in the year"
	if hasSIPRI && year >= sip.First && year <= sip.Last {
		arms = 0
		ds, err := st.ArmsDeals(ctx, entente.ForceQuery{State: a.ID, OtherState: b.ID, FromYear: year, ToYear: year})
		if err != nil {
			return out, err
		}
		shares := map[string]float64{}
		for _, to := range []entente.Country{b, a} {
			tot, _, err := importsOf(ctx, st, to.ID, year)
			if err != nil {
				return out, err
			}
			shares[to.ID] = tot
		}
		unknown := 0
		for _, d := range ds {
			if !slices.Contains(d.DeliveryYears, year) {
				continue
			}
			v, ok := yearTIV(d, year)
			if d.Supplier.State == a.ID && ok {
				arms += v
			}
			if !ok {
				unknown++
			}
			detail := fmt.Sprintf("%s (%s): %s ordered, %s delivered in %s; TIV %s this year", d.Designation, d.Description,
				count(d.NumberOrdered, d.NumberOrderedUncertain), count(d.NumberDelivered, d.NumberDeliveredUncertain), years(d.DeliveryYears), tivText(v, ok))
			if tot := shares[d.Recipient.State]; ok && tot > 0 {
				detail += fmt.Sprintf(" = %.0f%% of %s's imports", 100*v/tot, d.Recipient.State)
			}
			if d.Comments != "" {
				detail += "; " + d.Comments
			}
			out.Items = append(out.Items, ForceItem{Signal: ForceArms, Source: entente.SourceSIPRI, Year: year,
				From: d.Supplier.State, To: d.Recipient.State, Value: v, Detail: detail,
				Ref: fmt.Sprintf("SIPRI trade register, order %d%s, line %d", d.OrderYear, qmark(d.OrderYearUncertain), d.Line)})
		}
		if tot := shares[b.ID]; tot > 0 {
			armsDetail += fmt.Sprintf("; %.0f%% of %s's %d imports (TIV %.0f)", 100*arms/tot, b.ID, year, tot)
		}
		if unknown > 0 {
			armsDetail += fmt.Sprintf("; %d deliveries of unknown TIV not counted", unknown)
		}
	}
	out.Signals = append(out.Signals, ForceValue{ForceArms, arms, armsDetail, covText("SIPRI", sip, hasSIPRI)})
	return out, nil
}

// importsOf returns the TIV a state received in year from every supplier (states,
// non-state and unknown suppliers alike), and the deliveries of unknown TIV.
func importsOf(ctx context.Context, st entente.ConflictStore, state string, year int) (float64, int, error) {
	ds, err := st.ArmsDeals(ctx, entente.ForceQuery{State: state, FromYear: year, ToYear: year})
	if err != nil {
		return 0, 0, err
	}
	tot, unknown := 0.0, 0
	for _, d := range ds {
		if d.Recipient.State != state || !slices.Contains(d.DeliveryYears, year) {
			continue
		}
		if v, ok := yearTIV(d, year); ok {
			tot += v
		} else {
			unknown++
		}
	}
	return tot, unknown, nil
}

// ForceRankRow is one state in a ranking by a force signal.
type ForceRankRow struct {
	State  entente.Country
	Value  float64
	Detail string
	// Arms only: TIV delivered by the focal state to this one (To) and by this one to
	// the focal state (From), and what share of the recipient's imports each is (NaN
	// when the recipient's imports are 0 or unknown). Value is To + From.
	To, From           float64
	ShareTo, ShareFrom float64
}

// ForceRanking ranks the states with evidence of signal with focal in year, highest
// value first. States with no record are not listed: within the data's years they have
// none (0), after it they are unknown; coverage says which.
func ForceRanking(ctx context.Context, st entente.ConflictStore, cs entente.CountryService, focal entente.Country, year int, sig string) (rows []ForceRankRow, coverage string, err error) {
	cov, err := st.ForceCoverage(ctx)
	if err != nil {
		return nil, "", err
	}
	at := entente.Day(year, 7, 1)
	byCOW := func(ccode int) entente.Country {
		if c, ok := cs.ByCOW(ccode, at); ok {
			return c
		}
		return entente.Country{ID: fmt.Sprintf("COW%d", ccode), COW: ccode, Name: fmt.Sprintf("COW %d", ccode)}
	}
	acc := map[string]*ForceRankRow{}
	add := func(c entente.Country, v float64, detail string, combine func(old, v float64) float64) {
		r := acc[c.ID]
		if r == nil {
			r = &ForceRankRow{State: c, Value: v, Detail: detail, ShareTo: math.NaN(), ShareFrom: math.NaN()}
			acc[c.ID] = r
			return
		}
		r.Value = combine(r.Value, v)
		if !strings.Contains(r.Detail, detail) {
			r.Detail += "; " + detail
		}
	}
	sum := func(a, b float64) float64 { return a + b }
	switch sig {
	case ForceWar, ForceCobelligerence:
		c, ok := coverageOf(cov, entente.SourceUCDP)
		coverage = covText("UCDP", c, ok)
		rs, err := st.ConflictYears(ctx, entente.ForceQuery{CCode: focal.COW, FromYear: year, ToYear: year})
		if err != nil {
			return nil, coverage, err
		}
		for _, g := range groupConflicts(rs) {
			fs := g.side(focal.COW)
			if fs == 0 {
				continue
			}
			for _, set := range []map[int]bool{g.a, g.b} {
				for cc := range set {
					if cc == focal.COW {
						continue
					}
					os := g.side(cc)
					detail := fmt.Sprintf("UCDP %d (%s)", g.id, g.typ)
					if sig == ForceWar && os != fs && warring(g.typ) {
						add(byCOW(cc), float64(g.intensity), detail, func(a, b float64) float64 { return max(a, b) })
					}
					if sig == ForceCobelligerence && os == fs {
						add(byCOW(cc), 1, detail, sum)
					}
				}
			}
		}
	case ForceRivalry:
		t, ok1 := coverageOf(cov, entente.SourceTSS)
		d, ok2 := coverageOf(cov, entente.SourceTD)
		coverage = covText("TSS", t, ok1) + ", " + covText("TD", d, ok2)
		rs, err := st.Rivalries(ctx, entente.ForceQuery{CCode: focal.COW})
		if err != nil {
			return nil, coverage, err
		}
		for _, r := range rs {
			if !r.Covers(year) {
				continue
			}
			other := r.CCode2
			if other == focal.COW {
				other = r.CCode1
			}
			add(byCOW(other), 1, fmt.Sprintf("%s %q %d-%d %s", strings.ToUpper(r.Source), r.Name, r.Start, r.End, strings.Join(r.Types, "/")),
				func(a, b float64) float64 { return max(a, b) })
		}
	case ForceDisputes:
		c, ok := coverageOf(cov, entente.SourceGML)
		coverage = covText("GML MID", c, ok)
		ds, err := st.Disputes(ctx, entente.ForceQuery{CCode: focal.COW, FromYear: year, ToYear: year})
		if err != nil {
			return nil, coverage, err
		}
		for _, d := range ds {
			if d.CCode2 != focal.COW { // the other state's hostility toward the focal state
				continue
			}
			add(byCOW(d.CCode1), float64(d.HostLev), fmt.Sprintf("MID %d", d.DispNum), func(a, b float64) float64 { return max(a, b) })
		}
	case ForceArms:
		c, ok := coverageOf(cov, entente.SourceSIPRI)
		coverage = covText("SIPRI", c, ok)
		ds, err := st.ArmsDeals(ctx, entente.ForceQuery{State: focal.ID, FromYear: year, ToYear: year})
		if err != nil {
			return nil, coverage, err
		}
		for _, d := range ds {
			if !slices.Contains(d.DeliveryYears, year) {
				continue
			}
			other, dir := d.Recipient, "to"
			if d.Recipient.State == focal.ID {
				other, dir = d.Supplier, "from"
			}
			if other.Kind != entente.PartyState {
				continue
			}
			v, known := yearTIV(d, year)
			if !known {
				v = 0
			}
			oc, ok := cs.ByISO3(other.State, at)
			if !ok {
				oc = entente.Country{ID: other.State, Name: other.Name, COW: other.CCode}
			}
			add(oc, v, fmt.Sprintf("%s %s (%s)", dir, d.Designation, d.Description), sum)
			if dir == "to" {
				acc[oc.ID].To += v
			} else {
				acc[oc.ID].From += v
			}
		}
		focalImports, _, err := importsOf(ctx, st, focal.ID, year)
		if err != nil {
			return nil, coverage, err
		}
		for _, r := range acc {
			if r.To > 0 {
				tot, _, err := importsOf(ctx, st, r.State.ID, year)
				if err != nil {
					return nil, coverage, err
				}
				if tot > 0 {
					r.ShareTo = r.To / tot
				}
			}
			if r.From > 0 && focalImports > 0 {
				r.ShareFrom = r.From / focalImports
			}
		}
	default:
		return nil, "", entente.Errorf(entente.EINVALID, "force signal %q: want one of %s", sig, strings.Join(ForceSignals, ", "))
	}
	for _, r := range acc {
		rows = append(rows, *r)
	}
	sort.Slice(rows, func(i, j int) bool {
		if rows[i].Value != rows[j].Value {
			return rows[i].Value > rows[j].Value
		}
		return rows[i].State.ID < rows[j].State.ID
	})
	return rows, coverage, nil
}

func names(set map[int]bool, name func(int) string) string {
	var out []string
	for c := range set {
		out = append(out, name(c))
	}
	sort.Strings(out)
	return strings.Join(out, ", ")
}

func joinInts(xs []int) string {
	var s []string
	for _, x := range xs {
		s = append(s, fmt.Sprint(x))
	}
	return strings.Join(s, ", ")
}

func hostility(h int) string {
	return [...]string{"", "no militarised action", "threat to use force", "display of force", "use of force", "war"}[h]
}

func fatality(f int) string {
	if f == -9 {
		return "unknown"
	}
	return fmt.Sprint(f)
}

func onset(b bool) string {
	if b {
		return "; onset this year"
	}
	return ""
}

func count(n int, uncertain bool) string {
	if n < 0 {
		return "?"
	}
	return fmt.Sprintf("%d%s", n, qmark(uncertain))
}

func qmark(b bool) string {
	if b {
		return "?"
	}
	return ""
}

func years(ys []int) string {
	if len(ys) == 0 {
		return "-"
	}
	if len(ys) == 1 {
		return fmt.Sprint(ys[0])
	}
	return fmt.Sprintf("%d-%d", ys[0], ys[len(ys)-1])
}

func tivText(v float64, ok bool) string {
	if !ok {
		return "unknown"
	}
	return fmt.Sprintf("%.1f", v)
}
