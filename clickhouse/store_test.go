package clickhouse

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	ch "github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/entente/entente"
	"github.com/entente/entente/storetest"
)

// The tests run against a single clickhouse-server and a 2-shard cluster that TestMain
// starts with scripts/clickhouse (and stops by pid), on free loopback ports. Set
// ENTENTE_TEST_CLICKHOUSE (a single server's host:port) and ENTENTE_TEST_CLICKHOUSE_CLUSTER
// (host:port of a server of the cluster "entente", e.g. after make cluster-up) to use
// running servers instead. Without clickhouse-server installed, the tests skip.

var (
	singleAddr  string // host:port of the single server
	clusterAddr string // host:port of the cluster's first shard
	clusterDir  string // data of the cluster TestMain started, for the fault test
	clusterBase int
	skipReason  string
)

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	singleAddr = os.Getenv("ENTENTE_TEST_CLICKHOUSE")
	clusterAddr = os.Getenv("ENTENTE_TEST_CLICKHOUSE_CLUSTER")
	if singleAddr != "" && clusterAddr != "" {
		return m.Run()
	}
	if !serverInstalled() {
		skipReason = "clickhouse-server is not installed (Debian: apt-get install clickhouse-server); the ClickHouse store tests need it"
		return m.Run()
	}
	dir, err := os.MkdirTemp("", "entente-clickhouse-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	// The server runs as the clickhouse user when the tests run as root: it must reach DIR.
	if err := os.Chmod(dir, 0o755); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	if singleAddr == "" {
		base := freePorts(3)
		if err := script("server.sh", "start", filepath.Join(dir, "single"), strconv.Itoa(base)); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		defer script("server.sh", "stop", filepath.Join(dir, "single"))
		singleAddr = "127.0.0.1:" + strconv.Itoa(base)
	}
	if clusterAddr == "" {
		clusterBase = freePorts(13)
		clusterDir = filepath.Join(dir, "cluster")
		if err := script("cluster.sh", "up", clusterDir, strconv.Itoa(clusterBase)); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		defer script("cluster.sh", "down", clusterDir)
		clusterAddr = "127.0.0.1:" + strconv.Itoa(clusterBase)
	}
	return m.Run()
}

// serverInstalled reports whether clickhouse-server is on PATH or where Debian puts it
// (/usr/sbin, often not on a user's PATH).
func serverInstalled() bool {
	if _, err := exec.LookPath("clickhouse-server"); err == nil {
		return true
	}
	_, err := os.Stat("/usr/sbin/clickhouse-server")
	return err == nil
}

// scriptDir is scripts/clickhouse of the repository.
func scriptDir() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "scripts", "clickhouse")
}

func script(name string, args ...string) error {
	cmd := exec.Command(filepath.Join(scriptDir(), name), args...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s %v: %v\n%s", name, args, err, out)
	}
	return nil
}

// freePorts returns a base port such that base .. base+n-1 are free on loopback now.
func freePorts(n int) int {
	for {
		base := 20000 + rand.IntN(40000)
		ok := true
		for p := base; p < base+n && ok; p++ {
			l, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(p))
			if err != nil {
				ok = false
				continue
			}
			l.Close()
		}
		if ok {
			return base
		}
	}
}

func needServer(t testing.TB) {
	t.Helper()
	if skipReason != "" {
		t.Skip(skipReason)
	}
}

var dbSeq atomic.Int64

// newDSN returns the DSN of a new, empty database on addr (with the cluster when
// cluster), dropped on every server at the end of the test.
func newDSN(t testing.TB, addr string, cluster bool) string {
	t.Helper()
	db := fmt.Sprintf("t%d_%d", os.Getpid(), dbSeq.Add(1))
	dsn := "clickhouse://" + addr + "/" + db
	if cluster {
		dsn += "?cluster=entente"
	}
	t.Cleanup(func() { dropDatabase(t, addr, db, cluster) })
	return dsn
}

func dropDatabase(t testing.TB, addr, db string, cluster bool) {
	addrs := []string{addr}
	if cluster {
		s := &Store{cluster: "entente", addr: addr, timeout: time.Minute}
		conn, err := ch.Open(&ch.Options{Addr: []string{addr}})
		if err != nil {
			return
		}
		s.conn = conn
		if a, err := s.shards(context.Background()); err == nil {
			addrs = a
		}
		conn.Close()
	}
	for _, a := range addrs {
		conn, err := ch.Open(&ch.Options{Addr: []string{a}})
		if err != nil {
			continue
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		if err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+db); err != nil {
			t.Logf("drop database %s on %s: %v", db, a, err)
		}
		cancel()
		conn.Close()
	}
}

