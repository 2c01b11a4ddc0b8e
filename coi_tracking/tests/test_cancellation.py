# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Insurers' notices (issue 15): a cancellation takes effect on the date the
notice says, not on the letter's date; a reinstatement undoes it; a notice
sent as the email's text is read like an attachment; when a person decides,
the review screen offers "Cancel policy X from D" for the policies concerned."""

from datetime import date, timedelta

from lxml import etree

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, HttpCase, freeze_time, new_test_user, tagged

from . import fixtures as fx
from .common import MailIntakeCase
from .test_multi_company import TwoCompanies

# The issue's letter, moved to the tests' calendar (today is 06/15/2026):
# dated before today, cancelling from a later day.
LETTER = "06/01/2026"
EFFECTIVE = date(2026, 7, 15)


class NoticeCase(MailIntakeCase):
    def receive(self, subject, text=None, html=None, files=(), sender="certs@broker.example"):
        """An insurer's notice to the coi@ alias, then the reading job."""
        certificate = self.send_to_alias(sender, subject, text=text, html=html, files=files)
        self.env["coi.certificate"]._cron_read_certificates()
        return certificate

    def run_daily_cron_on(self, day):
        with freeze_time(day):
            self.env["res.partner"]._cron_refresh_compliance()

    def notice_pdf(self, number="GL-100", effective=EFFECTIVE, **kwargs):
        return fx.cancellation_pdf(
            number,
            effective=effective.strftime("%m/%d/%Y"),
            insured=self.vendor.name,
            letter_date=LETTER,
            **kwargs,
        )


