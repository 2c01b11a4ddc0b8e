# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import base64
import threading
from unittest.mock import patch

from odoo import SUPERUSER_ID, Command, api
from odoo.exceptions import ConcurrencyError
from odoo.modules.registry import DummyRLock, Registry
from odoo.tests import TransactionCase, tagged

from . import fixtures as fx

AGENCY = "Parallel Harbor Insurance Agency"
INSURER = "Parallel Mutual Casualty Company"


@tagged("post_install", "-at_install")
class TestConcurrentIntake(TransactionCase):
    """Two certificates naming the same new agency or insurer are read at the
    same time (two uploads through two workers, an upload and the reading
    job). Each reading works in its own transaction on its own connection,
    as in production, so the data is committed here (and removed at the
    end)."""

    def setUp(self):
        super().setUp()
        self.addCleanup(self._remove_partners)

    def _remove_partners(self):
        remove_partners(self.registry, [("coi_intake_key", "like", "parallel")])

    def env_of(self, cr):
        return api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})

    def assertRunsAgain(self, cr, reading):
        """`reading` in `cr` raises the ConcurrencyError on which Odoo runs a
        request or a job again. (Not `assertRaises`: its savepoint is on the
        test's own cursor, not on `cr`.)"""
        try:
            reading(self.env_of(cr))
        except ConcurrencyError:
            return
        self.fail("ConcurrencyError not raised")

    def named(self, name):
        with self.registry.cursor() as cr:
            cr.execute("SELECT count(*) FROM res_partner WHERE name = %s AND active", [name])
            return cr.fetchone()[0]

    def race(self, reading):
        """A and B run `reading` (env -> partner); B's snapshot predates A's
        commit. Returns (A's partner, B's partner once run again)."""
        with self.registry.cursor() as cr_a, self.registry.cursor() as cr_b:
            cr_b.execute("SELECT count(*) FROM res_partner")  # B's snapshot starts here
            made = reading(self.env_of(cr_a))
            cr_a.commit()
            try:
                reading(self.env_of(cr_b))  # does not see A's partner, hits its key
            except ConcurrencyError:
                pass
            else:
                self.fail("B did not raise the ConcurrencyError that runs it again")
            # What Odoo does before running the request (or job) again.
            cr_b.rollback()
            self.env_of(cr_b).transaction.reset()
            return made, reading(self.env_of(cr_b))

    def test_second_reading_that_began_before_the_first_committed(self):
        """B cannot see A's new agency or insurer, hits its key and is told
        to run again; run again, it finds A's."""
        agency, found = self.race(lambda env: env["res.partner"]._coi_agent_for({"name": AGENCY}))
        self.assertEqual(found, agency)
        insurer, found = self.race(
            lambda env: env["res.partner"]._coi_insurer_for(INSURER.upper(), None)
        )
        self.assertEqual(found, insurer)
        self.assertEqual(self.named(AGENCY), 1)
        self.assertEqual(self.named(INSURER.upper()), 1)

    def test_second_reading_waits_for_the_first_then_runs_again(self):
        """A has created the agency and not committed: B's insert waits on
        the key until A commits, then fails as a concurrency error (never a
        second agency)."""
        outcome = {}

        def read_b():
            with self.registry.cursor() as cr_b:
                cr_b.execute("SET lock_timeout = '20s'")  # fail rather than hang
                try:
                    self.env_of(cr_b)["res.partner"]._coi_agent_for({"name": AGENCY})
                    cr_b.commit()
                    outcome["b"] = "created"
                except ConcurrencyError:
                    outcome["b"] = "run again"

        # The test runner holds the registry lock; its HTTP test mode lifts
        # it the same way for server threads.
        with (
            patch.object(Registry, "_lock", DummyRLock()),
            self.registry.cursor() as cr_a,
        ):
            self.env_of(cr_a)["res.partner"]._coi_agent_for({"name": AGENCY})
            reader_b = threading.Thread(target=read_b)
            reader_b.start()
            reader_b.join(1.0)
            self.assertTrue(reader_b.is_alive(), "B waits on A's uncommitted agency")
            cr_a.commit()
            reader_b.join(30)
        self.assertEqual(outcome, {"b": "run again"})
        self.assertEqual(self.named(AGENCY), 1)

    def test_an_archived_agency_does_not_block_a_new_one(self):
        with self.registry.cursor() as cr:
            partners = self.env_of(cr)["res.partner"]
            old = partners._coi_agent_for({"name": AGENCY})
            old.action_archive()
            new = partners._coi_agent_for({"name": AGENCY})
            self.assertNotEqual(new, old)
            self.assertEqual(new.coi_intake_key, old.coi_intake_key)
            cr.commit()
        self.assertEqual(self.named(AGENCY), 1)


@tagged("post_install", "-at_install")
class TestReadingJobCollision(TransactionCase):
    """The reading job meets an agency that another transaction committed
    after this one began: the certificate stays to be read again, it is not
    flagged as unreadable."""

    def setUp(self):
        super().setUp()
        self.addCleanup(self._remove_agency)

    def _remove_agency(self):
        remove_partners(
            self.registry, [("coi_intake_key", "=", "agent:harbor insurance point services")]
        )

    def certificate_meanwhile(self):
        """A certificate waiting to be read, while another worker reads one
        from the same agency and commits it: this transaction's snapshot
        does not show that agency."""
        vendor = self.env["res.partner"].create(
            {"name": fx.SAMPLE["insured"]["name"], "is_company": True, "supplier_rank": 1}
        )
        attachment = self.env["ir.attachment"].create(
            {
                "name": "coi.pdf",
                "datas": base64.b64encode(fx.layout_pdf()),
                "res_model": "coi.certificate",
            }
        )
        certificate = self.env["coi.certificate"].create(
            {"partner_id": vendor.id, "attachment_ids": [Command.link(attachment.id)]}
        )
        self.reading_job_triggers().unlink()  # the upload's own
        with self.registry.cursor() as cr:
            producer = dict(fx.SAMPLE["producer"], email=None)
            self.env_of(cr)["res.partner"]._coi_agent_for(producer)
        return certificate, attachment

    def reading_job_triggers(self):
        job = self.env.ref("coi_tracking.ir_cron_coi_read_certificates")
        return self.env["ir.cron.trigger"].search([("cron_id", "=", job.id)])

    def assertLeftToTheJob(self, certificate, attachment):
        self.assertEqual(certificate.reading_state, "pending")
        self.assertFalse(certificate.policy_ids)
        self.assertEqual(certificate.attachment_ids, attachment, "the file is kept")
        self.assertTrue(self.reading_job_triggers(), "the job reads it again")

    def test_collision_in_the_job_leaves_the_certificate_pending(self):
        certificate, attachment = self.certificate_meanwhile()
        self.env["coi.certificate"]._cron_read_certificates()
        self.assertLeftToTheJob(certificate, attachment)

    def test_collision_in_the_request_leaves_the_certificate_to_the_job(self):
        """The quick read of an upload request: not a retry of the request
        (Odoo would sleep first, holding its worker), the job reads it."""
        certificate, attachment = self.certificate_meanwhile()
        certificate.with_context(coi_read_now=True)._coi_read_now()
        self.assertLeftToTheJob(certificate, attachment)

    def env_of(self, cr):
        return api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})


def remove_partners(registry, domain):
    """Unlink the committed partners of `domain`, their contacts first."""
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"active_test": False})
        partners = env["res.partner"].search(domain)
        (partners.child_ids | partners).unlink()
