"""shared-state: K units increment one counter (C5), behind a lock or with none. Python has
no atomic integer. Without a lock the increment is written two ways, because CPython lets
the GIL pass to another thread only between bytecodes that check for it (a backward jump, a
call): `counter.value += 1` has no such check between its read and its write, so on a GIL
build it loses nothing in practice, while `counter.value = add_one(counter.value)` has one
(the call) and loses updates. Neither is promised by the language; a free-threaded build
loses updates with both. asyncio switches only at an await, so its counter needs no lock."""

import asyncio
import sys
import threading

from .harness import Clock, Unsupported, report
from .work import YIELD_EVERY

NO_ATOMIC = (
    "Python has no atomic integer: the standard library offers a Lock, and any other "
    "'atomic' counter (itertools.count) is atomic only because the GIL is"
)


class Counter:
    value = 0


def add_one(value):
    return value + 1


def increment(lock, counter):
    """One increment as `lock` says: a function to call K x M times."""
    if lock == "mutex":
        mutex = threading.Lock()

        def locked():
            with mutex:
                counter.value += 1

        return locked
    if lock == "none":

        def bare():
            counter.value += 1

        return bare
    if lock == "none-call":

        def split():
            counter.value = add_one(counter.value)

        return split
    raise Unsupported(NO_ATOMIC)


def knobs_for(lock, knobs):
    extra = [["lock", lock], ["switch_interval_s", sys.getswitchinterval()]]
    if lock == "none-call":
        extra.append(["increment", "counter.value = add_one(counter.value)"])
    elif lock == "none":
        extra.append(["increment", "counter.value += 1"])
    return knobs + extra


def sequential(plan, knobs):
    counter = Counter()
    step = increment(plan["lock"], counter)
    clock = Clock()
    for _ in range(plan["units"]):
        for _ in range(plan["increments"]):
            step()
    return report(clock.stop(), 1, knobs_for(plan["lock"], knobs), counter.value)


def threads(plan, knobs):
    counter = Counter()
    step = increment(plan["lock"], counter)

    def unit():
        for _ in range(plan["increments"]):
            step()

    clock = Clock()
    handles = [threading.Thread(target=unit) for _ in range(plan["units"])]
    for h in handles:
        h.start()
    clock.started()
    for h in handles:
        h.join()
    window = clock.stop()
    return report(window, plan["units"], knobs_for(plan["lock"], knobs), counter.value)


def tasks(plan, knobs, runner):
    counter, lock = Counter(), plan["lock"]
    if lock == "atomic":
        raise Unsupported(NO_ATOMIC)

    async def main():
        mutex = asyncio.Lock()

        async def unit():
            for j in range(1, plan["increments"] + 1):
                if lock == "mutex":
                    async with mutex:
                        counter.value += 1
                elif lock == "none":
                    counter.value += 1
                else:
                    counter.value = add_one(counter.value)
                if j % YIELD_EVERY == 0:
                    await asyncio.sleep(0)

        clock = Clock()
        await asyncio.gather(*(unit() for _ in range(plan["units"])))
        return report(clock.stop(), 1, knobs_for(lock, knobs), counter.value)

    return runner.run(main())
