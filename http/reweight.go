package http

import (
	"bufio"
	"fmt"
	"math"
	nethttp "net/http"
	"strconv"
	"strings"

	"github.com/entente/entente"
	"github.com/entente/entente/index"
	"github.com/entente/entente/tabular"
)

// Reweighter is an index whose signal weights can be changed per request (the
// dashboard's sliders). *index.Engine implements it.
type Reweighter interface {
	WithWeights(w map[string]float64) (*index.Engine, string, error)
	Weights() map[string]float64
}

var _ Reweighter = (*index.Engine)(nil)

// maxWeight bounds a weight given in a request.
const maxWeight = 100

// weighted returns the index to answer r with: the server's, or, when r carries
// weights (w.unvotes=0.5&w.events=0), one re-weighted by them, with the canonical
// weights for the cache key ("" for none).
func (s *Server) weighted(r *nethttp.Request) (IndexService, string, error) {
	w := map[string]float64{}
	for name, vals := range r.URL.Query() {
		sig, ok := strings.CutPrefix(name, "w.")
		if !ok {
			continue
		}
		v, err := strconv.ParseFloat(vals[len(vals)-1], 64)
		if err != nil || math.IsNaN(v) || v < 0 || v > maxWeight {
			return nil, "", entente.Errorf(entente.EINVALID, "%s=%q: want a weight from 0 to %d", name, vals[len(vals)-1], maxWeight)
		}
		w[sig] = v
	}
	if len(w) == 0 {
		return s.Index, "", nil
	}
	rw, ok := s.Index.(Reweighter)
	if !ok {
		return nil, "", entente.Errorf(entente.EINVALID, "this server's index cannot be re-weighted")
	}
	e, key, err := rw.WithWeights(w)
	if err != nil {
		return nil, "", err
	}
	return e, key, nil
}

// handleWeights answers the index's default signal weights (the sliders' start).
func (s *Server) handleWeights(r *nethttp.Request) (any, error) {
	out := WeightsResponse{Signals: index.Signals, Weights: map[string]float64{}, Max: maxWeight}
	if rw, ok := s.Index.(Reweighter); ok {
		out.Weights = rw.Weights()
		out.Reweightable = true
	}
	return out, nil
}

// WeightsResponse is the answer of /api/v1/weights.
type WeightsResponse struct {
	Signals      []string           `json:"signals"`
	Weights      map[string]float64 `json:"weights"`
	Max          float64            `json:"max"`
	Reweightable bool               `json:"reweightable"`
}

// rankRoute answers /api/v1/rank/{focal}: JSON, or with ?format=csv|parquet the same
// ranking as a download (the dashboard's "download this view").
func (s *Server) rankRoute() nethttp.Handler {
	js := s.api(s.handleRank)
	return nethttp.HandlerFunc(func(w nethttp.ResponseWriter, r *nethttp.Request) {
		switch f := r.URL.Query().Get("format"); f {
		case "", "json":
			js.ServeHTTP(w, r)
		case "csv", "parquet":
			if err := s.exportRank(w, r, f); err != nil {
				s.writeError(w, r, err)
			}
		default:
			s.writeError(w, r, entente.Errorf(entente.EINVALID, "format %q: want json, csv or parquet", f))
		}
	})
}

// exportRank writes the ranking of r as CSV or Parquet at full precision, one row per
// state, leading with focal and at so that downloads stack into a panel.
func (s *Server) exportRank(w nethttp.ResponseWriter, r *nethttp.Request, format string) error {
	ctx := r.Context()
	at, err := s.dateParam(ctx, r, "at")
	if err != nil {
		return err
	}
	focal, err := s.stateParam(r.PathValue("focal"), "focal", at)
	if err != nil {
		return err
	}
	ix, _, err := s.weighted(r)
	if err != nil {
		return err
	}
	rk, err := ix.Rank(ctx, focal.ID, at)
	if err != nil {
		return err
	}
	cols := append([]string{"focal", "at", "rank", "iso3", "ccode", "name", "score", "lo", "hi", "class", "flags"}, index.Signals...)
	name := fmt.Sprintf("entente-rank-%s-%s.%s", rk.Focal.ID, day(rk.At.AddDate(0, 0, -1)), format)
	h := w.Header()
	h.Set("Content-Disposition", `attachment; filename="`+name+`"`)
	var tw interface {
		Row(...any) error
		Close() error
	}
	bw := bufio.NewWriter(w)
	if format == "csv" {
		h.Set("Content-Type", "text/csv; charset=utf-8")
		tw = &csvRows{w: bw}
	} else {
		h.Set("Content-Type", "application/vnd.apache.parquet")
		tw = tabular.NewParquet(bw, cols)
	}
	if c, ok := tw.(*csvRows); ok {
		c.Row(anys(cols)...)
	}
	focalID, atDay := rk.Focal.ID, day(rk.At.AddDate(0, 0, -1))
	for i, sc := range rk.Scores {
		var cc any
		if sc.Other.COW > 0 {
			cc = sc.Other.COW
		}
		vals := []any{focalID, atDay, i + 1, sc.Other.ID, cc, sc.Other.Name, sc.Score, sc.Lo, sc.Hi, sc.Class, strings.Join(sc.Flags, " ")}
		for _, c := range sc.Signals {
			if c.Available() {
				vals = append(vals, c.Contribution)
			} else {
				vals = append(vals, nil)
			}
		}
		if err := tw.Row(vals...); err != nil {
			return err
		}
	}
	if err := tw.Close(); err != nil {
		return err
	}
	return bw.Flush()
}

func anys(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// csvRows writes rows as CSV, floats in their shortest round-trip form, null empty.
type csvRows struct{ w *bufio.Writer }

func (c *csvRows) Row(vals ...any) error {
	for i, v := range vals {
		if i > 0 {
			c.w.WriteByte(',')
		}
		var s string
		switch v := v.(type) {
		case nil:
		case float64:
			if !math.IsNaN(v) && !math.IsInf(v, 0) {
				s = strconv.FormatFloat(v, 'g', -1, 64)
			}
		default:
			s = fmt.Sprint(v)
		}
		if strings.ContainsAny(s, ",\"\n\r") {
			s = `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
		}
		c.w.WriteString(s)
	}
	_, err := c.w.WriteString("\n")
	return err
}

func (c *csvRows) Close() error { return c.w.Flush() }
