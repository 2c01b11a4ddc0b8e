# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, models
from odoo.exceptions import UserError


class CoiRequirementSet(models.Model):
    _inherit = "coi.requirement.set"

    @api.model
    def _api_domain(self):
        """The sets the API user's company uses: its own and the shared ones."""
        return [("company_id", "in", [False, self.env.company.id])]

    @api.model
    def _api_find(self, names):
        """The sets with these names; UserError naming those that are unknown."""
        sets = self.search([*self._api_domain(), ("name", "in", names)])
        missing = set(names) - set(sets.mapped("name"))
        if missing:
            raise UserError(self.env._("Unknown requirement sets: %s.", ", ".join(sorted(missing))))
        return sets

    @api.model
    def _api_list(self):
        return {
            "items": [
                {
                    "name": req_set.name,
                    "risk_tier": req_set.risk_tier or None,
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
                for req_set in self.search(self._api_domain())
            ]
        }
