// Command idealpoints benchmarks entente's ideal-point estimator (package idealpoint)
// and checks it against the published Bailey-Strezhnev-Voeten estimates, with R's
// pscl::ideal as the peer on one year's votes. Run it with `make bench` or:
//
//	go run ./bench/idealpoints -data ../shared/data
//
// It imports every UN vote file of the shared data into a fresh DuckDB store, then
// times (1) the whole 1946-2025 estimation from the store to stored points, (2) 100
// parametric-bootstrap replicates, (3) entente and pscl::ideal (binary yes/no MCMC,
// 10,000 iterations) on the votes of calendar 2021 alone, printing each one's time and
// its correlation with the published 2021 estimates, and the ratio. Wall time, CPU time
// and peak RSS are printed: on a shared machine the CPU time is the steadier figure.
// pscl is skipped, saying why, when Rscript or the package is absent.
package main

import (
	"context"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/entente/entente"
	"github.com/entente/entente/country"
	"github.com/entente/entente/duckdb"
	"github.com/entente/entente/idealpoint"
	"github.com/entente/entente/ingest/unvotes"
)

func main() {
	data := flag.String("data", "../shared/data", "the shared data folder")
	reps := flag.Int("reps", 100, "bootstrap replicates")
	iters := flag.Int("pscl-iter", 10000, "MCMC iterations of pscl::ideal")
	flag.Parse()
	if err := run(*data, *reps, *iters); err != nil {
		fmt.Fprintln(os.Stderr, "idealpoints:", err)
		os.Exit(1)
	}
}

// usage is the process's CPU time and peak RSS so far.
func usage() (cpu time.Duration, maxRSSMB float64) {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	cpu = time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	return cpu, float64(ru.Maxrss) / 1024
}

// timed runs f and prints its wall and CPU time and the peak RSS after it.
func timed(label string, f func() error) (time.Duration, error) {
	c0, _ := usage()
	t0 := time.Now()
	err := f()
	wall := time.Since(t0)
	c1, rss := usage()
	fmt.Printf("%-52s wall %8.2f s   cpu %8.2f s   peak RSS %6.0f MB\n", label, wall.Seconds(), (c1 - c0).Seconds(), rss)
	return wall, err
}

