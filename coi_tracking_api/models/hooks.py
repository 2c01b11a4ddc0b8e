# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    def _coi_status_changed(self):
        super()._coi_status_changed()
        self.env["coi.webhook"]._enqueue(
            "vendor.status_changed",
            [
                {
                    "ref": vendor.ref,
                    "name": vendor.name,
                    "status": vendor.coi_status,
                    "company_id": vendor.company_id.id or None,
                    "at": fields.Datetime.to_string(fields.Datetime.now()),
                }
                for vendor in self
            ],
        )


class CoiCertificate(models.Model):
    _inherit = "coi.certificate"

    def _coi_reviewed(self):
        super()._coi_reviewed()
        self.env["coi.webhook"]._enqueue(
            "certificate.reviewed",
            [
                {
                    "id": certificate.id,
                    "reference": certificate.name,
                    "vendor_ref": certificate.partner_id.ref,
                    "state": certificate.state,
                    "company_id": certificate.company_id.id,
                }
                for certificate in self
            ],
        )
