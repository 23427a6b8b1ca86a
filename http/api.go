package http

import (
	"context"
	"fmt"
	"math"
	nethttp "net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/entente/entente"
	"github.com/entente/entente/index"
)

// The API's handlers: each decodes and validates its parameters, calls the index engine
// once and returns a wire value (or, for cached results, its encoding).

func (s *Server) handleStates(r *nethttp.Request) (any, error) {
	ctx := r.Context()
	at, err := s.dateParam(ctx, r, "at")
	if err != nil {
		return nil, err
	}
	latest, err := s.latest(ctx)
	if err != nil {
		return nil, err
	}
	first, err := s.firstRollCall(ctx)
	if err != nil {
		return nil, err
	}
	d := at.AddDate(0, 0, -1)
	seen := map[string]bool{}
	out := StatesResponse{At: day(d), Latest: day(latest.AddDate(0, 0, -1)), First: dayOrNil(first), States: []State{}}
	for _, c := range s.Countries.All() {
		if !c.ExistsAt(d) || seen[c.ID] {
			continue
		}
		seen[c.ID] = true
		out.States = append(out.States, wireState(c))
	}
	sort.Slice(out.States, func(i, j int) bool { return out.States[i].Name < out.States[j].Name })
	return out, nil
}

func (s *Server) handleRank(r *nethttp.Request) (any, error) {
	ctx := r.Context()
	at, err := s.dateParam(ctx, r, "at")
	if err != nil {
		return nil, err
	}
	focal, err := s.stateParam(r.PathValue("focal"), "focal", at)
	if err != nil {
		return nil, err
	}
	sig := r.URL.Query().Get("signal")
	if sig == "" {
		sig = "index"
	}
	k := slices.Index(index.Signals, sig)
	if sig != "index" && k < 0 {
		return nil, entente.Errorf(entente.EINVALID, "signal %q: want index or one of %s", sig, strings.Join(index.Signals, ", "))
	}
	top, err := intParam(r, "top", 0, 0, 1000)
	if err != nil {
		return nil, err
	}
	ix, wkey, err := s.weighted(r)
	if err != nil {
		return nil, err
	}
	key := fmt.Sprintf("rank|%s|%s|%s|%d|%s", focal.ID, day(at), sig, top, wkey)
	return s.cached(ctx, key, func(ctx context.Context) (any, error) {
		rk, err := ix.RankState(ctx, focal, at)
		if err != nil {
			return nil, err
		}
		out := rankResponse(rk, sig, k, top)
		if out.DataCoverage, err = s.dataCoverage(ctx, rk.Focal.ID, "", rk.From, rk.At); err != nil {
			return nil, err
		}
		return out, nil
	})
}

func rankResponse(rk *index.Ranking, sig string, k, top int) RankResponse {
	out := RankResponse{Focal: wireState(rk.Focal), At: day(rk.At.AddDate(0, 0, -1)), Window: window(rk.From, rk.At), Signal: sig,
		RollCalls: rk.RollCalls, Unknown: rk.Unknown, LeftOut: wireLeftOut(rk.LeftOut), Coverage: map[string]int{}, Scores: []RankedScore{}}
	for i, n := range rk.Coverage {
		out.Coverage[index.Signals[i]] = n
	}
	scores := rk.Scores
	value := func(sc index.Score) float64 { return sc.Score }
	if k >= 0 {
		value = func(sc index.Score) float64 { return sc.Signals[k].Value }
		scores = rk.BySignal(k)
	}
	for i, sc := range scores {
		if top > 0 && i == top {
			break
		}
		out.Scores = append(out.Scores, RankedScore{Rank: i + 1, State: wireState(sc.Other), Value: Num(value(sc)), Score: Num(sc.Score),
			Lo: Num(sc.Lo), Hi: Num(sc.Hi), Class: sc.Class, Flags: flagsOf(sc.Flags), Signals: signalParts(sc.Signals, false)})
	}
	return out
}

