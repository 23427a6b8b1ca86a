package http

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	nethttp "net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/entente/entente"
	"github.com/entente/entente/index"
)

// Client reads the index from an entente server: it implements Aligner over the API,
// so a program can rank and explain against a remote store as against a local
// index.Engine. Numbers come back rounded to 4 decimals, as the API writes them.
// Errors carry the server's entente code (EINVALID, ENOTFOUND, ...). A Client is safe
// for concurrent use.
type Client struct {
	// BaseURL is the server's address, such as http://127.0.0.1:8080.
	BaseURL string
	// HTTPClient is used for requests; nil means a client with a 60 s timeout.
	HTTPClient *nethttp.Client
}

// NewClient returns a client of the server at baseURL.
func NewClient(baseURL string) *Client { return &Client{BaseURL: baseURL} }

var defaultHTTPClient = &nethttp.Client{Timeout: 60 * time.Second}

// Rank scores every state against focal at the exclusive date at.
func (c *Client) Rank(ctx context.Context, focal string, at time.Time) (*index.Ranking, error) {
	var r RankResponse
	if err := c.get(ctx, "/api/v1/rank/"+url.PathEscape(focal), url.Values{"at": {atParam(at)}}, &r); err != nil {
		return nil, err
	}
	out := &index.Ranking{Focal: r.Focal.country(), RollCalls: r.RollCalls, Unknown: r.Unknown}
	for _, l := range r.LeftOut {
		out.LeftOut = append(out.LeftOut, index.LeftOut{State: entente.Country{ID: l.ID, ISO3: l.ISO3, COW: l.COW, Name: l.Name}, Why: l.Why})
	}
	var err error
	if out.From, out.At, err = parseWindow(r.Window); err != nil {
		return nil, err
	}
	for k, name := range index.Signals {
		out.Coverage[k] = r.Coverage[name]
	}
	for _, s := range r.Scores {
		out.Scores = append(out.Scores, index.Score{Other: s.State.country(), Score: float64(s.Score), Lo: float64(s.Lo), Hi: float64(s.Hi),
			Class: s.Class, Flags: nilIfEmpty(s.Flags), Signals: contributions(s.Signals)})
	}
	return out, nil
}

// Explain takes other's score with focal apart, with at most top evidence items per
// signal.
func (c *Client) Explain(ctx context.Context, focal, other string, at time.Time, top int) (*index.Explanation, error) {
	var r ExplainResponse
	q := url.Values{"at": {atParam(at)}, "top": {strconv.Itoa(top)}}
	if err := c.get(ctx, "/api/v1/explain/"+url.PathEscape(focal)+"/"+url.PathEscape(other), q, &r); err != nil {
		return nil, err
	}
	x := &index.Explanation{Focal: r.Focal.country(), Rank: r.Rank, Of: r.Of,
		Score: index.Score{Other: r.Other.country(), Score: float64(r.Score), Lo: float64(r.Lo), Hi: float64(r.Hi), Class: r.Class,
			Flags: nilIfEmpty(r.Flags), Signals: contributions(r.Signals)}}
	var err error
	if x.From, x.At, err = parseWindow(r.Window); err != nil {
		return nil, err
	}
	for _, ev := range r.Evidence {
		k := signalIndex(ev.Signal)
		if k < 0 {
			return nil, entente.Errorf(entente.EINTERNAL, "explain: unknown signal %q in the answer", ev.Signal)
		}
		e := index.Evidence{Signal: ev.Signal, Effect: float64(ev.Effect), Text: ev.Text, Source: ev.Source}
		if ev.Date != nil {
			if e.Date, err = time.Parse(time.DateOnly, *ev.Date); err != nil {
				return nil, entente.Errorf(entente.EINTERNAL, "explain: bad date in the answer: %v", err)
			}
		}
		x.Evidence[k] = append(x.Evidence[k], e)
	}
	for _, t := range r.ThirdParties {
		x.ThirdParties = append(x.ThirdParties, index.ThirdParty{Name: t.Name, Lagged: float64(t.Lagged), Weight: float64(t.Weight)})
	}
	return x, nil
}

// atParam writes the exclusive date at as the day before it, which the server reads
// back as the exclusive end of that day.
func atParam(at time.Time) string { return day(at.AddDate(0, 0, -1)) }

func parseWindow(w Window) (from, at time.Time, err error) {
	if from, err = time.Parse(time.DateOnly, w.From); err == nil {
		at, err = time.Parse(time.DateOnly, w.To)
	}
	if err != nil {
		return from, at, entente.Errorf(entente.EINTERNAL, "bad window in the answer: %v", err)
	}
	return from, at.AddDate(0, 0, 1), nil
}

func signalIndex(name string) int {
	for k, s := range index.Signals {
		if s == name {
			return k
		}
	}
	return -1
}

func nilIfEmpty(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	return s
}

// get fetches path?q and decodes the JSON answer into v; an error answer becomes an
// *entente.Error with the server's code.
func (c *Client) get(ctx context.Context, path string, q url.Values, v any) error {
	u := c.BaseURL + path
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	req, err := nethttp.NewRequestWithContext(ctx, nethttp.MethodGet, u, nil)
	if err != nil {
		return entente.Errorf(entente.EINVALID, "client: %v", err)
	}
	req.Header.Set("Accept", "application/json")
	hc := c.HTTPClient
	if hc == nil {
		hc = defaultHTTPClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		return fmt.Errorf("client: get %s: %w", path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 256<<20))
	if err != nil {
		return fmt.Errorf("client: read %s: %w", path, err)
	}
	if resp.StatusCode != nethttp.StatusOK {
		var e errorBody
		if json.Unmarshal(body, &e) != nil || e.Error.Code == "" {
			return entente.Errorf(entente.EINTERNAL, "client: get %s: %s", path, resp.Status)
		}
		return entente.Errorf(clientCode(e.Error.Code, resp.StatusCode), "%s", e.Error.Message)
	}
	if err := json.Unmarshal(body, v); err != nil {
		return entente.Errorf(entente.EINTERNAL, "client: decode %s: %v", path, err)
	}
	return nil
}

// clientCode maps an error answer back to an entente code: the codes the server sends
// are entente's own, HTTP-level ones fall back on the status.
func clientCode(code string, status int) string {
	switch code {
	case entente.EINVALID, entente.ENOTFOUND, entente.ECONFLICT, entente.EINTERNAL:
		return code
	}
	if status >= 400 && status < 500 {
		return entente.EINVALID
	}
	return entente.EINTERNAL
}
