// Command unvotes_allpairs benchmarks entente's all-pairs UN similarity against the same
// computation written as DuckDB SQL over the same store, in one run, and prints both
// times and their ratio. Run it with `make bench` or:
//
//	go run ./bench/unvotes_allpairs -data ../shared/data
//
// The workload is the one of issue 3: every dyad × calendar year of Voeten's UN votes,
// 1946-2024, all seven metrics, written as CSV. Both sides read the same DuckDB file and
// write a CSV file; the results are compared row by row before any figure is printed.
package main

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"sort"
	"strconv"
	"time"

	_ "github.com/duckdb/duckdb-go/v2"

	"github.com/entente/entente"
	"github.com/entente/entente/country"
	"github.com/entente/entente/duckdb"
	"github.com/entente/entente/ingest/unvotes"
	"github.com/entente/entente/signal"
)

func main() {
	data := flag.String("data", "../shared/data", "the shared data folder")
	runs := flag.Int("runs", 5, "runs of each side; the best is reported")
	bin := flag.String("bin", "bin/entente", "entente binary for the end-to-end CLI timing (skipped if absent)")
	keep := flag.String("dir", "", "work folder (default: a temporary one, removed after)")
	flag.Parse()
	debug.SetGCPercent(400) // as cmd/entente does
	if err := run(*data, *runs, *bin, *keep); err != nil {
		fmt.Fprintln(os.Stderr, "unvotes_allpairs:", err)
		os.Exit(1)
	}
}

