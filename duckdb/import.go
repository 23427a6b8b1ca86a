package duckdb

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"strings"
	"unicode/utf8"

	ddb "github.com/duckdb/duckdb-go/v2"

	"github.com/entente/entente"
)

// An import runs in two phases on one connection. Staging appends every record into
// TEMP tables through the Appender (fast, and invisible to every other connection).
// Committing then moves the new records into the permanent tables in ONE transaction,
// with anti-joins on the keys doing the deduplication and the per-file accounting. The
// commit is the only point where anything becomes visible, so a failure, a cancelled
// context or a killed process anywhere before it leaves the store as it was.

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

// ImportVotes runs one atomic import; see entente.VoteStore.
func (s *Store) ImportVotes(ctx context.Context, fill func(entente.VoteWriter) error) ([]entente.ImportReport, error) {
	w := &writer{base: newBase(ctx), implied: map[rcKey]bool{}}
	return s.stagedImport(ctx, "import votes", stagingDDL, dropStagingDDL,
		func(dc driver.Conn) error { return w.stage(dc, fill) }, &w.base, countsSQL, insertSQL)
}

// stagedImport runs an import that stages all its records on one connection and then
// commits them in one transaction (votes, ties): ddl creates the staging tables and
// drop removes them, stage fills them through the driver connection (for the
// Appender), and counts and inserts are commit's SQL.
func (s *Store) stagedImport(ctx context.Context, what, ddl, drop string, stage func(driver.Conn) error,
	b *base, counts string, inserts []string) ([]entente.ImportReport, error) {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, ddl); err != nil {
		return nil, fmt.Errorf("%s: staging: %w", what, err)
	}
	defer func() {
		if _, err := conn.ExecContext(context.Background(), drop); err != nil {
			discard(conn)
		}
	}()
	if err := conn.Raw(func(dc any) error { return stage(dc.(driver.Conn)) }); err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	reports, err := commit(ctx, conn, b.Reports(), counts, inserts)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return reports, nil
}

// discard makes database/sql drop conn instead of pooling it: used when a rollback or a
// cleanup failed and the connection's state is unknown.
func discard(conn *sql.Conn) {
	_ = conn.Raw(func(any) error { return driver.ErrBadConn })
}

