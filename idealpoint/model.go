// Package idealpoint estimates where each state stands, year by year, from its UN
// General Assembly votes: a dynamic one-dimensional ordinal item-response model
// (yes > abstain > no) whose state positions follow a random walk across years, fitted
// by variational EM in the manner of Imai, Lo & Olmsted (APSR 110(4), 2016), with
// uncertainty from a parametric bootstrap. docs/idealpoints.md gives the model, the
// identification and the measured agreement with Bailey, Strezhnev & Voeten (2017).
package idealpoint

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"

	"github.com/entente/entente"
)

// DefaultAnchor is the COW number whose mean position is made positive (the United
// States): the direction convention of Bailey, Strezhnev & Voeten, so that high means
// close to the US-led liberal order. It fixes a sign only; no estimate depends on it.
const DefaultAnchor = 2

// DefaultMaxIter is the default bound on EM iterations.
const DefaultMaxIter = 150

// Options tune an estimation. The zero value gives the documented defaults.
type Options struct {
	// Omega is the standard deviation of a state's yearly random-walk step (default 0.5).
	Omega float64
	// Rho, when in (0, 1), makes the walk mean-reverting: x_t = Rho·x_{t-1} + step, so
	// that positions cannot drift without bound (0: a plain random walk).
	Rho float64
	// Tau adds to every state-year a N(0, Tau²) prior besides the walk (default 1; negative:
	// none), so that each year's scale is that of a static fit while years stay linked:
	// without it, evidence that a lone dissenter is extreme accumulates along its walk and
	// its position runs off (docs/idealpoints.md).
	Tau float64
	// MaxIter bounds the EM iterations (default 150); Tol is the convergence threshold on
	// the largest change of any state-year position between iterations (default 1e-3).
	MaxIter int
	Tol     float64
	// BootIter bounds the EM iterations of each bootstrap replicate, which starts from
	// the fitted values (default 40).
	BootIter int
	// Workers is the number of goroutines of the E-step and of the bootstrap (default 2).
	Workers int
	// Anchor is the COW number whose mean position is made positive (default DefaultAnchor).
	Anchor int
	// Year maps a roll call to its model year (default SessionYear).
	Year func(b *entente.Ballot) int
	// Bridge, when set, returns a key per roll call: roll calls with the same non-empty
	// key share their item parameters across years (a recurring resolution). nil: none.
	Bridge func(b *entente.Ballot) string
	// Progress, when set, is called after each EM iteration with the largest change.
	Progress func(iter int, delta float64)
}

func (o Options) withDefaults() Options {
	if o.Omega <= 0 {
		o.Omega = 0.5
	}
	if o.Tau == 0 {
		o.Tau = 1
	}
	if o.MaxIter <= 0 {
		o.MaxIter = DefaultMaxIter
	}
	if o.Tol <= 0 {
		o.Tol = 1e-3
	}
	if o.BootIter <= 0 {
		o.BootIter = 40
	}
	if o.Workers <= 0 {
		o.Workers = 2
	}
	if o.Anchor == 0 {
		o.Anchor = DefaultAnchor
	}
	if o.Year == nil {
		o.Year = SessionYear
	}
	return o
}

// SessionYear is the model year of a roll call: the year its General Assembly session
// opened (session + 1945, as Bailey, Strezhnev & Voeten count), or the calendar year of
// its date when the source gives no session.
func SessionYear(b *entente.Ballot) int {
	if b.Session > 0 {
		return b.Session + 1945
	}
	return b.Date.Year()
}

// Point is one state's estimated position in one year.
type Point struct {
	CCode int
	Year  int
	X     float64 // posterior mean (variational) of the position
	SD    float64 // variational standard deviation: too small, see Bootstrap
	Votes int     // votes cast by the state in the year's roll calls
	// Lo and Hi bound the 90% bootstrap interval (5% and 95% quantiles); NaN until
	// Bootstrap has run.
	Lo, Hi float64
}

