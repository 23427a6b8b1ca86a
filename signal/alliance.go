package signal

import (
	"fmt"
	"math"
	"slices"

	"github.com/entente/entente"
)

// MaxTie is the strongest alliance tie on entente's ordinal scale (ATOP: defense or
// offense 3, neutrality or consultation 2, non-aggression 1, none 0): d_max of S.
const MaxTie = 3

// AllianceYear holds one year's alliance ties among the states of the system: the
// portfolio of a state is its row, its tie to every state of the system, itself included.
// Ties are directed (ATOP codes the obligations of A toward B); a state's tie to itself
// counts as MaxTie, the convention of Signorino and Ritter (1999) and of the
// alliance-portfolio data built on them. An AllianceYear is not safe for concurrent
// writes; once filled it may be read concurrently.
type AllianceYear struct {
	Year   int
	states []int       // COW numbers, sorted
	index  map[int]int // COW number -> position
	ties   [][]uint8
}

// NewAllianceYear returns a year with no ties among the given states (COW numbers; the
// whole state system of that year, which is the "third states" set of every dyad).
func NewAllianceYear(year int, states []int) *AllianceYear {
	s := slices.Clone(states)
	slices.Sort(s)
	s = slices.Compact(s)
	y := &AllianceYear{Year: year, states: s, index: make(map[int]int, len(s)), ties: make([][]uint8, len(s))}
	for i, c := range s {
		y.index[c] = i
		y.ties[i] = make([]uint8, len(s))
		y.ties[i][i] = MaxTie
	}
	return y
}

// States returns the COW numbers of the year's system, sorted.
func (y *AllianceYear) States() []int { return slices.Clone(y.states) }

// Set records the tie of a toward b. Both must be states of the year, distinct, and the
// strength at most MaxTie; a stronger tie already set is kept (a dyad-year may be listed
// once per alliance).
func (y *AllianceYear) Set(a, b int, strength uint8) error {
	i, ok := y.index[a]
	j, ok2 := y.index[b]
	switch {
	case !ok || !ok2:
		return entente.Errorf(entente.EINVALID, "alliance tie %d→%d in %d: not both states of the system", a, b, y.Year)
	case a == b:
		return entente.Errorf(entente.EINVALID, "alliance tie of %d with itself in %d", a, y.Year)
	case strength > MaxTie:
		return entente.Errorf(entente.EINVALID, "alliance tie %d→%d in %d: strength %d above %d", a, b, y.Year, strength, MaxTie)
	}
	y.ties[i][j] = max(y.ties[i][j], strength)
	return nil
}

// Tie returns the tie of a toward b and whether both are states of the year.
func (y *AllianceYear) Tie(a, b int) (uint8, bool) {
	i, ok := y.index[a]
	j, ok2 := y.index[b]
	if !ok || !ok2 {
		return 0, false
	}
	return y.ties[i][j], true
}

// AllianceMetrics are the alliance-portfolio similarity values of one dyad in one year.
// N is the number of states the portfolios run over (0 when unknown); an undefined
// value is entente.Undefined (NaN), never 0.
type AllianceMetrics struct {
	N      int
	SAbs   float64 // Signorino-Ritter S, absolute distances
	SSq    float64 // Signorino-Ritter S, squared distances
	Pi     float64 // Scott's pi, ties as nominal categories
	Kappa  float64 // Cohen's kappa, ties as nominal categories
	PiW    float64 // Scott's pi, quadratic weights
	KappaW float64 // Cohen's kappa, quadratic weights
	Direct uint8   // the tie of A toward B
}

// UnknownAlliance is the value of a dyad-year the data do not cover.
func UnknownAlliance() AllianceMetrics {
	u := entente.Undefined
	return AllianceMetrics{SAbs: u, SSq: u, Pi: u, Kappa: u, PiW: u, KappaW: u}
}

// Dyad returns the similarity of the portfolios of a and b (docs/blocs.md, "Alliance
// portfolios"). With N states k in the system, a_k and b_k the ties of a and b to k:
//
//	S_abs = 1 - 2 Σ|a_k - b_k| / (N d_max)        S_sq = 1 - 2 Σ(a_k - b_k)² / (N d_max²)
//	p_o = share of k with a_k = b_k;  kappa = (p_o - p_e) / (1 - p_e)
//	      p_e = Σ_c p_a(c) p_b(c) (Cohen), Σ_c ((p_a(c) + p_b(c)) / 2)² (Scott)
//	D_o = Σ(a_k - b_k)² / N;  kappa_w = 1 - D_o / D_e
//	      D_e = Σ_c Σ_c' p_a(c) p_b(c') (c - c')² (Cohen), with pooled p for Scott
//
// where d_max = MaxTie and p_a(c) is the share of a's ties at level c (Signorino and
// Ritter 1999, ISQ 43:115-144; Häge 2011, Political Analysis 19:287-305). Every value is
// a ratio of integer sums, so the result is exactly symmetric in a and b. A state
// outside the year's system gives UnknownAlliance; kappa and pi are undefined when p_e
// = 1, the weighted ones when D_e = 0.
func (y *AllianceYear) Dyad(a, b int) AllianceMetrics {
	i, ok := y.index[a]
	j, ok2 := y.index[b]
	if !ok || !ok2 || len(y.states) == 0 {
		return UnknownAlliance()
	}
	m := portfolioMetrics(y.ties[i], y.ties[j])
	m.Direct = y.ties[i][j]
	return m
}

