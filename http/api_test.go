package http

import (
	"context"
	"encoding/json"
	"io"
	"math"
	nethttp "net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/entente/entente"
	"github.com/entente/entente/country"
	"github.com/entente/entente/index"
)

func get(t *testing.T, ts *httptest.Server, method, path string) (int, nethttp.Header, []byte) {
	t.Helper()
	req, err := nethttp.NewRequest(method, ts.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := ts.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, b
}

func getJSON(t *testing.T, ts *httptest.Server, path string, v any) {
	t.Helper()
	code, h, b := get(t, ts, "GET", path)
	if code != 200 {
		t.Fatalf("GET %s: %d %s", path, code, b)
	}
	if ct := h.Get("Content-Type"); ct != "application/json" {
		t.Errorf("GET %s: Content-Type %q", path, ct)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("GET %s: %v: %s", path, err, b)
	}
}

func TestStates(t *testing.T) {
	_, ts := testServer(t)
	var r StatesResponse
	getJSON(t, ts, "/api/v1/states", &r)
	if r.Latest != "2025-03-04" || r.At != r.Latest || r.First == nil || *r.First != "1991-11-02" {
		t.Errorf("latest %s, at %s, first %v: want the last and first roll calls of the excerpts", r.Latest, r.At, r.First)
	}
	ids := map[string]bool{}
	for _, s := range r.States {
		ids[s.ID] = true
	}
	if !ids["RUS"] || !ids["SSD"] || ids["SUN"] || len(r.States) < 190 {
		t.Errorf("%d states at %s; RUS %v SSD %v SUN %v", len(r.States), r.At, ids["RUS"], ids["SSD"], ids["SUN"])
	}
	getJSON(t, ts, "/api/v1/states?at=1990", &r)
	ids = map[string]bool{}
	for _, s := range r.States {
		ids[s.ID] = true
	}
	if !ids["SUN"] || ids["RUS"] || ids["SSD"] {
		t.Errorf("states at 1990: SUN %v RUS %v SSD %v", ids["SUN"], ids["RUS"], ids["SSD"])
	}
}

func TestRank(t *testing.T) {
	_, ts := testServer(t)
	var r RankResponse
	getJSON(t, ts, "/api/v1/rank/russia?at=2025-06", &r)
	if r.Focal.ID != "RUS" || r.At != "2025-06-30" || r.Window.From != "2024-07-01" || r.Signal != "index" {
		t.Fatalf("focal %s at %s window %+v signal %s", r.Focal.ID, r.At, r.Window, r.Signal)
	}
	pos := map[string]RankedScore{}
	for i, s := range r.Scores {
		pos[s.State.ID] = s
		if s.Rank != i+1 || len(s.Signals) != index.NumSignals || s.Flags == nil {
			t.Fatalf("score %d: %+v", i, s)
		}
		if i > 0 && float64(s.Score) > float64(r.Scores[i-1].Score) {
			t.Fatalf("scores not ordered at %d", i)
		}
	}
	// The ledger's allies rank high, NATO's members low.
	blr, prk, usa := pos["BLR"], pos["PRK"], pos["USA"]
	if blr.Rank == 0 || blr.Rank > 5 || blr.Class != index.ClassAlly || prk.Rank == 0 || prk.Rank > 10 {
		t.Errorf("BLR %+v, PRK rank %d: want both near the top, BLR an ally", blr, prk.Rank)
	}
	if usa.Rank == 0 || float64(usa.Score) >= 0 || !(float64(usa.Lo) <= float64(usa.Score) && float64(usa.Score) <= float64(usa.Hi)) {
		t.Errorf("USA %+v: want a negative score inside its interval", usa)
	}
	if r.Coverage["ledger"] == 0 || r.Coverage["blocs"] == 0 {
		t.Errorf("coverage %v", r.Coverage)
	}

	var top RankResponse
	getJSON(t, ts, "/api/v1/rank/RU?at=2025-06&top=3", &top)
	if len(top.Scores) != 3 || top.Scores[0].State.ID != r.Scores[0].State.ID {
		t.Errorf("top=3 gave %d scores", len(top.Scores))
	}
	var led RankResponse
	getJSON(t, ts, "/api/v1/rank/365?at=2025-06&signal=ledger", &led)
	if led.Signal != "ledger" || len(led.Scores) != r.Coverage["ledger"] {
		t.Errorf("signal=ledger: %d scores, coverage %d", len(led.Scores), r.Coverage["ledger"])
	}
	for i, s := range led.Scores {
		if !s.Signals["ledger"].Available || s.Value != s.Signals["ledger"].Value || i > 0 && s.Value > led.Scores[i-1].Value {
			t.Fatalf("signal=ledger row %d: %+v", i, s)
		}
	}
}

func TestExplain(t *testing.T) {
	_, ts := testServer(t)
	var x ExplainResponse
	getJSON(t, ts, "/api/v1/explain/RUS/PRK?at=2025-06&top=2", &x)
	if x.Focal.ID != "RUS" || x.Other.ID != "PRK" || x.Rank == 0 || x.Of == 0 || math.IsNaN(float64(x.Score)) {
		t.Fatalf("explain: %+v", x)
	}
	if x.Signals["ledger"].Note == "" || !x.Signals["ledger"].Available {
		t.Errorf("ledger signal %+v: want available with a note", x.Signals["ledger"])
	}
	perSignal := map[string]int{}
	var treaty bool
	for _, ev := range x.Evidence {
		perSignal[ev.Signal]++
		treaty = treaty || ev.Signal == "ledger" && strings.Contains(ev.Text, "alliance_treaty") && strings.HasPrefix(ev.Source, "https://")
	}
	for sig, n := range perSignal {
		if n > 2 {
			t.Errorf("%d evidence items for %s with top=2", n, sig)
		}
	}
	if !treaty {
		t.Errorf("no cited alliance treaty among the ledger evidence: %+v", x.Evidence)
	}
}

func TestDrift(t *testing.T) {
	_, ts := testServer(t)
	var d DriftResponse
	getJSON(t, ts, "/api/v1/drift/RUS?since=2016&until=2025", &d)
	if d.Focal.ID != "RUS" || len(d.Periods) != 10 || d.Periods[0] != "2016" || d.Periods[9] != "2025" {
		t.Fatalf("drift periods %v", d.Periods)
	}
	var syr *Mover
	for i, m := range d.Movers {
		if len(m.Series) != len(d.Periods) {
			t.Fatalf("%s: %d points for %d periods", m.State.ID, len(m.Series), len(d.Periods))
		}
		if i > 0 && m.Moved > d.Movers[i-1].Moved {
			t.Fatalf("movers not ordered at %d", i)
		}
		if m.State.ID == "SYR" {
			syr = &d.Movers[i]
		}
	}
	// Assad's fall (December 2024) turns Syria away from Russia.
	if syr == nil || len(syr.Changes) == 0 {
		t.Fatalf("SYR has no change point")
	}
	last := syr.Changes[len(syr.Changes)-1]
	if last.Direction != "away" || last.Period != "2024" {
		t.Errorf("SYR last change %+v: want away in 2024", last)
	}
	var top DriftResponse
	getJSON(t, ts, "/api/v1/drift/RUS?since=2016&until=2025&top=2", &top)
	if len(top.Movers) != 2 || top.Movers[0].State.ID != d.Movers[0].State.ID {
		t.Errorf("top=2: %d movers", len(top.Movers))
	}
}

func TestDyad(t *testing.T) {
	_, ts := testServer(t)
	var d DyadResponse
	getJSON(t, ts, "/api/v1/dyad/RUS/ARM?from=2016&to=2025", &d)
	if d.A.ID != "RUS" || d.B.ID != "ARM" || len(d.Series) != len(d.Periods) || len(d.Periods) != 10 {
		t.Fatalf("dyad: a %s b %s, %d points, periods %v", d.A.ID, d.B.ID, len(d.Series), d.Periods)
	}
	for _, p := range d.Series {
		if len(p.Contributions) != index.NumSignals {
			t.Fatalf("point %s: contributions %v", p.Period, p.Contributions)
		}
	}
	if len(d.Changes) == 0 || d.Changes[len(d.Changes)-1].Direction != "away" {
		t.Errorf("ARM changes %+v: want a move away (CSTO freeze)", d.Changes)
	}
	// The 2019 unvotes excerpt holds Russia and Belarus: their stored similarity shows.
	var rb DyadResponse
	getJSON(t, ts, "/api/v1/dyad/RUS/BLR?from=2019&to=2019", &rb)
	if len(rb.Signals.UNVotes) != 1 || rb.Signals.UNVotes[0].Period != "2019" || rb.Signals.UNVotes[0].N != 5 {
		t.Errorf("RUS-BLR unvotes %+v: want 2019 with 5 roll calls", rb.Signals.UNVotes)
	}
	var ua DyadResponse
	getJSON(t, ts, "/api/v1/dyad/UKR/USA?from=2022&to=2024", &ua)
	if len(ua.Signals.Aid) == 0 || ua.Signals.Aid[0].From != "USA" || ua.Signals.Aid[0].To != "UKR" {
		t.Errorf("UKR-USA aid %+v: want aid from the USA", ua.Signals.Aid)
	}
}

func TestEvidence(t *testing.T) {
	_, ts := testServer(t)
	var e EvidenceResponse
	getJSON(t, ts, "/api/v1/evidence?a=RUS&b=PRK&at=2025-06", &e)
	if e.A.ID != "RUS" || e.B.ID != "PRK" || e.Window.From != "2024-07-01" || e.Window.To != "2025-06-30" {
		t.Fatalf("evidence header %+v %+v %+v", e.A, e.B, e.Window)
	}
	if len(e.Acts) < 3 {
		t.Fatalf("%d acts between RUS and PRK", len(e.Acts))
	}
	for i, a := range e.Acts {
		if len(a.Sources) == 0 || !strings.HasPrefix(a.Sources[0].URL, "http") || a.Date > e.At || i > 0 && a.Date > e.Acts[i-1].Date {
			t.Fatalf("act %d: %+v", i, a)
		}
	}
	if len(e.RollCalls) != 4 {
		t.Fatalf("%d roll calls: want the excerpt's 4 of 2025", len(e.RollCalls))
	}
	rc := e.RollCalls[0]
	if rc.Source != entente.SourceUNDL || !strings.HasPrefix(rc.URL, "https://digitallibrary.un.org/record/") || rc.VoteA == "" || rc.Yes == 0 {
		t.Errorf("roll call %+v", rc)
	}
	getJSON(t, ts, "/api/v1/evidence?a=RUS&b=PRK&at=2025-06&limit=1", &e)
	if len(e.Acts) != 1 || len(e.RollCalls) != 1 {
		t.Errorf("limit=1: %d acts, %d roll calls", len(e.Acts), len(e.RollCalls))
	}
}

func TestHealthAndHead(t *testing.T) {
	_, ts := testServer(t)
	var h HealthResponse
	getJSON(t, ts, "/healthz", &h)
	if h.Status != "ok" {
		t.Errorf("health %+v", h)
	}
	code, hdr, b := get(t, ts, "HEAD", "/api/v1/rank/RUS?at=2025")
	if code != 200 || len(b) != 0 || hdr.Get("Content-Length") == "" || hdr.Get("Content-Length") == "0" {
		t.Errorf("HEAD rank: %d, %d bytes, Content-Length %q", code, len(b), hdr.Get("Content-Length"))
	}
}

// TestErrors covers every 4xx the API gives: each with a JSON body naming the problem.
func TestErrors(t *testing.T) {
	_, ts := testServer(t)
	for _, tc := range []struct {
		name, method, path string
		status             int
		code, message      string
	}{
		{"unknown focal", "GET", "/api/v1/rank/XYZ", 400, "invalid", `unknown state "XYZ"`},
		{"blank focal", "GET", "/api/v1/rank/%20", 400, "invalid", "focal: want a state"},
		{"bad date", "GET", "/api/v1/rank/RUS?at=2025-13", 400, "invalid", "bad date"},
		{"date out of range", "GET", "/api/v1/rank/RUS?at=0999", 400, "invalid", "out of range"},
		{"bad signal", "GET", "/api/v1/rank/RUS?signal=vibes", 400, "invalid", `signal "vibes"`},
		{"bad top", "GET", "/api/v1/rank/RUS?top=-1", 400, "invalid", "top"},
		{"unknown other", "GET", "/api/v1/explain/RUS/Atlantis", 400, "invalid", `b: unknown state "Atlantis"`},
		{"explain bad date", "GET", "/api/v1/explain/RUS/BLR?at=yesterday", 400, "invalid", "bad date"},
		{"explain bad top", "GET", "/api/v1/explain/RUS/BLR?top=x", 400, "invalid", "top"},
		{"dyad same state", "GET", "/api/v1/dyad/RUS/RU", 400, "invalid", "same state"},
		{"dyad bad from", "GET", "/api/v1/dyad/RUS/BLR?from=20x0", 400, "invalid", "from"},
		{"dyad to before from", "GET", "/api/v1/dyad/RUS/BLR?from=2020&to=2019", 400, "invalid", "must come after"},
		{"dyad unknown state", "GET", "/api/v1/dyad/RUS/QQQ", 400, "invalid", "unknown state"},
		{"drift bad since", "GET", "/api/v1/drift/RUS?since=soon", 400, "invalid", "since"},
		{"drift unknown focal", "GET", "/api/v1/drift/Narnia", 400, "invalid", "unknown state"},
		{"evidence without b", "GET", "/api/v1/evidence?a=RUS", 400, "invalid", "missing parameter b"},
		{"evidence unknown a", "GET", "/api/v1/evidence?a=ZZZ&b=BLR", 400, "invalid", "unknown state"},
		{"evidence bad limit", "GET", "/api/v1/evidence?a=RUS&b=BLR&limit=0", 400, "invalid", "limit"},
		{"evidence from after at", "GET", "/api/v1/evidence?a=RUS&b=BLR&at=2020&from=2021", 400, "invalid", "from"},
		{"states bad date", "GET", "/api/v1/states?at=2020-02-30", 400, "invalid", "bad date"},
		{"unknown api route", "GET", "/api/v1/ranking/RUS", 404, "not_found", "no such route"},
		{"unknown route", "GET", "/nowhere", 404, "not_found", "no such route"},
		{"missing path value", "GET", "/api/v1/explain/RUS", 404, "not_found", "no such route"},
		{"unknown asset", "GET", "/ui/nothing.js", 404, "", ""},
		{"post", "POST", "/api/v1/rank/RUS", 405, "method_not_allowed", "read-only"},
		{"delete", "DELETE", "/healthz", 405, "method_not_allowed", "read-only"},
		{"put unknown route", "PUT", "/nowhere", 405, "method_not_allowed", "read-only"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, hdr, b := get(t, ts, tc.method, tc.path)
			if code != tc.status {
				t.Fatalf("%s %s: %d, want %d: %s", tc.method, tc.path, code, tc.status, b)
			}
			if tc.status == 405 && hdr.Get("Allow") != "GET, HEAD" {
				t.Errorf("Allow %q", hdr.Get("Allow"))
			}
			if tc.code == "" {
				return
			}
			var e errorBody
			if err := json.Unmarshal(b, &e); err != nil {
				t.Fatalf("not a JSON error: %s", b)
			}
			if e.Error.Code != tc.code || !strings.Contains(e.Error.Message, tc.message) {
				t.Errorf("error %+v: want code %s and a message with %q", e.Error, tc.code, tc.message)
			}
		})
	}
}

