"""switch: a token passed around a ring of units through each model's channel, every
hand-over a switch (C4). Threads hand it over through queue.SimpleQueue (a lock and a
condition: the GIL and a futex wake-up per hop), tasks through asyncio.Queue (the event
loop's ready queue). One after another, the token passes through a local variable: the
loop's own cost."""

import asyncio
import queue
import threading
import time

from .harness import Clock, report
from .work import STOP


class Passes:
    """Untimed warm-up passes, then timed ones, the window over the timed ones only
    (tvc_core::Passes)."""

    def __init__(self, warmup, timed):
        self.warmup, self.total, self.done = warmup, warmup + max(timed, 1), 0
        self.clock, self.passes_ms = None, []

    def __iter__(self):
        while self.done < self.total:
            if self.done == self.warmup:
                self.clock = Clock()
            start = time.perf_counter()
            yield self.done
            if self.done >= self.warmup:
                self.passes_ms.append((time.perf_counter() - start) * 1e3)
            self.done += 1

    def window(self):
        return self.clock.stop()


def sequential(plan, knobs):
    units, hops = max(plan["units"], 2), plan["hops"]
    passes, check = Passes(plan["warmup_passes"], plan["passes"]), 0
    for _ in passes:
        token = 0
        while token != hops:
            token += 1
        check += token
    return report(
        passes.window(),
        1,
        [*knobs, ["ring", f"{units} units in one loop"]],
        check,
        passes_ms=passes.passes_ms,
    )


def threads(plan, knobs):
    units, hops = max(plan["units"], 2), plan["hops"]
    inboxes = [queue.SimpleQueue() for _ in range(units)]
    done = queue.SimpleQueue()
    forwarded = [0] * units

    def unit(i, inbox, next_inbox):
        count = 0
        while True:
            token = inbox.get()
            if token == STOP:
                next_inbox.put(STOP)
                forwarded[i] = count
                return
            if token == hops:
                done.put(token)
            else:
                next_inbox.put(token + 1)
                count += 1

    handles = [
        threading.Thread(target=unit, args=(i, inboxes[i], inboxes[(i + 1) % units]))
        for i in range(units)
    ]
    for h in handles:
        h.start()
    passes, check = Passes(plan["warmup_passes"], plan["passes"]), 0
    for _ in passes:
        inboxes[0].put(0)
        check += done.get()
    window = passes.window()
    inboxes[0].put(STOP)
    for h in handles:
        h.join()
    knobs = [*knobs, ["channel", "queue.SimpleQueue"]]
    return report(window, units, knobs, check, passes_ms=passes.passes_ms, forwarded=forwarded)


def tasks(plan, knobs, runner):
    units, hops = max(plan["units"], 2), plan["hops"]

    async def main():
        inboxes = [asyncio.Queue() for _ in range(units)]
        done = asyncio.Queue()

        async def unit(inbox, next_inbox):
            count = 0
            while True:
                token = await inbox.get()
                if token == STOP:
                    next_inbox.put_nowait(STOP)
                    return count
                if token == hops:
                    done.put_nowait(token)
                else:
                    next_inbox.put_nowait(token + 1)
                    count += 1

        ring = [
            asyncio.create_task(unit(inboxes[i], inboxes[(i + 1) % units])) for i in range(units)
        ]
        passes, check = Passes(plan["warmup_passes"], plan["passes"]), 0
        for _ in passes:
            inboxes[0].put_nowait(0)
            check += await done.get()
        window = passes.window()
        inboxes[0].put_nowait(STOP)
        forwarded = await asyncio.gather(*ring)
        knobs_here = [*knobs, ["channel", "asyncio.Queue"]]
        return report(window, 1, knobs_here, check, passes_ms=passes.passes_ms, forwarded=forwarded)

    return runner.run(main())
