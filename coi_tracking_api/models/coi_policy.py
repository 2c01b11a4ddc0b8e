# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, models

from ..tools import iso_date

PAGE_MAX = 100


class CoiPolicy(models.Model):
    _inherit = "coi.policy"

    def _api_dict(self):
        self.ensure_one()
        return {
            "number": self.name,
            "coverage": self.coverage_type_id.code,
            "insurer": self.insurer_id.name or None,
            "effective_date": iso_date(self.effective_date),
            "expiration_date": iso_date(self.expiration_date),
            "state": self.state,
            "limits": {limit.limit_type_id.code: limit.amount for limit in self.limit_ids},
            "additional_insured": self.additional_insured,
            "waiver_of_subrogation": self.waiver_of_subrogation,
        }

    @api.model
    def _api_list(self, expiring_before=None, status=None, cursor=0, limit=PAGE_MAX):
        domain = [("id", ">", cursor or 0), ("company_id", "=", self.env.company.id)]
        if expiring_before:
            domain.append(("expiration_date", "<", expiring_before))
        if status:
            domain.append(("state", "=", status))
        limit = max(1, min(int(limit), PAGE_MAX))
        policies = self.search(domain, limit=limit + 1, order="id")
        page = policies[:limit]
        return {
            "items": [
                dict(policy._api_dict(), vendor_ref=policy.partner_id.ref or None)
                for policy in page
            ],
            "next_cursor": page[-1].id if len(policies) > limit else None,
        }
