package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/entente/entente/index"
)

func init() {
	commands = append(commands, &command{
		name:    "explain",
		summary: "take one alignment score apart: each signal's contribution and its evidence",
		usage: `Usage:
  entente explain FOCAL OTHER [--at DATE] [--evidence N] [--weights LIST] [--config FILE]

Scores OTHER against FOCAL with the alignment index (docs/index.md) and shows how: each
signal's value in [-1, 1], its effective weight, its contribution to the score, the
number of evidence items behind it and what they are; then, per signal, the evidence
items that moved it most (leave-one-out effect), each with its source: ledger
citations, event URLs, UN roll-call ids, bloc registry sources. --format json gives the
same as one JSON object.

--at YYYY means that calendar year; --at YYYY-MM or YYYY-MM-DD the 12 months ending
then (decays run to the end of the date). Without --at, the 12 months to the last UN
roll call stored.

Examples:
  entente explain RUS KAZ --at 2025-06
  entente explain RUS SYR --at 2025-06 --evidence 3 --format json
  entente explain USA IND --at 2024 --weights ledger=2,third=0
`,
		setup: func(fs *flag.FlagSet) func(context.Context, *app, []string) error {
			at := fs.String("at", "", "date: YYYY (that year) or YYYY-MM[-DD] (the 12 months ending then)")
			n := fs.Int("evidence", 5, "evidence items shown per signal")
			weights := fs.String("weights", "", "override index parameters: name=value,... (weight.ledger=2, halflife=3, ...)")
			config := fs.String("config", "", "index config file: one 'name = value' per line")
			return func(ctx context.Context, a *app, args []string) error {
				if len(args) != 2 {
					return usagef("want a focal state and another state")
				}
				if *n < 0 {
					return usagef("--evidence takes a positive number")
				}
				return a.explain(ctx, args[0], args[1], *at, *n, indexOptions{config: *config, weights: *weights})
			}
		},
	})
}

func (a *app) explain(ctx context.Context, focalArg, otherArg, atArg string, n int, o indexOptions) error {
	e, st, at, err := a.indexAt(ctx, o, atArg)
	if err != nil {
		return err
	}
	defer st.Close()
	focal, err := e.Resolve(focalArg, at)
	if err != nil {
		return err
	}
	other, err := e.Resolve(otherArg, at)
	if err != nil {
		return err
	}
	x, err := e.ExplainDyad(ctx, focal, other, at, n)
	if err != nil {
		return err
	}
	if a.format == "json" {
		return a.explainJSON(x)
	}
	return a.writeExplanation(x)
}

// writeExplanation writes an explanation as a table or CSV: the score, each signal's
// part, the evidence, and the third parties in a note.
func (a *app) writeExplanation(x *index.Explanation) error {
	s := x.Score
	if a.format == "table" {
		fmt.Fprintf(a.stdout, "%s (%s) and %s (%s), %s\n", x.Focal.Name, x.Focal.ID, s.Other.Name, s.Other.ID, index.WindowLabel(x.From, x.At))
		fmt.Fprintf(a.stdout, "score %s [%s, %s]  class %s  rank %d of %d  flags %s\n\n",
			ixFixed(s.Score), ixFixed(s.Lo), ixFixed(s.Hi), s.Class, x.Rank, x.Of, ixDash(strings.Join(s.Flags, " ")))
	}
	w := a.newRowWriter([]string{"signal", "value", "weight", "contribution", "n", "note"})
	for k, c := range s.Signals {
		var weight, contrib any
		if c.Available() {
			weight, contrib = c.Weight, c.Contribution
		}
		if err := w.Row(index.Signals[k], c.Value, weight, contrib, c.N, c.Note); err != nil {
			return err
		}
	}
	if err := w.Close(); err != nil {
		return err
	}
	if a.format == "table" {
		fmt.Fprintln(a.stdout)
	}
	w = a.newRowWriter([]string{"signal", "date", "effect", "evidence", "source"})
	for k := range x.Evidence {
		for _, ev := range x.Evidence[k] {
			if err := w.Row(ev.Signal, ixDate(ev.Date), ev.Effect, ev.Text, ev.Source); err != nil {
				return err
			}
		}
	}
	for _, ev := range x.Force { // shown beside the score, not terms of it (docs/force.md)
		if err := w.Row(ev.Signal, ev.Date.Format("2006"), nil, ev.Text, ev.Source); err != nil {
			return err
		}
	}
	if err := w.Close(); err != nil {
		return err
	}
	if len(x.ThirdParties) > 0 {
		var names []string
		for i, t := range x.ThirdParties {
			if i == 8 {
				names = append(names, "...")
				break
			}
			names = append(names, fmt.Sprintf("%s %.2f", t.Name, t.Lagged))
		}
		a.note("third parties strongly misaligned with %s a year earlier (lagged score): %s", x.Focal.ID, strings.Join(names, ", "))
	}
	return nil
}

