# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class CoiLimitType(models.Model):
    _name = "coi.limit.type"
    _description = "Insurance Limit Kind"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(
        required=True,
        help="Canonical code used by the certificate reader and the API, e.g. EACH_OCCURRENCE.",
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)

    _code_unique = models.Constraint("UNIQUE(code)", "A limit kind with this code already exists.")
