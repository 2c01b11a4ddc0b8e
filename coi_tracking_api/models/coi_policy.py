# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models

PAGE_MAX = 100


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

    @api.model
    def _api_list(self, expiring_before=None, status=None, cursor=0, limit=PAGE_MAX):
        domain = [("id", ">", cursor), ("partner_id", "!=", False)]
        if expiring_before:
            domain.append(("expiration_date", "<", expiring_before))
        if status:
            domain.append(("state", "=", status))
        limit = max(1, min(int(limit), PAGE_MAX))
        policies = self.search(domain, limit=limit + 1, order="id")
        page = policies[:limit]
        return {
            "items": [
                dict(policy._api_dict(), vendor_ref=policy.partner_id.ref) for policy in page
            ],
            "next_cursor": page[-1].id if len(policies) > limit else None,
        }
