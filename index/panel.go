package index

import (
	"context"
	"math"
	"runtime"
	"sort"
	"sync"
	"time"

	"github.com/entente/entente"
)

// The panel: the index of every directed dyad (focal state × other state) and year of a
// range, as one long table (entente panel). It gives, for each row, the same score as
// RankState at the end of the year, at a fraction of the cost of one RankState per
// focal state and year: the facts are read once per year, the lagged direct scores of
// the third-party term are computed once per focal state and year and reused the next
// year, and no bootstrap is drawn unless asked.

// PanelQuery asks for the panel of the calendar years From..To.
type PanelQuery struct {
	From, To int
	// States restricts the focal states (ccode1) to these states, matched by ID in each
	// year they exist; nil means every state. The other states (ccode2) are always every
	// state of the year.
	States []entente.Country
	// Intervals draws the bootstrap of each score (Config.Replicates replicates) for Lo
	// and Hi; without it they are NaN. It multiplies the cost by about 10.
	Intervals bool
	// Progress, when set, is called after each focal state's rows are written, with the
	// focal-years done and their total.
	Progress func(done, total int)
}

// PanelRow is one directed dyad in one year: the score of Other with Focal at the end
// of Year (the window of the calendar year; decays run to the next January 1st). A
// score without direct evidence is NaN with class unknown.
type PanelRow struct {
	Year  int
	Focal entente.Country
	Score
}

// PanelAt is the exclusive date at which year is read: January 1st of the next year,
// the end of the calendar year as rank --at YEAR reads it.
func PanelAt(year int) time.Time { return entente.Day(year+1, 1, 1) }

// PanelFocals returns the states of the panel's year in ccode1 order (COW number, then
// ID, states without a COW number last): every state that exists on the year's last day, or those of states.
func (e *Engine) PanelFocals(year int, states []entente.Country) []entente.Country {
	day := PanelAt(year).AddDate(0, 0, -1)
	var want map[string]bool
	if states != nil {
		want = map[string]bool{}
		for _, c := range states {
			want[c.ID] = true
		}
	}
	seen := map[string]bool{}
	var out []entente.Country
	for _, c := range e.countries.All() {
		if !c.ExistsAt(day) || seen[c.ID] || want != nil && !want[c.ID] {
			continue
		}
		seen[c.ID] = true
		out = append(out, c)
	}
	sortStates(out)
	return out
}

// sortStates orders states by COW number, those without one last, then by ID.
func sortStates(cs []entente.Country) {
	sort.SliceStable(cs, func(i, j int) bool { return stateLess(cs[i], cs[j]) })
}

func stateLess(a, b entente.Country) bool {
	if a.COW != b.COW {
		return a.COW != 0 && (b.COW == 0 || a.COW < b.COW)
	}
	return a.ID < b.ID
}