@tagged("post_install", "-at_install")
class TestCancellationDates(NoticeCase):
    def test_a_cancellation_takes_effect_on_its_date_not_the_letter_s(self):
        self.env.company.coi_purchase_enforcement = "block"
        certificate = self.receive(
            "Notice of cancellation", files=[("notice.pdf", self.notice_pdf())]
        )
        # Cancelled from 07/15 (the letter is dated 06/01): in force until then.
        self.assertRecordValues(
            self.gl_policy,
            [{"state": "active", "cancellation_date": EFFECTIVE, "cancellation_pending": True}],
        )
        self.assertRecordValues(
            certificate,
            [
                {
                    "state": "accepted",
                    "kind": "cancellation",
                    "partner_id": self.vendor.id,
                    "notice_kind": "cancellation",
                    "notice_date": EFFECTIVE,
                }
            ],
        )
        self.settle()
        self.assertNotEqual(self.vendor.coi_status, "non_compliant")
        self.assertEqual(self.lines(self.vendor)["GL"].status, "expiring")  # 30 days left
        self.assertIn(
            "Policy GL-100 cancelled from 07/15/2026: in force until then.",
            str(certificate.message_ids.mapped("body")),
        )
        # The contractor and the agent are told the right date.
        notice = self.env["coi.notice"].search([("kind", "=", "cancelled")])
        self.assertEqual(notice.recipient_ids, self.contact | self.agency)
        self.assertIn("will be cancelled on 07/15/2026", notice.message_id.subject)
        self.assertIn("07/15/2026", str(notice.message_id.body))
        self.assertNotIn("06/01/2026", str(notice.message_id.body))

        # The day before, the policy still covers the vendor ...
        self.run_daily_cron_on("2026-07-14")
        self.assertEqual(self.gl_policy.state, "active")
        self.assertNotEqual(self.vendor.coi_status, "non_compliant")
        # ... and from its date on, it is cancelled and the vendor is not covered.
        self.run_daily_cron_on("2026-07-15")
        self.assertEqual(self.gl_policy.state, "cancelled")
        self.assertIn("Cancelled on 07/15/2026.", str(self.gl_policy.message_ids.mapped("body")))
        self.assertEqual(self.vendor.coi_status, "non_compliant")
        self.assertEqual(self.lines(self.vendor)["GL"].status, "cancelled")
        self.assertEqual(
            self.lines(self.vendor)["GL"].deficiency,
            "Commercial General Liability policy GL-100 was cancelled on 07/15/2026.",
        )

    def test_a_cancellation_from_a_past_day_cancels_at_once(self):
        self.receive(
            "Notice of cancellation",
            files=[("notice.pdf", self.notice_pdf(effective=date(2026, 6, 10)))],
        )
        self.assertRecordValues(
            self.gl_policy, [{"state": "cancelled", "cancellation_date": date(2026, 6, 10)}]
        )
        self.settle()
        self.assertEqual(self.vendor.coi_status, "non_compliant")

    def test_a_policy_cancelled_by_hand_from_a_later_day_stays_in_force(self):
        self.gl_policy.write({"cancellation_date": EFFECTIVE})
        self.gl_policy.action_cancel()
        self.assertEqual(self.gl_policy.state, "active")
        self.assertIn("In force until 07/15/2026", str(self.gl_policy.message_ids.mapped("body")))
        self.settle()
        self.assertNotEqual(self.vendor.coi_status, "non_compliant")
        self.run_daily_cron_on("2026-07-15")
        self.assertEqual(self.gl_policy.state, "cancelled")

    def test_a_reinstatement_undoes_the_cancellation(self):
        self.gl_policy.write({"cancellation_date": date(2026, 6, 1)})
        self.gl_policy.action_cancel()
        self.settle()
        self.assertEqual(self.vendor.coi_status, "non_compliant")
        certificate = self.receive(
            "Policy GL-100",
            files=[
                (
                    "reinstated.pdf",
                    fx.cancellation_pdf(
                        "GL-100",
                        title="NOTICE OF REINSTATEMENT",
                        lines=[
                            "Date: 06/12/2026",
                            f"Named insured: {self.vendor.name}",
                            "Policy number: GL-100",
                            "Your payment was received: the policy has been reinstated",
                            "effective 06/01/2026 with no lapse in coverage.",
                        ],
                    ),
                )
            ],
        )
        self.assertRecordValues(self.gl_policy, [{"state": "active", "cancellation_date": False}])
        self.assertRecordValues(
            certificate,
            [{"state": "accepted", "kind": "cancellation", "notice_kind": "reinstatement"}],
        )
        self.assertIn("Reinstated from 06/01/2026", str(self.gl_policy.message_ids.mapped("body")))
        self.assertIn(
            "Policy GL-100 reinstated: its cancellation is undone.",
            str(certificate.message_ids.mapped("body")),
        )
        self.settle()
        self.assertEqual(self.vendor.coi_status, "compliant")

    def test_a_reinstatement_cancels_a_cancellation_still_to_come(self):
        self.gl_policy.write({"cancellation_date": EFFECTIVE})
        self.gl_policy.action_cancel()
        self.receive(
            "Notice",
            text=f"Date: 06/12/2026\nPolicy GL-100 of {self.vendor.name}: the notice of "
            "cancellation is withdrawn; the policy is reinstated effective 07/15/2026.",
        )
        self.assertRecordValues(self.gl_policy, [{"state": "active", "cancellation_date": False}])
        self.run_daily_cron_on("2026-07-15")
        self.assertEqual(self.gl_policy.state, "active")

    def test_a_non_renewal_is_logged_on_the_policy(self):
        certificate = self.receive(
            "Non-renewal",
            text="Date: 06/01/2026\nPolicy GL-100 will not be renewed. It expires on "
            "01/01/2027.",
        )
        self.assertEqual(certificate.notice_kind, "non_renewal")
        self.assertEqual(self.gl_policy.state, "active")
        self.assertFalse(self.gl_policy.cancellation_date)
        self.assertIn("will not renew", str(self.gl_policy.message_ids.mapped("body")))


