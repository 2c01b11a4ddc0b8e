# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class CoiPolicy(models.Model):
    _inherit = "coi.policy"

    def _api_dict(self):
        self.ensure_one()
        return {
            "number": self.name,
            "coverage": self.coverage_type_id.code,
            "insurer": self.insurer_id.name or None,
            "effective_date": fields.Date.to_string(self.effective_date),
            "expiration_date": fields.Date.to_string(self.expiration_date),
            "state": self.state,
            "limits": {limit.limit_type_id.code: limit.amount for limit in self.limit_ids},
            "additional_insured": self.additional_insured,
            "waiver_of_subrogation": self.waiver_of_subrogation,
        }
