package clickhouse

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/entente/entente"
)

// voteStaging describes the staging tables of a vote import. file is the ordinal of
// the file in the import (-1 for implied roll calls outside any file); seq orders the
// records, so the first of repeated records is the one kept.
var voteStaging = []string{
	`rc: file Int32, seq UInt64, counted UInt8, source String, rc_id String, session Int16, date Int32,
    resolution String, title String, important UInt8, url String`,
	`issue: file Int32, seq UInt64, counted UInt8, source String, rc_id String, issue String`,
	`vote: file Int32, seq UInt64, source String, rc_id String, ccode Int16, state_id String, vote UInt8, line Int32`,
}

// newVote is true of a staged vote that is the first of its key in the import and not
// stored yet.
const newVote = `(source, rc_id, ccode, seq) IN (SELECT source, rc_id, ccode, min(seq) FROM {st}vote GROUP BY source, rc_id, ccode)
    AND (source, rc_id, ccode) NOT IN (SELECT source, rc_id, ccode FROM votes WHERE ` + committed + `
        AND (source, rc_id) GLOBAL IN (SELECT DISTINCT source, rc_id FROM {st}vote))`

const newIssue = `(source, rc_id, issue, seq) IN (SELECT source, rc_id, issue, min(seq) FROM {st}issue GROUP BY source, rc_id, issue)
    AND (source, rc_id, issue) NOT IN (SELECT source, rc_id, issue FROM roll_call_issues WHERE ` + committed + `)`

// votePlan counts and moves a vote import. An issue record repeating an issue code given
// on a roll-call record earlier in the import is a duplicate; a roll-call record for a
// roll call only implied so far is new; a roll call read as a record wins over the same
// roll call implied by a vote row.
var votePlan = plan{
	counts: []string{`
SELECT file, toInt64(countIf(new)), toInt64(countIf(NOT new)) FROM (
    SELECT file,
        (source, rc_id, seq) IN (SELECT source, rc_id, min(seq) FROM {st}rc WHERE counted GROUP BY source, rc_id)
        AND (source, rc_id) NOT IN (SELECT source, rc_id FROM roll_calls WHERE ` + committed + `) AS new
    FROM {st}rc WHERE counted) GROUP BY file`, `
SELECT file, toInt64(countIf(new)), toInt64(countIf(NOT new)) FROM (
    SELECT file, ` + newIssue + ` AS new FROM {st}issue WHERE counted) GROUP BY file`, `
SELECT file, toInt64(countIf(new)), toInt64(countIf(NOT new)) FROM (
    SELECT file, ` + newVote + ` AS new FROM {st}vote) GROUP BY file`},
	inserts: []string{`
INSERT INTO roll_calls (source, rc_id, session, date, resolution, title, important, url, import_id)
SELECT source, rc_id, session, date, resolution, title, important, url, {id} FROM (
    SELECT * FROM {st}rc ORDER BY source, rc_id, counted DESC, seq LIMIT 1 BY source, rc_id)
WHERE (source, rc_id) NOT IN (SELECT source, rc_id FROM roll_calls WHERE ` + committed + `)`, `
INSERT INTO roll_call_issues (source, rc_id, issue, import_id)
SELECT source, rc_id, issue, {id} FROM {st}issue WHERE ` + newIssue, `
INSERT INTO votes (source, rc_id, ccode, state_id, vote, line, import_id)
SELECT source, rc_id, ccode, state_id, vote, line, {id} FROM {st}vote WHERE ` + newVote},
}

// ImportVotes runs one atomic import; see entente.VoteStore.
func (s *Store) ImportVotes(ctx context.Context, fill func(entente.VoteWriter) error) ([]entente.ImportReport, error) {
	return s.runImport(ctx, "import votes", voteStaging, func(st *stage) (*base, error) {
		w := &writer{base: newBase(ctx, st)}
		return &w.base, fill(w)
	}, votePlan)
}

type rcKey struct{ source, id string }

// writer stages the records of one vote import. It implements entente.VoteWriter.
type writer struct {
	base
}

var _ entente.VoteWriter = (*writer)(nil)

// RollCall stages a roll call read as a record.
func (w *writer) RollCall(rc entente.RollCall) error { return w.rollCall(rc, true) }

// ImpliedRollCall stages the roll call a vote row implies, once per import.
func (w *writer) ImpliedRollCall(rc entente.RollCall) error { return w.rollCall(rc, false) }

