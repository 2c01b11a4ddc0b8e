# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class CoiCertificateReject(models.TransientModel):
    _name = "coi.certificate.reject"
    _description = "Reject Certificates of Insurance"

    certificate_ids = fields.Many2many("coi.certificate", required=True)
    reason = fields.Text(
        required=True,
        help="Sent to the contractor and agent: say exactly what must change.",
    )

    def action_reject(self):
        self.certificate_ids.action_reject(reason=self.reason)
        return {"type": "ir.actions.act_window_close"}
