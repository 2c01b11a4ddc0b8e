# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.fields import Domain

from ..engine.vocabulary import IN_FORCE_HISTORY_STATES


class CoiCoverageDate(models.TransientModel):
    """Who covered a vendor on a given day (after an accident, the claims
    team asks): the policies in force that day, whether still active or since
    expired, renewed or cancelled, with the insurer and its NAIC code, the
    agent to call and the certificate the policy came from. Printable."""

    _name = "coi.coverage.date"
    _description = "Coverage on a Date"
    _check_company_auto = True

    partner_id = fields.Many2one(
        "res.partner",
        string="Vendor",
        required=True,
        check_company=True,
        domain=[("is_company", "=", True)],
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    on_date = fields.Date(
        string="Date",
        required=True,
        default=lambda self: self.env.company._coi_today(),
        help="The day asked about, e.g. the day of the accident.",
    )
    policy_ids = fields.Many2many(
        "coi.policy", string="Policies in Force", compute="_compute_coverage"
    )
    coverage_html = fields.Html(string="Coverage", compute="_compute_coverage")

    @api.depends("partner_id", "on_date")
    def _compute_coverage(self):
        for wizard in self:
            if not (wizard.partner_id and wizard.on_date):
                wizard.policy_ids = False
                wizard.coverage_html = False
                continue
            policies = self._coi_in_force(wizard.partner_id, wizard.on_date)
            wizard.policy_ids = policies
            wizard.coverage_html = self.env["ir.qweb"]._render(
                "coi_tracking.coverage_on_date_table",
                {
                    "vendor": wizard.partner_id.commercial_partner_id,
                    "on_date": wizard.on_date,
                    "rows": self._coi_coverage_rows(policies, wizard.on_date),
                },
            )

    @api.model
    def _coi_in_force(self, vendor, on_date):
        """The vendor's policies in force on `on_date`, as the current user
        may read them: effective by then, not expired before it (a policy
        ending that day still covers its first minute) and not cancelled
        before it; drafts never count."""
        domain = Domain(
            [
                ("partner_id", "=", vendor.commercial_partner_id.id),
                ("state", "in", IN_FORCE_HISTORY_STATES),
                ("effective_date", "<=", on_date),
                ("expiration_date", ">=", on_date),
            ]
        ) & (Domain("cancellation_date", "=", False) | Domain("cancellation_date", ">=", on_date))
        policies = self.env["coi.policy"].search(domain)
        return policies.sorted(lambda p: (p.coverage_type_id.sequence, p.coverage_type_id.id, p.id))

    @api.model
    def _coi_coverage_rows(self, policies, on_date):
        """One dict per policy: what the claims team needs to call the insurer
        and the agent, and the certificate file (a download link only for a
        file the current user may read)."""
        rows = []
        for policy in policies:
            agent = policy.agent_id or policy.partner_id.coi_agent_id
            contact = agent.child_ids.filtered("email")[:1] or agent
            certificate = policy.certificate_id
            document = certificate.document_id or certificate.attachment_ids.sorted("id")[:1]
            document = document._filtered_access("read")
            ends = [d for d in (policy.expiration_date, policy.cancellation_date) if d]
            rows.append(
                {
                    "policy": policy,
                    "coverage": policy.coverage_type_id.name,
                    "coverage_code": policy.coverage_type_id.code,
                    "number": policy.name,
                    "state": policy.state,
                    "state_label": dict(
                        policy._fields["state"]._description_selection(self.env)
                    ).get(policy.state),
                    "effective_date": policy.effective_date,
                    "expiration_date": policy.expiration_date,
                    "cancellation_date": policy.cancellation_date or None,
                    "ends_that_day": min(ends) == on_date,
                    "insurer": policy.insurer_id.name or None,
                    "naic": policy.insurer_id.coi_naic_code or None,
                    "agent": {
                        "name": agent.name or "",
                        "contact": (contact.name or None) if contact != agent else None,
                        "email": contact.email or agent.email or None,
                        "phone": contact.phone or agent.phone or None,
                    }
                    if agent
                    else None,
                    "certificate": {
                        "reference": certificate.name,
                        "filename": document.name or None,
                        "url": f"/web/content/{document.id}?download=true" if document else None,
                    }
                    if certificate
                    else None,
                }
            )
        return rows

    def action_print(self):
        self.check_access("read")
        return self.env.ref("coi_tracking.action_report_coverage_on_date").report_action(self)
