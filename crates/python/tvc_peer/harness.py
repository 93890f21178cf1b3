"""What every Python program of tvc's shares, as tvc-core is for the Rust models: the
measured window (Clock), the record of an HTTP run (HttpRun), the park probe (ParkProbe) and
the process readings they need. Kept apart from the workload files so those read like the
Rust model files: plan in, the same loop, one result out.

A window covers what a Rust model's does: from the first unit about to be spawned to the
last one joined. The interpreter's start-up, imports, building a client or an event loop and
the warm-up stay outside it. Its figures are this process's own: wall time, CPU time and
context switches (getrusage, every thread, plus the pool processes a window names), and the
peak resident set of the run alone (the kernel's high-water mark, reset when the plan
arrives, as the Rust worker resets its own).
"""

import os
import resource
import ssl
import threading
import time

import httpx


class Unsupported(Exception):
    """The model cannot express this workload; the message says why."""


def read_status():
    """A few lines of /proc/self/status, in kB (Threads: a count)."""
    found = {}
    try:
        with open("/proc/self/status") as f:
            for line in f:
                key, _, value = line.partition(":")
                if key in ("Threads", "VmSize", "VmPeak", "VmRSS", "VmHWM"):
                    found[key] = int(value.split()[0])
    except (OSError, ValueError, IndexError):
        pass
    return found


def read_kernel_memory():
    """What the kernel holds for all processes (/proc/meminfo): the memory a thread costs
    that its process's RSS does not show."""
    names = {
        "KernelStack": "kernel_stack_kib",
        "PageTables": "page_tables_kib",
        "SUnreclaim": "slab_unreclaim_kib",
    }
    found = dict.fromkeys(names.values(), 0)
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                key, _, value = line.partition(":")
                if key in names:
                    found[names[key]] = int(value.split()[0])
    except (OSError, ValueError, IndexError):
        pass
    return found


def reset_peak_rss():
    """Resets the kernel's high-water mark of this process's resident set (VmHWM); False
    where /proc/self/clear_refs cannot be written (the peak is then the whole life's), or
    where TVC_NO_CLEAR_REFS=1 says to act as if (tests of the fallback)."""
    if os.environ.get("TVC_NO_CLEAR_REFS") == "1":
        return False
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def cpu_ticks(pids):
    """User and system CPU seconds of other processes (a pool's), from /proc/PID/stat."""
    hz = os.sysconf("SC_CLK_TCK")
    user = system = 0.0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rpartition(")")[2].split()
            user += int(fields[11]) / hz
            system += int(fields[12]) / hz
        except (OSError, ValueError, IndexError):
            pass
    return user, system


class Clock:
    """The measured window: started where the first unit is about to be spawned, stopped
    where the last one has been joined. `pool` names processes whose CPU time counts too
    (a process pool's workers, which getrusage of this process does not see)."""

    def __init__(self, timer=time.perf_counter, pool=()):
        self.timer, self.pool = timer, list(pool)
        self.threads = 0
        self.usage = resource.getrusage(resource.RUSAGE_SELF)
        self.pool_cpu = cpu_ticks(self.pool)
        self.start = timer()

    def started(self):
        """Call once every unit is running: the threads the process has then."""
        self.threads = max(self.threads, read_status().get("Threads", 0))

    def stop(self):
        wall = self.timer() - self.start
        after = resource.getrusage(resource.RUSAGE_SELF)
        user, system = cpu_ticks(self.pool)
        self.started()
        before = self.usage
        return {
            "wall_ms": wall * 1e3,
            "usage": {
                "user_ms": (after.ru_utime - before.ru_utime + user - self.pool_cpu[0]) * 1e3,
                "sys_ms": (after.ru_stime - before.ru_stime + system - self.pool_cpu[1]) * 1e3,
                "vol_ctx_switches": after.ru_nvcsw - before.ru_nvcsw,
                "invol_ctx_switches": after.ru_nivcsw - before.ru_nivcsw,
                "max_rss_kib": after.ru_maxrss,
            },
            "threads": self.threads,
        }


