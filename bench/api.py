"""Latency of the JSON API under concurrent clients (not a test).

    setup/bench-api.sh [--size 10000] [--requests 3000] [--concurrency 16]

Fills a database with N vendors (3 policies each, as the compliance
benchmark does), gives them references, starts Odoo with 2 HTTP workers and
measures GET /vendors/{ref}/can-work and GET /vendors (page of 100) from a
pool of concurrent clients: median and p95 latency in milliseconds. The
suite (suite.py) measures the same on its own data, through `measure`.
"""

import argparse
import random

from benchlib import data, machine
from benchlib.database import open_registry
from benchlib.server import measure_requests, running_server

# (figure, what is requested, target p95 in ms)
FIGURES = (
    ("api_can_work", "GET /vendors/{ref}/can-work", 50),
    ("api_list", "GET /vendors (page of 100)", 200),
)


def prepare(db, size):
    odoo, registry = open_registry(db)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        data.generate(env, size, seed=7)
        cr.commit()
        env["res.partner"]._coi_recompute_all()
        cr.execute("UPDATE res_partner SET ref = 'B-' || id WHERE name LIKE 'Bench Vendor %'")
        key, refs, ids = data.api_key_and_refs(env)
        cr.execute("ANALYZE")
        cr.commit()
    return key, refs, ids


def key_and_refs(odoo, registry):
    """`data.api_key_and_refs` on a database the suite prepared."""
    with registry.cursor() as cr:
        result = data.api_key_and_refs(odoo.api.Environment(cr, odoo.SUPERUSER_ID, {}))
        cr.commit()
    return result


def _urls(root, refs, ids, requests):
    """Warm-up, can-work and list URLs, drawn the same way on every run."""
    rng = random.Random(1)  # noqa: S311 - a reproducible benchmark, not security
    api = f"{root}/api/coi/v1"
    warm = [f"{api}/vendors/{rng.choice(refs)}/can-work" for _ in range(200)]
    can_work = [f"{api}/vendors/{rng.choice(refs)}/can-work" for _ in range(requests)]
    pages = [f"{api}/vendors?limit=100&cursor={rng.choice(ids)}" for _ in range(requests // 3)]
    return warm, {"api_can_work": can_work, "api_list": pages}


def measure(root, key, refs, ids, requests, concurrency=16):
    """{figure: median and p95 ms, requests, errors} after a warm-up."""
    warm, batches = _urls(root, refs, ids, requests)
    measure_requests(warm, key, concurrency)
    results = {}
    for name, urls in batches.items():
        pace = machine.pace_ms()
        median, p95, errors = measure_requests(urls, key, concurrency)
        results[name] = {
            "pace_ms": pace,
            "seconds": round(p95 / 1000, 4),
            "median_ms": round(median, 1),
            "p95_ms": round(p95, 1),
            "requests": len(urls),
            "clients": concurrency,
            "errors": errors,
            "runs": f"{len(urls)} requests",
        }
    return results


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--size", type=int, default=10000)
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args()
    key, refs, ids = prepare(args.db, args.size)
    with running_server(args.db) as root:
        results = measure(root, key, refs, ids, args.requests, args.concurrency)
    print(f"{args.size} vendors, {args.concurrency} concurrent clients, Odoo --workers=2")
    for name, label, target in FIGURES:
        r = results[name]
        verdict = "ok" if r["p95_ms"] < target else "MISSED"
        print(
            f"{label:32} n={r['requests']:5} median {r['median_ms']:6.1f} ms  p95"
            f" {r['p95_ms']:6.1f} ms  (target p95 < {target} ms: {verdict})  non-200:"
            f" {r['errors']}"
        )


if __name__ == "__main__":
    main()
