package duckdb

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"strings"
	"syscall"

	ddb "github.com/duckdb/duckdb-go/v2"

	"github.com/entente/entente"
)

// An import runs in two phases on one connection. Staging appends every record into
// TEMP tables through the Appender (fast, and invisible to every other connection).
// Committing then moves the new records into the permanent tables in ONE transaction,
// with anti-joins on the keys doing the deduplication and the per-file accounting. The
// commit is the only point where anything becomes visible, so a failure, a cancelled
// context or a killed process anywhere before it leaves the store as it was. Every kind
// of import (votes here, events and ties in their files) runs this one path, runImport,
// with its own SQL (a plan); an event import, too large to stage whole, moves chunks
// into the store before the commit, invisible until it (events.go).

// stagingDDL creates the per-connection staging tables. file is the ordinal of the file
// in the import (-1 for implied roll calls outside any file); seq orders records, so the
// first of repeated records is the one kept.
const stagingDDL = `
CREATE OR REPLACE TEMP TABLE st_rc (
    file INTEGER, seq BIGINT, counted BOOLEAN, source VARCHAR, rc_id VARCHAR,
    session SMALLINT, date DATE, resolution VARCHAR, title VARCHAR, important BOOLEAN, url VARCHAR);
CREATE OR REPLACE TEMP TABLE st_issue (
    file INTEGER, seq BIGINT, counted BOOLEAN, source VARCHAR, rc_id VARCHAR, issue VARCHAR);
CREATE OR REPLACE TEMP TABLE st_vote (
    file INTEGER, seq BIGINT, source VARCHAR, rc_id VARCHAR, ccode SMALLINT,
    state_id VARCHAR, vote UTINYINT, line INTEGER);
CREATE OR REPLACE TEMP TABLE st_quar (
    file INTEGER, seq BIGINT, source VARCHAR, path VARCHAR, sha256 VARCHAR, line INTEGER,
    field VARCHAR, reason VARCHAR, raw VARCHAR);`

const dropStagingDDL = `
DROP TABLE IF EXISTS temp.st_rc; DROP TABLE IF EXISTS temp.st_issue;
DROP TABLE IF EXISTS temp.st_vote; DROP TABLE IF EXISTS temp.st_quar;`

// testHookBeforeCommit, when set, runs after the import's rows are inserted into the
// permanent tables and before COMMIT: the crash test kills the process there.
var testHookBeforeCommit func()

// TestHook, when not nil, is called at the named points of every import and of every
// similarity replacement, in order: "staging" (before each counted record is staged;
// n is its sequence number), "staged" (every record staged, nothing yet in the store),
// "chunk" (an event import moved chunk n into the store, invisible until its commit),
// "moved" (in the commit transaction, the new records inserted), "finished" (the
// derived rows of the transaction rebuilt: ballots, event_months), "commit" (before
// COMMIT), "committed" (after it); "similarity" (the new similarity rows appended,
// before their COMMIT) and "similarity-committed". It is for tests only (cmd/entente's
// kill and interrupt tests stop a child process at an exact point with it) and nil in
// production.
var TestHook func(point string, n int64)

func hook(point string, n int64) {
	if TestHook != nil {
		TestHook(point, n)
	}
}

// ImportVotes runs one atomic import; see entente.VoteStore.
func (s *Store) ImportVotes(ctx context.Context, fill func(entente.VoteWriter) error) ([]entente.ImportReport, error) {
	w := &writer{base: newBase(ctx)}
	return s.runImport(ctx, votePlan, &w.base,
		map[string]**ddb.Appender{"st_rc": &w.rc, "st_issue": &w.issue, "st_vote": &w.vote, "st_quar": &w.quar},
		func() error { return fill(w) })
}

