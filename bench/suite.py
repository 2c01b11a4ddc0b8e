"""The benchmark suite (not a test): every scenario of the targets, at one or
more sizes, written to bench/BENCHMARKS.md.

    setup/bench.sh --size 10000                 one size (about 5 minutes)
    setup/bench.sh --size 1000 --size 100000    several
    setup/bench.sh --size 10000 --only api      one scenario

Per size: a database with the three addons, N generated vendors with three
policies each (SQL and batched ORM), references, states, risk tiers and
purchase orders (benchlib/data.py). Each scenario (recompute.py,
daily_cron.py, reporting.py, api.py and upload.py against one server,
the uploads at once against a server of their own, extraction.py) runs in
a fresh process (its peak memory is its own) on a copy of that database
when it changes data, and reports the median of --runs runs (the first
run of the in-process scenarios warms caches and is not counted).

Results are kept per size in BENCHMARKS.json, so that a run at one size
leaves the others' figures in BENCHMARKS.md; the notes on what changed the
numbers come from bench/benchmarks_notes.md (benchlib/report.py).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time

import api
import daily_cron
import extraction
import notice_burst
import recompute
import reporting
import upload
from benchlib import data, machine, report
from benchlib.database import (
    copy_db,
    database_comment,
    database_exists,
    database_mb,
    drop_db,
    open_registry,
    set_database_comment,
    vacuum_analyze,
)
from benchlib.measure import Measure, children_cpu_seconds, emit, run_process
from benchlib.paths import REPO_DIR
from benchlib.server import running_server, settle, start_server

SCENARIOS = report.SCENARIOS

# ---------------------------------------------------------------------------
# Driver (no Odoo imported here)
# ---------------------------------------------------------------------------


# What each step's process took, in the order run: {"step", "seconds" (wall,
# the process's start and registry included), "cpu_seconds" (its processor
# time), "db_mb" (the database's size after it), "load" (load average before
# and after)}; the step's own figures time the measured work only.
PROCESSES = []


def run_step(step, db, size, args, extra=()):
    """One step in a fresh Python process; its last stdout line is JSON."""
    cmd = [sys.executable, __file__, "--step", step, "--db", db, "--size", str(size)]
    cmd += ["--runs", str(args.runs), "--requests", str(args.requests)]
    cmd += ["--uploads", str(args.uploads), "--vendors-by", args.vendors_by, *extra]
    cmd += ["--profile"] if args.profile else []
    load = os.getloadavg()[0]
    cpu = children_cpu_seconds()
    started = time.monotonic()
    process = {"step": step}
    PROCESSES.append(process)
    try:
        result = run_process(cmd)
    except (subprocess.CalledProcessError, KeyboardInterrupt) as error:
        process["stopped"] = getattr(error, "returncode", "interrupted")
        raise
    finally:
        seconds = time.monotonic() - started
        process["seconds"] = round(seconds, 1)
        process["cpu_seconds"] = round(children_cpu_seconds() - cpu, 1)
        process["db_mb"] = database_mb(db) if db != "-" else 0
        process["load"] = [round(load, 2), round(os.getloadavg()[0], 2)]
    print(f"  {step:<18} done in {seconds:6.1f} s", flush=True)
    return result


def copies(db, count):
    names = [f"{db}_c{i}" for i in range(count)]
    for name in names:
        copy_db(db, name)
    return names


def generated(args, size, base):
    """The generation step on `base`, a copy of the template; with
    --keep-generated, its database is kept as `coi_bench_gen_<size>` (its
    figures in the database's comment) and copied instead of generating
    again when it exists (--regenerate: made again)."""
    kept = f"coi_bench_gen_{size}"
    if args.keep_generated and not args.regenerate and database_exists(kept):
        print(f"[bench] the generated data: a copy of {kept}", flush=True)
        copy_db(kept, base)
        return json.loads(database_comment(kept))
    copy_db(args.db_template, base)
    result = run_step("generate", base, size, args)
    if args.keep_generated:
        copy_db(base, kept)
        result["kept_as"] = kept
        result["kept_mb"] = database_mb(kept)
        set_database_comment(kept, json.dumps(result))
        print(f"[bench] generated data kept as {kept} ({result['kept_mb']:,} MB)", flush=True)
    return result


def bench_size(args, size, results):
    """The scenarios at one size, their figures put in `results` as they
    come (a step that fails or is stopped leaves those before it)."""
    base = f"{args.db_template}_s{size}"
    print(f"[bench] {size:,} vendors (database {base})", flush=True)
    keep = []
    PROCESSES.clear()
    try:
        results["data"] = generated(args, size, base)
        wanted = set(args.only or [s for s, *_ in SCENARIOS])
        # The full recompute is a scenario, and its first run's database is
        # the one every later scenario starts from.
        runs = []
        heavy = args.heavy_runs if "recompute" in wanted else 1
        # One run: on the generated database itself (a copy of a large one
        # takes minutes and as much disk again).
        for index, db in enumerate(copies(base, heavy) if heavy > 1 else [base]):
            runs.append(run_step("recompute", db, size, args))
            if index == 0:
                ready = db
                keep.append(db)
            else:
                drop_db(db)
        if "recompute" in wanted:
            results["recompute"] = _median_of(runs)
        if wanted & {"notice_burst", "notice_burst_pair"}:
            results.update(_notice_burst(ready, size, args))
        run_step("history", ready, size, args)
        # The reports read, the daily cron writes: the reports first.
        if wanted & {s for s, *_ in SCENARIOS if s.startswith("reporting")}:
            results.update(run_step("reporting", ready, size, args))
        http = wanted & {"api_can_work", "api_list", "upload_decision"}
        if wanted & {"daily_cron", "notice_selection"}:
            runs = []
            in_place = args.heavy_runs == 1 and not http
            for db in [ready] if in_place else copies(ready, args.heavy_runs):
                runs.append(run_step("daily_cron", db, size, args))
                if db != ready:
                    drop_db(db)
            results["daily_cron"] = _median_of(runs)
        if http:
            results.update(run_step("http", ready, size, args))
        if "upload_concurrent" in wanted:
            results["upload_concurrent"] = _upload_concurrent(ready, size, args)
        results["processes"] = list(PROCESSES)
        return results
    finally:
        for db in [base, *keep]:
            if args.keep:
                print(f"[bench] kept database {db}")
            else:
                drop_db(db)


def _notice_burst(ready, size, args):
    """The notice job on a database where nothing was sent yet, in one cron
    process, then in two at once (each on its own copy), --heavy-runs times
    (this machine's speed varies from one minute to the next): the median
    run of each, every run's figures beside it."""
    singles, pairs = [], []
    for _run in range(args.heavy_runs):
        one, two = copies(ready, 2)
        try:
            single = run_step("notice_burst", one, size, args)
            single.update(run_step("notice_totals", one, size, args))
            double = run_step("notice_burst_pair", two, size, args)
            double.update(run_step("notice_totals", two, size, args))
            # What two processes can gain on this machine at all, just after.
            double["machine"] = machine.parallel_floor()
        finally:
            drop_db(one)
            drop_db(two)
        double["ratio"] = double["seconds"] / single["seconds"]
        singles.append(single)
        pairs.append(double)
    single = _median_of(singles)
    double = dict(sorted(pairs, key=lambda run: run["ratio"])[len(pairs) // 2])
    double["runs_ratio"] = [round(run["ratio"], 2) for run in pairs]
    double["runs_floor"] = [run["machine"]["floor"] for run in pairs]
    # The notices this burst made (the database also holds the first
    # requests that the recompute before it sent).
    per_notice = single["seconds"] / max(single["made"], 1)
    return {
        "notice_burst": {**single, "per_notice_seconds": per_notice},
        "notice_burst_pair": double,
    }


def _upload_concurrent(ready, size, args):
    """The uploads at once, --heavy-runs times, each on its own copy and
    server: the run with the median p95, with every run's figures."""
    runs = []
    for db in copies(ready, args.heavy_runs):
        runs.append(run_step("upload_concurrent", db, size, args))
        drop_db(db)
    ordered = sorted(runs, key=lambda r: r["p95_ms"] if r["p95_ms"] is not None else 1e9)
    return {**ordered[len(ordered) // 2], "all_runs": runs}


def _median_of(runs):
    """The run with the median time, with every run's seconds."""
    ordered = sorted(runs, key=lambda r: r["seconds"])
    median = dict(ordered[len(ordered) // 2])
    median["runs_seconds"] = [r["seconds"] for r in runs]
    return median


def main_driver(args):
    all_results = report.load()
    all_results.setdefault("sizes", {})
    all_results["machine"] = report.machine()
    sizes = [] if args.only == ["extraction"] else args.size
    for size in sizes:
        results = {}
        try:
            bench_size(args, size, results)
        except (subprocess.CalledProcessError, KeyboardInterrupt):
            # What was measured stays, the step that stopped said so.
            results["processes"] = list(PROCESSES)
            previous = all_results["sizes"].get(str(size), {})
            all_results["sizes"][str(size)] = {**previous, **results}
            report.write(all_results)
            print(f"[bench] stopped; the figures so far are in {report.REPORT.name}")
            raise
        previous = all_results["sizes"].get(str(size), {})
        all_results["sizes"][str(size)] = _merged(previous, results)
    if not args.only or "extraction" in args.only:
        all_results["extraction"] = run_step("extraction", "-", 0, args, extra=_folder_arg(args))
    report.write(all_results)
    print(f"[bench] wrote {report.REPORT.relative_to(REPO_DIR)}")
    print(report.REPORT.read_text())
    return 0


def _merged(previous, results):
    """A size's figures: the new ones over the previous, each scenario
    keeping the "before" (the figures of an earlier code, added by hand
    for a before/after) that the previous one had."""
    merged = {**previous, **results}
    for key, value in results.items():
        was = previous.get(key)
        if isinstance(value, dict) and isinstance(was, dict) and "before" in was:
            value.setdefault("before", was["before"])
    return merged


def _folder_arg(args):
    return ["--certificates", args.certificates] if args.certificates else []


# ---------------------------------------------------------------------------
# Steps (inside Odoo): the data, the HTTP scenarios on one server; the
# others are their scenario's `step`.
# ---------------------------------------------------------------------------


def step_generate(args):
    odoo, registry = open_registry(args.db)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        with Measure() as m:
            counts = data.generate(env, args.size, seed=42, sql_vendors=VENDORS_BY[args.vendors_by])
            counts["orders"] = data.enrich(env)
            data.manager(env)
            cr.commit()
    return {
        **counts,
        "seconds": round(m.seconds, 1),
        "cpu_seconds": round(m.cpu, 1),
        "peak_rss_mb": round(m.peak_rss_mb, 1),
    }


def step_http(args):
    """API latency and upload-to-decision against Odoo with 2 HTTP workers."""
    vacuum_analyze(args.db)
    odoo, registry = open_registry(args.db)
    key, refs, ids = api.key_and_refs(odoo, registry)
    links = upload.links(odoo, registry, args.uploads + SCAN_UPLOADS)
    scans, one_by_one = links[:SCAN_UPLOADS], links[SCAN_UPLOADS:]
    with running_server(args.db) as base:
        results = api.measure(base, key, refs, ids, args.requests)
        results["upload_decision"] = upload.measure(base, one_by_one, odoo, registry)
    # A scan is read by the reading job: a server whose cron worker runs it.
    with running_server(args.db, cron_threads=1) as base:
        results["upload_scan_decision"] = upload.measure(base, scans, odoo, registry, scan=True)
    return results


SCAN_UPLOADS = 5  # scans posted through the link, read by OCR in the job
CONCURRENT_UPLOADS = 16  # certificates posted through the link at once
# Uploads at once before the measured ones, as on a server running for a
# while: each HTTP worker has compiled its templates and filled its caches
# (a worker just started spends about 50 ms more an upload on that).
WARM_UP_UPLOADS = 4


def step_upload_concurrent(args):
    """16 uploads at once through the link (each its own vendor, client
    thread and form) against Odoo with 2 HTTP workers and the cron worker
    production runs beside them (it reads what a request leaves)."""
    vacuum_analyze(args.db)
    odoo, registry = open_registry(args.db)
    with registry.cursor() as cr:
        # This copy's own hour: the uploads of earlier scenarios (all from
        # this address) do not count against the link's limit per address.
        cr.execute("DELETE FROM coi_upload_log")
    links = upload.links(odoo, registry, CONCURRENT_UPLOADS + WARM_UP_UPLOADS)
    warm_up, links = links[:WARM_UP_UPLOADS], links[WARM_UP_UPLOADS:]
    server, base = start_server(args.db, cron_threads=1)
    try:
        # A cron worker just started runs every job due (the autovacuum...)
        # when first woken: once before the uploads, as in a server running
        # for a while; then the server's processes are left to settle.
        upload.first_cron_pass(odoo, registry)
        upload.measure_concurrent(base, warm_up, odoo, registry, clients=WARM_UP_UPLOADS)
        upload.first_cron_pass(odoo, registry)
        settle(server)
        result = upload.measure_concurrent(
            base, links, odoo, registry, clients=CONCURRENT_UPLOADS, server=server
        )
        return {**result, "warm_up": WARM_UP_UPLOADS}
    finally:
        server.terminate()
        server.wait(timeout=60)


# --vendors-by: how `generate` inserts the vendors (auto: by SQL from
# data.SQL_VENDORS_FROM vendors on).
VENDORS_BY = {"auto": None, "orm": False, "sql": True}

STEPS = {
    "generate": step_generate,
    "recompute": recompute.step,
    "history": daily_cron.history,
    "daily_cron": daily_cron.step,
    "reporting": reporting.step,
    "http": step_http,
    "upload_concurrent": step_upload_concurrent,
    "extraction": extraction.step,
    "notice_burst": notice_burst.step,
    "notice_burst_pair": notice_burst.pair,
    "notice_totals": notice_burst.totals,
}


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db-template", help="database with the three addons (copied)")
    parser.add_argument(
        "--size", type=int, action="append", help="vendors (repeatable; default 10000)"
    )
    parser.add_argument("--runs", type=int, default=5, help="runs of the light scenarios")
    parser.add_argument(
        "--heavy-runs", type=int, default=3, help="runs of recompute and daily cron"
    )
    parser.add_argument("--requests", type=int, default=3000, help="API requests (can-work)")
    parser.add_argument("--uploads", type=int, default=20, help="certificates uploaded")
    parser.add_argument("--certificates", help="a folder of PDFs for the extraction figure")
    parser.add_argument(
        "--only", action="append", choices=[s for s, *_ in SCENARIOS], help="repeatable"
    )
    parser.add_argument("--keep", action="store_true", help="keep the databases")
    parser.add_argument(
        "--keep-generated",
        action="store_true",
        help="keep the generated data as coi_bench_gen_<size> and start from a copy of it"
        " when it exists (1,000,000 vendors: generated once)",
    )
    parser.add_argument(
        "--regenerate", action="store_true", help="with --keep-generated: generate again"
    )
    parser.add_argument(
        "--vendors-by",
        choices=sorted(VENDORS_BY),
        default="auto",
        help=f"insert the vendors by the ORM or SQL (auto: SQL from"
        f" {data.SQL_VENDORS_FROM:,} vendors on)",
    )
    parser.add_argument(
        "--profile", action="store_true", help="cProfile the notice burst (in .logs/)"
    )
    parser.add_argument(
        "--render", action="store_true", help="only write BENCHMARKS.md from BENCHMARKS.json"
    )
    parser.add_argument("--step", choices=sorted(STEPS), help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.size = args.size or [10000]
    if not args.step and not args.db_template and not args.render:
        parser.error("--db-template is required")
    return args


def main(argv=None):
    args = parse_args(argv)
    if args.render:
        report.REPORT.write_text(report.render(report.load()))
        return 0
    if args.step:
        args.size = args.size[0]
        emit(STEPS[args.step](args))
        return 0
    return main_driver(args)


if __name__ == "__main__":
    sys.exit(main())
