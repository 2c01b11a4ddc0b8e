# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models

from ..engine.explanations import EXPLAINED_TERM_SELECTION


class CoiRequirementExplanation(models.Model):
    """A requirement set's words for one insurance term, shown to contractors
    next to the requirement items that ask for it."""

    _name = "coi.requirement.explanation"
    _description = "Explanation of an Insurance Term"
    _order = "set_id, sequence, id"

    set_id = fields.Many2one(
        "coi.requirement.set",
        string="Requirement Set",
        required=True,
        ondelete="cascade",
        index=True,
    )
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one(related="set_id.company_id", store=True, index=True)
    term = fields.Selection(EXPLAINED_TERM_SELECTION, required=True)
    text = fields.Text(
        string="Explanation",
        required=True,
        translate=True,
        help="What the term means and what to ask the insurance agent for, in plain words.",
    )

    _term_unique = models.Constraint(
        "UNIQUE(set_id, term)", "A requirement set explains each term once."
    )

    @api.depends("term")
    def _compute_display_name(self):
        labels = dict(self._fields["term"]._description_selection(self.env))
        for explanation in self:
            explanation.display_name = labels.get(explanation.term, "")
