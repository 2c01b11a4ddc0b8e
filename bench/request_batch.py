"""Benchmark (not a test): "Request Certificates" on N vendors, run by the
background job as the scheduler runs it (a committed step every 200
vendors). Prints the vendors asked, the emails queued, the job's wall and
CPU time, SQL queries and peak memory; nothing it creates is kept.

    .venv/bin/python bench/request_batch.py --template coi_tmpl_xxx --vendors 1000
    .venv/bin/python bench/request_batch.py --db a_db_with_the_addons --vendors 1000

With --template (a database holding the dependencies, as setup/lib.sh makes
it), a copy is made, the three addons are installed in it, and it is
dropped afterwards. With --db the vendors are created there and rolled
back... except the job's own commits: use a throw-away database.
"""

import argparse
import json
import os
import subprocess
import sys
import time

from benchlib.database import copy_db, drop_db, open_registry
from benchlib.measure import Measure, rss_mb
from benchlib.paths import ODOO_PATH, REPO_DIR

ADDONS = "coi_tracking,coi_tracking_portal,coi_tracking_api"


def install(template):
    db = f"coi_bench_requests_{os.getpid()}"
    copy_db(template, db)
    addons = f"{ODOO_PATH}/addons,{ODOO_PATH}/odoo/addons,{REPO_DIR}"
    subprocess.run(
        [
            sys.executable,
            str(ODOO_PATH / "odoo-bin"),
            "-d",
            db,
            f"--addons-path={addons}",
            "-i",
            ADDONS,
            "--stop-after-init",
            "--no-http",
            "--log-level=warn",
        ],
        check=True,
    )
    return db


def measure(db, vendors):
    odoo, registry = open_registry(db)
    Command = odoo.fields.Command
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"tracking_disable": True})
        company = env.company
        company.coi_auto_request = False  # the vendors wait for the bulk request
        ref = env.ref
        standard = env["coi.requirement.set"].create(
            {
                "name": "Bench requests",
                "line_ids": [
                    Command.create(
                        {
                            "coverage_type_id": ref("coi_tracking.coverage_gl").id,
                            "additional_insured": True,
                            "limit_ids": [
                                Command.create(
                                    {
                                        "limit_type_id": ref(
                                            "coi_tracking.limit_each_occurrence"
                                        ).id,
                                        "amount": 1_000_000,
                                    }
                                )
                            ],
                        }
                    ),
                    Command.create(
                        {
                            "coverage_type_id": ref("coi_tracking.coverage_wc_el").id,
                            "per_statute": True,
                        }
                    ),
                ],
            }
        )
        started = time.perf_counter()
        partners = env["res.partner"].create(
            [
                {
                    "name": f"Bench Request Vendor {i:05d}",
                    "is_company": True,
                    "supplier_rank": 1,
                    # One in ten has no address to write to.
                    "email": f"office{i}@bench-requests.example" if i % 10 else False,
                    "coi_requirement_set_ids": [Command.link(standard.id)],
                }
                for i in range(vendors)
            ]
        )
        env["res.partner"]._coi_settle()
        created = time.perf_counter() - started
        company.coi_auto_request = True
        batch = env["coi.request.batch"].create(
            {"partner_ids": [Command.set(partners.ids)], "company_id": company.id}
        )
        cr.execute("SELECT count(*) FROM mail_mail")
        mails_before = cr.fetchone()[0]
        cr.commit()
        cron = env.ref("coi_tracking.ir_cron_coi_request_batches")
        with Measure(profile=os.environ.get("COI_BENCH_PROFILE")) as job:
            env["coi.request.batch"].with_context(cron_id=cron.id)._cron_process_batches()
            cr.commit()
        cr.execute("SELECT count(*) FROM mail_mail")
        mails = cr.fetchone()[0] - mails_before
        batch.invalidate_recordset()
        result = {
            "vendors": vendors,
            "setup_seconds": round(created, 2),
            "job_seconds": round(job.seconds, 2),
            "job_cpu_seconds": round(job.cpu, 2),
            "ms_per_vendor": round(1000 * job.seconds / vendors, 1),
            "queries": job.queries,
            "peak_rss_mb": round(rss_mb(), 1),
            "requests_sent": batch.sent_count,
            "emails_queued": mails,
            "no_email": batch.no_email_count,
            "not_tracked": batch.not_tracked_count,
            "state": batch.state,
        }
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--db", help="a throw-away database with the three addons")
    where.add_argument("--template", help="a database with the dependencies (copied)")
    parser.add_argument("--vendors", type=int, default=1000)
    args = parser.parse_args()
    db = args.db or install(args.template)
    try:
        result = measure(db, args.vendors)
        print(json.dumps(result, indent=2))
    finally:
        if args.template:
            from odoo import sql_db

            sql_db.close_all()
            drop_db(db)


if __name__ == "__main__":
    main()
