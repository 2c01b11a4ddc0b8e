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
same data, slower).

Run it through `setup/bench-compliance.sh` (it makes and drops the
databases), or by hand on a database with `coi_tracking` installed, which is
left untouched (each size works on a copy of it):

    .venv/bin/python bench/compliance.py --db-template DB --size 10000

It imports Odoo only inside the measured steps.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parents[1]
ODOO_PATH = Path(os.environ.get("ODOO_PATH", "/opt/odoo19"))

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

# Vendor profiles: (name, share). Most vendors comply.
PROFILES = (
    ("compliant", 0.77),
    ("expiring", 0.08),  # one policy ends within the expiring window
    ("expired", 0.06),  # one policy ended (half still "active": the cron expires them)
    ("low_limit", 0.05),  # GL each occurrence below the requirement
    ("endorsement", 0.02),  # no additional insured / not per statute / low rating
    ("exempt", 0.01),  # exempt, some until a date within the next 40 days
    ("pending", 0.01),  # expired policy, but a certificate awaits review
)
RATINGS = ("A++", "A+", "A", "A-", "B++")


# ---------------------------------------------------------------------------
# Driver: databases, one process per step, the final table. No Odoo here.
# ---------------------------------------------------------------------------


def _run(cmd, **kwargs):
    """Run a trusted command of this script (createdb, dropdb, itself)."""
    return subprocess.run(cmd, check=True, **kwargs)


def _filestore(db):
    base = Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share"))
    return base / "Odoo" / "filestore" / db


def copy_db(template, db):
    drop_db(db)
    _run([shutil.which("createdb") or "createdb", "-T", template, db])
    if _filestore(template).is_dir():
        shutil.copytree(_filestore(template), _filestore(db))


def drop_db(db):
    _run([shutil.which("dropdb") or "dropdb", "--if-exists", db], stderr=subprocess.DEVNULL)
    shutil.rmtree(_filestore(db), ignore_errors=True)


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
        out = _run(cmd, stdout=subprocess.PIPE, text=True).stdout
    except subprocess.CalledProcessError as error:
        raise SystemExit(
            f"[bench] step {step} failed (exit code {error.returncode}), see above"
        ) from None
    result = json.loads(out.strip().splitlines()[-1])
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


def _rss_mb():
    # ru_maxrss is in kilobytes on Linux: the process's peak so far.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _current_rss_mb():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def open_registry(db, log_level):
    sys.path.insert(0, str(ODOO_PATH))
    import odoo
    from odoo.tools import config

    addons = f"{ODOO_PATH}/addons,{ODOO_PATH}/odoo/addons,{REPO_DIR}"
    config.parse_config(
        [
            f"--addons-path={addons}",
            "-d",
            db,
            f"--log-level={log_level}",
            "--http-interface=127.0.0.1",
        ],
        setup_logging=True,
    )
    from odoo.modules.registry import Registry

    return odoo, Registry(db)


class Measure:
    """Wall time, CPU time, SQL queries (every cursor) and peak RSS of a block."""

    def __init__(self, sql_db, profile=None):
        self.sql_db = sql_db
        self.profile = profile
        self.profiler = None

    def __enter__(self):
        if self.profile:
            import cProfile

            self.profiler = cProfile.Profile()
        self.queries = self.sql_db.sql_counter
        self.cpu = _cpu_seconds()
        self.started = time.perf_counter()
        if self.profiler:
            self.profiler.enable()
        return self

    def __exit__(self, *exc):
        if self.profiler:
            self.profiler.disable()
        self.seconds = time.perf_counter() - self.started
        self.cpu = _cpu_seconds() - self.cpu
        self.queries = self.sql_db.sql_counter - self.queries
        self.peak_rss_mb = _rss_mb()
        if self.profiler:
            self._report_profile()
        return False

    def _report_profile(self):
        import io
        import pstats

        logs = REPO_DIR / ".logs"
        logs.mkdir(exist_ok=True)
        path = logs / f"bench-{self.profile}.prof"
        self.profiler.dump_stats(path)
        for sort in ("tottime", "cumulative"):
            buf = io.StringIO()
            pstats.Stats(self.profiler, stream=buf).sort_stats(sort).print_stats(35)
            sys.stderr.write(f"\n=== cProfile of {self.profile}, by {sort} ===\n{buf.getvalue()}")
        sys.stderr.write(f"(full profile: {path}; snakeviz or pstats can read it)\n")


