package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	nethttp "net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// upMirror lays out a mirror in the catalogue's layout with the repository's small real
// excerpts (testdata/README.md and ingest/*/testdata/README.md say where each comes from).
func upMirror(t *testing.T) string {
	t.Helper()
	m := t.TempDir()
	for src, dest := range map[string]string{
		"testdata/undl_excerpt.csv":                                     "unvotes/undl_excerpt.csv",
		"testdata/voeten_excerpt.csv":                                   "unvotes/voeten_excerpt.csv",
		"../../ingest/atop/testdata/atop_excerpt.csv":                   "alliances/atop_excerpt.csv",
		"../../ingest/aid/testdata/kiel_ust_data_explorer.csv":          "aid/kiel_ust_data_explorer.csv",
		"../../ingest/aid/testdata/kiel_ust_release_info.csv":           "aid/kiel_ust_release_info.csv",
		"../../ingest/igo/testdata/cow_igo_excerpt.csv":                 "igo/manyigos_COW_MEM_memberships.csv",
		"../../ingest/gdelt/testdata/export_20180101000000_excerpt.tsv": "gdelt/v2/20180101000000.export.CSV",
	} {
		b, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(m, filepath.FromSlash(dest))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return m
}

// importRows returns, per file of the CSV import reports on stderr, the imported and
// duplicate counts.
func importRows(stderr string) map[string][2]int {
	out := map[string][2]int{}
	for _, line := range strings.Split(stderr, "\n") {
		f, err := csv.NewReader(strings.NewReader(line)).Read()
		if err != nil || len(f) != 6 {
			continue
		}
		imp, err1 := strconv.Atoi(f[3])
		dup, err2 := strconv.Atoi(f[5])
		if err1 == nil && err2 == nil {
			out[filepath.Base(f[0])] = [2]int{imp, dup}
		}
	}
	return out
}

func TestUpIsIdempotent(t *testing.T) {
	mirror := upMirror(t)
	dir := t.TempDir()
	args := []string{"up", "--mirror", mirror, "--data", filepath.Join(dir, "data"), "--db", filepath.Join(dir, "e.duckdb"),
		"--ledger", "../../data/ledger", "--no-serve", "--format", "csv"}
	// The first up as its own process (main): it warms the read cache of the command
	// line, and a rank at any date beside it then reads nothing from the store.
	cache := t.TempDir()
	first := runApp(t, asMain(cache), args...)
	if first.code != 0 || first.stdout != "" {
		t.Fatalf("first up: %s", first)
	}
	kept := func() int { return keptReads(cache) }
	n := kept()
	if n == 0 || !strings.Contains(first.stderr, "entente up: 3/4 cache warm: ") {
		t.Errorf("first up kept %d reads:\n%s", n, first.stderr)
	}
	if r := runApp(t, asMain(cache), "rank", "RUS", "--at", "2019-06", "--db", filepath.Join(dir, "e.duckdb")); r.code != 0 || kept() != n {
		t.Errorf("a rank after up read %d reads up had not kept: %s", kept()-n, r)
	}
	for _, step := range []string{"1/4 sync", "2/4 import unvotes", "2/4 import gdelt", "2/4 import aid", "2/4 import atop", "2/4 import igo", "2/4 import ledger", "ready in"} {
		if !strings.Contains(first.stderr, "entente up: "+step) {
			t.Errorf("first up: no %q on stderr:\n%s", step, first.stderr)
		}
	}
	rows := importRows(first.stderr)
	for _, f := range []string{"undl_excerpt.csv", "atop_excerpt.csv", "kiel_ust_data_explorer.csv", "manyigos_COW_MEM_memberships.csv", "20180101000000.export.CSV", "asia.yaml"} {
		if rows[f][0] == 0 {
			t.Errorf("first up imported nothing of %s: %v", f, rows[f])
		}
	}
	start := time.Now()
	second := runApp(t, nil, args...)
	if second.code != 0 {
		t.Fatalf("second up: %s", second)
	}
	rows2 := importRows(second.stderr)
	if len(rows2) != len(rows) {
		t.Errorf("second up reported %d files, first %d", len(rows2), len(rows))
	}
	for f, r := range rows2 {
		if r[0] != 0 || r[1] == 0 {
			t.Errorf("second up, %s: imported %d, duplicate %d: want nothing new", f, r[0], r[1])
		}
	}
	if !strings.Contains(second.stderr, "skipped") {
		t.Errorf("second sync did not skip what is in place:\n%s", second.stderr)
	}
	t.Logf("second up in %s", time.Since(start))
}

func TestUpLeavesOutWhatIsMissing(t *testing.T) {
	dir := t.TempDir()
	r := runApp(t, nil, "up", "--offline", "--data", filepath.Join(dir, "data"), "--db", filepath.Join(dir, "e.duckdb"), "--ledger", "../../data/ledger", "--no-serve")
	if r.code != 0 {
		t.Fatalf("up with an empty data dir: %s", r)
	}
	for _, want := range []string{"sync: skipped (--offline)", "import unvotes: nothing in", "import ledger: done"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("no %q on stderr:\n%s", want, r.stderr)
		}
	}
}

func TestServeAnswersAndStopsGracefully(t *testing.T) {
	mirror := upMirror(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "e.duckdb")
	if r := runApp(t, nil, "up", "--mirror", mirror, "--data", filepath.Join(dir, "data"), "--db", db, "--ledger", "../../data/ledger", "--no-serve", "--quiet"); r.code != 0 {
		t.Fatalf("up: %s", r)
	}
	var stderr bytes.Buffer
	a := newApp(io.Discard, &stderr, func(string) string { return "" })
	a.dbPath = db
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	urls := make(chan string, 1)
	done := make(chan error, 1)
	go func() { done <- a.serve(ctx, "127.0.0.1:0", nil, func(u string) { urls <- u }) }()
	var url string
	select {
	case url = <-urls:
	case err := <-done:
		t.Fatalf("serve: %v", err)
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not start")
	}
	resp, err := nethttp.Get(url + "/api/v1/rank/RUS?at=2025-06&top=3")
	if err != nil {
		t.Fatal(err)
	}
	var rank struct {
		Focal  struct{ ID string } `json:"focal"`
		Scores []struct {
			State struct{ ID string } `json:"state"`
		} `json:"scores"`
	}
	err = json.NewDecoder(resp.Body).Decode(&rank)
	resp.Body.Close()
	top3 := func() bool {
		for _, s := range rank.Scores {
			if s.State.ID == "BLR" {
				return true
			}
		}
		return false
	}
	if err != nil || resp.StatusCode != 200 || rank.Focal.ID != "RUS" || len(rank.Scores) != 3 || !top3() {
		t.Fatalf("rank: %d %v %+v", resp.StatusCode, err, rank)
	}
	resp, err = nethttp.Get(url + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		t.Errorf("dashboard: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve after cancel: %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not stop")
	}
	if !strings.Contains(stderr.String(), "dashboard at "+url) || !strings.Contains(stderr.String(), "server stopped") {
		t.Errorf("stderr: %s", stderr.String())
	}
}

func TestServeWithoutStore(t *testing.T) {
	r := runApp(t, nil, "serve", "--db", filepath.Join(t.TempDir(), "none.duckdb"), "--addr", "127.0.0.1:0")
	if r.code != 2 || !strings.Contains(r.stderr, "no store at") {
		t.Errorf("serve without a store: %s", r)
	}
	if r := runApp(t, nil, "serve", "extra"); r.code != 2 {
		t.Errorf("serve extra: %s", r)
	}
}
