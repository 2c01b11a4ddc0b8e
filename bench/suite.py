"""The benchmark suite (not a test): every scenario of the targets, at one or
more sizes, written to bench/BENCHMARKS.md.

    setup/bench.sh --size 10000                 one size (about 5 minutes)
    setup/bench.sh --size 1000 --size 100000    several
    setup/bench.sh --size 10000 --only api      one scenario

Per size: a database with the three addons, N generated vendors with three
policies each (SQL and batched ORM, as `compliance.py` draws them),
references, states, risk tiers and purchase orders (`reporting.py`).
Each scenario runs in a fresh process (its peak memory is its own) on a copy
of that database when it changes data, and reports the median of --runs runs
(the first run of the in-process scenarios warms caches and is not counted).

Results are kept per size in BENCHMARKS.json, so that a run at one size
leaves the others' figures in BENCHMARKS.md; the notes on what changed the
numbers come from bench/benchmarks_notes.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import compliance as bc  # data generator, Measure, databases

REPO_DIR = bc.REPO_DIR
BENCH_DIR = Path(__file__).resolve().parent
RESULTS = BENCH_DIR / "BENCHMARKS.json"
REPORT = BENCH_DIR / "BENCHMARKS.md"
NOTES = BENCH_DIR / "benchmarks_notes.md"

# (scenario, what is measured, target, unit of the target)
SCENARIOS = (
    ("recompute", "full compliance recompute (creates every line)", 120, "s"),
    ("daily_cron", "daily cron, clock +1 day: status refresh + notices queued", 120, "s"),
    ("notice_selection", "  its notice selection (ORM) / the same policies by raw SQL", 5, "x"),
    ("reporting_pivot", "compliance pivot: items by status x state", 1, "s"),
    ("reporting_vendor_pivot", "compliance pivot: vendors by status x state", 1, "s"),
    ("reporting_ranked", "ranked risk list (80 rows + count)", 1, "s"),
    ("reporting_dashboard", "dashboard card", 1, "s"),
    ("api_can_work", "API GET /vendors/{ref}/can-work, 16 clients, p95", 0.05, "s"),
    ("api_list", "API GET /vendors (page of 100), 16 clients, p95", 0.2, "s"),
    ("upload_decision", "upload through the link to status + receipt notice", 2, "s"),
    ("extraction", "extraction, median per page (text layer)", None, "s"),
)
MEMORY_TARGET_MB = 1024


# ---------------------------------------------------------------------------
# Driver (no Odoo imported here)
# ---------------------------------------------------------------------------


def run_step(step, db, size, args, extra=()):
    """One step in a fresh Python process; its last stdout line is JSON."""
    cmd = [sys.executable, __file__, "--step", step, "--db", db, "--size", str(size)]
    cmd += ["--runs", str(args.runs), "--requests", str(args.requests)]
    cmd += ["--uploads", str(args.uploads), *extra]
    started = time.monotonic()
    out = subprocess.run(cmd, check=True, stdout=subprocess.PIPE, text=True).stdout
    result = json.loads(out.strip().splitlines()[-1])
    print(f"  {step:<18} done in {time.monotonic() - started:6.1f} s", flush=True)
    return result


def copies(db, count):
    names = [f"{db}_c{i}" for i in range(count)]
    for name in names:
        bc.copy_db(db, name)
    return names


def bench_size(args, size):
    base = f"{args.db_template}_s{size}"
    print(f"[bench] {size:,} vendors (database {base})", flush=True)
    bc.copy_db(args.db_template, base)
    results = {}
    keep = []
    try:
        results["data"] = run_step("generate", base, size, args)
        wanted = set(args.only or [s for s, *_ in SCENARIOS])
        # The full recompute is a scenario, and its first run's database is
        # the one every later scenario starts from.
        runs = []
        heavy = args.heavy_runs if "recompute" in wanted else 1
        for index, db in enumerate(copies(base, heavy)):
            runs.append(run_step("recompute", db, size, args))
            if index == 0:
                ready = db
                keep.append(db)
            else:
                bc.drop_db(db)
        if "recompute" in wanted:
            results["recompute"] = _median_of(runs)
        run_step("history", ready, size, args)
        if wanted & {"daily_cron", "notice_selection"}:
            runs = []
            for db in copies(ready, args.heavy_runs):
                runs.append(run_step("daily_cron", db, size, args))
                bc.drop_db(db)
            results["daily_cron"] = _median_of(runs)
        if wanted & {s for s, *_ in SCENARIOS if s.startswith("reporting")}:
            results.update(run_step("reporting", ready, size, args))
        if wanted & {"api_can_work", "api_list", "upload_decision"}:
            results.update(run_step("http", ready, size, args))
        return results
    finally:
        for db in [base, *keep]:
            if args.keep:
                print(f"[bench] kept database {db}")
            else:
                bc.drop_db(db)


def _median_of(runs):
    """The run with the median time, with every run's seconds."""
    ordered = sorted(runs, key=lambda r: r["seconds"])
    median = dict(ordered[len(ordered) // 2])
    median["runs_seconds"] = [r["seconds"] for r in runs]
    return median


def machine():
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = 0
    try:
        mem = int(Path("/proc/meminfo").read_text().split()[1]) // 1024 // 1024
    except (OSError, ValueError, IndexError):
        pass
    pg = subprocess.run(
        ["psql", "-Atc", "SHOW server_version", "postgres"], capture_output=True, text=True
    ).stdout.strip()
    sys.path.insert(0, str(bc.ODOO_PATH))
    from odoo import release

    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": mem,
        "python": platform.python_version(),
        "odoo": release.version,
        "postgresql": pg,
        "date": date.today().isoformat(),
    }


def main_driver(args):
    all_results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    all_results.setdefault("sizes", {})
    all_results["machine"] = machine()
    sizes = [] if args.only == ["extraction"] else args.size
    for size in sizes:
        results = bench_size(args, size)
        previous = all_results["sizes"].get(str(size), {})
        all_results["sizes"][str(size)] = {**previous, **results}
    extraction = run_step("extraction", "-", 0, args, extra=_folder_arg(args))
    all_results["extraction"] = extraction
    RESULTS.write_text(json.dumps(all_results, indent=1, sort_keys=True, default=str) + "\n")
    REPORT.write_text(render(all_results))
    print(f"[bench] wrote {REPORT.relative_to(REPO_DIR)}")
    print(REPORT.read_text())
    return 0


def _folder_arg(args):
    return ["--certificates", args.certificates] if args.certificates else []


def _fmt_seconds(value):
    if value is None:
        return ""
    return f"{value * 1000:.0f} ms" if value < 10 else f"{value:.1f} s"


def _verdict(value, target):
    if target is None or value is None:
        return ""
    return "met" if value < target else "**missed**"


def render(all_results):
    m = all_results["machine"]
    sizes = sorted(all_results["sizes"], key=int)
    lines = [
        "# Benchmarks",
        "",
        "Written by `setup/bench.sh` (scripts in `bench/`, not part of the tests).",
        "",
        f"- Machine: {m['cpu']}, {m['cores']} cores, {m['memory_gb']} GB RAM",
        f"- Odoo {m['odoo']}, PostgreSQL {m['postgresql']}, Python {m['python']}",
        f"- Last run: {m['date']}",
        "- Data: N vendors with 3 policies each (GL, auto, workers' compensation) and their",
        "  limits, 3 requirement sets (two by tag, one direct), a mix of compliant, expiring,",
        "  expired, under-insured, exempt and pending vendors; 40% of the vendors with 1 to 3",
        "  confirmed purchase orders.",
        "- Each figure is the median of several runs (the runs are listed where a run is heavy);",
        "  peak MB is the peak RSS of the process that ran the scenario (Odoo's registry",
        "  included); queries are SQL statements sent by that process.",
        "",
    ]
    for size in sizes:
        r = all_results["sizes"][size]
        data = r.get("data", {})
        lines += [
            f"## {int(size):,} vendors",
            "",
            f"{data.get('vendors', 0):,} tracked vendors, {data.get('policies', 0):,} policies,"
            f" {r.get('recompute', {}).get('lines_after', 0):,} compliance lines,"
            f" {data.get('orders', 0):,} purchase orders.",
            "",
            "| scenario | median | runs | peak MB | queries | target | |",
            "| --- | --- | --- | --- | --- | --- | --- |",
        ]
        for key, label, target, unit in SCENARIOS:
            if key == "extraction":
                continue
            row = _row(key, r)
            if row is None:
                continue
            value, runs, peak, queries = row
            shown = f"{value:.1f}x" if unit == "x" else _fmt_seconds(value)
            goal = (
                ""
                if target is None
                else (f"< {target}x" if unit == "x" else f"< {_fmt_seconds(target)}")
            )
            if peak is not None and peak > MEMORY_TARGET_MB:
                goal += f" (peak {peak:.0f} MB > 1 GB)"
            peak_text = "" if peak is None else f"{peak:.0f}"
            query_text = "" if queries is None else queries
            lines.append(
                f"| {label} | {shown} | {runs} | {peak_text} | {query_text} | {goal} |"
                f" {_verdict(value, target)} |"
            )
        extra = _details(r)
        if extra:
            lines += ["", *extra]
        lines.append("")
    ex = all_results.get("extraction")
    if ex:
        lines += [
            "## Extraction",
            "",
            f"Over {ex['documents']} certificates ({ex['source']}), median of 5 readings each:",
            "",
            "| method | documents | median ms per page |",
            "| --- | --- | --- |",
        ]
        for method, row in sorted(ex["per_method"].items()):
            lines.append(f"| {method} | {row['documents']} | {row['median_ms_per_page']:.0f} |")
        lines.append("")
    if NOTES.exists():
        lines += [NOTES.read_text().strip(), ""]
    return "\n".join(lines)


def _row(key, r):
    """(value in the target's unit, runs text, peak MB, queries) or None."""
    if key in ("recompute", "daily_cron"):
        step = r.get(key)
        if not step:
            return None
        runs = ", ".join(f"{s:.1f}" for s in step.get("runs_seconds", []))
        return step["seconds"], f"{runs} s", step["peak_rss_mb"], step["queries"]
    if key == "notice_selection":
        step = r.get("daily_cron")
        if not step:
            return None
        return step["selection_ratio"], "", None, None
    step = r.get(key)
    if not step:
        return None
    return step["seconds"], step.get("runs", ""), step.get("peak_rss_mb"), step.get("queries")


def _details(r):
    out = []
    cron = r.get("daily_cron")
    if cron:
        out.append(
            f"Daily cron: refresh {cron['refresh_seconds']:.1f} s ({cron['refreshed']:,} vendors"
            f" re-evaluated), notices {cron['notice_seconds']:.1f} s ({cron['notices']:,} notices,"
            f" {cron['mails']:,} emails queued); notice selection {cron['selection_seconds']:.2f} s"
            f" (ORM, {cron['selected']:,} policies) vs {cron['sql_seconds']:.3f} s (raw SQL,"
            f" the same policies: {cron['same_policies']})."
        )
    api = r.get("api_can_work")
    if api:
        lst = r.get("api_list", {})
        out.append(
            f"API ({api['clients']} concurrent clients, Odoo --workers=2, client on the same"
            f" cores): can-work median {api['median_ms']:.1f} ms, p95 {api['p95_ms']:.1f} ms over"
            f" {api['requests']:,} requests; list median {lst.get('median_ms', 0):.1f} ms, p95"
            f" {lst.get('p95_ms', 0):.1f} ms; non-200: {api['errors'] + lst.get('errors', 0)}."
        )
    up = r.get("upload_decision")
    if up:
        out.append(
            f"Upload to decision ({up['uploads']} uploads, one after the other, Odoo"
            f" --workers=2): median {up['seconds'] * 1000:.0f} ms, p95 {up['p95_ms']:.0f} ms;"
            f" every upload ended {up['outcome']}."
        )
    return out


# ---------------------------------------------------------------------------
# Steps (inside Odoo)
# ---------------------------------------------------------------------------


def _open(db):
    odoo, registry = bc.open_registry(db, "warn")
    from odoo import sql_db

    return odoo, registry, sql_db


def step_generate(args):
    import reporting as br

    odoo, registry, sql_db = _open(args.db)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        with bc.Measure(sql_db) as m:
            counts = bc.generate(env, args.size, seed=42)
            counts["orders"] = br.enrich(env)
            br.manager(env)
            cr.commit()
    return {**counts, "seconds": round(m.seconds, 1)}


def step_recompute(args):
    odoo, registry, sql_db = _open(args.db)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        cr.execute("ANALYZE")
        cr.commit()
        with bc.Measure(sql_db) as m:
            env["res.partner"]._coi_recompute_all()
            cr.commit()
        lines = bc._count(cr, "coi_compliance_line")
    return {
        "seconds": round(m.seconds, 2),
        "queries": m.queries,
        "peak_rss_mb": round(bc._rss_mb(), 1),
        "lines_after": lines,
    }


def step_history(args):
    """The days before today were run: every notice due until today is
    recorded as sent (without email), as in a database in daily use, so that
    the measured day sends only that day's notices."""
    odoo, registry, _sql_db = _open(args.db)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        Notice = env["coi.notice"]
        today = date.today()
        candidates = []
        for company in env["res.company"].search([]):
            candidates += Notice._renewal_candidates(today, company)
            candidates += Notice._expired_candidates(today, company)
            candidates += Notice._verification_candidates(today, company)
        rows = [
            (
                Notice._make_key(c["kind"], c.get("policy"), None, c.get("stage", "")),
                c["kind"],
                c.get("stage", ""),
                c["vendor"].id,
                c["policy"].id,
            )
            for c in candidates
        ]
        cr.execute(
            """
            INSERT INTO coi_notice (key, kind, stage, partner_id, policy_id, date, state,
                                    create_uid, create_date, write_uid, write_date)
            SELECT k, kd, st, pa, po, %s, 'sent', 1, now(), 1, now()
              FROM unnest(%s::varchar[], %s::varchar[], %s::varchar[], %s::int[], %s::int[])
                AS t(k, kd, st, pa, po)
            ON CONFLICT (key) DO NOTHING
            """,
            [today, *([list(col) for col in zip(*rows, strict=True)] if rows else [[]] * 5)],
        )
        for c in candidates:
            if c["kind"] == "verification":
                c["policy"].verification_step = c["stage"]
        cr.commit()
    return {"notices": len(candidates)}


def step_daily_cron(args):
    from freezegun import freeze_time

    odoo, registry, sql_db = _open(args.db)
    tomorrow = date.today() + timedelta(days=1)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        cr.execute("ANALYZE")
        cr.commit()
        due = env["res.partner"].search_count([("coi_recheck_date", "<=", tomorrow)])
        notices_before = bc._count(cr, "coi_notice")
        mails_before = bc._count(cr, "mail_mail")
        refresh_cron = env.ref("coi_tracking.ir_cron_coi_refresh_compliance")
        notice_cron = env.ref("coi_tracking.ir_cron_coi_send_notices")
        with freeze_time(f"{tomorrow.isoformat()} 06:00:00", tick=True):
            with bc.Measure(sql_db) as whole:
                with bc.Measure(sql_db) as refresh:
                    env["res.partner"].with_context(
                        cron_id=refresh_cron.id
                    )._cron_refresh_compliance()
                    cr.commit()
                # What the notice job selects, timed apart (the job selects again).
                Notice = env["coi.notice"]
                with bc.Measure(sql_db) as selection:
                    selected = set()
                    for company in env["res.company"].search([]):
                        for pick in (
                            Notice._renewal_candidates,
                            Notice._expired_candidates,
                            Notice._verification_candidates,
                        ):
                            selected |= {c["policy"].id for c in pick(tomorrow, company)}
                env.invalidate_all()
                # The same policies in one SQL query, on the same data.
                sql_ids, sql_seconds = _raw_sql_selection(cr, tomorrow)
                with bc.Measure(sql_db) as notices:
                    Notice.with_context(cron_id=notice_cron.id)._cron_send_notices()
                    cr.commit()
        sql_queries = 3  # the raw SQL query, run three times inside `whole`
        return {
            "seconds": round(whole.seconds - selection.seconds - 3 * sql_seconds, 2),
            "queries": whole.queries - selection.queries - sql_queries,
            "peak_rss_mb": round(bc._rss_mb(), 1),
            "refresh_seconds": round(refresh.seconds, 2),
            "refreshed": due,
            "notice_seconds": round(notices.seconds, 2),
            "notices": bc._count(cr, "coi_notice") - notices_before,
            "mails": bc._count(cr, "mail_mail") - mails_before,
            "selection_seconds": round(selection.seconds, 3),
            "selected": len(selected),
            "sql_seconds": round(sql_seconds, 4),
            "same_policies": "yes" if sql_ids == selected else f"no ({len(sql_ids)} by SQL)",
            "selection_ratio": round(selection.seconds / max(sql_seconds, 1e-6), 1),
        }


def _raw_sql_selection(cr, today):
    """The policies the notice job writes about on `today`, in one query:
    renewal reminders on the cadence, expired policies not replaced,
    verifications due. The lower bound of the job's selection."""
    query = """
    WITH cadence AS (
        SELECT c.id AS company_id, max(d::int) AS horizon
          FROM res_company c,
               unnest(string_to_array(coalesce(c.coi_renewal_cadence, '30,14,7'), ',')) d
         GROUP BY c.id
    ), due AS (
        SELECT p.id, p.partner_id, p.coverage_type_id, p.expiration_date, cadence.horizon
          FROM coi_policy p JOIN cadence ON cadence.company_id = p.company_id
         WHERE p.replaced_by_id IS NULL AND (
               (p.state = 'active'
                AND p.expiration_date BETWEEN %(today)s AND %(today)s + cadence.horizon)
            OR (p.state = 'expired'
                AND p.expiration_date BETWEEN %(today)s - 365 AND %(today)s))
    )
    SELECT due.id FROM due
     WHERE NOT EXISTS (
            SELECT 1 FROM coi_policy n
             WHERE n.partner_id = due.partner_id AND n.coverage_type_id = due.coverage_type_id
               AND n.state IN ('draft', 'active') AND n.expiration_date > due.expiration_date)
       AND NOT EXISTS (
            SELECT 1 FROM coi_certificate c
             WHERE c.partner_id = due.partner_id
               AND c.state IN ('received', 'in_review', 'accepted')
               AND c.received_date::date >= due.expiration_date - due.horizon)
    UNION
    SELECT p.id FROM coi_policy p
      LEFT JOIN coi_certificate c ON c.id = p.certificate_id
     WHERE p.state = 'active' AND p.expiration_date > %(today)s
       AND coalesce(p.verification_step, '') != 'midterm'
       AND (
            (p.midterm_date <= %(today)s AND p.midterm_date > %(today)s - 30)
         OR (p.verification_step IS NULL
             AND c.review_date >= %(today)s - 59 AND c.review_date < %(today)s - 29)
         OR (p.verification_step IS NULL AND p.certificate_id IS NULL
             AND p.effective_date BETWEEN %(today)s - 59 AND %(today)s - 30))
    """
    timings, ids = [], set()
    for _ in range(3):
        start = time.perf_counter()
        cr.execute(query, {"today": today})
        ids = {row[0] for row in cr.fetchall()}
        timings.append(time.perf_counter() - start)
    return ids, statistics.median(timings)


def step_reporting(args):
    import reporting as br

    odoo, registry, sql_db = _open(args.db)
    names = {
        "pivot: items by status x state": "reporting_pivot",
        "pivot: vendors by status x state": "reporting_vendor_pivot",
        "ranked risk list (80 rows + count)": "reporting_ranked",
        "dashboard card": "reporting_dashboard",
    }
    results = {}
    with registry.cursor() as cr:
        env0 = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        cr.execute("ANALYZE")
        cr.commit()
        uid = env0["res.users"].search([("login", "=", "bench_reporting_manager")]).id
        env = odoo.api.Environment(cr, uid, {})
        for name, run in br.scenarios(env):
            if name not in names:
                continue
            timings, queries = [], 0
            for attempt in range(args.runs + 1):
                env.invalidate_all()
                with bc.Measure(sql_db) as m:
                    run()
                if attempt:
                    timings.append(m.seconds)
                    queries = m.queries
            results[names[name]] = {
                "seconds": round(statistics.median(timings), 4),
                "runs": f"{len(timings)}",
                "peak_rss_mb": round(bc._rss_mb(), 1),
                "queries": queries,
            }
    return results


def step_http(args):
    """API latency and upload-to-decision against Odoo with 2 HTTP workers."""
    import api as bench_api

    odoo, registry, _sql_db = _open(args.db)
    key, refs, ids = _api_key_and_refs(odoo, registry)
    links = _upload_links(odoo, registry, args.uploads)
    server, base = bench_api.start_server(args.db)
    try:
        rng = random.Random(1)  # noqa: S311 - a reproducible benchmark, not security
        api = f"{base}/api/coi/v1"
        bench_api.measure(
            [f"{api}/vendors/{rng.choice(refs)}/can-work" for _ in range(200)], key, 16
        )
        results = {}
        for name, urls in (
            (
                "api_can_work",
                [f"{api}/vendors/{rng.choice(refs)}/can-work" for _ in range(args.requests)],
            ),
            (
                "api_list",
                [
                    f"{api}/vendors?limit=100&cursor={rng.choice(ids)}"
                    for _ in range(args.requests // 3)
                ],
            ),
        ):
            median, p95, errors = bench_api.measure(urls, key, 16)
            results[name] = {
                "seconds": round(p95 / 1000, 4),
                "median_ms": round(median, 1),
                "p95_ms": round(p95, 1),
                "requests": len(urls),
                "clients": 16,
                "errors": errors,
                "runs": f"{len(urls)} requests",
            }
        results["upload_decision"] = _uploads(base, links, odoo, registry)
        return results
    finally:
        server.terminate()
        server.wait(timeout=60)


def _api_key_and_refs(odoo, registry):
    import api as bench_api

    with registry.cursor() as cr:
        result = bench_api.api_key_and_refs(odoo.api.Environment(cr, odoo.SUPERUSER_ID, {}))
        cr.commit()
    return result


def _upload_links(odoo, registry, count):
    """Vendors without a certificate yet (non-compliant), one link each; the
    certificate they will upload names them as the insured."""
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"tracking_disable": True})
        gl = env.ref("coi_tracking.coverage_gl")
        occurrence = env.ref("coi_tracking.limit_each_occurrence")
        req_set = env["coi.requirement.set"].create(
            {
                "name": "Bench upload set",
                "line_ids": [
                    (
                        0,
                        0,
                        {
                            "coverage_type_id": gl.id,
                            "additional_insured": True,
                            "limit_ids": [
                                (0, 0, {"limit_type_id": occurrence.id, "amount": 1_000_000})
                            ],
                        },
                    )
                ],
            }
        )
        links = []
        for n in range(count):
            vendor = env["res.partner"].create(
                {
                    "name": f"Bench Upload Roofing {n:03d} LLC",
                    "email": f"upload{n:03d}@vendor.bench.example",
                    "is_company": True,
                    "supplier_rank": 1,
                    "coi_requirement_set_ids": [(6, 0, req_set.ids)],
                }
            )
            links.append((vendor.id, vendor.name, vendor._coi_upload_request().access_token))
        cr.commit()
    return links


