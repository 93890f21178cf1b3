// switch: a token passed around a ring of units through unbuffered channels, every hand-over
// a switch (C4): the receiving goroutine is made runnable by the Go scheduler, a locked one
// by waking its OS thread. One after another, the token passes through a local variable: the
// loop's own cost.

package main

import "time"

type switchPlan struct {
	Units        int    `json:"units"`
	Hops         uint64 `json:"hops"`
	Passes       int    `json:"passes"`
	WarmupPasses int    `json:"warmup_passes"`
	Medium       string `json:"medium"`
}

// stop is the ring's last token: every unit forwards it and stops.
const stop = ^uint64(0)

// passes times the passes of a ring: untimed warm-up passes, then timed ones, the window
// over the timed ones only (tvc_core::Passes).
func passes(p switchPlan, pass func()) (map[string]any, []float64) {
	var clock *clock
	timed := make([]float64, 0, p.Passes)
	for i := 0; i < p.WarmupPasses+max(p.Passes, 1); i++ {
		if i == p.WarmupPasses {
			clock = startClock()
		}
		start := time.Now()
		pass()
		if i >= p.WarmupPasses {
			timed = append(timed, float64(time.Since(start).Nanoseconds())/1e6)
		}
	}
	return clock.stop(), timed
}

func switchRing(v variant, p switchPlan) (map[string]any, error) {
	units, hops := max(p.Units, 2), p.Hops
	var check uint64
	if v.sequential {
		window, timed := passes(p, func() {
			token := uint64(0)
			for token != hops {
				token++
			}
			check += token
		})
		knobs := append(v.knobs(), [2]any{"ring", "units in one loop"})
		return report(window, 1, knobs, check, nil, timed), nil
	}
	inboxes := make([]chan uint64, units)
	for i := range inboxes {
		inboxes[i] = make(chan uint64)
	}
	done := make(chan uint64)
	forwarded := make([]uint64, units)
	for i := range units {
		inbox, next := inboxes[i], inboxes[(i+1)%units]
		v.spawn(func() {
			for token := range inbox {
				switch {
				case token == stop:
					next <- stop
					return
				case token == hops:
					done <- token
				default:
					next <- token + 1
					forwarded[i]++
				}
			}
		})
	}
	window, timed := passes(p, func() {
		inboxes[0] <- 0
		check += <-done
	})
	inboxes[0] <- stop
	<-inboxes[0] // the stop, back round the ring: every unit has forwarded it
	knobs := append(v.knobs(), [2]any{"channel", "unbuffered chan uint64"})
	r := report(window, workers(v, units), knobs, check, nil, timed)
	r["forwarded"] = forwarded
	return r, nil
}