func run(data string, runs int, bin, dir string) error {
	ctx := context.Background()
	src := filepath.Join(data, "unvotes", "voeten_votes_1946_2024.csv")
	if _, err := os.Stat(src); err != nil {
		return fmt.Errorf("needs %s (the shared data): %w", src, err)
	}
	if dir == "" {
		tmp, err := os.MkdirTemp("", "entente-bench-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		dir = tmp
	}
	dbPath := filepath.Join(dir, "bench.duckdb")
	if err := load(ctx, dbPath, src); err != nil {
		return err
	}

	// entente: load ballots from the store, compute every dyad-year, write CSV.
	var goBest time.Duration
	var rows []entente.Similarity
	var nBallots int
	for i := 0; i < runs; i++ {
		start := time.Now()
		st, err := duckdb.Open(ctx, dbPath)
		if err != nil {
			return err
		}
		bs, err := st.Ballots(ctx, entente.BallotQuery{})
		if err != nil {
			return err
		}
		cov, err := st.VoteCoverage(ctx, "")
		if err != nil {
			return err
		}
		bs = entente.SelectByPrecedence(bs, cov)
		if err := writeCSV(filepath.Join(dir, "entente.csv"), bs, country.Default(), lastDates(bs)); err != nil {
			return err
		}
		st.Close()
		d := time.Since(start)
		if i == 0 || d < goBest {
			goBest = d
		}
		nBallots = len(bs)
		if i == runs-1 {
			// The rows to check the SQL against (not timed: the timed path streams them).
			rows = signal.AllPairs(bs, signal.ByYear(), 0)
		}
	}

	// The CLI end to end: process start, store open, compute, CSV with state codes.
	var cliBest time.Duration
	if _, err := os.Stat(bin); err == nil {
		for i := 0; i < runs; i++ {
			out, err := os.Create(filepath.Join(dir, "cli.csv"))
			if err != nil {
				return err
			}
			cmd := exec.Command(bin, "similarity", "--all", "--by", "year", "--metric", "all", "--format", "csv", "--quiet", "--db", dbPath)
			cmd.Stdout, cmd.Stderr = out, os.Stderr
			start := time.Now()
			err = cmd.Run()
			d := time.Since(start)
			out.Close()
			if err != nil {
				return fmt.Errorf("%s: %w", bin, err)
			}
			if i == 0 || d < cliBest {
				cliBest = d
			}
		}
	}

	if cliBest > 0 {
		a, err1 := os.ReadFile(filepath.Join(dir, "cli.csv"))
		b, err2 := os.ReadFile(filepath.Join(dir, "entente.csv"))
		if err := errors.Join(err1, err2); err != nil {
			return err
		}
		if !bytes.Equal(a, b) {
			return fmt.Errorf("the CLI's CSV differs from the in-process CSV (see %s)", dir)
		}
	}

	// DuckDB SQL: the same table as one query, written with COPY.
	db, err := sql.Open("duckdb", dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	var sqlBest time.Duration
	sqlRuns := max(1, runs-1)
	for i := 0; i < sqlRuns; i++ {
		start := time.Now()
		q := fmt.Sprintf("COPY (%s) TO '%s' (HEADER, DELIMITER ',')", bind(allPairsSQL, entente.SourceVoeten), filepath.Join(dir, "sql.csv"))
		if _, err := db.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("sql: %w", err)
		}
		d := time.Since(start)
		if i == 0 || d < sqlBest {
			sqlBest = d
		}
	}
	maxDiff, err := compare(ctx, db, rows)
	if err != nil {
		return err
	}

	fmt.Printf("UN votes, every dyad x calendar year 1946-2024, 7 metrics: %d roll calls -> %d dyad-years\n", nBallots, len(rows))
	fmt.Printf("results agree: every row, n equal, metric values within %.1e, nulls in the same places\n", maxDiff)
	fmt.Printf("%-58s %8.3f s  (best of %d)\n", "entente (store -> Go kernel -> CSV, in process)", goBest.Seconds(), runs)
	if cliBest > 0 {
		fmt.Printf("%-58s %8.3f s  (best of %d)\n", "entente CLI (similarity --all --format csv, new process)", cliBest.Seconds(), runs)
	}
	fmt.Printf("%-58s %8.3f s  (best of %d)\n", "DuckDB SQL (self-join + group by + COPY CSV)", sqlBest.Seconds(), sqlRuns)
	fmt.Printf("ratio SQL / entente: %.1fx", sqlBest.Seconds()/goBest.Seconds())
	if cliBest > 0 {
		fmt.Printf("   (SQL / CLI: %.1fx)", sqlBest.Seconds()/cliBest.Seconds())
	}
	fmt.Println()
	fmt.Println("targets: ratio >= 20x; whole history (load, compute, CSV) < 0.5 s")
	return nil
}

// load imports Voeten's file into a new store (once; a second run reuses it).
func load(ctx context.Context, dbPath, src string) error {
	st, err := duckdb.Open(ctx, dbPath)
	if err != nil {
		return err
	}
	defer st.Close()
	cov, err := st.VoteCoverage(ctx, "")
	if err != nil || len(cov) > 0 {
		return err
	}
	start := time.Now()
	_, err = st.ImportVotes(ctx, func(w entente.VoteWriter) error {
		_, err := unvotes.Import(ctx, w, country.Default(), []unvotes.File{{Path: src}}, unvotes.Options{})
		return err
	})
	fmt.Fprintf(os.Stderr, "imported %s in %s\n", src, time.Since(start).Round(time.Millisecond))
	return err
}

// bind inlines the source name: COPY does not take parameters.
func bind(q, source string) string {
	return "WITH params AS (SELECT 1)" + replaceParam(q, "'"+source+"'")
}

func replaceParam(q, lit string) string {
	out := make([]byte, 0, len(q))
	for i := 0; i < len(q); i++ {
		if q[i] == '$' && i+1 < len(q) && q[i+1] == '1' {
			out = append(out, lit...)
			i++
			continue
		}
		out = append(out, q[i])
	}
	// The query starts with WITH; joining it after our WITH needs a comma, not a keyword.
	s := string(out)
	if len(s) > 0 {
		s = ", " + trimWith(s)
	}
	return s
}

func trimWith(s string) string {
	for i := 0; i+4 <= len(s); i++ {
		if s[i:i+4] == "WITH" {
			return s[i+4:]
		}
	}
	return s
}

// writeCSV computes and writes every dyad-year the way 'entente similarity --all --format csv' does.
func writeCSV(path string, bs []entente.Ballot, reg *country.Registry, dates map[string]time.Time) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	all := []int{0, 1, 2, 3, 4, 5, 6}
	label := func(cc int, p string) string {
		c, ok := reg.ByCOW(cc, dates[p])
		if !ok { // as the CLI: a state voting just before its spell gets its first one
			c, _ = reg.ByCOW(cc, time.Time{})
		}
		return c.ID
	}
	if err := signal.WriteAllPairsCSV(f, bs, signal.ByYear(), all, label, 0); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// compare checks the SQL result against the Go rows: same dyad-years, same n, metric
// values equal within rounding and undefined in the same places.
func compare(ctx context.Context, db *sql.DB, rows []entente.Similarity) (float64, error) {
	q, err := db.QueryContext(ctx, allPairsSQL, entente.SourceVoeten)
	if err != nil {
		return 0, err
	}
	defer q.Close()
	type key struct {
		a, b   int
		period string
	}
	want := make(map[key]*entente.Similarity, len(rows))
	for i := range rows {
		want[key{rows[i].A, rows[i].B, rows[i].Period}] = &rows[i]
	}
	var maxDiff float64
	seen := 0
	var vals [entente.NumSimilarityMetrics]sql.NullFloat64
	for q.Next() {
		var k key
		var n int
		dest := []any{&k.a, &k.b, &k.period, &n}
		for i := range vals {
			dest = append(dest, &vals[i])
		}
		if err := q.Scan(dest...); err != nil {
			return 0, err
		}
		g, ok := want[k]
		if !ok {
			return 0, fmt.Errorf("SQL has dyad %d-%d in %s, entente has not", k.a, k.b, k.period)
		}
		seen++
		if g.N != n {
			return 0, fmt.Errorf("dyad %d-%d in %s: n %d (entente) vs %d (SQL)", k.a, k.b, k.period, g.N, n)
		}
		for i, v := range vals {
			gv := g.Values[i]
			if v.Valid == math.IsNaN(gv) {
				return 0, fmt.Errorf("dyad %d-%d in %s, %s: entente %v, SQL %v", k.a, k.b, k.period, entente.SimilarityMetrics[i], gv, v)
			}
			if v.Valid {
				maxDiff = math.Max(maxDiff, math.Abs(v.Float64-gv))
			}
		}
	}
	if err := q.Err(); err != nil {
		return 0, err
	}
	if seen != len(rows) {
		missing := make([]string, 0, 3)
		for k := range want {
			if len(missing) == 3 {
				break
			}
			missing = append(missing, fmt.Sprintf("%d-%d %s", k.a, k.b, k.period))
		}
		sort.Strings(missing)
		return 0, fmt.Errorf("entente has %d dyad-years, SQL %d (e.g. %v)", len(rows), seen, missing)
	}
	if maxDiff > 1e-9 {
		return maxDiff, fmt.Errorf("metric values differ by up to %g", maxDiff)
	}
	return maxDiff, nil
}

// lastDates gives each year's last roll-call date, at which its states are named.
func lastDates(bs []entente.Ballot) map[string]time.Time {
	last := map[string]time.Time{}
	for i := range bs {
		y := strconv.Itoa(bs[i].Date.Year())
		if bs[i].Date.After(last[y]) {
			last[y] = bs[i].Date
		}
	}
	return last
}