@tagged("post_install", "-at_install")
class TestPlainTextNotices(NoticeCase):
    TEXT = (
        "Bluewater Casualty Insurance Company\n"
        "Date: 06/01/2026\n"
        "Named insured: Test Roofing LLC\n"
        "Policy number: GL-100\n"
        "The policy will be cancelled effective 07/15/2026 at 12:01 AM for non-payment."
    )

    def test_a_notice_in_the_email_s_text_is_read_like_an_attachment(self):
        # An agent writes for many insureds, and the subject says nothing.
        certificate = self.receive("Policy GL-100", text=self.TEXT)
        self.assertEqual(certificate.kind, "cancellation")
        self.assertEqual(certificate.partner_id, self.vendor)
        self.assertEqual(certificate.state, "accepted")
        self.assertRecordValues(
            self.gl_policy, [{"state": "active", "cancellation_date": EFFECTIVE}]
        )
        # The text is kept as the certificate's file, the one read.
        self.assertEqual(certificate.attachment_ids.mapped("name"), ["Policy GL-100.txt"])
        self.assertEqual(certificate.document_id, certificate.attachment_ids)
        self.assertIn("cancelled effective 07/15/2026", certificate.attachment_ids.raw.decode())
        self.assertEqual(certificate.reading_method, "email")

    def test_an_html_notice_is_read_too(self):
        html = (
            "<html><body><p><b>NOTICE OF CANCELLATION</b></p><p>Date: 06/01/2026</p>"
            "<table><tr><td>Named insured:</td><td>Test Roofing LLC</td></tr>"
            "<tr><td>Policy number:</td><td>GL-100</td></tr></table>"
            "<p>Effective date of cancellation: <b>July 15, 2026</b></p></body></html>"
        )
        certificate = self.receive("Notice of cancellation", html=html)
        self.assertEqual(certificate.state, "accepted")
        self.assertEqual(certificate.partner_id, self.vendor)
        self.assertEqual(self.gl_policy.cancellation_date, EFFECTIVE)
        self.assertIn("July 15, 2026", certificate.attachment_ids.raw.decode())

    def test_an_email_that_is_no_notice_still_waits_for_a_person(self):
        certificate = self.receive(
            "Question", text="Where do I send our certificate?", sender="office@roof.example"
        )
        self.assertEqual(certificate.state, "in_review")
        self.assertEqual(certificate.review_reason, "The email had no attachment.")
        self.assertEqual(certificate.kind, "certificate")
        self.assertFalse(certificate.attachment_ids)

    def test_an_unknown_policy_number_waits_with_the_insured_s_vendor_set(self):
        certificate = self.receive("Cancellation", text=self.TEXT.replace("GL-100", "ZZ-999999"))
        self.assertEqual(certificate.state, "in_review")
        self.assertEqual(certificate.partner_id, self.vendor)  # from the insured's name
        self.assertIn("no active policy number", certificate.review_reason)
        self.assertEqual(certificate.notice_date, EFFECTIVE)
        self.assertEqual(self.gl_policy.state, "active")
        self.assertFalse(self.gl_policy.cancellation_date)