func (s *Server) handleExplain(r *nethttp.Request) (any, error) {
	ctx := r.Context()
	at, err := s.dateParam(ctx, r, "at")
	if err != nil {
		return nil, err
	}
	a, err := s.stateParam(r.PathValue("a"), "a", at)
	if err != nil {
		return nil, err
	}
	b, err := s.stateParam(r.PathValue("b"), "b", at)
	if err != nil {
		return nil, err
	}
	top, err := intParam(r, "top", 5, 0, 1000)
	if err != nil {
		return nil, err
	}
	key := fmt.Sprintf("explain|%s|%s|%s|%d", a.ID, b.ID, day(at), top)
	return s.cached(ctx, key, func(ctx context.Context) (any, error) {
		x, err := s.Index.ExplainDyad(ctx, a, b, at, top)
		if err != nil {
			return nil, err
		}
		return explainResponse(x), nil
	})
}

func explainResponse(x *index.Explanation) ExplainResponse {
	sc := x.Score
	out := ExplainResponse{Focal: wireState(x.Focal), Other: wireState(sc.Other), At: day(x.At.AddDate(0, 0, -1)), Window: window(x.From, x.At),
		Score: Num(sc.Score), Lo: Num(sc.Lo), Hi: Num(sc.Hi), Class: sc.Class, Flags: flagsOf(sc.Flags), Rank: x.Rank, Of: x.Of,
		Signals: signalParts(sc.Signals, true), Evidence: []Evidence{}, ThirdParties: []ThirdParty{}}
	for k := range x.Evidence {
		for _, ev := range x.Evidence[k] {
			out.Evidence = append(out.Evidence, wireEvidence(ev))
		}
	}
	for _, t := range x.ThirdParties {
		out.ThirdParties = append(out.ThirdParties, ThirdParty{Name: t.Name, Lagged: Num(t.Lagged), Weight: Num(t.Weight)})
	}
	return out
}

// driftRange reads since (default 2010) and until (default: the latest date) for the
// yearly series.
func (s *Server) driftRange(ctx context.Context, r *nethttp.Request, sinceName, untilName string) (since, until time.Time, err error) {
	since = entente.Day(2010, 1, 1)
	if v := r.URL.Query().Get(sinceName); v != "" {
		d, err := entente.ParseDateSpec(v)
		if err != nil {
			return since, until, entente.Errorf(entente.EINVALID, "%s: %s", sinceName, err)
		}
		since = d.Start
	}
	if until, err = s.dateParam(ctx, r, untilName); err != nil {
		return since, until, err
	}
	if !until.After(since) {
		return since, until, entente.Errorf(entente.EINVALID, "%s must come after %s", untilName, sinceName)
	}
	if until.Year()-since.Year() > 80 {
		return since, until, entente.Errorf(entente.EINVALID, "%s..%s: at most 80 years", sinceName, untilName)
	}
	return since, until, nil
}

// drift returns the (cached) yearly series of every state with focal.
func (s *Server) drift(ctx context.Context, focal entente.Country, since, until time.Time) (*index.DriftResult, error) {
	key := fmt.Sprintf("drift|%s|%s|%s", focal.ID, day(since), day(until))
	v, err := s.cached(ctx, key, func(ctx context.Context) (any, error) {
		return s.Index.DriftState(ctx, focal, since, until)
	})
	if err != nil {
		return nil, err
	}
	return v.(*index.DriftResult), nil
}

func (s *Server) handleDrift(r *nethttp.Request) (any, error) {
	ctx := r.Context()
	since, until, err := s.driftRange(ctx, r, "since", "until")
	if err != nil {
		return nil, err
	}
	focal, err := s.stateParam(r.PathValue("focal"), "focal", until)
	if err != nil {
		return nil, err
	}
	top, err := intParam(r, "top", 0, 0, 1000)
	if err != nil {
		return nil, err
	}
	key := fmt.Sprintf("drift.json|%s|%s|%s|%d", focal.ID, day(since), day(until), top)
	return s.cached(ctx, key, func(ctx context.Context) (any, error) {
		d, err := s.drift(ctx, focal, since, until)
		if err != nil {
			return nil, err
		}
		out := DriftResponse{Focal: wireState(d.Focal), Periods: d.Periods, Movers: []Mover{}}
		for i, m := range d.Movers {
			if top > 0 && i == top {
				break
			}
			out.Movers = append(out.Movers, wireMover(m, false))
		}
		return out, nil
	})
}

