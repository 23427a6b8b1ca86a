// Command store_scale benchmarks the stores on a GDELT corpus of issue 4's size: the
// same files imported and aggregated into dyad-month event signals on DuckDB, one
// ClickHouse server and a 2-shard ClickHouse cluster, in one run. It prints rows/s of
// the imports, seconds of the aggregations, the storage, and the ratios. Run it with
// `make bench` or:
//
//	go run ./bench/store_scale -data ../shared/data -rows 4000000
//
// The corpus resamples the rows of the real GDELT 2.0 export files in
// DATA/gdelt/v2 with new GlobalEventIDs, a marked URL (so no row is a near-duplicate of
// another) and the year of the event moved over six years (so it spans 72 monthly
// partitions), written as FILES export files of equal size and imported
// -per files at a time, as `entente import gdelt` would. The ClickHouse servers are
// started with scripts/clickhouse on free loopback ports and stopped by pid at the end;
// without clickhouse-server installed, only DuckDB runs.
package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/entente/entente"
	"github.com/entente/entente/clickhouse"
	"github.com/entente/entente/country"
	"github.com/entente/entente/duckdb"
	"github.com/entente/entente/ingest/gdelt"
)

func main() {
	data := flag.String("data", "../shared/data", "the shared data folder")
	rows := flag.Int("rows", 4_000_000, "rows of the corpus")
	files := flag.Int("files", 100, "export files the corpus is split into")
	per := flag.Int("per", 10, "files per import")
	stores := flag.String("stores", "duckdb,clickhouse,cluster", "stores to run, in order")
	keep := flag.String("dir", "", "work folder (default: a temporary one, removed at the end)")
	flag.Parse()
	if err := run(*data, *rows, *files, *per, strings.Split(*stores, ","), *keep); err != nil {
		fmt.Fprintln(os.Stderr, "store_scale:", err)
		os.Exit(1)
	}
}

type result struct {
	store      string
	read       int64
	imported   int64
	importTime time.Duration
	aggMonth   time.Duration
	aggYear    time.Duration
	dyadMonths int
	bytes      int64
}

