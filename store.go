package entente

import (
	"context"
	"math"
	"slices"
	"time"
)

// Store is the storage contract every backend (duckdb, later clickhouse) implements and
// that the contract suite in package storetest checks. Methods are safe for concurrent
// use unless noted; errors carry the codes of this package.
type Store interface {
	VoteStore
	SignalStore
	EventStore
	TieStore
	ConflictStore
	IdealPointStore
	// Close releases the store. It is not safe to call concurrently with other methods.
	Close() error
}

// ImportFile identifies one input file of an import.
type ImportFile struct {
	Source string // a Source* constant
	Path   string // as the user gave it
	SHA256 string // hex digest of the file's bytes
	Size   int64
}

// ImportReport accounts for every record of one file: Read always equals
// Imported + Quarantined + Duplicate.
type ImportReport struct {
	File        ImportFile
	Read        int64 // records read: vote rows or cells, roll-call rows, issue rows
	Imported    int64 // records new to the store
	Quarantined int64 // records refused (bad rows), with their reasons in the quarantine
	Duplicate   int64 // records already in the store, or repeated within the import
	Notes       []string
	Started     time.Time
	Finished    time.Time
}

// Quarantined is a record an import refused, with where it came from and why.
type Quarantined struct {
	Source string
	File   string // path as given
	SHA256 string // the file's digest, so a re-import does not add it twice
	Line   int
	Field  string
	Reason string
	Raw    string // the offending line, cut to 1,000 bytes
}

// VoteWriter receives the records of one import, file by file. It is not safe for
// concurrent use; it is valid only inside the fill function given to ImportVotes.
type VoteWriter interface {
	// StartFile begins a file: the records that follow are counted in its report.
	StartFile(f ImportFile) error
	// RollCall adds a roll call read as a record of the file (counted).
	RollCall(rc RollCall) error
	// ImpliedRollCall adds the roll call a vote row implies (Voeten's long file has no
	// roll-call table): stored when new, never counted.
	ImpliedRollCall(rc RollCall) error
	// Vote adds a vote record (counted).
	Vote(v Vote) error
	// Issue adds an issue record (counted).
	Issue(i RollCallIssue) error
	// Quarantine records a refused record (counted as quarantined).
	Quarantine(q Quarantined) error
	// FinishFile ends the current file and sets its Read count and notes.
	FinishFile(read int64, notes []string) error
}

// SourceCoverage is the extent of one vote source in the store.
type SourceCoverage struct {
	Source    string
	First     time.Time // first roll-call date
	Last      time.Time // last roll-call date
	RollCalls int64
	Votes     int64
}

// BallotQuery selects roll calls for similarity: dates in [From, To) (zero bounds are
// open) and, when Issue is set, only roll calls coded with that issue.
type BallotQuery struct {
	From, To time.Time
	Issue    string
}

// Ballot is one roll call with its cast votes in compact form, for the kernels.
type Ballot struct {
	Source     string
	RollCallID string
	Date       time.Time
	Session    int
	CCodes     []int16     // voting states, ascending
	Votes      []VoteValue // parallel to CCodes; only Yes, Abstain, No
}

// VoteStore stores UN roll calls and votes.
type VoteStore interface {
	// ImportVotes runs one atomic import: fill writes records through the VoteWriter;
	// if fill or the store fails, or ctx is cancelled, nothing of the import remains and
	// the error is returned. Records already stored are counted as duplicates and not
	// added again; quarantined records already stored (same file digest and line) are
	// counted again but not added again.
	ImportVotes(ctx context.Context, fill func(VoteWriter) error) ([]ImportReport, error)
	// RollCallDates returns the date of every stored roll call of source, by its ID.
	RollCallDates(ctx context.Context, source string) (map[string]time.Time, error)
	// VoteCoverage returns each source's extent, counting only roll calls coded with
	// issue when issue is not "". Sources with none are left out.
	VoteCoverage(ctx context.Context, issue string) ([]SourceCoverage, error)
	// Ballots returns the roll calls matching q, of every source, ordered by date then
	// source then ID. Roll calls without any cast vote are left out.
	Ballots(ctx context.Context, q BallotQuery) ([]Ballot, error)
	// Quarantine returns quarantined records, newest import first, at most limit (0: all).
	Quarantine(ctx context.Context, source string, limit int) ([]Quarantined, error)
	// Imports returns the reports of past imports, oldest first.
	Imports(ctx context.Context) ([]ImportReport, error)
}