def _uploads(base, links, odoo, registry):
    import requests

    sys.path.insert(0, str(REPO_DIR / "setup"))
    import coi_load

    fx = coi_load.load_fixtures()
    timings, outcomes = [], set()
    for vendor_id, name, token in links:
        data = json.loads(json.dumps(fx.SAMPLE))
        data["insured"]["name"] = name
        pdf = fx.layout_pdf(data)
        session = requests.Session()
        page = session.get(f"{base}/coi/upload/{token}", timeout=30)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        start = time.perf_counter()
        response = session.post(
            f"{base}/coi/upload/{token}",
            data={"kind": "certificate", "csrf_token": csrf},
            files=[("files", ("coi.pdf", pdf, "application/pdf"))],
            timeout=60,
        )
        outcome = _decision(odoo, registry, vendor_id, start + 30)
        timings.append(time.perf_counter() - start)
        outcomes.add(f"{response.status_code} {outcome}")
    timings.sort()
    return {
        "seconds": round(statistics.median(timings), 3),
        "p95_ms": round(timings[max(int(len(timings) * 0.95) - 1, 0)] * 1000, 1),
        "uploads": len(timings),
        "runs": f"{len(timings)} uploads",
        "outcome": " / ".join(sorted(outcomes)),
    }


def _decision(odoo, registry, vendor_id, deadline):
    """Wait until the vendor's status is recomputed and the receipt notice is
    queued; returns what was decided."""
    while time.perf_counter() < deadline:
        with registry.cursor() as cr:
            cr.execute(
                """
                SELECT p.coi_status, n.kind
                  FROM res_partner p
                  JOIN coi_notice n ON n.partner_id = p.id
                   AND n.kind IN ('accepted', 'revision', 'rejected')
                 WHERE p.id = %s
                """,
                [vendor_id],
            )
            row = cr.fetchone()
        if row:
            return f"{row[0]}, notice '{row[1]}' queued"
        time.sleep(0.02)
    return "no decision within 30 s"


