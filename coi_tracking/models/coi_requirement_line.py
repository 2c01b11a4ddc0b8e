# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..engine import explanations
from ..engine.datatypes import RequiredForm
from ..engine.vocabulary import AM_BEST_SELECTION


class CoiRequirementLine(models.Model):
    _name = "coi.requirement.line"
    _inherit = ["coi.compliance.mixin"]
    _description = "Insurance Requirement"
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
    currency_id = fields.Many2one(related="set_id.currency_id")
    coverage_type_id = fields.Many2one("coi.coverage.type", string="Coverage", required=True)
    limit_ids = fields.One2many(
        "coi.requirement.limit", "line_id", string="Minimum Limits", copy=True
    )
    additional_insured = fields.Boolean(help="We must be named additional insured.")
    waiver_of_subrogation = fields.Boolean()
    primary_noncontributory = fields.Boolean(string="Primary & Non-Contributory")
    per_statute = fields.Boolean(
        string="Statutory Limits", help="Workers' compensation must show statutory limits."
    )
    has_per_statute = fields.Boolean(related="coverage_type_id.has_per_statute")
    min_am_best = fields.Selection(
        AM_BEST_SELECTION,
        string="Minimum AM Best Rating",
        help="Overrides the set's minimum for this coverage.",
    )
    endorsement_type_ids = fields.Many2many(
        "coi.endorsement.type",
        "coi_requirement_line_endorsement_type_rel",
        "line_id",
        "endorsement_type_id",
        string="Endorsement Documents",
        domain="[('coverage_type_id', '=', coverage_type_id)]",
        help="Endorsement pages the vendor must send (not only the box ticked on the "
        "certificate), e.g. CG 20 10 and CG 20 37 for ongoing and completed operations. "
        "A scheduled endorsement counts only when it names the company; a blanket one "
        '("where required by written contract") always does.',
    )
    endorsement_equivalent = fields.Boolean(
        string="Or Equivalent",
        default=True,
        help="Accept any form of the same kind (a carrier's own form, another edition) "
        "instead of the very forms listed.",
    )
    summary = fields.Char(compute="_compute_summary")

    _coverage_unique = models.Constraint(
        "UNIQUE(set_id, coverage_type_id)", "A set requires each coverage once."
    )

    @api.depends(
        "coverage_type_id",
        "limit_ids.amount",
        "additional_insured",
        "waiver_of_subrogation",
        "endorsement_type_ids",
        "endorsement_equivalent",
        "primary_noncontributory",
        "per_statute",
        "limit_ids.limit_type_id",
    )
    # Said in the reader's language (a notice in Spanish after an upload link
    # made in English in the same transaction).
    @api.depends_context("lang")
    def _compute_summary(self):
        for line in self:
            parts = [
                f"{limit.limit_type_id.name} {line.currency_id.format(limit.amount)}"
                for limit in line.limit_ids
            ]
            parts += [
                label
                for flag, label in (
                    (line.additional_insured, self.env._("additional insured")),
                    (line.waiver_of_subrogation, self.env._("waiver of subrogation")),
                    (line.primary_noncontributory, self.env._("primary & non-contributory")),
                    (line.per_statute, self.env._("per statute")),
                )
                if flag
            ]
            if line.endorsement_type_ids:
                forms = " + ".join(line.endorsement_type_ids.mapped("code"))
                parts.append(
                    self.env._("%s or equivalent", forms) if line.endorsement_equivalent else forms
                )
            line.summary = ", ".join(parts)

    @api.constrains("coverage_type_id", "endorsement_type_ids")
    def _check_endorsement_types(self):
        for line in self:
            wrong = line.endorsement_type_ids.filtered(
                lambda t, line=line: t.coverage_type_id != line.coverage_type_id
            )
            if wrong:
                raise ValidationError(
                    self.env._(
                        "%(forms)s endorse %(other)s, not %(coverage)s.",
                        forms=", ".join(wrong.mapped("code")),
                        other=", ".join(wrong.coverage_type_id.mapped("name")),
                        coverage=line.coverage_type_id.name,
                    )
                )

    def _coi_required_forms(self):
        """The engine's view of the endorsement documents this line asks for."""
        self.ensure_one()
        return tuple(RequiredForm(kind=t.kind, form=t.code) for t in self.endorsement_type_ids)

    def _coi_explanations(self):
        """(term label, explanation) for each term this item asks for that
        its set explains, in the set's order."""
        self.ensure_one()
        asked = explanations.terms_asked(
            self.coverage_type_id.code,
            additional_insured=self.additional_insured,
            waiver_of_subrogation=self.waiver_of_subrogation,
            primary_noncontributory=self.primary_noncontributory,
            per_statute=self.per_statute,
            endorsement_kinds=tuple(self.endorsement_type_ids.mapped("kind")),
        )
        return [
            (explanation.display_name, explanation._coi_text())
            for explanation in self.set_id.explanation_ids
            if explanation.term in asked
        ]

    def _coi_affected_vendors(self, fnames=None):
        return self.set_id._get_vendors()