@tagged("post_install", "-at_install")
class TestNoticeReview(NoticeCase):
    """A person decides: the certificate's wizard offers, for each policy
    concerned, "Cancel policy X from D" with the date read."""

    TEXT = (
        "Date: 06/01/2026\nNamed insured: Test Roofing LLC\n"
        "Policies GL-100 and WC-100 will be cancelled effective 07/15/2026."
    )

    def open_wizard(self, certificate, user=None):
        certificate = certificate.with_user(user or self.coi_user)
        action = certificate.action_open_cancellation()
        self.assertEqual(action["res_model"], "coi.certificate.cancellation")
        return Form(
            self.env[action["res_model"]]
            .with_user(user or self.coi_user)
            .with_context(action["context"])
        )

    def test_several_policies_named_each_offered_with_the_date_read(self):
        certificate = self.receive("Notice of cancellation", text=self.TEXT)
        self.assertEqual(certificate.state, "in_review")
        self.assertIn("several policies match", certificate.review_reason)
        self.assertEqual(certificate.notice_policy_ids, self.gl_policy | self.wc_policy)
        self.assertTrue(
            certificate.activity_ids.filtered(lambda a: a.summary == "Confirm the cancellation")
        )
        wizard = self.open_wizard(certificate)
        self.assertEqual(wizard.kind, "cancellation")
        self.assertEqual(wizard.letter_date, date(2026, 6, 1))
        labels = []
        for index in range(len(wizard.line_ids)):
            with wizard.line_ids.edit(index) as line:
                labels.append(line.action_label)
                self.assertTrue(line.selected)
                self.assertEqual(line.effective_date, EFFECTIVE)
                if line.policy_id == self.wc_policy:
                    line.selected = False  # the reviewer keeps WC
                else:
                    line.effective_date = date(2026, 7, 20)  # and corrects a misread date
        self.assertEqual(
            sorted(labels),
            ["Cancel policy GL-100 from 07/15/2026", "Cancel policy WC-100 from 07/15/2026"],
        )
        wizard.save().action_apply()
        self.assertRecordValues(
            self.gl_policy + self.wc_policy,
            [
                {"state": "active", "cancellation_date": date(2026, 7, 20)},
                {"state": "active", "cancellation_date": False},
            ],
        )
        self.assertRecordValues(
            certificate, [{"state": "accepted", "reviewer_id": self.coi_user.id}]
        )
        self.assertIn(
            "Policy GL-100 cancelled from 07/20/2026: in force until then.",
            str(certificate.message_ids.mapped("body")),
        )
        self.assertIn(
            "Cancelled from 07/20/2026 by the cancellation notice",
            str(self.gl_policy.message_ids.mapped("body")),
        )
        self.assertFalse(certificate.activity_ids)
        notices = self.env["coi.notice"].search([("kind", "=", "cancelled")])
        self.assertEqual(notices.policy_id, self.gl_policy)

    def test_nothing_named_offers_the_vendor_s_policies_unticked(self):
        certificate = self.receive(
            "Notice of cancellation",
            text="Named insured: Test Roofing LLC\nYour policy has been cancelled.",
        )
        self.assertIn("no active policy number", certificate.review_reason)
        self.assertIn("could not be read", certificate.review_reason)
        wizard = self.open_wizard(certificate)
        self.assertEqual(len(wizard.line_ids), 2)
        with wizard.line_ids.edit(0) as line:
            self.assertFalse(line.selected)
            self.assertFalse(line.effective_date)
            self.assertEqual(line.action_label, f"Cancel policy {line.policy_id.name} from ?")
        with self.assertRaisesRegex(UserError, "Tick the policies"):
            wizard.save().action_apply()
        with wizard.line_ids.edit(0) as line:
            line.selected = True
        with self.assertRaisesRegex(UserError, "Give the date policy"):
            wizard.save().action_apply()
        with wizard.line_ids.edit(0) as line:
            line.effective_date = date(2026, 6, 1)
            policy = line.policy_id
        wizard.save().action_apply()
        self.assertRecordValues(
            policy, [{"state": "cancelled", "cancellation_date": date(2026, 6, 1)}]
        )
        self.assertEqual(certificate.state, "accepted")

    def test_the_reviewer_may_reinstate_instead(self):
        self.gl_policy.write({"cancellation_date": date(2026, 6, 1)})
        self.gl_policy.action_cancel()
        certificate = self.receive("Notice of cancellation", text="Policy GL-100: see attached.")
        wizard = self.open_wizard(certificate)
        wizard.kind = "reinstatement"
        with wizard.line_ids.new() as line:
            line.policy_id = self.gl_policy
            line.selected = True
            line.effective_date = date(2026, 6, 1)
            self.assertEqual(line.action_label, "Reinstate policy GL-100 from 06/01/2026")
        wizard.save().action_apply()
        self.assertRecordValues(self.gl_policy, [{"state": "active", "cancellation_date": False}])

    def test_a_policy_that_cannot_take_the_notice_is_refused_in_words(self):
        certificate = self.receive("Notice of cancellation", text=self.TEXT)
        self.wc_policy.write({"state": "expired"})
        wizard = self.open_wizard(certificate)
        # An expired policy is no longer offered; added by hand, it is refused.
        self.assertEqual(len(wizard.line_ids), 1)
        with wizard.line_ids.new() as line:
            line.policy_id = self.wc_policy
            line.selected = True
            line.effective_date = EFFECTIVE
        with self.assertRaisesRegex(UserError, "Policy WC-100 is not active"):
            wizard.save().action_apply()
        self.assertFalse((self.gl_policy | self.wc_policy).filtered("cancellation_date"))
        self.assertEqual(certificate.state, "in_review")

    def test_accepting_a_notice_files_it_without_changing_policies(self):
        certificate = self.receive("Notice of cancellation", text=self.TEXT)
        certificate.with_user(self.coi_user).action_accept()
        self.assertEqual(certificate.state, "accepted")
        self.assertFalse((self.gl_policy | self.wc_policy).filtered("cancellation_date"))
        self.assertFalse(self.env["coi.notice"].search([("certificate_id", "=", certificate.id)]))
        self.assertIn(
            "Filed without changing any policy.", str(certificate.message_ids.mapped("body"))
        )
        with self.assertRaisesRegex(UserError, "already handled"):
            certificate.action_open_cancellation()

    def test_the_review_screen_of_a_notice_does_not_promise_policies_in_force(self):
        view = self.env["coi.certificate"].get_view(view_type="form")
        arch = etree.fromstring(view["arch"])  # noqa: S320 - our own view
        buttons = {b.get("string"): b for b in arch.iter("button") if b.get("string")}
        self.assertEqual(buttons["Cancel Policies…"].get("name"), "action_open_cancellation")
        self.assertEqual(buttons["File Without Change"].get("name"), "action_accept")
        # Accept, and the help saying the policies come into force, are for
        # certificates only.
        self.assertIn("kind == 'cancellation'", buttons["Accept"].get("invisible"))
        promise = next(p for p in arch.iter("p") if "come into force" in "".join(p.itertext()))
        hidden = promise.get("invisible") or promise.getparent().get("invisible") or ""
        self.assertIn("kind == 'cancellation'", hidden)


