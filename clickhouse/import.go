package clickhouse

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/entente/entente"
)

// An import runs in two phases, like the DuckDB store's, but without a transaction.
// Staging appends every record, in blocks, into tables of the import's own (Log
// engine, on the coordinator), invisible to readers. Committing, one import at a time
// in this process, then classifies the staged records against the committed rows
// with SQL (counts per file), moves the new ones into the store with INSERT ... SELECT
// tagged with a fresh import id, writes the reports, and finally inserts the import id
// into commits. Readers keep only rows of committed imports (the committed rule), so
// everything before that last one-row INSERT is invisible and a failure anywhere
// leaves the store as it was; the rows a failed import did move stay invisible forever.

// stagingBlock is how many records a staging table receives per INSERT block.
const stagingBlock = 100_000

// quarantineStaging is the staging table of quarantined records, shared by every kind
// of import.
const quarantineStaging = `quar: file Int32, seq UInt64, source String, path String, sha256 String, line Int32,
    field String, reason String, raw String`

// stage is the set of staging tables of one import.
type stage struct {
	s       *Store
	ctx     context.Context
	prefix  string // st_TOKEN_
	tables  map[string]*stagingTable
	created []string
}

type stagingTable struct {
	name  string
	cols  string // the column list of INSERTs
	batch driver.Batch
	n     int
}

// newStage creates the staging tables described by defs ("kind: col Type, ...").
func (s *Store) newStage(ctx context.Context, defs ...string) (*stage, error) {
	st := &stage{s: s, ctx: ctx, prefix: "st_" + newToken() + "_", tables: map[string]*stagingTable{}}
	for _, d := range defs {
		kind, cols, _ := strings.Cut(d, ":")
		kind = strings.TrimSpace(kind)
		name := st.prefix + kind
		if err := s.exec(ctx, "CREATE TABLE "+name+" ("+cols+") ENGINE = Log"); err != nil {
			st.drop()
			return nil, fmt.Errorf("staging: %w", err)
		}
		st.created = append(st.created, name)
		var names []string
		for _, c := range strings.Split(cols, ",") {
			names = append(names, strings.Fields(c)[0])
		}
		st.tables[kind] = &stagingTable{name: name, cols: strings.Join(names, ", ")}
	}
	return st, nil
}

// append adds one record to the staging table of kind, sending a block when full.
func (st *stage) append(kind string, vals ...any) error {
	t := st.tables[kind]
	if t.batch == nil {
		b, err := st.s.conn.PrepareBatch(st.ctx, "INSERT INTO "+t.name+" ("+t.cols+")")
		if err != nil {
			return st.s.fail(st.ctx, err)
		}
		t.batch = b
	}
	if err := t.batch.Append(vals...); err != nil {
		return fmt.Errorf("staging %s: %w", kind, err)
	}
	t.n++
	if t.n >= stagingBlock {
		return st.send(t)
	}
	return nil
}

func (st *stage) send(t *stagingTable) error {
	b := t.batch
	t.batch, t.n = nil, 0
	if err := st.ctx.Err(); err != nil {
		_ = b.Abort()
		return err
	}
	return st.s.fail(st.ctx, b.Send())
}

// flush sends every partial block.
func (st *stage) flush() error {
	for _, t := range st.tables {
		if t.batch != nil {
			if err := st.send(t); err != nil {
				return err
			}
		}
	}
	return nil
}

