// Package http serves entente over HTTP: a read-only JSON API under /api/v1/, the
// dashboard from embedded assets, /healthz and /metrics. It also holds Client, which
// implements the same index interface (Aligner) over the API.
//
// Routes are in one table (routes), handlers are thin (decode, validate, call, return a
// result) and one wrapper writes every result and every error; domain error codes map to
// HTTP statuses in one place (status). docs/api.md documents the wire format.
package http

import (
	"context"
	"errors"
	"net"
	nethttp "net/http"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/entente/entente"
	"github.com/entente/entente/index"
)

// Aligner is the alignment index as a service: the part of index.Engine the API serves
// and Client implements over HTTP. The index package defines no interface, so it is
// defined here, next to its two implementations. Errors carry entente codes: EINVALID
// for bad input, ENOTFOUND for a state that is not scored at the date. Implementations
// are safe for concurrent use; results belong to the caller.
type Aligner interface {
	// Rank scores every state against focal at the exclusive date at.
	Rank(ctx context.Context, focal string, at time.Time) (*index.Ranking, error)
	// Explain takes other's score with focal apart, with at most top evidence items per
	// signal.
	Explain(ctx context.Context, focal, other string, at time.Time, top int) (*index.Explanation, error)
}

// IndexService is what the server needs of the index: Aligner, and the same answers
// for states the server has already resolved (entente.ResolveAt, once per request), with
// the yearly series with change points. *index.Engine implements it.
type IndexService interface {
	Aligner
	RankState(ctx context.Context, focal entente.Country, at time.Time) (*index.Ranking, error)
	ExplainDyad(ctx context.Context, focal, other entente.Country, at time.Time, top int) (*index.Explanation, error)
	DriftState(ctx context.Context, focal entente.Country, from, to time.Time) (*index.DriftResult, error)
	DyadFacts(ctx context.Context, a, b entente.Country, from, to time.Time) (*index.DyadFacts, error)
	Evidence(ctx context.Context, a, b entente.Country, from, at time.Time, limit int) (*index.DyadEvidence, error)
}

// Facts is the part of the store the API reads directly: the coverage of the UN vote
// record, which dates the index by default. Every other answer comes from the engine
// (IndexService). entente.Store implements it.
type Facts interface {
	VoteCoverage(ctx context.Context, issue string) ([]entente.SourceCoverage, error)
}

var (
	_ IndexService = (*index.Engine)(nil)
	_ Aligner      = (*Client)(nil)
	_ Facts        = entente.Store(nil)
)

// Server is the API and dashboard. Set the exported fields before the first request;
// they must not change afterwards. A Server is safe for concurrent use.
type Server struct {
	Index     IndexService
	Facts     Facts
	Countries entente.CountryService

	// RequestTimeout bounds each request's work (its context); default 20 s. The
	// server's write timeout is 10 s longer, so every request gets an answer.
	RequestTimeout time.Duration
	// MaxBodyBytes is the largest request body accepted; default 4 KiB (the API is
	// read-only: no request needs one).
	MaxBodyBytes int64
	// CacheBytes bounds the cache of computed responses; default 256 MiB.
	CacheBytes int64
	// OnIdle, if set, is called once when no request has arrived for IdleAfter (default
	// 15 s) after some did: serve drops the engine's kept facts there and returns the
	// memory to the system, so an idle server does not hold its peak.
	OnIdle    func()
	IdleAfter time.Duration
	// MaxWork is how many expensive computations (uncached rankings, drifts,
	// explanations, evidence) run at once; default GOMAXPROCS. MaxQueue more wait, each
	// at most QueueWait (defaults 8 × MaxWork and 2 s); beyond that a request is
	// refused at once with 503 and Retry-After.
	MaxWork   int
	MaxQueue  int
	QueueWait time.Duration
	// AllowedHosts are the names the Host header may carry (without port); empty allows
	// every host. Serve sets it from the listen address when it is empty
	// (DefaultHosts): a loopback server answers only to localhost and loopback
	// addresses, which stops DNS rebinding.
	AllowedHosts []string
	// Logf, if set, receives one line per failed request (status 500 and above) and
	// the server's own events.
	Logf func(format string, args ...any)

	once    sync.Once
	admit   *admission
	handler nethttp.Handler
	metrics *metrics
	cache   *cache
	started time.Time
	world   world

	lastRequest atomic.Int64 // UnixNano of the last request's arrival; 0 before any

	latestMu  sync.Mutex
	latestDay time.Time // day after the last roll call stored; zero until read
	firstDay  time.Time // the first roll call stored
}

