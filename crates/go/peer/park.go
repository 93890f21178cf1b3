// park: N units alive at once, each blocked on one channel until it is closed, and the
// memory they hold (C3). A goroutine starts with a small stack that grows by copying; a
// locked one holds an OS thread besides.

package main

import "sync"

type parkPlan struct {
	N int64 `json:"n"`
}

func park(v variant, p parkPlan) (map[string]any, error) {
	if v.sequential {
		return nil, unsupported("one unit after another never has two units alive at once: it parks nothing")
	}
	release := make(chan struct{})
	var units sync.WaitGroup
	probe := newParkProbe(p.N)
	clock := startClock()
	for i := int64(0); i < p.N; i++ {
		units.Add(1)
		v.spawn(func() {
			defer units.Done()
			probe.arrive()
			<-release
		})
	}
	probe.spawned()
	probe.waitAll()
	figures := probe.parked()
	close(release)
	units.Wait()
	return report(clock.stop(), workers(v, int(p.N)), v.knobs(), nil, figures, nil), nil
}

// workers is how many OS threads carry the units: one each when locked, else GOMAXPROCS.
func workers(v variant, units int) int {
	switch {
	case v.sequential:
		return 1
	case v.lockThread:
		return units
	}
	return v.procs
}
