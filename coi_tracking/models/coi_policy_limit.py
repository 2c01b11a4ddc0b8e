# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models


class CoiPolicyLimit(models.Model):
    _name = "coi.policy.limit"
    _description = "Insurance Policy Limit"
    _order = "policy_id, sequence, id"

    policy_id = fields.Many2one("coi.policy", required=True, ondelete="cascade", index=True)
    sequence = fields.Integer(related="limit_type_id.sequence", store=True)
    limit_type_id = fields.Many2one("coi.limit.type", string="Limit", required=True)
    currency_id = fields.Many2one(related="policy_id.currency_id")
    amount = fields.Monetary(required=True)

    _limit_unique = models.Constraint(
        "UNIQUE(policy_id, limit_type_id)", "A policy shows each limit once."
    )

    @api.model_create_multi
    def create(self, vals_list):
        limits = super().create(vals_list)
        limits.policy_id.partner_id._coi_recompute()
        return limits

    def write(self, vals):
        res = super().write(vals)
        self.policy_id.partner_id._coi_recompute()
        return res

    def unlink(self):
        partners = self.policy_id.partner_id
        res = super().unlink()
        partners._coi_recompute()
        return res