// item kinds: binary items have two observed categories (cut at 0, noise sd 1); ordinal
// items have three (cuts at 0 and 1, noise sd estimated, Imai-Lo-Olmsted's
// parameterisation of the ordered probit).
const (
	kindBinary  = 1
	kindOrdinal = 2
)

// model is the compact vote matrix and the current parameters.
type model struct {
	opt    Options
	ccodes []int // state index -> COW
	years  []int // year index -> year (contiguous from first to last)
	nS, nT int

	// items in CSR form: votes of item g are vsy[start[g]:start[g+1]] (state-year index
	// s*nT+t) with categories vy (0 lower, 1 middle, 2 upper for ordinal; 0/1 for binary).
	start []int
	vsy   []int32
	vy    []uint8
	kind  []uint8

	// item parameters
	alpha, beta, sigma []float64

	// state-year posterior moments; active marks state-years with votes.
	xm, xv []float64
	active []bool
	first  []int // per state: first and last active year index
	last   []int
	nvotes []int32

	// E-step scratch, per vote
	zm, zv []float32
}

// Fit is a finished estimation.
type Fit struct {
	Points    []Point // ordered by year, then COW number
	Iter      int     // EM iterations run
	Converged bool
	Items     int // items (roll calls, or bridged groups) that discriminate
	Votes     int // votes used
	m         *model
}

// ErrNoVotes is returned when the ballots hold no roll call that splits the states.
var ErrNoVotes = errors.New("no contested roll calls to estimate from")

// Estimate fits the model to ballots (one source per date: apply
// entente.SelectByPrecedence first).
func Estimate(ctx context.Context, ballots []entente.Ballot, opt Options) (*Fit, error) {
	opt = opt.withDefaults()
	m, err := build(ballots, opt)
	if err != nil {
		return nil, err
	}
	m.initSpectral()
	m.initItems()
	iter, conv, err := m.run(ctx, opt.MaxIter)
	if err != nil {
		return nil, err
	}
	m.orient()
	return m.fit(iter, conv), nil
}

// build turns ballots into the compact model, dropping unanimous items.
func build(ballots []entente.Ballot, opt Options) (*model, error) {
	m := &model{opt: opt}
	idx := map[int]int{}
	ymin, ymax := math.MaxInt, math.MinInt
	for i := range ballots {
		b := &ballots[i]
		y := opt.Year(b)
		ymin, ymax = min(ymin, y), max(ymax, y)
		for _, c := range b.CCodes {
			if _, ok := idx[int(c)]; !ok {
				idx[int(c)] = 0
			}
		}
	}
	if len(idx) == 0 {
		return nil, ErrNoVotes
	}
	for c := range idx {
		m.ccodes = append(m.ccodes, c)
	}
	slices.Sort(m.ccodes)
	for i, c := range m.ccodes {
		idx[c] = i
	}
	for y := ymin; y <= ymax; y++ {
		m.years = append(m.years, y)
	}
	m.nS, m.nT = len(m.ccodes), len(m.years)

	// Group ballots into items: one per ballot, or one per bridge key.
	groups := map[string]int{}
	var members [][]int
	for i := range ballots {
		key := ""
		if opt.Bridge != nil {
			key = opt.Bridge(&ballots[i])
		}
		if key == "" {
			members = append(members, []int{i})
			continue
		}
		g, ok := groups[key]
		if !ok {
			g = len(members)
			groups[key] = g
			members = append(members, nil)
		}
		members[g] = append(members[g], i)
	}

	m.start = []int{0}
	for _, mem := range members {
		var seen [3]int
		for _, i := range mem {
			for _, v := range ballots[i].Votes {
				if v.Cast() {
					seen[v-entente.Yes]++
				}
			}
		}
		cats := 0
		for _, n := range seen {
			if n > 0 {
				cats++
			}
		}
		if cats < 2 {
			continue // unanimous: says nothing about positions
		}
		// Map the votes to ordered categories: no < abstain < yes.
		var code [4]uint8
		kind := uint8(kindOrdinal)
		if cats == 2 {
			kind = kindBinary
			lower := true
			for _, v := range []entente.VoteValue{entente.No, entente.Abstain, entente.Yes} {
				if seen[v-entente.Yes] == 0 {
					continue
				}
				if lower {
					code[v] = 0
					lower = false
				} else {
					code[v] = 1
				}
			}
		} else {
			code[entente.No], code[entente.Abstain], code[entente.Yes] = 0, 1, 2
		}
		for _, i := range mem {
			b := &ballots[i]
			t := opt.Year(b) - ymin
			for k, c := range b.CCodes {
				v := b.Votes[k]
				if !v.Cast() {
					continue
				}
				m.vsy = append(m.vsy, int32(idx[int(c)]*m.nT+t))
				m.vy = append(m.vy, code[v])
			}
		}
		m.kind = append(m.kind, kind)
		m.start = append(m.start, len(m.vsy))
	}
	if len(m.kind) == 0 {
		return nil, ErrNoVotes
	}
	n := m.nS * m.nT
	m.xm = make([]float64, n)
	m.xv = make([]float64, n)
	m.active = make([]bool, n)
	m.nvotes = make([]int32, n)
	for _, k := range m.vsy {
		m.active[k] = true
		m.nvotes[k]++
	}
	m.first = make([]int, m.nS)
	m.last = make([]int, m.nS)
	for s := range m.nS {
		m.first[s], m.last[s] = -1, -1
		for t := range m.nT {
			if m.active[s*m.nT+t] {
				if m.first[s] < 0 {
					m.first[s] = t
				}
				m.last[s] = t
			}
		}
	}
	nJ := len(m.kind)
	m.alpha = make([]float64, nJ)
	m.beta = make([]float64, nJ)
	m.sigma = make([]float64, nJ)
	m.zm = make([]float32, len(m.vsy))
	m.zv = make([]float32, len(m.vsy))
	return m, nil
}

