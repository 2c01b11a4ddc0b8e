"""What this machine's cores give to two processes at once: a pure-Python
loop timed alone, then two copies at once. The ratio is the floor of any
"two processes / one" figure measured here (0.5 on two free cores; near
1.0 when the two virtual cores share one)."""

import statistics
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


def pace_ms(n=1_000_000):
    """This machine's pace right now, in ms: the same pure-Python loop in
    this process, the median of three. The virtual cores here run at
    different speeds from one hour to the next (the same loop took 1.0 to
    1.8 s in `parallel_floor`); a latency figure comes with the pace it was
    measured at."""
    times = []
    for _ in range(3):
        started = time.perf_counter()
        x = 0
        for i in range(n):
            x += i
        times.append(time.perf_counter() - started)
    return round(statistics.median(times) * 1000, 1)
