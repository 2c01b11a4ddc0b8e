# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import email
import email.message
import re
import socket
from email import policy as email_policy
from unittest.mock import patch

from aiosmtpd.controller import Controller

from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged


class Inbox:
    """A local SMTP sink: keeps every message it is given."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd calls it so
        self.messages.append(
            (
                envelope.rcpt_tos,
                email.message_from_bytes(envelope.content, policy=email_policy.default),
            )
        )
        return "250 Message accepted for delivery"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SmtpSinkCase(HttpCase):
    """Odoo sends through a real SMTP server: a sink started here, on
    loopback, that keeps every message it gets (`self.inbox.messages`)."""

    def setUp(self):
        super().setUp()
        self.inbox = Inbox()
        port = free_port()
        self.smtp = Controller(self.inbox, hostname="127.0.0.1", port=port)
        self.smtp.start()
        self.addCleanup(self.smtp.stop)
        self.env["ir.mail_server"].create(
            {
                "name": "Test sink",
                "smtp_host": "127.0.0.1",
                "smtp_port": port,
                "smtp_encryption": "none",
            }
        )
        # Odoo never opens SMTP connections under its test runner; this test
        # is about exactly that, against a server of its own on loopback.
        server_class = type(self.env["ir.mail_server"])
        self.startPatcher(
            patch.object(server_class, "_disable_send", classmethod(lambda cls: False))
        )

    def delivered_to(self, address):
        return [message for rcpt, message in self.inbox.messages if address in rcpt]


@tagged("post_install", "-at_install")
class TestSmtpEndToEnd(SmtpSinkCase):
    """Odoo sends a notice through a real SMTP server (a sink started here);
    the test reads the delivered email and follows its upload link."""

    def test_rejection_email_is_delivered_and_its_link_works(self):
        gl = self.env.ref("coi_tracking.coverage_gl")
        req_set = self.env["coi.requirement.set"].create(
            {"name": "SMTP set", "line_ids": [Command.create({"coverage_type_id": gl.id})]}
        )
        vendor = self.env["res.partner"].create(
            {
                "name": "Delivered Roofing",
                "is_company": True,
                "email": "office@delivered.example",
                "coi_requirement_set_ids": [Command.link(req_set.id)],
            }
        )
        certificate = self.env["coi.certificate"].create({"partner_id": vendor.id})
        certificate.action_reject(reason="The certificate holder is wrong")
        notice = self.env["coi.notice"].search([("certificate_id", "=", certificate.id)])
        # Whatever Odoo did not send at once is in its queue: send this notice's.
        self.env["mail.mail"].search([("mail_message_id", "=", notice.message_id.id)]).send()
        delivered = [
            (rcpt, message)
            for rcpt, message in self.inbox.messages
            if "office@delivered.example" in rcpt
        ]
        self.assertEqual(len(delivered), 1)
        recipients, message = delivered[0]
        self.assertEqual(recipients, ["office@delivered.example"])
        self.assertIn("could not be accepted", message["Subject"])
        html = message.get_body(preferencelist=("html",)).get_content()
        self.assertIn("The certificate holder is wrong", html)
        link = re.search(r'href="([^"]*/coi/upload/[^"]+)"', html).group(1)
        path = link[link.index("/coi/upload/") :]
        page = self.url_open(path)
        self.assertEqual(page.status_code, 200)
        self.assertIn("Delivered Roofing", page.text)
        self.assertIn("No Commercial General Liability policy is on file", page.text)


@tagged("post_install", "-at_install")
class TestQuestionRoundTrip(SmtpSinkCase):
    """A contractor asks a question on the upload page; a COI user answers in
    the vendor's chatter; the answer arrives through SMTP with the upload
    link; the contractor's reply to it comes back to the vendor's chatter."""

    def test_question_answer_and_reply(self):
        alias_domain = self.env["mail.alias.domain"].create({"name": "holder.example"})
        self.env.company.alias_domain_id = alias_domain
        gl = self.env.ref("coi_tracking.coverage_gl")
        req_set = self.env["coi.requirement.set"].create(
            {"name": "Round trip set", "line_ids": [Command.create({"coverage_type_id": gl.id})]}
        )
        vendor = self.env["res.partner"].create(
            {
                "name": "Roundtrip Roofing",
                "is_company": True,
                "coi_requirement_set_ids": [Command.link(req_set.id)],
            }
        )
        contact = self.env["res.partner"].create(
            {"name": "Rita Roof", "parent_id": vendor.id, "email": "rita@roundtrip.example"}
        )
        vendor.coi_insurance_contact_id = contact
        link = vendor._coi_upload_request(contact)
        # 1. The question, through the real form of the upload page.
        page = self.url_open(link.access_url)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        sent = self.url_open(
            f"{link.access_url}/question",
            data={"csrf_token": csrf, "question": "Do you need our umbrella policy too?"},
        )
        self.assertEqual(sent.status_code, 200)
        question = vendor.message_ids.filtered(lambda m: m.author_id == contact)
        self.assertIn("umbrella policy too", str(question.body))
        # The question is the team's, not emailed to the outside.
        self.assertFalse(self.delivered_to("rita@roundtrip.example"))
        kind = self.env.ref("coi_tracking_portal.mail_activity_type_coi_question")
        self.assertEqual(vendor.activity_ids.activity_type_id, kind)
        # 2. A COI user answers with "Send message" in the vendor's chatter.
        coi_user = new_test_user(
            self.env,
            login="coi_answerer",
            email="answerer@holder.example",
            groups="coi_tracking.coi_tracking_group_user,base.group_partner_manager",
        )
        answer = (
            vendor.with_user(coi_user)
            .with_context(mail_notify_force_send=False)
            .message_post(
                body="Yes: the umbrella must be on the certificate as well.",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        )
        # Answering closes the question's activity, the answer as its feedback.
        self.assertFalse(vendor.activity_ids)
        done = vendor.message_ids.filtered(lambda m: m.mail_activity_type_id == kind)
        self.assertIn("the umbrella must be on the certificate", str(done.body))
        self.env["mail.mail"].sudo().search([("mail_message_id", "=", answer.id)]).send()
        delivered = self.delivered_to("rita@roundtrip.example")
        self.assertEqual(len(delivered), 1)
        email_in = delivered[0]
        self.assertIn("rita@roundtrip.example", email_in["To"])
        self.assertIn("catchall@holder.example", email_in["Reply-To"])
        html = email_in.get_body(preferencelist=("html",)).get_content()
        self.assertIn("the umbrella must be on the certificate as well", html)
        upload = re.search(r'href="([^"]*/coi/upload/[^"]+)"', html).group(1)
        opened = self.url_open(upload[upload.index("/coi/upload/") :])
        self.assertEqual(opened.status_code, 200)
        self.assertIn("Roundtrip Roofing", opened.text)
        # 3. Rita replies to that email: it comes back to the vendor's chatter.
        reply = email.message.EmailMessage()
        reply["From"] = "Rita Roof <rita@roundtrip.example>"
        reply["To"] = email_in["Reply-To"]
        reply["Subject"] = f"Re: {email_in['Subject']}"
        reply["Message-Id"] = "<rita-reply@roundtrip.example>"
        reply["In-Reply-To"] = email_in["Message-Id"]
        reply["References"] = f"{email_in['References'] or ''} {email_in['Message-Id']}".strip()
        reply.set_content("Thanks, our agent will add it and send the new certificate.")
        thread = self.env["mail.thread"].message_process(False, reply.as_string())
        self.assertEqual(thread, vendor.id)
        landed = vendor.message_ids.filtered(lambda m: m.message_type == "email")
        self.assertEqual(len(landed), 1)
        self.assertEqual(landed.author_id, contact)
        self.assertEqual(landed.parent_id, answer)
        self.assertIn("our agent will add it", str(landed.body))
        # The team is asked to read the reply.
        self.assertEqual(
            vendor.activity_ids.activity_type_id,
            self.env.ref("coi_tracking.mail_activity_type_coi_reply"),
        )
        # The next answer from the chatter marks it read.
        vendor.with_user(coi_user).message_post(
            body="Thank you, we will watch for it.",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        self.assertFalse(vendor.activity_ids)
