# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class CoiCertificateRevision(models.TransientModel):
    _name = "coi.certificate.revision"
    _description = "Request a Revision of Certificates of Insurance"

    certificate_ids = fields.Many2many("coi.certificate", required=True)
    note = fields.Text(
        required=True,
        help="Sent to the contractor and agent with the upload link: say what must change.",
    )

    def action_send(self):
        for wizard in self:
            wizard.certificate_ids._coi_request_revision(wizard.note)
        return {"type": "ir.actions.act_window_close"}
