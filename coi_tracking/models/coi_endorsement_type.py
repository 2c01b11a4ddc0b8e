# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models

from ..engine.extract.endorsements import normalize
from ..engine.vocabulary import ENDORSEMENT_KIND_SELECTION


class CoiEndorsementType(models.Model):
    """The catalog of endorsement forms a requirement may ask for (ISO CG 20
    10, CG 20 37, NCCI WC 00 03 13, ...). "Or equivalent" on a requirement
    accepts any form of the same kind."""

    _name = "coi.endorsement.type"
    _description = "Endorsement Form"
    _order = "sequence, code, id"
    _rec_names_search = ["code", "name"]

    code = fields.Char(
        string="Form Number",
        required=True,
        help='As printed without its edition, e.g. "CG 20 10" (spaces as on ISO forms).',
    )
    name = fields.Char(required=True, translate=True)
    kind = fields.Selection(ENDORSEMENT_KIND_SELECTION, required=True)
    coverage_type_id = fields.Many2one(
        "coi.coverage.type", string="Coverage", required=True, ondelete="restrict"
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    description = fields.Text(translate=True)

    _code_unique = models.Constraint("UNIQUE(code)", "This form number is already in the catalog.")

    @api.depends("code", "name")
    def _compute_display_name(self):
        for form in self:
            form.display_name = f"{form.code} {form.name}" if form.code else form.name

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("code"):
                vals["code"] = self._normalized_code(vals["code"])
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("code"):
            vals["code"] = self._normalized_code(vals["code"])
        return super().write(vals)

    @api.model
    def _normalized_code(self, code):
        """ "CG2010" and "cg 20 10 04 13" are "CG 20 10": the reader's spelling."""
        form, _edition = normalize(code.upper())
        return form or " ".join(code.upper().split())
