# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import os
import signal
import subprocess
import sys
import threading
from datetime import date, timedelta
from unittest.mock import patch

import odoo
from odoo import SUPERUSER_ID, Command, api, fields
from odoo.modules.registry import DummyRLock, Registry
from odoo.tests import TransactionCase, tagged
from odoo.tools import config

# Far from the demo data's dates: only this test's policies are due. The
# day is given to the job (freezegun does not reach the worker threads).
DAY = date(2035, 3, 1)


@tagged("post_install", "-at_install")
class TestConcurrentNoticeRuns(TransactionCase):
    """Two workers run the notice job at the same time. Each run works in its
    own transaction on its own connection, as in production, so the data
    is committed here (and removed at the end)."""

    def setUp(self):
        super().setUp()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
            gl = env.ref("coi_tracking.coverage_gl")
            agent = env["res.partner"].create(
                {"name": "Concurrent Agency", "email": "desk@agency.example", "is_company": True}
            )
            vendors = contacts = env["res.partner"]
            for n in range(4):
                vendor = env["res.partner"].create(
                    {"name": f"Concurrent Roofing {n}", "is_company": True, "supplier_rank": 1}
                )
                contact = env["res.partner"].create(
                    {
                        "name": f"Office {n}",
                        "email": f"office{n}@roof.example",
                        "parent_id": vendor.id,
                    }
                )
                vendor.write({"coi_insurance_contact_id": contact.id, "coi_agent_id": agent.id})
                vendors |= vendor
                contacts |= contact
            req_set = env["coi.requirement.set"].create(
                {
                    "name": "Concurrent set",
                    "line_ids": [Command.create({"coverage_type_id": gl.id})],
                    "partner_ids": [Command.set(vendors.ids)],
                }
            )
            policies = env["coi.policy"].create(
                [
                    {
                        "name": f"CONC-{n}",
                        "partner_id": vendor.id,
                        "coverage_type_id": gl.id,
                        "effective_date": date(2034, 3, 10 + n),
                        "expiration_date": date(2035, 3, 10 + n),  # in 9 to 12 days
                        "state": "active",
                    }
                    for n, vendor in enumerate(vendors)
                ]
            )
            self.ids = {
                "vendors": vendors.ids,
                "partners": (contacts | vendors | agent).ids,
                "set": req_set.id,
                "policies": policies.ids,
            }
        self.addCleanup(self._remove_data)

    def _remove_data(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            cron = env.ref("coi_tracking.ir_cron_coi_send_notices")
            env["ir.cron.trigger"].search([("cron_id", "=", cron.id)]).unlink()
            notices = env["coi.notice"].search([("policy_id", "in", self.ids["policies"])])
            messages = env["mail.message"].search(
                [("model", "=", "res.partner"), ("res_id", "in", self.ids["vendors"])]
            )
            env["mail.mail"].search([("mail_message_id", "in", messages.ids)]).unlink()
            messages.unlink()
            notices.unlink()
            env["mail.activity"].search(
                [("res_model", "=", "res.partner"), ("res_id", "in", self.ids["vendors"])]
            ).unlink()
            # Policies in force cannot be deleted through the ORM (on purpose).
            cr.execute("DELETE FROM coi_policy WHERE id = ANY(%s)", [self.ids["policies"]])
            env["coi.requirement.set"].browse(self.ids["set"]).unlink()
            env["res.partner"].browse(self.ids["partners"]).unlink()

    def run_job(self, cr):
        env = api.Environment(cr, SUPERUSER_ID, {})
        env["coi.notice"]._cron_send_notices(today=DAY)

    def sent(self):
        """(notices per policy, emails queued per notice) as committed."""
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            notices = env["coi.notice"].search([("policy_id", "in", self.ids["policies"])])
            per_policy = {pid: 0 for pid in self.ids["policies"]}
            for notice in notices:
                per_policy[notice.policy_id.id] += 1
            mails = {
                notice.key: env["mail.mail"].search_count(
                    [("mail_message_id", "=", notice.message_id.id)]
                )
                for notice in notices
            }
            return per_policy, mails

    def assertSentOnce(self):
        per_policy, mails = self.sent()
        self.assertEqual(set(per_policy.values()), {1}, f"one notice per policy: {per_policy}")
        self.assertEqual(set(mails.values()), {1}, f"one email per notice: {mails}")

    def test_second_run_skips_what_the_first_is_sending(self):
        with self.registry.cursor() as cr_a, self.registry.cursor() as cr_b:
            cr_b.execute("SET lock_timeout = '5s'")  # fail rather than hang
            self.run_job(cr_a)  # sending, not committed yet
            self.run_job(cr_b)  # at the same time: must neither wait nor send again
            cr_b.commit()
            cr_a.commit()
        self.assertSentOnce()

    def test_run_that_began_before_the_other_committed(self):
        with self.registry.cursor() as cr_a, self.registry.cursor() as cr_b:
            cr_b.execute("SELECT count(*) FROM coi_notice")  # B's snapshot starts here
            self.run_job(cr_a)
            cr_a.commit()
            self.run_job(cr_b)  # does not see A's notices, hits their keys
            cr_b.commit()
        self.assertSentOnce()

    def test_two_workers_at_once(self):
        barrier = threading.Barrier(2)
        errors = []

        def worker():
            try:
                with self.registry.cursor() as cr:
                    barrier.wait(timeout=30)
                    self.run_job(cr)
            except Exception as error:  # reported below
                errors.append(error)

        threads = [threading.Thread(target=worker) for _ in range(2)]
        # The test runner holds the registry lock; its own HTTP test mode
        # lifts it the same way for server threads.
        with patch.object(Registry, "_lock", DummyRLock()):
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=120)
        self.assertFalse(any(thread.is_alive() for thread in threads), "a worker hung")
        self.assertEqual(errors, [])
        self.assertSentOnce()

    def start_worker(self):
        """An Odoo process running the notice job that stops before it
        commits, as a worker killed in the middle of its run would."""
        script = (
            "import datetime, sys, time\n"
            f"env['coi.notice']._cron_send_notices(today=datetime.date({DAY.year}, {DAY.month}, "
            f"{DAY.day}))\n"
            "print('SENDING', flush=True)\n"
            "time.sleep(600)\n"
        )
        odoo_bin = os.path.join(os.path.dirname(odoo.__path__[0]), "odoo-bin")
        worker = subprocess.Popen(  # noqa: S603 - our own interpreter and Odoo
            [
                sys.executable,
                odoo_bin,
                "shell",
                "-d",
                self.env.cr.dbname,
                "--addons-path=" + ",".join(config["addons_path"]),
                "--no-http",
                "--log-level=warn",
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        self.addCleanup(lambda: worker.poll() is None and os.killpg(worker.pid, signal.SIGKILL))
        worker.stdin.write(script)
        worker.stdin.close()
        for line in worker.stdout:  # the worker holds the notices' keys now
            if line.strip() == "SENDING":
                return worker
        self.fail(f"the worker did not start (exit code {worker.wait(timeout=30)})")

    def test_notices_of_a_killed_worker_go_out_within_minutes(self):
        worker = self.start_worker()
        with self.registry.cursor() as cr:
            self.run_job(cr)  # the keys are the worker's: sends nothing, retries soon
            cr.commit()
        per_policy, _mails = self.sent()
        self.assertEqual(set(per_policy.values()), {0})
        os.killpg(worker.pid, signal.SIGKILL)  # the worker dies: nothing it did commits
        worker.wait(timeout=30)
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            cron = env.ref("coi_tracking.ir_cron_coi_send_notices")
            retry = env["ir.cron.trigger"].search([("cron_id", "=", cron.id)])
            self.assertTrue(retry, "the job is triggered again")
            self.assertLessEqual(
                max(retry.mapped("call_at")), fields.Datetime.now() + timedelta(minutes=10)
            )
        with self.registry.cursor() as cr:
            self.run_job(cr)  # the retry
            cr.commit()
        self.assertSentOnce()
