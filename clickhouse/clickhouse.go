// Package clickhouse is the scale-out store of entente: the same entente.Store contract
// as package duckdb, on a ClickHouse server (18.16 and later) or on a cluster of them,
// through the native protocol (github.com/ClickHouse/clickhouse-go/v2).
//
// A store is named by a DSN:
//
//	clickhouse://[USER[:PASSWORD]@]HOST:PORT/DB[?cluster=NAME][&timeout=DURATION]
//
// With cluster=NAME, the server named in the DSN (the coordinator) keeps the small
// tables (imports, commits, roll calls, quarantine, ties, similarity) and one
// Distributed table over each large table (votes, events, mentions, event_months),
// whose local parts live on every shard that system.clusters lists for NAME. DDL is run
// through each shard's own connection, so no ZooKeeper or distributed_ddl is needed.
//
// ClickHouse has no transactions. An import therefore stages its records in tables of
// its own, classifies and counts them against the committed rows with SQL, moves the
// new ones with INSERT ... SELECT, each row tagged with the import's id, and commits by
// inserting one row into commits, last. Every read keeps only rows whose import id is
// in commits, so an import that fails or dies anywhere before that row leaves nothing
// visible, and its re-run adds everything once (docs/scale.md).
package clickhouse

import (
	"context"
	"crypto/rand"
	"embed"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	ch "github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/entente/entente"
)

var _ entente.Store = (*Store)(nil)

// nowFunc is the clock of import reports and import ids; tests may swap it.
var nowFunc = time.Now

// defaultTimeout bounds every call whose context has no deadline of its own.
const defaultTimeout = 30 * time.Minute

// Store is the ClickHouse store. It is safe for concurrent use; the commit phases of
// imports and similarity replacements are serialised within the process. Two processes
// must not import into the same store at once (their duplicate checks could race).
type Store struct {
	conn    driver.Conn
	addr    string // the coordinator, as host:port
	db      string
	cluster string
	timeout time.Duration

	writeMu sync.Mutex
}

// Config is a parsed DSN.
type Config struct {
	Addr     string // host:port of the native protocol
	Database string
	User     string
	Password string
	Cluster  string        // "" for a single server
	Timeout  time.Duration // per call, when the caller's context has no deadline
}

var identRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// ParseDSN parses clickhouse://[USER[:PASSWORD]@]HOST[:PORT]/DB[?cluster=NAME&timeout=D].
// The port defaults to 9000 and the database to "entente".
func ParseDSN(dsn string) (Config, error) {
	u, err := url.Parse(dsn)
	if err != nil || u.Scheme != "clickhouse" || u.Host == "" {
		return Config{}, entente.Errorf(entente.EINVALID, "store %q: want clickhouse://HOST:PORT/DB[?cluster=NAME]", dsn)
	}
	c := Config{Addr: u.Host, Database: strings.Trim(u.Path, "/"), User: "default", Timeout: defaultTimeout}
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		c.Addr = net.JoinHostPort(u.Host, "9000")
	}
	if c.Database == "" {
		c.Database = "entente"
	}
	if !identRE.MatchString(c.Database) {
		return Config{}, entente.Errorf(entente.EINVALID, "store %q: database name %q: want letters, digits and _", dsn, c.Database)
	}
	if u.User != nil {
		c.User = u.User.Username()
		c.Password, _ = u.User.Password()
	}
	q := u.Query()
	for k := range q {
		if k != "cluster" && k != "timeout" {
			return Config{}, entente.Errorf(entente.EINVALID, "store %q: unknown parameter %q (want cluster, timeout)", dsn, k)
		}
	}
	c.Cluster = q.Get("cluster")
	if c.Cluster != "" && !identRE.MatchString(c.Cluster) {
		return Config{}, entente.Errorf(entente.EINVALID, "store %q: cluster name %q: want letters, digits and _", dsn, c.Cluster)
	}
	if t := q.Get("timeout"); t != "" {
		d, err := time.ParseDuration(t)
		if err != nil || d <= 0 {
			return Config{}, entente.Errorf(entente.EINVALID, "store %q: timeout %q: want a duration such as 10m", dsn, t)
		}
		c.Timeout = d
	}
	return c, nil
}

