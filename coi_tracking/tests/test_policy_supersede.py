# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import date

from odoo import Command
from odoo.tests import HttpCase, freeze_time, new_test_user, tagged

from .common import CoiCase

CHECK = "Check which policy stands"


@tagged("post_install", "-at_install")
class TestSupersede(CoiCase):
    """A new policy of the same coverage, vendor and period takes over from
    the old one when it is plainly at least as good; otherwise a person is
    asked and both stay in force."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.auto_500 = cls.create_policy(
            cls.vendor,
            cls.auto,
            "AU-500",
            date(2027, 1, 1),
            limit_ids=[Command.create({"limit_type_id": cls.csl.id, "amount": 500_000})],
        )
        cls.env.cr.flush()

    def read_certificate(self, *policies):
        """A received certificate with draft policies: (number, CSL amount,
        effective, expiration)."""
        certificate = self.env["coi.certificate"].create({"partner_id": self.vendor.id})
        for number, amount, effective, expiration in policies:
            self.create_policy(
                self.vendor,
                self.auto,
                number,
                expiration,
                state="draft",
                effective_date=effective,
                certificate_id=certificate.id,
                limit_ids=[Command.create({"limit_type_id": self.csl.id, "amount": amount})],
            )
        return certificate

    def test_a_better_policy_accepted_supersedes_the_old_one(self):
        """Reproduction: after a better auto policy was accepted, the $500,000
        and the $1,000,000 policies were both active."""
        certificate = self.read_certificate(
            ("AU-1M", 1_000_000, date(2026, 6, 1), date(2027, 6, 1))
        )
        certificate.with_user(self.coi_user).action_accept()
        self.settle()
        better = certificate.policy_ids
        self.assertRecordValues(
            self.auto_500 | better,
            [
                {"state": "superseded", "replaced_by_id": better.id},
                {"state": "active", "replaced_by_id": False},
            ],
        )
        active = self.env["coi.policy"].search(
            [("partner_id", "=", self.vendor.id), ("coverage_type_id", "=", self.auto.id)]
        )
        self.assertEqual(active.filtered(lambda p: p.state == "active"), better)
        self.assertIn("Superseded by policy AU-1M", self.auto_500.message_ids[0].body)
        self.assertIn("Supersedes policy AU-500", better.message_ids[0].body)
        self.assertFalse(better.activity_ids)
        self.assertFalse(better.overlapping_policy_ids)
        # Reminders and verifications are the current policy's only.
        with freeze_time("2026-12-10"):
            self.env["coi.notice"]._cron_send_notices()
        self.assertFalse(self.env["coi.notice"].search([("policy_id", "=", self.auto_500.id)]))

    def test_a_worse_policy_asks_the_reviewer(self):
        certificate = self.read_certificate(("AU-250", 250_000, date(2026, 6, 1), date(2027, 6, 1)))
        certificate.with_user(self.coi_user).action_accept()
        worse = certificate.policy_ids
        self.assertEqual((self.auto_500 | worse).mapped("state"), ["active", "active"])
        self.assertFalse(self.auto_500.replaced_by_id)
        todo = worse.activity_ids
        self.assertEqual(todo.summary, CHECK)
        self.assertEqual(todo.user_id, self.coi_user)
        self.assertIn("Combined single limit: $250,000 instead of $500,000", todo.note)
        self.assertIn("AU-500", todo.note)
        self.assertEqual(worse.overlapping_policy_ids, self.auto_500)
        # The reviewer decides the new one stands after all.
        worse.with_user(self.coi_user).action_supersede_overlapping()
        self.assertEqual(self.auto_500.state, "superseded")
        self.assertEqual(self.auto_500.replaced_by_id, worse)
        self.assertFalse(worse.activity_ids)
        worse.invalidate_recordset(["overlapping_policy_ids"])  # the form reads it anew
        self.assertFalse(worse.overlapping_policy_ids)

    def test_two_new_policies_of_the_coverage_are_ambiguous(self):
        certificate = self.read_certificate(
            ("AU-FLEET-1", 1_000_000, date(2026, 6, 1), date(2027, 6, 1)),
            ("AU-FLEET-2", 2_000_000, date(2026, 6, 1), date(2027, 6, 1)),
        )
        certificate.action_accept()
        self.assertEqual(self.auto_500.state, "active")
        for policy in certificate.policy_ids:
            self.assertEqual(policy.state, "active")
            self.assertEqual(policy.activity_ids.summary, CHECK)
            self.assertIn("came into force with it", policy.activity_ids.note)

    def test_a_policy_starting_later_takes_over_on_its_first_day(self):
        certificate = self.read_certificate(
            ("AU-2M", 2_000_000, date(2026, 9, 1), date(2027, 9, 1))
        )
        certificate.action_accept()
        new = certificate.policy_ids
        # Until then the old policy keeps the cover going.
        self.assertRecordValues(self.auto_500, [{"state": "active", "replaced_by_id": new.id}])
        with freeze_time("2026-08-31"):
            self.env["res.partner"]._cron_refresh_compliance()
        self.assertEqual(self.auto_500.state, "active")
        with freeze_time("2026-09-01"):
            self.env["res.partner"]._cron_refresh_compliance()
        self.assertEqual(self.auto_500.state, "superseded")
        self.assertEqual(new.state, "active")

    def test_a_renewal_that_starts_when_the_old_one_ends_is_no_overlap(self):
        certificate = self.read_certificate(
            ("AU-NEXT", 250_000, date(2027, 1, 1), date(2028, 1, 1))
        )
        certificate.action_accept()
        self.assertEqual(self.auto_500.state, "active")
        self.assertFalse(certificate.policy_ids.activity_ids)


@tagged("post_install", "-at_install")
class TestSupersedeTour(HttpCase):
    def test_reviewer_replaces_the_overlapping_policy(self):
        new_test_user(
            self.env,
            login="coi_supersede_user",
            groups="base.group_user,coi_tracking.coi_tracking_group_user",
        )
        auto = self.env.ref("coi_tracking.coverage_auto")
        vendor = self.env["res.partner"].create({"name": "Overlap Hauling", "is_company": True})
        policies = self.env["coi.policy"].create(
            [
                {
                    "name": number,
                    "partner_id": vendor.id,
                    "coverage_type_id": auto.id,
                    "effective_date": "2026-01-01",
                    "expiration_date": "2099-01-01",
                    "state": "active",
                }
                for number in ("AU-OLD", "AU-NEW")
            ]
        )
        old, new = policies
        self.start_tour(
            f"/odoo/action-coi_tracking.action_coi_policy/{new.id}",
            "coi_policy_supersede_tour",
            login="coi_supersede_user",
        )
        self.assertEqual(old.state, "superseded")
        self.assertEqual(old.replaced_by_id, new)
        self.assertEqual(new.state, "active")
