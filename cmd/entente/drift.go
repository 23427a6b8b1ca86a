package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/entente/entente"
	"github.com/entente/entente/index"
)

func init() {
	commands = append(commands, &command{
		name:    "drift",
		summary: "states whose alignment with a focal state moved most, when, and on what evidence",
		usage: `Usage:
  entente drift FOCAL [--since DATE] [--until DATE] [--top N] [--evidence N] [--weights LIST] [--config FILE]

Computes the alignment index (docs/index.md) of every state with FOCAL for each calendar
year from --since (default 2010) to --until (default: the last UN roll call stored; a
date inside a year adds a last point for the 12 months ending then), detects change
points in each state's series (PELT, Killick, Fearnhead and Eckley 2012, with each point
weighted by its bootstrap precision) and lists the states that moved most: one row per
change point with its period, direction, size, the levels before and after, its
confidence (the share of bootstrap series that show a change within a year of it), the
signal that moved most, and the ledger acts within a year of the break.
--format json adds each state's whole series.

Examples:
  entente drift RUS --since 2010
  entente drift RUS --since 2015 --top 10 --evidence 2
  entente drift USA --since 2016 --format json
`,
		setup: func(fs *flag.FlagSet) func(context.Context, *app, []string) error {
			since := fs.String("since", "2010", "first year of the series: YYYY, YYYY-MM or YYYY-MM-DD")
			until := fs.String("until", "", "end of the series (default: the last UN roll call stored)")
			top := fs.Int("top", 20, "states shown (0: all with a change point)")
			n := fs.Int("evidence", 3, "ledger acts shown per change point")
			weights := fs.String("weights", "", "override index parameters: name=value,...")
			config := fs.String("config", "", "index config file: one 'name = value' per line")
			return func(ctx context.Context, a *app, args []string) error {
				if len(args) != 1 {
					return usagef("want one focal state")
				}
				if *top < 0 || *n < 0 {
					return usagef("--top and --evidence take a positive number")
				}
				return a.drift(ctx, args[0], *since, *until, *top, *n, indexOptions{config: *config, weights: *weights})
			}
		},
	})
}

func (a *app) drift(ctx context.Context, focalArg, sinceArg, untilArg string, top, n int, o indexOptions) error {
	since, err := entente.ParseDateSpec(sinceArg)
	if err != nil {
		return usagef("--since: %s", err)
	}
	e, st, until, err := a.indexAt(ctx, o, untilArg)
	if err != nil {
		return err
	}
	defer st.Close()
	if !until.After(since.Start) {
		return usagef("--until must come after --since")
	}
	focal, err := e.Resolve(focalArg, until)
	if err != nil {
		return err
	}
	d, err := e.DriftState(ctx, focal, since.Start, until)
	if err != nil {
		return err
	}
	var movers []index.Mover
	for _, m := range d.Movers {
		if len(m.Changes) == 0 || top > 0 && len(movers) == top {
			continue
		}
		movers = append(movers, m)
	}
	if a.format == "json" {
		return a.driftJSON(d, movers, n)
	}
	cols := []string{"rank", "iso3", "ccode", "name", "period", "direction", "shift", "before", "after", "confidence", "moved_most", "evidence"}
	w := a.newRowWriter(cols)
	for i, m := range movers {
		for _, c := range m.Changes {
			var cc any
			if m.Other.COW > 0 {
				cc = m.Other.COW
			}
			if err := w.Row(i+1, m.Other.ID, cc, m.Other.Name, c.Period, driftDirection(c.Shift), c.Shift, c.Before, c.After, c.Confidence, driftMovedMost(c), driftEvidence(c, n)); err != nil {
				return err
			}
		}
	}
	a.note("%s (%s), calendar years %s..%s: %d states with a change point, %d shown",
		d.Focal.Name, d.Focal.ID, d.Periods[0], d.Periods[len(d.Periods)-1], driftCountChanged(d), len(movers))
	return w.Close()
}