// drop aborts open blocks and drops the staging tables. It runs even when the import's
// context is cancelled; what it cannot drop, a later Open does (dropStaleStaging).
func (st *stage) drop() {
	for _, t := range st.tables {
		if t.batch != nil {
			_ = t.batch.Abort()
			t.batch = nil
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	for _, name := range st.created {
		_ = st.s.exec(ctx, "DROP TABLE IF EXISTS "+name)
	}
}

// plan is the SQL of one kind of import's commit. In every statement {st} is the
// staging prefix and {id} the import id.
type plan struct {
	// prepare runs first (classification tables, for instance).
	prepare func(ctx context.Context, r *strings.Replacer) error
	// counts return, each, rows (file Int32, imported Int64, duplicate Int64).
	counts []string
	// inserts move the new records into the store.
	inserts []string
	// dupKinds, when set, returns rows (file Int32, repeated ids Int64, near-duplicates
	// Int64) of the staged events.
	dupKinds string
}

// testHookAfterInsert, when set, runs after each INSERT of a commit (i is its index),
// before the commit row: the fault tests stop a shard there.
var testHookAfterInsert func(i int)

// commit moves a staged import into the store and returns the per-file reports, as
// log accounts them. The caller holds writeMu.
func (s *Store) commit(ctx context.Context, st *stage, log *entente.ImportLog, p plan) ([]entente.ImportReport, error) {
	id := s.newImportID(ctx)
	r := strings.NewReplacer("{st}", st.prefix, "{id}", strconv.FormatUint(id, 10))
	if p.prepare != nil {
		if err := p.prepare(ctx, r); err != nil {
			return nil, err
		}
	}
	// each runs q, whose rows are (file Int32, a Int64, b Int64), and gives them to f.
	each := func(q string, f func(file int, a, b int64) error) error {
		return s.query(ctx, r.Replace(q), nil, func(rows driver.Rows) error {
			var file int32
			var a, b int64
			if err := rows.Scan(&file, &a, &b); err != nil {
				return err
			}
			return f(int(file), a, b)
		})
	}
	for _, q := range p.counts {
		if err := each(q, func(file int, imp, dup int64) error { return log.Count(file, imp, 0, dup) }); err != nil {
			return nil, err
		}
	}
	if err := each(`SELECT file, toInt64(count()), toInt64(0) FROM {st}quar GROUP BY file`,
		func(file int, quar, _ int64) error { return log.Count(file, 0, quar, 0) }); err != nil {
		return nil, err
	}
	if p.dupKinds != "" {
		if err := each(p.dupKinds, log.CountEventDuplicates); err != nil {
			return nil, err
		}
	}
	reports, err := log.Accounted()
	if err != nil {
		return nil, err
	}
	inserts := append(append([]string{}, p.inserts...), quarantineInsertSQL)
	for i, q := range inserts {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if err := s.exec(ctx, r.Replace(q)); err != nil {
			return nil, err
		}
		if testHookAfterInsert != nil {
			testHookAfterInsert(i)
		}
	}
	if err := s.insertReports(ctx, id, reports); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	// The commit: one row, atomic. From here on the import is visible.
	if err := s.exec(ctx, fmt.Sprintf(`INSERT INTO commits (id, at) SELECT %d, %d`, id, nowFunc().UnixNano())); err != nil {
		return nil, err
	}
	return reports, nil
}

// newImportID returns an id no import has used: the clock in nanoseconds, and above
// every id seen, so the rows of a failed import (left invisible) never become visible
// under a later commit.
func (s *Store) newImportID(ctx context.Context) uint64 {
	id := uint64(nowFunc().UnixNano())
	var last uint64
	if err := s.query(ctx, `SELECT max(id) FROM commits`, nil, func(r driver.Rows) error { return r.Scan(&last) }); err == nil && last >= id {
		id = last + 1
	}
	return id
}

func (s *Store) insertReports(ctx context.Context, id uint64, reports []entente.ImportReport) error {
	if len(reports) == 0 {
		return nil
	}
	ctx, cancel := withTimeout(ctx, s.timeout)
	defer cancel()
	b, err := s.conn.PrepareBatch(ctx, `INSERT INTO imports (id, ordinal, source, file, sha256, size, started, finished,
		read, imported, quarantined, duplicate, notes)`)
	if err != nil {
		return serverError(s.addr, err)
	}
	for i, r := range reports {
		notes := r.Notes
		if notes == nil {
			notes = []string{}
		}
		if err := b.Append(id, uint16(i), r.File.Source, r.File.Path, r.File.SHA256, r.File.Size,
			r.Started.UnixNano(), r.Finished.UnixNano(), r.Read, r.Imported, r.Quarantined, r.Duplicate, notes); err != nil {
			_ = b.Abort()
			return err
		}
	}
	return serverError(s.addr, b.Send())
}

// quarantineInsertSQL keeps the quarantined records of an import, once per file digest,
// line and field.
const quarantineInsertSQL = `
INSERT INTO quarantine (import_id, source, file, sha256, line, field, reason, raw)
SELECT {id}, source, path, sha256, line, field, reason, raw FROM {st}quar
WHERE (sha256, line, field, seq) IN (SELECT sha256, line, field, min(seq) FROM {st}quar GROUP BY sha256, line, field)
  AND (sha256, line, field) NOT IN (SELECT sha256, line, field FROM quarantine WHERE ` + committed + `)`

// base is what every staging writer shares: the import's log of files and records
// (entente.ImportLog) and the staging tables.
type base struct {
	entente.ImportLog
	st *stage
}

func newBase(ctx context.Context, st *stage) base {
	return base{ImportLog: entente.NewImportLog(ctx, nowFunc), st: st}
}

// Quarantine stages a refused record, as entente.ImportLog.Quarantine makes it.
func (w *base) Quarantine(q entente.Quarantined) error {
	q, err := w.ImportLog.Quarantine(q)
	if err != nil {
		return err
	}
	return w.st.append("quar", int32(w.File()), uint64(w.Seq()), q.Source, q.File, q.SHA256, int32(q.Line),
		q.Field, q.Reason, q.Raw)
}

// runImport stages an import through fill and commits it with p.
func (s *Store) runImport(ctx context.Context, what string, defs []string, stageFill func(*stage) (*base, error), p plan) ([]entente.ImportReport, error) {
	st, err := s.newStage(ctx, append(defs, quarantineStaging)...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	defer st.drop()
	b, err := stageFill(st)
	if err == nil {
		err = b.Finished()
	}
	if err == nil {
		err = ctx.Err()
	}
	if err == nil {
		err = st.flush()
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	reports, err := s.commit(ctx, st, &b.ImportLog, p)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return reports, nil
}
