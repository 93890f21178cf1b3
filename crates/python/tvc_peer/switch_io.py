"""switch, through sockets: the ring again, but the token travels through a socket pair per
unit, so each hop is a wake-up caused by I/O readiness, as in a server: a thread blocks in
recv(2), a task awaits loop.sock_recv (the event loop's epoll). One after another, one thread
writes the token into each socket and reads it straight back: the I/O without a switch."""

import asyncio
import queue
import socket
import threading

from .harness import report
from .switch import Passes
from .work import STOP, read_token, write_token


def sequential(plan, knobs):
    ring = [socket.socketpair() for _ in range(max(plan["units"], 2))]
    passes, check = Passes(plan["warmup_passes"], plan["passes"]), 0
    for _ in passes:
        token = 0
        while token < plan["hops"]:
            to, frm = ring[token % len(ring)]
            write_token(to, token)
            token = read_token(frm) + 1
        check += token
    close(ring)
    knobs = [*knobs, ["channel", "socket.socketpair, written and read by one thread"]]
    return report(passes.window(), 1, knobs, check, passes_ms=passes.passes_ms)


def threads(plan, knobs):
    units, hops = max(plan["units"], 2), plan["hops"]
    pairs = [socket.socketpair() for _ in range(units)]
    first = pairs[0][0]
    done = queue.SimpleQueue()
    forwarded = [0] * units

    def unit(i, inbox, next_unit):
        count = 0
        while (token := read_token(inbox)) is not None:
            if token == STOP:
                write_token(next_unit, STOP)
                break
            if token == hops:
                done.put(token)
            else:
                write_token(next_unit, token + 1)
                count += 1
        forwarded[i] = count

    handles = [
        threading.Thread(target=unit, args=(i, pairs[i][1], pairs[(i + 1) % units][0]))
        for i in range(units)
    ]
    for h in handles:
        h.start()
    passes, check = Passes(plan["warmup_passes"], plan["passes"]), 0
    for _ in passes:
        write_token(first, 0)
        check += done.get()
    window = passes.window()
    write_token(first, STOP)
    for h in handles:
        h.join()
    close(pairs)
    knobs = [*knobs, ["channel", "socket.socketpair (blocking recv)"]]
    return report(window, units, knobs, check, passes_ms=passes.passes_ms, forwarded=forwarded)


def tasks(plan, knobs, runner):
    units, hops = max(plan["units"], 2), plan["hops"]

    async def main():
        loop = asyncio.get_running_loop()
        pairs = [socket.socketpair() for _ in range(units)]
        for pair in pairs:
            for s in pair:
                s.setblocking(False)
        first = pairs[0][0]
        done = asyncio.Queue()

        async def read(sock):
            data = b""
            while len(data) < 8:
                chunk = await loop.sock_recv(sock, 8 - len(data))
                if not chunk:
                    return None
                data += chunk
            return int.from_bytes(data, "little")

        async def write(sock, token):
            await loop.sock_sendall(sock, token.to_bytes(8, "little"))

        async def unit(inbox, next_unit):
            count = 0
            while (token := await read(inbox)) is not None:
                if token == STOP:
                    await write(next_unit, STOP)
                    break
                if token == hops:
                    done.put_nowait(token)
                else:
                    await write(next_unit, token + 1)
                    count += 1
            return count

        ring = [
            asyncio.create_task(unit(pairs[i][1], pairs[(i + 1) % units][0])) for i in range(units)
        ]
        passes, check = Passes(plan["warmup_passes"], plan["passes"]), 0
        for _ in passes:
            await write(first, 0)
            check += await done.get()
        window = passes.window()
        await write(first, STOP)
        forwarded = await asyncio.gather(*ring)
        close(pairs)
        knobs_here = [*knobs, ["channel", "socket.socketpair (loop.sock_recv)"]]
        return report(window, 1, knobs_here, check, passes_ms=passes.passes_ms, forwarded=forwarded)

    return runner.run(main())


def close(pairs):
    for pair in pairs:
        for s in pair:
            s.close()
