// blocking: the http units while CPU-bound units run beside them (C7 in practice): a
// goroutine per CPU unit beside the request goroutines. Go has one scheduler for every
// goroutine and preempts one that computes too long, so there is no separate pool to hand
// the work to: the offloaded form is not Go's.

package main

import "sync"

type blockingPlan struct {
	HTTP     httpPlan `json:"http"`
	CPUTasks uint64   `json:"cpu_tasks"`
	Iters    uint64   `json:"iters"`
	Mode     string   `json:"mode"`
}

func blocking(v variant, p blockingPlan) (map[string]any, error) {
	switch {
	case v.sequential:
		return nil, unsupported("one unit after another has no requests in flight beside the CPU work")
	case p.Mode == "offload":
		return nil, unsupported("Go schedules every goroutine on one scheduler, which preempts a goroutine that computes: it has no separate pool to offload CPU work to")
	case p.HTTP.Rate != nil:
		return nil, unsupported("the Go peer sends as fast as answers come (a closed loop)")
	}
	c := max(p.HTTP.Concurrency, 1)
	client, err := newClient(p.HTTP, c)
	if err != nil {
		return nil, err
	}
	defer client.CloseIdleConnections()
	r := newHTTPRun(p.HTTP)
	var io, cpu sync.WaitGroup
	clock := startClock()
	spawnRequests(v, r, client, c, &io)
	if p.Mode == "inline" {
		for i := range p.CPUTasks {
			cpu.Add(1)
			v.spawn(func() { defer cpu.Done(); cpuUnit(i, p.Iters) })
		}
	}
	clock.started()
	io.Wait()
	window := clock.stop()
	cpu.Wait()
	return r.report(window, c, workers(v, c), httpKnobs(v, p.HTTP, c)), nil
}
