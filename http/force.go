package http

import (
	"context"
	"strconv"
	"time"

	"github.com/entente/entente"
	"github.com/entente/entente/index"
)

// forceSource is the engine's force signals of a dyad-year (*index.Engine has it).
type forceSource interface {
	ForceDyadYear(ctx context.Context, a, b entente.Country, year int) (index.ForceDyad, error)
}

var _ forceSource = (*index.Engine)(nil)

// maxForceYears bounds the years of force evidence a dyad response carries: the last
// ones of the range asked for.
const maxForceYears = 20

// ForceItem is one record behind a force signal (docs/force.md).
type ForceItem struct {
	From   string `json:"from"`
	To     string `json:"to"`
	Detail string `json:"detail"`
	Source string `json:"source"` // dataset, identifier and file line
}

// ForceYear is one force signal of the dyad a -> b in one year: war, cobelligerence,
// rivalry, disputes or arms, null when unknown (outside its data's years).
type ForceYear struct {
	Period   string      `json:"period"`
	Signal   string      `json:"signal"`
	Value    Num         `json:"value"`
	Detail   string      `json:"detail"`
	Coverage string      `json:"coverage"`
	Items    []ForceItem `json:"items"`
}

// dyadForce returns the force signals of the dyad for the last years of [from, to),
// when the store holds force data (it implements entente.ConflictStore).
func (s *Server) dyadForce(ctx context.Context, a, b entente.Country, from, to time.Time) ([]ForceYear, error) {
	out := []ForceYear{}
	fd, ok := s.Index.(forceSource)
	if !ok {
		return out, nil
	}
	last := to.AddDate(0, 0, -1).Year()
	first := max(from.Year(), last-maxForceYears+1)
	for y := first; y <= last; y++ {
		d, err := fd.ForceDyadYear(ctx, a, b, y)
		if err != nil {
			return nil, err
		}
		for _, v := range d.Signals {
			fy := ForceYear{Period: strconv.Itoa(y), Signal: v.Signal, Value: Num(v.Value), Detail: v.Detail, Coverage: v.Coverage, Items: []ForceItem{}}
			for _, it := range d.Items {
				if it.Signal == v.Signal {
					fy.Items = append(fy.Items, ForceItem{From: it.From, To: it.To, Detail: it.Detail, Source: it.Ref})
				}
			}
			out = append(out, fy)
		}
	}
	return out, nil
}
