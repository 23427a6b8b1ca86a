package index

import (
	"context"
	"sort"
	"time"

	"github.com/entente/entente"
)

// EventColumns are the columns of an events table; the evidence columns come last.
var EventColumns = []string{"iso3_a", "iso3_b", "period", "n", "verbal_coop", "material_coop",
	"verbal_conflict", "material_conflict", "goldstein_sum", "goldstein_mean", "coop_share", "weight"}

// EvidenceColumns are the columns of an events table's evidence rows.
var EvidenceColumns = []string{"url", "url_events", "url_sources"}

// EventsQuery asks for the event signals between two states (docs/events.md).
type EventsQuery struct {
	A, B       entente.Country
	From, To   time.Time // zero: open
	By         string    // month or year
	Evidence   int       // the most-cited source URLs added after each row (0: none)
	Undirected bool      // both directions in one row per period
}

// Events returns the event signals of q's dyad, period by period, each direction in
// its own row (iso3_a the actor) or, with Undirected, both in one; with Evidence, each
// row is followed by up to that many rows of its most-cited source URLs. A period with
// no event has no row (unknown, not zero).
func (e *Engine) Events(ctx context.Context, q EventsQuery) (*Table, error) {
	eq := entente.EventQuery{From: q.From, To: q.To, By: q.By, A: q.A.ID, B: q.B.ID}
	sigs, err := e.src.EventSignals(ctx, eq)
	if err != nil {
		return nil, err
	}
	if q.Undirected {
		sigs = bothDirections(sigs, q.A.ID, q.B.ID)
	}
	var ev map[string][]entente.EventEvidence
	if q.Evidence > 0 {
		if ev, err = e.eventEvidenceByRow(ctx, q, eq); err != nil {
			return nil, err
		}
	}
	t := &Table{Columns: EventColumns}
	if q.Evidence > 0 {
		t.Columns = append(append([]string(nil), EventColumns...), EvidenceColumns...)
	}
	for _, s := range sigs {
		vals := []any{s.A, s.B, s.Period, s.N, s.Quad[0], s.Quad[1], s.Quad[2], s.Quad[3],
			s.GoldsteinSum, s.GoldsteinMean, s.CoopShare, s.Weight}
		if q.Evidence > 0 {
			vals = append(vals, nil, nil, nil)
		}
		t.row(vals...)
		for _, x := range ev[s.A+"\x00"+s.B+"\x00"+s.Period] {
			t.row(x.A, x.B, x.Period, nil, nil, nil, nil, nil, nil, nil, nil, nil, x.URL, x.Events, x.Sources)
		}
	}
	if len(sigs) == 0 {
		t.Notes = append(t.Notes, "no events between "+q.A.ID+" and "+q.B.ID+" in the store for this window")
	}
	return t, nil
}

// eventEvidenceByRow returns the top source URLs of each row of q, keyed by actor,
// target and period.
func (e *Engine) eventEvidenceByRow(ctx context.Context, q EventsQuery, eq entente.EventQuery) (map[string][]entente.EventEvidence, error) {
	// EventEvidence filters on the event day, EventSignals on whole months: ask for the
	// whole months of the window, so both see the same events.
	eq.From, eq.To = monthCeil(q.From), monthCeil(q.To)
	rows, err := e.src.EventEvidence(ctx, eq, q.Evidence)
	if err != nil {
		return nil, err
	}
	ev := map[string][]entente.EventEvidence{}
	for _, x := range rows {
		if q.Undirected {
			x.A, x.B = q.A.ID, q.B.ID
		}
		k := x.A + "\x00" + x.B + "\x00" + x.Period
		ev[k] = append(ev[k], x)
	}
	if q.Undirected {
		for k, list := range ev {
			ev[k] = topEvidence(list, q.Evidence)
		}
	}
	return ev, nil
}

// monthStart returns the first day of t's month (zero stays zero).
func monthStart(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return entente.Day(t.Year(), t.Month(), 1)
}

// monthCeil returns the first day of the first month that starts at or after t (zero
// stays zero).
func monthCeil(t time.Time) time.Time {
	if m := monthStart(t); !m.Equal(t) {
		return m.AddDate(0, 1, 0)
	}
	return t
}

// bothDirections merges the rows of a→b and b→a of each period into one row a–b,
// keeping the periods' order.
func bothDirections(sigs []entente.EventSignal, a, b string) []entente.EventSignal {
	var out []entente.EventSignal
	at := map[string]int{}
	for _, s := range sigs {
		i, ok := at[s.Period]
		if !ok {
			at[s.Period] = len(out)
			out = append(out, entente.EventSignal{A: a, B: b, Period: s.Period})
			i = len(out) - 1
		}
		out[i].Merge(s)
	}
	return out
}

// topEvidence merges the URLs of both directions (a URL may carry events of each) and
// keeps the n most cited.
func topEvidence(list []entente.EventEvidence, n int) []entente.EventEvidence {
	byURL := map[string]int{}
	var out []entente.EventEvidence
	for _, x := range list {
		if i, ok := byURL[x.URL]; ok {
			out[i].Events += x.Events
			out[i].Sources += x.Sources
			continue
		}
		byURL[x.URL] = len(out)
		out = append(out, x)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Events != out[j].Events {
			return out[i].Events > out[j].Events
		}
		if out[i].Sources != out[j].Sources {
			return out[i].Sources > out[j].Sources
		}
		return out[i].URL < out[j].URL
	})
	if len(out) > n {
		out = out[:n]
	}
	return out
}
