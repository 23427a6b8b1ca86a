// Command gdelt_ingest benchmarks entente's GDELT import, from raw 2.0 export files to
// dyad-month event signals ready to query, against the same work done the way a DuckDB
// user would: read_csv into a table, then the dedupe and the aggregation in SQL. Run it
// with `make bench` or:
//
//	go run ./bench/gdelt_ingest -data ../shared/data            # 4,000,000 rows, ~1.6 GB
//	go run ./bench/gdelt_ingest -data ../shared/data -rows 400000
//
// The corpus is generated, deterministically, by resampling the real rows of
// gdelt/v2/*.export.CSV into files of 2,500 rows, one per 15-minute slot from
// 2024-01-01 00:00 (corpus.go). Both sides read the same files, and their dyad-month
// tables are compared before any figure is printed. docs/events.md has the figures.
package main

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	_ "github.com/duckdb/duckdb-go/v2"

	"github.com/entente/entente"
	"github.com/entente/entente/country"
	"github.com/entente/entente/duckdb"
	"github.com/entente/entente/ingest/gdelt"
)

func main() {
	data := flag.String("data", "../shared/data", "the shared data folder")
	rows := flag.Int("rows", 4_000_000, "rows of the generated corpus")
	dir := flag.String("dir", "", "work folder; a corpus already there is reused (default: a temporary folder, removed after)")
	only := flag.String("only", "", "run one side only: entente or duckdb")
	flag.Parse()
	debug.SetGCPercent(400) // as cmd/entente does
	if err := run(*data, *rows, *dir, *only); err != nil {
		fmt.Fprintln(os.Stderr, "gdelt_ingest:", err)
		os.Exit(1)
	}
}

func run(data string, rows int, dir, only string) error {
	ctx := context.Background()
	if dir == "" {
		tmp, err := os.MkdirTemp("", "entente-gdelt-bench-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		dir = tmp
	}
	corpus := filepath.Join(dir, fmt.Sprintf("corpus-%d", rows))
	start := time.Now()
	files, size, err := generate(filepath.Join(data, "gdelt", "v2"), corpus, rows)
	if err != nil {
		return err
	}
	fmt.Printf("corpus: %d rows in %d files, %.2f GB, %s (ready in %s)\n", rows, len(files), float64(size)/1e9, corpus, time.Since(start).Round(time.Millisecond))
	fmt.Printf("machine: %d cores, %s\n", runtime.NumCPU(), runtime.Version())

	var entTime, ddbTime time.Duration
	var entMonths, ddbMonths monthsDigest
	if only == "" || only == "entente" {
		entTime, entMonths, err = runEntente(ctx, filepath.Join(dir, "entente.duckdb"), files)
		if err != nil {
			return fmt.Errorf("entente: %w", err)
		}
		fmt.Printf("entente: %s, %.0f rows/s, peak RSS %s; %s\n", entTime.Round(time.Millisecond), float64(rows)/entTime.Seconds(), peakRSS(), entMonths)
	}
	if only == "" || only == "duckdb" {
		ddbTime, ddbMonths, err = runDuckDB(ctx, filepath.Join(dir, "plain.duckdb"), corpus)
		if err != nil {
			return fmt.Errorf("duckdb: %w", err)
		}
		fmt.Printf("duckdb:  %s, %.0f rows/s, process peak RSS now %s; %s\n", ddbTime.Round(time.Millisecond), float64(rows)/ddbTime.Seconds(), peakRSS(), ddbMonths)
	}
	if only != "" {
		return nil
	}
	if entMonths != ddbMonths {
		return fmt.Errorf("the two sides disagree: entente %s, duckdb %s", entMonths, ddbMonths)
	}
	fmt.Printf("same dyad-months both ways; entente is %.2f× the DuckDB way (target ≥ 1.5×)\n", ddbTime.Seconds()/entTime.Seconds())
	return nil
}

// monthsDigest summarises a dyad-month table, to check both sides computed the same.
type monthsDigest struct {
	Rows, N, Q1, Q4, Weight int64
	GSum                    string // rounded, as text: float sums differ in the last bits
}

func (d monthsDigest) String() string {
	return fmt.Sprintf("%d dyad-months, %d events (q1 %d, q4 %d), weight %d, goldstein sum %s", d.Rows, d.N, d.Q1, d.Q4, d.Weight, d.GSum)
}

func digest(ctx context.Context, db *sql.DB, table string) (monthsDigest, error) {
	var d monthsDigest
	var g float64
	err := db.QueryRowContext(ctx, `SELECT count(*), sum(n), sum(q1), sum(q4), sum(gweight), sum(gsum) FROM `+table).
		Scan(&d.Rows, &d.N, &d.Q1, &d.Q4, &d.Weight, &g)
	d.GSum = strconv.FormatFloat(g, 'f', 1, 64)
	return d, err
}

// runEntente imports the files into a new store through the code path of 'entente
// import gdelt' (the store rebuilds the dyad-months of the import in its transaction).
func runEntente(ctx context.Context, path string, files []string) (time.Duration, monthsDigest, error) {
	os.Remove(path)
	st, err := duckdb.Open(ctx, path)
	if err != nil {
		return 0, monthsDigest{}, err
	}
	in := make([]gdelt.File, len(files))
	for i, f := range files {
		in[i] = gdelt.File{Path: f}
	}
	start := time.Now()
	reports, err := st.ImportEvents(ctx, func(w entente.EventWriter) error {
		_, err := gdelt.Import(ctx, w, country.Default(), in, gdelt.Options{})
		return err
	})
	elapsed := time.Since(start)
	if err != nil {
		st.Close()
		return 0, monthsDigest{}, err
	}
	var tot entente.ImportReport
	for _, r := range reports {
		tot.Read += r.Read
		tot.Imported += r.Imported
		tot.Duplicate += r.Duplicate
		tot.Quarantined += r.Quarantined
	}
	fmt.Printf("entente: read %d = imported %d + quarantined %d + duplicate %d\n", tot.Read, tot.Imported, tot.Quarantined, tot.Duplicate)
	if err := st.Close(); err != nil {
		return 0, monthsDigest{}, err
	}
	db, err := sql.Open("duckdb", path)
	if err != nil {
		return 0, monthsDigest{}, err
	}
	defer db.Close()
	d, err := digest(ctx, db, "event_months")
	return elapsed, d, err
}

// peakRSS reads the process's peak resident set (VmHWM) from /proc/self/status.
func peakRSS() string {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return "unknown"
	}
	for _, l := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(l, "VmHWM:"); ok {
			f := strings.Fields(rest)
			if kb, err := strconv.ParseInt(f[0], 10, 64); err == nil {
				return fmt.Sprintf("%.0f MB", float64(kb)/1024)
			}
		}
	}
	return "unknown"
}
