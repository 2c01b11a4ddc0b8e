# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_date

from ..engine import Policy, schedule, supersede
from ..engine.cancellation import named_policies, read_notice
from ..engine.vocabulary import (
    PENDING_STATES,
    POLICY_STATE_SELECTION,
    CertificateState,
    PolicyNotice,
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
        precompute=True,
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
    cancellation_date = fields.Date(
        tracking=True,
        copy=False,
        help="The day the cancellation takes effect: the policy is in force until then "
        "(the daily job cancels it on that day).",
    )
    cancellation_reason = fields.Text(copy=False)
    cancellation_pending = fields.Boolean(
        compute="_compute_cancellation_pending",
        help="Active, and cancelled from a later date: in force until then.",
    )
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
    replaced_by_id = fields.Many2one("coi.policy", string="Replaced By", copy=False)
    overlapping_policy_ids = fields.Many2many(
        "coi.policy",
        compute="_compute_overlapping_policy_ids",
        string="Overlapping Policies",
        help="Other active policies of the vendor for this coverage and period.",
    )
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

    @api.depends("state", "partner_id", "coverage_type_id", "effective_date", "expiration_date")
    def _compute_overlapping_policy_ids(self):
        active = self.filtered(lambda p: p.state == PolicyState.ACTIVE and p.id)
        others = active and self.search(
            [
                ("state", "=", PolicyState.ACTIVE),
                ("partner_id", "in", active.partner_id.ids),
                ("coverage_type_id", "in", active.coverage_type_id.ids),
            ]
        )
        for policy in self:
            policy.overlapping_policy_ids = others.filtered(
                lambda o, p=policy: p in active
                and o != p
                and o.partner_id == p.partner_id
                and o.coverage_type_id == p.coverage_type_id
                and o.company_id == p.company_id
                and o.effective_date < p.expiration_date
                and p.effective_date < o.expiration_date
            )

    @api.depends("state", "cancellation_date")
    def _compute_cancellation_pending(self):
        for policy in self:
            policy.cancellation_pending = bool(
                policy.state == PolicyState.ACTIVE
                and policy.cancellation_date
                and policy.cancellation_date > policy.company_id._coi_today()
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
    @api.depends_context("coi_policy_short_name")
    def _compute_display_name(self):
        # Beside its certificate (the review grid) the vendor goes without saying.
        short = self.env.context.get("coi_policy_short_name")
        for policy in self:
            policy.display_name = " · ".join(
                part
                for part in (
                    not short and policy.partner_id.name,
                    policy.coverage_type_id.name,
                    policy.name,
                )
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
        then it keeps the cover going. Another active policy of the same vendor
        and coverage whose period overlaps gives way to the new one when the
        new one loses nothing (`engine.supersede`); otherwise a person decides."""
        drafts = self.filtered(lambda p: p.state == PolicyState.DRAFT)
        drafts.write({"state": PolicyState.ACTIVE})
        # The vendors' policies of these coverages in force or expired, read
        # once: each draft's predecessors and overlaps are among them (and
        # are filtered as they change below).
        kin = drafts and self.search(
            [
                ("partner_id", "in", drafts.partner_id.ids),
                ("coverage_type_id", "in", drafts.coverage_type_id.ids),
                ("state", "in", (PolicyState.ACTIVE, PolicyState.EXPIRED)),
            ]
        )
        for policy in drafts:
            older = policy.replaces_id.filtered(
                lambda p: p.state in (PolicyState.ACTIVE, PolicyState.EXPIRED)
            )
            older |= kin.filtered_domain(
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
            if older and policy.effective_date <= policy.company_id._coi_today():
                mine = policy._to_engine()[0]
                for old, old_engine in zip(older, older._to_engine(), strict=True):
                    old.state = (
                        PolicyState.SUPERSEDED
                        if supersede.overlaps(old_engine, mine)
                        else PolicyState.REPLACED
                    )
            current = policy._coi_overlapping(among=kin)
            if current - older - drafts:
                # Those activated with it do not supersede each other.
                policy._coi_supersede(current - older - drafts, current & drafts)
        return True

    def _coi_overlapping(self, among=None):
        """The other active policies of this one's vendor and coverage whose
        period overlaps this one's (`among`: of those policies, already
        read)."""
        self.ensure_one()
        domain = [
            ("id", "!=", self.id),
            ("partner_id", "=", self.partner_id.id),
            ("coverage_type_id", "=", self.coverage_type_id.id),
            ("company_id", "=", self.company_id.id),
            ("state", "=", PolicyState.ACTIVE),
            ("effective_date", "<", self.expiration_date),
            ("expiration_date", ">", self.effective_date),
        ]
        return among.filtered_domain(domain) if among is not None else self.search(domain)

    def _coi_supersede(self, overlapping, siblings):
        """This new policy takes over from each of `overlapping` that it
        betters in every respect; for the others a person is asked, and both
        stay in force until they decide."""
        self.ensure_one()
        doubts = []
        clear = self.browse()
        mine = self._to_engine()[0]
        for old, old_engine in zip(overlapping, overlapping._to_engine(), strict=True):
            reasons = supersede.shortfalls(old_engine, mine)
            if siblings:
                reasons.append(
                    self.env._(
                        "Policies %(numbers)s of the same coverage came into force with it.",
                        numbers=", ".join(siblings.mapped("name")),
                    )
                )
            if reasons:
                doubts.append((old, reasons))
            else:
                clear |= old
        self._coi_take_over(clear)
        for old, reasons in doubts:
            self._coi_ask_which_stands(old, reasons)

    def _coi_take_over(self, olds):
        """`olds` give way to this policy: at once when it has started, on its
        first day otherwise (the nightly job); both chatters say so."""
        self.ensure_one()
        if not olds:
            return
        started = self.effective_date <= self.company_id._coi_today()
        olds.write({"replaced_by_id": self.id})
        if started:
            olds.write({"state": PolicyState.SUPERSEDED})
        for old in olds:
            old.message_post(
                body=self.env._(
                    "Superseded by policy %(new)s (%(start)s to %(end)s), which covers the same "
                    "period with at least the same limits and endorsements.",
                    new=self.name,
                    start=self.effective_date,
                    end=self.expiration_date,
                )
                if started
                else self.env._(
                    "Policy %(new)s takes over from this one on %(start)s.",
                    new=self.name,
                    start=self.effective_date,
                )
            )
        self.message_post(body=self.env._("Supersedes policy %s.", ", ".join(olds.mapped("name"))))

    def _coi_ask_which_stands(self, old, reasons):
        summary = self.env._("Check which policy stands")
        self.activity_schedule(
            "mail.mail_activity_data_todo",
            summary=summary,
            note=self.env._(
                "Policy %(new)s overlaps policy %(old)s (same vendor, coverage and period) but "
                "does not plainly replace it: %(reasons)s Both stay in force. If %(new)s "
                "replaces it, click Replace Overlapping Policies on %(new)s.",
                new=self.name,
                old=old.name,
                reasons=" ".join(reasons),
            ),
            user_id=self._coi_reviewer().id,
        )

    def _coi_reviewer(self):
        """Who decides about this policy: the user at work, else the vendor's
        buyer, else the administrator (never a bot or a portal user)."""
        self.ensure_one()
        for user in (self.env.user, self.partner_id.buyer_id, self.env.ref("base.user_admin")):
            if user and user.active and user._is_internal():
                return user
        return self.env.ref("base.user_admin")

    def action_supersede_overlapping(self):
        """The reviewer decided: this policy replaces the other active policies
        of its vendor and coverage that overlap its period."""
        for policy in self.filtered(lambda p: p.state == PolicyState.ACTIVE):
            policy._coi_take_over(policy._coi_overlapping())
            summary = self.env._("Check which policy stands")
            policy.activity_ids.filtered(lambda a, s=summary: a.summary == s).action_feedback(
                feedback=self.env._("Replaced the overlapping policies.")
            )
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
        """Cancel from the cancellation date: at once when that day has come;
        a policy cancelled from a later day stays in force until then, and
        the daily job cancels it on that day."""
        for policy in self:
            if not policy.cancellation_date:
                raise UserError(
                    self.env._("Give the cancellation date of policy %s first.", policy.name)
                )
        for policy in self._coi_cancel_due():
            policy.message_post(
                body=self.env._(
                    "In force until %(date)s, then cancelled.",
                    date=format_date(self.env, policy.cancellation_date),
                )
            )
        return True

    def _coi_cancel_due(self):
        """Cancel those whose cancellation date has come; returns the others
        (cancelled from a later day, in force until then)."""
        due = self.filtered(lambda p: p.cancellation_date <= p.company_id._coi_today())
        due.write({"state": PolicyState.CANCELLED})
        return self - due

    def action_reset_draft(self):
        self.write({"state": PolicyState.DRAFT})
        return True

    def _coi_without_renewal_received(self):
        """These policies minus those whose renewal is on its way: a newer
        policy of the same vendor and coverage, in force or read from a
        certificate that is not turned down. A certificate renewing another
        coverage does not stop this one's reminders."""
        if not self:
            return self
        newer = self.search_fetch(
            [
                ("partner_id", "in", self.partner_id.ids),
                ("coverage_type_id", "in", self.coverage_type_id.ids),
                ("state", "in", (PolicyState.DRAFT, PolicyState.ACTIVE)),
                ("expiration_date", ">", min(self.mapped("expiration_date"))),
                "|",
                ("certificate_id", "=", False),
                ("certificate_id.state", "in", (*PENDING_STATES, CertificateState.ACCEPTED)),
            ],
            ["partner_id", "coverage_type_id", "expiration_date"],
        )
        renewed = {}  # (vendor, coverage) -> the latest expiration on file
        for newer_policy in newer:
            key = (newer_policy.partner_id.id, newer_policy.coverage_type_id.id)
            renewed[key] = max(
                renewed.get(key, newer_policy.expiration_date), newer_policy.expiration_date
            )
        pending_ids = []  # a list: `recordset |= record` in a loop is quadratic
        for policy in self:
            key = (policy.partner_id.id, policy.coverage_type_id.id)
            if renewed.get(key) and renewed[key] > policy.expiration_date:
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
        """An insurer's notice (`text`, the words of the file or of the email):
        cancel the policy it names from the date the notice takes effect (not
        the letter's date), undo a cancellation it reinstates, or log a
        non-renewal. Done at once when the match is exact (one policy's
        number, of this vendor when known, in the certificate's company) and
        the date was read; otherwise a COI user decides on the certificate
        (its "Cancel Policies" wizard offers the policies concerned). Returns
        the policies the notice was applied to."""
        notice = read_notice(text)
        kind = notice.kind or PolicyNotice.CANCELLATION
        vendor = certificate.partner_id.commercial_partner_id
        if not vendor and notice.insured:
            vendor = (
                self.env["res.partner"]
                .with_company(certificate.company_id)
                ._coi_match_vendor(notice.insured)
            )
        candidates = self._coi_notice_candidates(kind, certificate.company_id, vendor)
        numbers = set(named_policies(text, set(candidates.mapped("name"))))
        named = candidates.filtered(lambda p: p.name in numbers)
        certificate._coi_store_notice(notice, kind, named)
        reasons = self._coi_notice_doubts(kind, notice, named)
        if reasons:
            vendors = vendor or named.partner_id
            if not certificate.partner_id and len(vendors) == 1:
                certificate.partner_id = vendors
            certificate._coi_ask_decision(kind, reasons)
            return self.browse()
        named._coi_apply_notice(kind, certificate, notice.effective_date)
        certificate._coi_notice_done(kind, named, notice.effective_date)
        return named

    @api.model
    def _coi_notice_candidates(self, kind, company, vendor=None):
        """The policies a notice of `kind` may be about: active ones for a
        cancellation or a non-renewal, cancelled ones (or those cancelled from
        a later day) for a reinstatement."""
        domain = [("company_id", "=", company.id), *self._coi_notice_domain(kind)]
        if vendor:
            domain.append(("partner_id", "=", vendor.id))
        return self.search_fetch(domain, ["name", "partner_id"])

    @api.model
    def _coi_notice_domain(self, kind):
        if kind == PolicyNotice.REINSTATEMENT:
            return [
                "|",
                ("state", "=", PolicyState.CANCELLED),
                "&",
                ("state", "=", PolicyState.ACTIVE),
                ("cancellation_date", "!=", False),
            ]
        return [("state", "=", PolicyState.ACTIVE)]

    @api.model
    def _coi_notice_doubts(self, kind, notice, named):
        """Why a person must decide on a notice (none: apply it at once)."""
        _ = self.env._
        reasons = []
        if not named:
            reasons.append(
                _("Cancellation notice: no active policy number found in it.")
                if kind != PolicyNotice.REINSTATEMENT
                else _("Reinstatement notice: no cancelled policy number found in it.")
            )
        elif len(named) > 1:
            reasons.append(
                _(
                    "Cancellation notice: several policies match (%s); confirm which one.",
                    ", ".join(named.mapped("name")),
                )
            )
        if kind == PolicyNotice.CANCELLATION and not notice.effective_date:
            reasons.append(_("The date the cancellation takes effect could not be read; give it."))
        elif kind == PolicyNotice.CANCELLATION and len(named) == 1:
            if notice.effective_date >= named.expiration_date:
                reasons.append(
                    _(
                        "The notice cancels from %(date)s, once policy %(number)s has "
                        "expired (%(expiration)s): check the date.",
                        date=format_date(self.env, notice.effective_date),
                        number=named.name,
                        expiration=format_date(self.env, named.expiration_date),
                    )
                )
        return reasons

    def _coi_apply_notice(self, kind, certificate, when):
        """Apply an insurer's notice of `kind` to these policies from `when`,
        and say so in each policy's chatter."""
        _ = self.env._
        reference = certificate.name
        if kind == PolicyNotice.CANCELLATION:
            self.write(
                {
                    "cancellation_date": when,
                    "cancellation_reason": _("Cancellation notice %s", reference),
                }
            )
            pending = self._coi_cancel_due()
            for policy in self:
                policy.message_post(
                    body=_(
                        "Cancelled from %(date)s by the cancellation notice %(notice)s%(until)s.",
                        date=format_date(self.env, when),
                        notice=reference,
                        until=_(": in force until then") if policy in pending else "",
                    )
                )
        elif kind == PolicyNotice.REINSTATEMENT:
            for policy in self:
                undone = policy.cancellation_date
                values = {"cancellation_date": False, "cancellation_reason": False}
                if policy.state == PolicyState.CANCELLED:
                    ended = policy.expiration_date <= policy.company_id._coi_today()
                    values["state"] = PolicyState.EXPIRED if ended else PolicyState.ACTIVE
                policy.write(values)
                policy.message_post(
                    body=_(
                        "Reinstated%(from)s by the notice %(notice)s: the cancellation "
                        "from %(undone)s is undone.",
                        notice=reference,
                        undone=format_date(self.env, undone),
                        **{
                            "from": _(" from %s", format_date(self.env, when)) if when else "",
                        },
                    )
                )
        else:
            for policy in self:
                policy.message_post(
                    body=_(
                        "The insurer will not renew this policy (notice %(notice)s): it ends "
                        "on %(date)s; ask the vendor for its replacement.",
                        notice=reference,
                        date=format_date(self.env, policy.expiration_date),
                    )
                )
        return True

    def _coi_notice_sentence(self, kind, when):
        """What applying a notice of `kind` did to this policy, in a sentence."""
        self.ensure_one()
        _ = self.env._
        if kind == PolicyNotice.REINSTATEMENT:
            return _("Policy %s reinstated: its cancellation is undone.", self.name)
        if kind == PolicyNotice.NON_RENEWAL:
            return _(
                "Policy %(number)s will not be renewed: it ends on %(date)s.",
                number=self.name,
                date=format_date(self.env, self.expiration_date),
            )
        if self.cancellation_pending:
            return _(
                "Policy %(number)s cancelled from %(date)s: in force until then.",
                number=self.name,
                date=format_date(self.env, when),
            )
        return _(
            "Policy %(number)s cancelled from %(date)s.",
            number=self.name,
            date=format_date(self.env, when),
        )

    @api.model
    def _cron_expire_policies(self, on_date=None):
        """Active policies whose expiration date has come are expired, or
        replaced when their renewal is on file."""
        on_date = on_date or self.env.company._coi_today()
        cancelled = self._cron_cancel_policies(on_date)
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
        # Policies a newer one of the same period takes over from on its first day.
        superseded = self.search(
            [
                ("state", "=", PolicyState.ACTIVE),
                ("replaced_by_id.state", "=", PolicyState.ACTIVE),
                ("replaced_by_id.effective_date", "<=", on_date),
            ],
            order="id",
        ).filtered(lambda p: p.replaced_by_id.effective_date < p.expiration_date)
        notes.update(
            {
                p.id: self.env._("Superseded by policy %s from today.", p.replaced_by_id.name)
                for p in superseded
            }
        )
        superseded.with_context(mail_notrack=True).write({"state": PolicyState.SUPERSEDED})
        if notes:
            self.browse(list(notes))._message_log_batch(notes)
        return ended | superseded | cancelled

    @api.model
    def _cron_cancel_policies(self, on_date):
        """Active policies whose cancellation date has come (before they
        expire) are cancelled."""
        due = self.search(
            [
                ("state", "=", PolicyState.ACTIVE),
                ("cancellation_date", "<=", on_date),
            ],
            order="id",
        ).filtered(lambda p: p.cancellation_date < p.expiration_date)
        due.with_context(mail_notrack=True).write({"state": PolicyState.CANCELLED})
        if due:
            due._message_log_batch(
                {
                    p.id: self.env._("Cancelled on %s.", format_date(self.env, p.cancellation_date))
                    for p in due
                }
            )
        return due