// inTx runs f inside BEGIN ... COMMIT on conn, rolling back on any error. Plain
// statements, not database/sql's Tx, so Appenders on the same connection join the
// transaction.
func inTx(ctx context.Context, conn *sql.Conn, f func() error) (err error) {
	if _, err := conn.ExecContext(ctx, "BEGIN TRANSACTION"); err != nil {
		return err
	}
	defer func() {
		if err != nil {
			if _, rerr := conn.ExecContext(context.Background(), "ROLLBACK"); rerr != nil {
				discard(conn)
			}
		}
	}()
	if err := f(); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	_, err = conn.ExecContext(ctx, "COMMIT")
	return err
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
// record wins over the same roll call implied by a vote row.
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

// maxCCode is the largest COW number the ballots encoding holds (migration 0002).
const maxCCode = 16383

// ballotVotesSQL encodes the cast votes of a roll call for the ballots table, as
// migration 0002 describes; decodeBallot reads it back.
const ballotVotesSQL = `string_agg(chr(48 + ((v.ccode * 4 + v.vote) // 4096)::INTEGER)
    || chr(48 + ((v.ccode * 4 + v.vote) // 64 % 64)::INTEGER)
    || chr(48 + ((v.ccode * 4 + v.vote) % 64)::INTEGER), '' ORDER BY v.ccode)`

// commit moves a staged import into the store in one transaction: counts classifies the
// staged records per file (file, imported, quarantined, duplicate), inserts move the
// new ones ($1 is the import id), and the imports rows record the reports.
func commit(ctx context.Context, conn *sql.Conn, reports []entente.ImportReport, counts string, inserts []string) ([]entente.ImportReport, error) {
	err := inTx(ctx, conn, func() error {
		var id int64
		if err := conn.QueryRowContext(ctx, `SELECT coalesce(max(id), 0) + 1 FROM imports`).Scan(&id); err != nil {
			return err
		}
		if err := countImport(ctx, conn, counts, reports); err != nil {
			return err
		}
		for _, q := range inserts {
			var args []any
			if strings.Contains(q, "$1") {
				args = append(args, id)
			}
			if _, err := conn.ExecContext(ctx, q, args...); err != nil {
				return err
			}
		}
		for i, r := range reports {
			if _, err := conn.ExecContext(ctx, `INSERT INTO imports (id, ordinal, source, file, sha256, size,
				started, finished, read, imported, quarantined, duplicate, notes) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)`,
				id, i, r.File.Source, r.File.Path, r.File.SHA256, r.File.Size, r.Started.UTC(), r.Finished.UTC(),
				r.Read, r.Imported, r.Quarantined, r.Duplicate, notesValue(r.Notes)); err != nil {
				return err
			}
		}
		if testHookBeforeCommit != nil {
			testHookBeforeCommit()
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return reports, nil
}

// countImport fills Imported, Quarantined and Duplicate of reports and checks that they
// account for every record read.
func countImport(ctx context.Context, conn *sql.Conn, counts string, reports []entente.ImportReport) error {
	rows, err := conn.QueryContext(ctx, counts)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var file int
		var imp, quar, dup int64
		if err := rows.Scan(&file, &imp, &quar, &dup); err != nil {
			return err
		}
		if file < 0 || file >= len(reports) {
			return fmt.Errorf("BUG: staged record of file %d of %d", file, len(reports))
		}
		r := &reports[file]
		r.Imported, r.Quarantined, r.Duplicate = imp, quar, dup
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for _, r := range reports {
		if sum := r.Imported + r.Quarantined + r.Duplicate; r.Read != sum {
			return entente.Errorf(entente.EINTERNAL,
				"import %s: read %d records but imported %d + quarantined %d + duplicate %d = %d",
				r.File.Path, r.Read, r.Imported, r.Quarantined, r.Duplicate, sum)
		}
	}
	return nil
}

// notesValue binds notes as a VARCHAR[] literal parameter: NULL for none.
func notesValue(notes []string) any {
	if len(notes) == 0 {
		return nil
	}
	return notes
}

type rcKey struct{ source, id string }

// base is what every staging writer shares: the import's log of files and records
// (entente.ImportLog) and the quarantine.
type base struct {
	entente.ImportLog
	quar *ddb.Appender
}

func newBase(ctx context.Context) base { return base{ImportLog: entente.NewImportLog(ctx, nowFunc)} }

// writer stages the records of one import. It implements entente.VoteWriter.
type writer struct {
	base
	rc, issue, vote *ddb.Appender
	implied         map[rcKey]bool // roll calls already staged, so vote rows do not restage theirs
}

var _ entente.VoteWriter = (*writer)(nil)

// stage runs fill with appenders on the staging tables of dc and flushes them.
func (w *writer) stage(dc driver.Conn, fill func(entente.VoteWriter) error) error {
	return stageWith(dc, map[string]**ddb.Appender{"st_rc": &w.rc, "st_issue": &w.issue, "st_vote": &w.vote, "st_quar": &w.quar},
		func() error {
			if err := fill(w); err != nil {
				return err
			}
			return w.Finished()
		})
}

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
func (w *writer) RollCall(rc entente.RollCall) error {
	if err := w.Next("RollCall"); err != nil {
		return err
	}
	return w.rollCall(rc, true)
}

// ImpliedRollCall stages the roll call a vote row implies, once per import.
func (w *writer) ImpliedRollCall(rc entente.RollCall) error {
	if w.implied[rcKey{rc.Source, rc.ID}] {
		return nil
	}
	if err := w.Number(); err != nil {
		return err
	}
	return w.rollCall(rc, false)
}

func (w *writer) rollCall(rc entente.RollCall, counted bool) error {
	if rc.Source == "" || rc.ID == "" || rc.Date.IsZero() {
		return entente.Errorf(entente.EINVALID, "import: roll call %q of source %q: source, id and date are required", rc.ID, rc.Source)
	}
	if rc.Session < 0 || rc.Session > 32767 {
		return entente.Errorf(entente.EINVALID, "import: roll call %s/%s: session %d out of range", rc.Source, rc.ID, rc.Session)
	}
	w.implied[rcKey{rc.Source, rc.ID}] = true
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
	if err := w.Next("Vote"); err != nil {
		return err
	}
	if v.Source == "" || v.RollCallID == "" {
		return entente.Errorf(entente.EINVALID, "import: vote line %d: source and roll call are required", v.Line)
	}
	if v.CCode <= 0 || v.CCode > maxCCode {
		return entente.Errorf(entente.EINVALID, "import: vote line %d: ccode %d out of range", v.Line, v.CCode)
	}
	return w.vote.AppendRow(int32(w.File()), w.Seq(), v.Source, v.RollCallID, int16(v.CCode),
		nullString(v.ISO3), uint8(v.Value), int32(v.Line))
}

// Issue stages an issue record.
func (w *writer) Issue(i entente.RollCallIssue) error {
	if err := w.Next("Issue"); err != nil {
		return err
	}
	if i.Source == "" || i.RollCallID == "" || i.Issue == "" {
		return entente.Errorf(entente.EINVALID, "import: issue %q of %s/%s: all fields are required", i.Issue, i.Source, i.RollCallID)
	}
	return w.issue.AppendRow(int32(w.File()), w.Seq(), true, i.Source, i.RollCallID, i.Issue)
}

// Quarantine stages a refused record. Empty Source, File and SHA256 are taken from the
// open file.
func (w *base) Quarantine(q entente.Quarantined) error {
	q, err := w.ImportLog.Quarantine(q)
	if err != nil {
		return err
	}
	return w.quar.AppendRow(int32(w.File()), w.Seq(), q.Source, validUTF8(q.File), q.SHA256, int32(q.Line),
		validUTF8(q.Field), validUTF8(q.Reason), cut(validUTF8(q.Raw), 1000))
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// validUTF8 replaces invalid bytes: DuckDB stores only valid UTF-8, and quarantined
// lines are often the ones that are not.
func validUTF8(s string) string { return strings.ToValidUTF8(s, "\uFFFD") }

// cut shortens s to at most n bytes without splitting a character.
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