func b2u(b bool) uint8 {
	if b {
		return 1
	}
	return 0
}

func (w *writer) rollCall(rc entente.RollCall, counted bool) error {
	if stage, err := w.ImportLog.RollCall(rc, counted); err != nil || !stage {
		return err
	}
	err := w.st.append("rc", int32(w.File()), uint64(w.Seq()), b2u(counted), rc.Source, rc.ID, int16(rc.Session), ymd(rc.Date),
		rc.Resolution, rc.Title, b2u(rc.Important), rc.URL)
	if err != nil {
		return err
	}
	for _, is := range rc.Issues {
		if err := w.st.append("issue", int32(w.File()), uint64(w.Seq()), uint8(0), rc.Source, rc.ID, is); err != nil {
			return err
		}
	}
	return nil
}

// Vote stages a vote record.
func (w *writer) Vote(v entente.Vote) error {
	if err := w.Record("Vote", v.Validate()); err != nil {
		return err
	}
	return w.st.append("vote", int32(w.File()), uint64(w.Seq()), v.Source, v.RollCallID, int16(v.CCode), v.ISO3, uint8(v.Value), int32(v.Line))
}

// Issue stages an issue record.
func (w *writer) Issue(i entente.RollCallIssue) error {
	if err := w.Record("Issue", i.Validate()); err != nil {
		return err
	}
	return w.st.append("issue", int32(w.File()), uint64(w.Seq()), uint8(1), i.Source, i.RollCallID, i.Issue)
}

