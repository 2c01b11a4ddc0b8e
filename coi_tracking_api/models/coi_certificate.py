# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, models
from odoo.exceptions import UserError

from odoo.addons.coi_tracking.engine.vocabulary import CertificateSource

from ..tools import iso_datetime


class CoiCertificate(models.Model):
    _inherit = "coi.certificate"

    @api.model
    def _api_submit(self, vendor, filename, data, kind="certificate"):
        """A certificate sent through the API: kept, then read by the reading
        job (the call returns at once)."""
        certificate, refused = self._coi_submit(
            vendor, [(filename, data)], "api", kind=kind, company=self.env.company
        )
        if refused:
            raise UserError(refused[0][1])
        return certificate

    @api.model
    def _api_find(self, certificate_id):
        """A certificate sent through the API for the API user's company."""
        return self.search(
            [
                ("id", "=", certificate_id),
                ("source", "=", CertificateSource.API),
                ("company_id", "=", self.env.company.id),
            ],
            limit=1,
        )

    def _api_dict(self):
        self.ensure_one()
        return {
            "id": self.id,
            "reference": self.name,
            "vendor_ref": self.partner_id.ref or None,
            "state": self.state,
            "reading_state": self.reading_state,
            "review_reason": self.review_reason or None,
            "received_at": iso_datetime(self.received_date),
            "policies": [policy._api_dict() for policy in self.policy_ids],
            "extraction": self.reading_result or None,
        }

    def _coi_reviewed(self):
        super()._coi_reviewed()
        self.env["coi.webhook"]._enqueue(
            "certificate.reviewed",
            [
                {
                    "id": certificate.id,
                    "reference": certificate.name,
                    "vendor_ref": certificate.partner_id.ref or None,
                    "state": certificate.state,
                    "company_id": certificate.company_id.id,
                }
                for certificate in self
            ],
        )
