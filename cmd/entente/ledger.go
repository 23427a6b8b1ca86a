package main

import (
	"context"
	"flag"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/entente/entente"
	"github.com/entente/entente/bloc"
	"github.com/entente/entente/index"
	"github.com/entente/entente/ingest/ledger"
)

func init() {
	commands = append(commands, &command{
		name:    "ledger",
		summary: "validate or query the cited ledger of acts",
		usage: `Usage:
  entente ledger check PATH...
  entente ledger list [PATH...] [--actor X] [--counterpart Y] [--either X] [--since DATE] [--until DATE] [--kind K]

check reads ledger files (a file, a folder of *.yaml/*.yml files, or a glob), validates
every act against the format (docs/ledger.md), the country registry at the act's date,
the clock and the other acts (ids unique across files), and prints each problem as
file:line:column: field: cause on stderr. It reports files, acts, sources, how many
sources are checked (their text was read and confirms the act) and acts by kind, and
exits 2 when any act is invalid.

list prints acts, oldest first, with their sources. Without PATH it reads the store
(what 'entente import ledger' put there); with PATH it reads and checks the files
instead, so a ledger can be queried before it is imported. States are resolved as
everywhere (RUS, RU, 365, "Russia"); organisation codes (NATO, CSTO ...) are accepted
for --actor and --counterpart. --either matches acts with X on either side.

Examples:
  entente ledger check data/ledger
  entente ledger list --actor PRK --counterpart RUS
  entente ledger list --either ARM --since 2024 --format csv
  entente ledger list data/ledger --kind sanctions_refusal
`,
		setup: func(fs *flag.FlagSet) func(context.Context, *app, []string) error {
			var q ledgerQuery
			fs.StringVar(&q.actor, "actor", "", "list: only acts by this state or organisation")
			fs.StringVar(&q.counterpart, "counterpart", "", "list: only acts toward this state or organisation")
			fs.StringVar(&q.either, "either", "", "list: only acts with this state or organisation on either side")
			fs.StringVar(&q.since, "since", "", "list: only acts from this date (YYYY, YYYY-MM or YYYY-MM-DD)")
			fs.StringVar(&q.until, "until", "", "list: only acts up to the end of this date")
			fs.StringVar(&q.kind, "kind", "", "list: only acts of this kind")
			return func(ctx context.Context, a *app, args []string) error {
				if len(args) == 0 {
					return usagef("want a subcommand: check or list")
				}
				switch args[0] {
				case "check":
					if q != (ledgerQuery{}) {
						return usagef("check takes paths only; the filters are for list")
					}
					if len(args) < 2 {
						return usagef("check: want at least one path")
					}
					return a.ledgerCheck(args[1:])
				case "list":
					return a.ledgerList(ctx, q, args[1:])
				}
				return usagef("unknown subcommand %q: want check or list", args[0])
			}
		},
	})
}

// ledgerCheck validates ledger files and reports.
func (a *app) ledgerCheck(paths []string) error {
	rep, _, errs := ledger.CheckPaths(a.countries, a.now(), nil, paths...)
	for _, e := range errs {
		fmt.Fprintln(a.stderr, e)
	}
	if a.format == "table" {
		fmt.Fprint(a.stdout, rep.String())
	} else {
		w := a.newRowWriter([]string{"item", "count"})
		w.Row("files", rep.Files)
		w.Row("acts", rep.Acts)
		w.Row("sources", rep.Sources)
		w.Row("sources_checked", rep.Checked)
		w.Row("errors", rep.Errors)
		for _, k := range sortedKeys(rep.ByKind) {
			w.Row("kind:"+k, rep.ByKind[k])
		}
		if err := w.Close(); err != nil {
			return err
		}
	}
	if len(errs) > 0 {
		return entente.Errorf(entente.EINVALID, "%d errors in the ledger", len(errs))
	}
	return nil
}

// ledgerQuery holds the filters of 'ledger list'.
type ledgerQuery struct {
	actor, counterpart, either, since, until, kind string
}

