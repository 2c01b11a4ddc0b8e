# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    coi_upload_request_ids = fields.One2many(
        "coi.upload.request", "partner_id", string="Upload Links"
    )

    def _coi_upload_request(self, recipient=None):
        """A valid upload link for this vendor (and recipient), made if needed."""
        self.ensure_one()
        vendor = self.commercial_partner_id
        Request = self.env["coi.upload.request"].sudo()
        today = fields.Date.context_today(self)
        domain = [
            ("partner_id", "=", vendor.id),
            ("revoked", "=", False),
            ("expiry_date", ">=", today),
            ("recipient_id", "=", recipient.id if recipient else False),
        ]
        return Request.search(domain, limit=1) or Request.create(
            {"partner_id": vendor.id, "recipient_id": recipient.id if recipient else False}
        )

    def _coi_upload_url(self):
        self.ensure_one()
        request = self._coi_upload_request()
        return f"{request.get_base_url()}{request.access_url}"

    def action_coi_send_upload_link(self):
        """The email composer with an upload link for the vendor's insurance
        contact (or its agent, or the vendor itself)."""
        self.ensure_one()
        vendor = self.commercial_partner_id
        recipient = vendor.coi_insurance_contact_id or vendor.coi_agent_id or vendor
        return vendor._coi_upload_request(recipient).action_send()
