package idealpoint

import (
	"context"
	"fmt"
	"math"

	"github.com/entente/entente"
)

// Variant is the variant name under which entente's estimates from every UN vote are
// stored (source entente).
const Variant = "all"

// Source is what Run needs of a store: the votes, and where the estimates go.
type Source interface {
	VoteCoverage(ctx context.Context, issue string) ([]entente.SourceCoverage, error)
	Ballots(ctx context.Context, q entente.BallotQuery) ([]entente.Ballot, error)
	ReplaceIdealPoints(ctx context.Context, source, variant string, points []entente.IdealPoint) error
}

// Report tells what Run did.
type Report struct {
	Fit       *Fit
	RollCalls int // roll calls read (after source precedence)
	Reps      int // bootstrap replicates
}

// Run estimates every state-year from all UN votes in the store (one source per date,
// entente.SelectByPrecedence, as similarity uses), bootstraps reps replicates (none when
// reps < 2: the points then carry no interval) and replaces the stored entente
// estimates with the result.
func Run(ctx context.Context, st Source, opt Options, reps int, bootProgress func(done int)) (Report, error) {
	cov, err := st.VoteCoverage(ctx, "")
	if err != nil {
		return Report{}, fmt.Errorf("ideal points: %w", err)
	}
	if len(cov) == 0 {
		return Report{}, entente.Errorf(entente.ENOTFOUND, "ideal points: no UN votes in the store: run 'entente import unvotes FILE...' first")
	}
	bs, err := st.Ballots(ctx, entente.BallotQuery{})
	if err != nil {
		return Report{}, fmt.Errorf("ideal points: %w", err)
	}
	bs = entente.SelectByPrecedence(bs, cov)
	fit, err := Estimate(ctx, bs, opt)
	if err != nil {
		return Report{}, fmt.Errorf("ideal points: %w", err)
	}
	if reps >= 2 {
		if err := fit.Bootstrap(ctx, reps, 1, bootProgress); err != nil {
			return Report{}, fmt.Errorf("ideal points: bootstrap: %w", err)
		}
	}
	if err := st.ReplaceIdealPoints(ctx, entente.SourceEntente, Variant, fit.Stored()); err != nil {
		return Report{}, fmt.Errorf("ideal points: %w", err)
	}
	return Report{Fit: fit, RollCalls: len(bs), Reps: reps}, nil
}

// Stored returns the fit's points as entente.IdealPoint of source entente: the 5% and
// 95% quantiles from the bootstrap (unknown when it has not run).
func (f *Fit) Stored() []entente.IdealPoint {
	out := make([]entente.IdealPoint, len(f.Points))
	for i, p := range f.Points {
		q := entente.NoQuantiles()
		if !math.IsNaN(p.Lo) {
			q[1], q[5] = p.Lo, p.Hi
		}
		out[i] = entente.IdealPoint{Source: entente.SourceEntente, Variant: Variant, CCode: p.CCode, Year: p.Year,
			X: p.X, Q: q, Votes: p.Votes}
	}
	return out
}
