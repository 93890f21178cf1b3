#!/usr/bin/env bash
# bench-loopback.sh: tvc's throughput ceiling on loopback, side by side with wrk.
#
# With no injected delay (delay 0) every request costs only CPU, so this measures how fast
# the harness itself can go, against two yardsticks:
#   1. wrk against `tvc serve`                       (the server's ceiling, with a C client)
#   2. every tvc model against `tvc serve`           (`tvc run --target`, one model at a time)
#   3. wrk against a minimal hyper server            (crates/mock-server/examples/ref-server.rs)
# and prints two ratios:
#   tvc serve / reference server   (wrk req/s on each; target >= 0.9): what the mock server's
#                                   own work per request (query, counters, headers) costs;
#   best tvc client / wrk          (req/s against tvc serve; target >= 0.9): how close the
#                                   fastest model comes to a dedicated load generator.
#
# Client and server share the machine's cores (2 on the study machine): every figure is the
# pair's, not the server's or the client's alone, and anything else running (a build) lowers
# it. Run it on a quiet machine. Both servers use a default tokio multi-thread runtime, one
# worker thread per core.
#
# Not part of the test suite or CI. Needs cargo, python3 (to read raw.csv) and wrk (installed
# with apt-get when missing and running as root). Knobs, all printed with the results:
#   DURATION=10s WRK_THREADS=2 WRK_CONNECTIONS=64      wrk, the same for both servers
#   ROUNDS=3                                           wrk runs per server, alternating
#                                                      between them; the median is shown
#   N=200000 CONCURRENCY=64 REPETITIONS=1 WARMUP=1     tvc run (sequential runs at C = 1)
#   MODELS="sequential threads rayon rayon:pool=c tokio async-std smol"
#   OUT=results/bench-loopback.md
# A short smoke run: DURATION=2s N=20000 scripts/bench-loopback.sh
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD

DURATION=${DURATION:-10s}
WRK_THREADS=${WRK_THREADS:-2}
WRK_CONNECTIONS=${WRK_CONNECTIONS:-64}
N=${N:-200000}
CONCURRENCY=${CONCURRENCY:-64}
ROUNDS=${ROUNDS:-3}
REPETITIONS=${REPETITIONS:-3}
WARMUP=${WARMUP:-1}
MODELS=${MODELS:-"sequential threads rayon rayon:pool=c tokio async-std smol"}
OUT=${OUT:-results/bench-loopback.md}
TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}

die() {
    echo "bench-loopback: $*" >&2
    exit 1
}

command -v cargo >/dev/null || die "cargo is needed"
command -v python3 >/dev/null || die "python3 is needed (it reads raw.csv)"
if ! command -v wrk >/dev/null; then
    if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
        echo "== installing wrk ==" >&2
        apt-get install -y wrk >&2 || { apt-get update >&2 && apt-get install -y wrk >&2; }
    fi
    command -v wrk >/dev/null || die "wrk is needed (apt-get install wrk)"
fi

echo "== building tvc and the reference server (release) ==" >&2
cargo build --release --locked -p tvc --bin tvc -p tvc-mock-server --example ref-server >&2
TVC=$TARGET_DIR/release/tvc
REF=$TARGET_DIR/release/examples/ref-server
[ -x "$TVC" ] && [ -x "$REF" ] || die "no binaries under $TARGET_DIR/release"

WORK=$(mktemp -d -t tvc-bench-loopback.XXXXXX)
SERVER_PID=
SERVER_PIDS=
cleanup() {
    for pid in $SERVER_PIDS; do
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    rm -rf "$WORK"
}
trap cleanup EXIT

# Starts a server that prints its URL on its first stdout line; sets SERVER_PID and URL.
start_server() {
    local name=$1
    shift
    "$@" >"$WORK/$name.out" 2>"$WORK/$name.err" &
    SERVER_PID=$!
    SERVER_PIDS="$SERVER_PIDS $SERVER_PID"
    URL=
    for _ in $(seq 200); do
        URL=$(head -n 1 "$WORK/$name.out" 2>/dev/null || true)
        case $URL in http://*) return 0 ;; esac
        kill -0 "$SERVER_PID" 2>/dev/null || break
        sleep 0.1
    done
    cat "$WORK/$name.err" >&2
    die "$name did not print its address"
}


# One result per line, tab-separated: client, server, req/s, p99 ms.
RESULTS=$WORK/results.tsv
: >"$RESULTS"

# wrk's req/s and its 99th percentile latency converted to ms, one line per round.
WRK_ROUNDS=$WORK/wrk-rounds.tsv
: >"$WRK_ROUNDS"
run_wrk() {
    local server=$1 url=$2 out=$WORK/wrk-$1.txt
    echo "== wrk -t$WRK_THREADS -c$WRK_CONNECTIONS -d$DURATION --latency against $server ($url) ==" >&2
    wrk -t"$WRK_THREADS" -c"$WRK_CONNECTIONS" -d"$DURATION" --latency "$url/" >"$out"
    cat "$out" >&2
    awk -v server="$server" '
        function ms(v) {
            if (v ~ /us$/) return v * 0.001
            if (v ~ /ms$/) return v + 0
            if (v ~ /m$/) return v * 60000
            if (v ~ /s$/) return v * 1000
            return v
        }
        $1 == "Requests/sec:" { rps = $2 }
        $1 == "99%" { p99 = ms($2) }
        END {
            if (rps == "" || p99 == "") { print "wrk printed no Requests/sec or 99% line" > "/dev/stderr"; exit 1 }
            printf "wrk\t%s\t%.0f\t%.3f\n", server, rps, p99
        }' "$out" >>"$WRK_ROUNDS"
}