def main_step(args):
    odoo, registry = open_registry(args.db, args.log_level)
    from odoo import sql_db

    baseline = _current_rss_mb()
    if args.step == "generate":
        with registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            with Measure(sql_db) as m:
                counts = generate(env, args.size, args.seed, orm=args.orm)
                cr.commit()
        result = {
            **counts,
            "done": counts["vendors"],
            "seconds": round(m.seconds, 2),
            "cpu_seconds": round(m.cpu, 2),
            "queries": m.queries,
        }
    else:
        result = measure_step(odoo, registry, sql_db, args)
    result.update(
        step=args.step, peak_rss_mb=round(_rss_mb(), 1), baseline_rss_mb=round(baseline, 1)
    )
    print(json.dumps(result, default=str), flush=True)
    return 0


def measure_step(odoo, registry, sql_db, args):
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
                with Measure(sql_db) as w:
                    limit.write({"amount": limit.amount * 2})
                    cr.commit()
                result.update(
                    write_seconds=round(w.seconds, 2),
                    write_queries=w.queries,
                    write_peak_rss_mb=round(w.peak_rss_mb, 1),
                )
            vendors = Partner.search_count(Partner._coi_tracked_domain())
            due = Partner.search_count([("coi_recheck_date", "<=", today)])
            messages = _count(cr, "mail_message")
            lines = _count(cr, "coi_compliance_line")
            profile = args.profile if args.profile == args.step else None
            if args.step in NOTICE_STEPS:
                notices = _count(cr, "coi_notice")
                cron = env.ref("coi_tracking.ir_cron_coi_send_notices")
                with Measure(sql_db, profile) as m:
                    env["coi.notice"].with_context(cron_id=cron.id)._cron_send_notices()
                    cr.commit()
                done = _count(cr, "coi_notice") - notices
                result["notices_sent"] = done
                result["mails_queued"] = _count(cr, "mail_mail")
            elif shift:
                cron = env.ref("coi_tracking.ir_cron_coi_refresh_compliance")
                # With a cron_id in the context the method commits per batch,
                # as it does when the scheduler runs it.
                with Measure(sql_db, profile) as m:
                    Partner.with_context(cron_id=cron.id)._cron_refresh_compliance(
                        batch_size=args.batch_size
                    )
                    cr.commit()
                done = due
            else:
                with Measure(sql_db, profile) as m:
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
                lines_after=_count(cr, "coi_compliance_line"),
                messages_created=_count(cr, "mail_message") - messages,
                statuses=statuses,
            )
    finally:
        if freezer:
            freezer.stop()
    return result


def _count(cr, table):
    from odoo.tools import SQL

    cr.execute(SQL("SELECT count(*) FROM %s", SQL.identifier(table)))
    return cr.fetchone()[0]


# ---------------------------------------------------------------------------
# Data generation.
# ---------------------------------------------------------------------------


