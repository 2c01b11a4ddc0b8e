# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class CoiPolicyLimit(models.Model):
    _name = "coi.policy.limit"
    _inherit = ["coi.compliance.mixin"]
    _description = "Insurance Policy Limit"
    _order = "policy_id, sequence, id"

    policy_id = fields.Many2one("coi.policy", required=True, ondelete="cascade", index=True)
    # The review screen lists the limits read off a certificate in one grid.
    certificate_id = fields.Many2one(
        related="policy_id.certificate_id", store=True, index="btree_not_null"
    )
    # Computed before the row is inserted (precompute): no UPDATE after. Not
    # the certificate: a limit being created would join its certificate's
    # limits (a one2many) as a new record.
    company_id = fields.Many2one(
        related="policy_id.company_id", store=True, index=True, precompute=True
    )
    sequence = fields.Integer(related="limit_type_id.sequence", store=True, precompute=True)
    limit_type_id = fields.Many2one("coi.limit.type", string="Limit", required=True)
    currency_id = fields.Many2one(related="policy_id.currency_id")
    amount = fields.Monetary(required=True)

    _limit_unique = models.Constraint(
        "UNIQUE(policy_id, limit_type_id)", "A policy shows each limit once."
    )

    def _coi_affected_vendors(self, fnames=None):
        return self.policy_id.partner_id
