# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import re
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..engine import Policy, schedule
from ..engine.extract.values import find_dates
from ..engine.vocabulary import (
    PENDING_STATES,
    POLICY_STATE_SELECTION,
    CertificateState,
    NoticeKind,
    PolicyState,
)

# Fields whose change can change a vendor's compliance.
COMPLIANCE_FIELDS = {
    "partner_id",
    "coverage_type_id",
    "insurer_id",
    "effective_date",
    "expiration_date",
    "limit_ids",
    "additional_insured",
    "waiver_of_subrogation",
    "primary_noncontributory",
    "per_statute",
    "state",
    "cancellation_date",
}


class CoiPolicy(models.Model):
    _name = "coi.policy"
    _description = "Insurance Policy"
    _inherit = ["mail.thread", "mail.activity.mixin", "coi.compliance.mixin"]
    _order = "expiration_date desc, id desc"
    _coi_compliance_fields = COMPLIANCE_FIELDS
    _rec_names_search = ["name", "partner_id"]
    # The vendor and the source certificate are the policy's company's.
    _check_company_auto = True

    name = fields.Char(string="Policy Number", required=True, tracking=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="Insured Vendor",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
        domain=[("is_company", "=", True)],
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    coverage_type_id = fields.Many2one(
        "coi.coverage.type", string="Coverage", required=True, tracking=True, index=True
    )
    coverage_code = fields.Char(related="coverage_type_id.code")
    has_per_statute = fields.Boolean(related="coverage_type_id.has_per_statute")
    insurer_id = fields.Many2one(
        "res.partner", string="Insurer", tracking=True, domain=[("coi_is_insurer", "=", True)]
    )
    insurer_rating = fields.Selection(related="insurer_id.coi_am_best_rating", string="AM Best")
    agent_id = fields.Many2one(
        "res.partner",
        string="Agent",
        tracking=True,
        help="The insurance agent or broker (producer) who issued the certificate.",
    )
    effective_date = fields.Date(required=True, tracking=True)
    expiration_date = fields.Date(required=True, tracking=True, index=True)
    days_to_expiry = fields.Integer(
        compute="_compute_days_to_expiry", search="_search_days_to_expiry"
    )
    midterm_date = fields.Date(
        compute="_compute_midterm_date",
        store=True,
        index=True,
        help="When the agent is asked again.",
    )
    limit_ids = fields.One2many("coi.policy.limit", "policy_id", string="Limits", copy=True)
    additional_insured = fields.Boolean(tracking=True)
    waiver_of_subrogation = fields.Boolean(tracking=True)
    primary_noncontributory = fields.Boolean(string="Primary & Non-Contributory", tracking=True)
    per_statute = fields.Boolean(string="Statutory Limits", tracking=True)
    state = fields.Selection(
        POLICY_STATE_SELECTION,
        required=True,
        default=PolicyState.DRAFT,
        tracking=True,
        index=True,
        copy=False,
    )
    cancellation_date = fields.Date(tracking=True, copy=False)
    cancellation_reason = fields.Text(copy=False)
    certificate_id = fields.Many2one(
        "coi.certificate",
        string="Source Certificate",
        index="btree_not_null",
        copy=False,
        check_company=True,
    )
    last_verification_date = fields.Date(tracking=True, copy=False)
    verification_step = fields.Selection(
        [("proof30", "30 Days After Proof"), ("midterm", "Mid-Term")],
        string="Last Verification Asked",
        readonly=True,
        copy=False,
        index="btree_not_null",
    )
    verification_state = fields.Selection(
        [("in_force", "Confirmed In Force"), ("changed", "Reported Cancelled or Changed")],
        string="Agent's Answer",
        tracking=True,
        copy=False,
    )
    extraction_confidence = fields.Float(
        string="Read Confidence",
        digits=(3, 2),
        copy=False,
        help="How sure the reader was of the values read off the certificate (0 to 1).",
    )
    replaces_id = fields.Many2one(
        "coi.policy", string="Renewal Of", index="btree_not_null", copy=False
    )
    replaced_by_id = fields.Many2one("coi.policy", string="Renewed By", copy=False)
    note = fields.Text()

    _dates_order = models.Constraint(
        "CHECK(expiration_date > effective_date)",
        "A policy must expire after it becomes effective.",
    )

    @api.depends("effective_date", "expiration_date")
    def _compute_midterm_date(self):
        for policy in self:
            policy.midterm_date = (
                schedule.midterm(policy.effective_date, policy.expiration_date)
                if policy.effective_date and policy.expiration_date
                else False
            )

    def _compute_days_to_expiry(self):
        for policy in self:
            today = policy.company_id._coi_today() if policy.company_id else None
            policy.days_to_expiry = (
                (policy.expiration_date - today).days if policy.expiration_date and today else 0
            )

    def _search_days_to_expiry(self, operator, value):
        """Days to expiry counted from the current company's today (the
        search filters "expiring in 30 days" use it)."""
        if operator not in ("<", "<=", ">", ">=", "=") or not isinstance(value, int):
            return NotImplemented
        day = fields.Date.add(self.env.company._coi_today(), days=value)
        return [("expiration_date", operator, day)]

    @api.depends("name", "coverage_type_id", "partner_id")
    def _compute_display_name(self):
        for policy in self:
            policy.display_name = " · ".join(
                part
                for part in (policy.partner_id.name, policy.coverage_type_id.name, policy.name)
                if part
            )

    @api.constrains("state", "cancellation_date")
    def _check_cancellation_date(self):
        for policy in self:
            if policy.state == PolicyState.CANCELLED and not policy.cancellation_date:
                raise ValidationError(
                    self.env._("Policy %s is cancelled: give the cancellation date.", policy.name)
                )

    @api.ondelete(at_uninstall=False)
    def _unlink_only_drafts(self):
        if any(policy.state != PolicyState.DRAFT for policy in self):
            raise UserError(
                self.env._("Only draft policies can be deleted; cancel or archive the others.")
            )

    def _coi_affected_vendors(self, fnames=None):
        return self.partner_id

    def action_activate(self):
        """Put draft policies in force. A renewal is linked to the policy it
        renews (and to any other current policy of the same vendor, coverage and
        number); the old one is replaced once the renewal has started, until
        then it keeps the cover going."""
        drafts = self.filtered(lambda p: p.state == PolicyState.DRAFT)
        drafts.write({"state": PolicyState.ACTIVE})
        for policy in drafts:
            older = policy.replaces_id.filtered(
                lambda p: p.state in (PolicyState.ACTIVE, PolicyState.EXPIRED)
            )
            older |= self.search(
                [
                    ("id", "!=", policy.id),
                    ("partner_id", "=", policy.partner_id.id),
                    ("coverage_type_id", "=", policy.coverage_type_id.id),
                    ("state", "in", (PolicyState.ACTIVE, PolicyState.EXPIRED)),
                    ("expiration_date", "<=", policy.expiration_date),
                    ("name", "=", policy.name),
                ]
            )
            older.write({"replaced_by_id": policy.id})
            if policy.effective_date <= policy.company_id._coi_today():
                older.write({"state": PolicyState.REPLACED})
        return True

    def action_renew(self):
        """A draft copy one year on, to fill in from the renewal certificate."""
        self.ensure_one()
        renewal = self.copy(
            {
                "effective_date": self.expiration_date,
                "expiration_date": fields.Date.add(self.expiration_date, years=1),
                "replaces_id": self.id,
            }
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "coi.policy",
            "res_id": renewal.id,
            "view_mode": "form",
        }

    def action_cancel(self):
        for policy in self:
            if not policy.cancellation_date:
                raise UserError(
                    self.env._("Give the cancellation date of policy %s first.", policy.name)
                )
        self.write({"state": PolicyState.CANCELLED})
        return True

    def action_reset_draft(self):
        self.write({"state": PolicyState.DRAFT})
        return True

    def _coi_without_renewal_received(self, window_days):
        """These policies minus those whose renewal is on its way: a newer
        policy for the same vendor and coverage, or a certificate received
        for the vendor since `window_days` before the expiration."""
        if not self:
            return self
        newer = self.search_fetch(
            [
                ("partner_id", "in", self.partner_id.ids),
                ("state", "in", (PolicyState.DRAFT, PolicyState.ACTIVE)),
                ("expiration_date", ">", min(self.mapped("expiration_date"))),
            ],
            ["partner_id", "coverage_type_id", "expiration_date"],
        )
        renewed = {}  # (vendor, coverage) -> the latest expiration on file
        for newer_policy in newer:
            key = (newer_policy.partner_id.id, newer_policy.coverage_type_id.id)
            renewed[key] = max(
                renewed.get(key, newer_policy.expiration_date), newer_policy.expiration_date
            )
        received = {}
        for partner, last in self.env["coi.certificate"]._read_group(
            [
                ("partner_id", "in", self.partner_id.ids),
                ("state", "in", (*PENDING_STATES, CertificateState.ACCEPTED)),
            ],
            ["partner_id"],
            ["received_date:max"],
        ):
            received[partner.id] = last.date() if last else None
        pending_ids = []  # a list: `recordset |= record` in a loop is quadratic
        for policy in self:
            key = (policy.partner_id.id, policy.coverage_type_id.id)
            if renewed.get(key) and renewed[key] > policy.expiration_date:
                continue
            since = policy.expiration_date - timedelta(days=window_days)
            if received.get(policy.partner_id.id) and received[policy.partner_id.id] >= since:
                continue
            pending_ids.append(policy.id)
        return self.browse(pending_ids)

    def _to_engine(self):
        """The engine's view of these policies (prefetches limits in one go)."""
        limits_by_policy = {policy.id: {} for policy in self}
        for limit in self.limit_ids:
            limits_by_policy[limit.policy_id.id][limit.limit_type_id.code] = limit.amount
        on_file = self.env["coi.certificate.endorsement"]._coi_on_file(self)
        return [
            Policy(
                coverage=policy.coverage_type_id.code,
                key=policy.id,
                number=policy.name,
                effective=policy.effective_date,
                expiration=policy.expiration_date,
                limits=limits_by_policy[policy.id],
                additional_insured=policy.additional_insured,
                waiver_of_subrogation=policy.waiver_of_subrogation,
                primary_noncontributory=policy.primary_noncontributory,
                per_statute=policy.per_statute,
                insurer_rating=policy.insurer_id.coi_am_best_rating or None,
                state=policy.state,
                cancellation_date=policy.cancellation_date,
                endorsements=on_file.get(policy.id, ()),
            )
            for policy in self
        ]

    @api.model
    def _coi_cancel_from_notice(self, certificate, text):
        """A cancellation notice: cancel the policy it names at once when the
        match is exact (one active policy's number, of this vendor when
        known); otherwise a COI user confirms. Returns the cancelled policy."""
        squashed = re.sub(r"[^A-Z0-9]", "", (text or "").upper())
        domain = [
            ("state", "=", PolicyState.ACTIVE),
            ("company_id", "=", certificate.company_id.id),
        ]
        if certificate.partner_id:
            domain.append(("partner_id", "=", certificate.partner_id.id))
        candidates = self.search(domain)
        named = candidates.filtered(
            lambda p: len(re.sub(r"[^A-Z0-9]", "", p.name.upper())) >= 5
            and re.sub(r"[^A-Z0-9]", "", p.name.upper()) in squashed
        )
        if len(named) != 1:
            reason = (
                self.env._("Cancellation notice: no active policy number found in it.")
                if not named
                else self.env._(
                    "Cancellation notice: several policies match (%s); confirm which one.",
                    ", ".join(named.mapped("name")),
                )
            )
            certificate._ask_review([reason])
            certificate.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=self.env._("Confirm the cancellation"),
                note=reason,
            )
            return self.browse()
        policy = named
        dates = [d for d in find_dates(text or "") if d >= str(policy.effective_date)]
        when = fields.Date.to_date(min(dates)) if dates else policy.company_id._coi_today()
        policy.write(
            {
                "cancellation_date": when,
                "cancellation_reason": self.env._("Cancellation notice %s", certificate.name),
                "certificate_id": policy.certificate_id.id or certificate.id,
            }
        )
        policy.action_cancel()
        if not certificate.partner_id:
            certificate.partner_id = policy.partner_id
        certificate.write(
            {"state": CertificateState.ACCEPTED, "review_date": fields.Datetime.now()}
        )
        certificate.message_post(
            body=self.env._(
                "Policy %(number)s cancelled on %(date)s.", number=policy.name, date=when
            )
        )
        self.env["coi.notice"]._queue(
            [
                {
                    "kind": NoticeKind.CANCELLED,
                    "vendor": policy.partner_id,
                    "policy": policy,
                    "certificate": certificate,
                }
            ]
        )
        return policy

    @api.model
    def _cron_expire_policies(self, on_date=None):
        """Active policies whose expiration date has come are expired, or
        replaced when their renewal is on file."""
        on_date = on_date or self.env.company._coi_today()
        ended = self.search(
            [("state", "=", PolicyState.ACTIVE), ("expiration_date", "<=", on_date)], order="id"
        )
        renewed = ended.filtered("replaced_by_id")
        expired = ended - renewed
        notes = {
            p.id: self.env._("Replaced by its renewal %s.", p.replaced_by_id.name) for p in renewed
        }
        notes.update({p.id: self.env._("Expired on %s.", p.expiration_date) for p in expired})
        renewed.with_context(mail_notrack=True).write({"state": PolicyState.REPLACED})
        expired.with_context(mail_notrack=True).write({"state": PolicyState.EXPIRED})
        if notes:
            self.browse(list(notes))._message_log_batch(notes)
        return ended
