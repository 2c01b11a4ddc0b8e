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
from benchlib.paths import load_fixtures


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


def measure_concurrent(base, vendor_links, odoo, registry, clients=16):
    """`clients` uploads at once (one per vendor, each its own session and
    form), each timed from its post to its decision: median and p95."""
    from concurrent.futures import ThreadPoolExecutor

    fx = load_fixtures()
    prepared = []
    for vendor_id, name, token, holder in vendor_links[:clients]:
        prepared.append((vendor_id, token, *_form(base, token), _certificate(fx, name, holder)))

    def upload(item):
        vendor_id, token, session, csrf, pdf = item
        start = time.perf_counter()
        response = _post(base, token, session, csrf, pdf)
        answered = time.perf_counter() - start
        outcome = _decision(odoo, registry, vendor_id, start + 30)
        return answered, time.perf_counter() - start, f"{response.status_code} {outcome}"

    with ThreadPoolExecutor(max_workers=clients) as pool:
        results = list(pool.map(upload, prepared))
    timings = [r[1] for r in results]
    return {
        "seconds": round(statistics.median(timings), 3),
        "p95_ms": _p95_ms(timings),
        "answer_p95_ms": _p95_ms([r[0] for r in results]),
        "uploads": len(timings),
        "clients": clients,
        "outcome": " / ".join(sorted({r[2] for r in results})),
    }


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
    return round(ordered[max(int(len(ordered) * 0.95) - 1, 0)] * 1000, 1)
