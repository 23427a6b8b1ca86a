package http

import (
	"context"
	nethttp "net/http"
	"sync/atomic"
	"time"
)

// admission bounds the expensive computations (a ranking at a date not yet cached, a
// drift, an explanation) that run at once: at most cap(slots) compute, at most
// maxQueue more wait, each for at most wait; anything beyond is refused at once with
// 503 and Retry-After, so that under saturation the server answers fast and never
// drops a connection, and its memory stays bounded by the work it admitted.
type admission struct {
	slots    chan struct{}
	queued   atomic.Int64
	maxQueue int64
	wait     time.Duration
	refused  atomic.Int64 // requests refused, for the metrics
}

func newAdmission(workers, queue int, wait time.Duration) *admission {
	return &admission{slots: make(chan struct{}, workers), maxQueue: int64(queue), wait: wait}
}

// errBusy is the refusal of a computation the server has no room for.
var errBusy = &statusError{nethttp.StatusServiceUnavailable, "overloaded",
	"the server is busy with other expensive requests; retry after the time in Retry-After"}

// acquire takes a computation slot, waiting in the queue if all are taken; it returns
// errBusy when the queue is full or the wait runs out, ctx's error when ctx ends first.
// Call release exactly once after a nil error.
func (a *admission) acquire(ctx context.Context) (release func(), err error) {
	select {
	case a.slots <- struct{}{}:
		return a.release, nil
	default:
	}
	if a.queued.Add(1) > a.maxQueue {
		a.queued.Add(-1)
		a.refused.Add(1)
		return nil, errBusy
	}
	defer a.queued.Add(-1)
	t := time.NewTimer(a.wait)
	defer t.Stop()
	select {
	case a.slots <- struct{}{}:
		return a.release, nil
	case <-t.C:
		a.refused.Add(1)
		return nil, errBusy
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (a *admission) release() { <-a.slots }

// retryAfter is the Retry-After of a 503 or 429, in seconds: about the time the
// admitted work needs to drain.
func (a *admission) retryAfter() string {
	if a == nil {
		return "1"
	}
	n := int64(len(a.slots)) + a.queued.Load()
	switch {
	case n <= int64(cap(a.slots)):
		return "1"
	case n <= 4*int64(cap(a.slots)):
		return "2"
	}
	return "5"
}
