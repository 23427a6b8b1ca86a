package index

import (
	"errors"
	"sync"
	"sync/atomic"
	"testing"
)

// TestKeptOneComputation: callers that want a key being computed wait for that
// computation and share its value; a failure is not shared (each caller computes in
// turn) nor kept.
func TestKeptOneComputation(t *testing.T) {
	var k kept[int]
	k.max = 4
	var calls atomic.Int32
	release := make(chan struct{})
	compute := func() (int, error) {
		calls.Add(1)
		<-release
		return 42, nil
	}
	var wg sync.WaitGroup
	got := make([]int, 8)
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got[i], _ = k.get(true, "a", compute)
		}()
	}
	for calls.Load() == 0 {
		// wait for the first computation to start
	}
	close(release)
	wg.Wait()
	if n := calls.Load(); n != 1 {
		t.Errorf("8 callers of one key computed it %d times; want 1", n)
	}
	for i, v := range got {
		if v != 42 {
			t.Errorf("caller %d got %d; want 42", i, v)
		}
	}
	errFail := errors.New("fail")
	fails := 0
	for range 2 {
		if _, err := k.get(true, "b", func() (int, error) { fails++; return 0, errFail }); !errors.Is(err, errFail) {
			t.Errorf("failed computation: error %v; want %v", err, errFail)
		}
	}
	if fails != 2 || k.has(true, "b") {
		t.Errorf("a failed computation was kept: %d computations, kept %v; want 2, false", fails, k.has(true, "b"))
	}
	if k.has(false, "a") || !k.has(true, "a") {
		t.Error("has: a kept key is reported only when keeping is on")
	}
}