// Open connects to the store named by dsn, creating its database and tables (on every
// shard, in cluster mode) and bringing its schema up to date. A store written by a
// newer binary is refused with ECONFLICT; a server that does not answer gives an error
// naming it.
func Open(ctx context.Context, dsn string) (*Store, error) {
	cfg, err := ParseDSN(dsn)
	if err != nil {
		return nil, err
	}
	s := &Store{addr: cfg.Addr, db: cfg.Database, cluster: cfg.Cluster, timeout: cfg.Timeout}
	settings := ch.Settings{}
	if cfg.Cluster != "" {
		// An INSERT into a Distributed table returns only when every shard has its rows:
		// the commit row must not be written before them.
		settings["insert_distributed_sync"] = 1
	}
	// The database must exist before a connection can name it.
	if err := createDatabase(ctx, cfg, cfg.Addr); err != nil {
		return nil, err
	}
	s.conn, err = dial(cfg, cfg.Addr, cfg.Database, settings)
	if err != nil {
		return nil, err
	}
	if err := s.migrate(ctx, cfg); err != nil {
		s.conn.Close()
		return nil, fmt.Errorf("open store %s: %w", s.name(), err)
	}
	s.dropStaleStaging(ctx)
	return s, nil
}

func (s *Store) name() string {
	n := "clickhouse://" + s.addr + "/" + s.db
	if s.cluster != "" {
		n += "?cluster=" + s.cluster
	}
	return n
}

func dial(cfg Config, addr, db string, settings ch.Settings) (driver.Conn, error) {
	conn, err := ch.Open(&ch.Options{
		Addr:         []string{addr},
		Auth:         ch.Auth{Database: db, Username: cfg.User, Password: cfg.Password},
		Settings:     settings,
		DialTimeout:  10 * time.Second,
		MaxOpenConns: 32,
		MaxIdleConns: 8,
	})
	if err != nil {
		return nil, serverError(addr, err)
	}
	return conn, nil
}

func createDatabase(ctx context.Context, cfg Config, addr string) error {
	conn, err := dial(cfg, addr, "default", nil)
	if err != nil {
		return err
	}
	defer conn.Close()
	ctx, cancel := withTimeout(ctx, cfg.Timeout)
	defer cancel()
	if err := conn.Exec(ctx, "CREATE DATABASE IF NOT EXISTS "+cfg.Database); err != nil {
		return serverError(addr, err)
	}
	return nil
}

// serverError names the server an error came from, and says so plainly when it could
// not be reached.
func serverError(addr string, err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	var ne net.Error
	var oe *net.OpError
	if errors.As(err, &oe) || errors.As(err, &ne) {
		return fmt.Errorf("clickhouse server %s is not reachable: %w", addr, err)
	}
	return fmt.Errorf("clickhouse server %s: %w", addr, err)
}

func withTimeout(ctx context.Context, d time.Duration) (context.Context, context.CancelFunc) {
	if _, ok := ctx.Deadline(); ok {
		return context.WithCancel(ctx)
	}
	return context.WithTimeout(ctx, d)
}

// Close closes the connections. It is not safe to call concurrently with other methods.
func (s *Store) Close() error { return s.conn.Close() }

// Name returns the DSN of the store without credentials.
func (s *Store) Name() string { return s.name() }

// exec runs one statement with a deadline.
func (s *Store) exec(ctx context.Context, q string, args ...any) error {
	cctx, cancel := withTimeout(ctx, s.timeout)
	defer cancel()
	return s.fail(ctx, s.conn.Exec(cctx, q, args...))
}

// fail returns err naming the server, or the caller's context error when the call
// failed because the context ended (the driver reports a closed connection then).
func (s *Store) fail(ctx context.Context, err error) error {
	if err == nil {
		return nil
	}
	if cerr := ctx.Err(); cerr != nil {
		return cerr
	}
	return serverError(s.addr, err)
}

// query runs q and calls scan for each row.
func (s *Store) query(ctx context.Context, q string, args []any, scan func(driver.Rows) error) error {
	cctx, cancel := withTimeout(ctx, s.timeout)
	defer cancel()
	rows, err := s.conn.Query(cctx, q, args...)
	if err != nil {
		return s.fail(ctx, err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return err
		}
	}
	return s.fail(ctx, rows.Err())
}