func wireMover(m index.Mover, contrib bool) Mover {
	w := Mover{State: wireState(m.Other), Moved: Num(m.Moved), Changes: []Change{}, Series: []Point{}}
	for _, c := range m.Changes {
		w.Changes = append(w.Changes, wireChange(c))
	}
	for _, p := range m.Series {
		w.Series = append(w.Series, wirePoint(p, contrib))
	}
	return w
}

func (s *Server) handleDyad(r *nethttp.Request) (any, error) {
	ctx := r.Context()
	from, to, err := s.driftRange(ctx, r, "from", "to")
	if err != nil {
		return nil, err
	}
	a, err := s.stateParam(r.PathValue("a"), "a", to)
	if err != nil {
		return nil, err
	}
	b, err := s.stateParam(r.PathValue("b"), "b", to)
	if err != nil {
		return nil, err
	}
	if a.ID == b.ID {
		return nil, entente.Errorf(entente.EINVALID, "a and b are the same state (%s)", a.ID)
	}
	key := fmt.Sprintf("dyad|%s|%s|%s|%s", a.ID, b.ID, day(from), day(to))
	return s.cached(ctx, key, func(ctx context.Context) (any, error) {
		d, err := s.drift(ctx, a, from, to)
		if err != nil {
			return nil, err
		}
		out := DyadResponse{A: wireState(d.Focal), B: wireState(b), Periods: d.Periods, Series: []Point{}, Changes: []Change{}}
		for _, m := range d.Movers {
			if m.Other.ID == b.ID {
				w := wireMover(m, true)
				out.B, out.Series, out.Changes = w.State, w.Series, w.Changes
			}
		}
		if out.Signals, err = s.dyadSignals(ctx, d.Focal, b, from, to); err != nil {
			return nil, err
		}
		if out.DataCoverage, err = s.dataCoverage(ctx, d.Focal.ID, b.ID, from, to); err != nil {
			return nil, err
		}
		return out, nil
	})
}

// dyadSignals returns a dyad's raw yearly signals (index.Engine.DyadFacts) in wire form.
func (s *Server) dyadSignals(ctx context.Context, a, b entente.Country, from, to time.Time) (DyadSignals, error) {
	out := DyadSignals{UNVotes: []UNYear{}, Events: []EventYear{}, Aid: []AidYear{}}
	f, err := s.Index.DyadFacts(ctx, a, b, from, to)
	if err != nil {
		return out, err
	}
	for _, sm := range f.UN {
		out.UNVotes = append(out.UNVotes, UNYear{Period: sm.Period, N: sm.N, Agree: Num(sm.Values[0]), Kappa: Num(sm.Values[4]), SAbs: Num(sm.Values[1])})
	}
	for _, e := range f.Events {
		out.Events = append(out.Events, EventYear{Period: e.Period, From: e.A, To: e.B, N: e.N, GoldsteinMean: Num(e.GoldsteinMean), CoopShare: Num(e.CoopShare)})
	}
	for _, x := range f.Aid {
		out.Aid = append(out.Aid, AidYear{Period: x.Period, From: x.A, To: x.B, EURbn: Num(x.EURbn)})
	}
	out.Force, err = s.dyadForce(ctx, a, b, from, to)
	return out, err
}

