package index

import (
	"context"
	"math"
	"time"

	"github.com/entente/entente"
	"github.com/entente/entente/validate"
)

// Rankings serves an engine's rankings to the validation harness (package validate):
// each (focal state, date) is ranked once, and its ranking gives the index and every
// signal as scorers side by side, and the index with its classes as a ranker.
type Rankings struct {
	e     *Engine
	cache map[string]*Ranking
}

// NewRankings returns the rankings of e, none computed yet.
func NewRankings(e *Engine) *Rankings { return &Rankings{e: e, cache: map[string]*Ranking{}} }

func (r *Rankings) rank(ctx context.Context, focal entente.Country, at time.Time) (*Ranking, error) {
	k := focal.ID + "|" + at.Format(time.DateOnly)
	if rk, ok := r.cache[k]; ok {
		return rk, nil
	}
	rk, err := r.e.Rank(ctx, focal.ID, at)
	if err != nil {
		return nil, err
	}
	r.cache[k] = rk
	return rk, nil
}

// Scorers returns the index ("index") and then each signal alone (its value as the index
// computed it), named as in Signals; a state without a score is left out, never 0.
func (r *Rankings) Scorers() []validate.NamedScorer {
	out := []validate.NamedScorer{{Name: "index", Score: r.scorer(-1)}}
	for k, name := range Signals {
		out = append(out, validate.NamedScorer{Name: name, Score: r.scorer(k)})
	}
	return out
}

// scorer returns the index score (signal < 0) or one signal's value.
func (r *Rankings) scorer(signal int) validate.Scorer {
	return func(ctx context.Context, focal entente.Country, at time.Time) (map[string]float64, error) {
		rk, err := r.rank(ctx, focal, at)
		if err != nil {
			return nil, err
		}
		out := make(map[string]float64, len(rk.Scores))
		for _, s := range rk.Scores {
			v := s.Score
			if signal >= 0 {
				v = s.Signals[signal].Value
			}
			if !math.IsNaN(v) {
				out[s.Other.ID] = v
			}
		}
		return out, nil
	}
}

// Ranker ranks for the face-validity suite (validate.Evaluate): every scored state with
// its index score and class.
func (r *Rankings) Ranker(ctx context.Context, focal entente.Country, at time.Time) ([]validate.Ranked, error) {
	rk, err := r.rank(ctx, focal, at)
	if err != nil {
		return nil, err
	}
	out := make([]validate.Ranked, 0, len(rk.Scores))
	for _, s := range rk.Scores {
		out = append(out, validate.Ranked{ID: s.Other.ID, Score: s.Score, Class: s.Class})
	}
	return out, nil
}