// committed is the read rule: a row counts only when the import that wrote it has
// committed. GLOBAL: in cluster mode commits lives on the coordinator only.
const committed = `import_id GLOBAL IN (SELECT id FROM commits)`

//go:embed migrations/*.sql
var migrationFS embed.FS

type migration struct {
	version int
	name    string
	stmts   []statement
}

// statement is one DDL statement of a migration. A statement preceded by a line
// "-- shard: EXPR" creates a large table: in cluster mode it becomes TABLE_local on every
// shard plus a Distributed table TABLE sharded by EXPR.
type statement struct {
	sql   string
	table string
	shard string
}

var createRE = regexp.MustCompile(`(?i)^CREATE TABLE IF NOT EXISTS (\w+)`)

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
		m := migration{version: v, name: name}
		for _, part := range strings.Split(string(b), ";\n") {
			var st statement
			var lines []string
			for _, l := range strings.Split(part, "\n") {
				t := strings.TrimSpace(l)
				if expr, ok := strings.CutPrefix(t, "-- shard:"); ok {
					st.shard = strings.TrimSpace(expr)
				} else if t != "" && !strings.HasPrefix(t, "--") {
					lines = append(lines, l)
				}
			}
			if len(lines) == 0 {
				continue
			}
			st.sql = strings.TrimSuffix(strings.TrimSpace(strings.Join(lines, "\n")), ";")
			if mm := createRE.FindStringSubmatch(st.sql); mm != nil {
				st.table = mm[1]
			}
			if st.shard != "" && st.table == "" {
				return nil, fmt.Errorf("BUG: migration %s: a shard key on a statement that creates no table", name)
			}
			m.stmts = append(m.stmts, st)
		}
		ms = append(ms, m)
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

// shards returns the native addresses of the shards of the store's cluster, the
// coordinator's first when it is one of them.
func (s *Store) shards(ctx context.Context) ([]string, error) {
	var addrs []string
	err := s.query(ctx, `SELECT host_address, toUInt32(port) FROM system.clusters WHERE cluster = ? AND replica_num = 1 ORDER BY shard_num`,
		[]any{s.cluster}, func(r driver.Rows) error {
			var h string
			var p uint32
			if err := r.Scan(&h, &p); err != nil {
				return err
			}
			addrs = append(addrs, net.JoinHostPort(h, strconv.Itoa(int(p))))
			return nil
		})
	if err != nil {
		return nil, err
	}
	if len(addrs) == 0 {
		return nil, entente.Errorf(entente.EINVALID, "cluster %q is not configured on %s (remote_servers)", s.cluster, s.addr)
	}
	return addrs, nil
}

