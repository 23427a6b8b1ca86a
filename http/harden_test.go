package http

import (
	"context"
	"io"
	"net"
	nethttp "net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/entente/entente"
	"github.com/entente/entente/country"
	"github.com/entente/entente/index"
)

// TestSecurityHeaders checks the headers every kind of response carries: pages,
// assets, JSON, errors and refusals.
func TestSecurityHeaders(t *testing.T) {
	_, ts := testServer(t)
	for _, c := range []struct{ method, path string }{
		{"GET", "/"}, {"GET", "/ui/app.js"}, {"GET", "/ui/style.css"}, {"GET", "/api/v1/states"},
		{"GET", "/api/v1/nothing"}, {"GET", "/healthz"}, {"GET", "/metrics"}, {"POST", "/api/v1/states"},
		{"GET", "/api/v1/openapi.json"},
	} {
		req, _ := nethttp.NewRequest(c.method, ts.URL+c.path, nil)
		resp, err := nethttp.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		h := resp.Header
		for name, want := range map[string]string{
			"X-Content-Type-Options": "nosniff",
			"X-Frame-Options":        "DENY",
			"Referrer-Policy":        "no-referrer",
		} {
			if got := h.Get(name); got != want {
				t.Errorf("%s %s: %s = %q, want %q", c.method, c.path, name, got, want)
			}
		}
		csp := h.Get("Content-Security-Policy")
		for _, part := range []string{"default-src 'self'", "frame-ancestors 'none'", "script-src 'self'", "object-src 'none'"} {
			if !strings.Contains(csp, part) {
				t.Errorf("%s %s: Content-Security-Policy %q lacks %q", c.method, c.path, csp, part)
			}
		}
	}
}

// TestHostChecked serves on a loopback listener as 'entente serve' does: a request
// whose Host is another name (DNS rebinding) is refused, loopback names are served.
func TestHostChecked(t *testing.T) {
	s := NewServer(testEngine(t), testStore(t), country.Default())
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, ln) }()
	defer func() { cancel(); <-done }()
	base := "http://" + ln.Addr().String()
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	for _, c := range []struct {
		host string
		want int
	}{
		{"evil.example", nethttp.StatusMisdirectedRequest},
		{"evil.example:" + port, nethttp.StatusMisdirectedRequest},
		{"127.0.0.1.evil.example", nethttp.StatusMisdirectedRequest},
		{"localhost:" + port, nethttp.StatusOK},
		{"127.0.0.1:" + port, nethttp.StatusOK},
		{"[::1]:" + port, nethttp.StatusOK},
	} {
		req, _ := nethttp.NewRequest("GET", base+"/healthz", nil)
		req.Host = c.host
		resp, err := nethttp.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != c.want {
			t.Errorf("Host %q: %d %s, want %d", c.host, resp.StatusCode, b, c.want)
		}
		if c.want != nethttp.StatusOK && !strings.Contains(string(b), `"wrong_host"`) {
			t.Errorf("Host %q: body %s, want the wrong_host code", c.host, b)
		}
	}
}

func TestDefaultHosts(t *testing.T) {
	for _, c := range []struct {
		addr string
		want string
	}{
		{"127.0.0.1:8080", "localhost,127.0.0.1,::1,127.0.0.1"},
		{"localhost:8080", "localhost,127.0.0.1,::1"},
		{"[::1]:80", "localhost,127.0.0.1,::1,::1"},
		{":8080", ""},
		{"0.0.0.0:8080", ""},
		{"192.0.2.7:8080", "192.0.2.7"},
		{"entente.example.org:80", "entente.example.org"},
	} {
		if got := strings.Join(DefaultHosts(c.addr), ","); got != c.want {
			t.Errorf("DefaultHosts(%q) = %q, want %q", c.addr, got, c.want)
		}
	}
	if !hostAllowed(nil, "anything.example") {
		t.Error("an empty list must allow every host")
	}
	if hostAllowed([]string{"localhost"}, "LOCALHOST.:80") {
		t.Error("a trailing dot is another name")
	}
	if !hostAllowed([]string{"localhost"}, "LocalHost:80") {
		t.Error("host names compare case-insensitively")
	}
}

func TestNoFolderListing(t *testing.T) {
	_, ts := testServer(t)
	for _, p := range []string{"/ui/", "/ui/vendor/"} {
		code, _, b := get(t, ts, "GET", p)
		if code != nethttp.StatusNotFound || strings.Contains(string(b), "echarts") {
			t.Errorf("GET %s: %d %.200s, want 404 without a listing", p, code, b)
		}
	}
	if code, _, _ := get(t, ts, "GET", "/ui/vendor/echarts.min.js"); code != nethttp.StatusOK {
		t.Errorf("a vendored file: %d, want 200", code)
	}
}

// TestEchoCut sends a 9 KB bad parameter: the error names it, cut short.
func TestEchoCut(t *testing.T) {
	_, ts := testServer(t)
	long := strings.Repeat("x", 9000)
	for _, p := range []string{"/api/v1/rank/" + long, "/api/v1/rank/RUS?at=" + long, "/api/v1/evidence?a=" + long + "&b=USA"} {
		code, _, b := get(t, ts, "GET", p)
		if code != nethttp.StatusBadRequest {
			t.Errorf("GET %.40s…: %d, want 400", p, code)
		}
		if len(b) > 600 || !strings.Contains(string(b), "xxxx") || !strings.Contains(string(b), "(cut)") {
			t.Errorf("GET %.40s…: %d bytes of error %.300s, want a short message with a cut echo", p, len(b), b)
		}
	}
	if got := cutEcho(strings.Repeat("é", maxEchoRunes+100)); !strings.HasSuffix(got, "… (cut)") || strings.Count(got, "é") != maxEchoRunes {
		t.Errorf("cutEcho of %d runes: %q", maxEchoRunes+100, got)
	}
	if got := cutEcho("bad \xff byte"); got != "bad \uFFFD byte" {
		t.Errorf("cutEcho of invalid UTF-8: %q", got)
	}
}