// plan is the SQL of one kind of import; $1 in any statement is the import id.
type plan struct {
	what      string
	ddl, drop string   // create and drop the staging tables
	prepare   []string // classifies the staged records, when counts needs it
	counts    string   // rows (file, imported, quarantined, duplicate) of the staged records
	dupKinds  string   // when set, rows (file, repeated ids, near-duplicates) of the staged events
	inserts   []string // move the new staged records into the permanent tables
	// chunked imports move their records into the store every eventChunkRows staged
	// records, each chunk in its own transaction, tagged with the import id; truncate
	// empties the staging tables after each. Other imports move everything in the
	// commit transaction.
	chunked  bool
	truncate string
	finish   []string // in the commit transaction, after the last move
	// facts names the kind of facts the import adds (fact_generations.facts): when it
	// adds any, the commit transaction sets their generation to the import's id, so a
	// derivation built from older facts is seen to be out of date (derivations.go).
	facts string
}

// votePlan counts and moves a vote import.
var votePlan = plan{what: "import votes", ddl: stagingDDL, drop: dropStagingDDL, counts: countsSQL, inserts: insertSQL, facts: factsVotes}

// runImport is the one staging-and-commit path of every import. It stages the records
// fill writes through the appenders of tables (the staging tables of p.ddl), moves the
// new ones into the store as p says (in chunks, or all in the commit transaction), and
// in the commit transaction writes the import's reports, accounted by b, to imports:
// that row is what makes the import visible. On any failure nothing of the import
// remains visible; the rows a chunked import had moved are deleted (or, if the process
// dies, left for the next chunked import's orphan clean-up, invisible meanwhile).
func (s *Store) runImport(ctx context.Context, p plan, b *base, tables map[string]**ddb.Appender, fill func() error) ([]entente.ImportReport, error) {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", p.what, err)
	}
	defer conn.Close()
	if p.chunked {
		// Chunks write into the permanent tables: one such import at a time, throughout.
		s.writeMu.Lock()
		defer s.writeMu.Unlock()
		for _, q := range orphanSQL {
			if _, err := conn.ExecContext(ctx, q); err != nil {
				return nil, fmt.Errorf("%s: cleaning up an unfinished import: %w", p.what, err)
			}
		}
	}
	reports, err := s.stageAndCommit(ctx, conn, p, b, tables, fill)
	if err != nil {
		if p.chunked {
			// Undo the chunks already moved; if even that fails, the next chunked
			// import's orphan clean-up will, and no read sees them meanwhile.
			for _, q := range orphanSQL {
				if _, derr := conn.ExecContext(context.Background(), q); derr != nil {
					discard(conn)
					break
				}
			}
		}
		if isDiskFull(err) {
			return nil, fmt.Errorf("%s: the disk holding the store %s is full; nothing of this import was stored: %w", p.what, s.path, err)
		}
		return nil, fmt.Errorf("%s: %w", p.what, err)
	}
	hook("committed", 0)
	return reports, nil
}

