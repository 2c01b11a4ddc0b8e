# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import io
from datetime import date

import pdfplumber

from odoo.tests import Form, freeze_time, tagged

from odoo.addons.coi_tracking.tests.common import MailIntakeCase


@tagged("post_install", "-at_install")
class TestSendUploadLinkRequest(MailIntakeCase):
    """ "Send Upload Link" sends the first request: the composer opens with
    what the automatic request says (requirements with their limits, the
    certificate holder, the link) and the example certificate, addressed to
    the insurance contact and the agent; once sent, the chase follows."""

    def test_composer_prefilled_with_the_first_request(self):
        self.env.company.coi_auto_request = True
        self.wc_policy.write({"state": "cancelled", "cancellation_date": date(2026, 6, 1)})
        self.settle()
        self.assertEqual(self.vendor.coi_status, "non_compliant")
        action = self.vendor.with_user(self.coi_user).action_coi_send_upload_link()
        composer = Form(
            self.env[action["res_model"]].with_user(self.coi_user).with_context(action["context"])
        )
        self.assertEqual({p.id for p in composer.partner_ids}, {self.contact.id, self.agency.id})
        body = str(composer.body)
        self.assertIn("What the certificate must show", body)
        self.assertIn("Each Occurrence", body)
        self.assertIn("1,000,000", body)
        self.assertIn("Certificate holder", body)
        self.assertIn(self.env.company.name, body)
        self.assertIn("/coi/upload/", body)
        self.assertIn("Workers' Compensation", body)  # what is missing
        example = composer.attachment_ids[:1]
        self.assertEqual(example.name, "example-certificate.pdf")
        with pdfplumber.open(io.BytesIO(example.raw)) as pdf:
            self.assertIn("EXAMPLE", pdf.pages[0].extract_text())
        with freeze_time("2026-06-15 09:00:00"):
            composer.save().action_send_mail()
        link = self.vendor.coi_upload_request_ids[:1]
        message = link.message_ids.filtered(lambda m: m.message_type == "comment")[:1]
        self.assertEqual(message.attachment_ids.mapped("name"), ["example-certificate.pdf"])
        mails = self.env["mail.mail"].sudo().search([("mail_message_id", "=", message.id)])
        self.assertEqual(mails.recipient_ids, self.contact | self.agency)
        # The person's request opens the cycle the chase counts from.
        self.assertEqual(self.vendor.coi_request_date, date(2026, 6, 15))
        with freeze_time("2026-06-18 09:00:00"):
            self.env["coi.notice"]._cron_send_notices()
        chase = self.env["coi.notice"].search(
            [("partner_id", "=", self.vendor.id), ("kind", "=", "chase")]
        )
        self.assertEqual(len(chase), 1)
        self.assertIn("/coi/upload/", str(chase.message_id.body))
