// Command tvcpeer is tvc's Go peer: started once by a tvc worker and kept for the worker's
// life, it reads one request per line on stdin (the workload, the model's variant and the
// plan, as JSON), runs it, and answers with one line starting with "TVC-PEER ": the result,
// or why it could not run. The warm-up runs come first and the measured run last, so the
// program's start-up is paid once, outside every window.
//
// Variants: "default" is a goroutine per unit with GOMAXPROCS = the cores; "gomaxprocs=1"
// the same on one thread (Go's analogue of a single-threaded executor); "lockosthread" each
// goroutine locked to an OS thread of its own (threads, in Go); "sequential" the units one
// after another, Go's baseline.
package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
)

const prefix = "TVC-PEER "

// errUnsupported marks a workload the variant cannot express; its text says why.
var errUnsupported = errors.New("unsupported")

func unsupported(why string) error { return fmt.Errorf("%w: %s", errUnsupported, why) }

// variant is how the units of a run are scheduled.
type variant struct {
	name       string
	sequential bool
	lockThread bool
	procs      int // GOMAXPROCS for the run
}

func variantOf(name string) (variant, error) {
	cores := runtime.NumCPU()
	switch name {
	case "default":
		return variant{name: name, procs: cores}, nil
	case "gomaxprocs=1":
		return variant{name: name, procs: 1}, nil
	case "lockosthread":
		return variant{name: name, lockThread: true, procs: cores}, nil
	case "sequential":
		return variant{name: name, sequential: true, procs: cores}, nil
	}
	return variant{}, fmt.Errorf("no variant %q", name)
}

// spawn starts one unit as the variant says: a goroutine, locked to an OS thread of its own
// for lockosthread.
func (v variant) spawn(unit func()) {
	go func() {
		if v.lockThread {
			runtime.LockOSThread()
		}
		unit()
	}()
}

func (v variant) knobs() [][2]any {
	return [][2]any{{"go", runtime.Version()}, {"gomaxprocs", runtime.GOMAXPROCS(0)}}
}

type request struct {
	Workload string          `json:"workload"`
	Variant  string          `json:"variant"`
	Plan     json.RawMessage `json:"plan"`
}

func run(r request) (map[string]any, error) {
	v, err := variantOf(r.Variant)
	if err != nil {
		return nil, err
	}
	// Locked goroutines each hold a thread: let the machine's limits, not Go's default of
	// 10 000 threads, say where they stop.
	debug.SetMaxThreads(1 << 20)
	previous := runtime.GOMAXPROCS(v.procs)
	defer runtime.GOMAXPROCS(previous)
	decode := func(plan any) error { return json.Unmarshal(r.Plan, plan) }
	switch r.Workload {
	case "http":
		var p httpPlan
		if err := decode(&p); err != nil {
			return nil, err
		}
		return httpWorkload(v, p)
	case "park":
		var p parkPlan
		if err := decode(&p); err != nil {
			return nil, err
		}
		return park(v, p)
	case "switch":
		var p switchPlan
		if err := decode(&p); err != nil {
			return nil, err
		}
		if p.Medium == "socket" {
			return switchIO(v, p)
		}
		return switchRing(v, p)
	case "cpu":
		var p cpuPlan
		if err := decode(&p); err != nil {
			return nil, err
		}
		return cpu(v, p)
	case "blocking":
		var p blockingPlan
		if err := decode(&p); err != nil {
			return nil, err
		}
		return blocking(v, p)
	case "shared-state":
		var p sharedPlan
		if err := decode(&p); err != nil {
			return nil, err
		}
		return shared(v, p)
	}
	return nil, fmt.Errorf("no workload %q", r.Workload)
}

func answer(line []byte) map[string]any {
	var r request
	if err := json.Unmarshal(line, &r); err != nil {
		return map[string]any{"error": "the request could not be read: " + err.Error()}
	}
	rssWindow := resetPeakRSS()
	result, err := run(r)
	if errors.Is(err, errUnsupported) {
		return map[string]any{"unsupported": err.Error()[len("unsupported: "):]}
	}
	if err != nil {
		return map[string]any{"error": err.Error()}
	}
	status := readStatus()
	result["peak_rss_kib"] = status["VmHWM"]
	result["rss_window"] = rssWindow
	result["vm_peak_kib"] = status["VmPeak"]
	return result
}

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<26)
	out := bufio.NewWriter(os.Stdout)
	fmt.Fprintf(out, "%s{\"hello\":%q}\n", prefix, runtime.Version())
	out.Flush()
	for in.Scan() {
		if len(in.Bytes()) == 0 {
			continue
		}
		reply, err := json.Marshal(answer(in.Bytes()))
		if err != nil {
			reply = []byte(`{"error":"the answer could not be written"}`)
		}
		fmt.Fprintf(out, "%s%s\n", prefix, reply)
		out.Flush()
	}
}