def step_extraction(args):
    sys.path.insert(0, str(REPO_DIR / "setup"))
    import coi_load
    import extraction as bench_extraction

    engine = coi_load.load_engine()
    fx = coi_load.load_fixtures()
    if args.certificates:
        docs = {p.name: p.read_bytes() for p in sorted(Path(args.certificates).glob("*.pdf"))}
        source = "a folder of real and made-up certificates, not in the repository"
    else:
        docs = {}
        for n in range(20):
            data = json.loads(json.dumps(fx.SAMPLE))
            data["insured"]["name"] = f"Generated Contractor {n} LLC"
            docs[f"layout-{n}"] = fx.layout_pdf(data, edition=("2016/03", "2014/01")[n % 2])
        for n in range(5):
            docs[f"acroform-{n}"] = fx.acroform_pdf(naming=("flat", "F0P1")[n % 2])
        docs["xfa"] = fx.xfa_pdf()
        docs["packet"] = fx.packet_pdf()
        source = "drawn by the test fixtures: text layer, AcroForm, XFA, a 3-page packet"
    per_method = {}
    for data in docs.values():
        ms, result = bench_extraction.timed(engine, data)  # median of 5 readings
        method = result.method or "error"
        per_method.setdefault(method, []).append(ms / max(len(result.pages), 1))
    return {
        "documents": len(docs),
        "source": source,
        "per_method": {
            method: {"documents": len(v), "median_ms_per_page": statistics.median(v)}
            for method, v in per_method.items()
        },
        "seconds": None,
    }


STEPS = {
    "generate": step_generate,
    "recompute": step_recompute,
    "history": step_history,
    "daily_cron": step_daily_cron,
    "reporting": step_reporting,
    "http": step_http,
    "extraction": step_extraction,
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
        REPORT.write_text(render(json.loads(RESULTS.read_text())))
        return 0
    if args.step:
        args.size = args.size[0]
        result = STEPS[args.step](args)
        print(json.dumps(result, default=str), flush=True)
        return 0
    return main_driver(args)


if __name__ == "__main__":
    sys.exit(main())
