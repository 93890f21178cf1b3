"""The article's two measurements, as tvc's peer model runs them.

Why this file exists: the study compares Rust models with the code the article actually
timed, so this is that code (described in shared/ARTICLE.md), kept as close to it as a
modern Python allows, plus the bookkeeping tvc needs. tvc embeds this file in its binary and
runs it with `python -c`, one process per measurement, with one argument: a JSON object
saying what to run (see `main`).

What is the article's and what is tvc's:
- sync: the module-level `httpx.get` (a new Client, so a new connection and a new SSL
  context, for every request), called by a list comprehension, each call printing the
  current thread, its number and the status; `time.time()` around the comprehension.
- async: one `httpx.AsyncClient`, made before the timing; one coroutine object per request,
  made before the timing; the loop runs them all (the modern form of the article's
  `asyncio.wait(tasks)`: `asyncio.gather` inside one running loop); `time.time()` around
  `run_until_complete` only.
- tvc's additions, each as small as it can be: a `perf_counter()` pair and a `try` around
  each request (its latency, status or error kind, and the built-in server's two timing
  headers go into a preallocated list); `getrusage` just outside the timed part; after it,
  one line starting with `TVC-PY ` holding all of that as JSON, which is all tvc parses.
  The article never closed its client; this closes it after the timing, so the process
  exits cleanly. A plan with fewer in flight than requests bounds the async run with a
  semaphore, which the article's code (all at once) never needed.

The plan's timeout is given to httpx as its timeout (connect, each read, each write, the
wait for a pooled connection), which is how the article's code would have been given one:
httpx has no timeout on a whole request, so tvc counts a success that took longer as a
timeout afterwards.
"""

import asyncio
import json
import resource
import ssl
import sys
import threading
import time

import httpx

PREFIX = "TVC-PY "


def verify_for(ca_file):
    """httpx's own default (certifi's roots), or those roots plus the plan's CA file."""
    if ca_file is None:
        return True
    import certifi

    ctx = ssl.create_default_context(cafile=certifi.where())
    ctx.load_verify_locations(cafile=ca_file)
    return ctx


def error_kind(e):
    """The tvc ErrorKind name for an exception a request raised."""
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
        if "closed" in text or "disconnected" in text:
            return "reset"
        return "protocol"
    if isinstance(e, (httpx.ProtocolError, httpx.DecodingError, httpx.UnsupportedProtocol)):
        return "protocol"
    return "io"


def header_us(response, name):
    value = response.headers.get(name)
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def success(results, i, latency, response):
    results[i] = [
        latency,
        response.status_code,
        None,
        header_us(response, "x-tvc-served-delay-us"),
        header_us(response, "x-tvc-asked-delay-us"),
    ]


def failure(results, i, latency, e):
    results[i] = [latency, None, error_kind(e), None, None]
    if results.first_error is None:
        results.first_error = f"{type(e).__name__}: {e}"


class Results(list):
    """One slot per request, and the first error's text (for a reader's diagnosis)."""

    first_error = None


def run_sync(cfg, results):
    url, timeout, ca_file = cfg["url"], cfg["timeout_s"], cfg["ca_file"]

    def get(url, i):
        t0 = time.perf_counter()
        try:
            # Each call builds its client, so each builds its SSL context too, as httpx
            # does for the default `verify=True`.
            res = httpx.get(url, timeout=timeout, verify=verify_for(ca_file))
        except Exception as e:  # every failure is data
            failure(results, i, time.perf_counter() - t0, e)
            print(threading.current_thread(), i, type(e).__name__)
            return None
        success(results, i, time.perf_counter() - t0, res)
        print(threading.current_thread(), i, res.status_code)
        return res.status_code

    before = resource.getrusage(resource.RUSAGE_SELF)
    start = time.time()
    [get(url, i) for i in range(cfg["n"])]
    end = time.time()
    after = resource.getrusage(resource.RUSAGE_SELF)
    return end - start, before, after, threads_now()


def run_async(cfg, results):
    url, n, concurrency = cfg["url"], cfg["n"], cfg["concurrency"]
    settings = {"timeout": cfg["timeout_s"], "verify": verify_for(cfg["ca_file"])}
    if cfg["limits"] is not None:
        settings["limits"] = httpx.Limits(**cfg["limits"])
    client = httpx.AsyncClient(**settings)

    async def get(url, i):
        t0 = time.perf_counter()
        try:
            res = await client.get(url)
        except Exception as e:  # every failure is data
            failure(results, i, time.perf_counter() - t0, e)
            print(threading.current_thread(), i, type(e).__name__)
            return None
        success(results, i, time.perf_counter() - t0, res)
        print(threading.current_thread(), i, res.status_code)
        return res.status_code

    async def bounded(semaphore, coro):
        async with semaphore:
            return await coro

    tasks = [get(url, i) for i in range(n)]

    async def main():
        if concurrency >= n:
            return await asyncio.gather(*tasks)
        semaphore = asyncio.Semaphore(concurrency)
        return await asyncio.gather(*(bounded(semaphore, t) for t in tasks))

    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    before = resource.getrusage(resource.RUSAGE_SELF)
    start = time.time()
    loop.run_until_complete(main())
    end = time.time()
    after = resource.getrusage(resource.RUSAGE_SELF)
    threads = threads_now()
    loop.run_until_complete(client.aclose())
    loop.close()
    return end - start, before, after, threads


def threads_now():
    """The process's threads (the kernel's count: Python's and any other), or None."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("Threads:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return None


def vm_peak_kib():
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmPeak:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return None


def usage(before, after):
    return {
        "user_ms": (after.ru_utime - before.ru_utime) * 1e3,
        "sys_ms": (after.ru_stime - before.ru_stime) * 1e3,
        "vol_ctx_switches": after.ru_nvcsw - before.ru_nvcsw,
        "invol_ctx_switches": after.ru_nivcsw - before.ru_nivcsw,
        "max_rss_kib": after.ru_maxrss,
    }


def main():
    """argv[1]: {"mode": "sync" | "async", "url", "n", "concurrency", "timeout_s",
    "limits": null (httpx's defaults) or httpx.Limits' arguments, "ca_file": null or a path}.
    """
    cfg = json.loads(sys.argv[1])
    # The article printed to a terminal, where each line is written as it is printed.
    sys.stdout.reconfigure(line_buffering=True)
    results = Results([None] * cfg["n"])
    run = run_sync if cfg["mode"] == "sync" else run_async
    wall_s, before, after, threads = run(cfg, results)
    report = {
        "wall_s": wall_s,
        "requests": [r for r in results if r is not None],
        "usage": usage(before, after),
        "threads": threads,
        "vm_peak_kib": vm_peak_kib(),
        "first_error": results.first_error,
    }
    print(PREFIX + json.dumps(report, separators=(",", ":")), flush=True)


main()
