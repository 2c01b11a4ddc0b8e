# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

from odoo import Command
from odoo.tests import TransactionCase, tagged


class Receiver(BaseHTTPRequestHandler):
    """A webhook subscriber on loopback; answers with the next planned code."""

    received = []
    answers = []

    def do_POST(self):  # http.server calls it so
        body = self.rfile.read(int(self.headers["Content-Length"]))
        Receiver.received.append((dict(self.headers), body))
        self.send_response(Receiver.answers.pop(0) if Receiver.answers else 200)
        self.end_headers()

    def log_message(self, *args):
        pass


@tagged("post_install", "-at_install")
class TestWebhooks(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server = HTTPServer(("127.0.0.1", 0), Receiver)
        cls.thread = threading.Thread(target=cls.server.serve_forever, daemon=True)
        cls.thread.start()
        cls.addClassCleanup(cls.server.shutdown)
        url = f"http://127.0.0.1:{cls.server.server_address[1]}/hook"
        cls.hook = cls.env["coi.webhook"].create({"name": "Dispatch", "url": url})
        gl = cls.env.ref("coi_tracking.coverage_gl")
        cls.req_set = cls.env["coi.requirement.set"].create(
            {"name": "Hook set", "line_ids": [Command.create({"coverage_type_id": gl.id})]}
        )
        cls.vendor = cls.env["res.partner"].create(
            {
                "name": "Hooked Roofing",
                "ref": "H-1",
                "is_company": True,
                "coi_requirement_set_ids": [Command.link(cls.req_set.id)],
            }
        )
        cls.env.cr.flush()

    def setUp(self):
        super().setUp()
        Receiver.received.clear()
        Receiver.answers.clear()

    def test_status_change_is_delivered_signed_after_the_transaction(self):
        self.vendor.write({"coi_exempt": True, "coi_exempt_reason": "Owner"})
        self.env.cr.flush()  # the end of the transaction: the status changes
        delivery = self.env["coi.webhook.delivery"].search([("webhook_id", "=", self.hook.id)])
        self.assertEqual(delivery.event, "vendor.status_changed")
        self.assertEqual(delivery.payload["status"], "exempt")
        self.assertFalse(Receiver.received)  # nothing sent inside the change itself
        self.env["coi.webhook.delivery"]._cron_deliver()
        self.assertEqual(delivery.state, "done")
        headers, body = Receiver.received[0]
        self.assertEqual(headers["X-COI-Event"], "vendor.status_changed")
        expected = hmac.new(self.hook.secret.encode(), body, hashlib.sha256).hexdigest()
        self.assertEqual(headers["X-COI-Signature"], f"sha256={expected}")
        self.assertEqual(json.loads(body)["data"]["ref"], "H-1")

    def test_failure_is_retried_with_backoff_then_delivered(self):
        Receiver.answers[:] = [500]
        self.vendor.write({"coi_exempt": True, "coi_exempt_reason": "Owner"})
        self.env.cr.flush()  # the end of the transaction: the status changes
        delivery = self.env["coi.webhook.delivery"].search([("webhook_id", "=", self.hook.id)])
        Deliveries = self.env["coi.webhook.delivery"]
        Deliveries._cron_deliver()
        self.assertRecordValues(
            delivery, [{"state": "pending", "attempts": 1, "response_status": 500}]
        )
        Deliveries._cron_deliver()  # not due yet: nothing sent
        self.assertEqual(len(Receiver.received), 1)
        delivery.next_try = delivery.next_try.replace(year=2000)
        Deliveries._cron_deliver()
        self.assertEqual((delivery.state, delivery.attempts), ("done", 2))
        self.assertEqual(len(Receiver.received), 2)

    def test_certificate_reviewed_event(self):
        certificate = self.env["coi.certificate"].create({"partner_id": self.vendor.id})
        certificate.action_reject(reason="Blurry")
        events = (
            self.env["coi.webhook.delivery"]
            .search([("webhook_id", "=", self.hook.id)])
            .mapped("event")
        )
        self.assertIn("certificate.reviewed", events)

    def test_unreachable_subscriber_gives_up_after_max_attempts(self):
        self.hook.url = "http://127.0.0.1:9/nothing-listens-here"
        self.vendor.write({"coi_exempt": True, "coi_exempt_reason": "Owner"})
        self.env.cr.flush()  # the end of the transaction: the status changes
        delivery = self.env["coi.webhook.delivery"].search([("webhook_id", "=", self.hook.id)])
        for _ in range(8):
            delivery.next_try = delivery.next_try.replace(year=2000)
            self.env["coi.webhook.delivery"]._cron_deliver()
        self.assertEqual((delivery.state, delivery.attempts), ("failed", 8))
        self.assertTrue(delivery.last_error)
