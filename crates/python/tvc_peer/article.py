"""The article's two measurements, as tvc's peer runs them (shared/ARTICLE.md).

The study compares Rust models with the code the article actually timed, so this is that
code, kept as close to it as a modern Python allows, plus the bookkeeping tvc needs.

What is the article's and what is tvc's:
- sync: the module-level `httpx.get` (a new Client, so a new connection and a new SSL
  context, for every request), called by a list comprehension, each call printing the
  current thread, its number and the status; `time.time()` around the comprehension.
- async: one `httpx.AsyncClient`, made before the timing; one coroutine object per request,
  made before the timing; the loop runs them all (the modern form of the article's
  `asyncio.wait(tasks)`: `asyncio.gather` inside one running loop); `time.time()` around
  the loop's run only.
- tvc's additions, each as small as it can be: a `perf_counter()` pair and a `try` around
  each request, recorded through the shared HttpRun (its latency, status or error kind and
  the built-in server's two timing headers). The article never closed its client; this
  closes it after the timing. A plan with fewer in flight than requests bounds the async
  run with a semaphore, which the article's code (all at once) never needed.

The plan's timeout is given to httpx as its timeout (connect, each read, each write, the
wait for a pooled connection), which is how the article's code would have been given one:
httpx has no timeout on a whole request, so tvc counts a success that took longer as a
timeout afterwards.
"""

import asyncio
import threading
import time

import httpx

from .harness import Clock, HttpRun


def sync(plan, knobs):
    run = HttpRun(plan)

    def get(url, i):
        t0 = time.perf_counter()
        try:
            # Each call builds its client, so each builds its SSL context too, as httpx
            # does for the default `verify=True`.
            res = httpx.get(url, timeout=run.timeout, verify=run.verify)
        except Exception as e:  # every failure is data
            run.failed(i, t0, e)
            print(threading.current_thread(), i, type(e).__name__)
            return None
        run.ok(i, t0, res)
        print(threading.current_thread(), i, res.status_code)
        return res.status_code

    clock = Clock(timer=time.time)
    [get(run.url, i) for i in range(run.n)]
    window = clock.stop()
    knobs = [
        *knobs,
        ["client", "httpx.get (a new Client and connection per request)"],
        ["httpx", httpx.__version__],
    ]
    return run.report(window, 1, 1, knobs)


def gather(plan, knobs, limits):
    """`limits`: None for httpx's defaults, else httpx.Limits' arguments."""
    run, concurrency = HttpRun(plan), max(plan["concurrency"], 1)
    settings = {"timeout": run.timeout, "verify": run.verify}
    if limits is not None:
        settings["limits"] = httpx.Limits(**limits)
    client = httpx.AsyncClient(**settings)

    async def get(url, i):
        t0 = time.perf_counter()
        try:
            res = await client.get(url)
        except Exception as e:  # every failure is data
            run.failed(i, t0, e)
            print(threading.current_thread(), i, type(e).__name__)
            return None
        run.ok(i, t0, res)
        print(threading.current_thread(), i, res.status_code)
        return res.status_code

    async def bounded(semaphore, coro):
        async with semaphore:
            return await coro

    tasks = [get(run.url, i) for i in range(run.n)]

    async def main():
        if concurrency >= run.n:
            return await asyncio.gather(*tasks)
        semaphore = asyncio.Semaphore(concurrency)
        return await asyncio.gather(*(bounded(semaphore, t) for t in tasks))

    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    clock = Clock(timer=time.time)
    loop.run_until_complete(main())
    window = clock.stop()
    loop.run_until_complete(client.aclose())
    loop.close()
    asyncio.set_event_loop(None)
    knobs = [
        *knobs,
        ["client", "one httpx.AsyncClient, asyncio.gather"],
        ["httpx", httpx.__version__],
    ]
    if concurrency < run.n:
        knobs.append(["in_flight_limit", "asyncio.Semaphore"])
    return run.report(window, None, 1, knobs)
