# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import io
from datetime import date
from unittest.mock import patch

import pdfplumber
from lxml import etree
from markupsafe import Markup

from odoo import Command
from odoo.tests import freeze_time, tagged

from ..models import coi_notice
from .common import CoiCase


@tagged("post_install", "-at_install")
class TestNoticeBatch(CoiCase):
    """The notice job posts a day's notices in batches: each vendor's
    chatter shows its notice with the example certificate, each recipient
    gets the email Odoo's `message_post` would have queued, and the example
    is drawn once for the vendors under the same requirements."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.agency = cls.env["res.partner"].create(
            {
                "name": "Batch Agency",
                "is_company": True,
                "coi_is_agent": True,
                "email": "certs@batch-agency.example",
            }
        )
        cls.vendors = cls.vendor
        for name in ("Second Roofing LLC", "Third Roofing LLC"):
            other = cls.env["res.partner"].create(
                {
                    "name": name,
                    "is_company": True,
                    "supplier_rank": 1,
                    "coi_requirement_set_ids": [Command.link(cls.standard.id)],
                }
            )
            cls.create_policy(other, cls.gl, f"GL-{other.id}", date(2027, 1, 1))
            cls.create_policy(other, cls.wc, f"WC-{other.id}", date(2027, 1, 1))
            cls.vendors |= other
        for vendor in cls.vendors:
            contact = cls.env["res.partner"].create(
                {
                    "name": f"Office of {vendor.name}",
                    "parent_id": vendor.id,
                    "email": f"office{vendor.id}@roof.example",
                }
            )
            vendor.write({"coi_insurance_contact_id": contact.id, "coi_agent_id": cls.agency.id})
            vendor.coi_policy_ids.filtered(lambda p: p.coverage_type_id == cls.gl).write(
                {"expiration_date": date(2026, 7, 15), "effective_date": date(2025, 7, 15)}
            )

    def run_on(self, day):
        with freeze_time(day):
            self.env["res.partner"]._cron_refresh_compliance()
            self.env["coi.notice"]._cron_send_notices()
        return self.env["coi.notice"].search(
            [("partner_id", "in", self.vendors.ids), ("kind", "=", "renewal")], order="id"
        )

    def test_each_vendor_gets_its_notice_in_chatter_and_by_email(self):
        notices = self.run_on("2026-06-15")
        self.assertEqual(notices.partner_id, self.vendors)
        for notice in notices:
            vendor = notice.partner_id
            message = notice.message_id
            self.assertEqual((message.model, message.res_id), ("res.partner", vendor.id))
            self.assertEqual(message.message_type, "comment")
            self.assertEqual(message.subtype_id, self.env.ref("mail.mt_comment"))
            self.assertEqual(message.author_id, self.env.company.partner_id)
            self.assertIn(f"GL-{vendor.id}" if vendor != self.vendor else "GL-100", message.subject)
            self.assertEqual(message.partner_ids, vendor.coi_insurance_contact_id | self.agency)
            self.assertIn(message, vendor.message_ids)
            # The example is the vendor's, in its chatter.
            example = message.attachment_ids
            self.assertEqual(example.mapped("name"), ["example-certificate.pdf"])
            self.assertEqual((example.res_model, example.res_id), ("res.partner", vendor.id))
            # One email to both, in Odoo's notification layout, queued.
            mail = self.env["mail.mail"].search([("mail_message_id", "=", message.id)])
            self.assertEqual(len(mail), 1)
            self.assertEqual(mail.state, "outgoing")
            self.assertEqual(mail.recipient_ids, message.partner_ids)
            self.assertIn(str(message.body), mail.body_html)
            self.assertIn(self.env.company.name, mail.body_html)
            self.assertIn(message.message_id, mail.references)
            self.assertIn(f"res.partner-{vendor.id}", mail.headers)
            self.assertIn(self.agency.email, mail.headers)  # Reply-All reaches the agent
            notified = self.env["mail.notification"].search([("mail_message_id", "=", message.id)])
            self.assertEqual(notified.res_partner_id, message.partner_ids)
            self.assertEqual(set(notified.mapped("notification_type")), {"email"})
            self.assertEqual(set(notified.mapped("notification_status")), {"ready"})
            self.assertEqual(notified.mail_mail_id, mail)

    def test_one_example_for_the_vendors_under_the_same_requirements(self):
        notices = self.run_on("2026-06-15")
        examples = notices.message_id.attachment_ids
        self.assertEqual(len(examples), 3)  # one per vendor's chatter ...
        self.assertEqual(len(set(examples.mapped("checksum"))), 1)  # ... the same file
        with pdfplumber.open(io.BytesIO(examples[0].raw)) as pdf:
            text = pdf.pages[0].extract_text()
        self.assertIn("Each Occurrence", text)
        self.assertIn("your company", text)
        for vendor in self.vendors:
            self.assertNotIn(vendor.name, text)

    def test_a_second_email_refers_to_the_first(self):
        first = self.run_on("2026-06-15")
        second = self.run_on("2026-07-01") - first
        self.assertEqual(len(second), 3)
        for notice in second:
            earlier = first.filtered(lambda n, vendor=notice.partner_id: n.partner_id == vendor)
            mail = self.env["mail.mail"].search([("mail_message_id", "=", notice.message_id.id)])
            references = mail.references.split()
            self.assertIn(earlier.message_id.message_id, references)
            self.assertEqual(references[-1], notice.message_id.message_id)

    def test_the_same_email_as_message_post(self):
        """A batch post and Odoo's own `message_post` of the same notice give
        the same email, to the same people, with the same notifications."""
        vendor = self.vendor
        recipients = vendor.coi_insurance_contact_id | self.agency
        author = self.env.company.partner_id
        post = {
            "res_id": vendor.id,
            "body": Markup("<p>Please send the renewal of <b>GL-100</b>.</p>"),
            "subject": "Renewal",
            "partner_ids": recipients.ids,
            "attachments": [("example-certificate.pdf", b"%PDF-1.4 example")],
        }
        # As the scheduler runs the notice job: no person posting.
        batched = self.env["res.partner"]._coi_post_batch([post], author)
        posted = vendor.message_post(
            body=post["body"],
            subject=post["subject"],
            partner_ids=recipients.ids,
            attachments=post["attachments"],
            author_id=author.id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            email_layout_xmlid="mail.mail_notification_light",
            force_send=False,
        )
        for field in ("model", "res_id", "author_id", "email_from", "reply_to", "partner_ids"):
            self.assertEqual(batched[field], posted[field], field)
        for field in ("record_company_id", "record_alias_domain_id", "subtype_id", "body"):
            self.assertEqual(batched[field], posted[field], field)
        self.assertEqual(batched.attachment_ids.raw, posted.attachment_ids.raw)
        mails = self.env["mail.mail"].search([("mail_message_id", "in", (batched | posted).ids)])
        batch_mail = mails.filtered(lambda m: m.mail_message_id == batched)
        post_mail = mails - batch_mail
        self.assertEqual(batch_mail.recipient_ids, post_mail.recipient_ids)
        self.assertEqual(batch_mail.body_html, post_mail.body_html)
        self.assertEqual(batch_mail.headers, post_mail.headers)
        self.assertEqual(batch_mail.auto_delete, post_mail.auto_delete)

        def notifications(message):
            return sorted(
                (n.res_partner_id.id, n.notification_type, n.notification_status, n.is_read)
                for n in message.notification_ids
            )

        self.assertEqual(notifications(batched), notifications(posted))

    def test_a_follower_is_notified_as_odoo_would(self):
        """A buyer following a vendor's discussions hears of its notices as
        of any message in its chatter (Odoo's own path for that vendor)."""
        follower = self.buyer.partner_id
        self.vendor.message_subscribe(partner_ids=follower.ids)
        notices = self.run_on("2026-06-15")
        followed = notices.filtered(lambda n: n.partner_id == self.vendor)
        self.assertIn(follower, followed.message_id.notification_ids.res_partner_id)
        for notice in notices - followed:
            self.assertNotIn(follower, notice.message_id.notification_ids.res_partner_id)
            self.assertTrue(notice.message_id.notification_ids)

    def test_a_burst_starts_the_second_notice_job(self):
        """On a day with many notices the notice job starts the second one
        (another cron worker sends the batches it has not claimed); the
        second job calls nobody, and a quiet day starts nothing."""
        main = self.env.ref("coi_tracking.ir_cron_coi_send_notices")
        helper = self.env.ref("coi_tracking.ir_cron_coi_send_notices_helper")
        self.assertEqual(helper.code, main.code)
        Trigger = self.env["ir.cron.trigger"]

        def run(cron, threshold):
            Cron = type(self.env["ir.cron"])
            with (
                freeze_time("2026-06-15"),
                patch.object(coi_notice, "HELP_ABOVE", threshold),
                # Outside the scheduler the job would commit after each batch.
                patch.object(Cron, "_commit_progress", lambda *args, **kwargs: 0),
            ):
                self.env["coi.notice"].with_context(cron_id=cron.id)._cron_send_notices()
            return Trigger.search([("cron_id", "=", helper.id)])

        self.assertFalse(run(main, threshold=100))  # 3 notices: a quiet day
        self.env["coi.notice"].search([]).unlink()
        self.assertFalse(run(helper, threshold=1))
        self.env["coi.notice"].search([]).unlink()
        self.assertEqual(len(run(main, threshold=1)), 1)

    def test_a_template_is_compiled_once_for_the_batch(self):
        """The renewal template is compiled once for the three vendors' notices
        (Odoo compiles a mail template's body again for every record), each
        email still its own vendor's."""
        IrQweb = type(self.env["ir.qweb"])
        compiled = []
        generate = IrQweb._generate_code

        def counting(qweb, template):
            if isinstance(template, etree._Element):
                compiled.append(template)
            return generate(qweb, template)

        self.env.registry.clear_cache("templates")
        with patch.object(IrQweb, "_generate_code", counting):
            notices = self.run_on("2026-06-15")
        self.assertEqual(len(notices), 3)
        sources = [etree.tostring(template) for template in compiled]
        self.assertTrue(sources)
        self.assertEqual(len(sources), len(set(sources)), "a template compiled twice")
        for notice in notices:
            others = notices - notice
            body = str(notice.message_id.body)
            self.assertIn(notice.policy_id.name, body)
            for other in others:
                self.assertNotIn(other.policy_id.name, body)

    def test_an_edited_template_is_used_at_once(self):
        """A company that rewrites the renewal email sees its words in the
        next batch: the compiled template is the text's, not the name's."""
        self.run_on("2026-06-15")
        template = self.env.ref("coi_tracking.mail_template_coi_renewal")
        template.body_html = Markup(
            "<p>Dear partner, policy <t t-out='object.policy_id.name'/> renews soon.</p>"
        )
        notices = self.run_on("2026-07-01").filtered(lambda n: n.date == date(2026, 7, 1))
        self.assertEqual(len(notices), 3)
        for notice in notices:
            self.assertIn(
                f"Dear partner, policy {notice.policy_id.name} renews soon.",
                str(notice.message_id.body),
            )
