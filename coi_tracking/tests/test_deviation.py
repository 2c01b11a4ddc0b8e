# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Deviations (issue 15): a COI manager accepts one vendor's item for one
coverage as it is (a contractor who will not raise a limit), with what is
accepted instead, a reason and an end date. The checklist and the reports
show who accepted it until when; the chatter logs it; it ends by itself."""

from datetime import date, timedelta

from psycopg2 import IntegrityError

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, HttpCase, freeze_time, new_test_user, tagged
from odoo.tools import mute_logger

from .common import CoiCase
from .test_multi_company import TwoCompanies

WHAT = "GL each occurrence $500,000 instead of $1,000,000"


class DeviationCase(CoiCase):
    """A vendor whose GL each-occurrence limit is $500,000 where $1,000,000
    is required: non-compliant until a manager accepts the item."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.low = cls.env["res.partner"].create(
            {
                "name": "Low Limit Paving",
                "is_company": True,
                "supplier_rank": 1,
                "coi_requirement_set_ids": [Command.link(cls.standard.id)],
            }
        )
        cls.low_gl = cls.create_policy(cls.low, cls.gl, "GL-LOW-1", date(2027, 1, 1))
        cls.low_gl.limit_ids.filtered(
            lambda limit: limit.limit_type_id == cls.each_occurrence
        ).amount = 500_000
        cls.create_policy(cls.low, cls.wc, "WC-LOW-1", date(2027, 1, 1))
        cls.env.cr.flush()

    def accept(self, end_date=date(2026, 9, 30), user=None, vendor=None):
        """What the manager does: the checklist line's button, then the form."""
        line = self.lines(vendor or self.low)["GL"]
        action = line.with_user(user or self.coi_manager).action_coi_accept_deviation()
        self.assertEqual((action["res_model"], action["target"]), ("coi.deviation", "new"), action)
        Deviation = self.env["coi.deviation"].with_user(user or self.coi_manager)
        form = Form(
            Deviation.with_context(**action["context"]),
            view="coi_tracking.coi_deviation_view_form_accept",
        )
        self.assertEqual(form.end_date, date(2027, 1, 1))  # by default, when the policy ends
        form.end_date = end_date
        form.accepted_terms = WHAT
        form.reason = "Small job, no public access."
        deviation = form.save()
        self.settle()
        return deviation

    def notes(self, record):
        return record.message_ids.mapped(lambda m: m.body and m.body.striptags() or "")