// migrate applies every embedded migration newer than the store's version. DDL is
// idempotent (IF NOT EXISTS), so a migration cut short is completed by the next Open.
func (s *Store) migrate(ctx context.Context, cfg Config) error {
	ms, err := migrations()
	if err != nil {
		return err
	}
	if err := s.exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version UInt32, applied_at DateTime)
		ENGINE = MergeTree ORDER BY version`); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	var current uint32
	if err := s.query(ctx, `SELECT max(version) FROM schema_migrations`, nil, func(r driver.Rows) error { return r.Scan(&current) }); err != nil {
		return fmt.Errorf("migrate: read version: %w", err)
	}
	if int(current) > len(ms) {
		return entente.Errorf(entente.ECONFLICT,
			"store schema version %d is newer than this entente knows (%d): use a newer entente", current, len(ms))
	}
	if int(current) == len(ms) {
		return nil
	}
	// Local parts of the large tables go on every shard (and on the coordinator, so the
	// Distributed table can copy their structure, even when it holds no shard).
	var locals []driver.Conn
	if s.cluster != "" {
		addrs, err := s.shards(ctx)
		if err != nil {
			return err
		}
		if !contains(addrs, s.addr) {
			addrs = append(addrs, s.addr)
		}
		for _, a := range addrs {
			if err := createDatabase(ctx, cfg, a); err != nil {
				return err
			}
			c, err := dial(cfg, a, cfg.Database, nil)
			if err != nil {
				return err
			}
			defer c.Close()
			locals = append(locals, &namedConn{c, a})
		}
	}
	for _, m := range ms[current:] {
		for _, st := range m.stmts {
			if err := s.applyStatement(ctx, st, locals); err != nil {
				return fmt.Errorf("migrate %s: %w", m.name, err)
			}
		}
		// INSERT ... SELECT, not VALUES: over the native protocol an INSERT with VALUES
		// waits for data blocks from the client.
		if err := s.exec(ctx, fmt.Sprintf(`INSERT INTO schema_migrations (version, applied_at) SELECT %d, now()`, m.version)); err != nil {
			return fmt.Errorf("migrate %s: %w", m.name, err)
		}
	}
	return nil
}

// namedConn remembers the address of a shard connection for its errors.
type namedConn struct {
	driver.Conn
	addr string
}

func (s *Store) applyStatement(ctx context.Context, st statement, locals []driver.Conn) error {
	if s.cluster == "" || st.shard == "" {
		return s.exec(ctx, st.sql)
	}
	local := createRE.ReplaceAllString(st.sql, "CREATE TABLE IF NOT EXISTS ${1}_local")
	for _, c := range locals {
		cctx, cancel := withTimeout(ctx, s.timeout)
		err := c.Exec(cctx, local)
		cancel()
		if err != nil {
			return serverError(c.(*namedConn).addr, err)
		}
	}
	return s.exec(ctx, fmt.Sprintf("CREATE TABLE IF NOT EXISTS %[1]s AS %[1]s_local ENGINE = Distributed(%[2]s, %[3]s, %[1]s_local, %[4]s)",
		st.table, s.cluster, s.db, st.shard))
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// staleStaging is how old the staging tables of an import must be before Open drops
// them as left behind by a process that died.
const staleStaging = 24 * time.Hour

// dropStaleStaging drops staging tables of imports that died long ago. Best effort: a
// failure leaves them for the next Open.
func (s *Store) dropStaleStaging(ctx context.Context) {
	var names []string
	_ = s.query(ctx, `SELECT name FROM system.tables WHERE database = currentDatabase() AND startsWith(name, 'st_')`, nil,
		func(r driver.Rows) error {
			var n string
			if err := r.Scan(&n); err != nil {
				return err
			}
			names = append(names, n)
			return nil
		})
	cut := nowFunc().Add(-staleStaging).UnixNano()
	for _, n := range names {
		parts := strings.SplitN(n, "_", 3)
		if len(parts) < 3 {
			continue
		}
		if t, err := strconv.ParseInt(parts[1], 10, 64); err == nil && t < cut {
			_ = s.exec(ctx, "DROP TABLE IF EXISTS "+n)
		}
	}
}

// newToken returns a name part unique to one import: its start time in nanoseconds and
// random bits.
func newToken() string {
	var b [4]byte
	_, _ = rand.Read(b[:])
	return fmt.Sprintf("%d_%08x", nowFunc().UnixNano(), binary.BigEndian.Uint32(b[:]))
}

// quote returns s as a ClickHouse string literal.
func quote(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, "'", `\'`).Replace(s) + "'"
}

// ymd encodes a date as the integer YYYYMMDD: ClickHouse 18.16's Date starts in 1970,
// and UN votes begin in 1946.
func ymd(t time.Time) int32 {
	t = t.UTC()
	return int32(t.Year()*10000 + int(t.Month())*100 + t.Day())
}

// fromYMD decodes ymd.
func fromYMD(v int32) time.Time {
	return time.Date(int(v/10000), time.Month(v/100%100), int(v%100), 0, 0, 0, 0, time.UTC)
}

// DiskBytes returns the bytes the store's active parts take on disk, on every shard in
// cluster mode.
func (s *Store) DiskBytes(ctx context.Context) (int64, error) {
	from := "system.parts"
	if s.cluster != "" {
		from = "cluster('" + s.cluster + "', system, parts)"
	}
	var n uint64
	err := s.query(ctx, `SELECT sum(bytes_on_disk) FROM `+from+` WHERE active AND database = ?`, []any{s.db},
		func(r driver.Rows) error { return r.Scan(&n) })
	return int64(n), err
}
