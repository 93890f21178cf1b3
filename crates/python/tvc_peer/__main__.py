"""tvc's Python peer: `python -m tvc_peer`, started once by a tvc worker and kept for the
worker's life, reads one request per line on stdin (the workload, the model's variant and
the plan, as JSON), runs it, and answers with one line starting with `TVC-PEER `: the
result, or why it could not run. The worker sends its warm-up runs first and the measured
run last, so the interpreter's start-up and imports are paid once, outside every window,
and the measured run finds the code already warm, as a Rust model's does.

Variants: `default` runs the units one after another (for http, the article's own loop),
`threads` one threading.Thread per unit, `asyncio` and `uvloop` one task per unit on one
event loop (asyncio's own, or uvloop's), `processes` a process pool (cpu), and the article's
`httpx-async*` its AsyncClient at three pool limits.
"""

import asyncio
import json
import platform
import sys
import threading
import traceback

try:
    from . import article, blocking, cpu, harness, http, park, shared, switch, switch_io

    UNUSABLE = None
except ImportError as e:  # a package the programs need is missing: every run says so
    UNUSABLE = f"cannot import what the programs need ({e})"

PREFIX = "TVC-PEER "


def workloads():
    return {
        "http": http,
        "park": park,
        "switch": switch,
        "cpu": cpu,
        "blocking": blocking,
        "shared-state": shared,
    }


# The article's AsyncClient at its three pool limits (None: httpx's defaults).
ARTICLE_LIMITS = {
    "httpx-async": None,
    "httpx-async-pool200": {"max_connections": 200, "max_keepalive_connections": 20},
    "httpx-async-unlimited": {"max_connections": None, "max_keepalive_connections": None},
}


def gil():
    is_enabled = getattr(sys, "_is_gil_enabled", None)
    return "on" if is_enabled is None or is_enabled() else "off"


def thread_stack_kib():
    """The stack a new thread gets: threading.stack_size(), or the platform's default
    (glibc takes the soft RLIMIT_STACK)."""
    import resource

    size = threading.stack_size()
    if size == 0:
        soft = resource.getrlimit(resource.RLIMIT_STACK)[0]
        size = soft if soft != resource.RLIM_INFINITY else 2 << 20
    return size // 1024


def loop_factory(variant):
    if variant == "uvloop":
        try:
            import uvloop
        except ImportError as e:
            raise harness.Unsupported(f"uvloop is not installed in this interpreter ({e})") from e
        return uvloop.new_event_loop, f"uvloop {uvloop.__version__}"
    return None, "asyncio"


def run(workload, variant, plan):
    module = workloads()[workload]
    if workload == "switch" and plan.get("medium") == "socket":
        module = switch_io
    knobs = [["python", platform.python_version()], ["gil", gil()]]
    if workload == "http" and variant == "default":
        return article.sync(plan, knobs)
    if workload == "http" and variant in ARTICLE_LIMITS:
        return article.gather(plan, knobs, ARTICLE_LIMITS[variant])
    if variant == "default":
        return module.sequential(plan, knobs)
    if variant == "threads":
        return module.threads(plan, [*knobs, ["stack_kib", thread_stack_kib()]])
    if variant == "processes" and hasattr(module, "processes"):
        return module.processes(plan, knobs)
    if variant in ("asyncio", "uvloop"):
        factory, name = loop_factory(variant)
        with asyncio.Runner(loop_factory=factory) as runner:
            runner.get_loop()  # built before any window opens
            return module.tasks(plan, [*knobs, ["loop", name]], runner)
    raise harness.Unsupported(f"python:{variant} does not run the {workload} workload")


def answer(line):
    if UNUSABLE is not None:
        return {"unusable": UNUSABLE}
    request = json.loads(line)
    rss_window = harness.reset_peak_rss()
    try:
        result = run(request["workload"], request["variant"], request["plan"])
    except harness.Unsupported as e:
        return {"unsupported": str(e)}
    except Exception as e:  # a failure to run is the row's reason, not a crash
        traceback.print_exc()
        return {"error": f"{type(e).__name__}: {e}"}
    status = harness.read_status()
    result["peak_rss_kib"] = status.get("VmHWM")
    result["rss_window"] = rss_window
    result["vm_peak_kib"] = status.get("VmPeak")
    return result


def main():
    # The article printed to a terminal, where each line is written as it is printed.
    sys.stdout.reconfigure(line_buffering=True)
    hello = {"hello": f"{platform.python_implementation()} {platform.python_version()}"}
    print(PREFIX + json.dumps(hello), flush=True)
    for line in sys.stdin:
        if line.strip():
            reply = answer(line)
            print(PREFIX + json.dumps(reply, separators=(",", ":")), flush=True)


main()
