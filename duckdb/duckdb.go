// Package duckdb is the embedded store of entente: one DuckDB file, no server, schema
// migrations embedded in the binary. It implements entente.Store.
package duckdb

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	ddb "github.com/duckdb/duckdb-go/v2"

	"github.com/entente/entente"
)

var _ entente.Store = (*Store)(nil)

// memoryLimit caps DuckDB's buffer pool. DuckDB's default (80% of RAM) is rude on a
// desktop, and the pool is what the memory of a long import grows into: with 1 GB an
// import of 4 million GDELT rows peaks at about as much as one of 1 million
// (bench/gdelt_ingest); larger work spills to disk.
const memoryLimit = "1GB"

// nowFunc is the clock of import reports; tests swap it.
var nowFunc = time.Now

// Store is the DuckDB store. It is safe for concurrent use; imports and similarity
// replacements are serialised so each commits as one transaction.
type Store struct {
	db       *sql.DB
	path     string
	readOnly bool // opened with OpenReadOnly
	left     bool // LeaveOpen: Close does nothing

	writeMu sync.Mutex // one writing transaction at a time: imports, ReplaceSimilarity
}

//go:embed migrations/*.sql
var migrationFS embed.FS

// migration is one embedded schema step.
type migration struct {
	version int
	name    string
	sql     string
}

