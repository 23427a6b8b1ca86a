package index

import (
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/entente/entente"
)

// WithWeights returns an engine over the same sources whose signal weights are those of
// e changed by w (signal name → weight, each ≥ 0), and the canonical form of the change
// ("events=0,ledger=2", sorted; "" for none), a key for caches. Only signal weights may
// change: the other parameters stay the operator's. Errors have code EINVALID.
func (e *Engine) WithWeights(w map[string]float64) (*Engine, string, error) {
	if len(w) == 0 {
		return e, "", nil
	}
	cfg := e.cfg.Clone()
	names := make([]string, 0, len(w))
	for name := range w {
		if !slices.Contains(Signals, name) {
			return nil, "", entente.Errorf(entente.EINVALID, "weight %q: want one of %s", name, strings.Join(Signals, ", "))
		}
		names = append(names, name)
	}
	sort.Strings(names)
	parts := make([]string, len(names))
	for i, name := range names {
		v := strconv.FormatFloat(w[name], 'g', -1, 64)
		if err := cfg.Set(name, v); err != nil {
			return nil, "", err
		}
		parts[i] = name + "=" + v
	}
	return &Engine{src: e.src, countries: e.countries, blocs: e.blocs, cfg: cfg, cache: e.cache}, strings.Join(parts, ","), nil
}

// Weights returns the weight of each signal, by name.
func (e *Engine) Weights() map[string]float64 {
	out := make(map[string]float64, len(Signals))
	for i, s := range Signals {
		out[s] = e.cfg.Weights[i]
	}
	return out
}
