"""Measuring a step: wall and CPU time, SQL queries, peak memory; each step
runs in a fresh process so that its peak memory is its own."""

import io
import json
import os
import resource
import subprocess
import sys
import time

from .database import run
from .paths import LOG_DIR


def rss_mb():
    """The process's peak RSS so far (ru_maxrss is in kilobytes on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def current_rss_mb():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def children_cpu_seconds():
    """Processor time of the finished child processes (the steps)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def pg_cpu_seconds(cr):
    """Processor time so far of the PostgreSQL backends serving the cursor's
    database (a server on this machine; None where /proc does not show
    them). Sampled before and after a step: a backend closed in between is
    not counted."""
    cr.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database()")
    ticks = 0
    try:
        for (pid,) in cr.fetchall():
            with open(f"/proc/{pid}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
    except OSError:
        return None
    return ticks / os.sysconf("SC_CLK_TCK")


def cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class Measure:
    """Wall time, CPU time, SQL queries (every cursor) and peak RSS of a block;
    with `profile` (a name), a cProfile of it on stderr and in .logs/."""

    def __init__(self, profile=None):
        from odoo import sql_db

        self.sql_db = sql_db
        self.profile = profile
        self.profiler = None

    def __enter__(self):
        if self.profile:
            import cProfile

            self.profiler = cProfile.Profile()
        self.queries = self.sql_db.sql_counter
        self.cpu = cpu_seconds()
        self.started = time.perf_counter()
        if self.profiler:
            self.profiler.enable()
        return self

    def __exit__(self, *exc):
        if self.profiler:
            self.profiler.disable()
        self.seconds = time.perf_counter() - self.started
        self.cpu = cpu_seconds() - self.cpu
        self.queries = self.sql_db.sql_counter - self.queries
        self.peak_rss_mb = rss_mb()
        if self.profiler:
            self._report_profile()
        return False

    def _report_profile(self):
        import pstats

        LOG_DIR.mkdir(exist_ok=True)
        path = LOG_DIR / f"bench-{self.profile}.prof"
        self.profiler.dump_stats(path)
        for sort in ("tottime", "cumulative"):
            buf = io.StringIO()
            pstats.Stats(self.profiler, stream=buf).sort_stats(sort).print_stats(35)
            sys.stderr.write(f"\n=== cProfile of {self.profile}, by {sort} ===\n{buf.getvalue()}")
        sys.stderr.write(f"(full profile: {path}; snakeviz or pstats can read it)\n")


def run_process(cmd):
    """Run `cmd`, a step in a fresh Python process, and return the result it
    printed as JSON on its last line (see `emit`)."""
    out = run(cmd, stdout=subprocess.PIPE, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def emit(result):
    """The result of a step, for `run_process` in the parent process."""
    print(json.dumps(result, default=str), flush=True)