// SelectByPrecedence keeps, of ballots from several sources, each ballot whose date is
// outside the coverage of every source that comes before its own in
// VoteSourcePrecedence. coverage must be the store-wide extents (VoteCoverage), not the
// window's, so the choice of source for a date does not depend on the window asked for.
func SelectByPrecedence(ballots []Ballot, coverage []SourceCoverage) []Ballot {
	rank := func(s string) int {
		if i := slices.Index(VoteSourcePrecedence, s); i >= 0 {
			return i
		}
		return len(VoteSourcePrecedence)
	}
	out := ballots[:0:0]
	for _, b := range ballots {
		r := rank(b.Source)
		shadowed := false
		for _, c := range coverage {
			if rank(c.Source) < r && !b.Date.Before(c.First) && !b.Date.After(c.Last) {
				shadowed = true
				break
			}
		}
		if !shadowed {
			out = append(out, b)
		}
	}
	return out
}

// SimilarityMetrics names the UN similarity metrics in output order; docs/method.md
// gives each formula.
var SimilarityMetrics = []string{"agree", "s_abs", "s_sq", "pi", "kappa", "pi_w", "kappa_w"}

// NumSimilarityMetrics is len(SimilarityMetrics).
const NumSimilarityMetrics = 7

// Similarity is the UN-vote similarity of an unordered dyad (A < B, COW numbers) over
// one period.
type Similarity struct {
	A, B   int
	Period string // period key: "1980" (year), "1980-03" (month), "35" (session), or "FROM..TO"
	N      int    // roll calls where both cast a vote
	// Values holds the metrics in SimilarityMetrics order; NaN marks an undefined value
	// (n = 0, or no variation to correct for), which outputs show as null.
	Values [NumSimilarityMetrics]float64
}

// Undefined is the NaN that marks an undefined metric value inside the program.
var Undefined = math.NaN()

// ValidateSimilarities checks the rows a store is asked to keep for grouping by: by
// given, and each row an ordered dyad (0 < A < B, both COW numbers a 16-bit column
// holds) with a period and a non-negative N. Errors are EINVALID.
func ValidateSimilarities(by string, rows []Similarity) error {
	if by == "" {
		return Errorf(EINVALID, "replace similarity: empty grouping")
	}
	for _, r := range rows {
		if r.A <= 0 || r.A >= r.B || r.B > math.MaxInt16 || r.Period == "" || r.N < 0 {
			return Errorf(EINVALID, "replace similarity %s: bad row %d-%d period %q n %d (want 0 < A < B)",
				by, r.A, r.B, r.Period, r.N)
		}
	}
	return nil
}

// SimilarityQuery selects stored similarity signals.
type SimilarityQuery struct {
	By         string // "year", "month" or "session"
	FromPeriod string // inclusive; "" for open
	ToPeriod   string // inclusive; "" for open
	CCode      int    // when non-zero, only dyads with this state
}

// SignalStore keeps computed signals so later stages need not recompute them.
type SignalStore interface {
	// ReplaceSimilarity replaces, atomically, all stored similarity rows of grouping by.
	ReplaceSimilarity(ctx context.Context, by string, rows []Similarity) error
	// Similarities returns stored rows matching q, ordered by period, A, B.
	Similarities(ctx context.Context, q SimilarityQuery) ([]Similarity, error)
}
