"""BENCHMARKS.md and BENCHMARKS.json: the suite's scenarios and targets, the
figures kept per size (a run at one size leaves the others' figures), the
machine they were measured on, and the notes on what changed them
(benchmarks_notes.md)."""

import json
import os
import platform
import subprocess
import sys
from datetime import date
from pathlib import Path

from .paths import BENCH_DIR, ODOO_PATH

RESULTS = BENCH_DIR / "BENCHMARKS.json"
REPORT = BENCH_DIR / "BENCHMARKS.md"
NOTES = BENCH_DIR / "benchmarks_notes.md"

# (scenario, what is measured, target, unit of the target)
SCENARIOS = (
    ("recompute", "full compliance recompute (creates every line)", 120, "s"),
    ("daily_cron", "daily cron, clock +1 day: status refresh + notices queued", 120, "s"),
    ("notice_selection", "  its notice selection (ORM) / the same policies by raw SQL", 5, "x"),
    ("notice_burst", "notice burst, nothing sent before: per notice, one cron process", 0.003, "s"),
    ("notice_burst_pair", "  the same burst, two cron processes at once / one", 0.6, "x"),
    ("reporting_pivot", "compliance pivot: items by status x state", 1, "s"),
    ("reporting_vendor_pivot", "compliance pivot: vendors by status x state", 1, "s"),
    ("reporting_ranked", "ranked risk list (80 rows + count)", 1, "s"),
    ("reporting_dashboard", "dashboard card", 1, "s"),
    ("api_can_work", "API GET /vendors/{ref}/can-work, 16 clients, p95", 0.05, "s"),
    ("api_list", "API GET /vendors (page of 100), 16 clients, p95", 0.2, "s"),
    ("upload_decision", "upload through the link to status + receipt notice", 2, "s"),
    (
        "upload_concurrent",
        "16 uploads at once through the link, 2 workers: to decision, p95",
        1,
        "s",
    ),
    ("extraction", "extraction, median per page (text layer)", None, "s"),
)
MEMORY_TARGET_MB = 1024


def load():
    """Every figure written so far: {"sizes": {...}, "machine": ..., ...}."""
    return json.loads(RESULTS.read_text()) if RESULTS.exists() else {}


def write(all_results):
    """BENCHMARKS.json, and BENCHMARKS.md rendered from it."""
    RESULTS.write_text(json.dumps(all_results, indent=1, sort_keys=True, default=str) + "\n")
    REPORT.write_text(render(all_results))


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
    sys.path.insert(0, str(ODOO_PATH))
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


def _fmt_seconds(value):
    if value is None:
        return ""
    return f"{value * 1000:.0f} ms" if value < 10 else f"{value:.1f} s"


def _fmt_ms(value):
    return "never" if value is None else f"{value:.0f} ms"


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
            f" {data.get('orders', 0):,} purchase orders.{_row_updates(r)}",
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
        lines += _processes(r)
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
        scans = ex.get("scans")
        if scans:
            lines += [
                f"Drawn scans ({scans['scan_cases']} readings: 12 ways a page arrives, "
                "rotated, skewed, noisy, blurred, JPEG, faxed at 200 x 100 dpi, each as PDF, "
                "PNG and TIFF; bench/scans.py) beside "
                "their text layer. Values read with good confidence (accepted without a "
                f"person): {scans.get('scan_values_sure', 0):,}, of those wrong: "
                f"{scans.get('scan_values_sure_but_wrong', 0)}.",
                "",
                "| source | field accuracy | median s per page |",
                "| --- | --- | --- |",
                f"| text layer | {scans['text_layer_accuracy']:.1%} | "
                f"{scans['text_layer_seconds_per_page']:.2f} |",
                f"| drawn scans | {scans['scan_accuracy']:.1%} | "
                f"{scans['scan_seconds_per_page']:.2f} |",
                "",
            ]
    if NOTES.exists():
        lines += [NOTES.read_text().strip(), ""]
    return "\n".join(lines)


def _burst_row(step):
    runs = f"{_made(step):,} notices"
    if step.get("runs_seconds"):
        runs += "; runs " + ", ".join(f"{s:.1f}" for s in step["runs_seconds"]) + " s"
    return step["per_notice_seconds"], runs, step["peak_rss_mb"], step["queries"]


