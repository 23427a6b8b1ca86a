package index

import (
	"sync"

	"github.com/entente/entente"
)

// kept is a small map of what an engine keeps between calls, safe for concurrent use;
// full, it starts afresh (the calls that fill it come in runs of nearby keys).
type kept[V any] struct {
	mu  sync.Mutex
	m   map[string]V
	max int
}

// get returns the value kept under key, computing and keeping it when absent; with on
// false it only computes. A failed computation is not kept.
func (k *kept[V]) get(on bool, key string, compute func() (V, error)) (V, error) {
	if on {
		k.mu.Lock()
		v, ok := k.m[key]
		k.mu.Unlock()
		if ok {
			return v, nil
		}
	}
	v, err := compute()
	if err != nil || !on {
		return v, err
	}
	k.mu.Lock()
	if k.m == nil || len(k.m) >= k.max {
		k.m = map[string]V{}
	}
	k.m[key] = v
	k.mu.Unlock()
	return v, nil
}

// has reports whether a value is kept under key (never with on false).
func (k *kept[V]) has(on bool, key string) bool {
	if !on {
		return false
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	_, ok := k.m[key]
	return ok
}

// clear forgets every value.
func (k *kept[V]) clear() {
	k.mu.Lock()
	k.m = nil
	k.mu.Unlock()
}

// slowCache holds what the engine keeps between calls: always the force records of the
// focal states asked for (keyed with the stored coverage, so that a new import gives a
// new load), and with KeepFacts the facts of recent spans, the lagged scores and the
// vote coverage. Reweighted copies of an engine share it.
type slowCache struct {
	keepFacts bool // KeepFacts was called
	force     kept[*forceData]
	facts     kept[*facts]
	lags      kept[map[string]float64]
	voteCov   kept[[]entente.SourceCoverage]
}

func newSlowCache() *slowCache {
	return &slowCache{
		force:   kept[*forceData]{max: 64}, // focal states
		facts:   kept[*facts]{max: 8},      // spans of dates
		lags:    kept[map[string]float64]{max: 256},
		voteCov: kept[[]entente.SourceCoverage]{max: 1},
	}
}
