"""What this machine's cores give to two processes at once: a pure-Python
loop timed alone, then two copies at once. The ratio is the floor of any
"two processes / one" figure measured here (0.5 on two free cores; near
1.0 when the two virtual cores share one)."""

import subprocess
import sys
import time

LOOP = "x = 0\nfor i in range({n}):\n    x += i\n"


def _wall(n, processes):
    code = LOOP.format(n=n)
    started = time.perf_counter()
    procs = [subprocess.Popen([sys.executable, "-c", code]) for _ in range(processes)]
    for proc in procs:
        proc.wait()
    return time.perf_counter() - started


def parallel_floor(n=20_000_000):
    """(two processes sharing a CPU-bound job) / (one process doing it all):
    two copies of the loop at once do twice the work of one."""
    one = _wall(n, 1)
    two = _wall(n, 2)
    return {
        "one_seconds": round(one, 2),
        "two_seconds": round(two, 2),
        "floor": round(two / 2 / one, 2),
    }