// fit collects the estimates.
func (m *model) fit(iter int, conv bool) *Fit {
	f := &Fit{Iter: iter, Converged: conv, Items: len(m.kind), Votes: len(m.vsy), m: m}
	for t, y := range m.years {
		for s, c := range m.ccodes {
			k := s*m.nT + t
			if !m.active[k] {
				continue
			}
			f.Points = append(f.Points, Point{CCode: c, Year: y, X: m.xm[k], SD: math.Sqrt(m.xv[k]),
				Votes: int(m.nvotes[k]), Lo: math.NaN(), Hi: math.NaN()})
		}
	}
	return f
}

// orient flips the scale so that the anchor's mean position is positive.
func (m *model) orient() {
	s, ok := slices.BinarySearch(m.ccodes, m.opt.Anchor)
	if !ok {
		return
	}
	sum := 0.0
	for t := range m.nT {
		if k := s*m.nT + t; m.active[k] {
			sum += m.xm[k]
		}
	}
	if sum >= 0 {
		return
	}
	for k := range m.xm {
		m.xm[k] = -m.xm[k]
	}
	for g := range m.beta {
		m.beta[g] = -m.beta[g]
	}
}

// Lookup returns the point of a state in a year.
func (f *Fit) Lookup(ccode, year int) (Point, bool) {
	i := sort.Search(len(f.Points), func(i int) bool {
		p := f.Points[i]
		return p.Year > year || (p.Year == year && p.CCode >= ccode)
	})
	if i < len(f.Points) && f.Points[i].Year == year && f.Points[i].CCode == ccode {
		return f.Points[i], true
	}
	return Point{}, false
}

func sortPoints(ps []Point) {
	slices.SortFunc(ps, func(a, b Point) int {
		return cmp.Or(cmp.Compare(a.Year, b.Year), cmp.Compare(a.CCode, b.CCode))
	})
}

func (m *model) String() string {
	return fmt.Sprintf("idealpoint model: %d states, %d years, %d items, %d votes", m.nS, m.nT, len(m.kind), len(m.vsy))
}
