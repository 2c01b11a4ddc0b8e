"""Reporting at scale (a benchmark, not a test).

    .venv/bin/python bench/reporting.py --db DB [--size 100000] [--runs 5]

DB: a database with coi_tracking installed (setup/bench.sh runs these
scenarios in the benchmark suite).

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
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import compliance as bc  # the same data generator


def enrich(env):
    """What the reports slice by, on generated vendors: references, US
    states, risk tiers of the sets, and 40% of the vendors with one to three
    confirmed purchase orders. Returns the number of orders."""
    cr = env.cr
    tiers = {
        "Bench Standard Contractor": "medium",
        "Bench Fleet Operators": "high",
        "Bench High-Risk Sites": "critical",
    }
    for name, tier in tiers.items():
        env["coi.requirement.set"].search([("name", "=", name)]).with_context(
            coi_skip_recompute=True
        ).write({"risk_tier": tier})
    cr.execute(
        """
        WITH states AS (
            SELECT array_agg(s.id ORDER BY s.id) AS ids
              FROM res_country_state s JOIN res_country c ON c.id = s.country_id
             WHERE c.code = 'US')
        UPDATE res_partner p
           SET state_id = states.ids[1 + p.id % array_length(states.ids, 1)],
               country_id = (SELECT id FROM res_country WHERE code = 'US'),
               ref = 'B-' || p.id
          FROM states
         WHERE p.name LIKE 'Bench Vendor %'
        """
    )
    company = env.company
    cr.execute(
        """
        INSERT INTO purchase_order (
            name, partner_id, company_id, currency_id, state, date_order, date_approve,
            amount_untaxed, amount_tax, amount_total, currency_rate, invoice_status,
            create_uid, create_date, write_uid, write_date)
        SELECT 'BENCH/' || p.id || '/' || n, p.id, %s, %s, 'purchase',
               now() - (p.id %% 300 || ' days')::interval,
               now() - (p.id %% 300 || ' days')::interval,
               1000 + (p.id * 37 + n * 101) %% 50000, 0,
               1000 + (p.id * 37 + n * 101) %% 50000, 1,
               CASE WHEN n = 1 THEN 'to invoice' ELSE 'invoiced' END,
               1, now(), 1, now()
          FROM res_partner p, generate_series(1, 1 + p.id %% 3) n
         WHERE p.name LIKE 'Bench Vendor %%' AND p.id %% 5 < 2
        """,
        [company.id, company.currency_id.id],
    )
    return cr.rowcount


def manager(env):
    """A COI manager: the reports are measured with record rules on."""
    return env["res.users"].create(
        {
            "name": "Bench Manager",
            "login": "bench_reporting_manager",
            "group_ids": [(6, 0, [env.ref("coi_tracking.coi_tracking_group_manager").id])],
        }
    )


def prepare(db, size):
    odoo, registry = bc.open_registry(db, "warn")
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        started = time.perf_counter()
        bc.generate(env, size, seed=11)
        cr.commit()
        env["res.partner"]._coi_recompute_all()
        orders = enrich(env)
        user = manager(env)
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
                with bc.Measure(odoo.sql_db) as measure:
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
        with bc.Measure(odoo.sql_db) as measure:
            Snapshot._take_snapshot(odoo.fields.Date.today())
        print(f"{'daily snapshot (every company)':40} {measure.seconds * 1000:7.0f} ms")
        cr.rollback()


if __name__ == "__main__":
    main()
