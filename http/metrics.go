package http

import (
	"fmt"
	"io"
	"math"
	nethttp "net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Latency buckets of the request-duration histogram, in seconds.
var latencyBuckets = []float64{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}

// metrics holds the request counters and latency histograms, by route, written in the
// Prometheus text exposition format (version 0.0.4) by hand: no client library.
type metrics struct {
	mu       sync.Mutex
	requests map[[2]string]uint64 // (route, code) -> count
	latency  map[string]*histogram
	inFlight atomic.Int64

	cacheHits, cacheMisses atomic.Uint64
}

type histogram struct {
	counts []uint64 // per bucket, not cumulative; the last is +Inf
	sum    float64
	n      uint64
}

func newMetrics() *metrics {
	return &metrics{requests: map[[2]string]uint64{}, latency: map[string]*histogram{}}
}

func (m *metrics) observe(route string, status int, d time.Duration) {
	sec := d.Seconds()
	i := sort.SearchFloat64s(latencyBuckets, sec) // first bucket with le >= sec
	m.mu.Lock()
	defer m.mu.Unlock()
	m.requests[[2]string{route, strconv.Itoa(status)}]++
	h := m.latency[route]
	if h == nil {
		h = &histogram{counts: make([]uint64, len(latencyBuckets)+1)}
		m.latency[route] = h
	}
	h.counts[i]++
	h.sum += sec
	h.n++
}

// write writes every metric, series sorted, so the output is stable.
func (m *metrics) write(w io.Writer, cacheEntries int, cacheBytes int64, uptime time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	fmt.Fprintln(w, "# HELP entente_http_requests_total HTTP requests answered, by route pattern and status code.")
	fmt.Fprintln(w, "# TYPE entente_http_requests_total counter")
	keys := make([][2]string, 0, len(m.requests))
	for k := range m.requests {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i][0] != keys[j][0] {
			return keys[i][0] < keys[j][0]
		}
		return keys[i][1] < keys[j][1]
	})
	for _, k := range keys {
		fmt.Fprintf(w, "entente_http_requests_total{route=%s,code=%s} %d\n", quoteLabel(k[0]), quoteLabel(k[1]), m.requests[k])
	}
	fmt.Fprintln(w, "# HELP entente_http_request_duration_seconds Time to answer a request, by route pattern.")
	fmt.Fprintln(w, "# TYPE entente_http_request_duration_seconds histogram")
	routes := make([]string, 0, len(m.latency))
	for r := range m.latency {
		routes = append(routes, r)
	}
	sort.Strings(routes)
	for _, r := range routes {
		h := m.latency[r]
		var cum uint64
		for i, le := range latencyBuckets {
			cum += h.counts[i]
			fmt.Fprintf(w, "entente_http_request_duration_seconds_bucket{route=%s,le=%s} %d\n", quoteLabel(r), quoteLabel(formatFloat(le)), cum)
		}
		cum += h.counts[len(latencyBuckets)]
		fmt.Fprintf(w, "entente_http_request_duration_seconds_bucket{route=%s,le=\"+Inf\"} %d\n", quoteLabel(r), cum)
		fmt.Fprintf(w, "entente_http_request_duration_seconds_sum{route=%s} %s\n", quoteLabel(r), formatFloat(h.sum))
		fmt.Fprintf(w, "entente_http_request_duration_seconds_count{route=%s} %d\n", quoteLabel(r), h.n)
	}
	fmt.Fprintln(w, "# HELP entente_http_requests_in_flight Requests being answered now.")
	fmt.Fprintln(w, "# TYPE entente_http_requests_in_flight gauge")
	fmt.Fprintf(w, "entente_http_requests_in_flight %d\n", m.inFlight.Load())
	fmt.Fprintln(w, "# HELP entente_http_cache_requests_total Lookups of the response cache, by result.")
	fmt.Fprintln(w, "# TYPE entente_http_cache_requests_total counter")
	fmt.Fprintf(w, "entente_http_cache_requests_total{result=\"hit\"} %d\n", m.cacheHits.Load())
	fmt.Fprintf(w, "entente_http_cache_requests_total{result=\"miss\"} %d\n", m.cacheMisses.Load())
	fmt.Fprintln(w, "# HELP entente_http_cache_entries Responses held in the cache.")
	fmt.Fprintln(w, "# TYPE entente_http_cache_entries gauge")
	fmt.Fprintf(w, "entente_http_cache_entries %d\n", cacheEntries)
	fmt.Fprintln(w, "# HELP entente_http_cache_bytes Bytes of the responses held in the cache.")
	fmt.Fprintln(w, "# TYPE entente_http_cache_bytes gauge")
	fmt.Fprintf(w, "entente_http_cache_bytes %d\n", cacheBytes)
	fmt.Fprintln(w, "# HELP entente_http_uptime_seconds Time since the server started.")
	fmt.Fprintln(w, "# TYPE entente_http_uptime_seconds gauge")
	fmt.Fprintf(w, "entente_http_uptime_seconds %s\n", formatFloat(uptime.Seconds()))
}

// quoteLabel quotes a label value as the text format wants: backslash, double quote
// and newline escaped.
func quoteLabel(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)
	return `"` + r.Replace(s) + `"`
}

func formatFloat(f float64) string {
	switch {
	case math.IsInf(f, 1):
		return "+Inf"
	case math.IsInf(f, -1):
		return "-Inf"
	case math.IsNaN(f):
		return "NaN"
	}
	return strconv.FormatFloat(f, 'g', -1, 64)
}

func (s *Server) handleMetrics(w nethttp.ResponseWriter, r *nethttp.Request) {
	var b strings.Builder
	n, size := s.cache.stats()
	s.metrics.write(&b, n, size, time.Since(s.started))
	writeBody(w, r, nethttp.StatusOK, "text/plain; version=0.0.4; charset=utf-8", []byte(b.String()))
}