func driftDirection(shift float64) string {
	if shift < 0 {
		return "away"
	}
	return "toward"
}

// driftMovedMost names the signal whose contribution changed most across a break, signed.
func driftMovedMost(c index.Change) string {
	best, k := 0.0, -1
	for i, d := range c.Deltas {
		if math.Abs(d) > math.Abs(best) {
			best, k = d, i
		}
	}
	if k < 0 {
		return ""
	}
	return fmt.Sprintf("%s %+.2f", index.Signals[k], best)
}

func driftEvidence(c index.Change, n int) string {
	var parts []string
	for i, ev := range c.Evidence {
		if i == n {
			parts = append(parts, fmt.Sprintf("(+%d more)", len(c.Evidence)-n))
			break
		}
		text := ev.Text
		if j := strings.Index(text, "]"); j >= 0 {
			text = text[:j+1] // the act's id
		}
		parts = append(parts, ev.Date.Format(time.DateOnly)+" "+text)
	}
	return strings.Join(parts, "; ")
}

func driftCountChanged(d *index.DriftResult) int {
	n := 0
	for _, m := range d.Movers {
		if len(m.Changes) > 0 {
			n++
		}
	}
	return n
}

func (a *app) driftJSON(d *index.DriftResult, movers []index.Mover, n int) error {
	type jsonChange struct {
		Period     string           `json:"period"`
		Direction  string           `json:"direction"`
		Shift      ixNum            `json:"shift"`
		Before     ixNum            `json:"before"`
		After      ixNum            `json:"after"`
		Confidence ixNum            `json:"confidence"`
		Deltas     map[string]ixNum `json:"signal_deltas"`
		Evidence   []ixJSONEvidence `json:"evidence"`
	}
	type jsonPoint struct {
		Period string `json:"period"`
		Score  ixNum  `json:"score"`
		Lo     ixNum  `json:"lo"`
		Hi     ixNum  `json:"hi"`
		Class  string `json:"class"`
	}
	type jsonMover struct {
		ISO3    string       `json:"iso3"`
		Name    string       `json:"name"`
		Moved   ixNum        `json:"moved"`
		Changes []jsonChange `json:"changes"`
		Series  []jsonPoint  `json:"series"`
	}
	out := struct {
		Focal   string      `json:"focal"`
		Periods []string    `json:"periods"`
		Movers  []jsonMover `json:"movers"`
	}{Focal: d.Focal.ID, Periods: d.Periods, Movers: []jsonMover{}}
	for _, m := range movers {
		jm := jsonMover{ISO3: m.Other.ID, Name: m.Other.Name, Moved: ixNum(m.Moved)}
		for _, c := range m.Changes {
			jc := jsonChange{Period: c.Period, Direction: driftDirection(c.Shift), Shift: ixNum(c.Shift), Before: ixNum(c.Before), After: ixNum(c.After),
				Confidence: ixNum(c.Confidence), Deltas: map[string]ixNum{}, Evidence: []ixJSONEvidence{}}
			for k, v := range c.Deltas {
				jc.Deltas[index.Signals[k]] = ixNum(v)
			}
			for i, ev := range c.Evidence {
				if i == n {
					break
				}
				jc.Evidence = append(jc.Evidence, ixJSONEvidence{Signal: ev.Signal, Date: ixDate(ev.Date), Text: ev.Text, Source: ev.Source, Effect: ixNum(ev.Effect)})
			}
			jm.Changes = append(jm.Changes, jc)
		}
		for _, p := range m.Series {
			jm.Series = append(jm.Series, jsonPoint{Period: p.Period, Score: ixNum(p.Score), Lo: ixNum(p.Lo), Hi: ixNum(p.Hi), Class: p.Class})
		}
		out.Movers = append(out.Movers, jm)
	}
	enc := json.NewEncoder(a.stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
