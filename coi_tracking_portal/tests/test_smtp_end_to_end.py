# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import email
import re
import socket
from email import policy as email_policy
from unittest.mock import patch

from aiosmtpd.controller import Controller

from odoo import Command
from odoo.tests import HttpCase, tagged


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


@tagged("post_install", "-at_install")
class TestSmtpEndToEnd(HttpCase):
    """Odoo sends a notice through a real SMTP server (a sink started here);
    the test reads the delivered email and follows its upload link."""

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