func run(data string, reps, iters int) error {
	ctx := context.Background()
	un := filepath.Join(data, "unvotes")
	bsvPath := filepath.Join(data, "idealpoints", "IdealpointsJuly2025.csv")
	for _, p := range []string{filepath.Join(un, "voeten_votes_1946_2024.csv"), bsvPath} {
		if _, err := os.Stat(p); err != nil {
			fmt.Printf("idealpoints: skipped: needs %s (the shared data)\n", p)
			return nil
		}
	}
	dir, err := os.MkdirTemp("", "entente-bench-ideal-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	st, err := duckdb.Open(ctx, filepath.Join(dir, "entente.duckdb"))
	if err != nil {
		return err
	}
	defer st.Close()
	files, _ := filepath.Glob(filepath.Join(un, "*.csv"))
	var in []unvotes.File
	for _, f := range files {
		in = append(in, unvotes.File{Path: f})
	}
	if _, err := timed("import every UN vote file (not part of the figures)", func() error {
		_, err := st.ImportVotes(ctx, func(w entente.VoteWriter) error {
			_, err := unvotes.Import(ctx, w, country.Default(), in, unvotes.Options{})
			return err
		})
		return err
	}); err != nil {
		return err
	}
	ref, err := readBSV(bsvPath)
	if err != nil {
		return err
	}

	// 1. The whole estimation, store to stored points.
	var rep idealpoint.Report
	if _, err := timed("estimate 1946-2025 from the store, store the points", func() error {
		rep, err = idealpoint.Run(ctx, st, idealpoint.Options{Workers: 2}, 0, nil)
		return err
	}); err != nil {
		return err
	}
	f := rep.Fit
	years := map[int]bool{}
	for _, p := range f.Points {
		years[p.Year] = true
	}
	fmt.Printf("  %d roll calls, %d contested items, %d votes, %d state-years, years %d-%d, EM %d iterations (converged %v)\n",
		rep.RollCalls, f.Items, f.Votes, len(f.Points), minKey(years), maxKey(years), f.Iter, f.Converged)
	a := idealpoint.Compare(f.Points, ref, 1946, 2023)
	worst := slices.Clone(a.ByYear)
	slices.SortFunc(worst, func(p, q idealpoint.YearR) int { return cmpFloat(p.R, q.R) })
	fmt.Printf("  vs BSV idealpointall 1946-2023: pooled r = %.4f over %d state-years; per-year median r = %.4f; years with r < 0.95: %d of %d\n",
		a.Pooled, a.N, a.Median, countBelow(a.ByYear, 0.95), len(a.ByYear))
	for _, w := range worst[:min(6, len(worst))] {
		fmt.Printf("    worst: %d r = %.3f (%d states)\n", w.Year, w.R, w.N)
	}
	n25 := 0
	for _, p := range f.Points {
		if p.Year == 2025 {
			n25++
		}
	}
	fmt.Printf("  2025 (session 80): %d states with an estimate\n", n25)

	// 2. The bootstrap.
	if reps >= 2 {
		if _, err := timed(fmt.Sprintf("%d bootstrap replicates (2 workers)", reps), func() error {
			return f.Bootstrap(ctx, reps, 1, nil)
		}); err != nil {
			return err
		}
		var w []float64
		for _, p := range f.Points {
			w = append(w, p.Hi-p.Lo)
		}
		slices.Sort(w)
		fmt.Printf("  90%% band width: median %.3f, 90th percentile %.3f\n", w[len(w)/2], w[len(w)*9/10])
	}

	// 3. One year: entente vs pscl::ideal on the same matrix.
	bs, err := st.Ballots(ctx, entente.BallotQuery{From: time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		return err
	}
	cov, err := st.VoteCoverage(ctx, "")
	if err != nil {
		return err
	}
	bs = entente.SelectByPrecedence(bs, cov)
	ref21 := map[idealpoint.Key]float64{}
	for k, v := range ref {
		if k.Year == 2021 {
			ref21[idealpoint.Key{CCode: k.CCode, Year: 2021}] = v
		}
	}
	var one *idealpoint.Fit
	tEnt, err := timed(fmt.Sprintf("entente, calendar 2021 alone (%d roll calls)", len(bs)), func() error {
		one, err = idealpoint.Estimate(ctx, bs, idealpoint.Options{Year: func(b *entente.Ballot) int { return b.Date.Year() }, MaxIter: 500})
		return err
	})
	if err != nil {
		return err
	}
	rEnt := idealpoint.Compare(one.Points, ref21, 2021, 2021)
	fmt.Printf("  %d states; r with BSV 2021 = %.4f (n = %d)\n", len(one.Points), rEnt.Pooled, rEnt.N)
	tR, rR, why := pscl(ctx, dir, bs, ref21, iters)
	if why != "" {
		fmt.Printf("pscl::ideal: skipped: %s\n", why)
		return nil
	}
	fmt.Printf("%-52s wall %8.2f s   (Rscript, its own process)\n", fmt.Sprintf("pscl::ideal, same matrix, %d iterations", iters), tR.Seconds())
	fmt.Printf("  r with BSV 2021 = %.4f\n", rR)
	fmt.Printf("ratio pscl / entente on 2021: %.1fx (entente %.2f s, pscl %.2f s)\n", tR.Seconds()/tEnt.Seconds(), tEnt.Seconds(), tR.Seconds())
	return nil
}

// pscl runs pscl::ideal on the yes/no matrix of bs (abstentions missing, as its binary
// model needs) and returns its time and the correlation of its ideal points with ref;
// why says why it was skipped.
func pscl(ctx context.Context, dir string, bs []entente.Ballot, ref map[idealpoint.Key]float64, iters int) (time.Duration, float64, string) {
	rs, err := exec.LookPath("Rscript")
	if err != nil {
		return 0, 0, "no Rscript on PATH (Debian: apt-get install r-cran-pscl)"
	}
	if out, err := exec.CommandContext(ctx, rs, "-e", "library(pscl)").CombinedOutput(); err != nil {
		return 0, 0, "R has no pscl package (Debian: apt-get install r-cran-pscl): " + strings.TrimSpace(string(out))
	}
	var states []int
	seen := map[int]bool{}
	for _, b := range bs {
		for _, c := range b.CCodes {
			if !seen[int(c)] {
				seen[int(c)] = true
				states = append(states, int(c))
			}
		}
	}
	slices.Sort(states)
	row := map[int]int{}
	for i, c := range states {
		row[c] = i
	}
	m := make([][]string, len(states))
	for i := range m {
		m[i] = make([]string, len(bs))
		for j := range m[i] {
			m[i][j] = "NA"
		}
	}
	for j, b := range bs {
		for k, c := range b.CCodes {
			switch b.Votes[k] {
			case entente.Yes:
				m[row[int(c)]][j] = "1"
			case entente.No:
				m[row[int(c)]][j] = "0"
			}
		}
	}
	path := filepath.Join(dir, "votes2021.csv")
	fh, err := os.Create(path)
	if err != nil {
		return 0, 0, err.Error()
	}
	w := csv.NewWriter(fh)
	for i, c := range states {
		_ = w.Write(append([]string{strconv.Itoa(c)}, m[i]...))
	}
	w.Flush()
	fh.Close()
	out := filepath.Join(dir, "pscl2021.csv")
	script := fmt.Sprintf(`suppressMessages(library(pscl))
d <- read.csv(%q, header = FALSE)
rc <- rollcall(as.matrix(d[, -1]), yea = 1, nay = 0, missing = NA, legis.names = as.character(d[, 1]))
set.seed(1)
t <- system.time(fit <- ideal(rc, d = 1, maxiter = %d, burnin = %d, thin = 10, normalize = TRUE, verbose = FALSE))
x <- fit$xbar[, 1]
write.csv(data.frame(ccode = names(x), x = x, secs = t[["elapsed"]]), %q, row.names = FALSE)
`, path, iters, iters/10, out)
	t0 := time.Now()
	if o, err := exec.CommandContext(ctx, rs, "-e", script).CombinedOutput(); err != nil {
		return 0, 0, "pscl::ideal failed: " + strings.TrimSpace(string(o))
	}
	wall := time.Since(t0)
	res, err := os.Open(out)
	if err != nil {
		return 0, 0, err.Error()
	}
	defer res.Close()
	r := csv.NewReader(res)
	_, _ = r.Read()
	var xs, ys []float64
	for {
		rec, err := r.Read()
		if err != nil {
			break
		}
		c, _ := strconv.Atoi(rec[0])
		x, _ := strconv.ParseFloat(rec[1], 64)
		if v, ok := ref[idealpoint.Key{CCode: c, Year: 2021}]; ok {
			xs = append(xs, x)
			ys = append(ys, v)
		}
	}
	rr := idealpoint.Pearson(xs, ys)
	if rr < 0 {
		rr = -rr // pscl's direction is arbitrary
	}
	return wall, rr, ""
}

func readBSV(path string) (map[idealpoint.Key]float64, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	r := csv.NewReader(fh)
	h, err := r.Read()
	if err != nil {
		return nil, err
	}
	col := slices.Index(h, "idealpointall")
	if col < 0 {
		return nil, errors.New("no idealpointall column")
	}
	out := map[idealpoint.Key]float64{}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		c, _ := strconv.Atoi(rec[0])
		y, _ := strconv.Atoi(rec[3])
		if x, err := strconv.ParseFloat(rec[col], 64); err == nil {
			out[idealpoint.Key{CCode: c, Year: y}] = x
		}
	}
}

func minKey(m map[int]bool) int {
	k := 1 << 30
	for x := range m {
		k = min(k, x)
	}
	return k
}

func maxKey(m map[int]bool) int {
	k := -1 << 30
	for x := range m {
		k = max(k, x)
	}
	return k
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func countBelow(ys []idealpoint.YearR, t float64) int {
	n := 0
	for _, y := range ys {
		if y.R < t {
			n++
		}
	}
	return n
}
