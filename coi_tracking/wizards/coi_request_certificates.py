# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import UserError


class CoiRequestCertificates(models.TransientModel):
    """ "Request Certificates" on a selection of vendors: confirms and hands
    the selection to the background job."""

    _name = "coi.request.certificates"
    _description = "Request Certificates"

    partner_ids = fields.Many2many("res.partner", string="Vendors", required=True)
    vendor_count = fields.Integer(compute="_compute_vendor_count")

    @api.depends("partner_ids")
    def _compute_vendor_count(self):
        for wizard in self:
            wizard.vendor_count = len(wizard.partner_ids)

    def action_start(self):
        if not self.partner_ids:
            raise UserError(self.env._("Select the vendors to ask for certificates."))
        batch = self.env["coi.request.batch"].create(
            {"partner_ids": [fields.Command.set(self.partner_ids.commercial_partner_id.ids)]}
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "coi.request.batch",
            "res_id": batch.id,
            "view_mode": "form",
            "target": "current",
        }
