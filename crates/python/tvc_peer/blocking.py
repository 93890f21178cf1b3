"""blocking: the http units while CPU-bound units run beside them (C7 in practice). Tasks run
the CPU work inline (a task that never awaits holds the event loop) or hand it to a thread
with asyncio.to_thread; threads, the control, run a thread per CPU unit beside the request
threads (inline) or a pool of one per core (offload). Under the GIL a CPU thread still holds
the interpreter for up to the switch interval at a time, whoever waits."""

import asyncio
import os
import threading
from concurrent.futures import ThreadPoolExecutor

import httpx

from .harness import Clock, HttpRun, Unsupported
from .http import client_settings, knobs_for, task_units, thread_units
from .work import cpu_unit, rounds


def sequential(plan, knobs):
    raise Unsupported("one unit after another has no requests in flight beside the CPU work")


def cpu_knobs(plan, iters, offload):
    extra = [["cpu_rounds", iters]]
    if plan["mode"] == "offload":
        extra.append(["offload", offload])
    return extra


def threads(plan, knobs):
    http, tasks_n, mode = plan["http"], plan["cpu_tasks"], plan["mode"]
    run, c, iters = HttpRun(http), max(http["concurrency"], 1), rounds(plan["iters"])
    workers = len(os.sched_getaffinity(0))
    with httpx.Client(**client_settings(run, c)) as client, ThreadPoolExecutor(workers) as pool:
        clock = Clock()
        io = thread_units(run, client, c)
        cpu = []
        if mode == "inline":
            cpu = [threading.Thread(target=cpu_unit, args=(i, iters)) for i in range(tasks_n)]
            for h in cpu:
                h.start()
        elif mode == "offload":
            cpu = [pool.submit(cpu_unit, i, iters) for i in range(tasks_n)]
        clock.started()
        for h in io:
            h.join()
        window = clock.stop()
        for h in cpu:
            h.join() if mode == "inline" else h.result()
    knobs = knobs_for(run, c, "one shared httpx.Client", knobs)
    knobs += cpu_knobs(plan, iters, f"a pool of {workers} threads")
    return run.report(window, c, c, knobs)


def tasks(plan, knobs, runner):
    http, tasks_n, mode = plan["http"], plan["cpu_tasks"], plan["mode"]
    run, c, iters = HttpRun(http), max(http["concurrency"], 1), rounds(plan["iters"])

    async def main():
        async def inline(i):
            return cpu_unit(i, iters)

        async with httpx.AsyncClient(**client_settings(run, c)) as client:
            clock = Clock()
            io = task_units(run, client, c)
            cpu = []
            if mode == "inline":
                cpu = [asyncio.create_task(inline(i)) for i in range(tasks_n)]
            elif mode == "offload":
                cpu = [
                    asyncio.create_task(asyncio.to_thread(cpu_unit, i, iters))
                    for i in range(tasks_n)
                ]
            await asyncio.gather(*io)
            window = clock.stop()
            await asyncio.gather(*cpu)
            return window

    window = runner.run(main())
    knobs = knobs_for(run, c, "one shared httpx.AsyncClient", knobs)
    knobs += cpu_knobs(plan, iters, "asyncio.to_thread (the loop's default thread pool)")
    return run.report(window, c, 1, knobs)
