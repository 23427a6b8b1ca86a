// Command http_load measures the HTTP API under load: sustained requests per second and
// latency percentiles of one URL (by default /api/v1/rank/RUS, the ranking of every
// state with Russia), either against a running server (-url) or against a server it
// starts in-process over a store (-db), on loopback.
//
// Two modes:
//   - closed loop (default): -c workers each send a request as soon as the last one
//     answered; gives the most requests per second the server sustains;
//   - open loop (-rate R): requests are scheduled R per second whatever the answers do,
//     and each latency counts from its scheduled time, so a stalled server shows in the
//     tail (no coordinated omission).
//
// run.sh builds a store with every source of ../shared/data and runs both modes.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	nethttp "net/http"
	"os"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/entente/entente/bloc"
	"github.com/entente/entente/country"
	"github.com/entente/entente/duckdb"
	enthttp "github.com/entente/entente/http"
	"github.com/entente/entente/index"
)

func main() {
	url := flag.String("url", "", "server to load (default: start one in-process over -db)")
	db := flag.String("db", os.Getenv("ENTENTE_DB"), "store for the in-process server")
	path := flag.String("path", "/api/v1/rank/RUS", "path and query to request")
	conc := flag.Int("c", 16, "concurrent connections")
	dur := flag.Duration("d", 20*time.Second, "measured duration")
	warm := flag.Duration("warm", 2*time.Second, "warm-up before measuring (the first request computes and caches)")
	rate := flag.Float64("rate", 0, "open loop: requests per second (0: closed loop)")
	flag.Parse()
	if err := run(*url, *db, *path, *conc, *dur, *warm, *rate); err != nil {
		fmt.Fprintln(os.Stderr, "http_load:", err)
		os.Exit(1)
	}
}

func run(url, db, path string, conc int, dur, warm time.Duration, rate float64) error {
	if url == "" {
		if db == "" {
			return fmt.Errorf("give -url or -db")
		}
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		u, err := serve(ctx, db)
		if err != nil {
			return err
		}
		url = u
	}
	client := &nethttp.Client{Transport: &nethttp.Transport{
		MaxIdleConns: conc * 2, MaxIdleConnsPerHost: conc * 2, DisableCompression: true, IdleConnTimeout: time.Minute,
	}, Timeout: 30 * time.Second}
	t0 := time.Now()
	if _, err := get(client, url+path); err != nil {
		return fmt.Errorf("first request: %w", err)
	}
	fmt.Printf("first request (computes and caches): %s\n", time.Since(t0).Round(time.Millisecond))
	if warm > 0 {
		load(client, url+path, conc, warm, rate)
	}
	r := load(client, url+path, conc, dur, rate)
	mode := fmt.Sprintf("closed loop, %d connections", conc)
	if rate > 0 {
		mode = fmt.Sprintf("open loop at %.0f req/s, %d workers", rate, conc)
	}
	fmt.Printf("GET %s: %s, %s, GOMAXPROCS %d, %d CPUs\n", path, mode, dur, runtime.GOMAXPROCS(0), runtime.NumCPU())
	fmt.Printf("  requests %d, errors %d, %.0f req/s, %.1f MB/s\n", r.n, r.errors, float64(r.n)/r.elapsed.Seconds(), float64(r.bytes)/r.elapsed.Seconds()/1e6)
	fmt.Printf("  latency p50 %s, p90 %s, p99 %s, p99.9 %s, max %s\n", r.pct(50), r.pct(90), r.pct(99), r.pct(99.9), r.pct(100))
	return nil
}

// serve starts the API over the store at db on a loopback port.
func serve(ctx context.Context, db string) (string, error) {
	st, err := duckdb.Open(ctx, db)
	if err != nil {
		return "", err
	}
	countries := country.Default()
	s := enthttp.NewServer(index.New(st, countries, bloc.Default(), index.DefaultConfig()), st, countries)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	go s.Serve(ctx, ln)
	return "http://" + ln.Addr().String(), nil
}

func get(c *nethttp.Client, url string) (int64, error) {
	resp, err := c.Get(url)
	if err != nil {
		return 0, err
	}
	n, err := io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if err == nil && resp.StatusCode != nethttp.StatusOK {
		err = fmt.Errorf("%s", resp.Status)
	}
	return n, err
}

type result struct {
	n, errors, bytes int64
	elapsed          time.Duration
	lat              []time.Duration
}

func (r *result) pct(p float64) time.Duration {
	if len(r.lat) == 0 {
		return 0
	}
	i := int(p / 100 * float64(len(r.lat)-1))
	return r.lat[i].Round(10 * time.Microsecond)
}

func load(c *nethttp.Client, url string, conc int, dur time.Duration, rate float64) *result {
	var n, errs, bytes atomic.Int64
	lats := make([][]time.Duration, conc)
	start := time.Now()
	end := start.Add(dur)
	var jobs chan time.Time
	if rate > 0 {
		jobs = make(chan time.Time, 1<<16)
		go func() {
			defer close(jobs)
			interval := time.Duration(float64(time.Second) / rate)
			for k := 0; ; k++ {
				at := start.Add(time.Duration(k) * interval)
				if at.After(end) {
					return
				}
				time.Sleep(time.Until(at))
				jobs <- at
			}
		}()
	}
	var wg sync.WaitGroup
	for w := range conc {
		wg.Add(1)
		go func() {
			defer wg.Done()
			one := func(from time.Time) {
				b, err := get(c, url)
				lats[w] = append(lats[w], time.Since(from))
				n.Add(1)
				bytes.Add(b)
				if err != nil {
					errs.Add(1)
				}
			}
			if jobs != nil {
				for at := range jobs {
					one(at)
				}
				return
			}
			for time.Now().Before(end) {
				one(time.Now())
			}
		}()
	}
	wg.Wait()
	r := &result{n: n.Load(), errors: errs.Load(), bytes: bytes.Load(), elapsed: time.Since(start)}
	for _, l := range lats {
		r.lat = append(r.lat, l...)
	}
	slices.Sort(r.lat)
	return r
}