func TestBodyLimit(t *testing.T) {
	_, ts := testServer(t)
	req, _ := nethttp.NewRequest("GET", ts.URL+"/healthz", strings.NewReader(strings.Repeat("x", 5000)))
	resp, err := ts.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != nethttp.StatusRequestEntityTooLarge {
		t.Errorf("GET with a 5000-byte body: %d, want 413", resp.StatusCode)
	}
}

// slowIndex is an index that takes as long as its caller lets it.
type slowIndex struct{ IndexService }

func (slowIndex) RankState(ctx context.Context, focal entente.Country, at time.Time) (*index.Ranking, error) {
	<-ctx.Done()
	return nil, ctx.Err()
}

func TestTimeout(t *testing.T) {
	s := NewServer(slowIndex{testEngine(t)}, testStore(t), country.Default())
	s.RequestTimeout = 50 * time.Millisecond
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()
	code, _, b := get(t, ts, "GET", "/api/v1/rank/RUS?at=2025")
	if code != nethttp.StatusServiceUnavailable || !strings.Contains(string(b), `"timeout"`) {
		t.Errorf("slow rank: %d %s, want 503 timeout", code, b)
	}
}

// TestOpenAPI checks that the document is OpenAPI 3 and lists exactly the routes of the
// route table.
func TestOpenAPI(t *testing.T) {
	s, ts := testServer(t)
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	getJSON(t, ts, "/api/v1/openapi.json", &doc)
	if !strings.HasPrefix(doc.OpenAPI, "3.") {
		t.Errorf("openapi %q", doc.OpenAPI)
	}
	var want []string
	for _, r := range s.routes() {
		method, path, ok := strings.Cut(r.pattern, " ")
		if !ok {
			continue // the catch-all 404
		}
		path = strings.ReplaceAll(path, "{$}", "")
		if strings.HasSuffix(path, "/") && path != "/" {
			path += "{file}"
		}
		want = append(want, path)
		if _, ok := doc.Paths[path][strings.ToLower(method)]; !ok {
			t.Errorf("route %q: no %s %s in openapi.json", r.pattern, method, path)
		}
	}
	for p := range doc.Paths {
		if !slices.Contains(want, p) {
			t.Errorf("openapi.json lists %s, which no route serves", p)
		}
	}
}

