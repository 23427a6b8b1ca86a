package index

import (
	"context"
	"io"
	"math"
	"time"

	"github.com/entente/entente"
	"github.com/entente/entente/signal"
)

// UN voting similarity: the pairs the similarity command and the API show, and the
// yearly similarity of every dyad stored at import (entente.SimilarityStore).

// Ballots loads the roll calls of [from, to) (zero bounds are open) with the issue
// filter through the one ballot loader (entente.LoadBallots: one source per date). A
// store without roll calls (of that issue) is ENOTFOUND, with what to do about it.
func (e *Engine) Ballots(ctx context.Context, from, to time.Time, issue string) ([]entente.Ballot, error) {
	bs, cov, err := entente.LoadBallots(ctx, e.src, entente.BallotQuery{From: from, To: to, Issue: issue})
	if err != nil {
		return nil, err
	}
	if len(cov) == 0 {
		what := "no UN votes in the store"
		if issue != "" {
			what = "no UN roll calls coded with issue " + issue + " in the store"
		}
		return nil, entente.Errorf(entente.ENOTFOUND, "%s: run 'entente import unvotes FILE...' first", what)
	}
	return bs, nil
}

// PeriodFunc returns the grouping of roll calls named by (year, month, session, range;
// range makes [from, to) one period); ok is false for another name.
func PeriodFunc(by string, from, to time.Time) (p signal.Period, ok bool) {
	switch by {
	case "year":
		return signal.ByYear(), true
	case "month":
		return signal.ByMonth(), true
	case "session":
		return signal.BySession(), true
	case "range":
		return signal.ByRange(from, to), true
	}
	return nil, false
}

// PeriodDates returns, for each period, the date of its last roll call: the day at
// which its states are named (COW 365 is the USSR in 1990 and Russia in 1992).
func PeriodDates(bs []entente.Ballot, period signal.Period) map[string]time.Time {
	last := make(map[string]time.Time)
	for i := range bs {
		p := period(&bs[i])
		if bs[i].Date.After(last[p]) {
			last[p] = bs[i].Date
		}
	}
	return last
}

// MetricColumns names the metrics of indexes idx into entente.SimilarityMetrics.
func MetricColumns(idx []int) []string {
	cols := make([]string, len(idx))
	for i, m := range idx {
		cols[i] = entente.SimilarityMetrics[m]
	}
	return cols
}

// MetricValues appends the metrics idx of s to out, nil for an undefined one.
func MetricValues(s *entente.Similarity, idx []int, out []any) []any {
	for _, m := range idx {
		v := s.Values[m]
		if math.IsNaN(v) {
			out = append(out, nil)
		} else {
			out = append(out, v)
		}
	}
	return out
}

// SimilarityQuery asks for the UN voting similarity of one dyad (A and B) or, with All,
// of every pair, in the periods of By over [From, To).
type SimilarityQuery struct {
	A, B     entente.Country
	All      bool
	From, To time.Time
	By       string // year, month, session or range
	Issue    string
	Metrics  []int // indexes into entente.SimilarityMetrics
}

// Similarity returns the rows of q as a table: iso3_a, iso3_b, ccode_a, ccode_b,
// period, n and the metrics; a dyad's rows put q.A first. With no shared roll call the
// table has no rows and a note says so.
func (e *Engine) Similarity(ctx context.Context, q SimilarityQuery) (*Table, error) {
	period, ok := PeriodFunc(q.By, q.From, q.To)
	if !ok {
		return nil, entente.Errorf(entente.EINVALID, "--by %q: want year, session, month or range", q.By)
	}
	bs, err := e.Ballots(ctx, q.From, q.To, q.Issue)
	if err != nil {
		return nil, err
	}
	var rows []entente.Similarity
	if q.All {
		rows = signal.AllPairs(bs, period, 0)
	} else {
		rows = signal.Dyad(bs, period, q.A.COW, q.B.COW)
	}
	t := &Table{Columns: append([]string{"iso3_a", "iso3_b", "ccode_a", "ccode_b", "period", "n"}, MetricColumns(q.Metrics)...)}
	if len(rows) == 0 {
		t.Notes = append(t.Notes, "no roll calls where both voted in this window")
	}
	dates := PeriodDates(bs, period)
	for i := range rows {
		s := &rows[i]
		at := dates[s.Period]
		x, y := s.A, s.B
		if !q.All && x != q.A.COW {
			x, y = y, x
		}
		t.row(MetricValues(s, q.Metrics, []any{e.byCOW(x, at).ID, e.byCOW(y, at).ID, x, y, s.Period, s.N})...)
	}
	return t, nil
}

// WriteAllPairsCSV streams the similarity of every pair in q as CSV to w: the bulk
// path, every dyad computed and formatted on all cores and never held in memory all at
// once (signal.WriteAllPairsCSV).
func (e *Engine) WriteAllPairsCSV(ctx context.Context, w io.Writer, q SimilarityQuery) error {
	period, ok := PeriodFunc(q.By, q.From, q.To)
	if !ok {
		return entente.Errorf(entente.EINVALID, "--by %q: want year, session, month or range", q.By)
	}
	bs, err := e.Ballots(ctx, q.From, q.To, q.Issue)
	if err != nil {
		return err
	}
	dates := PeriodDates(bs, period)
	label := func(cc int, p string) string { return e.byCOW(cc, dates[p]).ID }
	return signal.WriteAllPairsCSV(w, bs, period, q.Metrics, label, 0)
}

// UNSignals computes the yearly UN similarity of every dyad over every stored roll
// call: what an import stores (entente.SimilarityStore.ReplaceSimilarity) for the API's
// dyad series. It returns the rows and the number of roll calls they come from.
func (e *Engine) UNSignals(ctx context.Context) ([]entente.Similarity, int, error) {
	bs, err := e.Ballots(ctx, time.Time{}, time.Time{}, "")
	if err != nil {
		return nil, 0, err
	}
	return signal.AllPairs(bs, signal.ByYear(), 0), len(bs), nil
}
