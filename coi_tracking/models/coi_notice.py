# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import logging
import secrets
from collections import defaultdict
from datetime import timedelta

import psycopg2.errors
from lxml import etree, html
from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import SQL, format_date, mute_logger

from ..engine import rating_rank, requests, schedule
from ..engine.example_certificate import ExampleCoverage, example_certificate_pdf
from ..engine.vocabulary import (
    NOTICE_KIND_SELECTION,
    NOTICE_STATE_SELECTION,
    PENDING_STATES,
    CertificateKind,
    CertificateState,
    NoticeKind,
    NoticeState,
    PolicyState,
)
from ..tools import lock_batch

_logger = logging.getLogger(__name__)

NOTICE_TEMPLATES = {
    NoticeKind.RENEWAL: "coi_tracking.mail_template_coi_renewal",
    NoticeKind.EXPIRED: "coi_tracking.mail_template_coi_expired",
    NoticeKind.ACCEPTED: "coi_tracking.mail_template_coi_accepted",
    NoticeKind.REVISION: "coi_tracking.mail_template_coi_revision",
    NoticeKind.REJECTED: "coi_tracking.mail_template_coi_rejected",
    NoticeKind.CANCELLED: "coi_tracking.mail_template_coi_cancelled",
    NoticeKind.VERIFICATION: "coi_tracking.mail_template_coi_verification",
    NoticeKind.REVISION_REQUEST: "coi_tracking.mail_template_coi_revision_request",
    NoticeKind.UNDER_REVIEW: "coi_tracking.mail_template_coi_under_review",
    NoticeKind.REQUEST: "coi_tracking.mail_template_coi_request",
    NoticeKind.CHASE: "coi_tracking.mail_template_coi_chase",
}
BATCH = 200
# More notices than this in a day: the second notice job helps.
HELP_ABOVE = 2 * BATCH
# Notices another run was sending are tried again this many minutes later.
BUSY_RETRY_MINUTES = 5
# What choosing the day's notices reads of a policy.
SELECTION_FIELDS = ["partner_id", "coverage_type_id", "expiration_date"]
# First key of the advisory locks taken on notice keys ("COIN").
ADVISORY_LOCK_NAMESPACE = 0x434F494E
# Most advisory locks one transaction takes on notice keys. Each is held
# until commit, in PostgreSQL's shared lock table (about 6,400 locks for the
# whole server by default): a transaction that queues more notices (a full
# recompute asking 100,000 new vendors at once, the install on a large
# database) claims the rest without a lock, as before the locks were taken;
# the notice's unique key still keeps it single. A job's batch (BATCH
# notices, committed one by one) stays far below.
MAX_CLAIM_LOCKS = 1000
# Notices asking for a certificate carry an example of an acceptable one.
WITH_EXAMPLE = (
    NoticeKind.RENEWAL,
    NoticeKind.EXPIRED,
    NoticeKind.REVISION,
    NoticeKind.REJECTED,
    NoticeKind.CANCELLED,
    NoticeKind.REVISION_REQUEST,
    NoticeKind.REQUEST,
    NoticeKind.CHASE,
)
# Notices the company may send in the name of the vendor's buyer.
FROM_REQUESTER = (NoticeKind.REQUEST, NoticeKind.CHASE)
# Notices asking for a corrected certificate: the chase reminds them too
# (a request cycle opens with them when none is open).
CYCLE_OPENERS = (NoticeKind.REVISION_REQUEST, NoticeKind.REVISION, NoticeKind.REJECTED)


