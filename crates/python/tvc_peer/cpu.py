"""cpu: N units of the same CPU-bound work, the speedup against one after another (C7).
Pure Python holds the GIL while it computes, so threads and tasks take turns on one core;
processes each have an interpreter and a GIL of their own, the parallelism Python has."""

import asyncio
import os
import threading
from concurrent.futures import ProcessPoolExecutor

from .harness import Clock, report
from .work import cpu_unit, rounds


def sequential(plan, knobs):
    iters, check = rounds(plan["iters"]), 0
    clock = Clock()
    for i in range(plan["n"]):
        check ^= cpu_unit(i, iters)
    return report(clock.stop(), 1, knobs, check)


def threads(plan, knobs):
    iters, results = rounds(plan["iters"]), [0] * plan["n"]

    def unit(i):
        results[i] = cpu_unit(i, iters)

    clock = Clock()
    handles = [threading.Thread(target=unit, args=(i,)) for i in range(plan["n"])]
    for h in handles:
        h.start()
    clock.started()
    for h in handles:
        h.join()
    window = clock.stop()
    check = 0
    for r in results:
        check ^= r
    return report(window, plan["n"], knobs, check)


def tasks(plan, knobs, runner):
    iters = rounds(plan["iters"])

    async def main():
        async def unit(i):
            return cpu_unit(i, iters)

        clock = Clock()
        results = await asyncio.gather(*(unit(i) for i in range(plan["n"])))
        window = clock.stop()
        check = 0
        for r in results:
            check ^= r
        return report(window, 1, knobs, check)

    return runner.run(main())


def processes(plan, knobs):
    iters, workers = rounds(plan["iters"]), len(os.sched_getaffinity(0))
    with ProcessPoolExecutor(max_workers=workers) as pool:
        # The pool is built and its processes started before the window, as a Rust pool is.
        list(pool.map(cpu_unit, range(workers), [1] * workers))
        clock = Clock(pool=pool._processes)
        check = 0
        for r in pool.map(cpu_unit, range(plan["n"]), [iters] * plan["n"]):
            check ^= r
        window = clock.stop()
    knobs = [*knobs, ["pool", f"ProcessPoolExecutor({workers})"]]
    return report(window, workers, knobs, check)
