"""Reporting at scale (a benchmark, not a test).

    .venv/bin/python bench/reporting.py --db DB [--size 100000] [--runs 5]

DB: a database with coi_tracking installed (setup/bench.sh runs these
scenarios in the benchmark suite, through `step`).

Fills a database with N vendors (three policies each, as the compliance
benchmark does, then every status recomputed), spreads them over the US
states, gives the requirement sets risk tiers and 40% of the vendors one to
three confirmed purchase orders (SQL), then times, as a COI manager (record
rules on), what the reporting views ask the server:

- the compliance pivot: requirement items by status x state (with the
  vendor count), and vendors by status x state with spend at risk;
- the ranked risk list: the first page (80 rows) of vendors that need
  attention, ordered by spend x tier, and its count;
- the dashboard card and the daily snapshot.

Each figure is the median of --runs runs after one warm-up run.
"""

import argparse
import statistics
import time

from benchlib import data
from benchlib.database import open_registry
from benchlib.measure import Measure, rss_mb


def prepare(db, size):
    odoo, registry = open_registry(db)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        started = time.perf_counter()
        data.generate(env, size, seed=11)
        cr.commit()
        env["res.partner"]._coi_recompute_all()
        orders = data.enrich(env)
        user = data.manager(env)
        cr.execute("ANALYZE")
        cr.commit()
        cr.execute("SELECT count(*) FROM coi_compliance_line")
        lines = cr.fetchone()[0]
        cr.execute("SELECT count(*) FROM res_partner WHERE coi_status IS NOT NULL")
        vendors = cr.fetchone()[0]
    print(
        f"data: {vendors:,} tracked vendors, {lines:,} compliance lines, {orders:,} purchase "
        f"orders; generated in {time.perf_counter() - started:.0f} s"
    )
    return odoo, registry, user.id


def scenarios(env):
    Report = env["coi.compliance.report"]
    Risk = env["coi.vendor.risk"]
    attention = [("needs_attention", "=", True)]
    list_fields = [
        "partner_id", "vendor_ref", "status", "deficiency_count", "next_expiry", "risk_tier",
        "spend_12m", "open_po_count", "spend_at_risk", "state_id",
    ]  # fmt: skip
    return [
        (
            "pivot: items by status x state",
            lambda: Report.formatted_read_group(
                [], ["state_id", "status"], ["vendor_count:sum", "__count"]
            ),
        ),
        (
            "pivot: vendors by status x state",
            lambda: Risk.formatted_read_group(
                [], ["state_id", "status"], ["__count", "spend_at_risk:sum"]
            ),
        ),
        (
            "graph: deficiencies (pie)",
            lambda: Report.formatted_read_group(
                [("deficiency_kind", "!=", False)], ["deficiency_kind"], ["__count"]
            ),
        ),
        (
            "ranked risk list (80 rows + count)",
            lambda: (
                Risk.search_fetch(attention, list_fields, limit=80),
                Risk.search_count(attention),
            ),
        ),
        (
            "dashboard card",
            lambda: env["coi.compliance.dashboard"]
            .search([])
            .read(["compliance_rate", "spend_at_risk", "expiring_month_count", "review_count"]),
        ),
    ]


# The scenarios the suite keeps, by the name of their figure.
SUITE_FIGURES = {
    "pivot: items by status x state": "reporting_pivot",
    "pivot: vendors by status x state": "reporting_vendor_pivot",
    "ranked risk list (80 rows + count)": "reporting_ranked",
    "dashboard card": "reporting_dashboard",
}


def step(args):
    """The suite's step, on its prepared database: each figure is the median
    of --runs runs after a warm-up run, as a COI manager."""
    odoo, registry = open_registry(args.db)
    results = {}
    with registry.cursor() as cr:
        env0 = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        cr.execute("ANALYZE")
        cr.commit()
        uid = env0["res.users"].search([("login", "=", data.MANAGER_LOGIN)]).id
        env = odoo.api.Environment(cr, uid, {})
        for name, run in scenarios(env):
            if name not in SUITE_FIGURES:
                continue
            timings, queries = [], 0
            for attempt in range(args.runs + 1):
                env.invalidate_all()
                with Measure() as m:
                    run()
                if attempt:
                    timings.append(m.seconds)
                    queries = m.queries
            results[SUITE_FIGURES[name]] = {
                "seconds": round(statistics.median(timings), 4),
                "runs": f"{len(timings)}",
                "peak_rss_mb": round(rss_mb(), 1),
                "queries": queries,
            }
    return results


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--size", type=int, default=100000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    odoo, registry, uid = prepare(args.db, args.size)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, uid, {})
        print(f"{'scenario':40} {'median':>9} {'min':>9} {'max':>9} {'queries':>8}")
        for name, run in scenarios(env):
            timings, queries = [], 0
            for attempt in range(args.runs + 1):
                env.invalidate_all()
                with Measure() as measure:
                    run()
                if attempt:  # the first run warms the caches
                    timings.append(measure.seconds * 1000)
                    queries = measure.queries
            verdict = "ok" if statistics.median(timings) < 1000 else "MISSED"
            print(
                f"{name:40} {statistics.median(timings):7.0f} ms {min(timings):6.0f} ms "
                f"{max(timings):6.0f} ms {queries:8d}  (target < 1 s: {verdict})"
            )
        Snapshot = env["coi.compliance.snapshot"].sudo()
        with Measure() as measure:
            Snapshot._take_snapshot(odoo.fields.Date.today())
        print(f"{'daily snapshot (every company)':40} {measure.seconds * 1000:7.0f} ms")
        cr.rollback()


if __name__ == "__main__":
    main()
