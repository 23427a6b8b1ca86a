package http

import (
	"container/list"
	"context"
	"sync"
)

// cache keeps encoded responses of expensive calls (a ranking, a drift) by a key made
// of the canonical request (route, state IDs, dates), least recently used evicted
// first when the bytes held pass the limit. The store does not change while a server
// runs (imports need the store to themselves), so entries never go stale.
//
// Concurrent misses of one key share one computation: the first caller computes, the
// others wait for its result (a hand-written singleflight).
type cache struct {
	mu       sync.Mutex
	limit    int64
	size     int64
	ll       *list.List // of *entry, most recent first
	entries  map[string]*list.Element
	inflight map[string]*call
}

type entry struct {
	key  string
	val  any
	size int64
}

type call struct {
	done chan struct{}
	val  any
	err  error
}

func newCache(limit int64) *cache {
	return &cache{limit: limit, ll: list.New(), entries: map[string]*list.Element{}, inflight: map[string]*call{}}
}

// get returns the cached value of key, or computes it with fill (which also returns
// the value's size in bytes, or an estimate), caches it and returns it. Errors are not
// cached. hit reports whether no computation was needed.
func (c *cache) get(ctx context.Context, key string, fill func() (any, int64, error)) (val any, hit bool, err error) {
	c.mu.Lock()
	if el, ok := c.entries[key]; ok {
		c.ll.MoveToFront(el)
		c.mu.Unlock()
		return el.Value.(*entry).val, true, nil
	}
	if cl, ok := c.inflight[key]; ok {
		c.mu.Unlock()
		select {
		case <-cl.done:
			return cl.val, true, cl.err
		case <-ctx.Done():
			return nil, false, ctx.Err()
		}
	}
	cl := &call{done: make(chan struct{})}
	c.inflight[key] = cl
	c.mu.Unlock()

	// The computation runs apart from its first caller, so that this caller, like the
	// others, gives up at its own deadline and always gets an answer in time; the
	// computation, under its own budget, still fills the cache for the next request.
	go func() {
		val, size, err := fill()
		c.mu.Lock()
		cl.val, cl.err = val, err
		delete(c.inflight, key)
		if err == nil {
			c.add(key, val, size)
		}
		c.mu.Unlock()
		close(cl.done)
	}()
	select {
	case <-cl.done:
		return cl.val, false, cl.err
	case <-ctx.Done():
		return nil, false, ctx.Err()
	}
}

func (c *cache) add(key string, val any, size int64) {
	if size > c.limit {
		return
	}
	c.entries[key] = c.ll.PushFront(&entry{key, val, size})
	c.size += size
	for c.size > c.limit {
		el := c.ll.Back()
		e := el.Value.(*entry)
		c.ll.Remove(el)
		delete(c.entries, e.key)
		c.size -= e.size
	}
}

func (c *cache) stats() (n int, size int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.entries), c.size
}
