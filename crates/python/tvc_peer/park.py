"""park: N units alive at once, each blocked doing nothing until released, and the memory
they hold (C3). Threads wait on one threading.Event, tasks on one asyncio.Event."""

import asyncio
import threading
import time

from .harness import Clock, ParkProbe, Unsupported, report


def sequential(plan, knobs):
    raise Unsupported("one unit after another never has two units alive at once: it parks nothing")


def threads(plan, knobs):
    release = threading.Event()
    handles = []
    probe = ParkProbe(plan["n"])
    clock = Clock()
    for _ in range(plan["n"]):

        def unit():
            probe.arrive()
            release.wait()

        # Daemon threads: CPython 3.11 keeps a shutdown lock per non-daemon thread and scans
        # them all at every start, which makes starting N of them quadratic in N.
        handle = threading.Thread(target=unit, daemon=True)
        try:
            handle.start()
        except RuntimeError as e:  # the thread limit: data, not a crash
            release.set()
            for h in handles:
                h.join()
            raise RuntimeError(
                f"thread {len(handles) + 1} of {plan['n']} could not be started: {e}"
            ) from e
        handles.append(handle)
    probe.spawned()
    while not probe.all():
        time.sleep(0.0002)
    figures = probe.parked()
    release.set()
    for h in handles:
        h.join()
    return report(clock.stop(), plan["n"], knobs, park=figures)


def tasks(plan, knobs, runner):
    async def main():
        release = asyncio.Event()
        probe = ParkProbe(plan["n"])
        clock = Clock()

        async def unit():
            probe.arrive()
            await release.wait()

        tasks = [asyncio.create_task(unit()) for _ in range(plan["n"])]
        probe.spawned()
        while not probe.all():
            await asyncio.sleep(0)
        figures = probe.parked()
        release.set()
        await asyncio.gather(*tasks)
        return report(clock.stop(), 1, knobs, park=figures)

    return runner.run(main())