// Panel calls fn with every row of the panel of q, in the order year, focal state,
// other state (each by COW number, then ID), from the caller's goroutine. The focal
// states of a year are scored in parallel on every core while fn writes the rows before
// them; a year's rows are held until written, never the whole panel. A row's score is
// the one RankState gives at PanelAt(year). Years after the store's data are refused
// (CheckDataEnd), as RankState refuses them.
func (e *Engine) Panel(ctx context.Context, q PanelQuery, fn func(*PanelRow) error) error {
	if q.From > q.To {
		return entente.Errorf(entente.EINVALID, "panel: empty range %d..%d", q.From, q.To)
	}
	if err := e.CheckDataEnd(ctx, PanelAt(q.To)); err != nil {
		return err
	}
	focals := make([][]entente.Country, q.To-q.From+1)
	total := 0
	for y := q.From; y <= q.To; y++ {
		focals[y-q.From] = e.PanelFocals(y, q.States)
		total += len(focals[y-q.From])
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	// lags holds each focal state's direct scores at the start of the year being scored:
	// the end of the previous year, read from that year's facts.
	lags := map[string]panelLag{}
	done := 0
	for y := q.From; y <= q.To; y++ {
		at := PanelAt(y)
		prev := at.AddDate(0, -e.windowMonths(), 0)
		f, err := e.load(ctx, prev, at)
		if err != nil {
			return err
		}
		// Fill the facts' alliance-year cache before the workers share them.
		for _, d := range []time.Time{prev, at} {
			if _, err := e.allianceYear(ctx, f, d.AddDate(0, 0, -1).Year()); err != nil {
				return err
			}
		}
		fs := focals[y-q.From]
		out := make([]chan panelResult, len(fs))
		for i := range out {
			out[i] = make(chan panelResult, 1)
		}
		next := make(chan int, len(fs))
		for i := range fs {
			next <- i
		}
		close(next)
		var wg sync.WaitGroup
		for range min(runtime.GOMAXPROCS(0), max(1, len(fs))) {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range next {
					if ctx.Err() != nil {
						out[i] <- panelResult{err: ctx.Err()}
						continue
					}
					var lag map[string]float64
					// The lag is reused when it was computed for the same spell: RankState
					// reads it with the spell of the date scored.
					if l, ok := lags[fs[i].ID]; ok && l.begin.Equal(fs[i].Begin) && l.cow == fs[i].COW {
						lag = l.scores
					}
					out[i] <- e.panelFocal(ctx, f, fs[i], y, prev, at, lag, q.Intervals)
				}
			}()
		}
		next2 := map[string]panelLag{}
		var werr error
		for i := range fs {
			r := <-out[i]
			if werr != nil {
				continue
			}
			if r.err != nil {
				werr = r.err
				cancel()
				continue
			}
			next2[fs[i].ID] = panelLag{begin: fs[i].Begin, cow: fs[i].COW, scores: r.direct}
			for j := range r.rows {
				if err := fn(&r.rows[j]); err != nil {
					werr = err
					cancel()
					break
				}
			}
			done++
			if q.Progress != nil && werr == nil {
				q.Progress(done, total)
			}
		}
		wg.Wait()
		if werr != nil {
			return werr
		}
		lags = next2
	}
	return nil
}

// panelLag is one focal state's direct scores at the end of a year, with the spell they
// were computed for.
type panelLag struct {
	begin  time.Time
	cow    int
	scores map[string]float64
}

type panelResult struct {
	rows   []PanelRow
	direct map[string]float64 // the direct scores at the end of the year, for the next
	err    error
}

// panelFocal scores every state against fc at the end of year: the frame of RankState,
// with the lagged scores lag (nil: computed from f at prev, as RankState does), and the
// direct scores at at for the next year.
func (e *Engine) panelFocal(ctx context.Context, f *facts, fc entente.Country, year int, prev, at time.Time, lag map[string]float64, boot bool) panelResult {
	var err error
	if lag == nil {
		if lag, err = e.direct(ctx, f, fc, prev); err != nil {
			return panelResult{err: err}
		}
	}
	fr, err := e.frame(ctx, f, fc, at, lag)
	if err != nil {
		return panelResult{err: err}
	}
	// The direct scores at at (the next year's lag) are this frame's scores without the
	// third-party term: a frame gathered without lagged scores (Engine.direct) differs
	// only in holding no third-party items, so the frame is not gathered twice.
	direct := make(map[string]float64, len(fr.dyads))
	rows := make([]PanelRow, len(fr.dyads))
	for i := range fr.dyads {
		rows[i] = PanelRow{Year: year, Focal: fc, Score: e.score(fr, &fr.dyads[i], boot)}
		rows[i].reps = nil
		d := fr.dyads[i]
		d.third = nil
		if s := e.score(fr, &d, false); !math.IsNaN(s.Score) {
			direct[d.other.ID] = s.Score
		}
	}
	sort.SliceStable(rows, func(i, j int) bool { return stateLess(rows[i].Other, rows[j].Other) })
	return panelResult{rows: rows, direct: direct}
}

// Known reports whether the row has a score (direct evidence on the dyad).
func (r *PanelRow) Known() bool { return !math.IsNaN(r.Score.Score) }