class CoiNotice(models.Model):
    """Every notice the program sends, once: the unique key (kind, policy or
    certificate, stage) makes a cron that runs twice, or dies half-way and
    starts again, send nothing twice and miss nothing."""

    _name = "coi.notice"
    _description = "Insurance Notice"
    _order = "id desc"

    key = fields.Char(required=True, readonly=True, index=True)
    kind = fields.Selection(NOTICE_KIND_SELECTION, required=True, readonly=True)
    stage = fields.Char(readonly=True, help="Which step of the cadence: d30, d14, w1, ...")
    partner_id = fields.Many2one(
        "res.partner", string="Vendor", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(
        "res.company",
        compute="_compute_company_id",
        store=True,
        precompute=True,
        index=True,
        help="The company of the policy or certificate the notice is about.",
    )
    policy_id = fields.Many2one("coi.policy", index="btree_not_null", ondelete="cascade")
    certificate_id = fields.Many2one("coi.certificate", index="btree_not_null", ondelete="cascade")
    recipient_ids = fields.Many2many("res.partner", string="Sent To")
    message_id = fields.Many2one("mail.message", readonly=True)
    date = fields.Date(
        required=True,
        readonly=True,
        index=True,
        default=lambda self: self.env.company._coi_today(),
    )
    state = fields.Selection(NOTICE_STATE_SELECTION, readonly=True)
    # Only the agent's links carry it; the code reads it as superuser.
    access_token = fields.Char(
        readonly=True,
        copy=False,
        index="btree_not_null",
        groups="base.group_system",
        help="For the agent's answer links.",
    )
    answer = fields.Selection(
        [("in_force", "In Force"), ("changed", "Cancelled or Changed")], readonly=True
    )
    answer_date = fields.Datetime(readonly=True)
    followed_up = fields.Boolean(readonly=True, help="A person was asked to chase the answer.")
    note = fields.Text(readonly=True, help="The reviewer's words, sent with a revision request.")
    grouped_with_id = fields.Many2one(
        "coi.notice",
        string="Sent With",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
        help="Verifications of one vendor for one agent go in one email: the first "
        "notice of that email.",
    )
    group_notice_ids = fields.One2many(
        "coi.notice", "grouped_with_id", string="Notices of the Same Email", readonly=True
    )

    _key_unique = models.Constraint("UNIQUE(key)", "This notice was already sent.")

    @api.depends("policy_id.company_id", "certificate_id.company_id", "partner_id.company_id")
    def _compute_company_id(self):
        for notice in self:
            notice.company_id = (
                notice.policy_id.company_id
                or notice.certificate_id.company_id
                or notice.partner_id.company_id
            )

    @api.model
    def _make_key(self, kind, policy=None, certificate=None, stage=""):
        return f"{kind}:{policy.id if policy else 0}:{certificate.id if certificate else 0}:{stage}"

    # ---- what the templates show -------------------------------------------

    def _upload_url(self):
        self.ensure_one()
        return self.partner_id._coi_upload_url()

    def _missing(self):
        self.ensure_one()
        return [
            line._coi_deficiency_text()
            for line in self.partner_id.coi_compliance_line_ids
            if line.is_deficient and line.deficiency
        ]

    def _revision_asked(self):
        """What a reviewer asked of the vendor's certificates still waiting
        for a revision (their last request's note), one text each."""
        self.ensure_one()
        waiting = self.partner_id.coi_certificate_ids.filtered(
            lambda c: c.state == CertificateState.REVISION_REQUESTED
        )
        if not waiting:
            return []
        asked = self.sudo().search(
            [
                ("kind", "=", NoticeKind.REVISION_REQUEST),
                ("certificate_id", "in", waiting.ids),
                ("note", "!=", False),
            ],
            order="id desc",
        )
        notes = {}
        for notice in asked:
            notes.setdefault(notice.certificate_id, notice.note)
        return [f"{certificate.name}: {note}" for certificate, note in notes.items()]

    def _requested_on(self):
        """The day the vendor was first asked in this request cycle."""
        self.ensure_one()
        return self.partner_id.coi_request_date or self.date

    def _requirements(self):
        """The vendor's requirements in plain words, one line per coverage."""
        self.ensure_one()
        return [
            (line.coverage_type_id.name, line.requirement_line_id.summary or "")
            for line in self.partner_id.coi_compliance_line_ids
        ]

    def _example_certificate(self, named=True):
        """PDF bytes of an example certificate meeting the vendor's
        requirements (naming the vendor unless `named` is False)."""
        self.ensure_one()
        requirements = self.partner_id.coi_compliance_line_ids.requirement_line_id
        ratings = [r.min_am_best or r.set_id.min_am_best for r in requirements]
        return example_certificate_pdf(
            self.partner_id.name if named else None,
            self._holder_lines(),
            self._example_coverages(),
            min(filter(None, ratings), key=rating_rank, default=None),
            self.with_context(lang=self._reader_lang())._example_notes(),
        )

    def _examples(self):
        """{notice id: PDF bytes}: the example certificate of each of these
        notices that carries one. The example names no vendor ("your
        company"): it is drawn once per requirements, certificate holder and
        language, and every vendor under them gets the same file."""
        drawn, examples = {}, {}
        for notice in self:
            lines = notice.partner_id.coi_compliance_line_ids
            if notice.kind not in WITH_EXAMPLE or not lines:
                continue
            key = (
                tuple((line.coverage_type_id.id, line.requirement_line_id.id) for line in lines),
                tuple(notice._holder_lines()),
                notice._reader_lang(),
            )
            if key not in drawn:
                drawn[key] = notice._example_certificate(named=False)
            examples[notice.id] = drawn[key]
        return examples

    def _reader_lang(self):
        """The language the notice speaks: its first recipient's (as the
        templates' `lang` says), else the vendor's."""
        self.ensure_one()
        return (
            self.env.context.get("coi_reader_lang")
            or self.recipient_ids[:1].lang
            or self.partner_id.lang
            or None
        )

    def _example_notes(self):
        """The notes of the example certificate (`example_certificate.NOTES`)
        in the context's language; None in English (the engine's own)."""
        if (self.env.lang or "en_US").startswith("en"):
            return None
        _ = self.env._
        return {
            "intro": _(
                "This is an example, not a certificate. Please give it to your insurance agent "
                "or broker: the certificate they issue for {vendor} must show at least what is "
                "printed here in blue (the coverages we require, their minimum limits, the X "
                "marks, and the certificate holder exactly as written). Grey text and orange "
                "notes show what your agent fills in."
            ),
            "your_company": _("your company"),
            "example_only": _("An example only: it grants no insurance."),
            "date_of_issue": _("date of issue"),
            "producer": _("Your insurance agency or broker"),
            "producer_address": _("address, city, state, ZIP"),
            "agent_fills_this": _("your agent fills this"),
            "your_address": _("your address"),
            "legal_name": _("your exact legal name"),
            "agent_fills_contact": _("your agent fills the contact, insurers and NAIC numbers"),
            "insurer": _("insurer of the policy"),
            "insurer_rating": _("each insurer rated at least {rating} by AM Best"),
            "in_force": _(
                "Each policy below must be in force on the days you work for us. Amounts in "
                "blue are our minimums: higher limits are welcome."
            ),
            "no_coverage": _("no coverage required"),
            "policy_number": _("policy number"),
            "start": _("start"),
            "end": _("end"),
            "agent_fills_these": _("your agent fills these"),
            "no_minimum": _("no minimum limit"),
            "wording": _("this wording, or the endorsements that say it, attached"),
            "nothing_required": _("nothing is required here"),
            "exact_holder": _("exactly this name and address"),
            "cancellation": _(
                "If a policy shown here is cancelled before it ends, we ask the insurer or your "
                "agent to tell us beforehand, as the policy provides."
            ),
            "agent_signs": _("your agent signs"),
        }

    def _example_coverages(self):
        """The vendor's requirements as the example certificate shows them."""
        self.ensure_one()
        coverages = []
        for line in self.partner_id.coi_compliance_line_ids:
            requirement = line.requirement_line_id
            currency = requirement.currency_id or self.env.company.currency_id
            limits = tuple(
                (limit.limit_type_id.name, currency.format(limit.amount).replace("\xa0", " "))
                for limit in requirement.limit_ids
            )
            coverages.append(
                ExampleCoverage(
                    line.coverage_type_id.name,
                    limits,
                    line.coverage_type_id.code,
                    additional_insured=requirement.additional_insured,
                    waiver_of_subrogation=requirement.waiver_of_subrogation,
                    primary_noncontributory=requirement.primary_noncontributory,
                    per_statute=requirement.per_statute,
                )
            )
        return coverages

    def _verification_group(self):
        """The verification notices that went in this notice's email, this one
        included, in the order the email lists them."""
        self.ensure_one()
        lead = self.grouped_with_id or self
        return (lead.group_notice_ids | lead).sorted("id")

    def _answer_urls(self):
        """Links for the agent's two answers. The core has no public route:
        the portal module gives them; without it the agent replies by email."""
        self.ensure_one()
        return {}

    def _record_answer(self, answer):
        """The agent answered a verification: keep it on the policy."""
        self.ensure_one()
        if self.kind != NoticeKind.VERIFICATION or answer not in ("in_force", "changed"):
            return False
        now = fields.Datetime.now()
        self.write({"answer": answer, "answer_date": now})
        policy = self.policy_id
        policy.write(
            {
                "verification_state": answer,
                "last_verification_date": policy.company_id._coi_today(),
            }
        )
        if answer == "in_force":
            policy.message_post(body=self.env._("The agent confirmed the policy is in force."))
        else:
            policy.message_post(
                body=self.env._("The agent answered that the policy was cancelled or changed.")
            )
            policy.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=self.env._("Agent reports policy cancelled or changed"),
                note=self.env._(
                    "Ask for the cancellation notice or the new certificate of %s.", policy.name
                ),
                user_id=(policy.partner_id.buyer_id or self.env.ref("base.user_admin")).id,
            )
        return True

    def _holder_lines(self):
        """The certificate holder block, as the review checks it."""
        known = dict(self.env.context.get("coi_holders") or ()).get(self.partner_id.id)
        if known is not None:
            return list(known)
        return self.env["coi.requirement.set"]._coi_holder_for(self.partner_id).lines

    def _holders(self):
        """The holder block of each of these notices' vendors, found at once
        (one pass over the requirement sets for a batch of notices), as a
        context value `_holder_lines` reads."""
        Sets = self.env["coi.requirement.set"]
        vendors = self.partner_id.commercial_partner_id
        sets = Sets._coi_sets_by_vendor(vendors)
        return tuple(
            (
                vendor.id,
                tuple(
                    (sets.get(vendor.id) or Sets.browse())
                    .sudo()
                    ._coi_holder((vendor.company_id or self.env.company).sudo())
                    .lines
                ),
            )
            for vendor in vendors
        )

    # ---- sending -------------------------------------------------------------

    @api.model
    def _recipients(self, vendor, policy=None, kind=None, certificate=None):
        """The vendor's insurance contact and its agent (with a valid email,
        that never bounced); the agent alone for verifications. The agent is
        the policy's, else the vendor's, else the one named on the
        certificate."""
        agent = (
            (policy.agent_id if policy else vendor.browse())
            or vendor.coi_agent_id
            or (certificate.policy_ids.agent_id[:1] if certificate else vendor.browse())
        )
        partners = (
            agent
            if kind == NoticeKind.VERIFICATION
            else (vendor.coi_insurance_contact_id or vendor) | agent
        )
        unusable = partners.filtered(
            lambda p: p.email and (not p.email_normalized or p.message_bounce)
        )
        if unusable:
            self._flag_bad_addresses(vendor, unusable)
        return partners.filtered(lambda p: p.email_normalized and not p.message_bounce)

    @api.model
    def _flag_bad_addresses(self, vendor, partners):
        summary = self.env._("Insurance email address bounced or invalid")
        if vendor.activity_ids.filtered(lambda a: a.summary == summary):
            return
        vendor.activity_schedule(
            "mail.mail_activity_data_todo",
            summary=summary,
            note=self.env._(
                "Notices could not go to %s: the address is malformed or mail to it bounced.",
                ", ".join(f"{p.name} <{p.email}>" for p in partners),
            ),
            user_id=(vendor.buyer_id or self.env.user).id,
        )

    @api.model
    def _queue(self, candidates):
        """Send the notices of `candidates` (dicts with kind, vendor, policy,
        certificate, stage) that were never sent. Returns the new notices."""
        if not candidates:
            return self.browse()
        # The notices say what is missing: from this transaction's changes too.
        self.env["res.partner"]._coi_settle()
        for candidate in candidates:
            candidate["key"] = self._make_key(
                candidate["kind"],
                candidate.get("policy"),
                candidate.get("certificate"),
                candidate.get("stage", ""),
            )
        done = set(
            self.search_fetch([("key", "in", [c["key"] for c in candidates])], ["key"]).mapped(
                "key"
            )
        )
        claimed = self._claim({c["key"] for c in candidates} - done)
        if {c["key"] for c in candidates} - done - claimed:
            # Another run is sending these right now. If it dies before it
            # commits (a killed worker), they are not lost until tomorrow:
            # the job runs again in a few minutes and sends what is left.
            self.env.ref("coi_tracking.ir_cron_coi_send_notices").sudo()._trigger(
                fields.Datetime.now() + timedelta(minutes=BUSY_RETRY_MINUTES)
            )
        values = []
        for candidate in candidates:
            if candidate["key"] in done or candidate["key"] not in claimed:
                continue
            done.add(candidate["key"])
            vendor, policy = candidate["vendor"], candidate.get("policy")
            recipients = self._recipients(
                vendor, policy, candidate["kind"], candidate.get("certificate")
            )
            values.append(
                {
                    "key": candidate["key"],
                    "kind": candidate["kind"],
                    "stage": candidate.get("stage", ""),
                    "partner_id": vendor.id,
                    "policy_id": policy.id if policy else False,
                    "certificate_id": candidate["certificate"].id
                    if candidate.get("certificate")
                    else False,
                    "recipient_ids": [(6, 0, recipients.ids)],
                    "state": NoticeState.SENT if recipients else NoticeState.NO_RECIPIENT,
                    "access_token": secrets.token_urlsafe(32)
                    if candidate["kind"] == NoticeKind.VERIFICATION
                    else False,
                    "note": candidate.get("note") or False,
                }
            )
        notices = self._create_unsent(values)
        notices._post()
        for notice in notices.filtered(lambda n: n.kind == NoticeKind.VERIFICATION):
            notice.policy_id.verification_step = notice.stage
        notices._open_cycles()
        notices.filtered(lambda n: n.kind == NoticeKind.CHASE)._escalate()
        return notices

    @api.model
    def _create_unsent(self, values):
        """The notices of `values`, created at once. If a concurrent run that
        committed after this transaction began sent one of them (its key is
        taken), they are created one by one: its notice stands, this one is
        dropped."""
        try:
            with mute_logger("odoo.sql_db"), self.env.cr.savepoint(flush=False):
                return self.create(values)
        except psycopg2.errors.UniqueViolation:
            pass
        notices = self.browse()
        for vals in values:
            try:
                with mute_logger("odoo.sql_db"), self.env.cr.savepoint(flush=False):
                    notices |= self.create(vals)
            except psycopg2.errors.UniqueViolation:
                _logger.info("Notice %s already sent by another run", vals["key"])
        return notices

    def _open_cycles(self):
        """A revision asked of a vendor not covered starts its chase (when its
        company requests automatically and no request cycle is open)."""
        for notice in self.filtered(lambda n: n.kind in CYCLE_OPENERS):
            vendor = notice.partner_id
            if (
                not vendor.coi_request_date
                and not requests.closes_cycle(vendor.coi_status)
                and (vendor.company_id or self.env.company).coi_auto_request
            ):
                vendor._coi_open_cycle(notice.date)

    @api.model
    def _queue_requests(self, vendors, day=None):
        """The first request of a new cycle to each of `vendors` that has no
        cycle open: the requirements with their limits, the holder block,
        the link and the example, to the insurance contact and the agent.
        Returns the new notices."""
        vendors = vendors.commercial_partner_id.filtered(lambda v: not v.coi_request_date)
        notices = self.sudo()._queue(
            [
                {
                    "kind": NoticeKind.REQUEST,
                    "vendor": vendor,
                    "stage": requests.cycle_stage(vendor.id, vendor.coi_request_cycle + 1),
                }
                for vendor in vendors
            ]
        )
        for notice_day, group in notices.grouped("date").items():
            group.partner_id._coi_open_cycle(day or notice_day)
        return notices

    def _escalate(self):
        """After the chase's last step, the vendor's buyer (else the COI
        team) gets a to-do: the emails did not bring the certificates."""
        for notice in self:
            vendor = notice.partner_id
            company = vendor.company_id or self.env.company
            step = requests.stage_step(notice.stage)
            if not schedule.chase_escalates(step, company._coi_chase_cadence()):
                continue
            missing = notice._missing() + notice._revision_asked()
            vendor.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=self.env._("Insurance certificates still missing"),
                note=self.env._(
                    "%(vendor)s was asked for certificates on %(date)s and reminded %(count)s "
                    "times without sending them. Still missing: %(missing)s",
                    vendor=vendor.name,
                    date=format_date(self.env, notice._requested_on()),
                    count=len(company._coi_chase_cadence()),
                    missing="; ".join(missing) or "-",
                ),
                user_id=(vendor.buyer_id or company._coi_team_user()).id,
            )

    def _sender(self):
        """Who a notice comes from: the company, or the vendor's buyer for
        requests and chases when the company says so."""
        self.ensure_one()
        vendor = self.partner_id
        company = vendor.company_id or self.env.company
        if (
            self.kind in FROM_REQUESTER
            and company.coi_request_sender == "buyer"
            and vendor.buyer_id
        ):
            return vendor.buyer_id.partner_id
        return company.partner_id

    @api.model
    def _queue_under_review(self, certificates):
        """Tell the contractor and the agent that the certificate was received
        and a person is reviewing it: once per certificate (not for a
        cancellation notice, nor before the vendor is known)."""
        return self.sudo()._queue(
            [
                {
                    "kind": NoticeKind.UNDER_REVIEW,
                    "vendor": certificate.partner_id.commercial_partner_id,
                    "certificate": certificate,
                }
                for certificate in certificates
                if certificate.partner_id
                and certificate.kind != CertificateKind.CANCELLATION
                and certificate.state in PENDING_STATES
            ]
        )

    @api.model
    def _queue_revision_request(self, certificate, note):
        """The reviewer's revision request, with their note, to the contractor
        and the agent; each request of a certificate is its own notice."""
        asked = self.sudo().search_count(
            [("kind", "=", NoticeKind.REVISION_REQUEST), ("certificate_id", "=", certificate.id)]
        )
        return self.sudo()._queue(
            [
                {
                    "kind": NoticeKind.REVISION_REQUEST,
                    "vendor": certificate.partner_id.commercial_partner_id,
                    "certificate": certificate,
                    "stage": f"r{asked + 1}",
                    "note": note,
                }
            ]
        )

    @api.model
    def _claim(self, keys):
        """The keys that no concurrent run is sending right now: a
        transaction-level advisory lock per key (released at commit, with
        the notices). Two workers running the notice job at once each send
        a different share; none waits for the other. Past MAX_CLAIM_LOCKS
        keys in one transaction, the others are claimed without a lock."""
        if not keys:
            return set()
        # The locks this transaction holds already (pg_locks: two-key
        # advisory locks show their first key as classid).
        self.env.cr.execute(
            SQL(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"
                " AND pid = pg_backend_pid() AND classid = %s AND objsubid = 2",
                ADVISORY_LOCK_NAMESPACE,
            )
        )
        room = max(MAX_CLAIM_LOCKS - self.env.cr.fetchone()[0], 0)
        keys = sorted(keys)
        locked, unlocked = keys[:room], keys[room:]
        if not locked:
            return set(unlocked)
        self.env.cr.execute(
            SQL(
                "SELECT key FROM unnest(%s::varchar[]) AS key"
                " WHERE pg_try_advisory_xact_lock(%s, hashtext(key))",
                locked,
                ADVISORY_LOCK_NAMESPACE,
            )
        )
        return {key for (key,) in self.env.cr.fetchall()} | set(unlocked)

    def _post(self):
        """Render the notices' mail templates (all notices of a template and
        language at once: QWeb compiles it once) and post them on their
        vendors, so the emails are queued with the chatter showing them:
        in one batch per sender, the example certificates drawn once per
        set of requirements."""
        self.filtered(lambda n: n.state == NoticeState.NO_RECIPIENT)._ask_for_email()
        leads = self.filtered(lambda n: n.state != NoticeState.NO_RECIPIENT)
        leads -= leads._group_verifications()
        groups = defaultdict(lambda: self.browse())
        for notice in leads:
            groups[notice.kind, notice._reader_lang()] |= notice
        holders = leads._holders() if len(leads) > 1 else ()
        examples = leads.with_context(coi_holders=holders)._examples()
        posts = defaultdict(list)
        for (kind, lang), notices in groups.items():
            template = self.env.ref(NOTICE_TEMPLATES[kind]).with_context(
                lang=lang, coi_holders=holders, coi_compile_once=True
            )
            bodies = template._render_field("body_html", notices.ids)
            subjects = template._render_field("subject", notices.ids)
            for notice in notices.with_context(coi_holders=holders):
                body, subject = bodies[notice.id], subjects[notice.id]
                urls = [
                    url
                    for grouped in notice._verification_group()
                    for url in grouped._answer_urls().values()
                ]
                if urls:
                    notice._post_with_private_links(body, subject, urls)
                    continue
                example = examples.get(notice.id)
                posts[notice._sender()].append(
                    (
                        notice,
                        {
                            "res_id": notice.partner_id.id,
                            "body": body,
                            "subject": subject,
                            "partner_ids": notice.recipient_ids.ids,
                            "attachments": [("example-certificate.pdf", example)]
                            if example
                            else [],
                        },
                    )
                )
        for sender, batch in posts.items():
            # Posted for the company: whoever runs the job (a person clicking
            # Run Manually) does not follow the vendors for it, and two runs
            # at once do not both insert that follower (one would fail).
            messages = (
                self.env["res.partner"]
                .with_context(mail_post_autofollow_author_skip=True)
                ._coi_post_batch([post for _n, post in batch], sender)
            )
            for (notice, _post), message in zip(batch, messages, strict=True):
                notice._verification_group().message_id = message
        leads.filtered(
            lambda n: n.kind == NoticeKind.EXPIRED and n.stage == schedule.EXPIRED_FIRST_STAGE
        )._schedule_buyer_activities()

    def _group_verifications(self):
        """One email per agent and vendor: the verifications of these notices
        asking the same people about the same vendor go together, listed in
        the first one's email (each policy keeps its notice, its answer links
        and its answer). Returns the notices that ride with another."""
        groups = defaultdict(list)
        for notice in self.filtered(lambda n: n.kind == NoticeKind.VERIFICATION):
            groups[notice.partner_id.id, tuple(sorted(notice.recipient_ids.ids))].append(notice.id)
        riders = self.browse()
        for ids in groups.values():
            if len(ids) < 2:
                continue
            lead, others = self.browse(min(ids)), self.browse(sorted(ids)[1:])
            others.write({"grouped_with_id": lead.id})
            riders |= others
        return riders

    def _post_with_private_links(self, body, subject, urls):
        """A notice whose links answer for the agent (verification): the
        email to the agent carries them, the vendor's chatter, which every
        user of the company reads, shows the question without them. The
        email is a notification of the vendor (Odoo's `message_notify`: its
        recipients alone read it), so a reply to it comes back to the
        vendor's chatter through the mail gateway like any other."""
        self.ensure_one()
        vendor = self.partner_id
        author = (vendor.company_id or self.env.company).partner_id
        vendor.message_notify(
            body=body,
            subject=subject,
            author_id=author.id,
            email_from=author.email_formatted or self.env.user.email_formatted,
            partner_ids=self.recipient_ids.ids,
            subtype_xmlid="mail.mt_comment",
            email_layout_xmlid="mail.mail_notification_light",
            # Queued: Odoo's mail queue job sends it, not this job.
            force_send=False,
        )
        self._verification_group().message_id = vendor.message_post(
            body=self._without_links(body, urls),
            subject=subject,
            author_id=author.id,
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )

    def _without_links(self, body, urls):
        """`body` without the paragraphs holding any of `urls`, and a line
        saying who got them."""
        tree = html.fragment_fromstring(str(body), create_parent="div")
        for anchor in tree.xpath("//a[@href]"):
            if anchor.get("href") in urls:
                block = anchor.getparent()
                if block is not None and block.getparent() is not None:
                    block.getparent().remove(block)
        note = etree.SubElement(tree, "p")
        note.text = self.env._(
            "The answer links went to %s only.", ", ".join(self.recipient_ids.mapped("name"))
        )
        return Markup(etree.tostring(tree, encoding="unicode", method="html"))

    def _schedule_buyer_activities(self):
        """On expiry, the vendor's buyer follows up: a to-do per notice, as
        `activity_schedule` makes it, all created at once. Like the to-dos
        of Odoo's own daily expiry jobs (contracts, work permits), they do
        not email each buyer an "assigned to you" per vendor: a buyer finds
        them in the activities menu, counted on its icon at once."""
        if not self or self.env.context.get("mail_activity_automation_skip"):
            return
        activity_type = self.env.ref("mail.mail_activity_data_todo")
        model_id = self.env["ir.model"]._get_id("res.partner")
        today = fields.Date.context_today(self)
        admin = self.env.ref("base.user_admin")
        values = []
        for notice in self:
            vendor, policy = notice.partner_id, notice.policy_id
            values.append(
                {
                    "activity_type_id": activity_type.id,
                    "automated": True,
                    "summary": self.env._("Insurance expired: %s", policy.coverage_type_id.name),
                    "note": self.env._(
                        "Policy %(number)s expired on %(date)s; %(vendor)s has been asked for"
                        " the renewal.",
                        number=policy.name,
                        date=policy.expiration_date,
                        vendor=vendor.name,
                    ),
                    "date_deadline": today,
                    "res_model_id": model_id,
                    "res_id": vendor.id,
                    "user_id": (vendor.buyer_id or vendor.user_id or admin).id,
                }
            )
        self.env["mail.activity"].with_context(mail_activity_quick_update=True).create(values)

    def _ask_for_email(self):
        """Nobody to write to: a person must fill in an email address. One
        to-do per vendor of these notices (none when one is open), created
        for all of them at once."""
        summary = self.env._("Insurance contact email missing")
        activity_type = self.env.ref("mail.mail_activity_data_todo")
        vendors = self.partner_id
        asked = set(
            self.env["mail.activity"]
            .search_fetch(
                [
                    ("res_model", "=", "res.partner"),
                    ("res_id", "in", vendors.ids),
                    ("activity_type_id", "=", activity_type.id),
                    ("summary", "=", summary),
                ],
                ["res_id"],
            )
            .mapped("res_id")
        )
        model_id = self.env["ir.model"]._get_id("res.partner")
        today = fields.Date.context_today(self)
        self.env["mail.activity"].with_context(mail_activity_quick_update=True).create(
            [
                {
                    "activity_type_id": activity_type.id,
                    "automated": True,
                    "summary": summary,
                    "note": self.env._(
                        "Insurance notices cannot reach %s: give its insurance contact or its "
                        "agent an email address.",
                        vendor.name,
                    ),
                    "date_deadline": today,
                    "res_model_id": model_id,
                    "res_id": vendor.id,
                    "user_id": (vendor.buyer_id or self.env.user).id,
                }
                for vendor in vendors
                if vendor.id not in asked
            ]
        )

    # ---- the daily cron ------------------------------------------------------

    @api.model
    def _renewal_candidates(self, today, company):
        """Active policies whose next renewal reminder is due (the schedule
        says which: a missed day is caught up, the log keeps it single)."""
        cadence = company._coi_renewal_cadence()
        expirations = schedule.renewal_expirations(today, cadence)
        if not expirations:
            return []
        first, last = expirations
        policies = self.env["coi.policy"].search_fetch(
            [
                ("state", "=", PolicyState.ACTIVE),
                ("company_id", "=", company.id),
                ("expiration_date", ">=", first),
                ("expiration_date", "<=", last),
                ("replaced_by_id", "=", False),
            ],
            SELECTION_FIELDS,
            order="id",
        )
        candidates = []
        for policy in policies._coi_without_renewal_received():
            stage = schedule.renewal_stage(policy.expiration_date, today, cadence)
            if not stage:
                continue
            candidates.append(
                {
                    "kind": NoticeKind.RENEWAL,
                    "vendor": policy.partner_id,
                    "policy": policy,
                    "stage": stage,
                }
            )
        return candidates

    @api.model
    def _expired_candidates(self, today, company):
        """Expired policies not renewed: on the day they end (the coverage
        stops that day), then every `coi_expired_reminder_days` days while
        nothing replaces them."""
        every = company.coi_expired_reminder_days
        first, last = schedule.expired_expirations(today)
        policies = self.env["coi.policy"].search_fetch(
            [
                ("state", "=", PolicyState.EXPIRED),
                ("company_id", "=", company.id),
                ("replaced_by_id", "=", False),
                ("expiration_date", "<=", last),
                ("expiration_date", ">=", first),
            ],
            SELECTION_FIELDS,
            order="id",
        )
        candidates = []
        for policy in policies._coi_without_renewal_received():
            stage = schedule.expired_stage(policy.expiration_date, today, every)
            if not stage:
                continue
            candidates.append(
                {
                    "kind": NoticeKind.EXPIRED,
                    "vendor": policy.partner_id,
                    "policy": policy,
                    "stage": stage,
                }
            )
        return candidates

    @api.model
    def _verification_candidates(self, today, company):
        """Ask the agent whether a policy is still in force: 30 days after the
        proof was accepted, then at mid-term (the schedule says which)."""
        proofs = schedule.verification_proofs(today)
        midterms = schedule.verification_midterms(today)
        # A step already asked is not selected again (the policy keeps it).
        policies = self.env["coi.policy"].search_fetch(
            [
                ("state", "=", PolicyState.ACTIVE),
                ("company_id", "=", company.id),
                ("expiration_date", ">", today),
                ("verification_step", "!=", schedule.VERIFY_MIDTERM),
                "|",
                "|",
                "&",
                ("midterm_date", ">=", midterms[0]),
                ("midterm_date", "<=", midterms[1]),
                "&",
                "&",
                ("verification_step", "=", False),
                ("certificate_id.review_date", ">=", proofs[0]),
                ("certificate_id.review_date", "<", proofs[1] + timedelta(days=1)),
                "&",
                "&",
                "&",
                ("verification_step", "=", False),
                ("certificate_id", "=", False),
                ("effective_date", ">=", proofs[0]),
                ("effective_date", "<=", proofs[1]),
            ],
            [*SELECTION_FIELDS, "effective_date", "certificate_id"],
            order="id",
        )
        candidates = []
        for policy in policies:
            proof = schedule.proof_date(policy.certificate_id.review_date, policy.effective_date)
            stage = schedule.verification_stage(
                proof, policy.effective_date, policy.expiration_date, today
            )
            if not stage:
                continue
            candidates.append(
                {
                    "kind": NoticeKind.VERIFICATION,
                    "vendor": policy.partner_id,
                    "policy": policy,
                    "stage": stage,
                }
            )
        # A vendor's verifications side by side: its agent gets them in one email.
        return sorted(candidates, key=lambda c: (c["vendor"].id, c["policy"].id))

    @api.model
    def _chase_candidates(self, today, company):
        """Vendors of an open request cycle, not compliant and not under
        review, whose next chase step is due (the latest step reached: a
        missed day is caught up once; the log keeps each step single)."""
        cadence = company._coi_chase_cadence()
        if not cadence:
            return []
        companies = [company.id, False] if company == self.env.company else [company.id]
        vendors = self.env["res.partner"].search_fetch(
            [
                ("coi_request_date", "!=", False),
                ("coi_request_date", "<=", today - timedelta(days=min(cadence))),
                ("coi_status", "in", requests.REQUESTABLE_STATUSES),
                ("company_id", "in", companies),
            ],
            ["coi_request_date", "coi_request_cycle", "coi_status"],
            order="id",
        )
        candidates = []
        for vendor in vendors:
            step = schedule.chase_stage(vendor.coi_request_date, today, cadence)
            if not step or not requests.chase_due(vendor.coi_status):
                continue
            candidates.append(
                {
                    "kind": NoticeKind.CHASE,
                    "vendor": vendor,
                    "stage": requests.cycle_stage(vendor.id, vendor.coi_request_cycle, step),
                }
            )
        return candidates

    @api.model
    def _batches(self, candidates):
        """`candidates` in slices of about BATCH, committed one by one; the
        verifications of one vendor stay in one slice (one email)."""
        batch = []
        for index, candidate in enumerate(candidates):
            batch.append(candidate)
            following = candidates[index + 1] if index + 1 < len(candidates) else None
            same_email = (
                following is not None
                and candidate["kind"] == following["kind"] == NoticeKind.VERIFICATION
                and candidate["vendor"] == following["vendor"]
            )
            if len(batch) >= BATCH and not same_email:
                yield batch
                batch = []
        if batch:
            yield batch

    @api.model
    def _follow_up_unanswered(self, today):
        """No answer 14 days after a verification: a person calls the agent."""
        unanswered = self.search(
            [
                ("kind", "=", NoticeKind.VERIFICATION),
                ("state", "=", NoticeState.SENT),
                ("answer", "=", False),
                ("followed_up", "=", False),
                ("date", "<=", schedule.follow_up_asked_by(today)),
            ],
            limit=BATCH * 5,
        )
        for notice in unanswered:
            notice.policy_id.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=self.env._("Agent did not confirm the policy"),
                note=self.env._(
                    "%(agent)s did not answer whether policy %(number)s is still in force.",
                    agent=", ".join(notice.recipient_ids.mapped("name")),
                    number=notice.policy_id.name,
                ),
                user_id=(notice.partner_id.buyer_id or self.env.ref("base.user_admin")).id,
            )
        unanswered.write({"followed_up": True})

    @api.model
    def _coi_run_now(self):
        """Run the notice job now ("Run Manually") and say what it sent."""
        last = self.search([], order="id desc", limit=1).id or 0
        self._cron_send_notices()
        counts = defaultdict(int)
        waiting = 0
        for notice in self.search_fetch([("id", ">", last)], ["kind", "state"]):
            if notice.state == NoticeState.NO_RECIPIENT:
                waiting += 1
            else:
                counts[notice.kind] += 1
        message = requests.sent_summary(counts)
        if waiting:
            message += " " + self.env._(
                "%s could not be sent: no email address (a to-do asks for one).", waiting
            )
        return message

    @api.model
    def _call_for_help(self):
        """A burst (a company's first day, a thousand vendors added): the
        second notice job starts now on another cron worker. Both run the
        same day's notices; each sends the batches the other has not
        claimed."""
        main = self.env.ref("coi_tracking.ir_cron_coi_send_notices")
        helper = self.env.ref("coi_tracking.ir_cron_coi_send_notices_helper", False)
        if helper and helper.active and self.env.context.get("cron_id") == main.id:
            helper.sudo()._trigger()

    @api.model
    def _cron_send_notices(self, today=None):
        """The notices due on `today` (default: today), each sent once even
        when two workers run this at the same time. Every email the job
        makes waits in Odoo's mail queue, the buyers' to-do notices too."""
        self.with_context(mail_notify_force_send=False)._send_notices(today)

    @api.model
    def _send_notices(self, today=None):
        today = today or self.env.company._coi_today()
        in_cron = bool(self.env.context.get("cron_id"))
        self._follow_up_unanswered(today)
        for company in self.env["res.company"].search([]):
            candidates = self._renewal_candidates(today, company)
            candidates += self._expired_candidates(today, company)
            candidates += self._verification_candidates(today, company)
            candidates += self._chase_candidates(today, company)
            queued = self._queued_requests_domain(company)
            waiting = len(candidates) + self.env["res.partner"].search_count(queued)
            if in_cron and waiting > HELP_ABOVE:
                self._call_for_help()
            # The first requests first: the day's expiry to-dos make the
            # buyers follow their vendors, and a request posted after that
            # would also email the buyer (and take Odoo's slower way of
            # posting, one message at a time).
            self._send_queued_requests(queued, in_cron)
            done = 0
            for batch in self._batches(candidates):
                self._queue(batch)
                done += len(batch)
                if in_cron:
                    self.env["ir.cron"]._commit_progress(
                        len(batch), remaining=len(candidates) - done
                    )

    @api.model
    def _queued_requests_domain(self, company):
        companies = [company.id, False] if company == self.env.company else [company.id]
        return [("coi_request_queued", "=", True), ("company_id", "in", companies)]

    @api.model
    def _send_queued_requests(self, domain, in_cron):
        """The first requests handed over by a large evaluation (a full
        recompute, an import): in batches, each committed in the cron; a
        vendor covered since, or whose company stopped requesting, is not
        asked. Each batch is locked, so a second worker takes the next."""
        Partner = self.env["res.partner"]
        while True:
            vendors = lock_batch(Partner.search(domain, limit=BATCH, order="id"))
            if not vendors:
                return  # none left, or another worker is sending them
            self._queue_requests(
                vendors.filtered(
                    lambda v: v.coi_status in requests.REQUESTABLE_STATUSES
                    and (v.company_id or self.env.company).coi_auto_request
                )
            )
            vendors.with_context(mail_notrack=True).write({"coi_request_queued": False})
            if in_cron:
                self.env["ir.cron"]._commit_progress(
                    len(vendors), remaining=Partner.search_count(domain)
                )