func portfolioMetrics(pa, pb []uint8) AllianceMetrics {
	if len(pa) != len(pb) {
		panic("BUG: signal: portfolios of different lengths")
	}
	n := int64(len(pa))
	var ca, cb [MaxTie + 1]int64
	var absSum, sqSum, agree int64
	for k := range pa {
		x, z := int64(pa[k]), int64(pb[k])
		ca[x]++
		cb[z]++
		d := x - z
		absSum += max(d, -d)
		sqSum += d * d
		if d == 0 {
			agree++
		}
	}
	m := AllianceMetrics{N: int(n)}
	nf := float64(n)
	m.SAbs = 1 - 2*float64(absSum)/(nf*MaxTie)
	m.SSq = 1 - 2*float64(sqSum)/(nf*MaxTie*MaxTie)
	// Over n² to stay in integers: n² p_e (Cohen) = Σ ca cb; 4n² p_e (Scott) = Σ (ca+cb)².
	var cohenE, scottE, cohenD, scottD int64
	for c := range MaxTie + 1 {
		cohenE += ca[c] * cb[c]
		scottE += (ca[c] + cb[c]) * (ca[c] + cb[c])
		for c2 := range MaxTie + 1 {
			w := int64((c - c2) * (c - c2))
			cohenD += ca[c] * cb[c2] * w
			scottD += (ca[c] + cb[c]) * (ca[c2] + cb[c2]) * w
		}
	}
	n2 := n * n
	m.Kappa = chanceCorrected(agree*n, cohenE, n2)
	m.Pi = chanceCorrected(agree*4*n, scottE, 4*n2)
	// kappa_w = 1 - D_o/D_e, with D_o = sqSum/n, D_e = cohenD/n² (Scott: scottD/4n²).
	m.KappaW = weighted(sqSum*n, cohenD)
	m.PiW = weighted(sqSum*4*n, scottD)
	return m
}

// chanceCorrected returns (o - e) / (total - e), undefined when e = total.
func chanceCorrected(o, e, total int64) float64 {
	if e == total {
		return entente.Undefined
	}
	return float64(o-e) / float64(total-e)
}

// weighted returns 1 - o/e, undefined when e = 0.
func weighted(o, e int64) float64 {
	if e == 0 {
		return entente.Undefined
	}
	return float64(e-o) / float64(e)
}

// AllianceData is a run of alliance years with the coverage of their source: a year
// outside FirstYear..LastYear is unknown (ATOP v5.1 ends in 2018), not a year without
// alliances.
type AllianceData struct {
	FirstYear, LastYear int
	years               map[int]*AllianceYear
}

// NewAllianceData returns empty data covering first..last.
func NewAllianceData(first, last int) *AllianceData {
	return &AllianceData{FirstYear: first, LastYear: last, years: map[int]*AllianceYear{}}
}

// Add stores a year; it must lie in the coverage.
func (d *AllianceData) Add(y *AllianceYear) error {
	if y.Year < d.FirstYear || y.Year > d.LastYear {
		return fmt.Errorf("alliance year %d outside the data's coverage %d-%d", y.Year, d.FirstYear, d.LastYear)
	}
	d.years[y.Year] = y
	return nil
}

// Covers reports whether year is in the data's coverage.
func (d *AllianceData) Covers(year int) bool { return year >= d.FirstYear && year <= d.LastYear }

// Year returns the stored year, or nil.
func (d *AllianceData) Year(year int) *AllianceYear { return d.years[year] }

// Dyad returns the metrics of a and b in year: UnknownAlliance when the year is outside
// the coverage, was not added, or either state is not in that year's system.
func (d *AllianceData) Dyad(year, a, b int) AllianceMetrics {
	y := d.years[year]
	if !d.Covers(year) || y == nil {
		return UnknownAlliance()
	}
	return y.Dyad(a, b)
}

// IsUnknown reports whether m is the value of an uncovered dyad-year.
func (m AllianceMetrics) IsUnknown() bool { return m.N == 0 && math.IsNaN(m.SAbs) }