def error_kind(e):
    """tvc's ErrorKind name for an exception a request raised."""
    chain, c = [], e
    while c is not None and len(chain) < 10:
        chain.append(c)
        c = c.__cause__ or c.__context__
    if any(isinstance(c, ssl.SSLError) for c in chain):
        return "tls"
    if isinstance(e, (httpx.TimeoutException, TimeoutError)):
        return "timeout"
    if isinstance(e, httpx.ConnectError):
        return "connect"
    if any(isinstance(c, (ConnectionResetError, BrokenPipeError)) for c in chain):
        return "reset"
    if isinstance(e, httpx.RemoteProtocolError):
        text = str(e).lower()
        return "reset" if "closed" in text or "disconnected" in text else "protocol"
    if isinstance(e, (httpx.ProtocolError, httpx.DecodingError, httpx.UnsupportedProtocol)):
        return "protocol"
    return "io"


def header_us(response, name):
    value = response.headers.get(name)
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def verify_for(ca_file):
    """httpx's own default (certifi's roots), or those roots plus the plan's CA file."""
    if ca_file is None:
        return True
    import certifi

    ctx = ssl.create_default_context(cafile=certifi.where())
    ctx.load_verify_locations(cafile=ca_file)
    return ctx


class HttpRun:
    """One http run's requests: units claim the next request from one counter and record
    its latency, status or error kind and the server's timing headers in a slot of their
    own, as every Rust model does through tvc_core::HttpRun."""

    def __init__(self, plan):
        self.n = plan["n"]
        self.url = plan["url"]
        self.timeout = plan["request_timeout_ms"] / 1e3
        self.keep_alive = plan["keep_alive"]
        self.verify = verify_for(plan.get("ca_file") if plan["url"].startswith("https") else None)
        self.results = [None] * self.n
        self.first_error = None
        self.next = 0
        self.lock = threading.Lock()

    def claim(self):
        """The next request's index, or None when the work has run out."""
        with self.lock:
            i, self.next = self.next, self.next + 1
        return i if i < self.n else None

    def headers(self):
        """With keep-alive off every request asks the server to close its connection."""
        return {} if self.keep_alive else {"Connection": "close"}

    def ok(self, i, started, response):
        self.results[i] = [
            time.perf_counter() - started,
            response.status_code,
            None,
            header_us(response, "x-tvc-served-delay-us"),
            header_us(response, "x-tvc-asked-delay-us"),
        ]

    def failed(self, i, started, e):
        self.results[i] = [time.perf_counter() - started, None, error_kind(e), None, None]
        if self.first_error is None:
            self.first_error = f"{type(e).__name__}: {e}"

    def report(self, window, in_flight, workers, knobs):
        return {
            "window": window,
            "in_flight": in_flight,
            "workers": workers,
            "knobs": knobs,
            "requests": [r for r in self.results if r is not None],
            "first_error": self.first_error,
        }


class ParkProbe:
    """Reads memory (the process's and the kernel's) before the units are spawned and once
    all are parked, and counts them in as they start: tvc_core::probe::ParkProbe."""

    def __init__(self, n):
        self.n = n
        self.count = 0
        self.first = self.last = self.spawned_at = 0.0
        self.lock = threading.Lock()
        self.baseline = read_status()
        self.baseline_kernel = read_kernel_memory()
        self.start = time.perf_counter()

    def arrive(self):
        """Call first thing in every unit."""
        with self.lock:
            self.count += 1
            k = self.count
        if k == 1 or k == self.n:
            now = time.perf_counter() - self.start
            if k == 1:
                self.first = now
            if k == self.n:
                self.last = now

    def spawned(self):
        """Call right after the last spawn returns."""
        self.spawned_at = time.perf_counter() - self.start

    def all(self):
        return self.count >= self.n

    def parked(self):
        """Call once every unit has checked in, before releasing them."""
        spawn = time.perf_counter() - self.start
        now = read_status()
        return {
            "n": self.n,
            "spawn_ms": spawn * 1e3,
            "created_ms": self.spawned_at * 1e3,
            "first_run_ms": self.first * 1e3,
            "all_started_ms": self.last * 1e3,
            "baseline_rss_kib": self.baseline.get("VmRSS", 0),
            "baseline_vm_kib": self.baseline.get("VmSize", 0),
            "parked_rss_kib": now.get("VmRSS", 0),
            "parked_vm_kib": now.get("VmSize", 0),
            "parked_threads": now.get("Threads", 0),
            "baseline_kernel": self.baseline_kernel,
            "parked_kernel": read_kernel_memory(),
        }


def report(window, workers, knobs, check=None, park=None, passes_ms=(), forwarded=()):
    """The result of a workload that makes no request (tvc_core::Report)."""
    return {
        "window": window,
        "workers": workers,
        "knobs": knobs,
        "check": check,
        "park": park,
        "passes_ms": list(passes_ms),
        "forwarded": list(forwarded),
    }