func (s *Server) handleEvidence(r *nethttp.Request) (any, error) {
	ctx := r.Context()
	q := r.URL.Query()
	at, err := s.dateParam(ctx, r, "at")
	if err != nil {
		return nil, err
	}
	for _, name := range []string{"a", "b"} {
		if q.Get(name) == "" {
			return nil, entente.Errorf(entente.EINVALID, "missing parameter %s: want a state (ISO3, ISO2, COW number or name)", name)
		}
	}
	a, err := s.stateParam(q.Get("a"), "a", at)
	if err != nil {
		return nil, err
	}
	b, err := s.stateParam(q.Get("b"), "b", at)
	if err != nil {
		return nil, err
	}
	from := at.AddDate(-1, 0, 0)
	if v := q.Get("from"); v != "" {
		d, err := entente.ParseDateSpec(v)
		if err != nil {
			return nil, entente.Errorf(entente.EINVALID, "from: %s", err)
		}
		from = d.Start
	}
	if !at.After(from) {
		return nil, entente.Errorf(entente.EINVALID, "from must come before at")
	}
	limit, err := intParam(r, "limit", 50, 1, 1000)
	if err != nil {
		return nil, err
	}
	key := fmt.Sprintf("evidence|%s|%s|%s|%s|%d", a.ID, b.ID, day(from), day(at), limit)
	return s.cached(ctx, key, func(ctx context.Context) (any, error) {
		return s.evidence(ctx, a, b, from, at, limit)
	})
}

// evidence returns a dyad's latest evidence (index.Engine.Evidence) in wire form.
func (s *Server) evidence(ctx context.Context, a, b entente.Country, from, at time.Time, limit int) (EvidenceResponse, error) {
	out := EvidenceResponse{A: wireState(a), B: wireState(b), At: day(at.AddDate(0, 0, -1)), Window: window(from, at),
		Acts: []Act{}, Events: []EventSource{}, RollCalls: []RollCallVote{}}
	ev, err := s.Index.Evidence(ctx, a, b, from, at, limit)
	if err != nil {
		return out, err
	}
	for _, act := range ev.Acts {
		out.Acts = append(out.Acts, wireAct(act))
	}
	for _, u := range ev.Events {
		out.Events = append(out.Events, EventSource{Period: u.Period, From: u.A, To: u.B, URL: u.URL, Events: u.Events, Sources: u.Sources})
	}
	for _, rc := range ev.RollCalls {
		out.RollCalls = append(out.RollCalls, wireRollCall(rc))
	}
	if err := s.titleRollCalls(ctx, out.RollCalls, from, at); err != nil {
		return out, err
	}
	return out, nil
}

func wireRollCall(v index.RollCallVote) RollCallVote {
	b := v.Ballot
	rc := RollCallVote{Source: b.Source, ID: b.RollCallID, Date: day(b.Date), VoteA: v.A.String(), VoteB: v.B.String(),
		Yes: v.Yes, Abstain: v.Abstain, No: v.No}
	if b.Source == entente.SourceUNDL {
		rc.URL = "https://digitallibrary.un.org/record/" + b.RollCallID
	}
	return rc
}

func (s *Server) handleHealth(r *nethttp.Request) (any, error) {
	return HealthResponse{Status: "ok", UptimeSeconds: math.Round(time.Since(s.started).Seconds())}, nil
}

func (s *Server) handleNotFound(r *nethttp.Request) (any, error) {
	return nil, &statusError{nethttp.StatusNotFound, entente.ENOTFOUND,
		fmt.Sprintf("no such route: %s %s (the API is described at /api/v1/openapi.json)", r.Method, r.URL.Path)}
}

// cached returns the value of key from the cache, computing it with fill on a miss.
// The computation runs under its own deadline, not the first caller's, since other
// requests may wait for it. Wire values are cached encoded.
func (s *Server) cached(ctx context.Context, key string, fill func(ctx context.Context) (any, error)) (any, error) {
	v, hit, err := s.cache.get(ctx, key, func() (any, int64, error) {
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.RequestTimeout)
		defer cancel()
		if cctx.Value(admittedKey{}) == nil { // a computation inside an admitted one is part of it
			release, err := s.admit.acquire(cctx)
			if err != nil {
				return nil, 0, err
			}
			defer release()
			cctx = context.WithValue(cctx, admittedKey{}, true)
		}
		v, err := fill(cctx)
		if err != nil {
			return nil, 0, err
		}
		if d, ok := v.(*index.DriftResult); ok {
			return d, driftSize(d), nil
		}
		b, err := encode(v)
		return rawJSON(b), int64(len(b)), err
	})
	if hit {
		s.metrics.cacheHits.Add(1)
	} else {
		s.metrics.cacheMisses.Add(1)
	}
	return v, err
}

