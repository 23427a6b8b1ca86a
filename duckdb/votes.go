package duckdb

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/entente/entente"
)

// RollCallDates returns the date of every stored roll call of source, by its ID.
func (s *Store) RollCallDates(ctx context.Context, source string) (map[string]time.Time, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT rc_id, date FROM roll_calls WHERE source = ?`, source)
	if err != nil {
		return nil, fmt.Errorf("roll call dates %s: %w", source, err)
	}
	defer rows.Close()
	out := map[string]time.Time{}
	for rows.Next() {
		var id string
		var d time.Time
		if err := rows.Scan(&id, &d); err != nil {
			return nil, fmt.Errorf("roll call dates %s: %w", source, err)
		}
		out[id] = d.UTC()
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("roll call dates %s: %w", source, err)
	}
	return out, nil
}

// issueFilter is the condition that keeps roll calls r coded with an issue.
const issueFilter = ` EXISTS (SELECT 1 FROM roll_call_issues i
    WHERE i.source = r.source AND i.rc_id = r.rc_id AND i.issue = ?)`

// VoteCoverage returns each source's extent; see entente.VoteStore.
func (s *Store) VoteCoverage(ctx context.Context, issue string) ([]entente.SourceCoverage, error) {
	// Extents from roll_calls, vote counts from votes, each grouped on its own: cheaper
	// than grouping the join (this runs before every similarity query).
	// Without an issue the vote counts are the ones kept at import (vote_counts).
	var filter string
	var args []any
	v := `v AS (SELECT source, n FROM vote_counts)`
	if issue != "" {
		filter = ` WHERE` + issueFilter
		args = append(args, issue, issue)
		v = `v AS (SELECT r.source, count(*) AS n FROM votes r` + filter + ` GROUP BY r.source)`
	}
	q := `WITH rc AS (SELECT r.source, min(r.date) AS first, max(r.date) AS last, count(*) AS n
    FROM roll_calls r` + filter + ` GROUP BY r.source),
` + v + `
SELECT rc.source, rc.first, rc.last, rc.n, coalesce(v.n, 0)
FROM rc LEFT JOIN v ON v.source = rc.source ORDER BY rc.source`
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("vote coverage: %w", err)
	}
	defer rows.Close()
	var out []entente.SourceCoverage
	for rows.Next() {
		var c entente.SourceCoverage
		if err := rows.Scan(&c.Source, &c.First, &c.Last, &c.RollCalls, &c.Votes); err != nil {
			return nil, fmt.Errorf("vote coverage: %w", err)
		}
		c.First, c.Last = c.First.UTC(), c.Last.UTC()
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("vote coverage: %w", err)
	}
	return out, nil
}

// Ballots returns the roll calls matching q with their cast votes; see entente.VoteStore.
// It reads the ballots table, one compact row per roll call (migration 0002), so the
// store sends about 3 bytes a vote and Go decodes them without allocating per vote.
func (s *Store) Ballots(ctx context.Context, q entente.BallotQuery) ([]entente.Ballot, error) {
	var where []string
	var args []any
	if !q.From.IsZero() {
		where = append(where, `r.date >= ?`)
		args = append(args, q.From.UTC())
	}
	if !q.To.IsZero() {
		where = append(where, `r.date < ?`)
		args = append(args, q.To.UTC())
	}
	if q.Issue != "" {
		where = append(where, issueFilter)
		args = append(args, q.Issue)
	}
	query := `SELECT r.source, r.rc_id, r.date, r.session, r.votes FROM ballots r`
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	query += ` ORDER BY r.date, r.source, r.rc_id`
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("ballots: %w", err)
	}
	defer rows.Close()
	var out []entente.Ballot
	var votes sql.RawBytes
	for rows.Next() {
		var b entente.Ballot
		if err := rows.Scan(&b.Source, &b.RollCallID, &b.Date, &b.Session, &votes); err != nil {
			return nil, fmt.Errorf("ballots: %w", err)
		}
		b.Date = b.Date.UTC()
		if err := decodeBallot(&b, votes); err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("ballots: %w", err)
	}
	return out, nil
}

// decodeBallot unpacks the votes column of the ballots table into b.
func decodeBallot(b *entente.Ballot, enc []byte) error {
	if len(enc)%3 != 0 {
		return fmt.Errorf("BUG: ballots row %s/%s: votes of %d bytes", b.Source, b.RollCallID, len(enc))
	}
	n := len(enc) / 3
	b.CCodes = make([]int16, n)
	b.Votes = make([]entente.VoteValue, n)
	for i := range n {
		x := int(enc[3*i]-48)<<12 | int(enc[3*i+1]-48)<<6 | int(enc[3*i+2]-48)
		b.CCodes[i], b.Votes[i] = int16(x>>2), entente.VoteValue(x&3)
	}
	return nil
}

// Quarantine returns quarantined records of source ("" for every source), newest import
// first, at most limit (0: all).
func (s *Store) Quarantine(ctx context.Context, source string, limit int) ([]entente.Quarantined, error) {
	if limit < 0 {
		return nil, entente.Errorf(entente.EINVALID, "quarantine: negative limit %d", limit)
	}
	// Only records of finished imports: an event import writes its quarantine chunk by
	// chunk (events.go), and an unfinished one is invisible until it ends.
	q := `SELECT source, file, sha256, line, field, reason, raw FROM quarantine
WHERE import_id IN (SELECT id FROM imports)`
	var args []any
	if source != "" {
		q += ` AND source = ?`
		args = append(args, source)
	}
	q += ` ORDER BY import_id DESC, file, line, field`
	if limit > 0 {
		q += fmt.Sprintf(` LIMIT %d`, limit)
	}
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("quarantine: %w", err)
	}
	defer rows.Close()
	var out []entente.Quarantined
	for rows.Next() {
		var r entente.Quarantined
		if err := rows.Scan(&r.Source, &r.File, &r.SHA256, &r.Line, &r.Field, &r.Reason, &r.Raw); err != nil {
			return nil, fmt.Errorf("quarantine: %w", err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("quarantine: %w", err)
	}
	return out, nil
}

// Imports returns the reports of past imports, oldest first, files in import order.
func (s *Store) Imports(ctx context.Context) ([]entente.ImportReport, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT source, file, sha256, size, started, finished,
    read, imported, quarantined, duplicate, notes FROM imports ORDER BY id, ordinal`)
	if err != nil {
		return nil, fmt.Errorf("imports: %w", err)
	}
	defer rows.Close()
	var out []entente.ImportReport
	for rows.Next() {
		var r entente.ImportReport
		var notes any // NULL or a list
		if err := rows.Scan(&r.File.Source, &r.File.Path, &r.File.SHA256, &r.File.Size, &r.Started, &r.Finished,
			&r.Read, &r.Imported, &r.Quarantined, &r.Duplicate, &notes); err != nil {
			return nil, fmt.Errorf("imports: %w", err)
		}
		r.Started, r.Finished = r.Started.UTC(), r.Finished.UTC()
		if l, ok := notes.([]any); ok {
			for _, n := range l {
				r.Notes = append(r.Notes, n.(string))
			}
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("imports: %w", err)
	}
	return out, nil
}

// nullFloat is a DOUBLE column that may be NULL; NULL reads back as entente.Undefined.
func nullFloat(v sql.NullFloat64) float64 {
	if !v.Valid {
		return entente.Undefined
	}
	return v.Float64
}