// RollCallDates returns the date of every stored roll call of source, by its ID.
func (s *Store) RollCallDates(ctx context.Context, source string) (map[string]time.Time, error) {
	out := map[string]time.Time{}
	err := s.query(ctx, `SELECT rc_id, date FROM roll_calls WHERE source = ? AND `+committed, []any{source},
		func(r driver.Rows) error {
			var id string
			var d int32
			if err := r.Scan(&id, &d); err != nil {
				return err
			}
			out[id] = fromYMD(d)
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("roll call dates %s: %w", source, err)
	}
	return out, nil
}

// issueFilter keeps roll calls (source, rc_id) coded with an issue (the one argument).
const issueFilter = `(source, rc_id) GLOBAL IN (SELECT source, rc_id FROM roll_call_issues WHERE issue = ? AND ` + committed + `)`

// VoteCoverage returns each source's extent; see entente.VoteStore.
func (s *Store) VoteCoverage(ctx context.Context, issue string) ([]entente.SourceCoverage, error) {
	filter, args := "", []any(nil)
	if issue != "" {
		filter, args = " AND "+issueFilter, []any{issue}
	}
	var out []entente.SourceCoverage
	err := s.query(ctx, `SELECT source, min(date), max(date), toInt64(count()) FROM roll_calls
WHERE `+committed+filter+` GROUP BY source ORDER BY source`, args, func(r driver.Rows) error {
		var c entente.SourceCoverage
		var first, last int32
		if err := r.Scan(&c.Source, &first, &last, &c.RollCalls); err != nil {
			return err
		}
		c.First, c.Last = fromYMD(first), fromYMD(last)
		out = append(out, c)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("vote coverage: %w", err)
	}
	votes := map[string]int64{}
	err = s.query(ctx, `SELECT source, toInt64(count()) FROM votes WHERE `+committed+filter+` GROUP BY source`, args,
		func(r driver.Rows) error {
			var src string
			var n int64
			if err := r.Scan(&src, &n); err != nil {
				return err
			}
			votes[src] = n
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("vote coverage: %w", err)
	}
	for i := range out {
		out[i].Votes = votes[out[i].Source]
	}
	return out, nil
}

// Ballots returns the roll calls matching q with their cast votes; see entente.VoteStore.
// ClickHouse groups the votes of each roll call into one sorted array of
// ccode * 4 + vote (the vote matrix of the period, two bytes a vote); the roll calls'
// dates and sessions come from a second, small query.
func (s *Store) Ballots(ctx context.Context, q entente.BallotQuery) ([]entente.Ballot, error) {
	var where []string
	var args []any
	if !q.From.IsZero() {
		where = append(where, fmt.Sprintf("date >= %d", ymd(q.From)))
	}
	if !q.To.IsZero() {
		where = append(where, fmt.Sprintf("date < %d", ymd(q.To)))
	}
	if q.Issue != "" {
		where = append(where, issueFilter)
		args = append(args, q.Issue)
	}
	rcFilter := committed
	if len(where) > 0 {
		rcFilter += " AND " + strings.Join(where, " AND ")
	}
	type meta struct {
		date    int32
		session int16
	}
	rcs := map[rcKey]meta{}
	err := s.query(ctx, `SELECT source, rc_id, date, session FROM roll_calls WHERE `+rcFilter, args, func(r driver.Rows) error {
		var k rcKey
		var m meta
		if err := r.Scan(&k.source, &k.id, &m.date, &m.session); err != nil {
			return err
		}
		rcs[k] = m
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("ballots: %w", err)
	}
	if len(rcs) == 0 {
		return nil, nil
	}
	var out []entente.Ballot
	err = s.query(ctx, `SELECT source, rc_id, arraySort(groupArray(toUInt16(ccode * 4 + vote))) FROM votes
WHERE `+committed+` AND vote BETWEEN 1 AND 3
    AND (source, rc_id) GLOBAL IN (SELECT source, rc_id FROM roll_calls WHERE `+rcFilter+`)
GROUP BY source, rc_id`, args, func(r driver.Rows) error {
		var b entente.Ballot
		var enc []uint16
		if err := r.Scan(&b.Source, &b.RollCallID, &enc); err != nil {
			return err
		}
		m, ok := rcs[rcKey{b.Source, b.RollCallID}]
		if !ok {
			return nil // committed between the two queries
		}
		b.Date, b.Session = fromYMD(m.date), int(m.session)
		b.CCodes = make([]int16, len(enc))
		b.Votes = make([]entente.VoteValue, len(enc))
		for i, x := range enc {
			b.CCodes[i], b.Votes[i] = int16(x>>2), entente.VoteValue(x&3)
		}
		out = append(out, b)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("ballots: %w", err)
	}
	slices.SortFunc(out, func(a, b entente.Ballot) int {
		if c := a.Date.Compare(b.Date); c != 0 {
			return c
		}
		if c := strings.Compare(a.Source, b.Source); c != 0 {
			return c
		}
		return strings.Compare(a.RollCallID, b.RollCallID)
	})
	return out, nil
}

// Quarantine returns quarantined records of source ("" for every source), newest import
// first, at most limit (0: all).
func (s *Store) Quarantine(ctx context.Context, source string, limit int) ([]entente.Quarantined, error) {
	if limit < 0 {
		return nil, entente.Errorf(entente.EINVALID, "quarantine: negative limit %d", limit)
	}
	q := `SELECT source, file, sha256, line, field, reason, raw FROM quarantine WHERE ` + committed
	var args []any
	if source != "" {
		q += ` AND source = ?`
		args = append(args, source)
	}
	q += ` ORDER BY import_id DESC, file, line, field`
	if limit > 0 {
		q += fmt.Sprintf(` LIMIT %d`, limit)
	}
	var out []entente.Quarantined
	err := s.query(ctx, q, args, func(r driver.Rows) error {
		var x entente.Quarantined
		var line int32
		if err := r.Scan(&x.Source, &x.File, &x.SHA256, &line, &x.Field, &x.Reason, &x.Raw); err != nil {
			return err
		}
		x.Line = int(line)
		out = append(out, x)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("quarantine: %w", err)
	}
	return out, nil
}

// Imports returns the reports of committed imports, oldest first, files in import order.
func (s *Store) Imports(ctx context.Context) ([]entente.ImportReport, error) {
	var out []entente.ImportReport
	err := s.query(ctx, `SELECT source, file, sha256, size, started, finished, read, imported, quarantined, duplicate, notes
FROM imports WHERE id GLOBAL IN (SELECT id FROM commits) ORDER BY id, ordinal`, nil, func(r driver.Rows) error {
		var x entente.ImportReport
		var started, finished int64
		if err := r.Scan(&x.File.Source, &x.File.Path, &x.File.SHA256, &x.File.Size, &started, &finished,
			&x.Read, &x.Imported, &x.Quarantined, &x.Duplicate, &x.Notes); err != nil {
			return err
		}
		x.Started, x.Finished = time.Unix(0, started).UTC(), time.Unix(0, finished).UTC()
		if len(x.Notes) == 0 {
			x.Notes = nil
		}
		out = append(out, x)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("imports: %w", err)
	}
	return out, nil
}
