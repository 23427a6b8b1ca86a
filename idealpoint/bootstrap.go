package idealpoint

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"sync"
)

// Bootstrap sets every point's Lo and Hi to the 5% and 95% quantiles of its position
// over reps parametric-bootstrap replicates, shifted by the replicates' median bias: votes are drawn from the fitted model on
// the observed (state, roll call) cells, the model is refitted from the fitted values,
// and the replicate's positions are kept. The variational SD understates uncertainty
// (as emIRT's documentation warns); the bootstrap does not. Replicates run on
// Options.Workers goroutines; seed makes the result reproducible. progress, when set,
// is called after each finished replicate.
func (f *Fit) Bootstrap(ctx context.Context, reps int, seed uint64, progress func(done int)) error {
	if reps < 2 {
		return nil
	}
	m := f.m
	draws := make([][]float32, len(f.Points)) // per point, one value per replicate
	for i := range draws {
		draws[i] = make([]float32, reps)
	}
	// k index of each point, in Points order.
	ks := make([]int, len(f.Points))
	{
		i := 0
		for t := range m.nT {
			for s := range m.nS {
				if k := s*m.nT + t; m.active[k] {
					ks[i] = k
					i++
				}
			}
		}
	}
	jobs := make(chan int)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var firstErr error
	done := 0
	for range m.opt.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := range jobs {
				rep := m.replicate(rand.New(rand.NewPCG(seed, uint64(r)+1)))
				rep.opt.Workers = 1
				if _, _, err := rep.run(ctx, m.opt.BootIter); err != nil {
					mu.Lock()
					firstErr = err
					mu.Unlock()
					continue
				}
				rep.orient()
				for i, k := range ks {
					draws[i][r] = float32(rep.xm[k])
				}
				mu.Lock()
				done++
				if progress != nil {
					progress(done)
				}
				mu.Unlock()
			}
		}()
	}
	for r := range reps {
		if ctx.Err() != nil {
			break
		}
		jobs <- r
	}
	close(jobs)
	wg.Wait()
	if firstErr != nil {
		return firstErr
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	for i := range f.Points {
		d := draws[i]
		slices.Sort(d)
		// Shift the replicates' percentiles by their median's bias: with few votes the
		// refits shrink toward the prior, and a plain percentile interval would then miss
		// the point estimate itself.
		bias := quantile(d, 0.5) - f.Points[i].X
		f.Points[i].Lo = quantile(d, 0.05) - bias
		f.Points[i].Hi = quantile(d, 0.95) - bias
	}
	return nil
}

// replicate returns a copy of the fitted model whose votes are drawn from the fit.
func (m *model) replicate(rng *rand.Rand) *model {
	r := *m
	r.vy = make([]uint8, len(m.vy))
	r.alpha = slices.Clone(m.alpha)
	r.beta = slices.Clone(m.beta)
	r.sigma = slices.Clone(m.sigma)
	r.xm = slices.Clone(m.xm)
	r.xv = slices.Clone(m.xv)
	r.zm = make([]float32, len(m.zm))
	r.zv = make([]float32, len(m.zv))
	r.opt.Progress = nil
	for g := range m.kind {
		a, b, s := m.alpha[g], m.beta[g], m.sigma[g]
		for v := m.start[g]; v < m.start[g+1]; v++ {
			z := a + b*m.xm[m.vsy[v]] + s*rng.NormFloat64()
			switch {
			case m.kind[g] == kindBinary && z > 0:
				r.vy[v] = 1
			case m.kind[g] == kindBinary:
				r.vy[v] = 0
			case z < 0:
				r.vy[v] = 0
			case z < 1:
				r.vy[v] = 1
			default:
				r.vy[v] = 2
			}
		}
	}
	return &r
}

// quantile returns the p quantile of sorted values by linear interpolation.
func quantile(sorted []float32, p float64) float64 {
	if len(sorted) == 0 {
		return math.NaN()
	}
	h := p * float64(len(sorted)-1)
	i := int(h)
	if i+1 >= len(sorted) {
		return float64(sorted[len(sorted)-1])
	}
	return float64(sorted[i]) + (h-float64(i))*float64(sorted[i+1]-sorted[i])
}
