# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models

from ..tools import lock_batch
from .coi_requirement_set import AM_BEST_SELECTION

COI_STATUS_SELECTION = [
    ("compliant", "Compliant"),
    ("expiring", "Expiring"),
    ("non_compliant", "Non-Compliant"),
    ("pending_review", "Pending Review"),
    ("not_required", "Not Required"),
    ("exempt", "Exempt"),
]
# Vendors in these states may not get purchase orders in "block" mode.
COI_BLOCKING_STATUSES = ("non_compliant", "pending_review")
# Larger batches are refreshed by the cron, triggered at once, so that a
# request never waits on thousands of evaluations.
SYNC_LIMIT = 500


class ResPartner(models.Model):
    _inherit = "res.partner"

    # Changes are logged in the chatter in batch by the compliance refresh.
    coi_status = fields.Selection(
        COI_STATUS_SELECTION,
        string="Insurance Status",
        index=True,
        copy=False,
        readonly=True,
    )
    coi_next_expiry = fields.Date(string="Next Policy Expiry", readonly=True, copy=False)
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
    coi_am_best_rating = fields.Selection(AM_BEST_SELECTION, string="AM Best Rating")
    coi_policy_ids = fields.One2many("coi.policy", "partner_id", string="Insurance Policies")
    coi_certificate_ids = fields.One2many("coi.certificate", "partner_id", string="Certificates")
    coi_compliance_line_ids = fields.One2many(
        "coi.compliance.line", "partner_id", string="Insurance Checklist"
    )
    coi_policy_count = fields.Integer(compute="_compute_coi_counts")
    coi_certificate_count = fields.Integer(compute="_compute_coi_counts")

    @api.depends("coi_policy_ids", "coi_certificate_ids")
    def _compute_coi_counts(self):
        policies = dict(
            self.env["coi.policy"]._read_group(
                [("partner_id", "in", self.ids), ("state", "in", ("active", "draft"))],
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

    @api.model_create_multi
    def create(self, vals_list):
        partners = super().create(vals_list)
        partners.filtered(lambda p: p._coi_is_tracked())._coi_recompute()
        return partners

    def write(self, vals):
        res = super().write(vals)
        if {
            "coi_requirement_set_ids",
            "category_id",
            "coi_exempt",
            "coi_exempt_until",
            "supplier_rank",
            "company_id",
            "parent_id",
        } & set(vals):
            self._coi_recompute()
        if "coi_am_best_rating" in vals:
            insured = self.env["coi.policy"].sudo().search([("insurer_id", "in", self.ids)])
            insured.partner_id._coi_recompute()
        return res

    def _coi_is_tracked(self):
        self.ensure_one()
        return bool(
            self.supplier_rank
            or self.coi_requirement_set_ids
            or self.category_id
            or self.coi_status
        )

    def _coi_recompute(self, on_date=None):
        """Re-evaluate the insurance compliance of these vendors (their
        commercial partners) and store the result."""
        if self.env.context.get("coi_skip_recompute"):
            return
        # Only vendors: companies with requirements, policies or a status
        # (an agency whose contact changes is not evaluated).
        partners = self.commercial_partner_id.filtered(
            lambda p: p.coi_status
            or p.supplier_rank
            or p.coi_requirement_set_ids
            or p.category_id
            or p.coi_policy_ids
            or p.coi_certificate_ids
        )
        if not partners:
            return
        if len(partners) > SYNC_LIMIT and not self.env.context.get("coi_recompute_now"):
            partners.sudo().write({"coi_recheck_date": fields.Date.context_today(self)})
            self.env.ref("coi_tracking.ir_cron_coi_refresh_compliance").sudo()._trigger()
            return
        on_date = on_date or fields.Date.context_today(self)
        self.env["coi.compliance.line"]._refresh(partners, on_date)

    @api.model
    def _coi_tracked_domain(self):
        return [
            ("parent_id", "=", False),
            "|",
            "|",
            ("supplier_rank", ">", 0),
            ("coi_status", "!=", False),
            ("coi_requirement_set_ids", "!=", False),
        ]

    def _coi_deficiency_text(self):
        """The vendor's deficiencies, one sentence a line."""
        lines = self.commercial_partner_id.coi_compliance_line_ids.filtered("is_deficient")
        return "\n".join(f"- {line.deficiency}" for line in lines if line.deficiency)

    def _coi_status_changed(self):
        """Hook: these vendors' insurance status just changed (the API module
        sends webhooks from here)."""

    def _coi_upload_url(self):
        """Where this vendor (or its agent) can send certificates without a
        login. The core has no public route: the portal module gives one, and
        every notice that calls this gains the link."""
        self.ensure_one()
        return False

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

    def action_coi_recompute(self):
        self.with_context(coi_recompute_now=True)._coi_recompute()
        return True

    @api.model
    def _coi_recompute_all(self, batch_size=1000):
        """Re-evaluate every tracked vendor (after a configuration change, or
        to measure); batched so memory stays flat."""
        on_date = fields.Date.context_today(self)
        # The ids in one query: the tracked domain is an OR that no index
        # serves, so a search per batch would scan the table again each time.
        ids = self.search(self._coi_tracked_domain(), order="id").ids
        for start in range(0, len(ids), batch_size):
            self.env["coi.compliance.line"]._refresh(
                self.browse(ids[start : start + batch_size]), on_date
            )
            self.env.invalidate_all()

    @api.model
    def _cron_refresh_compliance(self, batch_size=1000):
        """Daily: expire policies whose date has come, then re-evaluate every
        vendor whose status the calendar may have changed (its recheck date has
        come), in committed batches so a crash loses nothing."""
        today = fields.Date.context_today(self)
        self.env["coi.policy"].with_context(coi_skip_recompute=True)._cron_expire_policies(today)
        domain = [("coi_recheck_date", "<=", today)]
        in_cron = bool(self.env.context.get("cron_id"))
        while True:
            partners = lock_batch(self.search(domain, limit=batch_size, order="id"))
            if not partners:
                break  # none left, or another worker is refreshing them
            self.env["coi.compliance.line"]._refresh(partners, today)
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