@tagged("post_install", "-at_install")
class TestNoticeWizardWalls(TwoCompanies):
    def test_the_wizard_offers_its_own_company_s_policies_only(self):
        notice_b = self.env["coi.certificate"].create(
            {
                "kind": "cancellation",
                "company_id": self.company_b.id,
                "partner_id": self.vendor_b.id,
            }
        )
        text = f"Policy {self.policy_a.name} is cancelled effective 2026-07-01."
        self.assertFalse(self.env["coi.policy"]._coi_cancel_from_notice(notice_b, text))
        self.assertEqual(notice_b.state, "in_review")
        action = notice_b.with_user(self.user_b).action_open_cancellation()
        Wizard = self.env["coi.certificate.cancellation"].with_user(self.user_b)
        wizard = Wizard.with_context(action["context"]).create({})
        # B's vendor's policies are offered (unticked: none is named), never A's.
        self.assertEqual(wizard.line_ids.policy_id, self.policy_b)
        self.assertFalse(wizard.line_ids.selected)
        self.assertEqual(wizard.company_id, self.company_b)
        self.assertEqual(self.policy_a.state, "active")
        # Another company's user neither reads it nor opens one on B's notice.
        with self.assertRaises(AccessError):
            wizard.with_user(self.manager_a).read(["kind"])
        with self.assertRaises(AccessError):
            Wizard.with_user(self.manager_a).with_context(action["context"]).create({})
        with self.assertRaisesRegex(UserError, "company"):
            wizard.write({"line_ids": [Command.create({"policy_id": self.policy_a.id})]})


@tagged("post_install", "-at_install")
class TestNoticeReviewTour(HttpCase):
    def test_a_reviewer_cancels_one_of_the_policies_a_notice_names(self):
        user = new_test_user(
            self.env,
            login="coi_notice_tour_user",
            groups="base.group_user,coi_tracking.coi_tracking_group_user",
        )
        ref = self.env.ref
        vendor = self.env["res.partner"].create({"name": "Tour Paving LLC", "is_company": True})
        today = self.env.company._coi_today()
        policies = self.env["coi.policy"].create(
            [
                {
                    "name": number,
                    "partner_id": vendor.id,
                    "coverage_type_id": coverage.id,
                    "effective_date": today - timedelta(days=100),
                    "expiration_date": today + timedelta(days=265),
                    "state": "active",
                }
                for number, coverage in (
                    ("GL-TOUR-1", ref("coi_tracking.coverage_gl")),
                    ("AU-TOUR-2", ref("coi_tracking.coverage_auto")),
                )
            ]
        )
        letter, effective = today - timedelta(days=3), today + timedelta(days=20)
        notice = self.env["coi.certificate"].create(
            {"kind": "cancellation", "partner_id": vendor.id}
        )
        text = (
            f"Date: {letter:%m/%d/%Y}\nPolicies GL-TOUR-1 and AU-TOUR-2 will be cancelled "
            f"effective {effective:%m/%d/%Y}."
        )
        self.env["coi.policy"]._coi_cancel_from_notice(notice, text)
        self.assertEqual(notice.state, "in_review")
        self.start_tour(
            f"/odoo/action-coi_tracking.action_coi_certificate/{notice.id}",
            "coi_notice_review_tour",
            login=user.login,
        )
        self.assertRecordValues(
            policies,
            [
                {"name": "GL-TOUR-1", "state": "active", "cancellation_date": effective},
                {"name": "AU-TOUR-2", "state": "active", "cancellation_date": False},
            ],
        )
        self.assertRecordValues(notice, [{"state": "accepted", "reviewer_id": user.id}])