// NewServer returns a server over an index, the store's facts and the country registry.
func NewServer(idx IndexService, facts Facts, countries entente.CountryService) *Server {
	return &Server{Index: idx, Facts: facts, Countries: countries}
}

// Handler returns the server's HTTP handler: the route table behind the read-only,
// body-limit and timeout middleware.
func (s *Server) Handler() nethttp.Handler {
	s.once.Do(s.init)
	return s.handler
}

func (s *Server) init() {
	if s.RequestTimeout <= 0 {
		s.RequestTimeout = 20 * time.Second
	}
	if s.MaxWork <= 0 {
		s.MaxWork = runtime.GOMAXPROCS(0)
	}
	if s.MaxQueue <= 0 {
		s.MaxQueue = 8 * s.MaxWork
	}
	if s.QueueWait <= 0 {
		s.QueueWait = 2 * time.Second
	}
	s.admit = newAdmission(s.MaxWork, s.MaxQueue, s.QueueWait)
	if s.MaxBodyBytes <= 0 {
		s.MaxBodyBytes = 4 << 10
	}
	if s.CacheBytes <= 0 {
		s.CacheBytes = 256 << 20
	}
	s.started = time.Now()
	s.metrics = newMetrics()
	s.cache = newCache(s.CacheBytes)
	mux := nethttp.NewServeMux()
	for _, r := range s.routes() {
		mux.Handle(r.pattern, s.instrument(r.pattern, r.handler))
	}
	s.handler = s.guard(mux)
}

// route is one line of the route table.
type route struct {
	pattern string // a Go 1.22 method pattern
	handler nethttp.Handler
	summary string // for the route list in tests and docs
}

// routes is the route table: every URL the server answers. Patterns with GET also
// answer HEAD; any other method is refused with 405 before routing (guard).
func (s *Server) routes() []route {
	return []route{
		{"GET /api/v1/states", s.api(s.handleStates), "states existing at a date"},
		{"GET /api/v1/rank/{focal}", s.rankRoute(), "every state ranked by alignment with a focal state (?w.SIGNAL=weight re-weights; ?format=csv|parquet downloads)"},
		{"GET /api/v1/weights", s.api(s.handleWeights), "the index's default signal weights"},
		{"GET /api/v1/dyad/{a}/{b}", s.api(s.handleDyad), "a pair's index and signals over time, with change points"},
		{"GET /api/v1/explain/{a}/{b}", s.api(s.handleExplain), "one score taken apart"},
		{"GET /api/v1/drift/{focal}", s.api(s.handleDrift), "change points and the states that moved most"},
		{"GET /api/v1/evidence", s.api(s.handleEvidence), "the facts behind a pair: acts, event URLs, roll calls"},
		{"GET /api/v1/idealpoints", s.api(s.handleIdealPoints), "states' UN ideal points per year with 90% intervals"},
		{"GET /api/v1/openapi.json", nethttp.HandlerFunc(s.handleOpenAPI), "this API as an OpenAPI 3 document"},
		{"GET /healthz", s.api(s.handleHealth), "liveness"},
		{"GET /metrics", nethttp.HandlerFunc(s.handleMetrics), "Prometheus metrics"},
		{"GET /{$}", nethttp.HandlerFunc(s.handleIndexPage), "the dashboard"},
		{"GET /ui/world.geo.json", nethttp.HandlerFunc(s.handleWorld), "the world map, GeoJSON keyed by state id"},
		{"GET /ui/", s.assets(), "dashboard assets"},
		{"/", s.api(s.handleNotFound), "anything else: 404"},
	}
}