var (
	metricLine = regexp.MustCompile(`^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([a-zA-Z_][a-zA-Z0-9_]*="(\\.|[^"\\])*")(,[a-zA-Z_][a-zA-Z0-9_]*="(\\.|[^"\\])*")*\})? (\S+)$`)
	typeLine   = regexp.MustCompile(`^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$`)
)

// TestMetrics checks the Prometheus text format line by line: HELP and TYPE before
// each family's samples, valid names, labels and values, cumulative buckets ending in
// +Inf equal to the count, and the requests made counted by route.
func TestMetrics(t *testing.T) {
	_, ts := testServer(t)
	get(t, ts, "GET", "/api/v1/rank/RUS?at=2025-06")
	get(t, ts, "GET", "/api/v1/rank/RUS?at=2025-06")
	get(t, ts, "GET", "/api/v1/rank/XYZ")
	get(t, ts, "POST", "/healthz")
	code, hdr, b := get(t, ts, "GET", "/metrics")
	if code != 200 || !strings.HasPrefix(hdr.Get("Content-Type"), "text/plain; version=0.0.4") {
		t.Fatalf("metrics: %d %q", code, hdr.Get("Content-Type"))
	}
	types := map[string]string{}
	var lastBucket float64
	var bucketsFor string
	for i, line := range strings.Split(strings.TrimSuffix(string(b), "\n"), "\n") {
		if strings.HasPrefix(line, "# HELP ") {
			continue
		}
		if m := typeLine.FindStringSubmatch(line); m != nil {
			types[m[1]] = m[2]
			continue
		}
		m := metricLine.FindStringSubmatch(line)
		if m == nil {
			t.Fatalf("line %d is not a sample: %q", i+1, line)
		}
		name, value := m[1], m[len(m)-1]
		v, err := strconv.ParseFloat(value, 64)
		if err != nil && value != "+Inf" {
			t.Fatalf("line %d: value %q", i+1, value)
		}
		family := strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(name, "_bucket"), "_sum"), "_count")
		if types[name] == "" && types[family] != "histogram" {
			t.Fatalf("line %d: %s has no TYPE before it", i+1, name)
		}
		if strings.HasSuffix(name, "_bucket") {
			series := m[2][:strings.Index(m[2], ",le=")]
			if series != bucketsFor {
				bucketsFor, lastBucket = series, 0
			}
			if v < lastBucket {
				t.Fatalf("line %d: buckets not cumulative", i+1)
			}
			lastBucket = v
		}
		if strings.HasSuffix(name, "_count") && v != lastBucket {
			t.Fatalf("line %d: count %v != +Inf bucket %v", i+1, v, lastBucket)
		}
	}
	for _, want := range []string{
		`entente_http_requests_total{route="GET /api/v1/rank/{focal}",code="200"} `,
		`entente_http_requests_total{route="GET /api/v1/rank/{focal}",code="400"} 1`,
		`entente_http_requests_total{route="refused",code="405"} `,
		`entente_http_request_duration_seconds_bucket{route="GET /api/v1/rank/{focal}",le="+Inf"} `,
		`entente_http_cache_requests_total{result="hit"} `,
	} {
		if !strings.Contains(string(b), want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}

func TestQuoteLabel(t *testing.T) {
	if got := quoteLabel("a\"b\\c\nd"); got != `"a\"b\\c\nd"` {
		t.Errorf("quoteLabel = %s", got)
	}
}

// TestClient checks that the client gives what the engine gives, through the API.
func TestClient(t *testing.T) {
	_, ts := testServer(t)
	ctx := context.Background()
	e := testEngine(t)
	c := NewClient(ts.URL)
	at := entente.Day(2025, 7, 1)
	want, err := e.Rank(ctx, "RUS", at)
	if err != nil {
		t.Fatal(err)
	}
	got, err := c.Rank(ctx, "RUS", at)
	if err != nil {
		t.Fatal(err)
	}
	if got.Focal.ID != "RUS" || !got.At.Equal(want.At) || !got.From.Equal(want.From) || len(got.Scores) != len(want.Scores) || got.Coverage != want.Coverage {
		t.Fatalf("client rank: focal %s at %s from %s, %d scores; engine: at %s from %s, %d scores",
			got.Focal.ID, got.At, got.From, len(got.Scores), want.At, want.From, len(want.Scores))
	}
	for i := range want.Scores {
		g, w := got.Scores[i], want.Scores[i]
		if g.Other.ID != w.Other.ID || g.Class != w.Class || math.Abs(g.Score-w.Score) > 1e-4 || math.Abs(g.Lo-w.Lo) > 1e-4 ||
			!slices.Equal(g.Flags, w.Flags) || g.Signals[4].Available() != w.Signals[4].Available() {
			t.Fatalf("score %d: client %+v, engine %+v", i, g, w)
		}
	}
	x, err := c.Explain(ctx, "RUS", "BLR", at, 3)
	if err != nil {
		t.Fatal(err)
	}
	wx, err := e.Explain(ctx, "RUS", "BLR", at, 3)
	if err != nil {
		t.Fatal(err)
	}
	if x.Rank != wx.Rank || x.Of != wx.Of || math.Abs(x.Score.Score-wx.Score.Score) > 1e-4 || len(x.ThirdParties) != len(wx.ThirdParties) {
		t.Errorf("client explain rank %d/%d score %v; engine %d/%d %v", x.Rank, x.Of, x.Score.Score, wx.Rank, wx.Of, wx.Score.Score)
	}
	for k := range wx.Evidence {
		if len(x.Evidence[k]) != len(wx.Evidence[k]) {
			t.Errorf("signal %s: %d evidence items, engine %d", index.Signals[k], len(x.Evidence[k]), len(wx.Evidence[k]))
			continue
		}
		for i := range wx.Evidence[k] {
			if x.Evidence[k][i].Text != wx.Evidence[k][i].Text || !x.Evidence[k][i].Date.Equal(wx.Evidence[k][i].Date) {
				t.Errorf("evidence %s %d differs", index.Signals[k], i)
			}
		}
	}
	if x.Score.Signals[4].Note == "" {
		t.Errorf("explain lost the ledger note")
	}
	if _, err := c.Rank(ctx, "Atlantis", at); entente.ErrorCode(err) != entente.EINVALID || !strings.Contains(err.Error(), "Atlantis") {
		t.Errorf("client rank of an unknown state: %v (code %s), want invalid", err, entente.ErrorCode(err))
	}
	bad := NewClient("http://127.0.0.1:1")
	if _, err := bad.Rank(ctx, "RUS", at); err == nil || entente.ErrorCode(err) != entente.EINTERNAL {
		t.Errorf("client with no server: %v", err)
	}
}

func TestCacheEvictsAndSharesMisses(t *testing.T) {
	c := newCache(10)
	ctx := context.Background()
	calls := 0
	fill := func(n int64) func() (any, int64, error) {
		return func() (any, int64, error) { calls++; return n, n, nil }
	}
	c.get(ctx, "a", fill(6))
	c.get(ctx, "b", fill(3))
	if _, hit, _ := c.get(ctx, "a", fill(6)); !hit {
		t.Error("a not cached")
	}
	c.get(ctx, "c", fill(4)) // 13 > 10: evicts b, the least recently used
	if n, size := c.stats(); n != 2 || size != 10 {
		t.Errorf("after eviction: %d entries, %d bytes", n, size)
	}
	if _, hit, _ := c.get(ctx, "b", fill(3)); hit {
		t.Error("b should have been evicted")
	}
	if calls != 4 {
		t.Errorf("%d fills, want 4", calls)
	}
}
