# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import base64

from odoo import api, fields, models

from odoo.addons.coi_tracking.engine.extract import sniff

MAX_FILE_BYTES = 20 * 1024 * 1024


class CoiCertificate(models.Model):
    _inherit = "coi.certificate"

    @api.model
    def _api_submit(self, vendor, filename, data, kind="certificate"):
        """A certificate sent through the API: kept, then read by the reading
        job (the call returns at once)."""
        if not data:
            raise ValueError("the file is empty")
        if len(data) > MAX_FILE_BYTES:
            raise ValueError("the file is larger than 20 MB")
        if not sniff(data):
            raise ValueError("only PDF, PNG, JPEG and TIFF files are accepted")
        attachment = self.env["ir.attachment"].create(
            {
                "name": filename or "certificate",
                "datas": base64.b64encode(data),
                "res_model": "coi.certificate",
            }
        )
        kinds = dict(self._fields["kind"].selection)
        return self.create(
            {
                "partner_id": vendor.id,
                "source": "api",
                "kind": kind if kind in kinds else "certificate",
                "attachment_ids": [(6, 0, attachment.ids)],
            }
        )

    @api.model
    def _api_find(self, certificate_id):
        return self.search([("id", "=", certificate_id), ("source", "=", "api")], limit=1)

    def _api_dict(self):
        self.ensure_one()
        return {
            "id": self.id,
            "reference": self.name,
            "vendor_ref": self.partner_id.ref,
            "state": self.state,
            "reading_state": self.reading_state,
            "review_reason": self.review_reason or None,
            "received_at": fields.Datetime.to_string(self.received_date),
            "policies": [policy._api_dict() for policy in self.policy_ids],
            "extraction": self.reading_result or None,
        }
