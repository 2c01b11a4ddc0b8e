# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import date

from odoo.exceptions import UserError
from odoo.tests import tagged

from . import fixtures as fx
from .common import MailIntakeCase


@tagged("post_install", "-at_install")
class TestEmailIntake(MailIntakeCase):
    """coi@company: each email becomes a certificate; cancellation notices
    cancel the policy they name."""

    def receive(self, sender, subject, files=()):
        return self.send_to_alias(sender, subject, files=files)

    def test_alias_exists(self):
        alias = self.env.ref("coi_tracking.mail_alias_coi_certificate")
        self.assertEqual((alias.alias_name, alias.alias_model_id.model), ("coi", "coi.certificate"))

    def test_email_from_the_vendor_becomes_a_certificate(self):
        certificate = self.receive(
            "Roof office <office@roof.example>", "Our COI", [("coi.pdf", fx.layout_pdf())]
        )
        self.assertRecordValues(
            certificate,
            [
                {
                    "source": "email",
                    "partner_id": self.vendor.id,
                    "submitted_by_id": self.contact.id,
                    "reading_state": "pending",
                }
            ],
        )
        self.assertEqual(certificate.attachment_ids.mapped("name"), ["coi.pdf"])
        self.env["coi.certificate"]._cron_read_certificates()
        # The certificate names another insured than this vendor: a person looks.
        self.assertEqual(certificate.state, "in_review")

    def test_agent_email_finds_the_vendor_from_the_insured(self):
        granite = self.env["res.partner"].create(
            {
                "name": fx.SAMPLE["insured"]["name"],
                "is_company": True,
                "coi_requirement_set_ids": [(4, self.standard.id)],
            }
        )
        certificate = self.receive(
            "certs@broker.example", "Certificate", [("coi.pdf", fx.layout_pdf())]
        )
        self.assertFalse(certificate.partner_id)  # an agent writes for many insureds
        self.env["coi.certificate"]._cron_read_certificates()
        self.assertEqual(certificate.partner_id, granite)
        self.assertEqual(certificate.state, "accepted")

    def test_email_without_attachment_is_kept_for_review(self):
        certificate = self.receive("office@roof.example", "Where do I send it?")
        self.assertEqual(certificate.state, "in_review")
        self.assertEqual(certificate.review_reason, "The email had no attachment.")
        self.assertIn("Where do I send it?", certificate.message_ids[-1].subject or "")

    def test_unknown_sender_and_unreadable_file_are_kept(self):
        certificate = self.receive(
            "stranger@nowhere.example", "fwd", [("scan.pdf", fx.corrupted_pdf())]
        )
        self.assertFalse(certificate.partner_id)
        self.env["coi.certificate"]._cron_read_certificates()
        self.assertEqual(certificate.state, "in_review")
        self.assertEqual(certificate.attachment_ids.raw, fx.corrupted_pdf())

    def test_cancellation_notice_cancels_the_policy_at_once(self):
        self.env.company.coi_purchase_enforcement = "block"
        certificate = self.receive(
            "certs@broker.example",
            "Notice of cancellation",
            [("cancel.pdf", fx.cancellation_pdf("GL-100", insured=self.vendor.name))],
        )
        self.env["coi.certificate"]._cron_read_certificates()
        # Cancelled from 07/01: active and in force until then (today is 06/15),
        # so not yet blocking, but the contractor is told at once.
        self.assertRecordValues(
            self.gl_policy, [{"state": "active", "cancellation_date": date(2026, 7, 1)}]
        )
        self.assertEqual(certificate.kind, "cancellation")
        self.assertEqual(certificate.partner_id, self.vendor)
        notice = self.env["coi.notice"].search([("kind", "=", "cancelled")])
        self.assertEqual(notice.recipient_ids, self.contact | self.agency)
        self.assertIn("GL-100", notice.message_id.subject)

    def test_cancellation_effective_today_blocks_purchasing(self):
        self.env.company.coi_purchase_enforcement = "block"
        self.receive(
            "certs@broker.example",
            "Cancellation",
            [("cancel.pdf", fx.cancellation_pdf("GL-100", effective="06/15/2026"))],
        )
        self.env["coi.certificate"]._cron_read_certificates()
        self.assertEqual(self.vendor.coi_status, "non_compliant")
        product = self.env["product.product"].create({"name": "Repair", "type": "service"})
        order = self.env["purchase.order"].create(
            {
                "partner_id": self.vendor.id,
                "order_line": [
                    (0, 0, {"product_id": product.id, "product_qty": 1, "price_unit": 5})
                ],
            }
        )
        with self.assertRaises(UserError):
            order.button_confirm()

    def test_unclear_cancellation_waits_for_a_person(self):
        certificate = self.receive(
            "certs@broker.example",
            "Notice of cancellation",
            [("cancel.pdf", fx.cancellation_pdf("ZZ-999999"))],
        )
        self.env["coi.certificate"]._cron_read_certificates()
        self.assertEqual(certificate.state, "in_review")
        self.assertIn("no active policy number", certificate.review_reason)
        self.assertEqual(self.gl_policy.state, "active")
        self.assertTrue(
            certificate.activity_ids.filtered(lambda a: a.summary == "Confirm the cancellation")
        )
