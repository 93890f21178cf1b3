"""http: C units each making requests until the work runs out (C1, C2, C6), through httpx,
the article's own client, on both sides: threads share one httpx.Client, tasks one
httpx.AsyncClient, each with a pool of C connections kept alive, or none kept (keep-alive
off: every request opens a connection and asks the server to close it). One after another,
the article's own loop runs instead (article.py)."""

import asyncio
import threading
import time

import httpx

from .harness import Clock, HttpRun


def client_settings(run, c):
    limits = httpx.Limits(max_connections=c, max_keepalive_connections=c if run.keep_alive else 0)
    return {
        "limits": limits,
        "timeout": run.timeout,
        "verify": run.verify,
        "headers": run.headers(),
    }


def knobs_for(run, c, client, knobs):
    kept = c if run.keep_alive else 0
    pool = f"{c} connections, {kept} kept alive"
    return [*knobs, ["client", client], ["pool", pool], ["httpx", httpx.__version__]]


def thread_units(run, client, c):
    """Starts the C request threads."""

    def unit():
        while (i := run.claim()) is not None:
            started = time.perf_counter()
            try:
                run.ok(i, started, client.get(run.url))
            except Exception as e:  # every failure is data
                run.failed(i, started, e)

    handles = [threading.Thread(target=unit) for _ in range(c)]
    for h in handles:
        h.start()
    return handles


def threads(plan, knobs):
    run, c = HttpRun(plan), max(plan["concurrency"], 1)
    with httpx.Client(**client_settings(run, c)) as client:
        clock = Clock()
        handles = thread_units(run, client, c)
        clock.started()
        for h in handles:
            h.join()
        window = clock.stop()
    return run.report(window, c, c, knobs_for(run, c, "one shared httpx.Client", knobs))


def task_units(run, client, c):
    """Creates the C request tasks."""

    async def unit():
        while (i := run.claim()) is not None:
            started = time.perf_counter()
            try:
                run.ok(i, started, await client.get(run.url))
            except Exception as e:  # every failure is data
                run.failed(i, started, e)

    return [asyncio.create_task(unit()) for _ in range(c)]


def tasks(plan, knobs, runner):
    run, c = HttpRun(plan), max(plan["concurrency"], 1)

    async def main():
        async with httpx.AsyncClient(**client_settings(run, c)) as client:
            clock = Clock()
            await asyncio.gather(*task_units(run, client, c))
            return clock.stop()

    window = runner.run(main())
    return run.report(window, c, 1, knobs_for(run, c, "one shared httpx.AsyncClient", knobs))