# 1. wrk against tvc serve and against the reference server, alternating round by round so
#    slow drift of the machine falls on both alike; both run throughout, idle in between.
start_server "tvc-serve" "$TVC" serve --addr 127.0.0.1:0
SERVE_URL=$URL
start_server "ref-server" "$REF" 127.0.0.1:0
REF_URL=$URL
for round in $(seq "$ROUNDS"); do
    echo "== wrk round $round of $ROUNDS ==" >&2
    run_wrk "tvc serve" "$SERVE_URL"
    run_wrk "hyper reference" "$REF_URL"
done
# The median of each server's rounds.
python3 - "$WRK_ROUNDS" >>"$RESULTS" <<'EOF'
import statistics, sys
rounds = {}
for line in open(sys.argv[1]):
    tool, server, rps, p99 = line.rstrip("\n").split("\t")
    rounds.setdefault(server, []).append((float(rps), float(p99)))
for server in ("tvc serve", "hyper reference"):
    rs = rounds.get(server, [])
    if rs:
        rps = statistics.median(r for r, _ in rs)
        p99 = statistics.median(p for _, p in rs)
        print(f"wrk\t{server}\t{rps:.0f}\t{p99:.3f}")
EOF

# 2. Every tvc model against the same tvc serve: one experiment, one point per model.
models_toml=$(printf '"%s", ' $MODELS)
cat >"$WORK/bench-loopback.toml" <<EOF
name = "bench-loopback"
about = "delay 0 on loopback: the harness's own throughput ceiling"
workload = "http"
models = [${models_toml%, }]
repetitions = $REPETITIONS
warmup = $WARMUP

[http]
n = $N
concurrency = $CONCURRENCY
delay_ms = 0
keep_alive = true
EOF
echo "== tvc run: $MODELS; n=$N C=$CONCURRENCY, $REPETITIONS repetition(s) after $WARMUP warm-up, against $SERVE_URL ==" >&2
"$TVC" run "$WORK/bench-loopback.toml" --out "$WORK/runs" --target "$SERVE_URL/" >"$WORK/run.out"
RUN_DIR=$(tail -n 1 "$WORK/run.out")
[ -f "$RUN_DIR/raw.csv" ] || die "tvc run wrote no raw.csv (stdout ended with: $RUN_DIR)"
# The median over repetitions of each model's req/s and p99; a model with no ok row says so.
python3 - "$RUN_DIR/raw.csv" >>"$RESULTS" <<'EOF'
import csv, statistics, sys
rows = {}
for r in csv.DictReader(open(sys.argv[1], newline="")):
    name = r["model"] if r["variant"] == "default" else f'{r["model"]}:{r["variant"]}'
    rows.setdefault(name, []).append(r)
for name, rs in rows.items():
    ok = [r for r in rs if r["status"] == "ok"]
    # rayon's default pool runs only as many requests at once as it has threads.
    c, in_flight = rs[0]["concurrency"], rs[0]["in_flight"]
    label = f"tvc {name} (C={c})" if in_flight in ("", c) else f"tvc {name} (C={c}, {in_flight} in flight)"
    if not ok:
        why = "; ".join(sorted({f'{r["status"]}: {r["reason"]}' for r in rs}))
        print(f"{name}: no ok row ({why})", file=sys.stderr)
        print(f"{label}\ttvc serve\t-\t-")
        continue
    rps = statistics.median(float(r["throughput_per_s"]) for r in ok)
    p99 = statistics.median(float(r["p99_ms"]) for r in ok)
    print(f"{label}\ttvc serve\t{rps:.0f}\t{p99:.3f}")
EOF

# The table and the two ratios.
mkdir -p "$(dirname "$OUT")"
{
    echo "# tvc throughput ceiling on loopback"
    echo
    echo "$(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores shared by client and server," \
        "$(uname -sr), tvc $(git rev-parse --short HEAD 2>/dev/null || echo '?')."
    echo "wrk: -t$WRK_THREADS -c$WRK_CONNECTIONS -d$DURATION --latency, $ROUNDS rounds per server alternating, median shown (DURATION, WRK_THREADS, WRK_CONNECTIONS, ROUNDS)."
    echo "tvc run: n=$N, concurrency=$CONCURRENCY (sequential: 1), delay 0, keep-alive," \
        "$REPETITIONS repetition(s) after $WARMUP warm-up, median shown (N, CONCURRENCY, REPETITIONS, WARMUP, MODELS)."
    echo "Both servers: a default tokio multi-thread runtime ($(nproc) workers), GET / with an empty body."
    echo
    awk -F'\t' '
        BEGIN { print "| tool / client | server | req/s | p99 ms |"; print "|---|---|---:|---:|" }
        { print "| " $1 " | " $2 " | " $3 " | " $4 " |" }
        $1 == "wrk" && $2 == "tvc serve" { wrk_serve = $3 }
        $1 == "wrk" && $2 == "hyper reference" { wrk_ref = $3 }
        $1 != "wrk" && $3 != "-" && $3 + 0 > best { best = $3 + 0; best_name = $1 }
        function verdict(r) { return r >= 0.9 ? "meets the target of 0.9" : "below the target of 0.9" }
        END {
            print ""
            if (wrk_ref > 0) {
                r = wrk_serve / wrk_ref
                printf "- tvc serve / reference server (wrk req/s): %.0f / %.0f = **%.2f** (%s)\n", wrk_serve, wrk_ref, r, verdict(r)
            }
            if (wrk_serve > 0 && best > 0) {
                r = best / wrk_serve
                printf "- best tvc client / wrk (req/s against tvc serve): %s, %.0f / %.0f = **%.2f** (%s)\n", best_name, best, wrk_serve, r, verdict(r)
            }
        }' "$RESULTS"
} >"$OUT"
cat "$OUT"
echo "written to $OUT" >&2
