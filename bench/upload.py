"""Scenario: upload to decision. For each of N vendors without a certificate
yet, a certificate (a text layer ACORD 25 naming the vendor) is posted
through its public upload link; the clock stops when the vendor's status is
recomputed and the receipt notice is queued (both read from the database).
Run by the suite (suite.py) against Odoo with two HTTP workers."""

import json
import re
import statistics
import time

import requests
from benchlib import machine
from benchlib.paths import load_fixtures
from benchlib.server import server_cpu


def links(odoo, registry, count):
    """Vendors without a certificate yet (non-compliant), one link each; the
    certificate they will upload names them as the insured and the company
    as the holder."""
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
            # The certificate names the holder the vendor's requirements ask for.
            holder = env["coi.requirement.set"]._coi_holder_for(vendor).name
            links.append(
                (vendor.id, vendor.name, vendor._coi_upload_request().access_token, holder)
            )
        cr.commit()
    return links


def measure(base, vendor_links, odoo, registry, scan=False):
    """Median and p95 of the uploads, one after the other, and how each ended.
    With `scan`, each certificate is sent as a scan (the drawn page rendered
    at 200 dpi, no text layer): the answer to the post and the decision are
    timed apart, the reading (OCR) runs in the job."""
    fx = load_fixtures()
    timings, answers, outcomes = [], [], set()
    for vendor_id, name, token, holder in vendor_links:
        pdf = _certificate(fx, name, holder, scan)
        session, csrf = _form(base, token)
        start = time.perf_counter()
        response = _post(base, token, session, csrf, pdf)
        answers.append(time.perf_counter() - start)
        outcome = _decision(odoo, registry, vendor_id, start + (60 if scan else 30))
        timings.append(time.perf_counter() - start)
        outcomes.add(f"{response.status_code} {outcome}")
    timings.sort()
    return {
        "seconds": round(statistics.median(timings), 3),
        "p95_ms": _p95_ms(timings),
        "answer_ms": round(statistics.median(answers) * 1000, 1),
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
                   AND n.kind IN ('accepted', 'revision', 'rejected', 'under_review')
                 WHERE p.id = %s
                """,
                [vendor_id],
            )
            row = cr.fetchone()
        if row:
            return f"{row[0]}, notice '{row[1]}' queued"
        time.sleep(0.02)
    return "no decision in time"


def measure_concurrent(base, vendor_links, odoo, registry, clients=16, server=None):
    """`clients` uploads at once, one per vendor, each from its own client
    thread with its own session and form, released together; each timed
    from the start of its post to its decision (the vendor's status
    recomputed and the receipt notice queued, seen by one watcher reading
    the database every 20 ms). Returns p50, p95 and max, how many were
    decided, how many files were stored (one per upload: nothing lost),
    receipt notices queued twice, and the load average around the run.
    With `server` (its process), the processor time its processes (HTTP
    and cron workers) spent per upload: the work, whatever else runs on
    the machine."""
    import os
    import threading
    from concurrent.futures import ThreadPoolExecutor

    fx = load_fixtures()
    prepared = []
    for vendor_id, name, token, holder in vendor_links[:clients]:
        prepared.append((vendor_id, token, *_form(base, token), _certificate(fx, name, holder)))
    vendor_ids = [item[0] for item in prepared]
    gate = threading.Barrier(len(prepared))
    started, answered = {}, {}

    def upload(item):
        vendor_id, token, session, csrf, pdf = item
        gate.wait()
        started[vendor_id] = time.perf_counter()
        response = _post(base, token, session, csrf, pdf)
        answered[vendor_id] = time.perf_counter()
        return response.status_code

    pace = machine.pace_ms()
    load_before = os.getloadavg()
    cpu_before = server_cpu(server) if server else 0.0
    with ThreadPoolExecutor(max_workers=len(prepared)) as pool:
        posts = [pool.submit(upload, item) for item in prepared]
        decided = _watch_decisions(registry, vendor_ids, time.perf_counter() + 60)
        statuses = [post.result() for post in posts]
    cpu = server_cpu(server) - cpu_before if server else 0.0
    load_after = os.getloadavg()
    timings = sorted(decided[v][0] - started[v] for v in vendor_ids if v in decided)
    missing = len(vendor_ids) - len(timings)
    # An upload never decided counts as the slowest.
    ranked = timings + [float("inf")] * missing
    stored, twice = _stored_and_twice(registry, vendor_ids)
    doubled = _parties_made_twice(registry)
    outcomes = {decided[v][1] for v in vendor_ids if v in decided}
    if missing:
        outcomes.add(f"{missing} not decided in 60 s")
    return {
        "seconds": round(statistics.median(ranked), 3),
        "p50_ms": _ms(statistics.median(ranked)),
        "p95_ms": _p95_ms(ranked),
        "max_ms": _ms(ranked[-1]),
        "answer_p95_ms": _p95_ms([answered[v] - started[v] for v in vendor_ids]),
        "uploads": len(vendor_ids),
        "clients": len(vendor_ids),
        "decided": len(timings),
        "stored": stored,
        "twice": twice,
        "parties_twice": doubled,
        "http": " / ".join(f"{statuses.count(code)} x {code}" for code in sorted(set(statuses))),
        "outcome": " / ".join(sorted(outcomes)),
        "load": [round(value, 2) for value in (*load_before[:1], *load_after)],
        "server_cpu_ms": round(cpu * 1000 / len(vendor_ids), 1) if server else None,
        "pace_ms": pace,
    }


def first_cron_pass(odoo, registry, seconds=180):
    """Wake the server's cron worker (a trigger of the reading job) and wait
    until it has run every job that was due (the queue of jobs due, read
    from the database)."""
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        env.ref("coi_tracking.ir_cron_coi_read_certificates")._trigger()
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        with registry.cursor() as cr:
            cr.execute(
                """
                SELECT (SELECT count(*) FROM ir_cron
                         WHERE active AND nextcall <= now() AT TIME ZONE 'UTC')
                     + (SELECT count(*) FROM ir_cron_trigger
                         WHERE call_at <= now() AT TIME ZONE 'UTC')
                """
            )
            if not cr.fetchone()[0]:
                break
        time.sleep(0.5)
    time.sleep(2)  # the last job's commit, and its worker back to sleep


def _watch_decisions(registry, vendor_ids, deadline):
    """{vendor id: (perf_counter when its decision was first seen, what was
    decided)}, polling every 20 ms until every vendor is decided or the
    deadline."""
    seen = {}
    while len(seen) < len(vendor_ids) and time.perf_counter() < deadline:
        with registry.cursor() as cr:
            cr.execute(
                """
                SELECT DISTINCT ON (p.id) p.id, p.coi_status, n.kind
                  FROM res_partner p
                  JOIN coi_notice n ON n.partner_id = p.id
                   AND n.kind IN ('accepted', 'revision', 'rejected', 'under_review')
                 WHERE p.id = ANY(%s)
                 ORDER BY p.id, n.id
                """,
                [[v for v in vendor_ids if v not in seen]],
            )
            now = time.perf_counter()
            for vendor_id, status, kind in cr.fetchall():
                seen[vendor_id] = (now, f"{status}, notice '{kind}' queued")
        time.sleep(0.02)
    return seen


def _stored_and_twice(registry, vendor_ids):
    """(files kept on the vendors' certificates, vendors with more than one
    receipt notice)."""
    with registry.cursor() as cr:
        cr.execute(
            """
            SELECT count(*)
              FROM ir_attachment a
              JOIN coi_certificate c ON a.res_model = 'coi.certificate' AND a.res_id = c.id
             WHERE c.partner_id = ANY(%s)
            """,
            [vendor_ids],
        )
        stored = cr.fetchone()[0]
        cr.execute(
            """
            SELECT count(*) FROM (
                SELECT partner_id
                  FROM coi_notice
                 WHERE partner_id = ANY(%s)
                   AND kind IN ('accepted', 'revision', 'rejected', 'under_review')
                 GROUP BY partner_id
                HAVING count(*) > 1
            ) twice
            """,
            [vendor_ids],
        )
        return stored, cr.fetchone()[0]


def _parties_made_twice(registry):
    """Agencies and insurers (read off certificates) whose name is held by
    more than one active company: the first uploads of a burst name the same
    agency, and each must not create its own."""
    with registry.cursor() as cr:
        cr.execute(
            """
            SELECT count(*) FROM (
                SELECT lower(name)
                  FROM res_partner
                 WHERE active AND parent_id IS NULL AND (coi_is_agent OR coi_is_insurer)
                 GROUP BY lower(name), coi_is_agent
                HAVING count(*) > 1
            ) doubled
            """
        )
        return cr.fetchone()[0]


def _certificate(fx, name, holder, scan=False):
    """The drawn certificate naming the vendor and the holder its
    requirements ask for; with `scan`, rendered at 200 dpi (no text layer)."""
    data = json.loads(json.dumps(fx.SAMPLE))
    data["insured"]["name"] = name
    data["certificate_holder"]["name"] = holder
    pdf = fx.layout_pdf(data)
    return fx.images_pdf(fx.simulate(pdf)) if scan else pdf


def _form(base, token):
    """(session, CSRF token) of the upload page, opened as a contractor does."""
    session = requests.Session()
    page = session.get(f"{base}/coi/upload/{token}", timeout=30)
    return session, re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)


def _post(base, token, session, csrf, pdf):
    """The upload form posted with the certificate, as the browser posts it."""
    return session.post(
        f"{base}/coi/upload/{token}",
        data={"kind": "certificate", "csrf_token": csrf},
        files=[("files", ("coi.pdf", pdf, "application/pdf"))],
        timeout=60,
    )


def _p95_ms(seconds):
    ordered = sorted(seconds)
    return _ms(ordered[max(int(len(ordered) * 0.95) - 1, 0)])


def _ms(seconds):
    return round(seconds * 1000, 1) if seconds != float("inf") else None
