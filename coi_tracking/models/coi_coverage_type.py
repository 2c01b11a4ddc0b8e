# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models

from ..tools import name_or_code_domain


class CoiCoverageType(models.Model):
    _name = "coi.coverage.type"
    _description = "Insurance Coverage Type"
    _order = "sequence, id"
    # Found by name or code (the spreadsheet import, the API).
    _rec_names_search = ["name", "code"]

    name = fields.Char(required=True, translate=True)
    code = fields.Char(
        required=True,
        help="Canonical code used by the certificate reader and the API, e.g. GL, AUTO, WC_EL.",
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    limit_type_ids = fields.Many2many(
        "coi.limit.type",
        string="Limit Kinds",
        help="The limits a certificate shows for this coverage.",
    )
    has_per_statute = fields.Boolean(
        string="Per Statute",
        help="Coverage whose limits can be statutory (Workers' Compensation).",
    )
    description = fields.Text(translate=True)

    _code_unique = models.Constraint(
        "UNIQUE(code)", "A coverage type with this code already exists."
    )

    @api.model
    def _search_display_name(self, operator, value):
        domain = name_or_code_domain(operator, value)
        return domain if domain is not None else super()._search_display_name(operator, value)
