# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class CoiRequirementLimit(models.Model):
    _name = "coi.requirement.limit"
    _inherit = ["coi.compliance.mixin"]
    _description = "Minimum Insurance Limit"
    _order = "line_id, sequence, id"

    line_id = fields.Many2one("coi.requirement.line", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="line_id.company_id", store=True, index=True)
    sequence = fields.Integer(related="limit_type_id.sequence", store=True)
    limit_type_id = fields.Many2one("coi.limit.type", string="Limit", required=True)
    currency_id = fields.Many2one(related="line_id.currency_id")
    amount = fields.Monetary(string="Minimum", required=True)

    _limit_unique = models.Constraint(
        "UNIQUE(line_id, limit_type_id)", "Each limit is required once per coverage."
    )
    _amount_positive = models.Constraint("CHECK(amount >= 0)", "A minimum cannot be negative.")

    def _coi_affected_vendors(self, fnames=None):
        return self.line_id.set_id._get_vendors()