def generate(env, size, seed, orm=False):
    """N vendors, 3 policies each, 3 requirement sets; no recompute."""
    from odoo import Command

    rng = random.Random(seed)  # noqa: S311 - reproducible data, not secrets
    today = date.today()
    env = env(
        context=dict(
            env.context,
            coi_skip_recompute=True,
            tracking_disable=True,
            mail_create_nolog=True,
            mail_notrack=True,
        )
    )
    limit = {lt.code: lt.id for lt in env["coi.limit.type"].search([])}
    coverage = {ct.code: ct.id for ct in env["coi.coverage.type"].search([])}
    Tag = env["res.partner.category"]
    contractor, fleet = Tag.create([{"name": "Bench Contractor"}, {"name": "Bench Fleet"}])

    def req_line(code, limits, **flags):
        limit_cmds = [
            Command.create({"limit_type_id": limit[k], "amount": v}) for k, v in limits.items()
        ]
        return Command.create(
            {"coverage_type_id": coverage[code], "limit_ids": limit_cmds, **flags}
        )

    Set = env["coi.requirement.set"]
    standard = Set.create(
        {
            "name": "Bench Standard Contractor",
            "category_ids": [Command.set(contractor.ids)],
            "expiring_days": 30,
            "line_ids": [
                req_line(
                    "GL",
                    {"EACH_OCCURRENCE": 1e6, "GENERAL_AGGREGATE": 2e6},
                    additional_insured=True,
                ),
                req_line("AUTO", {"COMBINED_SINGLE_LIMIT": 1e6}),
                req_line("WC_EL", {"EL_EACH_ACCIDENT": 5e5}, per_statute=True),
            ],
        }
    )
    fleet_set = Set.create(
        {
            "name": "Bench Fleet Operators",
            "category_ids": [Command.set(fleet.ids)],
            "expiring_days": 45,
            "line_ids": [req_line("AUTO", {"COMBINED_SINGLE_LIMIT": 2e6})],
        }
    )
    high_risk = Set.create(
        {
            "name": "Bench High-Risk Sites",
            "min_am_best": "A-",
            "line_ids": [
                req_line(
                    "GL",
                    {"EACH_OCCURRENCE": 2e6, "GENERAL_AGGREGATE": 4e6},
                    additional_insured=True,
                    waiver_of_subrogation=True,
                ),
                req_line("WC_EL", {"EL_EACH_ACCIDENT": 1e6}, per_statute=True),
            ],
        }
    )
    insurers = env["res.partner"].create(
        [
            {"name": f"Bench Insurer {rating}", "is_company": True, "coi_is_insurer": True}
            | {"coi_am_best_rating": rating}
            for rating in RATINGS
        ]
    )
    insurer = dict(zip(RATINGS, insurers.ids, strict=True))

    # Vendors: who they are, which sets apply, which profile.
    names, weights = zip(*PROFILES, strict=True)
    vendors = []
    for i in range(size):
        vendors.append(
            {
                "index": i,
                "contractor": rng.random() < 0.90,
                "fleet": rng.random() < 0.15,
                "high_risk": rng.random() < 0.10,
                "profile": rng.choices(names, weights)[0],
            }
        )
    partner_vals = []
    for v in vendors:
        tags = [t.id for t, on in ((contractor, v["contractor"]), (fleet, v["fleet"])) if on]
        vals = {
            "name": f"Bench Vendor {v['index']:06d}",
            "email": f"insurance{v['index']:06d}@vendor.bench.example",
            "is_company": True,
            "supplier_rank": 1,
            "category_id": [Command.set(tags)],
        }
        if v["profile"] == "exempt":
            vals.update(coi_exempt=True, coi_exempt_reason="Sole proprietor, no employees")
            if rng.random() < 0.5:
                vals["coi_exempt_until"] = today + timedelta(days=rng.randint(1, 39))
        partner_vals.append(vals)
    partner_ids = []
    for start in range(0, size, 1000):
        partner_ids += env["res.partner"].create(partner_vals[start : start + 1000]).ids
        env.invalidate_all()
    for v, pid in zip(vendors, partner_ids, strict=True):
        v["id"] = pid
    high_risk.write({"partner_ids": [Command.set([v["id"] for v in vendors if v["high_risk"]])]})

    policies = [p for v in vendors for p in _policies_of(v, rng, today, insurer)]
    company_id = env.company.id
    if orm:
        Policy = env["coi.policy"]
        for start in range(0, len(policies), 1500):
            Policy.create(
                [
                    {
                        **{k: p[k] for k in p if k != "limits"},
                        "company_id": company_id,
                        "coverage_type_id": coverage[p["coverage_type_id"]],
                        "limit_ids": [
                            Command.create({"limit_type_id": limit[c], "amount": a})
                            for c, a in p["limits"].items()
                        ],
                    }
                    for p in policies[start : start + 1500]
                ]
            )
            env.invalidate_all()
    else:
        _insert_policies(env, policies, company_id, coverage, limit)

    pending = [v["id"] for v in vendors if v["profile"] == "pending"]
    if pending:
        env["coi.certificate"].create(
            [{"partner_id": pid, "state": "received", "source": "email"} for pid in pending]
        )
    env.invalidate_all()
    return {
        "vendors": size,
        "policies": len(policies),
        "limits": sum(len(p["limits"]) for p in policies),
        "sets": len(standard | fleet_set | high_risk),
        "profiles": {name: sum(v["profile"] == name for v in vendors) for name in names},
        "direct_assignments": sum(v["high_risk"] for v in vendors),
        "tagged_contractor": sum(v["contractor"] for v in vendors),
        "tagged_fleet": sum(v["fleet"] for v in vendors),
    }