func (s *Store) stageAndCommit(ctx context.Context, conn *sql.Conn, p plan, b *base, tables map[string]**ddb.Appender, fill func() error) ([]entente.ImportReport, error) {
	if _, err := conn.ExecContext(ctx, p.ddl); err != nil {
		return nil, fmt.Errorf("staging: %w", err)
	}
	defer func() {
		if _, err := conn.ExecContext(context.Background(), p.drop); err != nil {
			discard(conn)
		}
	}()
	var reports []entente.ImportReport
	err := conn.Raw(func(dc any) error {
		x := driverConn{ctx: ctx, c: dc.(driver.Conn)}
		var id int64
		if p.chunked {
			var err error
			if id, err = x.queryInt(nextImportIDSQL); err != nil {
				return err
			}
			b.flush = func() error { return b.moveChunk(x, p, id, tables) }
		}
		err := stageWith(x.c, tables, func() error {
			if err := fill(); err != nil {
				return err
			}
			if err := b.Finished(); err != nil {
				return err
			}
			if p.chunked {
				return b.flush()
			}
			return nil
		})
		if err != nil {
			return err
		}
		hook("staged", b.Seq())
		if err := ctx.Err(); err != nil {
			return err
		}
		if !p.chunked {
			s.writeMu.Lock()
			defer s.writeMu.Unlock()
		}
		return x.inTx(func() error {
			if !p.chunked {
				var err error
				if id, err = x.queryInt(nextImportIDSQL); err != nil {
					return err
				}
				if err := b.move(x, p, id); err != nil {
					return err
				}
			}
			hook("moved", 0)
			for _, q := range p.finish {
				if err := x.execID(q, id); err != nil {
					return err
				}
			}
			hook("finished", 0)
			var err error
			if reports, err = b.Accounted(); err != nil {
				return err
			}
			if err := insertReports(x, id, reports); err != nil {
				return err
			}
			if err := bumpGeneration(x, p.facts, id, reports); err != nil {
				return err
			}
			if testHookBeforeCommit != nil {
				testHookBeforeCommit()
			}
			hook("commit", 0)
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	return reports, nil
}

// moveChunk flushes the appenders of tables and moves the staged chunk into the store
// in its own transaction.
func (b *base) moveChunk(x driverConn, p plan, id int64, tables map[string]**ddb.Appender) error {
	for _, a := range tables {
		if err := (*a).Flush(); err != nil {
			return err
		}
	}
	if err := x.inTx(func() error { return b.move(x, p, id) }); err != nil {
		return err
	}
	b.chunks++
	hook("chunk", b.chunks)
	return nil
}

// move classifies the staged records against the store, adds their counts to the files'
// reports, moves the new ones in and, for a chunked import, empties the staging tables.
func (b *base) move(x driverConn, p plan, id int64) error {
	for _, q := range p.prepare {
		if err := x.execID(q, id); err != nil {
			return err
		}
	}
	if err := x.eachRow(p.counts, func(v []driver.Value) error {
		return b.Count(int(asInt(v[0])), asInt(v[1]), asInt(v[2]), asInt(v[3]))
	}); err != nil {
		return err
	}
	if p.dupKinds != "" {
		if err := x.eachRow(p.dupKinds, func(v []driver.Value) error {
			return b.CountEventDuplicates(int(asInt(v[0])), asInt(v[1]), asInt(v[2]))
		}); err != nil {
			return err
		}
	}
	for _, q := range p.inserts {
		if err := x.execID(q, id); err != nil {
			return err
		}
	}
	b.staged = 0
	if p.truncate == "" {
		return nil
	}
	return x.exec(p.truncate)
}

// insertReports writes the reports of import id: the rows that make it visible.
func insertReports(x driverConn, id int64, reports []entente.ImportReport) error {
	for i, r := range reports {
		if err := x.exec(`INSERT INTO imports (id, ordinal, source, file, sha256, size,
			started, finished, read, imported, quarantined, duplicate, notes) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)`,
			id, i, r.File.Source, r.File.Path, r.File.SHA256, r.File.Size, r.Started.UTC(), r.Finished.UTC(),
			r.Read, r.Imported, r.Quarantined, r.Duplicate, notesValue(r.Notes)); err != nil {
			return err
		}
	}
	return nil
}

// isDiskFull reports whether err is a write that found no space left (DuckDB reports
// it in its message).
func isDiskFull(err error) bool {
	return errors.Is(err, syscall.ENOSPC) || strings.Contains(err.Error(), "No space left on device")
}

// discard makes database/sql drop conn instead of pooling it: used when a clean-up
// failed and the connection's state is unknown.
func discard(conn *sql.Conn) {
	_ = conn.Raw(func(any) error { return driver.ErrBadConn })
}

// driverConn runs SQL on the driver connection the Appenders are bound to, so
// statements and appends share one transaction.
type driverConn struct {
	ctx context.Context
	c   driver.Conn
}

func namedValues(args []any) []driver.NamedValue {
	nv := make([]driver.NamedValue, len(args))
	for i, a := range args {
		nv[i] = driver.NamedValue{Ordinal: i + 1, Value: a}
	}
	return nv
}

// inTx runs f between BEGIN and COMMIT, rolling back when f or the commit fails. Plain
// statements, not database/sql's Tx, so Appenders on the same connection join the
// transaction.
func (x driverConn) inTx(f func() error) error {
	if err := x.exec("BEGIN TRANSACTION"); err != nil {
		return err
	}
	err := f()
	if err == nil {
		err = x.ctx.Err()
	}
	if err == nil {
		// Not cancellable: the context was checked just above, and a COMMIT cut short
		// would leave unknown whether the work is stored.
		err = driverConn{ctx: context.Background(), c: x.c}.exec("COMMIT")
	}
	if err != nil {
		_ = driverConn{ctx: context.Background(), c: x.c}.exec("ROLLBACK")
	}
	return err
}

// execID runs q with the import id as $1 when q uses it.
func (x driverConn) execID(q string, id int64) error {
	if strings.Contains(q, "$1") {
		return x.exec(q, id)
	}
	return x.exec(q)
}

func (x driverConn) exec(q string, args ...any) error {
	_, err := x.c.(driver.ExecerContext).ExecContext(x.ctx, q, namedValues(args))
	return err
}

func (x driverConn) eachRow(q string, f func([]driver.Value) error, args ...any) error {
	rows, err := x.c.(driver.QueryerContext).QueryContext(x.ctx, q, namedValues(args))
	if err != nil {
		return err
	}
	defer rows.Close()
	vals := make([]driver.Value, len(rows.Columns()))
	for {
		if err := rows.Next(vals); err != nil {
			if err == io.EOF {
				return nil
			}
			return err
		}
		if err := f(vals); err != nil {
			return err
		}
	}
}

func (x driverConn) queryInt(q string, args ...any) (int64, error) {
	var n int64
	err := x.eachRow(q, func(v []driver.Value) error { n = asInt(v[0]); return nil }, args...)
	return n, err
}

// asInt reads an integer column as the driver returns it.
func asInt(v driver.Value) int64 {
	switch v := v.(type) {
	case int64:
		return v
	case int32:
		return int64(v)
	case int16:
		return int64(v)
	case int8:
		return int64(v)
	case uint64:
		return int64(v)
	case uint32:
		return int64(v)
	case int:
		return int64(v)
	}
	return 0
}

// countsSQL classifies every counted staged record as new (first of its key in the
// import and absent from the store) or duplicate, and counts per file. An issue record
// repeating an issue code given on a roll-call record earlier in the import is a
// duplicate; a roll-call record for a roll call only implied so far is new.
const countsSQL = `
WITH recs AS (
    SELECT file, 0 AS kind,
        row_number() OVER (PARTITION BY source, rc_id ORDER BY seq) = 1
        AND NOT EXISTS (SELECT 1 FROM roll_calls t WHERE t.source = s.source AND t.rc_id = s.rc_id) AS new
    FROM st_rc s WHERE counted
    UNION ALL
    SELECT file, 0,
        rn = 1 AND NOT EXISTS (SELECT 1 FROM roll_call_issues t
                               WHERE t.source = s.source AND t.rc_id = s.rc_id AND t.issue = s.issue)
    FROM (SELECT *, row_number() OVER (PARTITION BY source, rc_id, issue ORDER BY seq) AS rn FROM st_issue) s
    WHERE counted
    UNION ALL
    SELECT file, 0,
        row_number() OVER (PARTITION BY source, rc_id, ccode ORDER BY seq) = 1
        AND NOT EXISTS (SELECT 1 FROM votes t
                        WHERE t.source = s.source AND t.rc_id = s.rc_id AND t.ccode = s.ccode)
    FROM st_vote s
    UNION ALL
    SELECT file, 1, false FROM st_quar
)
SELECT file,
    count(*) FILTER (WHERE kind = 0 AND new),
    count(*) FILTER (WHERE kind = 1),
    count(*) FILTER (WHERE kind = 0 AND NOT new)
FROM recs GROUP BY file`

// insertSQL moves new staged records into the permanent tables. A roll call read as a
// record wins over the same roll call implied by a vote row. The derived rows of the
// roll calls and sources the import touches (ballots, vote_counts) are rebuilt in the
// same transaction.
var insertSQL = []string{`
INSERT INTO roll_calls (source, rc_id, session, date, resolution, title, important, url)
SELECT source, rc_id, session, date, resolution, title, important, url FROM (
    SELECT *, row_number() OVER (PARTITION BY source, rc_id ORDER BY counted DESC, seq) AS rn FROM st_rc) s
WHERE rn = 1 AND NOT EXISTS (SELECT 1 FROM roll_calls t WHERE t.source = s.source AND t.rc_id = s.rc_id)`, `
INSERT INTO roll_call_issues (source, rc_id, issue)
SELECT DISTINCT source, rc_id, issue FROM st_issue s
WHERE NOT EXISTS (SELECT 1 FROM roll_call_issues t
                  WHERE t.source = s.source AND t.rc_id = s.rc_id AND t.issue = s.issue)`, `
INSERT INTO votes (source, rc_id, ccode, state_id, vote, line)
SELECT source, rc_id, ccode, state_id, vote, line FROM (
    SELECT *, row_number() OVER (PARTITION BY source, rc_id, ccode ORDER BY seq) AS rn FROM st_vote) s
WHERE rn = 1 AND NOT EXISTS (SELECT 1 FROM votes t
                             WHERE t.source = s.source AND t.rc_id = s.rc_id AND t.ccode = s.ccode)`, `
INSERT OR REPLACE INTO vote_counts (source, n)
SELECT source, count(*) FROM votes WHERE source IN (SELECT DISTINCT source FROM st_vote) GROUP BY source`, `
DELETE FROM ballots b WHERE EXISTS (SELECT 1 FROM st_vote s WHERE s.source = b.source AND s.rc_id = b.rc_id)`, `
INSERT INTO ballots
SELECT r.source, r.rc_id, r.date, coalesce(r.session, 0), ` + ballotVotesSQL + `
FROM votes v JOIN roll_calls r ON r.source = v.source AND r.rc_id = v.rc_id
WHERE v.vote BETWEEN 1 AND 3
  AND EXISTS (SELECT 1 FROM st_vote s WHERE s.source = r.source AND s.rc_id = r.rc_id)
GROUP BY r.source, r.rc_id, r.date, r.session`, quarantineInsertSQL,
}

// quarantineInsertSQL keeps the quarantined records of an import, once per file digest,
// line and field.
const quarantineInsertSQL = `
INSERT INTO quarantine (import_id, source, file, sha256, line, field, reason, raw)
SELECT $1, source, path, sha256, line, field, reason, raw FROM (
    SELECT *, row_number() OVER (PARTITION BY sha256, line, field ORDER BY seq) AS rn FROM st_quar) s
WHERE rn = 1 AND NOT EXISTS (SELECT 1 FROM quarantine t
                             WHERE t.sha256 = s.sha256 AND t.line = s.line AND t.field = s.field)`

// ballotVotesSQL encodes the cast votes of a roll call for the ballots table, as
// migration 0002 describes; decodeBallot reads it back.
const ballotVotesSQL = `string_agg(chr(48 + ((v.ccode * 4 + v.vote) // 4096)::INTEGER)
    || chr(48 + ((v.ccode * 4 + v.vote) // 64 % 64)::INTEGER)
    || chr(48 + ((v.ccode * 4 + v.vote) % 64)::INTEGER), '' ORDER BY v.ccode)`

// notesValue binds notes as a VARCHAR[] literal parameter: NULL for none.
func notesValue(notes []string) any {
	if len(notes) == 0 {
		return nil
	}
	return notes
}

// base is what every staging writer shares: the import's log of files, records and
// counts (entente.ImportLog), the quarantine and, for a chunked import, the chunk.
type base struct {
	entente.ImportLog
	quar   *ddb.Appender
	staged int          // records staged since the last chunk was moved
	chunks int64        // chunks moved
	flush  func() error // moves the staged chunk into the store; nil when not chunked
}

func newBase(ctx context.Context) base { return base{ImportLog: entente.NewImportLog(ctx, nowFunc)} }

// Record is entente.ImportLog.Record, and the "staging" point of TestHook.
func (b *base) Record(what string, invalid error) error {
	err := b.ImportLog.Record(what, invalid)
	if TestHook != nil && err == nil {
		TestHook("staging", b.Seq())
	}
	return err
}

// staging counts a staged record and, in a chunked import, moves the chunk once full.
func (b *base) staging() error {
	b.staged++
	if b.flush != nil && b.staged >= eventChunkRows {
		return b.flush()
	}
	return nil
}

// writer stages the records of one vote import. It implements entente.VoteWriter.
type writer struct {
	base
	rc, issue, vote *ddb.Appender
}

var _ entente.VoteWriter = (*writer)(nil)

// stageWith opens an appender on each staging table, runs fill, and flushes the
// appenders (or clears them when fill failed).
func stageWith(dc driver.Conn, tables map[string]**ddb.Appender, fill func() error) (err error) {
	var apps []**ddb.Appender
	defer func() {
		for _, a := range apps {
			if err != nil {
				_ = (*a).Clear()
			}
			if cerr := (*a).Close(); cerr != nil && err == nil {
				err = fmt.Errorf("staging: %w", cerr)
			}
		}
	}()
	for table, a := range tables {
		app, err := ddb.NewAppender(dc, "temp", "main", table)
		if err != nil {
			return fmt.Errorf("staging %s: %w", table, err)
		}
		*a = app
		apps = append(apps, a)
	}
	return fill()
}

// RollCall stages a roll call read as a record.
func (w *writer) RollCall(rc entente.RollCall) error { return w.rollCall(rc, true) }

// ImpliedRollCall stages the roll call a vote row implies, once per import.
func (w *writer) ImpliedRollCall(rc entente.RollCall) error { return w.rollCall(rc, false) }

func (w *writer) rollCall(rc entente.RollCall, counted bool) error {
	if stage, err := w.ImportLog.RollCall(rc, counted); err != nil || !stage {
		return err
	}
	var session any
	if rc.Session > 0 {
		session = int16(rc.Session)
	}
	err := w.rc.AppendRow(int32(w.File()), w.Seq(), counted, rc.Source, rc.ID, session, rc.Date,
		nullString(rc.Resolution), nullString(rc.Title), rc.Important, nullString(rc.URL))
	if err != nil {
		return err
	}
	for _, is := range rc.Issues {
		if err := w.issue.AppendRow(int32(w.File()), w.Seq(), false, rc.Source, rc.ID, is); err != nil {
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
	return w.vote.AppendRow(int32(w.File()), w.Seq(), v.Source, v.RollCallID, int16(v.CCode),
		nullString(v.ISO3), uint8(v.Value), int32(v.Line))
}

// Issue stages an issue record.
func (w *writer) Issue(i entente.RollCallIssue) error {
	if err := w.Record("Issue", i.Validate()); err != nil {
		return err
	}
	return w.issue.AppendRow(int32(w.File()), w.Seq(), true, i.Source, i.RollCallID, i.Issue)
}

// Quarantine stages a refused record, as entente.ImportLog.Quarantine makes it.
func (b *base) Quarantine(q entente.Quarantined) error {
	q, err := b.ImportLog.Quarantine(q)
	if err != nil {
		return err
	}
	if err := b.quar.AppendRow(int32(b.File()), b.Seq(), q.Source, q.File, q.SHA256, int32(q.Line),
		q.Field, q.Reason, q.Raw); err != nil {
		return err
	}
	return b.staging()
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}
