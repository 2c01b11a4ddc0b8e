# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import UserError

from ..engine import Deviation
from ..engine.sentences import day, deviation_accepted
from ..engine.vocabulary import DEVIATION_STATE_SELECTION, DeviationState

# Set once, when the deviation is accepted: the decision itself.
DECISION_FIELDS = {"partner_id", "coverage_type_id", "approved_by_id", "approval_date"}
# What a COI manager may still change while the deviation is accepted.
TERMS_FIELDS = {"accepted_terms", "reason", "end_date", "requirement_line_id"}


class CoiDeviation(models.Model):
    """A COI manager accepts one vendor's item for one coverage as it is (a
    contractor who will not raise a limit, and the company still gives it
    work): what is accepted instead, why, and until when. While it is
    accepted the item counts as compliant; after its end date it is checked
    against the requirement again (the daily refresh ends it)."""

    _name = "coi.deviation"
    _description = "Insurance Deviation"
    _inherit = ["mail.thread", "coi.compliance.mixin"]
    _order = "end_date desc, id desc"
    _check_company_auto = True
    _coi_compliance_fields = {
        "partner_id",
        "coverage_type_id",
        "accepted_terms",
        "end_date",
        "state",
    }

    partner_id = fields.Many2one(
        "res.partner",
        string="Vendor",
        required=True,
        index=True,
        check_company=True,
        domain=[("is_company", "=", True)],
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    coverage_type_id = fields.Many2one(
        "coi.coverage.type",
        string="Coverage",
        required=True,
        help="The vendor's checklist item for this coverage is accepted as it is.",
    )
    requirement_line_id = fields.Many2one(
        "coi.requirement.line",
        string="Requirement",
        ondelete="set null",
        help="The requirement the item was checked against when it was accepted.",
    )
    accepted_terms = fields.Char(
        string="Accepted Instead",
        required=True,
        tracking=True,
        help="What is accepted instead of the requirement, "
        "e.g. GL each occurrence $500,000 instead of $1,000,000.",
    )
    reason = fields.Text(required=True, tracking=True)
    end_date = fields.Date(
        required=True,
        tracking=True,
        index=True,
        help="Last day the deviation counts; the day after, the item is checked against the "
        "requirement again.",
    )
    approved_by_id = fields.Many2one(
        "res.users", string="Approved By", readonly=True, default=lambda self: self.env.user
    )
    approval_date = fields.Date(string="Approved On", readonly=True)
    deficiency = fields.Text(
        string="Item When Accepted",
        readonly=True,
        help="What the checklist said of the item when the deviation was accepted.",
    )
    state = fields.Selection(
        DEVIATION_STATE_SELECTION,
        required=True,
        default=DeviationState.ACCEPTED,
        readonly=True,
        tracking=True,
        index=True,
        copy=False,
    )

    _end_after_approval = models.Constraint(
        "CHECK(end_date >= approval_date)",
        "A deviation cannot end before the day it is accepted.",
    )

    @api.depends("partner_id", "coverage_type_id", "end_date")
    def _compute_display_name(self):
        for deviation in self:
            deviation.display_name = self.env._(
                "%(vendor)s · %(coverage)s until %(date)s",
                vendor=deviation.partner_id.name or "",
                coverage=deviation.coverage_type_id.name or "",
                date=day(deviation.end_date),
            )

    @api.model_create_multi
    def create(self, vals_list):
        """Accepted now, by the current user: who and when are not given."""
        Partner = self.env["res.partner"]
        for vals in vals_list:
            vendor = Partner.browse(vals.get("partner_id")).commercial_partner_id
            company = self.env["res.company"].browse(
                vals.get("company_id") or vendor.company_id.id or self.env.company.id
            )
            vals.update(
                partner_id=vendor.id or vals.get("partner_id"),
                company_id=company.id,
                approved_by_id=self.env.user.id,
                approval_date=company._coi_today(),
                state=DeviationState.ACCEPTED,
            )
        deviations = super().create(vals_list)
        deviations._fill_from_checklist()
        deviations._log(
            lambda d: self.env._(
                "Deviation on %(coverage)s. %(sentence)s Reason: %(reason)s",
                coverage=d.coverage_type_id.name,
                sentence=deviation_accepted(d._to_engine()[0]),
                reason=d.reason,
            )
        )
        return deviations

    def write(self, vals):
        if DECISION_FIELDS & set(vals) and not self.env.su:
            raise UserError(
                self.env._(
                    "The vendor, coverage and approval of a deviation are set when it is "
                    "accepted; accept a new deviation instead."
                )
            )
        if TERMS_FIELDS & set(vals) and any(d.state != DeviationState.ACCEPTED for d in self):
            raise UserError(
                self.env._("An ended or revoked deviation cannot change; accept a new one.")
            )
        return super().write(vals)

    def _coi_affected_vendors(self, fnames=None):
        return self.partner_id

    def _fill_from_checklist(self):
        """The requirement and what the item showed, from the vendor's
        checklist as it stands when the deviation is accepted."""
        lines = (
            self.env["coi.compliance.line"]
            .sudo()
            .search(
                [
                    ("partner_id", "in", self.partner_id.ids),
                    ("coverage_type_id", "in", self.coverage_type_id.ids),
                ]
            )
        )
        by_key = {(line.partner_id.id, line.coverage_type_id.id): line for line in lines}
        for deviation in self:
            line = by_key.get((deviation.partner_id.id, deviation.coverage_type_id.id))
            if line:
                deviation.sudo().write(
                    {
                        "deficiency": line.deficiency or False,
                        "requirement_line_id": deviation.requirement_line_id.id
                        or line.requirement_line_id.id,
                    }
                )

    def _log(self, body_of):
        """The same note on each deviation and on its vendor's chatter."""
        if not self:
            return
        bodies = {deviation.id: body_of(deviation) for deviation in self}
        self._message_log_batch(bodies)
        for deviation in self:
            deviation.partner_id._message_log(body=bodies[deviation.id])

    def _to_engine(self):
        """The engine's view of these deviations."""
        return [
            Deviation(
                coverage=deviation.coverage_type_id.code,
                key=deviation.id,
                accepted=deviation.accepted_terms or "",
                approved_by=deviation.approved_by_id.name or "",
                since=deviation.approval_date or None,
                until=deviation.end_date,
            )
            for deviation in self
        ]

    def action_revoke(self):
        """A COI manager withdraws the deviation before its end date: the item
        is checked against the requirement again at once."""
        self.check_access("write")
        live = self.filtered(lambda d: d.state == DeviationState.ACCEPTED)
        live.write({"state": DeviationState.REVOKED})
        live._log(
            lambda d: self.env._(
                "Deviation on %(coverage)s revoked by %(user)s: the item is checked against "
                "the requirement again.",
                coverage=d.coverage_type_id.name,
                user=self.env.user.name,
            )
        )
        return True

    @api.model
    def _cron_end_deviations(self):
        """Daily, before the compliance refresh: deviations whose end date has
        passed (in their company's today) end, with a note on the deviation
        and the vendor. Their vendors are marked for evaluation."""
        self = self.sudo()
        todays = {
            company.id: company._coi_today() for company in self.env["res.company"].search([])
        }
        candidates = self.search(
            [
                ("state", "=", DeviationState.ACCEPTED),
                ("end_date", "<", max(todays.values())),
            ]
        )
        ended = candidates.filtered(lambda d: d.end_date < todays[d.company_id.id])
        ended.write({"state": DeviationState.ENDED})
        ended._log(
            lambda d: self.env._(
                "Deviation on %(coverage)s ended on %(date)s: the item is checked against the "
                "requirement again.",
                coverage=d.coverage_type_id.name,
                date=day(d.end_date),
            )
        )
        return ended