// party resolves a state or organisation argument to the form acts use: a registry ID
// or an upper-case organisation code.
func (a *app) party(arg string) (string, error) {
	if arg == "" {
		return "", nil
	}
	if ledger.IsOrganisation(arg) || bloc.Default().Known(arg) {
		return strings.ToUpper(strings.TrimSpace(arg)), nil
	}
	c, err := entente.ResolveAt(a.countries, arg, time.Time{})
	if err != nil {
		return "", err
	}
	return c.ID, nil
}

func (a *app) actQuery(lq ledgerQuery) (entente.ActQuery, error) {
	var q entente.ActQuery
	var err error
	if q.Actor, err = a.party(lq.actor); err != nil {
		return q, err
	}
	if q.Counterpart, err = a.party(lq.counterpart); err != nil {
		return q, err
	}
	if q.Either, err = a.party(lq.either); err != nil {
		return q, err
	}
	if lq.kind != "" {
		if _, ok := entente.ActKinds[lq.kind]; !ok {
			return q, usagef("--kind %q: want one of %s", lq.kind, strings.Join(sortedKeys(entente.ActKinds), ", "))
		}
		q.Kind = lq.kind
	}
	if lq.since != "" {
		d, err := entente.ParseDateSpec(lq.since)
		if err != nil {
			return q, usagef("--since: %s", err)
		}
		q.From = d.Start
	}
	if lq.until != "" {
		d, err := entente.ParseDateSpec(lq.until)
		if err != nil {
			return q, usagef("--until: %s", err)
		}
		q.To = d.End
	}
	return q, nil
}

// matchAct applies an ActQuery to one act, as the store does.
func matchAct(q entente.ActQuery, act entente.Act) bool {
	switch {
	case q.Actor != "" && act.Actor != q.Actor,
		q.Counterpart != "" && act.Counterpart != q.Counterpart,
		q.Either != "" && act.Actor != q.Either && act.Counterpart != q.Either,
		q.Kind != "" && act.Kind != q.Kind,
		!q.From.IsZero() && act.Date.Before(q.From),
		!q.To.IsZero() && !act.Date.Before(q.To):
		return false
	}
	return true
}

func (a *app) ledgerList(ctx context.Context, lq ledgerQuery, paths []string) error {
	q, err := a.actQuery(lq)
	if err != nil {
		return err
	}
	var acts []entente.Act
	if len(paths) > 0 {
		_, las, errs := ledger.CheckPaths(a.countries, a.now(), nil, paths...)
		for _, e := range errs {
			fmt.Fprintln(a.stderr, e)
		}
		if len(errs) > 0 {
			return entente.Errorf(entente.EINVALID, "%d errors in the ledger: run 'entente ledger check' and fix them first", len(errs))
		}
		for _, la := range las {
			if matchAct(q, la.Act) {
				acts = append(acts, la.Act)
			}
		}
		sort.SliceStable(acts, func(i, j int) bool {
			if !acts[i].Date.Equal(acts[j].Date) {
				return acts[i].Date.Before(acts[j].Date)
			}
			return acts[i].ID < acts[j].ID
		})
	} else {
		st, err := a.openExistingStore(ctx)
		if err != nil {
			return err
		}
		defer st.Close()
		if acts, err = st.Acts(ctx, q); err != nil {
			return err
		}
	}
	w := a.newRowWriter([]string{"id", "date", "actor", "counterpart", "kind", "stance", "weight", "summary", "sources"})
	for _, act := range acts {
		summary, sources := act.Summary, index.Citations(act.Sources)
		if a.format == "table" {
			summary, sources = shorten(summary, 70), shorten(sources, 60)
		}
		if err := w.Row(act.ID, index.ActDate(act), act.Actor, act.Counterpart, act.Kind, index.StanceSign(act.Stance),
			index.DefaultConfig().KindWeights[act.Kind], summary, sources); err != nil {
			return err
		}
	}
	a.note("%d acts", len(acts))
	return w.Close()
}