def _pair_row(step):
    jobs = ", ".join(f"{s:.1f}" for s in step["jobs_seconds"])
    runs = f"{step['seconds']:.1f} s (jobs {jobs} s)"
    if step.get("runs_ratio"):
        runs += "; runs " + ", ".join(f"{x:.2f}x" for x in step["runs_ratio"])
    if step.get("runs_floor"):
        floors = ", ".join(f"{x:.2f}x" for x in step["runs_floor"])
        runs += f"; this machine, CPU-bound work: {floors}"
    elif step.get("machine"):
        runs += f"; this machine, CPU-bound work: {step['machine']['floor']:.2f}x"
    return step["ratio"], runs, step["peak_rss_mb"], None


def _row(key, r):
    """(value in the target's unit, runs text, peak MB, queries) or None."""
    if key in ("recompute", "daily_cron"):
        step = r.get(key)
        if not step:
            return None
        runs = ", ".join(f"{s:.1f}" for s in step.get("runs_seconds", []))
        return step["seconds"], f"{runs} s", step["peak_rss_mb"], step["queries"]
    if key in ("notice_burst", "notice_burst_pair"):
        step = r.get(key)
        return (_burst_row if key == "notice_burst" else _pair_row)(step) if step else None
    if key == "upload_concurrent":
        step = r.get(key)
        if not step or "p95_ms" not in step or "decided" not in step:
            return None
        p95 = [_fmt_ms(run["p95_ms"]) for run in step.get("all_runs", [step])]
        loads = [f"{run['load'][0]:.1f}" for run in step.get("all_runs", [step])]
        runs = f"p95 {', '.join(p95)} (load {', '.join(loads)})"
        before = step.get("before")
        if before:
            was = ", ".join(_fmt_ms(run["p95_ms"]) for run in before["runs"])
            was_loads = ", ".join(f"{run['load'][0]:.1f}" for run in before["runs"])
            runs += f"; before ({before['code']}): {was} (load {was_loads})"
        value = step["p95_ms"] / 1000 if step["p95_ms"] is not None else float("inf")
        return value, runs, None, None
    if key == "notice_selection":
        step = r.get("daily_cron")
        if not step:
            return None
        return step["selection_ratio"], "", None, None
    step = r.get(key)
    if not step:
        return None
    return step["seconds"], step.get("runs", ""), step.get("peak_rss_mb"), step.get("queries")


def _made(step):
    """The notices a burst made (older runs counted the database's)."""
    return step.get("made") or step["notices"]


# Steps whose processor time the step itself measured (its measured work
# only), with its PostgreSQL backends' time next to it.
TIMED_STEPS = {"generate": "data", "recompute": "recompute", "daily_cron": "daily_cron"}