// migrations returns the embedded migrations in version order. A file is named
// NNNN_description.sql; versions start at 1 and have no gaps.
func migrations() ([]migration, error) {
	entries, err := fs.ReadDir(migrationFS, "migrations")
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, e := range entries {
		name := e.Name()
		num, _, ok := strings.Cut(name, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || !strings.HasSuffix(name, ".sql") {
			return nil, fmt.Errorf("BUG: migration file %q not named NNNN_name.sql", name)
		}
		b, err := migrationFS.ReadFile("migrations/" + name)
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{v, name, string(b)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	for i, m := range ms {
		if m.version != i+1 {
			return nil, fmt.Errorf("BUG: migration %s: want version %d", m.name, i+1)
		}
	}
	return ms, nil
}

// SchemaVersion is the newest schema version this binary knows.
func SchemaVersion() int {
	ms, err := migrations()
	if err != nil {
		panic(err)
	}
	return len(ms)
}

// Open opens the DuckDB file at path, creating it and its parent directories if needed,
// and brings its schema up to date. A store written by a newer binary (a schema version
// this one does not know) is refused with ECONFLICT; a store another process holds (a
// running 'entente serve') with ECONFLICT and a message that says what to do.
func Open(ctx context.Context, path string) (*Store, error) {
	if path == "" {
		return nil, entente.Errorf(entente.EINVALID, "open store: empty path")
	}
	if err := checkFile(path, false); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	s, err := connect(path, "")
	if err != nil {
		return nil, err
	}
	if err := s.migrate(ctx); err != nil {
		s.db.Close()
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	return s, nil
}

// ReadOption is an option of OpenReadOnly.
type ReadOption func(*readOptions)

type readOptions struct {
	threads  int  // 0: DuckDB's default, one per core
	deferred bool // open DuckDB at the first query
}

// Deferred opens DuckDB, and checks the store's schema, at the store's first query
// rather than in OpenReadOnly, whose checks are then those of the file alone (it
// exists, is a regular file, starts as a DuckDB file). For a reader that may answer
// from elsewhere (readcache): starting DuckDB on a store file costs a short command
// about 40 ms. A refusal at the first query (another process holds the file, an old
// schema) is the error OpenReadOnly would give.
func Deferred() ReadOption { return func(o *readOptions) { o.deferred = true } }

// Threads makes DuckDB run each query of the store on n threads (n ≥ 1) rather than
// one per core. One suits a reader that runs its many small queries side by side itself
// (the index's cold load): DuckDB's worker threads then only cost their start and their
// waits, about a tenth of a cold 'entente rank' on two cores.
func Threads(n int) ReadOption { return func(o *readOptions) { o.threads = max(n, 1) } }

// OpenReadOnly opens an existing store for reading only. Any number of processes may
// hold a store read-only at once (a running 'entente serve' and the read commands of
// the command line), and a file without write permission can be read. The store's
// schema must be current: an older one is refused with ECONFLICT and a message naming
// the command that upgrades it (any import).
func OpenReadOnly(ctx context.Context, path string, opts ...ReadOption) (*Store, error) {
	if path == "" {
		return nil, entente.Errorf(entente.EINVALID, "open store: empty path")
	}
	if err := checkFile(path, true); err != nil {
		return nil, err
	}
	var o readOptions
	for _, opt := range opts {
		opt(&o)
	}
	extra := "&access_mode=READ_ONLY"
	if o.threads > 0 {
		extra += fmt.Sprintf("&threads=%d", o.threads)
	}
	if o.deferred {
		dc := &deferredConnector{open: func(ctx context.Context) (*ddb.Connector, error) {
			c, err := ddb.NewConnector(path+settings+extra, nil)
			if err != nil {
				return nil, openError(path, err)
			}
			check := sql.OpenDB(unclosable{c}) // closing it leaves c open
			defer check.Close()
			if err := checkReadVersion(ctx, &Store{db: check, path: path}); err != nil {
				c.Close()
				return nil, err
			}
			return c, nil
		}}
		return &Store{db: sql.OpenDB(dc), path: path, readOnly: true}, nil
	}
	s, err := connect(path, extra)
	if err != nil {
		return nil, err
	}
	s.readOnly = true
	if err := checkReadVersion(ctx, s); err != nil {
		s.db.Close()
		return nil, err
	}
	return s, nil
}

// checkReadVersion refuses, for reading, a store whose schema is not this entente's.
func checkReadVersion(ctx context.Context, s *Store) error {
	ms, err := migrations()
	if err != nil {
		return err
	}
	current, err := s.schemaVersion(ctx)
	if err != nil {
		return fmt.Errorf("open store %s: %w", s.path, err)
	}
	switch {
	case current > len(ms):
		return entente.Errorf(entente.ECONFLICT,
			"store schema version %d is newer than this entente knows (%d): use a newer entente", current, len(ms))
	case current < len(ms):
		return entente.Errorf(entente.ECONFLICT,
			"store %s has schema version %d, this entente needs %d: run any 'entente import' once to upgrade it", s.path, current, len(ms))
	}
	return nil
}

// deferredConnector opens DuckDB (open) at its first connection (Deferred). A failed
// open fails that connection and every later one.
type deferredConnector struct {
	once sync.Once
	open func(context.Context) (*ddb.Connector, error)
	c    *ddb.Connector
	err  error
}

func (d *deferredConnector) Connect(ctx context.Context) (driver.Conn, error) {
	d.once.Do(func() { d.c, d.err = d.open(ctx) })
	if d.err != nil {
		return nil, d.err
	}
	return d.c.Connect(ctx)
}

func (d *deferredConnector) Driver() driver.Driver { return ddb.Driver{} }

// Close closes DuckDB if it was opened, and stops a later open.
func (d *deferredConnector) Close() error {
	d.once.Do(func() { d.err = errors.New("store closed") })
	if d.c != nil {
		return d.c.Close()
	}
	return nil
}

// unclosable hides a connector's Close from the sql.DB over it.
type unclosable struct{ driver.Connector }

// settings are the DuckDB options of every connection: the buffer pool's cap, and no
// extension ever loaded or installed on its own — DuckDB would otherwise try to
// download one from the internet when a file or a query asks for it (a SQLite file
// given as a store, say). entente reaches the network only in 'entente sync'.
const settings = "?memory_limit=" + memoryLimit +
	"&autoload_known_extensions=false&autoinstall_known_extensions=false"

// connect opens DuckDB on path with the common settings and extra options.
func connect(path, extra string) (*Store, error) {
	connector, err := ddb.NewConnector(path+settings+extra, nil)
	if err != nil {
		return nil, openError(path, err)
	}
	return &Store{db: sql.OpenDB(connector), path: path}, nil
}

// openError turns DuckDB's refusals to open a file into messages that say what to do.
func openError(path string, err error) error {
	msg := err.Error()
	switch {
	case strings.Contains(msg, "Could not set lock"):
		// DuckDB lets one writer, or any number of readers, hold a file; its message
		// names the holder.
		return entente.Errorf(entente.ECONFLICT, "store %s is in use by another process (a running 'entente serve' or 'up', or an import): stop it first, or import into another store with --db; %v", path, err)
	case strings.Contains(msg, "not a valid DuckDB database file"), strings.Contains(msg, "Could not read enough bytes"),
		strings.Contains(msg, "IO Error") && strings.Contains(msg, "block"):
		return entente.Errorf(entente.EINVALID, "store %s is not a readable DuckDB database (damaged, truncated, or another kind of file): %v", path, err)
	}
	return fmt.Errorf("open store %s: %w", path, err)
}

// checkFile refuses, before DuckDB sees it, a store path that is not a regular file
// (a folder, a FIFO, a device), and a missing file when it must exist.
func checkFile(path string, mustExist bool) error {
	fi, err := os.Stat(path)
	switch {
	case errors.Is(err, os.ErrNotExist) && !mustExist:
		return nil
	case errors.Is(err, os.ErrNotExist):
		return entente.Errorf(entente.ENOTFOUND, "no store at %s: import data first (entente import unvotes FILE...), or name another with --db", path)
	case err != nil:
		return fmt.Errorf("open store %s: %w", path, err)
	case !fi.Mode().IsRegular():
		return entente.Errorf(entente.EINVALID, "store %s is %s, not a file", path, fileKind(fi.Mode()))
	case fi.Size() == 0:
		return nil // DuckDB makes an empty file a new database
	}
	return checkMagic(path)
}

// fileKind names the kind of a file that is not a regular one.
func fileKind(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a folder"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case m&fs.ModeDevice != 0:
		return "a device"
	case m&fs.ModeSocket != 0:
		return "a socket"
	}
	return "a special file"
}

// checkMagic refuses a file that does not start as a DuckDB database does ("DUCK" at
// byte 8), naming what it looks like instead: DuckDB would otherwise try to load an
// extension for it (SQLite) or fail with a message about bytes.
func checkMagic(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("open store %s: %w", path, err)
	}
	defer f.Close()
	head := make([]byte, 16)
	n, _ := io.ReadFull(f, head)
	head = head[:n]
	switch {
	case len(head) >= 12 && string(head[8:12]) == "DUCK":
		return nil
	case strings.HasPrefix(string(head), "SQLite format 3"):
		return entente.Errorf(entente.EINVALID, "store %s is a SQLite database, not a DuckDB store: name an entente store (a .duckdb file) with --db", path)
	}
	return entente.Errorf(entente.EINVALID, "store %s is not a DuckDB database (its first bytes are not DuckDB's): name an entente store with --db", path)
}

// Verify reads every row of every table of the store, so that DuckDB checks each block
// it stores against its checksum, and compares the store's size with what its header
// promises: a damaged or truncated file fails here rather than in the middle of later
// work. It returns the number of rows read per table.
func (s *Store) Verify(ctx context.Context) (map[string]int64, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() ORDER BY table_name`)
	if err != nil {
		return nil, entente.Errorf(entente.EINVALID, "verify store %s: list tables: %v", s.path, err)
	}
	var tables []string
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			rows.Close()
			return nil, fmt.Errorf("verify store %s: %w", s.path, err)
		}
		tables = append(tables, t)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, entente.Errorf(entente.EINVALID, "verify store %s: %v", s.path, err)
	}
	out := make(map[string]int64, len(tables))
	for _, t := range tables {
		// hash(t) reads every column of every row: each block is loaded and checked.
		var n int64
		var h any
		q := `SELECT count(*), bit_xor(hash(t)) FROM ` + quoteIdent(t) + ` AS t`
		if err := s.db.QueryRowContext(ctx, q).Scan(&n, &h); err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			return nil, entente.Errorf(entente.EINVALID, "store %s is damaged: reading table %s: %v", s.path, t, err)
		}
		out[t] = n
	}
	return out, nil
}

// quoteIdent quotes a SQL identifier.
func quoteIdent(name string) string { return `"` + strings.ReplaceAll(name, `"`, `""`) + `"` }

// ReadOnly reports whether the store was opened with OpenReadOnly.
func (s *Store) ReadOnly() bool { return s.readOnly }

// Path returns the file the store was opened on.
func (s *Store) Path() string { return s.path }

// Close closes the database. It is not safe to call concurrently with other methods.
func (s *Store) Close() error {
	if s.left {
		return nil
	}
	return s.db.Close()
}

// LeaveOpen makes Close of a read-only store do nothing, for a process that ends right
// after: its exit releases the file and its lock, while DuckDB's own close, which frees
// the buffer pool block by block, costs a short command tens of milliseconds. A store
// open for writing is always closed (Close checkpoints it).
func (s *Store) LeaveOpen() { s.left = s.readOnly }

// migrate applies, each in its own transaction, every embedded migration newer than the
// store's version.
func (s *Store) migrate(ctx context.Context) error {
	ms, err := migrations()
	if err != nil {
		return err
	}
	if _, err := s.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, applied_at TIMESTAMP NOT NULL)`); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	current, err := s.schemaVersion(ctx)
	if err != nil {
		return err
	}
	if current > len(ms) {
		return entente.Errorf(entente.ECONFLICT,
			"store schema version %d is newer than this entente knows (%d): use a newer entente", current, len(ms))
	}
	for _, m := range ms[current:] {
		if err := s.apply(ctx, m); err != nil {
			return err
		}
	}
	return nil
}

func (s *Store) schemaVersion(ctx context.Context) (int, error) {
	var v int
	err := s.db.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&v)
	if err != nil {
		return 0, fmt.Errorf("migrate: read version: %w", err)
	}
	return v, nil
}

func (s *Store) apply(ctx context.Context, m migration) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("migrate %s: %w", m.name, err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, m.sql); err != nil {
		return fmt.Errorf("migrate %s: %w", m.name, err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations VALUES (?, ?)`, m.version, nowFunc().UTC()); err != nil {
		return fmt.Errorf("migrate %s: %w", m.name, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("migrate %s: %w", m.name, err)
	}
	return nil
}

// DefaultPath returns where the store lives when the user names none: $ENTENTE_DB if
// set, else entente/entente.duckdb in the user data directory ($XDG_DATA_HOME or
// ~/.local/share on Unix, ~/Library/Application Support on macOS, %LocalAppData% on
// Windows).
func DefaultPath() (string, error) {
	return defaultPath(os.Getenv, os.UserHomeDir, runtime.GOOS)
}

func defaultPath(getenv func(string) string, home func() (string, error), goos string) (string, error) {
	if p := getenv("ENTENTE_DB"); p != "" {
		return p, nil
	}
	dir, err := userDataDir(getenv, home, goos)
	if err != nil {
		return "", entente.Errorf(entente.EINVALID, "no default store path (set ENTENTE_DB or --db): %v", err)
	}
	return filepath.Join(dir, "entente", "entente.duckdb"), nil
}

// userDataDir is the data-directory twin of os.UserConfigDir, which Go lacks.
func userDataDir(getenv func(string) string, home func() (string, error), goos string) (string, error) {
	switch goos {
	case "windows":
		if d := getenv("LocalAppData"); d != "" {
			return d, nil
		}
		return "", errors.New("%LocalAppData% is not set")
	case "darwin", "ios":
		h, err := home()
		if err != nil {
			return "", err
		}
		return filepath.Join(h, "Library", "Application Support"), nil
	}
	if d := getenv("XDG_DATA_HOME"); d != "" && filepath.IsAbs(d) {
		return d, nil
	}
	h, err := home()
	if err != nil {
		return "", err
	}
	return filepath.Join(h, ".local", "share"), nil
}