func run(data string, rows, nfiles, per int, stores []string, dir string) error {
	ctx := context.Background()
	if dir == "" {
		d, err := os.MkdirTemp("", "store_scale-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(d)
		dir = d
	}
	// clickhouse-server runs as the clickhouse user when we are root: it must reach dir.
	if err := os.Chmod(dir, 0o755); err != nil {
		return err
	}
	start := time.Now()
	paths, err := corpus(filepath.Join(data, "gdelt", "v2"), filepath.Join(dir, "corpus"), rows, nfiles)
	if err != nil {
		return err
	}
	fmt.Printf("corpus: %d rows in %d files, written in %v\n", rows, len(paths), time.Since(start).Round(time.Millisecond))

	_, errCH := exec.LookPath("clickhouse-server")
	if _, err := os.Stat("/usr/sbin/clickhouse-server"); err == nil {
		errCH = nil
	}
	var results []result
	for _, name := range stores {
		var st entente.Store
		var size func() int64
		switch name {
		case "duckdb":
			path := filepath.Join(dir, "bench.duckdb")
			s, err := duckdb.Open(ctx, path)
			if err != nil {
				return err
			}
			st = s
			size = func() int64 { fi, _ := os.Stat(path); return fi.Size() }
		case "clickhouse", "cluster":
			if errCH != nil {
				fmt.Printf("%s: skipped, clickhouse-server is not installed\n", name)
				continue
			}
			dsn, stop, err := startServers(dir, name == "cluster")
			if err != nil {
				return err
			}
			defer stop()
			s, err := clickhouse.Open(ctx, dsn)
			if err != nil {
				return err
			}
			st = s
			size = func() int64 {
				n, err := s.DiskBytes(ctx)
				if err != nil {
					fmt.Fprintln(os.Stderr, "store_scale: disk bytes:", err)
				}
				return n
			}
		default:
			return fmt.Errorf("unknown store %q (want duckdb, clickhouse, cluster)", name)
		}
		r, err := measure(ctx, name, st, paths, per)
		if err != nil {
			st.Close()
			return fmt.Errorf("%s: %w", name, err)
		}
		r.bytes = size()
		st.Close()
		results = append(results, r)
		fmt.Printf("%-10s import %8d rows (%d new) in %6.1f s = %7.0f rows/s; dyad-month signals %6.3f s (%d rows), by year %6.3f s; %6.1f MB stored\n",
			r.store, r.read, r.imported, r.importTime.Seconds(), float64(r.read)/r.importTime.Seconds(),
			r.aggMonth.Seconds(), r.dyadMonths, r.aggYear.Seconds(), float64(r.bytes)/1e6)
	}
	if len(results) > 1 {
		base := results[0]
		for _, r := range results[1:] {
			fmt.Printf("%s / %s: import rows/s ×%.2f, dyad-month aggregation time ×%.2f, by year ×%.2f, storage ×%.2f\n",
				r.store, base.store,
				(float64(r.read)/r.importTime.Seconds())/(float64(base.read)/base.importTime.Seconds()),
				r.aggMonth.Seconds()/base.aggMonth.Seconds(), r.aggYear.Seconds()/base.aggYear.Seconds(),
				float64(r.bytes)/float64(base.bytes))
			if r.dyadMonths != base.dyadMonths || r.imported != base.imported {
				return fmt.Errorf("%s disagrees with %s: %d new rows, %d dyad-months; want %d, %d",
					r.store, base.store, r.imported, r.dyadMonths, base.imported, base.dyadMonths)
			}
		}
	}
	return nil
}

func measure(ctx context.Context, name string, st entente.Store, paths []string, per int) (result, error) {
	r := result{store: name}
	reg := country.Default()
	start := time.Now()
	for i := 0; i < len(paths); i += per {
		var files []gdelt.File
		for _, p := range paths[i:min(i+per, len(paths))] {
			files = append(files, gdelt.File{Path: p})
		}
		reps, err := st.ImportEvents(ctx, func(w entente.EventWriter) error {
			_, err := gdelt.Import(ctx, w, reg, files, gdelt.Options{})
			return err
		})
		if err != nil {
			return r, err
		}
		for _, rep := range reps {
			r.read += rep.Read
			r.imported += rep.Imported
		}
	}
	r.importTime = time.Since(start)
	start = time.Now()
	sig, err := st.EventSignals(ctx, entente.EventQuery{By: "month"})
	if err != nil {
		return r, err
	}
	r.aggMonth, r.dyadMonths = time.Since(start), len(sig)
	start = time.Now()
	if _, err := st.EventSignals(ctx, entente.EventQuery{By: "year"}); err != nil {
		return r, err
	}
	r.aggYear = time.Since(start)
	return r, nil
}

// corpus writes rows resampled from the export files of src into n files in dst.
func corpus(src, dst string, rows, n int) ([]string, error) {
	in, _ := filepath.Glob(filepath.Join(src, "*.export.CSV"))
	sort.Strings(in)
	var lines [][]string
	for _, p := range in {
		f, err := os.Open(p)
		if err != nil {
			return nil, err
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			fields := strings.Split(sc.Text(), "\t")
			if len(fields) == 61 {
				lines = append(lines, fields)
			}
		}
		f.Close()
		if err := sc.Err(); err != nil {
			return nil, err
		}
	}
	if len(lines) == 0 {
		return nil, fmt.Errorf("no GDELT 2.0 export rows in %s", src)
	}
	if err := os.MkdirAll(dst, 0o755); err != nil {
		return nil, err
	}
	rng := rand.New(rand.NewPCG(1, 2))
	var paths []string
	id := int64(900_000_000)
	for i := range n {
		p := filepath.Join(dst, fmt.Sprintf("2099%010d.export.CSV", i))
		f, err := os.Create(p)
		if err != nil {
			return nil, err
		}
		w := bufio.NewWriterSize(f, 1<<20)
		count := rows / n
		if i < rows%n {
			count++
		}
		out := make([]string, 61)
		for range count {
			src := lines[rng.IntN(len(lines))]
			copy(out, src)
			id++
			shift := int(id % 6)
			out[0] = strconv.FormatInt(id, 10)
			if d, err := strconv.Atoi(src[1]); err == nil {
				out[1] = strconv.Itoa(d + shift*10000)
			}
			if m, err := strconv.Atoi(src[2]); err == nil {
				out[2] = strconv.Itoa(m + shift*100)
			}
			if y, err := strconv.Atoi(src[3]); err == nil {
				out[3] = strconv.Itoa(y + shift)
			}
			out[60] = src[60] + "#" + out[0]
			w.WriteString(strings.Join(out, "\t"))
			w.WriteByte('\n')
		}
		if err := w.Flush(); err != nil {
			return nil, err
		}
		if err := f.Close(); err != nil {
			return nil, err
		}
		paths = append(paths, p)
	}
	return paths, nil
}

// startServers starts one clickhouse-server, or the 2-shard cluster, under dir with
// scripts/clickhouse, and returns the DSN and how to stop them (by pid).
func startServers(dir string, cluster bool) (string, func(), error) {
	base := freePorts(13)
	scripts := filepath.Join("scripts", "clickhouse")
	var start, stop []string
	dsn := fmt.Sprintf("clickhouse://127.0.0.1:%d/bench", base)
	if cluster {
		d := filepath.Join(dir, "cluster")
		start = []string{filepath.Join(scripts, "cluster.sh"), "up", d, strconv.Itoa(base)}
		stop = []string{filepath.Join(scripts, "cluster.sh"), "down", d}
		dsn += "?cluster=entente"
	} else {
		d := filepath.Join(dir, "single")
		start = []string{filepath.Join(scripts, "server.sh"), "start", d, strconv.Itoa(base)}
		stop = []string{filepath.Join(scripts, "server.sh"), "stop", d}
	}
	if out, err := exec.Command(start[0], start[1:]...).CombinedOutput(); err != nil {
		return "", nil, fmt.Errorf("%v: %v\n%s", start, err, out)
	}
	return dsn, func() {
		if out, err := exec.Command(stop[0], stop[1:]...).CombinedOutput(); err != nil {
			fmt.Fprintf(os.Stderr, "store_scale: %v: %v\n%s", stop, err, out)
		}
	}, nil
}

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
