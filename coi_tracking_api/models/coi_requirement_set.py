# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, models


class CoiRequirementSet(models.Model):
    _inherit = "coi.requirement.set"

    @api.model
    def _api_list(self):
        return {
            "items": [
                {
                    "name": req_set.name,
                    "risk_tier": req_set.risk_tier,
                    "expiring_days": req_set.expiring_days,
                    "coverages": [
                        {
                            "coverage": line.coverage_type_id.code,
                            "limits": {
                                limit.limit_type_id.code: limit.amount for limit in line.limit_ids
                            },
                            "additional_insured": line.additional_insured,
                            "waiver_of_subrogation": line.waiver_of_subrogation,
                            "primary_noncontributory": line.primary_noncontributory,
                        }
                        for line in req_set.line_ids
                    ],
                }
                for req_set in self.search([])
            ]
        }
