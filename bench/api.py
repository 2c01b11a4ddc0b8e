"""Latency of the JSON API under concurrent clients (not a test).

    setup/bench-api.sh [--size 10000] [--requests 3000] [--concurrency 16]

Fills a database with N vendors (3 policies each, as the compliance
benchmark does), gives them references, starts Odoo with 2 HTTP workers and
measures GET /vendors/{ref}/can-work and GET /vendors (page of 100) from a
pool of concurrent clients: median and p95 latency in milliseconds.
"""

import argparse
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
import compliance as bc  # the same data generator


def prepare(db, size):
    odoo, registry = bc.open_registry(db, "warn")
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        bc.generate(env, size, seed=7)
        cr.commit()
        env["res.partner"]._coi_recompute_all()
        cr.execute("UPDATE res_partner SET ref = 'B-' || id WHERE name LIKE 'Bench Vendor %'")
        key, refs, ids = api_key_and_refs(env)
        cr.execute("ANALYZE")
        cr.commit()
    return key, refs, ids


def api_key_and_refs(env):
    """An API key of a new user of the COI API group, and the references and
    ids of the bench vendors (in id order)."""
    from odoo import fields

    user = env["res.users"].create(
        {
            "name": "Bench API",
            "login": "bench_api",
            "group_ids": [(6, 0, [env.ref("coi_tracking_api.group_coi_api").id])],
        }
    )
    key = (
        env["res.users.apikeys"]
        .with_user(user)
        ._generate(None, "bench", fields.Datetime.now() + timedelta(days=1))
    )
    env.cr.execute("SELECT ref, id FROM res_partner WHERE ref LIKE 'B-%' ORDER BY id")
    rows = env.cr.fetchall()
    return key, [ref for ref, _id in rows], [id_ for _ref, id_ in rows]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def measure(urls, key, concurrency):
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


def start_server(db):
    """Odoo with 2 HTTP workers on `db`, ready to answer: (process, base URL).
    One database and no --db-filter: Odoo then never lists the server's
    databases per request (see README, deployment)."""
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            str(bc.ODOO_PATH / "odoo-bin"),
            f"--addons-path={bc.ODOO_PATH}/addons,{bc.ODOO_PATH}/odoo/addons,{bc.REPO_DIR}",
            "-d",
            db,
            "--no-database-list",
            "--workers=2",
            "--max-cron-threads=0",
            f"--http-port={port}",
            "--http-interface=127.0.0.1",
            "--log-level=warn",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    root = f"http://127.0.0.1:{port}"
    for _ in range(240):
        try:
            if requests.get(f"{root}/api/coi/v1/openapi.json", timeout=2).ok:
                break
        except requests.RequestException:
            time.sleep(0.5)
    return server, root


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--size", type=int, default=10000)
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args()
    key, refs, ids = prepare(args.db, args.size)
    server, root = start_server(args.db)
    base = f"{root}/api/coi/v1"
    try:
        rng = random.Random(1)  # noqa: S311 - a reproducible benchmark, not security
        warm = [f"{base}/vendors/{rng.choice(refs)}/can-work" for _ in range(200)]
        measure(warm, key, args.concurrency)
        can_work = [f"{base}/vendors/{rng.choice(refs)}/can-work" for _ in range(args.requests)]
        pages = [
            f"{base}/vendors?limit=100&cursor={rng.choice(ids)}" for _ in range(args.requests // 3)
        ]
        print(f"{args.size} vendors, {args.concurrency} concurrent clients, Odoo --workers=2")
        for name, urls, target in (
            ("GET /vendors/{ref}/can-work", can_work, 50),
            ("GET /vendors (page of 100)", pages, 200),
        ):
            median, p95, errors = measure(urls, key, args.concurrency)
            verdict = "ok" if p95 < target else "MISSED"
            print(
                f"{name:32} n={len(urls):5} median {median:6.1f} ms  p95 {p95:6.1f} ms  "
                f"(target p95 < {target} ms: {verdict})  non-200: {errors}"
            )
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
