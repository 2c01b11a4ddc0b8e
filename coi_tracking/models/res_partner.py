# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from collections import defaultdict
from decimal import Decimal

from psycopg2.errors import UniqueViolation

from odoo import api, fields, models
from odoo.fields import Domain
from odoo.tools import SQL

from ..engine import requests, timeliness
from ..engine.extract import sniff
from ..engine.review import NAME_MATCH, best_name, intake_key, name_score
from ..engine.vocabulary import (
    AM_BEST_SELECTION,
    BLOCKING_STATUSES,
    IN_COMPLIANCE_STATUSES,
    SATISFIED_STATUSES,
    VENDOR_STATUS_SELECTION,
    CertificateSource,
    CertificateState,
    NoticeKind,
    NoticeState,
    PolicyState,
)
from ..tools import IntakeRace, lock_batch, trigram_index

# Larger batches are refreshed by the cron, triggered at once, so that a
# request never waits on thousands of evaluations.
SYNC_LIMIT = 500
# More vendors than this found tracked without cover at once (a full
# recompute, an import) are asked by the notice job, in its committed
# batches, not in the transaction that evaluated them.
INLINE_REQUESTS = 50
# Key of the vendors to evaluate before commit, in the cursor's precommit data.
DIRTY_KEY = "coi_tracking.dirty_vendors"
# Context key set where purchasing chooses a vendor (the RFQ's vendor field):
# compliant and timely vendors first, non-compliant ones marked.
VENDOR_CHOICE_KEY = "coi_vendor_choice"
# Where a vendor stands when purchasing chooses one: covered first, then
# those that need nothing (or are not tracked), the non-compliant last.
RANK_COVERED, RANK_NEUTRAL, RANK_BLOCKED = 0, 1, 2


def purchase_rank(status):
    """Where a vendor of insurance status `status` stands when purchasing
    chooses one."""
    if status in IN_COMPLIANCE_STATUSES:
        return RANK_COVERED
    if status in BLOCKING_STATUSES:
        return RANK_BLOCKED
    return RANK_NEUTRAL


# Renewals that came due (their policy ran to its end) and count for timeliness.
RENEWAL_DUE_STATES = (PolicyState.EXPIRED, PolicyState.REPLACED)
# The daily refresh re-scores vendors asked and not compliant, and those
# whose requests or reminders went out in the last days (a reminder sent
# after that day's refresh counts the next day).
TIMELINESS_NOTICE_DAYS = 7
# Stored by the compliance refresh with the timeliness, in the same UPDATE.
DATED_FIELDS = ("coi_next_expiry", "coi_deficiency_count", "coi_recheck_date")
DATED_TYPES = ("date", "int4", "date")
# Stored by `_coi_store_timeliness`, in one UPDATE.
TIMELINESS_FIELDS = (
    "coi_compliant_since",
    "coi_first_request_date",
    "coi_days_to_compliant",
    "coi_renewals_due",
    "coi_renewals_on_time",
    "coi_on_time_renewal_rate",
    "coi_open_chase_steps",
    "coi_timeliness_score",
)


