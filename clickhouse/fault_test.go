package clickhouse

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/entente/entente"
)

// faultEvents is an import of n events over many dyads, so both shards get rows.
func faultEvents(n int) func(w entente.EventWriter) error {
	states := []string{"RUS", "UKR", "USA", "CHN", "PRK", "BLR", "KAZ", "ARM", "AZE", "TUR", "IRN", "IND", "FRA", "DEU", "GBR", "POL"}
	return func(w entente.EventWriter) error {
		if err := w.StartFile(entente.ImportFile{Source: entente.SourceGDELT2, Path: "fault.export.CSV", SHA256: "fault", Size: 1}); err != nil {
			return err
		}
		for i := range n {
			a, b := states[i%len(states)], states[(i/len(states)+1+i)%len(states)]
			e := entente.Event{Source: entente.SourceGDELT2, ID: int64(1_000_000 + i), Day: entente.Day(2024, time.Month(1+i%12), 1+i%28),
				DateAdded: 20240101000000, Actor1: a, Actor2: b, Actor1Code: a, Actor2Code: b, EventCode: "042", RootCode: "04",
				Quad: int8(1 + i%4), Goldstein: float32(i%20) - 10, NumMentions: 1, NumSources: int32(1 + i%3), NumArticles: 1,
				URL: fmt.Sprintf("https://example.org/%d", i), Line: i + 1}
			if err := w.Event(e); err != nil {
				return err
			}
		}
		return w.FinishFile(int64(n), nil)
	}
}

func totalEvents(t *testing.T, s entente.Store) (n int64, gsum float64) {
	t.Helper()
	sig, err := s.EventSignals(context.Background(), entente.EventQuery{By: "year"})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range sig {
		n += e.N
		gsum += e.GoldsteinSum
	}
	return n, gsum
}

// TestShardDiesMidImport kills the second shard (SIGKILL, by its pid) after the
// import's events reached the shards and before the commit, checks the error names the
// server, that nothing of the import is visible, and that after a restart the re-run
// imports everything exactly once.
func TestShardDiesMidImport(t *testing.T) {
	needServer(t)
	if clusterDir == "" {
		t.Skip("the cluster was not started by the tests (ENTENTE_TEST_CLICKHOUSE_CLUSTER): cannot stop a shard")
	}
	const n = 20_000
	ctx := context.Background()
	s := openStore(t, clusterAddr, true)
	defer s.Close()

	shard2 := filepath.Join(clusterDir, "shard2")
	shard2Addr := "127.0.0.1:" + strconv.Itoa(clusterBase+10)
	killed := false
	testHookAfterInsert = func(i int) {
		if i != 0 || killed { // after the events, before event_months and the commit
			return
		}
		killed = true
		b, err := os.ReadFile(filepath.Join(shard2, "clickhouse.pid"))
		if err != nil {
			t.Errorf("pid of shard 2: %v", err)
			return
		}
		pid, _ := strconv.Atoi(strings.TrimSpace(string(b)))
		if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
			t.Errorf("kill shard 2 (pid %d): %v", pid, err)
		}
		for syscall.Kill(pid, 0) == nil {
			time.Sleep(20 * time.Millisecond)
		}
	}
	defer func() { testHookAfterInsert = nil }()

	_, err := s.ImportEvents(ctx, faultEvents(n))
	testHookAfterInsert = nil
	if !killed {
		t.Fatal("the import never reached the hook")
	}
	if err == nil {
		t.Fatal("the import succeeded with a shard down")
	}
	t.Logf("error with shard 2 down: %v", err)
	if !strings.Contains(err.Error(), shard2Addr) {
		t.Errorf("error %q does not name the server that is down (%s)", err, shard2Addr)
	}

	if err := script("server.sh", "start", shard2, strconv.Itoa(clusterBase+10)); err != nil {
		t.Fatal(err)
	}
	if got, _ := totalEvents(t, s); got != 0 {
		t.Errorf("after the failed import %d events are visible, want 0", got)
	}
	if imps, err := s.Imports(ctx); err != nil || len(imps) != 0 {
		t.Errorf("after the failed import: %d import reports, %v; want none", len(imps), err)
	}

	// The re-run adds everything once; the rows the failed import moved stay invisible.
	reps, err := s.ImportEvents(ctx, faultEvents(n))
	if err != nil {
		t.Fatal(err)
	}
	if r := reps[0]; r.Imported != n || r.Duplicate != 0 {
		t.Errorf("re-run: imported %d, duplicate %d; want %d and 0", r.Imported, r.Duplicate, n)
	}
	var visible uint64
	if err := s.query(ctx, `SELECT count() FROM events WHERE `+committed, nil, func(r driver.Rows) error { return r.Scan(&visible) }); err != nil {
		t.Fatal(err)
	}
	if visible != n {
		t.Errorf("after the re-run %d events are visible, want %d", visible, n)
	}
	got, gsum := totalEvents(t, s)
	// The same import on a fresh single server gives the same sums.
	ref := openStore(t, singleAddr, false)
	defer ref.Close()
	if _, err := ref.ImportEvents(ctx, faultEvents(n)); err != nil {
		t.Fatal(err)
	}
	if wn, wsum := totalEvents(t, ref); wn != got || wsum != gsum {
		t.Errorf("cluster after re-run: %d events, Goldstein sum %v; single server: %d, %v", got, gsum, wn, wsum)
	}
	// Once more: all duplicates.
	reps, err = s.ImportEvents(ctx, faultEvents(n))
	if err != nil {
		t.Fatal(err)
	}
	if r := reps[0]; r.Imported != 0 || r.Duplicate != n {
		t.Errorf("third import: imported %d, duplicate %d; want 0 and %d", r.Imported, r.Duplicate, n)
	}
	// The rows of the failed import are still on the shards, only invisible.
	var raw uint64
	if err := s.query(ctx, `SELECT count() FROM events`, nil, func(r driver.Rows) error { return r.Scan(&raw) }); err != nil {
		t.Fatal(err)
	}
	t.Logf("events rows on the shards: %d (of which %d invisible, from the failed import)", raw, raw-n)
	if raw <= n {
		t.Errorf("expected invisible rows of the failed import on the shards, found %d rows in all", raw)
	}
}
