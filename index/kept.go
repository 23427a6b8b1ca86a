package index

import (
	"sync"

	"github.com/entente/entente"
)

// kept is a small map of what an engine keeps between calls, safe for concurrent use;
// full, it starts afresh (the calls that fill it come in runs of nearby keys). Calls
// that want a key being computed wait for that computation rather than repeat it.
type kept[V any] struct {
	mu       sync.Mutex
	m        map[string]V
	inflight map[string]*flight[V]
	max      int
}

// flight is one computation of a kept value, which later callers of its key wait for.
type flight[V any] struct {
	done chan struct{}
	v    V
	err  error
}

// get returns the value kept under key, computing and keeping it when absent; with on
// false it only computes. A failed computation is not kept, nor shared: a caller that
// waited for it computes in turn (the failure may be the other caller's cancelled
// context).
func (k *kept[V]) get(on bool, key string, compute func() (V, error)) (V, error) {
	if !on {
		return compute()
	}
	k.mu.Lock()
	if v, ok := k.m[key]; ok {
		k.mu.Unlock()
		return v, nil
	}
	if fl, ok := k.inflight[key]; ok {
		k.mu.Unlock()
		<-fl.done
		if fl.err == nil {
			return fl.v, nil
		}
		return k.get(on, key, compute)
	}
	fl := &flight[V]{done: make(chan struct{})}
	if k.inflight == nil {
		k.inflight = map[string]*flight[V]{}
	}
	k.inflight[key] = fl
	k.mu.Unlock()
	defer close(fl.done)
	fl.v, fl.err = compute()
	k.mu.Lock()
	defer k.mu.Unlock()
	delete(k.inflight, key)
	if fl.err != nil {
		return fl.v, fl.err
	}
	if k.m == nil || len(k.m) >= k.max {
		k.m = map[string]V{}
	}
	k.m[key] = fl.v
	return fl.v, nil
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

// slowCache holds what the engine keeps between calls: always the force records of
// every state from the decades read and those of the focal states asked for (keyed with
// the stored coverage, so that a new import gives a new load), and with KeepFacts the facts of recent spans, the lagged scores and the
// vote coverage. Reweighted copies of an engine share it.
type slowCache struct {
	keepFacts bool // KeepFacts was called
	force     kept[*forceData]
	forceRows kept[*forceRowSet]
	facts     kept[*facts]
	lags      kept[map[string]float64]
	voteCov   kept[[]entente.SourceCoverage]
	forceCov  kept[[]entente.SourceYears]
}

func newSlowCache() *slowCache {
	return &slowCache{
		force:     kept[*forceData]{max: 256}, // focal states: every state, so that the panel reads each once a decade
		forceRows: kept[*forceRowSet]{max: 4}, // decades
		facts:     kept[*facts]{max: 8},       // spans of dates
		lags:      kept[map[string]float64]{max: 256},
		voteCov:   kept[[]entente.SourceCoverage]{max: 1},
		forceCov:  kept[[]entente.SourceYears]{max: 1},
	}
}
