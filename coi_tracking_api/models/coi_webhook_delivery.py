# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import hashlib
import hmac
import json
import logging
from datetime import timedelta

import requests

from odoo import api, fields, models

from odoo.addons.coi_tracking.tools import lock_batch

_logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
TIMEOUT = 5
BATCH = 50


class CoiWebhookDelivery(models.Model):
    _name = "coi.webhook.delivery"
    _description = "COI Webhook Delivery"
    _order = "id"

    webhook_id = fields.Many2one("coi.webhook", required=True, ondelete="cascade", index=True)
    event = fields.Char(required=True)
    payload = fields.Json(required=True)
    state = fields.Selection(
        [("pending", "Pending"), ("done", "Delivered"), ("failed", "Failed")],
        default="pending",
        required=True,
        index=True,
    )
    attempts = fields.Integer()
    next_try = fields.Datetime(default=fields.Datetime.now, index=True)
    response_status = fields.Integer()
    last_error = fields.Char()

    def _body(self):
        return json.dumps(
            {"id": self.id, "event": self.event, "data": self.payload}, sort_keys=True
        ).encode()

    def _deliver(self):
        for delivery in self:
            body = delivery._body()
            secret = delivery.webhook_id.sudo().secret.encode()
            signature = hmac.new(secret, body, hashlib.sha256).hexdigest()
            try:
                response = requests.post(
                    delivery.webhook_id.url,
                    data=body,
                    headers={
                        "Content-Type": "application/json",
                        "X-COI-Event": delivery.event,
                        "X-COI-Delivery": str(delivery.id),
                        "X-COI-Signature": f"sha256={signature}",
                    },
                    timeout=TIMEOUT,
                )
                ok, status, error = response.ok, response.status_code, False
                if not ok:
                    error = f"HTTP {status}"
            except requests.RequestException as exc:
                ok, status, error = False, 0, str(exc)[:200]
            attempts = delivery.attempts + 1
            if ok:
                delivery.write({"state": "done", "attempts": attempts, "response_status": status})
                continue
            # Exponential backoff: 1, 2, 4 ... minutes, then give up.
            delivery.write(
                {
                    "attempts": attempts,
                    "response_status": status,
                    "last_error": error,
                    "state": "failed" if attempts >= MAX_ATTEMPTS else "pending",
                    "next_try": fields.Datetime.now() + timedelta(minutes=2 ** (attempts - 1)),
                }
            )

    @api.model
    def _cron_deliver(self):
        domain = [("state", "=", "pending"), ("next_try", "<=", fields.Datetime.now())]
        in_cron = bool(self.env.context.get("cron_id"))
        while True:
            deliveries = lock_batch(self.search(domain, limit=BATCH))
            if not deliveries:
                return  # none due, or another worker is delivering them
            deliveries._deliver()
            if not in_cron:
                return
            self.env["ir.cron"]._commit_progress(
                len(deliveries), remaining=self.search_count(domain)
            )
