// What every workload file shares, as tvc-core is for the Rust models: the measured window
// (clock), the park probe, the process readings they need, and the result's shape.

package main

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"
)

// readStatus reads a few lines of /proc/self/status (kB; Threads a count).
func readStatus() map[string]int64 {
	found := map[string]int64{}
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return found
	}
	defer f.Close()
	lines := bufio.NewScanner(f)
	for lines.Scan() {
		key, value, ok := strings.Cut(lines.Text(), ":")
		if !ok {
			continue
		}
		switch key {
		case "Threads", "VmSize", "VmPeak", "VmRSS", "VmHWM":
			fields := strings.Fields(value)
			if len(fields) > 0 {
				found[key], _ = strconv.ParseInt(fields[0], 10, 64)
			}
		}
	}
	return found
}

// readKernelMemory reads what the kernel holds for all processes (/proc/meminfo): the
// memory a thread costs that its process's RSS does not show.
func readKernelMemory() map[string]int64 {
	names := map[string]string{
		"KernelStack": "kernel_stack_kib",
		"PageTables":  "page_tables_kib",
		"SUnreclaim":  "slab_unreclaim_kib",
	}
	found := map[string]int64{"kernel_stack_kib": 0, "page_tables_kib": 0, "slab_unreclaim_kib": 0}
	f, err := os.Open("/proc/meminfo")
	if err != nil {
		return found
	}
	defer f.Close()
	lines := bufio.NewScanner(f)
	for lines.Scan() {
		key, value, ok := strings.Cut(lines.Text(), ":")
		if name, known := names[key]; ok && known {
			fields := strings.Fields(value)
			if len(fields) > 0 {
				found[name], _ = strconv.ParseInt(fields[0], 10, 64)
			}
		}
	}
	return found
}

// resetPeakRSS resets this process's high-water mark (VmHWM); false where
// /proc/self/clear_refs cannot be written (the peak is then the whole life's), or where
// TVC_NO_CLEAR_REFS=1 says to act as if (tests of the fallback).
func resetPeakRSS() bool {
	if os.Getenv("TVC_NO_CLEAR_REFS") == "1" {
		return false
	}
	return os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) == nil
}

func usageNow() syscall.Rusage {
	var r syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &r)
	return r
}

// clock is the measured window: started where the first unit is about to be spawned,
// stopped where the last one has been joined.
type clock struct {
	start   time.Time
	usage   syscall.Rusage
	threads int64
}

func startClock() *clock {
	u := usageNow()
	return &clock{usage: u, start: time.Now()}
}

// started notes the threads the process has once every unit is running.
func (c *clock) started() {
	c.threads = max(c.threads, readStatus()["Threads"])
}

func (c *clock) stop() map[string]any {
	wall := time.Since(c.start)
	after := usageNow()
	c.started()
	ms := func(t syscall.Timeval) float64 { return float64(t.Sec)*1e3 + float64(t.Usec)/1e3 }
	return map[string]any{
		"wall_ms": float64(wall.Nanoseconds()) / 1e6,
		"usage": map[string]any{
			"user_ms":            ms(after.Utime) - ms(c.usage.Utime),
			"sys_ms":             ms(after.Stime) - ms(c.usage.Stime),
			"vol_ctx_switches":   after.Nvcsw - c.usage.Nvcsw,
			"invol_ctx_switches": after.Nivcsw - c.usage.Nivcsw,
			"max_rss_kib":        after.Maxrss,
		},
		"threads": c.threads,
	}
}

// report is the result of a workload that makes no request.
func report(window map[string]any, workers int, knobs [][2]any, check any, park any, passes []float64) map[string]any {
	if passes == nil {
		passes = []float64{}
	}
	return map[string]any{
		"window":    window,
		"workers":   workers,
		"knobs":     knobs,
		"check":     check,
		"park":      park,
		"passes_ms": passes,
	}
}

// parkProbe reads memory (the process's and the kernel's) before the units are spawned
// and once all are parked, and counts them in as they start: tvc_core::probe::ParkProbe.
type parkProbe struct {
	n                        int64
	count                    atomic.Int64
	first, last, spawnedAt   atomic.Int64
	start                    time.Time
	baseline, baselineKernel map[string]int64
}

func newParkProbe(n int64) *parkProbe {
	p := &parkProbe{n: n, baseline: readStatus(), baselineKernel: readKernelMemory()}
	p.start = time.Now()
	return p
}

// arrive is called first thing in every unit.
func (p *parkProbe) arrive() {
	k := p.count.Add(1)
	if k == 1 || k == p.n {
		ns := time.Since(p.start).Nanoseconds()
		if k == 1 {
			p.first.Store(ns)
		}
		if k == p.n {
			p.last.Store(ns)
		}
	}
}

// spawned is called right after the last spawn returns.
func (p *parkProbe) spawned() { p.spawnedAt.Store(time.Since(p.start).Nanoseconds()) }

func (p *parkProbe) waitAll() {
	for p.count.Load() < p.n {
		time.Sleep(200 * time.Microsecond)
	}
}

// parked is called once every unit has checked in, before releasing them.
func (p *parkProbe) parked() map[string]any {
	spawn := time.Since(p.start)
	now := readStatus()
	ms := func(ns int64) float64 { return float64(ns) / 1e6 }
	return map[string]any{
		"n":                p.n,
		"spawn_ms":         ms(spawn.Nanoseconds()),
		"created_ms":       ms(p.spawnedAt.Load()),
		"first_run_ms":     ms(p.first.Load()),
		"all_started_ms":   ms(p.last.Load()),
		"baseline_rss_kib": p.baseline["VmRSS"],
		"baseline_vm_kib":  p.baseline["VmSize"],
		"parked_rss_kib":   now["VmRSS"],
		"parked_vm_kib":    now["VmSize"],
		"parked_threads":   now["Threads"],
		"baseline_kernel":  p.baselineKernel,
		"parked_kernel":    readKernelMemory(),
	}
}

// cpuUnit is one unit of CPU work: iters rounds of a splitmix64 step seeded by the unit's
// index, as tvc_core::work::cpu_unit.
//
//go:noinline
func cpuUnit(index, iters uint64) uint64 {
	x := index*0x9E3779B97F4A7C15 ^ 0xD1B54A32D192ED03
	for i := uint64(0); i < iters; i++ {
		x += 0x9E3779B97F4A7C15
		z := x
		z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
		z = (z ^ (z >> 27)) * 0x94D049BB133111EB
		x ^= z ^ (z >> 31)
	}
	return x
}
