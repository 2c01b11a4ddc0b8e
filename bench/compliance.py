"""Benchmark of the insurance compliance engine at scale (a benchmark, not a test).

Measures, on a database where `coi_tracking` is installed:

- a full recompute, `res.partner._coi_recompute_all()`: the first run creates
  every compliance line, the second one is the "nothing changed" case;
- the daily cron, `res.partner._cron_refresh_compliance()`, with the clock
  moved one day and forty days forward (policies expire, vendors enter their
  expiring window, exemptions end);
- the cron once more after a requirement change that hands most vendors to
  it (a limit of the set most vendors have is doubled: more than SYNC_LIMIT
  vendors, so the write defers them to the cron);

at two sizes (N/10 and N vendors), so that the number of SQL queries per
vendor can be compared: it must not grow with the number of vendors.

Every measured step runs in a fresh process, so that the peak memory (RSS)
reported is that step's own, and starts with an ANALYZE (untimed), as
autovacuum keeps statistics fresh in a live database; `--no-analyze` measures
with the stale statistics of a database just bulk-loaded instead. The data:
N vendors with three policies each (GL, AUTO, WC_EL) and their limits, three
requirement sets (two assigned by tag, one directly), a realistic mix of
compliant, expiring, expired, under-insured, exempt and pending-review
vendors; policies and limits are inserted with SQL (`--orm`: with the ORM,
same data, slower; benchlib/data.py).

Run it through `setup/bench-compliance.sh` (it makes and drops the
databases), or by hand on a database with `coi_tracking` installed, which is
left untouched (each size works on a copy of it):

    .venv/bin/python bench/compliance.py --db-template DB --size 10000

It imports Odoo only inside the measured steps.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

from benchlib import data
from benchlib.database import copy_db, count, drop_db, open_registry
from benchlib.measure import Measure, current_rss_mb, emit, rss_mb, run_process

# The targets, for 10,000 vendors with 3 policies each on 2 cores.
TARGET_SECONDS = 60.0
TARGET_RSS_MB = 1024.0
# "Query counts that do not grow per vendor": what each extra vendor adds to
# a step, measured between the two sizes. Code that queries per batch of
# 1,000 vendors adds a few hundredths; a query per vendor adds about 1.
MAX_QUERIES_PER_EXTRA_VENDOR = 0.5

# Measured steps, in order; each runs in its own process.
STEPS = (
    ("recompute_1", "full recompute, first run (creates the lines)"),
    ("recompute_2", "full recompute, second run (nothing changes)"),
    ("cron_plus_1", "daily cron, clock +1 day"),
    ("cron_plus_40", "daily cron, clock +40 days"),
    ("notices_plus_40", "notice cron, clock +40 days (first run)"),
    ("notices_again", "notice cron, same day again (sends nothing)"),
    ("cron_after_change", "daily cron +41 d, after a requirement change"),
)
CRON_SHIFT = {
    "cron_plus_1": 1,
    "cron_plus_40": 40,
    "notices_plus_40": 40,
    "notices_again": 40,
    "cron_after_change": 41,
}
NOTICE_STEPS = ("notices_plus_40", "notices_again")

# ---------------------------------------------------------------------------
# Driver: databases, one process per step, the final table. No Odoo here.
# ---------------------------------------------------------------------------


def run_step(args, db, step, size):
    """One step in a fresh Python process; its last stdout line is JSON."""
    cmd = [sys.executable, __file__, "--db", db, "--step", step, "--size", str(size)]
    cmd += ["--seed", str(args.seed), "--batch-size", str(args.batch_size)]
    cmd += ["--log-level", args.log_level]
    if not args.analyze:
        cmd.append("--no-analyze")
    if args.orm:
        cmd.append("--orm")
    if step in args.profile:
        cmd += ["--profile", step]
    started = time.monotonic()
    try:
        result = run_process(cmd)
    except subprocess.CalledProcessError as error:
        raise SystemExit(
            f"[bench] step {step} failed (exit code {error.returncode}), see above"
        ) from None
    result["process_seconds"] = round(time.monotonic() - started, 1)
    print(f"  {step:<18} {result['seconds']:>8.1f} s {result['queries']:>9} queries", flush=True)
    return result


def bench_size(args, size):
    db = f"{args.db_template}_n{size}"
    print(f"[bench] {size} vendors on database {db}", flush=True)
    copy_db(args.db_template, db)
    try:
        results = {"generate": run_step(args, db, "generate", size)}
        for step, _label in STEPS:
            results[step] = run_step(args, db, step, size)
        return results
    finally:
        if args.keep:
            print(f"[bench] kept database {db}", flush=True)
        else:
            drop_db(db)


def _row(label, vendors, done, seconds, cpu, queries, peak, profiled=False):
    q_vendor = f"{queries / vendors:.2f}" if vendors else ""
    q_done = f"{queries / done:.2f}" if done else ""
    label += " [profiled]" if profiled else ""
    cpu = f"{cpu:.1f}" if cpu is not None else ""
    print(
        f"{label:<58} {vendors:>7} {done:>6} {seconds:>8.1f} {cpu:>6} {queries:>8}"
        f" {q_vendor:>8} {q_done:>7} {peak:>7.0f}"
    )


def print_table(by_size):
    sizes = sorted(by_size)
    big = sizes[-1]
    print()
    print("Compliance engine benchmark (wall seconds, SQL queries, peak RSS of the step's process)")
    header = (
        f"{'step':<58} {'vendors':>7} {'done':>6} {'seconds':>8} {'cpu s':>6} {'queries':>8}"
        f" {'q/vendor':>8} {'q/done':>7} {'peak MB':>7}"
    )
    print(header)
    print("-" * len(header))
    for size in sizes:
        gen = by_size[size]["generate"]
        _row(
            "generate data (not a target)",
            gen["vendors"],
            gen["done"],
            gen["seconds"],
            gen["cpu_seconds"],
            gen["queries"],
            gen["peak_rss_mb"],
        )
        for step, label in STEPS:
            r = by_size[size][step]
            if "write_seconds" in r:
                _row(
                    "requirement change: the write (hands vendors to the cron)",
                    r["vendors"],
                    r["done"],
                    r["write_seconds"],
                    None,
                    r["write_queries"],
                    r["write_peak_rss_mb"],
                )
            _row(
                label,
                r["vendors"],
                r["done"],
                r["seconds"],
                r["cpu_seconds"],
                r["queries"],
                r["peak_rss_mb"],
                r.get("profiled"),
            )
        print()
    print("vendors: tracked vendors in the database; done: vendors the step evaluated (for the")
    print("cron, those whose recheck date had come); q/vendor and q/done: queries per each;")
    print("cpu s: Python CPU time (the rest of the wall time is spent waiting on PostgreSQL);")
    base = by_size[big]["recompute_1"]["baseline_rss_mb"]
    print(f"peak MB: the process's peak, including the loaded registry (~{base:.0f} MB).")
    print()
    print(f"Statuses and chatter messages after each step, {big} vendors:")
    for step, label in STEPS:
        r = by_size[big][step]
        statuses = ", ".join(f"{k} {v}" for k, v in sorted(r["statuses"].items()))
        print(f"  {label:<46} {statuses}; {r['messages_created']} messages")
    print()
    failures = []
    for step, label in STEPS:
        r = by_size[big][step]
        if r.get("profiled"):
            continue
        if r["seconds"] > TARGET_SECONDS:
            failures.append(f"{label}: {r['seconds']:.1f} s > {TARGET_SECONDS:.0f} s")
        if r["peak_rss_mb"] > TARGET_RSS_MB:
            failures.append(f"{label}: {r['peak_rss_mb']:.0f} MB > {TARGET_RSS_MB:.0f} MB")
    if len(sizes) > 1:
        small = sizes[0]
        print(f"Queries per vendor at {small} and {big} vendors, and what each extra vendor in")
        print("the database adds (batched code adds ~0.05; a query per vendor shows as ~1):")
        for step, label in STEPS:
            a, b = by_size[small][step], by_size[big][step]
            extra = (b["queries"] - a["queries"]) / max(b["vendors"] - a["vendors"], 1)
            print(
                f"  {label:<46} {a['queries_per_vendor']:>6.2f} -> {b['queries_per_vendor']:>6.2f}"
                f"   extra vendor: {extra:.2f} queries"
            )
            # Fixed per-batch queries weigh more on the small size; growth is
            # queries per vendor going up with the size.
            if b["queries_per_vendor"] > a["queries_per_vendor"] * 1.15 + 0.05:
                failures.append(
                    f"{label}: queries per vendor grow with the size"
                    f" ({a['queries_per_vendor']:.2f} at {small}, {b['queries_per_vendor']:.2f}"
                    f" at {big})"
                )
            if extra >= MAX_QUERIES_PER_EXTRA_VENDOR:
                failures.append(f"{label}: {extra:.2f} queries per extra vendor")
        print()
    print(
        f"Targets at {big} vendors: under {TARGET_SECONDS:.0f} s"
        f" and {TARGET_RSS_MB:.0f} MB per step, queries not growing per vendor."
    )
    if big < 10000:
        print(f"(size {big} is below the issue's 10,000 vendors: indicative only)")
    for failure in failures:
        print(f"  MISSED  {failure}")
    if not failures:
        print("  all targets met")
    return not failures


def main_driver(args):
    sizes = [args.size]
    if args.small_size is None:
        args.small_size = max(args.size // 10, 1) if args.size >= 10 else 0
    if args.small_size:
        sizes.insert(0, args.small_size)
    by_size = {}
    for size in sizes:
        by_size[size] = bench_size(args, size)
    if args.json:
        Path(args.json).write_text(json.dumps(by_size, indent=2, default=str))
    ok = print_table(by_size)
    return 0 if ok or not args.strict else 1


# ---------------------------------------------------------------------------
# Steps: inside Odoo.
# ---------------------------------------------------------------------------


def main_step(args):
    odoo, registry = open_registry(args.db, args.log_level)
    baseline = current_rss_mb()
    if args.step == "generate":
        with registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            with Measure() as m:
                counts = data.generate(env, args.size, args.seed, orm=args.orm)
                cr.commit()
        result = {
            **counts,
            "done": counts["vendors"],
            "seconds": round(m.seconds, 2),
            "cpu_seconds": round(m.cpu, 2),
            "queries": m.queries,
        }
    else:
        result = measure_step(odoo, registry, args)
    result.update(
        step=args.step, peak_rss_mb=round(rss_mb(), 1), baseline_rss_mb=round(baseline, 1)
    )
    emit(result)
    return 0


def measure_step(odoo, registry, args):
    from freezegun import freeze_time

    shift = CRON_SHIFT.get(args.step, 0)
    today = date.today() + timedelta(days=shift)
    freezer = freeze_time(today.isoformat() + " 12:00:00", tick=True) if shift else None
    if freezer:
        freezer.start()  # before the clock starts: freezegun scans every module
    try:
        with registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            if args.analyze:
                # Fresh planner statistics, as autovacuum keeps them in a live
                # database (right after a bulk load they are stale).
                cr.execute("ANALYZE")
                cr.commit()
            Partner = env["res.partner"]
            result = {}
            if args.step == "cron_after_change":
                # Raise a limit of the set most vendors have: its thousands of
                # vendors are handed to the cron (SYNC_LIMIT) to re-evaluate.
                limit = env["coi.requirement.limit"].search(
                    [
                        ("line_id.set_id.name", "=", "Bench Standard Contractor"),
                        ("line_id.coverage_type_id.code", "=", "GL"),
                        ("limit_type_id.code", "=", "EACH_OCCURRENCE"),
                    ]
                )
                with Measure() as w:
                    limit.write({"amount": limit.amount * 2})
                    cr.commit()
                result.update(
                    write_seconds=round(w.seconds, 2),
                    write_queries=w.queries,
                    write_peak_rss_mb=round(w.peak_rss_mb, 1),
                )
            vendors = Partner.search_count(Partner._coi_tracked_domain())
            due = Partner.search_count([("coi_recheck_date", "<=", today)])
            messages = count(cr, "mail_message")
            lines = count(cr, "coi_compliance_line")
            profile = args.profile if args.profile == args.step else None
            if args.step in NOTICE_STEPS:
                notices = count(cr, "coi_notice")
                cron = env.ref("coi_tracking.ir_cron_coi_send_notices")
                with Measure(profile) as m:
                    env["coi.notice"].with_context(cron_id=cron.id)._cron_send_notices()
                    cr.commit()
                done = count(cr, "coi_notice") - notices
                result["notices_sent"] = done
                result["mails_queued"] = count(cr, "mail_mail")
            elif shift:
                cron = env.ref("coi_tracking.ir_cron_coi_refresh_compliance")
                # With a cron_id in the context the method commits per batch,
                # as it does when the scheduler runs it.
                with Measure(profile) as m:
                    Partner.with_context(cron_id=cron.id)._cron_refresh_compliance(
                        batch_size=args.batch_size
                    )
                    cr.commit()
                done = due
            else:
                with Measure(profile) as m:
                    Partner._coi_recompute_all(batch_size=args.batch_size)
                    cr.commit()
                done = vendors
            statuses = {
                status or "none": count
                for status, count in Partner._read_group(
                    Partner._coi_tracked_domain(), ["coi_status"], ["__count"]
                )
            }
            result.update(
                vendors=vendors,
                done=done,
                on_date=today.isoformat(),
                profiled=bool(profile),
                seconds=round(m.seconds, 2),
                cpu_seconds=round(m.cpu, 2),
                queries=m.queries,
                queries_per_vendor=round(m.queries / max(vendors, 1), 3),
                queries_per_done=round(m.queries / max(done, 1), 3),
                lines_before=lines,
                lines_after=count(cr, "coi_compliance_line"),
                messages_created=count(cr, "mail_message") - messages,
                statuses=statuses,
            )
    finally:
        if freezer:
            freezer.stop()
    return result


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db-template", help="database with coi_tracking installed (copied)")
    parser.add_argument("--size", type=int, default=10000, help="vendors (default 10000)")
    parser.add_argument(
        "--small-size",
        type=int,
        help="the smaller size compared for queries per vendor (default size/10; 0: none)",
    )
    parser.add_argument("--batch-size", type=int, default=1000, help="batch of the engine")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument(
        "--orm", action="store_true", help="create policies with the ORM (slower) rather than SQL"
    )
    parser.add_argument(
        "--profile",
        action="append",
        default=[],
        choices=[step for step, _label in STEPS],
        help="run this step under cProfile (its timings are then inflated); repeatable",
    )
    parser.add_argument("--keep", action="store_true", help="keep the databases")
    parser.add_argument("--json", help="write every number to this file")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument(
        "--no-analyze",
        dest="analyze",
        action="store_false",
        help="do not ANALYZE before each step (measures with the stale planner statistics"
        " of a database just bulk-loaded)",
    )
    parser.add_argument("--log-level", default="warn")
    # Internal: one step in this process.
    parser.add_argument("--db", help=argparse.SUPPRESS)
    parser.add_argument(
        "--step", choices=["generate", *(s for s, _label in STEPS)], help=argparse.SUPPRESS
    )
    args = parser.parse_args(argv)
    if args.step:
        args.profile = args.profile[0] if args.profile else None
        if not args.db:
            parser.error("--step needs --db")
    elif not args.db_template:
        parser.error("--db-template is required")
    return args


def main(argv=None):
    args = parse_args(argv)
    return main_step(args) if args.step else main_driver(args)


if __name__ == "__main__":
    sys.exit(main())
