"""The measured Odoo server (2 HTTP workers) and concurrent API clients."""

import contextlib
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import requests

from .paths import ODOO_PATH, REPO_DIR

# COI_BENCH_SERVER_LOG=<file>: the measured servers log there at info level
# (each request's queries and time; retries after a concurrency error).
SERVER_LOG = os.environ.get("COI_BENCH_SERVER_LOG")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(db, addons=REPO_DIR, ready="/api/coi/v1/openapi.json", cron_threads=0):
    """Odoo with 2 HTTP workers on `db` (our addons from `addons`), ready to
    answer `ready`: (process, base URL). One database and no --db-filter:
    Odoo then never lists the server's databases per request (see README,
    deployment). With `cron_threads`, that many cron workers run the jobs
    (the reading job, for scans)."""
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            str(ODOO_PATH / "odoo-bin"),
            f"--addons-path={ODOO_PATH}/addons,{ODOO_PATH}/odoo/addons,{addons}",
            "-d",
            db,
            "--no-database-list",
            "--workers=2",
            f"--max-cron-threads={cron_threads}",
            f"--http-port={port}",
            "--http-interface=127.0.0.1",
            "--log-level=warn" if not SERVER_LOG else "--log-level=info",
            *([f"--logfile={SERVER_LOG}"] if SERVER_LOG else []),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    root = f"http://127.0.0.1:{port}"
    for _ in range(240):
        try:
            if requests.get(f"{root}{ready}", timeout=2).ok:
                break
        except requests.RequestException:
            time.sleep(0.5)
    return server, root


def settle(server, quiet=0.05, seconds=90):
    """Wait until the server's processes (workers, cron worker) are idle:
    less than `quiet` of a core over one second, at most `seconds`. A cron
    worker just started runs every job that is due (the autovacuum, the
    mail queue...); a measurement should not share the cores with them."""
    import psutil

    root = psutil.Process(server.pid)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        processes = [root, *root.children(recursive=True)]
        before = sum(_cpu(p) for p in processes)
        time.sleep(1)
        if sum(_cpu(p) for p in processes) - before < quiet:
            return True
    return False


def server_cpu(server):
    """Processor seconds used so far by the server's processes (its HTTP
    and cron workers)."""
    import psutil

    root = psutil.Process(server.pid)
    return sum(_cpu(p) for p in [root, *root.children(recursive=True)])


def _cpu(process):
    import psutil

    try:
        times = process.cpu_times()
    except psutil.Error:
        return 0.0
    return times.user + times.system


@contextlib.contextmanager
def running_server(db, cron_threads=0):
    """`start_server` for the length of a block: yields the base URL."""
    server, root = start_server(db, cron_threads=cron_threads)
    try:
        yield root
    finally:
        server.terminate()
        server.wait(timeout=60)


def measure_requests(urls, key, concurrency):
    """GET every URL from `concurrency` clients with the API key: (median ms,
    p95 ms, non-200 answers)."""
    local = threading.local()

    def one(url):
        # One HTTP session per client thread, as a dispatch tool keeps one.
        if not hasattr(local, "session"):
            local.session = requests.Session()
            local.session.headers["Authorization"] = f"Bearer {key}"
        start = time.perf_counter()
        response = local.session.get(url, timeout=30)
        elapsed = (time.perf_counter() - start) * 1000
        return elapsed, response.status_code

    with ThreadPoolExecutor(concurrency) as pool:
        results = list(pool.map(one, urls))
    timings = sorted(ms for ms, _ in results)
    errors = sum(1 for _, status in results if status != 200)
    p95 = timings[int(len(timings) * 0.95) - 1]
    return statistics.median(timings), p95, errors
