# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import secrets

from odoo import api, fields, models

EVENTS = [
    ("vendor.status_changed", "Vendor insurance status changed"),
    ("certificate.reviewed", "Certificate accepted or rejected"),
]


class CoiWebhook(models.Model):
    """Another system that wants to hear about changes, signed with a shared
    secret (HMAC-SHA256 of the body)."""

    _name = "coi.webhook"
    _description = "COI Webhook Subscriber"

    name = fields.Char(required=True)
    url = fields.Char(required=True, help="HTTPS endpoint that receives JSON POSTs.")
    secret = fields.Char(
        required=True,
        copy=False,
        default=lambda self: secrets.token_hex(32),
        groups="coi_tracking.coi_tracking_group_manager",
    )
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company)
    on_vendor_status = fields.Boolean(string="Vendor Status Changed", default=True)
    on_certificate_reviewed = fields.Boolean(string="Certificate Reviewed", default=True)
    delivery_ids = fields.One2many("coi.webhook.delivery", "webhook_id")

    @api.model
    def _enqueue(self, event, payloads):
        """One delivery per subscriber and payload; sent by the delivery cron,
        never in the transaction that caused the event."""
        flag = "on_vendor_status" if event == "vendor.status_changed" else "on_certificate_reviewed"
        subscribers = self.sudo().search([(flag, "=", True)])
        if not subscribers or not payloads:
            return
        self.env["coi.webhook.delivery"].sudo().create(
            [
                {"webhook_id": hook.id, "event": event, "payload": payload}
                for hook in subscribers
                for payload in payloads
                if not hook.company_id or payload.get("company_id") in (None, hook.company_id.id)
            ]
        )
        self.env.ref("coi_tracking_api.ir_cron_coi_webhook_delivery").sudo()._trigger()
