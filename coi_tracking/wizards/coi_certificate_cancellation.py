# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date

from ..engine.vocabulary import (
    PENDING_STATES,
    POLICY_NOTICE_SELECTION,
    PolicyNotice,
    PolicyState,
)


class CoiCertificateCancellation(models.TransientModel):
    """The review screen of an insurer's notice a person must decide on: for
    each policy concerned, "Cancel policy X from D" (or reinstate it, or
    record that it will not be renewed), with the date read, which the
    reviewer may change."""

    _name = "coi.certificate.cancellation"
    _description = "Apply an Insurer's Notice"
    _check_company_auto = True

    certificate_id = fields.Many2one(
        "coi.certificate", required=True, readonly=True, ondelete="cascade", check_company=True
    )
    company_id = fields.Many2one(related="certificate_id.company_id", store=True)
    partner_id = fields.Many2one(related="certificate_id.partner_id", string="Vendor")
    kind = fields.Selection(
        POLICY_NOTICE_SELECTION,
        string="The Notice Says",
        required=True,
        default=lambda self: self._default_kind(),
    )
    letter_date = fields.Date(
        string="Letter Dated", readonly=True, default=lambda self: self._default_read("letter_date")
    )
    evidence = fields.Char(
        string="Read From", readonly=True, default=lambda self: self._default_read("evidence")
    )
    line_ids = fields.One2many(
        "coi.certificate.cancellation.line",
        "wizard_id",
        string="Policies Concerned",
        default=lambda self: self._default_lines(),
    )

    def _default_certificate(self):
        """The notice the wizard opens on (the form's context), which the
        user must be allowed to change."""
        certificate = self.env["coi.certificate"].browse(
            self.env.context.get("default_certificate_id")
        )
        if certificate:
            certificate.check_access("write")
        return certificate

    def _default_kind(self):
        return self._default_certificate().notice_kind or PolicyNotice.CANCELLATION

    def _default_read(self, key):
        read = (self._default_certificate().reading_result or {}).get("notice") or {}
        return read.get(key) or False

    def _default_lines(self):
        """The policies the notice names, ticked, from the date read; when it
        names none, the vendor's policies it may be about, unticked."""
        certificate = self._default_certificate()
        if not certificate:
            return []
        Policy = self.env["coi.policy"]
        kind = self._default_kind()
        named = certificate.notice_policy_ids.filtered_domain(Policy._coi_notice_domain(kind))
        others = Policy
        if not named and certificate.partner_id:
            others = Policy._coi_notice_candidates(
                kind, certificate.company_id, certificate.partner_id.commercial_partner_id
            )
        return [
            Command.create(
                {
                    "policy_id": policy.id,
                    "selected": policy in named,
                    "effective_date": certificate.notice_date or False,
                }
            )
            for policy in named | others
        ]

    def action_apply(self):
        """Apply the notice to the policies ticked, each from its date."""
        self.ensure_one()
        _ = self.env._
        certificate = self.certificate_id
        if certificate.state not in PENDING_STATES:
            raise UserError(_("This notice was already handled."))
        lines = self.line_ids.filtered("selected")
        if not lines:
            raise UserError(_("Tick the policies the notice is about."))
        for line in lines:
            line._check_applicable(self.kind)
        for line in lines:
            line.policy_id._coi_apply_notice(self.kind, certificate, line.effective_date)
        dates = set(lines.mapped("effective_date"))
        certificate._coi_notice_done(
            self.kind,
            lines.policy_id,
            dates.pop() if len(dates) == 1 else False,
            reviewer=self.env.user,
        )
        return {"type": "ir.actions.act_window_close"}


class CoiCertificateCancellationLine(models.TransientModel):
    _name = "coi.certificate.cancellation.line"
    _description = "Policy Concerned by an Insurer's Notice"
    _check_company_auto = True

    wizard_id = fields.Many2one(
        "coi.certificate.cancellation", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="wizard_id.company_id", store=True)
    selected = fields.Boolean(string="Apply")
    policy_id = fields.Many2one(
        "coi.policy",
        string="Policy",
        required=True,
        check_company=True,
    )
    partner_id = fields.Many2one(related="policy_id.partner_id", string="Vendor")
    coverage_type_id = fields.Many2one(related="policy_id.coverage_type_id")
    policy_state = fields.Selection(related="policy_id.state", string="Status")
    expiration_date = fields.Date(related="policy_id.expiration_date")
    effective_date = fields.Date(
        string="From", help="The day the notice takes effect on this policy."
    )
    action_label = fields.Char(string="Action", compute="_compute_action_label")

    @api.depends("wizard_id.kind", "policy_id", "effective_date")
    def _compute_action_label(self):
        _ = self.env._
        for line in self:
            number = line.policy_id.name or "?"
            when = format_date(self.env, line.effective_date) if line.effective_date else "?"
            kind = line.wizard_id.kind
            if kind == PolicyNotice.REINSTATEMENT:
                line.action_label = _(
                    "Reinstate policy %(number)s from %(date)s", number=number, date=when
                )
            elif kind == PolicyNotice.NON_RENEWAL:
                line.action_label = _("Record that policy %s will not be renewed", number)
            else:
                line.action_label = _(
                    "Cancel policy %(number)s from %(date)s", number=number, date=when
                )

    def _check_applicable(self, kind):
        _ = self.env._
        policy = self.policy_id
        if kind == PolicyNotice.CANCELLATION:
            if not self.effective_date:
                raise UserError(_("Give the date policy %s is cancelled from.", policy.name))
            if policy.state != PolicyState.ACTIVE:
                raise UserError(_("Policy %s is not active: it cannot be cancelled.", policy.name))
        elif kind == PolicyNotice.REINSTATEMENT:
            if not (policy.state == PolicyState.CANCELLED or policy.cancellation_date):
                raise UserError(
                    _("Policy %s is not cancelled: there is nothing to reinstate.", policy.name)
                )
        elif policy.state != PolicyState.ACTIVE:
            raise UserError(_("Policy %s is not active.", policy.name))
