package entente

import (
	"context"
	"math"
)

// Ideal-point sources.
const (
	// SourceBSV is the published estimates of Bailey, Strezhnev & Voeten (JCR 61:430-456,
	// 2017), imported from their release files.
	SourceBSV = "bsv"
	// SourceEntente is entente's own estimates (package idealpoint, docs/idealpoints.md).
	SourceEntente = "entente"
)

// IdealPointQuantiles names the quantiles an IdealPoint may carry, in the order of
// IdealPoint.Q: the published files give their posterior quantiles 0 (QO), 5, 10, 50,
// 90, 95 and 100 %; entente's bootstrap gives 5 and 95 %.
var IdealPointQuantiles = [7]float64{0, 0.05, 0.10, 0.50, 0.90, 0.95, 1}

// IdealPoint is one state's position in one year on the single dimension of UN General
// Assembly voting (high: close to the US-led liberal order).
type IdealPoint struct {
	Source  string // SourceBSV or SourceEntente
	Variant string // which estimate: "all", "fp", "legacy" (July 2025 release), "apr2020_all", "apr2020_humanrights", ...
	CCode   int    // COW number
	Year    int    // the year the General Assembly session opened (session + 1945)
	X       float64
	// Q holds the quantiles of IdealPointQuantiles; NaN where the source gives none.
	Q     [7]float64
	Votes int // votes the estimate rests on; 0 if unknown
	Line  int // line of the source file (0 for estimates)
}

// Lo and Hi return the 5% and 95% quantiles (NaN when unknown).
func (p IdealPoint) Lo() float64 { return p.Q[1] }

// Hi returns the 95% quantile (NaN when unknown).
func (p IdealPoint) Hi() float64 { return p.Q[5] }

// NoQuantiles is a Q with every quantile unknown.
func NoQuantiles() [7]float64 {
	n := math.NaN()
	return [7]float64{n, n, n, n, n, n, n}
}

// Validate checks the fields every store requires: the codes of this package's errors.
func (p IdealPoint) Validate() error {
	switch {
	case p.Source != SourceBSV && p.Source != SourceEntente:
		return Errorf(EINVALID, "ideal point line %d: source %q: want %s or %s", p.Line, p.Source, SourceBSV, SourceEntente)
	case p.Variant == "":
		return Errorf(EINVALID, "ideal point line %d: variant is required", p.Line)
	case p.CCode <= 0 || p.CCode > 16383:
		return Errorf(EINVALID, "ideal point line %d: ccode %d out of range", p.Line, p.CCode)
	case p.Year < 1900 || p.Year > 2200:
		return Errorf(EINVALID, "ideal point line %d: year %d out of range", p.Line, p.Year)
	case math.IsNaN(p.X) || math.IsInf(p.X, 0):
		return Errorf(EINVALID, "ideal point line %d: position is not a finite number", p.Line)
	case p.Votes < 0:
		return Errorf(EINVALID, "ideal point line %d: votes %d negative", p.Line, p.Votes)
	}
	for _, q := range p.Q {
		if math.IsInf(q, 0) {
			return Errorf(EINVALID, "ideal point line %d: infinite quantile", p.Line)
		}
	}
	return nil
}

// IdealPointWriter receives the records of one import of published ideal points; see
// VoteWriter. A record is one file row, which may carry several variants' points: the
// row counts as imported when any of them is new, else as a duplicate.
type IdealPointWriter interface {
	StartFile(f ImportFile) error
	// Row adds the points of one file row (counted once).
	Row(line int, points []IdealPoint) error
	Quarantine(q Quarantined) error // counted
	FinishFile(read int64, notes []string) error
}

// IdealPointQuery selects stored ideal points: Source and Variant must be set; years in
// [From, To] (0: open); CCodes, when not empty, only those states.
type IdealPointQuery struct {
	Source   string
	Variant  string
	From, To int
	CCodes   []int
}

// IdealPointStore stores ideal points: the published ones, imported, and entente's own.
type IdealPointStore interface {
	// ImportIdealPoints runs one atomic, idempotent import, as VoteStore.ImportVotes.
	ImportIdealPoints(ctx context.Context, fill func(IdealPointWriter) error) ([]ImportReport, error)
	// ReplaceIdealPoints replaces, atomically, every stored point of source and variant
	// with points (entente's estimates after a new fit). EINVALID for a bad point.
	ReplaceIdealPoints(ctx context.Context, source, variant string, points []IdealPoint) error
	// IdealPoints returns the stored points matching q, ordered by year then ccode.
	IdealPoints(ctx context.Context, q IdealPointQuery) ([]IdealPoint, error)
}