func openStore(t testing.TB, addr string, cluster bool) *Store {
	t.Helper()
	needServer(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	s, err := Open(ctx, newDSN(t, addr, cluster))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func opener(cluster bool) func(t *testing.T) entente.Store {
	return func(t *testing.T) entente.Store {
		if cluster {
			return openStore(t, clusterAddr, true)
		}
		return openStore(t, singleAddr, false)
	}
}

func TestSingle(t *testing.T) {
	needServer(t)
	t.Run("Votes", func(t *testing.T) { storetest.Run(t, opener(false)) })
	t.Run("Events", func(t *testing.T) { storetest.RunEvents(t, opener(false)) })
	t.Run("Ties", func(t *testing.T) { storetest.RunTies(t, opener(false)) })
	t.Run("IdealPoints", func(t *testing.T) { storetest.RunIdealPoints(t, opener(false)) })
}

func TestCluster(t *testing.T) {
	needServer(t)
	t.Run("Votes", func(t *testing.T) { storetest.Run(t, opener(true)) })
	t.Run("Events", func(t *testing.T) { storetest.RunEvents(t, opener(true)) })
	t.Run("Ties", func(t *testing.T) { storetest.RunTies(t, opener(true)) })
	t.Run("IdealPoints", func(t *testing.T) { storetest.RunIdealPoints(t, opener(true)) })
}

func TestMigrations(t *testing.T) {
	needServer(t)
	ctx := context.Background()
	dsn := newDSN(t, singleAddr, false)
	s, err := Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	check := func(s *Store) {
		t.Helper()
		var n uint64
		var v uint32
		if err := s.query(ctx, `SELECT count(), max(version) FROM schema_migrations`, nil, func(r driver.Rows) error { return r.Scan(&n, &v) }); err != nil {
			t.Fatal(err)
		}
		if int(n) != SchemaVersion() || int(v) != SchemaVersion() {
			t.Errorf("schema_migrations has %d rows up to version %d, want %d", n, v, SchemaVersion())
		}
	}
	check(s)
	s.Close()
	s, err = Open(ctx, dsn) // applies nothing again
	if err != nil {
		t.Fatal(err)
	}
	check(s)
	if err := s.exec(ctx, fmt.Sprintf(`INSERT INTO schema_migrations (version, applied_at) SELECT %d, now()`, SchemaVersion()+1)); err != nil {
		t.Fatal(err)
	}
	s.Close()
	_, err = Open(ctx, dsn)
	if entente.ErrorCode(err) != entente.ECONFLICT {
		t.Fatalf("Open of a newer store: error %v, want code %s", err, entente.ECONFLICT)
	}
}

func TestParseDSN(t *testing.T) {
	tests := []struct {
		dsn  string
		want Config
		bad  bool
	}{
		{dsn: "clickhouse://127.0.0.1:9000/entente", want: Config{Addr: "127.0.0.1:9000", Database: "entente", User: "default", Timeout: defaultTimeout}},
		{dsn: "clickhouse://db.example/x?cluster=entente&timeout=5m", want: Config{Addr: "db.example:9000", Database: "x", User: "default", Cluster: "entente", Timeout: 5 * time.Minute}},
		{dsn: "clickhouse://u:p@h:1/", want: Config{Addr: "h:1", Database: "entente", User: "u", Password: "p", Timeout: defaultTimeout}},
		{dsn: "duckdb:///x", bad: true},
		{dsn: "clickhouse://h:1/bad-name", bad: true},
		{dsn: "clickhouse://h:1/x?shards=2", bad: true},
		{dsn: "clickhouse://h:1/x?cluster=a-b", bad: true},
	}
	for _, tt := range tests {
		got, err := ParseDSN(tt.dsn)
		if tt.bad {
			if entente.ErrorCode(err) != entente.EINVALID {
				t.Errorf("ParseDSN(%q) error %v, want EINVALID", tt.dsn, err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParseDSN(%q) = %+v, %v; want %+v", tt.dsn, got, err, tt.want)
		}
	}
}

// TestServerDown: a store on a server that does not answer gives an error naming it.
func TestServerDown(t *testing.T) {
	addr := "127.0.0.1:" + strconv.Itoa(freePorts(1))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, err := Open(ctx, "clickhouse://"+addr+"/entente")
	if err == nil {
		t.Fatal("Open of a server that is down succeeded")
	}
	if !strings.Contains(err.Error(), addr) {
		t.Errorf("error %q does not name the server %s", err, addr)
	}
	if errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("error %v: want a refusal, not a timeout", err)
	}
	t.Log(err)
}