@tagged("post_install", "-at_install")
class TestDeviation(DeviationCase):
    def test_accepted_deviation_makes_the_vendor_compliant_and_shows_who_until_when(self):
        self.assertEqual(self.low.coi_status, "non_compliant")
        self.assertEqual(self.lines(self.low)["GL"].status, "insufficient_limit")
        deviation = self.accept()
        line = self.lines(self.low)["GL"]
        sentence = f"Accepted by {self.coi_manager.name} until 09/30/2026: {WHAT}."
        self.assertRecordValues(
            line,
            [
                {
                    "status": "deviation_accepted",
                    "is_deficient": False,
                    "deficiency": sentence,
                    "deviation_id": deviation.id,
                    "policy_id": self.low_gl.id,
                }
            ],
        )
        self.assertRecordValues(self.low, [{"coi_status": "compliant", "coi_deficiency_count": 0}])
        self.assertEqual(self.low.coi_recheck_date, date(2026, 10, 1))
        self.assertRecordValues(
            deviation,
            [
                {
                    "partner_id": self.low.id,
                    "coverage_type_id": self.gl.id,
                    "requirement_line_id": line.requirement_line_id.id,
                    "approved_by_id": self.coi_manager.id,
                    "approval_date": date(2026, 6, 15),
                    "state": "accepted",
                    "company_id": self.env.company.id,
                }
            ],
        )
        self.assertIn("$1,000,000 is required", deviation.deficiency)  # the item when accepted
        for record in (deviation, self.low):
            self.assertTrue(
                any(sentence in note and "Small job" in note for note in self.notes(record)),
                self.notes(record),
            )
        # The reports: the analysis row, and the vendor's printable checklist.
        row = self.env["coi.compliance.report"].search(
            [("partner_id", "=", self.low.id), ("coverage_type_id", "=", self.gl.id)]
        )
        self.assertRecordValues(
            row,
            [
                {
                    "status": "deviation_accepted",
                    "in_compliance": True,
                    "deficiency_kind": False,
                    "deficiency": sentence,
                    "deviation_id": deviation.id,
                    "deviation_until": date(2026, 9, 30),
                    "deviation_approved_by_id": self.coi_manager.id,
                }
            ],
        )
        html, _kind = self.env["ir.actions.report"]._render_qweb_html(
            "coi_tracking.report_vendor_compliance", self.low.ids
        )
        self.assertIn("Deviations accepted", html.decode())
        self.assertIn("Accepted by", html.decode())
        self.assertIn("Nothing is missing.", html.decode())

    def test_it_ends_by_itself_after_its_end_date(self):
        deviation = self.accept(end_date=date(2026, 6, 30))
        Partner = self.env["res.partner"]
        with freeze_time("2026-06-30 10:00:00"):  # its last day: still accepted
            Partner._cron_refresh_compliance()
        self.assertEqual(deviation.state, "accepted")
        self.assertEqual(self.low.coi_status, "compliant")
        with freeze_time("2026-07-01 10:00:00"):
            Partner._cron_refresh_compliance()
        self.assertEqual(deviation.state, "ended")
        line = self.lines(self.low)["GL"]
        self.assertRecordValues(
            line, [{"status": "insufficient_limit", "is_deficient": True, "deviation_id": False}]
        )
        self.assertIn("$500,000; $1,000,000 is required", line.deficiency)
        self.assertEqual(self.low.coi_status, "non_compliant")
        for record in (deviation, self.low):
            self.assertTrue(
                any("ended on 06/30/2026" in note for note in self.notes(record)),
                self.notes(record),
            )

    def test_only_managers_accept(self):
        line = self.lines(self.low)["GL"]
        with self.assertRaises(AccessError):
            line.with_user(self.coi_user).action_coi_accept_deviation()
        with self.assertRaises(AccessError):
            self.env["coi.deviation"].with_user(self.coi_user).create(
                {
                    "partner_id": self.low.id,
                    "coverage_type_id": self.gl.id,
                    "accepted_terms": WHAT,
                    "reason": "x",
                    "end_date": date(2026, 9, 30),
                }
            )
        deviation = self.accept()
        # A COI user reads it, and cannot change or revoke it.
        self.assertEqual(deviation.with_user(self.coi_user).accepted_terms, WHAT)
        with self.assertRaises(AccessError):
            deviation.with_user(self.coi_user).write({"end_date": date(2026, 12, 31)})
        with self.assertRaises(AccessError):
            deviation.with_user(self.coi_user).action_revoke()
        with self.assertRaises(AccessError):
            deviation.with_user(self.coi_manager).unlink()  # revoked, never deleted

    def test_revoked_deviation_stops_counting_at_once(self):
        deviation = self.accept()
        deviation.with_user(self.coi_manager).action_revoke()
        self.settle()
        self.assertEqual(deviation.state, "revoked")
        self.assertEqual(self.lines(self.low)["GL"].status, "insufficient_limit")
        self.assertEqual(self.low.coi_status, "non_compliant")
        self.assertTrue(any("revoked by" in note for note in self.notes(self.low)))
        with self.assertRaises(UserError):
            deviation.with_user(self.coi_manager).write({"end_date": date(2026, 12, 31)})

    def test_the_decision_is_not_rewritten(self):
        deviation = self.accept()
        with self.assertRaises(UserError):
            deviation.with_user(self.coi_manager).write({"approved_by_id": self.coi_user.id})
        with self.assertRaises(UserError):
            deviation.with_user(self.coi_manager).write({"partner_id": self.vendor.id})
        # Who and when are the current user and today, whatever is sent.
        other = (
            self.env["coi.deviation"]
            .with_user(self.coi_manager)
            .create(
                {
                    "partner_id": self.low.id,
                    "coverage_type_id": self.wc.id,
                    "accepted_terms": "No waiver of subrogation",
                    "reason": "x",
                    "end_date": date(2026, 7, 31),
                    "approved_by_id": self.coi_user.id,
                    "approval_date": date(2020, 1, 1),
                }
            )
        )
        self.assertRecordValues(
            other, [{"approved_by_id": self.coi_manager.id, "approval_date": date(2026, 6, 15)}]
        )

    def test_it_cannot_end_before_it_is_accepted(self):
        with (
            self.assertRaises(IntegrityError),
            mute_logger("odoo.sql_db"),
            self.env.cr.savepoint(),
        ):
            self.env["coi.deviation"].with_user(self.coi_manager).create(
                {
                    "partner_id": self.low.id,
                    "coverage_type_id": self.gl.id,
                    "accepted_terms": WHAT,
                    "reason": "x",
                    "end_date": date(2026, 6, 14),
                }
            )
            self.env.flush_all()