// guard sets the security headers of every response and refuses what a read-only
// server never accepts, before routing: a Host header that does not name this server
// (421), methods other than GET and HEAD (405) and request bodies over the limit (413).
func (s *Server) guard(next nethttp.Handler) nethttp.Handler {
	return nethttp.HandlerFunc(func(w nethttp.ResponseWriter, r *nethttp.Request) {
		securityHeaders(w.Header())
		if !hostAllowed(s.AllowedHosts, r.Host) {
			s.measure("refused", w, r, func(w nethttp.ResponseWriter) {
				s.writeError(w, r, &statusError{nethttp.StatusMisdirectedRequest, "wrong_host",
					"host " + strconv.Quote(r.Host) + " is not a name of this server (allowed: " +
						strings.Join(s.AllowedHosts, ", ") + "; serve --allow-host adds one)"})
			})
			return
		}
		if r.Method != nethttp.MethodGet && r.Method != nethttp.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			s.measure("refused", w, r, func(w nethttp.ResponseWriter) {
				s.writeError(w, r, &statusError{nethttp.StatusMethodNotAllowed, "method_not_allowed",
					"method " + r.Method + " not allowed: the API is read-only (GET, HEAD)"})
			})
			return
		}
		if r.ContentLength > s.MaxBodyBytes {
			s.measure("refused", w, r, func(w nethttp.ResponseWriter) {
				s.writeError(w, r, &statusError{nethttp.StatusRequestEntityTooLarge, "too_large", "request body too large"})
			})
			return
		}
		r.Body = nethttp.MaxBytesReader(w, r.Body, s.MaxBodyBytes)
		ctx, cancel := context.WithTimeout(r.Context(), s.RequestTimeout)
		defer cancel()
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// instrument counts and times the requests of one route.
func (s *Server) instrument(pattern string, h nethttp.Handler) nethttp.Handler {
	return nethttp.HandlerFunc(func(w nethttp.ResponseWriter, r *nethttp.Request) {
		s.measure(pattern, w, r, func(w nethttp.ResponseWriter) { h.ServeHTTP(w, r) })
	})
}

func (s *Server) measure(route string, w nethttp.ResponseWriter, r *nethttp.Request, serve func(nethttp.ResponseWriter)) {
	start := time.Now()
	s.lastRequest.Store(start.UnixNano())
	s.metrics.inFlight.Add(1)
	rec := &statusRecorder{ResponseWriter: w, status: nethttp.StatusOK}
	defer func() {
		s.metrics.inFlight.Add(-1)
		s.metrics.observe(route, rec.status, time.Since(start))
	}()
	serve(rec)
}

// statusRecorder remembers the status a handler wrote, for the metrics.
type statusRecorder struct {
	nethttp.ResponseWriter
	status int
	wrote  bool
}

func (r *statusRecorder) WriteHeader(code int) {
	if !r.wrote {
		r.status, r.wrote = code, true
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	r.wrote = true
	return r.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection.
func (r *statusRecorder) Unwrap() nethttp.ResponseWriter { return r.ResponseWriter }

// Serve answers requests on ln until ctx is cancelled, then shuts down gracefully:
// it stops accepting, lets requests in flight finish (up to 10 s) and returns nil.
// watchIdle calls OnIdle once each time the server falls idle for IdleAfter.
func (s *Server) watchIdle(stop <-chan struct{}) {
	after := s.IdleAfter
	if after <= 0 {
		after = 15 * time.Second
	}
	tick := time.NewTicker(min(after/4, time.Second))
	defer tick.Stop()
	var done int64 // the lastRequest value OnIdle last ran after
	for {
		select {
		case <-stop:
			return
		case <-tick.C:
		}
		last := s.lastRequest.Load()
		if last == 0 || last == done || s.metrics.inFlight.Load() > 0 || time.Since(time.Unix(0, last)) < after {
			continue
		}
		done = last
		s.OnIdle()
	}
}

func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	if s.AllowedHosts == nil {
		s.AllowedHosts = DefaultHosts(ln.Addr().String())
	}
	hs := &nethttp.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      s.RequestTimeout + 10*time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    16 << 10,
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	if s.OnIdle != nil {
		stop := make(chan struct{})
		defer close(stop)
		go s.watchIdle(stop)
	}
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err := hs.Shutdown(sctx)
	if serr := <-errc; serr != nil && !errors.Is(serr, nethttp.ErrServerClosed) && err == nil {
		err = serr
	}
	return err
}

func (s *Server) logf(format string, args ...any) {
	if s.Logf != nil {
		s.Logf(format, args...)
	}
}