// admittedKey marks a context whose computation holds an admission slot.
type admittedKey struct{}

// driftSize estimates the memory a drift result holds, bootstrap replicates included.
func driftSize(d *index.DriftResult) int64 {
	n := int64(0)
	for _, m := range d.Movers {
		n += int64(len(m.Series)) * (200 + 8*200)
	}
	return n
}

// Parameters.

// stateParam resolves a state named in the request at the day before the exclusive
// date at (with a zero at, its latest spell). An unknown or ambiguous state, or one
// that did not exist at the date (entente.ResolveAt), is bad input (400).
func (s *Server) stateParam(v, name string, at time.Time) (entente.Country, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return entente.Country{}, entente.Errorf(entente.EINVALID, "%s: want a state (ISO3, ISO2, COW number or name)", name)
	}
	day := at // zero: no date, the latest spell
	if !at.IsZero() {
		day = at.AddDate(0, 0, -1)
	}
	c, err := entente.ResolveAt(s.Countries, v, day)
	if err != nil {
		if entente.ErrorCode(err) == entente.ENOTFOUND {
			return c, entente.Errorf(entente.EINVALID, "%s: unknown state %q", name, v)
		}
		return c, entente.Errorf(entente.EINVALID, "%s: %s", name, err.Error())
	}
	return c, nil
}

// dateParam reads a date parameter as the index reads --at: the exclusive end of the
// year, month or day given; absent, the day after the last UN roll call stored.
func (s *Server) dateParam(ctx context.Context, r *nethttp.Request, name string) (time.Time, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return s.latest(ctx)
	}
	d, err := entente.ParseDateSpec(v)
	if err != nil {
		return time.Time{}, entente.Errorf(entente.EINVALID, "%s: %s", name, err)
	}
	if y := d.Start.Year(); y < 1900 || y > 2200 {
		return time.Time{}, entente.Errorf(entente.EINVALID, "%s: %s is out of range (1900-2200)", name, v)
	}
	return d.End, nil
}

func intParam(r *nethttp.Request, name string, def, lo, hi int) (int, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		return 0, entente.Errorf(entente.EINVALID, "%s %q: want a whole number from %d to %d", name, v, lo, hi)
	}
	return n, nil
}

// latest returns the day after the last UN roll call stored (the index's default
// date), or tomorrow when there is none. It is read once: the store does not change
// while the server runs.
func (s *Server) latest(ctx context.Context) (time.Time, error) {
	s.latestMu.Lock()
	defer s.latestMu.Unlock()
	if !s.latestDay.IsZero() {
		return s.latestDay, nil
	}
	cov, err := s.Facts.VoteCoverage(ctx, "")
	if err != nil {
		return time.Time{}, err
	}
	first, last := entente.CoverageSpan(cov)
	if last.IsZero() {
		n := time.Now().UTC()
		last = entente.Day(n.Year(), n.Month(), n.Day())
	}
	s.latestDay, s.firstDay = last.AddDate(0, 0, 1), first
	return s.latestDay, nil
}

func (s *Server) firstRollCall(ctx context.Context) (time.Time, error) {
	if _, err := s.latest(ctx); err != nil {
		return time.Time{}, err
	}
	s.latestMu.Lock()
	defer s.latestMu.Unlock()
	return s.firstDay, nil
}

// dataCoverage is index.DataCoverage over the store, when the server's facts are a
// store that can tell (entente.Store can); otherwise nil: no coverage is claimed.
func (s *Server) dataCoverage(ctx context.Context, a, b string, from, to time.Time) (map[string]index.SignalCoverage, error) {
	f, ok := s.Facts.(index.CoverageFacts)
	if !ok {
		return nil, nil
	}
	return index.DataCoverage(ctx, f, a, b, from, to)
}