@tagged("post_install", "-at_install")
class TestDeviationCompanies(TwoCompanies):
    def test_other_company_cannot_see_or_make_a_deviation(self):
        deviation = (
            self.env["coi.deviation"]
            .with_user(self.manager_a)
            .create(
                {
                    "partner_id": self.vendor_a.id,
                    "coverage_type_id": self.gl.id,
                    "accepted_terms": WHAT,
                    "reason": "Alpha only",
                    "end_date": date(2026, 9, 30),
                }
            )
        )
        self.assertEqual(deviation.company_id, self.company_a)
        Deviation = self.env["coi.deviation"].with_user(self.manager_b)
        self.assertFalse(Deviation.search([("id", "=", deviation.id)]))
        with self.assertRaises(AccessError):
            deviation.with_user(self.manager_b).read(["accepted_terms"])
        with self.assertRaises(AccessError):
            deviation.with_user(self.manager_b).action_revoke()
        with self.assertRaises(AccessError):  # in A's company
            Deviation.create(
                {
                    "partner_id": self.vendor_a.id,
                    "coverage_type_id": self.gl.id,
                    "accepted_terms": WHAT,
                    "reason": "Beta reaching into Alpha",
                    "end_date": date(2026, 9, 30),
                    "company_id": self.company_a.id,
                }
            )
        with self.assertRaises(UserError):  # A's vendor in B's deviation
            Deviation.create(
                {
                    "partner_id": self.vendor_a.id,
                    "coverage_type_id": self.gl.id,
                    "accepted_terms": WHAT,
                    "reason": "Beta reaching into Alpha",
                    "end_date": date(2026, 9, 30),
                    "company_id": self.company_b.id,
                }
            )
        self.assertEqual(self.env["coi.deviation"].with_user(self.manager_a).search([]), deviation)


@tagged("post_install", "-at_install")
class TestDeviationTour(HttpCase):
    """A COI manager clicks "Accept Deviation" on the vendor's checklist and
    "Coverage on a Date" on the vendor form."""

    def test_manager_accepts_a_deviation_and_asks_for_coverage(self):
        new_test_user(
            self.env,
            login="coi_deviation_tour",
            groups="base.group_user,coi_tracking.coi_tracking_group_manager",
        )
        ref = self.env.ref
        gl, each = ref("coi_tracking.coverage_gl"), ref("coi_tracking.limit_each_occurrence")
        req_set = self.env["coi.requirement.set"].create(
            {
                "name": "Tour deviation set",
                "line_ids": [
                    Command.create(
                        {
                            "coverage_type_id": gl.id,
                            "limit_ids": [
                                Command.create({"limit_type_id": each.id, "amount": 1_000_000})
                            ],
                        }
                    )
                ],
            }
        )
        vendor = self.env["res.partner"].create(
            {
                "name": "Tour Low Limit LLC",
                "is_company": True,
                "supplier_rank": 1,
                "coi_requirement_set_ids": [Command.link(req_set.id)],
            }
        )
        today = fields.Date.today()
        self.env["coi.policy"].create(
            {
                "name": "GL-TOUR-1",
                "partner_id": vendor.id,
                "coverage_type_id": gl.id,
                "effective_date": today - timedelta(days=30),
                "expiration_date": today + timedelta(days=200),
                "state": "active",
                "limit_ids": [Command.create({"limit_type_id": each.id, "amount": 500_000})],
            }
        )
        self.start_tour(
            f"/odoo/res.partner/{vendor.id}", "coi_deviation_tour", login="coi_deviation_tour"
        )
        deviation = self.env["coi.deviation"].search([("partner_id", "=", vendor.id)])
        self.assertRecordValues(
            deviation,
            [
                {
                    "accepted_terms": "GL $500,000 instead of $1,000,000",
                    "end_date": today + timedelta(days=200),
                    "state": "accepted",
                }
            ],
        )
        self.assertEqual(vendor.coi_status, "compliant")
