# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models

from ..tools import name_or_code_domain


class CoiLimitType(models.Model):
    _name = "coi.limit.type"
    _description = "Insurance Limit Kind"
    _order = "sequence, id"
    # Found by name or code (the spreadsheet import, the API).
    _rec_names_search = ["name", "code"]

    name = fields.Char(required=True, translate=True)
    code = fields.Char(
        required=True,
        help="Canonical code used by the certificate reader and the API, e.g. EACH_OCCURRENCE.",
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)

    _code_unique = models.Constraint("UNIQUE(code)", "A limit kind with this code already exists.")

    @api.model
    def _search_display_name(self, operator, value):
        domain = name_or_code_domain(operator, value)
        return domain if domain is not None else super()._search_display_name(operator, value)
