package main

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/entente/entente"
	"github.com/entente/entente/bloc"
	"github.com/entente/entente/index"
)

func init() { rankers["index"] = (*app).rankIndex }

// indexOptions are the index's configuration sources: a config file and a
// name=value,... list, applied in that order over the defaults of docs/index.md. rank
// reads them from $ENTENTE_INDEX_CONFIG and $ENTENTE_INDEX_WEIGHTS; explain and drift
// also take --config and --weights.
type indexOptions struct {
	config  string
	weights string
}

// indexConfig builds the configuration: defaults, then the environment, then flags.
func (a *app) indexConfig(o indexOptions) (index.Config, error) {
	cfg := index.DefaultConfig()
	for _, file := range []string{a.getenv("ENTENTE_INDEX_CONFIG"), o.config} {
		if file == "" {
			continue
		}
		f, err := os.Open(file)
		if err != nil {
			return cfg, entente.Errorf(entente.EINVALID, "index config: %s", err)
		}
		err = cfg.ParseConfig(f, file)
		f.Close()
		if err != nil {
			return cfg, err
		}
	}
	for _, list := range []string{a.getenv("ENTENTE_INDEX_WEIGHTS"), o.weights} {
		if err := cfg.SetList(list); err != nil {
			return cfg, err
		}
	}
	return cfg, nil
}

// indexEngine opens the store and returns an engine over it; the caller closes the store.
func (a *app) indexEngine(ctx context.Context, o indexOptions) (*index.Engine, entente.Store, error) {
	cfg, err := a.indexConfig(o)
	if err != nil {
		return nil, nil, err
	}
	st, err := a.openExistingStore(ctx)
	if err != nil {
		return nil, nil, err
	}
	return index.New(st, a.countries, bloc.Default(), cfg), st, nil
}

// indexDate turns --at into the exclusive end of the index's window: the end of the
// year, month or day given; without --at, the day after the last roll call stored.
func indexDate(ctx context.Context, st entente.Store, at string) (time.Time, error) {
	if at != "" {
		d, err := entente.ParseDateSpec(at)
		if err != nil {
			return time.Time{}, usagef("--at: %s", err)
		}
		return d.End, nil
	}
	cov, err := st.VoteCoverage(ctx, "")
	if err != nil {
		return time.Time{}, err
	}
	var last time.Time
	for _, c := range cov {
		if c.Last.After(last) {
			last = c.Last
		}
	}
	if last.IsZero() {
		return time.Time{}, entente.Errorf(entente.EINVALID, "no UN roll call in the store to date the index by: give --at")
	}
	return last.AddDate(0, 0, 1), nil
}

// indexState resolves a state for the index at the day before at, or its latest
// spell.
func (a *app) indexState(arg string, at time.Time) (entente.Country, error) {
	c, err := a.countries.Resolve(arg, at.AddDate(0, 0, -1))
	if err != nil {
		if c2, err2 := a.countries.Resolve(arg, time.Time{}); err2 == nil {
			return c2, nil
		}
	}
	return c, err
}

func indexWindowLabel(from, at time.Time) string {
	return from.Format(time.DateOnly) + ".." + at.AddDate(0, 0, -1).Format(time.DateOnly)
}

// rankIndex orders every state by its alignment index with the focal state.
func (a *app) rankIndex(ctx context.Context, o rankOptions) error {
	if o.issue != "" || o.metric != "" {
		return usagef("--metric and --issue apply to single signals; the index combines them all (override its weights with --weights)")
	}
	e, st, err := a.indexEngine(ctx, indexOptions{config: o.config, weights: o.weights})
	if err != nil {
		return err
	}
	defer st.Close()
	at, err := indexDate(ctx, st, o.at)
	if err != nil {
		return err
	}
	focal, err := a.indexState(o.focal, at)
	if err != nil {
		return err
	}
	r, err := e.Rank(ctx, focal.ID, at)
	if err != nil {
		return err
	}
	cols := []string{"rank", "iso3", "ccode", "name", "score", "lo", "hi", "class", "flags"}
	cols = append(cols, index.Signals...)
	a.setRankKeys(r.Focal.ID, r.At.AddDate(0, 0, -1))
	w := a.newRowWriter(cols)
	vals := make([]any, 0, len(cols))
	for i, s := range r.Scores {
		if !o.shown(i, len(r.Scores)) {
			continue
		}
		var cc any
		if s.Other.COW > 0 {
			cc = s.Other.COW
		}
		vals = append(vals[:0], i+1, s.Other.ID, cc, s.Other.Name, s.Score, s.Lo, s.Hi, s.Class, strings.Join(s.Flags, " "))
		for _, c := range s.Signals {
			if c.Available() {
				vals = append(vals, c.Contribution)
			} else {
				vals = append(vals, nil)
			}
		}
		if err := w.Row(vals...); err != nil {
			return err
		}
	}
	var cov []string
	for k, n := range r.Coverage {
		cov = append(cov, fmt.Sprintf("%s %d", index.Signals[k], n))
	}
	a.note("%s (%s), %s: %d states scored (%d without evidence left out); signals available: %s; %d UN roll calls",
		r.Focal.Name, r.Focal.ID, indexWindowLabel(r.From, r.At), len(r.Scores), r.Unknown, strings.Join(cov, ", "), r.RollCalls)
	if err := a.noteCoverage(ctx, st, r.Focal.ID, r.From, r.At); err != nil {
		return err
	}
	return w.Close()
}