func ixFixed(v float64) string {
	if math.IsNaN(v) {
		return "-"
	}
	return fmt.Sprintf("%.3f", v)
}

func ixDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func ixDate(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.Format(time.DateOnly)
}

// ixNum is a float that marshals NaN as null.
type ixNum float64

func (n ixNum) MarshalJSON() ([]byte, error) {
	if math.IsNaN(float64(n)) || math.IsInf(float64(n), 0) {
		return []byte("null"), nil
	}
	return appendMachineFloat(nil, float64(n)), nil // full precision, as every machine format
}

type ixJSONSignal struct {
	Signal       string `json:"signal"`
	Value        ixNum  `json:"value"`
	Weight       ixNum  `json:"weight"`
	Contribution ixNum  `json:"contribution"`
	N            int    `json:"n"`
	Available    bool   `json:"available"`
	Note         string `json:"note"`
}

type ixJSONEvidence struct {
	Signal string `json:"signal"`
	Date   any    `json:"date"`
	Effect ixNum  `json:"effect"`
	Text   string `json:"evidence"`
	Source string `json:"source"`
}

func (a *app) explainJSON(x *index.Explanation) error {
	s := x.Score
	out := struct {
		Focal        string           `json:"focal"`
		Other        string           `json:"other"`
		OtherName    string           `json:"other_name"`
		Window       string           `json:"window"`
		Score        ixNum            `json:"score"`
		Lo           ixNum            `json:"lo"`
		Hi           ixNum            `json:"hi"`
		Class        string           `json:"class"`
		Flags        []string         `json:"flags"`
		Rank         int              `json:"rank"`
		Of           int              `json:"of"`
		Signals      []ixJSONSignal   `json:"signals"`
		Evidence     []ixJSONEvidence `json:"evidence"`
		ThirdParties []map[string]any `json:"third_parties"`
	}{Focal: x.Focal.ID, Other: s.Other.ID, OtherName: s.Other.Name, Window: index.WindowLabel(x.From, x.At),
		Score: ixNum(s.Score), Lo: ixNum(s.Lo), Hi: ixNum(s.Hi), Class: s.Class, Flags: s.Flags, Rank: x.Rank, Of: x.Of}
	if out.Flags == nil {
		out.Flags = []string{}
	}
	for k, c := range s.Signals {
		js := ixJSONSignal{Signal: index.Signals[k], Value: ixNum(c.Value), Weight: ixNum(math.NaN()), Contribution: ixNum(math.NaN()), N: c.N, Available: c.Available(), Note: c.Note}
		if c.Available() {
			js.Weight, js.Contribution = ixNum(c.Weight), ixNum(c.Contribution)
		}
		out.Signals = append(out.Signals, js)
	}
	out.Evidence = []ixJSONEvidence{}
	for k := range x.Evidence {
		for _, ev := range x.Evidence[k] {
			out.Evidence = append(out.Evidence, ixJSONEvidence{Signal: ev.Signal, Date: ixDate(ev.Date), Effect: ixNum(ev.Effect), Text: ev.Text, Source: ev.Source})
		}
	}
	out.ThirdParties = []map[string]any{}
	for _, t := range x.ThirdParties {
		out.ThirdParties = append(out.ThirdParties, map[string]any{"name": t.Name, "lagged": ixNum(t.Lagged), "weight": ixNum(t.Weight)})
	}
	enc := json.NewEncoder(a.stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
