// shared-state: K units increment one counter (C5), behind a sync.Mutex, as an atomic, or
// with no lock at all. Go compiles the last without a word (the race detector, `go test
// -race`, would flag it): goroutines run in parallel on every core and the scheduler can
// preempt one anywhere, so unlocked increments are lost, in either form.

package main

import (
	"runtime"
	"sync"
	"sync/atomic"
)

type sharedPlan struct {
	Units      int    `json:"units"`
	Increments uint64 `json:"increments"`
	Lock       string `json:"lock"`
}

// yieldEvery: units yield to the others after this many increments, so they interleave
// (tvc_core::work::YIELD_EVERY).
const yieldEvery = 64

//go:noinline
func addOne(value uint64) uint64 { return value + 1 }

func shared(v variant, p sharedPlan) (map[string]any, error) {
	var (
		mutex   sync.Mutex
		counter uint64
		atomics atomic.Uint64
	)
	var increment func()
	switch p.Lock {
	case "mutex":
		increment = func() { mutex.Lock(); counter++; mutex.Unlock() }
	case "atomic":
		increment = func() { atomics.Add(1) }
	case "none":
		increment = func() { counter++ }
	case "none-call":
		increment = func() { counter = addOne(counter) }
	default:
		return nil, unsupported("no lock " + p.Lock)
	}
	unit := func() {
		for j := uint64(1); j <= p.Increments; j++ {
			increment()
			if j%yieldEvery == 0 && !v.sequential {
				runtime.Gosched()
			}
		}
	}
	clock := startClock()
	if v.sequential {
		for range p.Units {
			unit()
		}
	} else {
		var units sync.WaitGroup
		for range p.Units {
			units.Add(1)
			v.spawn(func() { defer units.Done(); unit() })
		}
		units.Wait()
	}
	window := clock.stop()
	count := counter + atomics.Load()
	knobs := append(v.knobs(), [2]any{"lock", p.Lock})
	return report(window, workers(v, p.Units), knobs, count, nil, nil), nil
}