class ResPartner(models.Model):
    _name = "res.partner"
    _inherit = ["res.partner", "coi.compliance.mixin"]
    _coi_compliance_fields = {
        "coi_requirement_set_ids",
        "category_id",
        "coi_exempt",
        "coi_exempt_until",
        "coi_exempt_reason",
        "supplier_rank",
        "company_id",
        "parent_id",
        "coi_am_best_rating",
    }

    # Changes are logged in the chatter in batch by the compliance refresh.
    coi_status = fields.Selection(
        VENDOR_STATUS_SELECTION,
        string="Insurance Status",
        index=True,
        copy=False,
        readonly=True,
    )
    coi_next_expiry = fields.Date(string="Next Policy Expiry", readonly=True, copy=False)
    coi_days_to_expiry = fields.Integer(
        string="Days to Next Expiry",
        compute="_compute_coi_days_to_expiry",
        search="_search_coi_days_to_expiry",
    )
    coi_deficiency_count = fields.Integer(
        string="Insurance Deficiencies", readonly=True, copy=False
    )
    coi_recheck_date = fields.Date(
        index=True,
        readonly=True,
        copy=False,
        help="Next day on which the calendar alone may change the insurance status.",
    )
    coi_requirement_set_ids = fields.Many2many(
        "coi.requirement.set",
        "coi_requirement_set_partner_rel",
        "partner_id",
        "set_id",
        string="Requirement Sets",
        help="Sets assigned to this vendor directly (tags and the company default add more).",
    )
    coi_exempt = fields.Boolean(string="Exempt from Insurance", tracking=True)
    coi_exempt_until = fields.Date(string="Exempt Until", tracking=True)
    coi_exempt_reason = fields.Char(string="Exemption Reason", tracking=True)
    coi_insurance_contact_id = fields.Many2one(
        "res.partner",
        string="Insurance Contact",
        help="Who at the vendor receives insurance notices.",
    )
    coi_agent_id = fields.Many2one(
        "res.partner",
        string="Insurance Agent",
        help="The vendor's insurance agent or broker (producer).",
    )
    coi_is_agent = fields.Boolean(string="Is an Insurance Agent")
    coi_is_insurer = fields.Boolean(string="Is an Insurer")
    coi_naic_code = fields.Char(string="NAIC Code", index="btree_not_null")
    coi_intake_key = fields.Char(
        string="Intake Key",
        copy=False,
        readonly=True,
        help="Technical: the normalized name (or NAIC code) under which the reader created"
        " this agency or insurer from a certificate. Unique among active partners, so two"
        " certificates read at the same time cannot create the same agency twice.",
    )
    coi_am_best_rating = fields.Selection(AM_BEST_SELECTION, string="AM Best Rating")
    coi_policy_ids = fields.One2many("coi.policy", "partner_id", string="Insurance Policies")
    coi_certificate_ids = fields.One2many("coi.certificate", "partner_id", string="Certificates")
    coi_compliance_line_ids = fields.One2many(
        "coi.compliance.line", "partner_id", string="Insurance Checklist"
    )
    coi_request_date = fields.Date(
        string="Chased Since",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="First request of the open request cycle: missing items are chased from this "
        "day until the vendor is compliant (then it is cleared).",
    )
    coi_request_cycle = fields.Integer(
        string="Request Cycles",
        readonly=True,
        copy=False,
        help="How many times certificates were requested from scratch.",
    )
    coi_request_queued = fields.Boolean(
        string="Request Queued",
        readonly=True,
        copy=False,
        help="Found tracked without cover among many vendors at once: the notice job sends"
        " the first request.",
    )
    coi_policy_count = fields.Integer(compute="_compute_coi_counts")
    coi_certificate_count = fields.Integer(compute="_compute_coi_counts")
    # Timeliness: written by the compliance refresh (`_coi_store_timeliness`).
    coi_compliant_since = fields.Date(
        string="Compliant Since",
        readonly=True,
        copy=False,
        help="The day the vendor became compliant (or exempt) in its current cycle.",
    )
    coi_first_request_date = fields.Date(
        string="Certificates Requested On",
        readonly=True,
        copy=False,
        help="The first request for certificates of the latest request cycle (the notice "
        "log), kept once the vendor complies: timeliness counts from it.",
    )
    coi_days_to_compliant = fields.Integer(
        string="Days to Compliant",
        readonly=True,
        copy=False,
        aggregator="avg",
        help="Days from the first request to compliance (0 when compliant without being "
        "asked); empty while not compliant.",
    )
    coi_renewals_due = fields.Integer(
        string="Renewals Due", readonly=True, copy=False, help="Policies that ran to their end."
    )
    coi_renewals_on_time = fields.Integer(
        string="Renewals on Time",
        readonly=True,
        copy=False,
        help="Renewals received before the policy they renew expired.",
    )
    coi_on_time_renewal_rate = fields.Float(
        string="On-Time Renewals (%)",
        readonly=True,
        copy=False,
        digits=(5, 1),
        aggregator="avg",
        help="Share of the renewals due that were received before expiry.",
    )
    coi_open_chase_steps = fields.Integer(
        string="Open Chase Steps",
        readonly=True,
        copy=False,
        help="Reminders of what is still missing sent since the request, while not compliant.",
    )
    coi_timeliness_score = fields.Integer(
        string="Timeliness",
        readonly=True,
        copy=False,
        aggregator="avg",
        help="0 to 100: speed to compliance (50 points), renewals before expiry (35), "
        "no open chase steps (15).",
    )
    coi_purchase_rank = fields.Integer(
        compute="_compute_coi_purchase_rank",
        store=True,
        help="Where the vendor comes when purchasing chooses one: 0 covered, 1 nothing "
        "required or not tracked, 2 not compliant.",
    )

    # Vendor search at scale: substring `ilike` on what the vendor searches
    # read (the search view: complete name, reference, email; `name_search`,
    # the vendor field of an RFQ: also tax ID and company ID, OR-ed, so each
    # needs an index or the whole search reads the table). Core indexes these
    # columns with btree only (equality, prefix), under the field's own index
    # name: `index='trigram'` on an inherited field would find that name taken
    # and create nothing, hence separate indexes.
    _coi_complete_name_trgm = models.Index(trigram_index("complete_name"))
    _coi_ref_trgm = models.Index(trigram_index("ref", not_null=True))
    _coi_email_trgm = models.Index(trigram_index("email", not_null=True))
    _coi_vat_trgm = models.Index(trigram_index("vat", not_null=True))
    _coi_company_registry_trgm = models.Index(trigram_index("company_registry", not_null=True))
    _coi_request_queued_idx = models.Index("(id) WHERE coi_request_queued")
    _coi_intake_key_unique = models.UniqueIndex(
        "(coi_intake_key) WHERE coi_intake_key IS NOT NULL AND active",
        "Another active agency or insurer was already created from certificates under this"
        " name: merge the two contacts.",
    )

    @property
    def _order(self):
        order = super()._order
        if not self.env.context.get(VENDOR_CHOICE_KEY):
            return order
        return f"coi_purchase_rank, coi_timeliness_score DESC NULLS LAST, {order}"

    @api.depends("commercial_partner_id.coi_status")
    def _compute_coi_purchase_rank(self):
        """A vendor's contacts stand where the vendor does."""
        for partner in self:
            partner.coi_purchase_rank = purchase_rank(partner.commercial_partner_id.coi_status)

    @api.depends_context(VENDOR_CHOICE_KEY)
    def _compute_display_name(self):
        super()._compute_display_name()
        if not self.env.context.get(VENDOR_CHOICE_KEY):
            return
        labels = dict(self._fields["coi_status"]._description_selection(self.env))
        for partner in self:
            status = partner.commercial_partner_id.coi_status
            if status in BLOCKING_STATUSES:
                partner.display_name = self.env._(
                    "%(name)s ⚠ Insurance: %(status)s",
                    name=partner.display_name,
                    status=labels[status],
                )

    def _compute_coi_days_to_expiry(self):
        for partner in self:
            today = (partner.company_id or self.env.company)._coi_today()
            partner.coi_days_to_expiry = (
                (partner.coi_next_expiry - today).days if partner.coi_next_expiry else 0
            )

    def _search_coi_days_to_expiry(self, operator, value):
        """Counted from the current company's today (the "expiring in 30
        days" filter)."""
        if operator not in ("<", "<=", ">", ">=", "=") or not isinstance(value, int):
            return NotImplemented
        day = fields.Date.add(self.env.company._coi_today(), days=value)
        return [("coi_next_expiry", operator, day)]

    @api.depends("coi_policy_ids", "coi_certificate_ids")
    def _compute_coi_counts(self):
        policies = dict(
            self.env["coi.policy"]._read_group(
                [
                    ("partner_id", "in", self.ids),
                    ("state", "in", (PolicyState.ACTIVE, PolicyState.DRAFT)),
                ],
                ["partner_id"],
                ["__count"],
            )
        )
        certificates = dict(
            self.env["coi.certificate"]._read_group(
                [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.coi_policy_count = policies.get(partner, 0)
            partner.coi_certificate_count = certificates.get(partner, 0)

    def _coi_affected_vendors(self, fnames=None):
        vendors = self._coi_tracked()
        if fnames and "coi_am_best_rating" in fnames:
            # An insurer's rating counts for every vendor it insures.
            insured = self.env["coi.policy"].sudo().search([("insurer_id", "in", self.ids)])
            vendors = (vendors if fnames - {"coi_am_best_rating"} else vendors.browse()) | (
                insured.partner_id
            )
        return vendors

    @api.model
    def _coi_tracked_domain(self):
        """Vendors whose insurance is tracked: companies (commercial
        partners) that are suppliers, have requirement sets (directly or
        through a tag a set uses), policies, certificates, or already a
        status."""
        tags = self.env["coi.requirement.set"].sudo().search([("category_ids", "!=", False)])
        return Domain("parent_id", "=", False) & Domain.OR(
            [
                Domain("supplier_rank", ">", 0),
                Domain("coi_status", "!=", False),
                Domain("coi_requirement_set_ids", "!=", False),
                Domain("category_id", "in", tags.category_ids.ids),
                Domain("coi_policy_ids", "!=", False),
                Domain("coi_certificate_ids", "!=", False),
            ]
        )

    def _coi_tracked(self):
        """The tracked vendors among these partners' commercial partners."""
        partners = self.commercial_partner_id
        return partners.filtered_domain(self._coi_tracked_domain()) if partners else partners

    def _coi_mark_dirty(self):
        """These vendors' compliance must be evaluated again: once, before the
        transaction commits, however many changes mark them."""
        vendors = self.commercial_partner_id
        if not vendors:
            return
        data = self.env.cr.precommit.data
        if DIRTY_KEY not in data:
            data[DIRTY_KEY] = set()
            self.env.cr.precommit.add(self.with_env(self.env(su=True, context={}))._coi_settle)
        data[DIRTY_KEY].update(vendors.ids)

    @api.model
    def _coi_settle(self):
        """Evaluate the vendors marked dirty in this transaction, each once.
        Runs before commit; code that reads compliance in the same
        transaction (notices, purchase check, API answers, upload pages)
        calls it first. Larger batches go to the refresh job, triggered at
        once, so that a request never waits on thousands of evaluations."""
        dirty = self.env.cr.precommit.data.pop(DIRTY_KEY, None)
        if not dirty:
            return
        vendors = self.env["res.partner"].sudo().browse(sorted(dirty)).exists()
        if len(vendors) > SYNC_LIMIT:
            vendors._coi_defer()
        else:
            vendors._coi_refresh()

    def _coi_refresh(self):
        """Evaluate these vendors now, each on its company's today, and store
        the result."""
        dirty = self.env.cr.precommit.data.get(DIRTY_KEY)
        if dirty:
            dirty.difference_update(self.ids)
        Line = self.env["coi.compliance.line"]
        for company, vendors in self.sudo().grouped("company_id").items():
            Line._refresh(vendors, (company or self.env.company)._coi_today())

    def _coi_defer(self):
        """Hand these vendors to the refresh job, started at once."""
        today = self.env.company._coi_today()
        self.sudo().write({"coi_recheck_date": today})
        self.env.ref("coi_tracking.ir_cron_coi_refresh_compliance").sudo()._trigger()

    @api.model
    def _coi_named(self, name, domain, limit=20000):
        """The partner of `domain` whose name is `name` (the engine's name
        match), or an empty recordset."""
        candidates = self.search_fetch(domain, ["name"], limit=limit)
        return self.browse(best_name(name, {p.id: p.name for p in candidates}))

    @api.model
    def _coi_match_vendor(self, insured_name):
        """The vendor named as insured on a certificate, when the sender did
        not tell (an agent writes for many insureds): one of the current
        company's vendors (the certificate's) or a shared one."""
        if not insured_name:
            return self.browse()
        return self._coi_named(
            insured_name,
            [
                ("parent_id", "=", False),
                ("coi_status", "!=", False),
                ("company_id", "in", [False, self.env.company.id]),
            ],
        )

    @api.model
    def _coi_insurer_for(self, name, naic):
        """The insurer named on a certificate: by NAIC code, then by name;
        created when unknown."""
        if naic:
            found = self.search([("coi_naic_code", "=", naic)], limit=1)
            if found:
                return found
        if not name:
            return self.browse()
        return self._coi_named(name, [("coi_is_insurer", "=", True)]) or self._coi_create_once(
            intake_key("insurer", name, naic),
            {"name": name, "is_company": True, "coi_is_insurer": True, "coi_naic_code": naic},
        )

    @api.model
    def _coi_agent_for(self, producer):
        """The agency of a certificate's producer block: by email, then by
        name; created (with its contact) when unknown."""
        name, email = producer.get("name"), producer.get("email")
        if email:
            found = self.search([("email", "=ilike", email)], limit=1)
            if found:
                return found.commercial_partner_id if found.parent_id else found
        if not name:
            return self.browse()
        found = self._coi_named(name, [("coi_is_agent", "=", True)])
        if found:
            return found
        agency = self._coi_create_once(
            intake_key("agent", name),
            {
                "name": name,
                "is_company": True,
                "coi_is_agent": True,
                "email": email,
                "phone": producer.get("phone"),
                "street": (producer.get("address") or [None])[0],
            },
        )
        contact = producer.get("contact_name")
        if contact and name_score(contact, name) < NAME_MATCH:
            self.create(
                {"name": contact, "parent_id": agency.id, "email": email, "coi_is_agent": True}
            )
        return agency

    @api.model
    def _coi_create_once(self, key, vals):
        """Create the agency or insurer `vals` that a certificate names,
        under its intake key. Two certificates read at the same time (two
        uploads, an upload and the reading job) cannot see each other's new
        partner before commit; the key's unique index makes the second wait
        for the first and fail with an IntakeRace (a ConcurrencyError): the
        certificate is then read again in a new transaction (the reading job,
        or Odoo running the request again), which finds the first's partner.
        A key already held by a partner the name search did not match
        (archived, renamed, another company's) leaves the new one without a
        key."""
        held = self.sudo().search_count([("coi_intake_key", "=", key)], limit=1)
        if held:
            return self.create(vals)
        try:
            with self.env.cr.savepoint(flush=False):
                return self.create({**vals, "coi_intake_key": key})
        except UniqueViolation as error:
            if error.diag.constraint_name != f"{self._table}_coi_intake_key_unique":
                raise
            raise IntakeRace(f"{vals['name']!r} is being created by another transaction") from error

    def _coi_store_timeliness(self, today, dated=None, statuses=None):
        """Count, for these vendors (commercial partners, evaluated), what
        their timeliness is made of and store it with its score
        (`engine.timeliness`): since when they comply, their first request
        of the cycle (the notice log), the days between, the renewals due
        and received before expiry, the chase reminders still open. Called
        by the compliance refresh, never on read; three queries in, one
        UPDATE out, whatever the number of vendors. From the compliance
        refresh, `dated` ({vendor id: (changed, values of DATED_FIELDS)}) and
        `statuses` ({vendor id: new status}): the evaluation's dates, counts
        and new statuses (with the purchase rank), written in the same
        UPDATE; the timeliness follows the new status."""
        if not self:
            return
        dated, statuses = dated or {}, statuses or {}
        # Every pending write of the vendors first: the UPDATE below may
        # write their status, rank and write date too.
        self.env["res.partner"].flush_model()
        self.env["coi.notice"].flush_model(["partner_id", "kind", "date", "state"])
        cr = self.env.cr
        cr.execute(
            SQL(
                "SELECT id, coi_status, %s FROM res_partner WHERE id = ANY(%s)",
                SQL(", ").join(SQL.identifier(name) for name in TIMELINESS_FIELDS),
                self.ids,
            )
        )
        stored = cr.fetchall()
        cr.execute(
            SQL(
                "SELECT partner_id, kind, date FROM coi_notice"
                " WHERE partner_id = ANY(%s) AND kind IN %s AND state = %s ORDER BY date, id",
                self.ids,
                (NoticeKind.REQUEST, NoticeKind.CHASE),
                NoticeState.SENT,
            )
        )
        requests, chases = defaultdict(list), defaultdict(list)
        for partner_id, kind, day in cr.fetchall():
            (requests if kind == NoticeKind.REQUEST else chases)[partner_id].append(day)
        renewals = self._coi_renewal_counts(today)
        rows = []
        for partner_id, status, *current in stored:
            current = tuple(float(v) if isinstance(v, Decimal) else v for v in current)
            new_status = statuses.get(partner_id)
            status = new_status or status
            satisfied = status in SATISFIED_STATUSES
            since = (current[0] or today) if satisfied else None
            asked = [d for d in requests[partner_id] if since is None or d <= since]
            requested = asked[-1] if asked else None
            days = None
            if since is not None:
                days = (since - requested).days if requested else 0
            open_steps, waiting = 0, None
            if not satisfied:
                waiting = (today - requested).days if requested else timeliness.NOT_ASKED
                open_steps = sum(
                    1 for day in chases[partner_id] if not requested or day >= requested
                )
            n_due, n_on_time = renewals.get(partner_id, (0, 0))
            vals = (
                since,
                requested,
                days,
                n_due,
                n_on_time,
                timeliness.on_time_percent(n_on_time, n_due),
                open_steps,
                timeliness.timeliness_score(
                    days, n_on_time, n_due, open_steps, days_waiting=waiting
                ),
            )
            # From the refresh, every vendor evaluated comes with its dates.
            dates_changed, dates = dated[partner_id] if dated else (False, None)
            if current != vals or dates_changed or new_status:
                rows.append((partner_id, *vals, dates, new_status))
        if rows:
            self._coi_update_rows(rows)

    def _coi_update_rows(self, rows):
        """One UPDATE of res_partner: for each row (id, timeliness values,
        dated values or None, new status or None), the timeliness, the dates
        and counts when the rows bring them, and where a row brings a new
        status, the status with the purchase rank and the write date (the
        API's "updated since")."""
        cr = self.env.cr
        names = list(TIMELINESS_FIELDS)
        types = ["int4", "date", "date", "int4", "int4", "int4", "numeric", "int4", "int4"]
        columns = [list(column) for column in zip(*(row[:-2] for row in rows), strict=True)]
        assignments = [
            SQL("%s = v.%s", SQL.identifier(name), SQL.identifier(name)) for name in names
        ]

        def where_new_status(name, source=None):
            # A row without a new status keeps the column as it is.
            return SQL(
                "%s = CASE WHEN v.has_status THEN %s ELSE p.%s END",
                SQL.identifier(name),
                source or SQL("v.%s", SQL.identifier(name)),
                SQL.identifier(name),
            )

        with_dates = rows[0][-2] is not None
        if with_dates:
            for index, name in enumerate(DATED_FIELDS):
                columns.append([row[-2][index] for row in rows])
                types.append(DATED_TYPES[index])
                assignments.append(SQL("%s = v.%s", SQL.identifier(name), SQL.identifier(name)))
                names.append(name)
        status_given = [bool(row[-1]) for row in rows]
        if any(status_given):
            columns.append([row[-1] or None for row in rows])
            columns.append([purchase_rank(row[-1]) if row[-1] else None for row in rows])
            columns.append(status_given)
            types += ["varchar", "int4", "bool"]
            names += ["coi_status", "coi_purchase_rank", "has_status"]
            assignments += [
                where_new_status("coi_status"),
                where_new_status("coi_purchase_rank"),
                where_new_status("write_date", SQL("%s", cr.now())),
                where_new_status("write_uid", SQL("%s", self.env.uid)),
            ]
        cr.execute(
            SQL(
                "UPDATE res_partner p SET %s FROM unnest(%s) AS v(id, %s) WHERE p.id = v.id",
                SQL(", ").join(assignments),
                SQL(", ").join(
                    SQL("%s::%s[]", column, SQL(kind))
                    for column, kind in zip(columns, types, strict=True)
                ),
                SQL(", ").join(SQL.identifier(name) for name in names),
            )
        )
        updated = self.env["res.partner"].browse(columns[0])
        fnames = [*TIMELINESS_FIELDS, *(DATED_FIELDS if with_dates else ())]
        updated.invalidate_recordset(fnames)
        updated.modified(fnames)
        if any(status_given):
            written = updated.browse(row[0] for row in rows if row[-1])
            written.invalidate_recordset(
                ["coi_status", "coi_purchase_rank", "write_date", "write_uid"]
            )
            # What follows the status (their contacts' ranks, purchase
            # orders) is recomputed; their own rank was written with it.
            with self.env.protecting([self._fields["coi_purchase_rank"]], written):
                written.modified(["coi_status"])

    def _coi_renewal_counts(self, today):
        """{vendor id: (renewals due, renewals received before expiry)} of
        these vendors: a policy that ran to its end (expired or replaced,
        its end come) is a renewal due; it came on time when a newer policy
        of the same vendor and coverage, not turned down, was received (its
        certificate's date, else the record's) on or before that end."""
        self.env["coi.policy"].flush_model(
            ["partner_id", "coverage_type_id", "expiration_date", "state", "certificate_id"]
        )
        self.env["coi.certificate"].flush_model(["state", "received_date"])
        self.env.cr.execute(
            SQL(
                """
                SELECT p.partner_id, COUNT(*),
                       COUNT(*) FILTER (WHERE EXISTS (
                           SELECT 1 FROM coi_policy n
                             LEFT JOIN coi_certificate c ON c.id = n.certificate_id
                            WHERE n.partner_id = p.partner_id
                              AND n.coverage_type_id = p.coverage_type_id
                              AND n.id != p.id
                              AND n.expiration_date > p.expiration_date
                              AND (c.id IS NULL OR c.state != %(rejected)s)
                              AND COALESCE(c.received_date, n.create_date)::date
                                  <= p.expiration_date))
                  FROM coi_policy p
                 WHERE p.partner_id = ANY(%(ids)s) AND p.state IN %(due)s
                   AND p.expiration_date <= %(today)s
                 GROUP BY p.partner_id
                """,
                rejected=CertificateState.REJECTED,
                ids=self.ids,
                due=RENEWAL_DUE_STATES,
                today=today,
            )
        )
        return {partner_id: (due, on_time) for partner_id, due, on_time in self.env.cr.fetchall()}

    @api.model
    def _coi_timeliness_daily(self, today):
        """The daily refresh: vendors asked and not compliant yet (their
        waiting grows by a day) and those asked or chased in the last days
        are scored again, without any change of their data."""
        asked = Domain("kind", "in", (NoticeKind.REQUEST, NoticeKind.CHASE))
        recent = Domain("date", ">=", fields.Date.subtract(today, days=TIMELINESS_NOTICE_DAYS))
        waiting = Domain("partner_id.coi_status", "in", BLOCKING_STATUSES)
        groups = (
            self.env["coi.notice"].sudo()._read_group(asked & (recent | waiting), ["partner_id"])
        )
        vendors = self.sudo().browse([partner.id for [partner] in groups]).commercial_partner_id
        for company, group in vendors.filtered("coi_status").grouped("company_id").items():
            group._coi_store_timeliness((company or self.env.company)._coi_today())

    def _coi_deficiency_text(self):
        """The vendor's deficiencies, one sentence a line."""
        lines = self.commercial_partner_id.coi_compliance_line_ids.filtered("is_deficient")
        return "\n".join(f"- {line.deficiency}" for line in lines if line.deficiency)

    def _coi_status_changed(self):
        """Hook: these vendors' insurance status just changed (the API module
        sends webhooks from here)."""

    def _coi_status_written(self, old_statuses):
        """These vendors' status was just written, their first evaluation
        included (`old_statuses`: id -> previous status). A covered vendor's
        request cycle closes (the chase stops); one that became tracked
        without cover is asked for certificates at once when its company
        requests automatically. Returns the vendors asked here (not those
        handed to the notice job)."""
        closed = self.filtered(lambda p: p.coi_request_date and requests.closes_cycle(p.coi_status))
        if closed:
            closed.with_context(mail_notrack=True).write({"coi_request_date": False})
        if self.env.context.get("coi_no_auto_request"):
            return self.browse()
        asked = self.filtered(
            lambda p: requests.becomes_requestable(old_statuses.get(p.id), p.coi_status)
            and (p.company_id or self.env.company).coi_auto_request
        )
        if len(asked) > INLINE_REQUESTS:
            asked._coi_queue_first_requests()
            return self.browse()
        if asked:
            self.env["coi.notice"]._queue_requests(asked)
        return asked

    def _coi_queue_first_requests(self):
        """Hand these vendors' first requests to the notice job, started at
        once: it sends them in committed batches (and with a second worker
        when many), where this transaction would hold them all."""
        self.with_context(mail_notrack=True).write({"coi_request_queued": True})
        self.env.ref("coi_tracking.ir_cron_coi_send_notices").sudo()._trigger()

    def _coi_open_cycle(self, day):
        """Open a request cycle on `day` for these vendors (none open): one
        write per cycle number. Neither field is tracked: without
        `mail_notrack` the chatter would keep every tracked value of each
        vendor until commit (a full recompute asking 100,000 vendors holds
        them all)."""
        opening = self.filtered(lambda p: not p.coi_request_date)
        for cycle, vendors in opening.grouped("coi_request_cycle").items():
            vendors.with_context(mail_notrack=True).write(
                {"coi_request_date": day, "coi_request_cycle": cycle + 1}
            )

    def _coi_upload_url(self):
        """Where this vendor (or its agent) can send certificates without a
        login. The core has no public route: the portal module gives one, and
        every notice that calls this gains the link."""
        self.ensure_one()
        return False

    def _message_post_after_hook(self, message, msg_vals):
        """An email reply on a tracked vendor's chatter (to a notice, to an
        answer to a question) is never lost: the COI team gets an activity
        to read it, and each PDF it carries also goes through the one intake
        door, as an email to the coi@ alias would."""
        result = super()._message_post_after_hook(message, msg_vals)
        if message.message_type == "email" and len(self) == 1 and self._coi_tracked() == self:
            self._coi_ask_team_to_read(message)
            if message.attachment_ids:
                self._coi_keep_replied_files(message)
        return result

    def _coi_ask_team_to_read(self, message):
        """One open "read the reply" activity per vendor for the COI team
        responsible: more replies before it is done join it."""
        self.ensure_one()
        vendor = self.sudo()
        kind = self.env.ref("coi_tracking.mail_activity_type_coi_reply")
        if vendor.activity_ids.filtered(lambda a: a.activity_type_id == kind):
            return
        company = vendor.company_id or self.env.company
        vendor.activity_schedule(
            "coi_tracking.mail_activity_type_coi_reply",
            summary=self.env._(
                "Read the reply of %s", message.author_id.name or message.email_from or ""
            ),
            note=message.subject or False,
            user_id=company._coi_team_user().id,
        )

    def _coi_keep_replied_files(self, message):
        self.ensure_one()
        pdfs = message.attachment_ids.sudo().filtered(
            lambda a: a.raw and sniff(a.raw[:1024]) == "pdf"
        )
        if not pdfs:
            return
        certificate, refused = (
            self.env["coi.certificate"]
            .sudo()
            ._coi_submit(
                self,
                [(a.name, a.raw) for a in pdfs],
                CertificateSource.EMAIL,
                submitted_by=message.author_id or None,
                company=self.company_id or self.env.company,
                note=message.subject or False,
            )
        )
        if certificate:
            self.sudo().message_post(
                body=self.env._(
                    "The PDF sent with this reply was kept as certificate %s, to be read "
                    "and reviewed.",
                    certificate.name,
                ),
                parent_id=message.id,
                message_type="notification",
                subtype_xmlid="mail.mt_note",
            )
        for name, reason in refused:
            self.sudo().message_post(
                body=self.env._("%(file)s could not be kept: %(reason)s", file=name, reason=reason),
                message_type="notification",
                subtype_xmlid="mail.mt_note",
            )

    def action_coi_upload_certificate(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Upload Certificate"),
            "res_model": "coi.certificate",
            "view_mode": "form",
            "target": "current",
            "context": {
                "default_partner_id": self.commercial_partner_id.id,
                "default_source": "backend",
            },
        }

    def action_coi_view_policies(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("coi_tracking.action_coi_policy")
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"default_partner_id": self.commercial_partner_id.id}
        return action

    def action_coi_view_certificates(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "coi_tracking.action_coi_certificate"
        )
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"default_partner_id": self.commercial_partner_id.id}
        return action

    def action_coi_request_certificates(self):
        """ "Request Certificates" on a selection of vendors: the wizard that
        hands them to the background job."""
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Request Certificates"),
            "res_model": "coi.request.certificates",
            "view_mode": "form",
            "target": "new",
            "context": {"default_partner_ids": self.commercial_partner_id.ids},
        }

    def action_coi_recompute(self):
        self._coi_tracked()._coi_refresh()
        return True

    @api.model
    def _coi_recompute_all(self, batch_size=1000):
        """Re-evaluate every tracked vendor (after a configuration change, or
        to measure); batched so memory stays flat."""
        # The ids in one query: the tracked domain is an OR that no index
        # serves, so a search per batch would scan the table again each time.
        ids = self.search(self._coi_tracked_domain(), order="id").ids
        for start in range(0, len(ids), batch_size):
            self.browse(ids[start : start + batch_size])._coi_refresh()
            self.env.invalidate_all()

    @api.model
    def _cron_refresh_compliance(self, batch_size=1000):
        """Daily: expire policies whose date has come, then re-evaluate every
        vendor whose status the calendar may have changed (its recheck date has
        come) or that was handed over by a large change, in committed batches
        so a crash loses nothing."""
        today = self.env.company._coi_today()
        self.env["coi.policy"]._cron_expire_policies(today)
        self.env["coi.deviation"]._cron_end_deviations()  # their vendors join too
        # The vendors of the expired policies join the batches below.
        dirty = self.env.cr.precommit.data.pop(DIRTY_KEY, None)
        if dirty:
            self.browse(sorted(dirty)).exists().write({"coi_recheck_date": today})
        domain = [("coi_recheck_date", "<=", today)]
        in_cron = bool(self.env.context.get("cron_id"))
        while True:
            partners = lock_batch(self.search(domain, limit=batch_size, order="id"))
            if not partners:
                break  # none left, or another worker is refreshing them
            partners._coi_refresh()
            # A vendor whose next change is not later than today is parked
            # until its data changes again.
            partners.filtered(lambda p: p.coi_recheck_date and p.coi_recheck_date <= today).write(
                {"coi_recheck_date": False}
            )
            if in_cron:
                self.env["ir.cron"]._commit_progress(
                    len(partners), remaining=self.search_count(domain)
                )
            self.env.invalidate_all()
        self._coi_timeliness_daily(today)
