// Package duckdb is the embedded store of entente: one DuckDB file, no server, schema
// migrations embedded in the binary. It implements entente.Store.
package duckdb

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
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
	db   *sql.DB
	path string

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
// this one does not know) is refused with ECONFLICT.
func Open(ctx context.Context, path string) (*Store, error) {
	if path == "" {
		return nil, entente.Errorf(entente.EINVALID, "open store: empty path")
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	connector, err := ddb.NewConnector(path+"?memory_limit="+memoryLimit, nil)
	if err != nil && strings.Contains(err.Error(), "Could not set lock") {
		// DuckDB lets one process at a time open a file; its message names the holder.
		return nil, entente.Errorf(entente.ECONFLICT, "store %s is in use by another process: %v", path, err)
	}
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	s := &Store{db: sql.OpenDB(connector), path: path}
	if err := s.migrate(ctx); err != nil {
		s.db.Close()
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	return s, nil
}

// Path returns the file the store was opened on.
func (s *Store) Path() string { return s.path }

// Close closes the database. It is not safe to call concurrently with other methods.
func (s *Store) Close() error { return s.db.Close() }

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
