// Command http_saturation loads a running 'entente serve' with distinct expensive
// requests — a drift of a state over a period, a ranking at a month not yet cached —
// from many connections at once, for a bounded time, then watches the server idle.
// It reports throughput, latency percentiles of the requests served, every outcome by
// kind (200, 503/429 with or without Retry-After, other statuses, connections dropped
// without an answer) and the server's resident memory (peak while loaded, and over the
// idle period) read from /proc/PID/status.
//
// Traffic goes only to the -url given, which run.sh sets to a loopback address; the
// run stops by itself after -d plus -idle.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	nethttp "net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

func main() {
	url := flag.String("url", "", "the server, on a loopback address (e.g. http://127.0.0.1:18091)")
	pid := flag.Int("pid", 0, "the server's process id, for its memory (0: not measured)")
	conc := flag.Int("c", 64, "concurrent connections")
	dur := flag.Duration("d", 60*time.Second, "loaded duration")
	idle := flag.Duration("idle", 60*time.Second, "idle period watched after the load")
	seed := flag.Uint64("seed", 1, "seed of the request mix")
	flag.Parse()
	if *url == "" || !(strings.HasPrefix(*url, "http://127.") || strings.HasPrefix(*url, "http://localhost") || strings.HasPrefix(*url, "http://[::1]")) {
		fmt.Fprintln(os.Stderr, "http_saturation: -url must be a loopback address")
		os.Exit(2)
	}
	if err := run(*url, *pid, *conc, *dur, *idle, *seed); err != nil {
		fmt.Fprintln(os.Stderr, "http_saturation:", err)
		os.Exit(1)
	}
}

// outcome counts requests by what came back.
type outcome struct {
	mu      sync.Mutex
	kinds   map[string]int
	served  []time.Duration // latencies of 200 answers
	refused []time.Duration // latencies of 503/429 answers
}

func (o *outcome) add(kind string, d time.Duration) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.kinds[kind]++
	switch {
	case kind == "200":
		o.served = append(o.served, d)
	case strings.HasPrefix(kind, "503") || strings.HasPrefix(kind, "429"):
		o.refused = append(o.refused, d)
	}
}

