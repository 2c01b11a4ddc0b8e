# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models

from ..engine.explanations import EXPLAINED_TERM_SELECTION, STANDARD_EXPLANATIONS, ExplainedTerm


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

    def _coi_text(self):
        """The explanation in the context's language: the set's own words,
        or, while they are still the standard English wording (and nobody
        translated them on the record), the standard wording translated."""
        self.ensure_one()
        if self.text != STANDARD_EXPLANATIONS.get(self.term):
            return self.text
        return self._coi_standard_texts().get(self.term, self.text)

    @api.model
    def _coi_standard_texts(self):
        """`engine.explanations.STANDARD_EXPLANATIONS` in the context's
        language (the same English, as translatable source)."""
        _ = self.env._
        return {
            ExplainedTerm.ADDITIONAL_INSURED: _(
                "Your policy must also protect us when a claim about your work is made "
                "against us. Ask your agent for an additional insured endorsement naming "
                'us (a blanket one "where required by written contract" is fine) and a '
                "certificate that ticks the ADDL INSD box."
            ),
            ExplainedTerm.WAIVER_OF_SUBROGATION: _(
                "After paying a claim, your insurer gives up its right to recover the "
                "money from us. Ask your agent for a waiver of subrogation endorsement in "
                "our favour and a certificate that ticks the SUBR WVD box."
            ),
            ExplainedTerm.PRIMARY_NONCONTRIBUTORY: _(
                "Your policy pays first for a claim about your work, and does not ask our "
                "own insurance to share the cost. Ask your agent for a primary and "
                "non-contributory endorsement, and to say so on the certificate."
            ),
            ExplainedTerm.COMPLETED_OPERATIONS: _(
                "The protection continues after your job is finished, for damage or "
                "injury your finished work causes later. Ask your agent for the additional "
                "insured endorsement for completed operations (for example CG 20 37)."
            ),
            ExplainedTerm.PER_STATUTE: _(
                "Workers' compensation must pay what the law of your state requires, with "
                "no lower limit. Ask your agent for a certificate that ticks PER STATUTE "
                "in the workers' compensation section."
            ),
            ExplainedTerm.UMBRELLA: _(
                "An umbrella or excess policy adds limits on top of your liability "
                "policies when a claim is larger than they pay. Ask your agent to list it "
                "on the certificate with its policy number, limits and dates."
            ),
        }
