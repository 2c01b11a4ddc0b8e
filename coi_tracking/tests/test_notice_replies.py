# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from email.message import EmailMessage

from odoo.tests import new_test_user, tagged

from . import fixtures as fx
from .common import MailIntakeCase


@tagged("post_install", "-at_install")
class TestNoticeReplies(MailIntakeCase):
    """A contractor or an agent answers a notice email with "Reply": the
    answer goes to the company's catchall address, comes back through the
    mail gateway and lands in the vendor's chatter; a certificate attached
    to the reply is kept as a certificate too."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.alias_domain = cls.env["mail.alias.domain"].create({"name": "company.example"})
        cls.env.company.alias_domain_id = cls.alias_domain
        cls.team_user = new_test_user(
            cls.env, login="coi_reply_team", groups="coi_tracking.coi_tracking_group_user"
        )
        cls.env.company.coi_team_user_id = cls.team_user

    def renewal_notice(self):
        notice = self.env["coi.notice"]._queue(
            [{"kind": "renewal", "vendor": self.vendor, "policy": self.gl_policy, "stage": "d30"}]
        )
        self.assertTrue(notice.message_id)
        return notice

    def reply(self, message, sender, text, files=()):
        """The email a mail client sends when `sender` replies to `message`."""
        email = EmailMessage()
        email["From"] = sender
        email["To"] = message.reply_to
        email["Subject"] = f"Re: {message.subject}"
        email["Message-Id"] = f"<reply-{message.id}-{len(text)}@roof.example>"
        email["In-Reply-To"] = message.message_id
        email["References"] = message.message_id
        email.set_content(text)
        for name, content in files:
            email.add_attachment(content, maintype="application", subtype="pdf", filename=name)
        return self.env["mail.thread"].message_process(False, email.as_string())

    def vendor_emails(self):
        return self.vendor.message_ids.filtered(lambda m: m.message_type == "email")

    def test_the_notice_email_asks_replies_to_the_catchall(self):
        notice = self.renewal_notice()
        self.assertIn("catchall@company.example", notice.message_id.reply_to)
        mail = self.env["mail.mail"].search([("mail_message_id", "=", notice.message_id.id)])
        self.assertTrue(mail)
        self.assertIn("catchall@company.example", mail.reply_to)

    def test_a_reply_to_a_renewal_notice_lands_in_the_vendor_chatter(self):
        notice = self.renewal_notice()
        certificates = self.env["coi.certificate"].search_count([])
        thread = self.reply(
            notice.message_id,
            "Roof office <office@roof.example>",
            "Our agent is renewing the policy next week.",
        )
        self.assertEqual(thread, self.vendor.id)
        reply = self.vendor_emails()
        self.assertEqual(len(reply), 1)
        self.assertIn("renewing the policy next week", str(reply.body))
        self.assertEqual(reply.author_id, self.contact)
        self.assertEqual(reply.parent_id, notice.message_id)
        # No file, no certificate.
        self.assertEqual(self.env["coi.certificate"].search_count([]), certificates)
        # The COI team responsible is asked to read it; a second reply joins.
        kind = self.env.ref("coi_tracking.mail_activity_type_coi_reply")
        activity = self.vendor.activity_ids.filtered(lambda a: a.activity_type_id == kind)
        self.assertEqual(activity.user_id, self.team_user)
        self.assertEqual(activity.summary, "Read the reply of Roof office")
        self.reply(notice.message_id, "office@roof.example", "And the auto policy too.")
        self.assertEqual(len(self.vendor_emails()), 2)
        self.assertEqual(
            self.vendor.activity_ids.filtered(lambda a: a.activity_type_id == kind), activity
        )

    def test_a_certificate_attached_to_a_reply_is_kept(self):
        notice = self.renewal_notice()
        self.reply(
            notice.message_id,
            "certs@broker.example",
            "Here is the renewed certificate.",
            files=[("renewal.pdf", fx.layout_pdf())],
        )
        reply = self.vendor_emails()
        self.assertEqual(reply.attachment_ids.mapped("name"), ["renewal.pdf"])
        certificate = self.env["coi.certificate"].search([("partner_id", "=", self.vendor.id)])
        self.assertEqual(len(certificate), 1)
        self.assertRecordValues(
            certificate,
            [
                {
                    "source": "email",
                    "submitted_by_id": self.agency.id,
                    "reading_state": "pending",
                    "company_id": self.env.company.id,
                }
            ],
        )
        self.assertEqual(certificate.attachment_ids.mapped("name"), ["renewal.pdf"])
        self.assertIn(
            certificate.name,
            " ".join(str(body) for body in self.vendor.message_ids.mapped("body")),
        )

    def test_a_logo_in_a_reply_is_not_a_certificate(self):
        notice = self.renewal_notice()
        email = EmailMessage()
        email["From"] = "office@roof.example"
        email["To"] = notice.message_id.reply_to
        email["Subject"] = "Re: renewal"
        email["Message-Id"] = "<logo-reply@roof.example>"
        email["In-Reply-To"] = notice.message_id.message_id
        email.set_content("Thanks, on it.")
        logo = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
        email.add_attachment(logo, maintype="image", subtype="png", filename="logo.png")
        self.env["mail.thread"].message_process(False, email.as_string())
        self.assertEqual(len(self.vendor_emails()), 1)
        self.assertFalse(self.env["coi.certificate"].search([("partner_id", "=", self.vendor.id)]))