func run(url string, pid, conc int, dur, idle time.Duration, seed uint64) error {
	client := &nethttp.Client{Transport: &nethttp.Transport{MaxIdleConnsPerHost: conc, DisableCompression: true},
		Timeout: 90 * time.Second}
	states, err := stateIDs(client, url)
	if err != nil {
		return err
	}
	// The mix: half drifts (a state over 2010–2025 with a distinct start year), half
	// rankings at a distinct (state, month) from 1995 to 2025: none repeats, so each
	// one is computed, never served from the cache.
	var reqs []string
	for _, s := range states {
		for y := 2008; y <= 2016; y++ {
			reqs = append(reqs, fmt.Sprintf("/api/v1/drift/%s?since=%d", s, y))
		}
		for y := 1995; y <= 2025; y++ {
			for m := 1; m <= 12; m += 3 {
				reqs = append(reqs, fmt.Sprintf("/api/v1/rank/%s?at=%d-%02d", s, y, m))
			}
		}
	}
	r := rand.New(rand.NewPCG(seed, seed))
	r.Shuffle(len(reqs), func(i, j int) { reqs[i], reqs[j] = reqs[j], reqs[i] })

	res := &outcome{kinds: map[string]int{}}
	var next int
	var mu sync.Mutex
	take := func() string {
		mu.Lock()
		defer mu.Unlock()
		p := reqs[next%len(reqs)]
		next++
		return p
	}
	ctx, cancel := context.WithTimeout(context.Background(), dur)
	defer cancel()
	peak := watchRSS(ctx, pid)
	start := time.Now()
	var wg sync.WaitGroup
	for range conc {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				p := take()
				t0 := time.Now()
				res.add(one(client, url+p), time.Since(t0))
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	loadedPeak := <-peak

	slices.Sort(res.served)
	slices.Sort(res.refused)
	total := 0
	for _, n := range res.kinds {
		total += n
	}
	fmt.Printf("distinct drift and uncached rank requests, %d connections, %s (GOMAXPROCS of the server: its own)\n", conc, elapsed.Round(time.Second))
	fmt.Printf("  answers %d: served %d (%.1f/s), p50 %s, p99 %s, max %s\n", total, len(res.served),
		float64(len(res.served))/elapsed.Seconds(), pct(res.served, 50), pct(res.served, 99), pct(res.served, 100))
	fmt.Printf("  refused %d, p50 %s, p99 %s\n", len(res.refused), pct(res.refused, 50), pct(res.refused, 99))
	kinds := make([]string, 0, len(res.kinds))
	for k := range res.kinds {
		kinds = append(kinds, k)
	}
	slices.Sort(kinds)
	for _, k := range kinds {
		fmt.Printf("  %-32s %d\n", k, res.kinds[k])
	}
	if pid > 0 {
		fmt.Printf("  server RSS peak while loaded %s (VmHWM %s)\n", mb(loadedPeak), mb(hwm(pid)))
		fmt.Printf("idle %s:", idle)
		end := time.Now().Add(idle)
		for time.Now().Before(end) {
			time.Sleep(min(10*time.Second, time.Until(end)))
			fmt.Printf(" %s", mb(rss(pid)))
		}
		fmt.Printf("\n  server RSS after %s idle: %s\n", idle, mb(rss(pid)))
	}
	return nil
}

// one sends a request and names its outcome.
func one(c *nethttp.Client, url string) string {
	resp, err := c.Get(url)
	if err != nil {
		return "dropped (no HTTP answer)"
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	kind := strconv.Itoa(resp.StatusCode)
	if resp.StatusCode == 503 || resp.StatusCode == 429 {
		if resp.Header.Get("Retry-After") == "" {
			kind += " without Retry-After"
		} else {
			kind += " with Retry-After"
		}
	}
	return kind
}

func stateIDs(c *nethttp.Client, url string) ([]string, error) {
	resp, err := c.Get(url + "/api/v1/states?at=2020")
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var body struct {
		States []struct {
			ID string `json:"id"`
		} `json:"states"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		return nil, fmt.Errorf("states: %w", err)
	}
	var ids []string
	for _, s := range body.States {
		ids = append(ids, s.ID)
	}
	if len(ids) == 0 {
		return nil, fmt.Errorf("states: none listed")
	}
	return ids, nil
}

// watchRSS samples the server's resident memory every 200 ms until ctx ends, then
// sends the highest sample.
func watchRSS(ctx context.Context, pid int) <-chan int64 {
	out := make(chan int64, 1)
	go func() {
		var peak int64
		t := time.NewTicker(200 * time.Millisecond)
		defer t.Stop()
		for {
			if pid > 0 {
				peak = max(peak, rss(pid))
			}
			select {
			case <-ctx.Done():
				out <- peak
				return
			case <-t.C:
			}
		}
	}()
	return out
}

func rss(pid int) int64 { return procStatus(pid, "VmRSS:") }
func hwm(pid int) int64 { return procStatus(pid, "VmHWM:") }

// procStatus reads a kB field of /proc/PID/status, in bytes (0 if unreadable).
func procStatus(pid int, field string) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, field); ok {
			f := strings.Fields(rest)
			if len(f) > 0 {
				kb, _ := strconv.ParseInt(f[0], 10, 64)
				return kb << 10
			}
		}
	}
	return 0
}

func mb(b int64) string { return fmt.Sprintf("%.0f MB", float64(b)/1e6) }

func pct(x []time.Duration, p float64) time.Duration {
	if len(x) == 0 {
		return 0
	}
	return x[int(p/100*float64(len(x)-1))].Round(time.Millisecond)
}