// blockingIndex computes a ranking only when release is closed, ignoring its context
// (the worst case: a computation that does not stop when asked).
type blockingIndex struct {
	IndexService
	started chan string
	release chan struct{}
}

func (b blockingIndex) RankState(ctx context.Context, focal entente.Country, at time.Time) (*index.Ranking, error) {
	b.started <- focal.ID
	<-b.release
	return &index.Ranking{Focal: focal, At: at}, nil
}

// TestAdmission saturates a server allowed one computation and one waiting request:
// the third distinct request is refused at once, the waiting one after QueueWait, both
// with 503 and Retry-After; none is left without an answer; once the computation ends
// the server serves again.
func TestAdmission(t *testing.T) {
	bi := blockingIndex{testEngine(t), make(chan string, 8), make(chan struct{})}
	s := NewServer(bi, testStore(t), country.Default())
	s.MaxWork, s.MaxQueue, s.QueueWait = 1, 1, 2*time.Second
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()

	type answer struct {
		code  int
		retry string
		took  time.Duration
	}
	do := func(focal string) answer {
		start := time.Now()
		resp, err := nethttp.Get(ts.URL + "/api/v1/rank/" + focal + "?at=2025")
		if err != nil {
			t.Errorf("rank %s: %v (no answer)", focal, err)
			return answer{}
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return answer{resp.StatusCode, resp.Header.Get("Retry-After"), time.Since(start)}
	}
	first := make(chan answer, 1)
	go func() { first <- do("RUS") }()
	select { // RUS holds the only slot
	case <-bi.started:
	case <-time.After(30 * time.Second):
		t.Fatal("the first ranking never started")
	}

	var wg sync.WaitGroup
	var queued, refused answer
	wg.Add(1)
	go func() { defer wg.Done(); queued = do("USA") }()
	for deadline := time.Now().Add(10 * time.Second); s.admit.queued.Load() < 1; { // USA waits in the queue
		if time.Now().After(deadline) {
			t.Fatal("the second ranking never queued")
		}
		time.Sleep(5 * time.Millisecond)
	}
	refused = do("CHN")
	wg.Wait()
	if refused.code != nethttp.StatusServiceUnavailable || refused.retry == "" || refused.took > time.Second {
		t.Errorf("request beyond the queue: %d Retry-After %q in %v, want a fast 503 with Retry-After", refused.code, refused.retry, refused.took)
	}
	if queued.code != nethttp.StatusServiceUnavailable || queued.retry == "" || queued.took < 1900*time.Millisecond {
		t.Errorf("queued request: %d Retry-After %q in %v, want 503 with Retry-After after the queue wait", queued.code, queued.retry, queued.took)
	}
	close(bi.release)
	if a := <-first; a.code != nethttp.StatusOK {
		t.Errorf("admitted request: %d, want 200", a.code)
	}
	if a := do("CHN"); a.code != nethttp.StatusOK {
		t.Errorf("after the load: %d, want 200", a.code)
	}
	if s.admit.refused.Load() != 2 {
		t.Errorf("refused count %d, want 2", s.admit.refused.Load())
	}
}

// TestStuckComputationAnswersInTime: a computation that ignores its deadline still
// leaves its caller with a 503 (and Retry-After) at the request's deadline.
func TestStuckComputationAnswersInTime(t *testing.T) {
	bi := blockingIndex{testEngine(t), make(chan string, 8), make(chan struct{})}
	defer close(bi.release)
	s := NewServer(bi, testStore(t), country.Default())
	s.RequestTimeout = 200 * time.Millisecond
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()
	start := time.Now()
	code, h, b := get(t, ts, "GET", "/api/v1/rank/RUS?at=2025")
	if took := time.Since(start); code != nethttp.StatusServiceUnavailable || h.Get("Retry-After") == "" || took > 2*time.Second {
		t.Errorf("stuck computation: %d %s Retry-After %q after %v, want 503 with Retry-After near 200 ms", code, b, h.Get("Retry-After"), took)
	}
}

// TestOnIdle checks that OnIdle runs once when the server falls idle after requests,
// not before any request, and again after the next burst.
func TestOnIdle(t *testing.T) {
	s := NewServer(testEngine(t), testStore(t), country.Default())
	var calls atomic.Int32
	s.OnIdle = func() { calls.Add(1) }
	s.IdleAfter = 200 * time.Millisecond
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, ln) }()
	defer func() { cancel(); <-done }()
	get := func() {
		resp, err := nethttp.Get("http://" + ln.Addr().String() + "/healthz")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	time.Sleep(600 * time.Millisecond)
	if n := calls.Load(); n != 0 {
		t.Fatalf("OnIdle ran %d times before any request", n)
	}
	for want := int32(1); want <= 2; want++ {
		get()
		get()
		deadline := time.Now().Add(5 * time.Second)
		for calls.Load() < want && time.Now().Before(deadline) {
			time.Sleep(50 * time.Millisecond)
		}
		time.Sleep(600 * time.Millisecond) // and not again while idle
		if n := calls.Load(); n != want {
			t.Fatalf("after burst %d: OnIdle ran %d times, want %d", want, n, want)
		}
	}
}
