"""Benchmark (not a test): the public upload link under bad inputs (issue 14,
"Uploads are bounded").

Against Odoo with two HTTP workers on a fresh database with the three addons:

- request time of one post through the upload form, and the serving
  worker's RSS before and its peak during the request, for a normal
  certificate, a 2,000-page PDF and a deflate bomb (1.1 MB inflating to
  1.1 GB);
- the reading job afterwards (run in this process): time, outcome of each
  file, and this process's RSS before and after;
- 40 posts at once from one address on one link: how many were accepted
  (the limit is 30 an hour);
- median time of the not-found answer for unknown, expired and revoked
  tokens (and of the page of a valid one).

    .venv/bin/python bench/upload_bounds.py [--addons DIR] [--keep]

--addons runs another copy of the addons (e.g. `git archive` of an older
commit unpacked in a folder) to compare before and after.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from pathlib import Path

import psutil
import requests
from benchlib import server as benchlib_server
from benchlib.database import copy_db, drop_db, run
from benchlib.measure import current_rss_mb
from benchlib.paths import ODOO_PATH, REPO_DIR, load_fixtures

ADDONS = "coi_tracking,coi_tracking_portal,coi_tracking_api"
DB = "coi_bench_upload_bounds"


def template():
    """The test template database of setup/lib.sh (dependencies installed)."""
    script = f"source {REPO_DIR}/setup/lib.sh >/dev/null; ensure_template"
    return run(["bash", "-c", script], capture_output=True, text=True).stdout.strip()


def addons_path(addons):
    return f"--addons-path={ODOO_PATH}/addons,{ODOO_PATH}/odoo/addons,{addons}"


def install(addons):
    copy_db(template(), DB)
    odoo_bin = [sys.executable, str(ODOO_PATH / "odoo-bin"), addons_path(addons), "-d", DB]
    run([*odoo_bin, "-i", ADDONS, "--stop-after-init", "--no-http", "--log-level=warn"])


def start_server(addons):
    return benchlib_server.start_server(DB, addons=addons, ready="/web/login")


def open_registry(addons):
    sys.path.insert(0, str(ODOO_PATH))
    import odoo
    from odoo.modules.registry import Registry
    from odoo.tools import config

    config.parse_config([addons_path(addons), "-d", DB, "--log-level=warn"], setup_logging=True)
    return odoo, Registry(DB)


def make_links(odoo, registry):
    """Vendors with links: one per file kind, one for the rate limit, and an
    expired and a revoked link for the timings."""
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"tracking_disable": True})
        Partner = env["res.partner"]
        links = {}
        for key in ("normal", "pages", "bomb", "burst", "valid", "expired", "revoked"):
            vendor = Partner.create({"name": f"Bounds {key} Roofing", "is_company": True})
            links[key] = vendor._coi_upload_request()
        links["expired"].expiry_date = date.today() - timedelta(days=2)
        links["revoked"].action_revoke()
        tokens = {key: link.access_token for key, link in links.items()}
        cr.commit()
    return tokens


def workers(server):
    return psutil.Process(server.pid).children()


def reset_peaks(procs):
    for proc in procs:
        # Writing 5 to clear_refs resets the process's peak RSS (VmHWM).
        Path(f"/proc/{proc.pid}/clear_refs").write_text("5")


def status_mb(proc, key):
    for line in Path(f"/proc/{proc.pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def post(root, token, files, session=None):
    session = session or requests.Session()
    page = session.get(f"{root}/coi/upload/{token}", timeout=60)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    start = time.perf_counter()
    response = session.post(
        f"{root}/coi/upload/{token}",
        data={"kind": "certificate", "csrf_token": csrf},
        files=[("files", (name, data, "application/pdf")) for name, data in files],
        timeout=600,
    )
    return response, time.perf_counter() - start


def said(html):
    for heading in (
        "Received and accepted",
        "Received, being read",
        "Received, under review",
        "Too many uploads",
    ):
        if heading in html:
            return heading
    return "no answer found"


def measure_uploads(server, root, tokens, fx):
    files = {
        "normal": ("coi.pdf", fx.layout_pdf()),
        "pages": ("manual.pdf", fx.many_pages_pdf(2000)),
        "bomb": ("bomb.pdf", fx.deflate_bomb_pdf()),
    }
    rows = []
    for key, (name, data) in files.items():
        procs = workers(server)
        before = {proc.pid: status_mb(proc, "VmRSS") for proc in procs}
        reset_peaks(procs)
        response, seconds = post(root, tokens[key], [(name, data)])
        served = max(procs, key=lambda proc: status_mb(proc, "VmHWM") - before[proc.pid])
        rows.append(
            {
                "file": f"{name} ({len(data) / 2**20:.1f} MB)",
                "status": response.status_code,
                "seconds": round(seconds, 2),
                "worker MB before": round(before[served.pid]),
                "worker peak MB": round(status_mb(served, "VmHWM")),
                "page says": said(response.text),
            }
        )
    return rows


def run_reading_job(odoo, registry):
    rss = current_rss_mb()
    start = time.perf_counter()
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        env["coi.certificate"]._cron_read_certificates(batch_size=50)
        cr.commit()
        certificates = env["coi.certificate"].search([("upload_request_id", "!=", False)])
        outcome = {
            c.attachment_ids[:1].name: f"{c.reading_state}: {c.review_reason or c.state}"
            for c in certificates
        }
    return {
        "seconds": round(time.perf_counter() - start, 2),
        "this process MB before": round(rss),
        "after": round(current_rss_mb()),
        "outcome": outcome,
    }


def burst(root, token, fx, count=40):
    pdf = fx.layout_pdf()
    sessions = []
    for _ in range(count):  # pages and CSRF tokens first, the posts all at once
        session = requests.Session()
        page = session.get(f"{root}/coi/upload/{token}", timeout=60)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        sessions.append((session, csrf))

    def one(item):
        session, csrf = item
        response = session.post(
            f"{root}/coi/upload/{token}",
            data={"kind": "certificate", "csrf_token": csrf},
            files=[("files", ("coi.pdf", pdf, "application/pdf"))],
            timeout=120,
        )
        return "Too many uploads" not in response.text

    with ThreadPoolExecutor(count) as pool:
        accepted = sum(pool.map(one, sessions))
    return {"posts": count, "accepted": accepted}


def token_timings(root, tokens, rounds=60):
    kinds = {
        "unknown": "x" * 43,
        "expired": tokens["expired"],
        "revoked": tokens["revoked"],
        "valid": tokens["valid"],
    }
    session = requests.Session()
    times = {kind: [] for kind in kinds}
    bodies = {kind: set() for kind in kinds}
    for _ in range(5):
        for token in kinds.values():
            session.get(f"{root}/coi/upload/{token}", timeout=30)
    for _ in range(rounds):
        for kind, token in kinds.items():
            start = time.perf_counter()
            response = session.get(f"{root}/coi/upload/{token}", timeout=30)
            times[kind].append((time.perf_counter() - start) * 1000)
            bodies[kind].add((response.status_code, len(response.content)))
    return {
        kind: f"median {statistics.median(values):.1f} ms, answers {sorted(bodies[kind])}"
        for kind, values in times.items()
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--addons", default=str(REPO_DIR), help="folder holding the addons")
    parser.add_argument("--keep", action="store_true", help="keep the database")
    args = parser.parse_args()
    fx = load_fixtures()
    install(args.addons)
    odoo, registry = open_registry(args.addons)
    tokens = make_links(odoo, registry)
    server, root = start_server(args.addons)
    try:
        print("uploads (one at a time):")
        for row in measure_uploads(server, root, tokens, fx):
            print("  ", row)
        print("reading job afterwards:", run_reading_job(odoo, registry))
        print("40 posts at once, one address, one link:", burst(root, tokens["burst"], fx))
        print("token answers:")
        for kind, line in token_timings(root, tokens).items():
            print(f"   {kind}: {line}")
    finally:
        server.terminate()
        server.wait(timeout=60)
        odoo.sql_db.close_db(DB)
        if not args.keep:
            drop_db(DB)


if __name__ == "__main__":
    main()