def _policies_of(v, rng, today, insurer):
    """GL, AUTO and WC_EL policies of one vendor, per its profile."""
    occurrence = 2e6 if v["high_risk"] or rng.random() < 0.3 else 1e6
    el = 1e6 if v["high_risk"] else 5e5
    common = {
        "partner_id": v["id"],
        "insurer_id": insurer[rng.choice(("A++", "A+", "A", "A", "A-"))],
        "additional_insured": True,
        "waiver_of_subrogation": True,
        "primary_noncontributory": rng.random() < 0.5,
        "per_statute": False,
        "state": "active",
    }
    gl = {
        **common,
        "coverage_type_id": "GL",
        "limits": {
            "EACH_OCCURRENCE": occurrence,
            "DAMAGE_TO_RENTED_PREMISES": 1e5,
            "GENERAL_AGGREGATE": 2 * occurrence,
            "PRODUCTS_COMP_OP_AGG": 2 * occurrence,
        },
    }
    auto = {
        **common,
        "coverage_type_id": "AUTO",
        "limits": {"COMBINED_SINGLE_LIMIT": 2e6 if v["fleet"] else 1e6},
    }
    wc = {
        **common,
        "coverage_type_id": "WC_EL",
        "per_statute": True,
        "limits": {
            "EL_EACH_ACCIDENT": el,
            "EL_DISEASE_EA_EMPLOYEE": el,
            "EL_DISEASE_POLICY_LIMIT": el,
        },
    }
    policies = [gl, auto, wc]
    # Compliant dates: renewals spread over the coming year, past the window.
    for p in policies:
        p["expiration_date"] = today + timedelta(days=rng.randint(46, 365))
    odd = rng.choice(policies)
    profile = v["profile"]
    if profile == "expiring":
        odd["expiration_date"] = today + timedelta(days=rng.randint(1, 30))
    elif profile in ("expired", "pending"):
        odd["expiration_date"] = today - timedelta(days=rng.randint(0, 60))
        if rng.random() < 0.5:
            odd["state"] = "expired"
    elif profile == "low_limit":
        gl["limits"]["EACH_OCCURRENCE"] = 5e5
    elif profile == "endorsement":
        kind = rng.randrange(3)
        if kind == 0:
            gl["additional_insured"] = False
        elif kind == 1:
            wc["per_statute"] = False
        else:
            gl["insurer_id"] = insurer["B++"]
    for p in policies:
        p["effective_date"] = p["expiration_date"] - timedelta(days=365)
        p["name"] = f"BP-{v['index']:06d}-{p['coverage_type_id']}"
    return policies


def _insert_policies(env, policies, company_id, coverage, limit):
    """Policies and their limits in a few INSERT ... SELECT FROM unnest()."""
    from odoo.tools import SQL

    cr = env.cr
    uid = env.uid
    for start in range(0, len(policies), 5000):
        chunk = policies[start : start + 5000]
        cr.execute(
            SQL("SELECT nextval('coi_policy_id_seq') FROM generate_series(1, %s)", len(chunk))
        )
        ids = [row[0] for row in cr.fetchall()]
        cols = {
            "id": (ids, "int4"),
            "name": ([p["name"] for p in chunk], "varchar"),
            "partner_id": ([p["partner_id"] for p in chunk], "int4"),
            "coverage_type_id": ([coverage[p["coverage_type_id"]] for p in chunk], "int4"),
            "insurer_id": ([p["insurer_id"] for p in chunk], "int4"),
            "effective_date": ([p["effective_date"] for p in chunk], "date"),
            "expiration_date": ([p["expiration_date"] for p in chunk], "date"),
            "additional_insured": ([p["additional_insured"] for p in chunk], "bool"),
            "waiver_of_subrogation": ([p["waiver_of_subrogation"] for p in chunk], "bool"),
            "primary_noncontributory": ([p["primary_noncontributory"] for p in chunk], "bool"),
            "per_statute": ([p["per_statute"] for p in chunk], "bool"),
            "state": ([p["state"] for p in chunk], "varchar"),
        }
        cr.execute(
            SQL(
                "INSERT INTO coi_policy (%s, company_id, create_uid, write_uid,"
                " create_date, write_date)"
                " SELECT *, %s, %s, %s, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'"
                " FROM unnest(%s)",
                SQL(", ").join(SQL.identifier(name) for name in cols),
                company_id,
                uid,
                uid,
                SQL(", ").join(
                    SQL("%s::%s[]", values, SQL(kind)) for values, kind in cols.values()
                ),
            )
        )
        rows = [
            (pid, limit[code], amount)
            for pid, p in zip(ids, chunk, strict=True)
            for code, amount in p["limits"].items()
        ]
        policy_ids, type_ids, amounts = zip(*rows, strict=True)
        cr.execute(
            SQL(
                "INSERT INTO coi_policy_limit (policy_id, limit_type_id, amount, sequence,"
                " create_uid, write_uid, create_date, write_date)"
                " SELECT r.policy_id, r.limit_type_id, r.amount, lt.sequence, %s, %s,"
                " now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'"
                " FROM unnest(%s::int4[], %s::int4[], %s::numeric[])"
                " AS r(policy_id, limit_type_id, amount)"
                " JOIN coi_limit_type lt ON lt.id = r.limit_type_id",
                uid,
                uid,
                list(policy_ids),
                list(type_ids),
                list(amounts),
            )
        )


# ---------------------------------------------------------------------------


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
