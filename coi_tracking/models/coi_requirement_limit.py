# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models


class CoiRequirementLimit(models.Model):
    _name = "coi.requirement.limit"
    _description = "Minimum Insurance Limit"
    _order = "line_id, sequence, id"

    line_id = fields.Many2one("coi.requirement.line", required=True, ondelete="cascade", index=True)
    sequence = fields.Integer(related="limit_type_id.sequence", store=True)
    limit_type_id = fields.Many2one("coi.limit.type", string="Limit", required=True)
    currency_id = fields.Many2one(related="line_id.currency_id")
    amount = fields.Monetary(string="Minimum", required=True)

    _limit_unique = models.Constraint(
        "UNIQUE(line_id, limit_type_id)", "Each limit is required once per coverage."
    )
    _amount_positive = models.Constraint("CHECK(amount >= 0)", "A minimum cannot be negative.")

    @api.model_create_multi
    def create(self, vals_list):
        limits = super().create(vals_list)
        limits.line_id.set_id._get_vendors()._coi_recompute()
        return limits

    def write(self, vals):
        res = super().write(vals)
        self.line_id.set_id._get_vendors()._coi_recompute()
        return res

    def unlink(self):
        sets = self.line_id.set_id
        res = super().unlink()
        sets._get_vendors()._coi_recompute()
        return res