def _processes(r):
    """Each step's process, where the suite recorded it: wall and processor
    time of the whole process, of the measured work and of PostgreSQL,
    peak memory, the database's size after it, the load average seen."""
    processes = r.get("processes")
    if not processes:
        return []
    data = r.get("data", {})
    lines = [
        "",
        "Each step's process (wall and processor time of the whole process, its start and"
        " the registry included; in brackets the measured work alone and the PostgreSQL"
        " backends serving it; load average of the machine, 1 minute, before and after):",
        "",
        "| step | wall | CPU, Odoo process | CPU, PostgreSQL | peak MB | database after | load |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    if data.get("kept_as") and not any(p["step"] == "generate" for p in processes):
        lines.append(
            f"| generate (earlier run, kept as {data['kept_as']}) | {data['seconds']:,.0f} s"
            f" | {data.get('cpu_seconds', 0):,.0f} s |  | {data.get('peak_rss_mb', 0):,.0f}"
            f" | {data.get('kept_mb', 0) / 1024:.1f} GB |  |"
        )
    for process in processes:
        step = r.get(TIMED_STEPS.get(process["step"]), {})
        work = ""
        if step.get("cpu_seconds") is not None:
            work = f" ({step['cpu_seconds']:,.0f} s in {step['seconds']:,.0f} s of work)"
        pg = step.get("pg_cpu_seconds")
        peak = step.get("peak_rss_mb")
        name = process["step"]
        if "stopped" in process:
            name += f" (**stopped**: exit {process['stopped']})"
        lines.append(
            f"| {name} | {process['seconds']:,.0f} s"
            f" | {process['cpu_seconds']:,.0f} s{work}"
            f" | {'' if pg is None else f'{pg:,.1f} s'}"
            f" | {'' if peak is None else f'{peak:,.0f}'}"
            f" | {process['db_mb'] / 1024:.1f} GB"
            f" | {process['load'][0]:.1f} / {process['load'][1]:.1f} |"
        )
    return lines


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
            # The SQL checked on cases the generated data lacks (runs since then).
            + (f" The SQL on the job's rules: {cron['sql_cases']}." if "sql_cases" in cron else "")
        )
    burst = r.get("notice_burst")
    pair = r.get("notice_burst_pair")
    if burst and pair:
        out.append(
            f"Notice burst: {_made(burst):,} notices made ({burst['notices']:,} in the database"
            f" with the first requests the recompute sent), {burst['mails']:,} emails queued,"
            f" {burst['attachments']:,} attachments in the database after it, in"
            f" {burst['seconds']:.1f} s ({burst['per_notice_seconds'] * 1000:.1f} ms a notice,"
            f" of it {burst['cpu_seconds'] * 1000 / max(_made(burst), 1):.1f} ms of the job's"
            f" processor time; {burst['queries']:,} queries); two cron processes at once:"
            f" {pair['seconds']:.1f} s for {sum(pair.get('jobs_made', [])) or pair['notices']:,}"
            " notices"
            + (
                f" ({' + '.join(f'{n:,}' for n in pair['jobs_made'])} made by each),"
                if pair.get("jobs_made")
                else ","
            )
            + f" sent twice: {pair['duplicates']}."
        )
    api = r.get("api_can_work")
    if api:
        lst = r.get("api_list", {})
        out.append(
            f"API ({api['clients']} concurrent clients, Odoo --workers=2, client on the same"
            f" cores): can-work median {api['median_ms']:.1f} ms, p95 {api['p95_ms']:.1f} ms over"
            f" {api['requests']:,} requests; list median {lst.get('median_ms', 0):.1f} ms, p95"
            f" {lst.get('p95_ms', 0):.1f} ms; non-200: {api['errors'] + lst.get('errors', 0)}"
            + (f"; {_pace(api)}." if api.get("pace_ms") else ".")
        )
    up = r.get("upload_decision")
    if up:
        out.append(
            f"Upload to decision ({up['uploads']} uploads, one after the other, Odoo"
            f" --workers=2): median {up['seconds'] * 1000:.0f} ms, p95 {up['p95_ms']:.0f} ms;"
            f" every upload ended {up['outcome']}."
        )
    many = r.get("upload_concurrent")
    if many and "decided" in many:
        runs = many.get("all_runs", [many])
        out.append(
            f"{many['clients']} uploads through the link at once (Odoo --workers=2 and one"
            " cron worker"
            + (f", warmed by {many['warm_up']} uploads" if many.get("warm_up") else "")
            + f"), {len(runs)} runs, each on a fresh copy: "
            + "; ".join(
                f"p50 {_fmt_ms(run['p50_ms'])}, p95 {_fmt_ms(run['p95_ms'])}, max"
                f" {_fmt_ms(run['max_ms'])} (answered p95 {_fmt_ms(run['answer_p95_ms'])}),"
                f" {run['decided']} decided, {run['stored']} files stored,"
                f" {run['twice']} notified twice,"
                + (
                    f" {run['parties_twice']} agencies or insurers made twice,"
                    if "parties_twice" in run
                    else ""
                )
                + f" load {run['load'][0]:.1f}"
                + (
                    f", server processor time {run['server_cpu_ms']:.0f} ms an upload"
                    if run.get("server_cpu_ms")
                    else ""
                )
                + (f", {_pace(run)}" if run.get("pace_ms") else "")
                for run in runs
            )
            + f"; uploads ended {many['outcome']}."
        )
    scan = r.get("upload_scan_decision")
    if scan:
        out.append(
            f"A scan through the link ({scan['uploads']} uploads, read by OCR in the job):"
            f" answered in {scan['answer_ms']:.0f} ms (median), decided in"
            f" {scan['seconds']:.1f} s (median), p95 {scan['p95_ms'] / 1000:.1f} s;"
            f" every upload ended {scan['outcome']}."
        )
    return out


def _pace(run):
    """The machine's pace when `run` was measured (`machine.pace_ms`)."""
    return f"pace {run['pace_ms']:.0f} ms"


def _row_updates(r):
    """The vendors' rows written by the recompute (PostgreSQL's statistics),
    when measured."""
    recompute = r.get("recompute", {})
    if recompute.get("partner_row_updates") is None:
        return ""
    return (
        f" The recompute wrote {recompute['partner_row_updates']:,} vendor rows"
        f" ({recompute['partner_hot_updates']:,} of them HOT)."
    )
