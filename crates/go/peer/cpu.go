// cpu: N units of the same CPU-bound work, the speedup against one after another (C7).
// Goroutines run on every core, and the scheduler preempts one that never yields, so CPU
// work needs nothing of the program but the goroutines.

package main

import "sync"

type cpuPlan struct {
	N     uint64 `json:"n"`
	Iters uint64 `json:"iters"`
}

func cpu(v variant, p cpuPlan) (map[string]any, error) {
	results := make([]uint64, p.N)
	clock := startClock()
	if v.sequential {
		for i := range p.N {
			results[i] = cpuUnit(i, p.Iters)
		}
	} else {
		var units sync.WaitGroup
		for i := range p.N {
			units.Add(1)
			v.spawn(func() {
				defer units.Done()
				results[i] = cpuUnit(i, p.Iters)
			})
		}
		clock.started()
		units.Wait()
	}
	window := clock.stop()
	var check uint64
	for _, r := range results {
		check ^= r
	}
	return report(window, workers(v, int(p.N)), v.knobs(), check, nil, nil), nil
}
