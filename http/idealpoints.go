package http

import (
	"context"
	"fmt"
	nethttp "net/http"
	"strconv"
	"strings"
	"time"

	"github.com/entente/entente"
)

// IdealPointReader is what the ideal-point endpoint reads; entente.Store implements it.
// It is asked of Facts at request time, so a Facts without it answers 404.
type IdealPointReader interface {
	IdealPoints(ctx context.Context, q entente.IdealPointQuery) ([]entente.IdealPoint, error)
}

var _ IdealPointReader = entente.Store(nil)

// IdealPointsResponse is the body of GET /api/v1/idealpoints.
type IdealPointsResponse struct {
	Source  string           `json:"source"`
	Variant string           `json:"variant"`
	States  []State          `json:"states"`
	Points  []IdealPointWire `json:"points"`
}

// IdealPointWire is one state-year position with its 90% interval (null when unknown).
type IdealPointWire struct {
	State string `json:"state"`
	Year  int    `json:"year"`
	X     Num    `json:"x"`
	Lo    Num    `json:"lo"`
	Hi    Num    `json:"hi"`
	Votes int    `json:"votes"`
}

// handleIdealPoints serves GET /api/v1/idealpoints?state=A&state=B&from=&to=&source=&variant=.
func (s *Server) handleIdealPoints(r *nethttp.Request) (any, error) {
	ctx := r.Context()
	ipr, ok := s.Facts.(IdealPointReader)
	if !ok {
		return nil, &statusError{nethttp.StatusNotFound, entente.ENOTFOUND, "this server's store keeps no ideal points"}
	}
	v := r.URL.Query()
	q := entente.IdealPointQuery{Source: v.Get("source"), Variant: v.Get("variant")}
	if q.Source == "" {
		q.Source = entente.SourceEntente
	}
	if q.Variant == "" {
		q.Variant = "all"
	}
	if q.Source != entente.SourceEntente && q.Source != entente.SourceBSV {
		return nil, entente.Errorf(entente.EINVALID, "source %q: want entente or bsv", q.Source)
	}
	for _, name := range []string{"from", "to"} {
		if s := v.Get(name); s != "" {
			y, err := strconv.Atoi(s)
			if err != nil || y < 1900 || y > 2200 {
				return nil, entente.Errorf(entente.EINVALID, "%s: want a year, got %q", name, s)
			}
			if name == "from" {
				q.From = y
			} else {
				q.To = y
			}
		}
	}
	var states []State
	for _, arg := range v["state"] {
		for _, a := range strings.Split(arg, ",") {
			c, err := s.stateParam(a, "state", time.Time{})
			if err != nil {
				return nil, err
			}
			if c.COW == 0 {
				return nil, entente.Errorf(entente.EINVALID, "state %s has no COW number, so no UN votes", c.ID)
			}
			states = append(states, wireState(c))
			q.CCodes = append(q.CCodes, c.COW)
		}
	}
	if len(states) == 0 || len(states) > 20 {
		return nil, entente.Errorf(entente.EINVALID, "state: want 1 to 20 states (state=RUS&state=USA)")
	}
	key := fmt.Sprintf("idealpoints|%s|%s|%d|%d|%v", q.Source, q.Variant, q.From, q.To, q.CCodes)
	return s.cached(ctx, key, func(ctx context.Context) (any, error) {
		pts, err := ipr.IdealPoints(ctx, q)
		if err != nil {
			return nil, err
		}
		byCOW := map[int]string{}
		for _, st := range states {
			byCOW[st.COW] = st.ID
		}
		out := IdealPointsResponse{Source: q.Source, Variant: q.Variant, States: states, Points: make([]IdealPointWire, 0, len(pts))}
		for _, p := range pts {
			out.Points = append(out.Points, IdealPointWire{State: byCOW[p.CCode], Year: p.Year, X: Num(p.X), Lo: Num(p.Lo()), Hi: Num(p.Hi()), Votes: p.Votes})
		}
		return out, nil
	})
}
