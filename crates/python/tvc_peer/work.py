"""The units of work every model runs for the CPU-bound experiments, as tvc_core::work
defines them for the Rust models: the same splitmix64 rounds, so a Python unit's result is
checked against the same checksum."""

M64 = (1 << 64) - 1

# Async units yield to the others after this many increments in the shared-state workload.
YIELD_EVERY = 64

# The switch ring's last token: every unit forwards it and stops.
STOP = M64

# CPython runs a round of the hash loop about a hundred times slower than compiled code, so
# a Python unit runs this fraction of the point's rounds (stated in each row's knobs): about
# as long as a Rust unit, and the speedups compare like with like.
ROUNDS_DIVISOR = 100


def rounds(iters):
    """The rounds a Python unit runs for a point of `iters` rounds."""
    return max(1, iters // ROUNDS_DIVISOR)


def cpu_unit(index, iters):
    """One unit of CPU work: `iters` rounds of a splitmix64 step seeded by the unit's index.
    Pure Python, so it holds the GIL from start to end."""
    x = ((index * 0x9E3779B97F4A7C15) & M64) ^ 0xD1B54A32D192ED03
    for _ in range(iters):
        x = (x + 0x9E3779B97F4A7C15) & M64
        z = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & M64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
        x ^= z ^ (z >> 31)
    return x


def write_token(sock, token):
    sock.sendall(token.to_bytes(8, "little"))


def read_token(sock):
    """The next token, or None once the other end has closed."""
    data = b""
    while len(data) < 8:
        chunk = sock.recv(8 - len(data))
        if not chunk:
            return None
        data += chunk
    return int.from_bytes(data, "little")
