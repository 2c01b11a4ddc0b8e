# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.tools import SQL

from ..engine.vocabulary import (
    BLOCKING_STATUSES,
    IN_COMPLIANCE_STATUSES,
    NOT_INSURED_STATUSES,
    PENDING_STATES,
)


class CoiComplianceDashboard(models.Model):
    """The morning figures of the current company, one card: compliance
    rate, spend at risk, expiring this month, certificates to review. Each
    figure opens the records behind it."""

    _name = "coi.compliance.dashboard"
    _description = "Insurance Compliance Dashboard"
    _auto = False
    _rec_name = "company_id"
    _depends = {
        "coi.certificate": ["state", "company_id"],
        "res.partner": ["coi_status", "coi_next_expiry", "company_id"],
    }

    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    vendor_count = fields.Integer(string="Vendors", readonly=True)
    insured_count = fields.Integer(string="Vendors Required to Be Insured", readonly=True)
    compliance_rate = fields.Float(string="Compliance Rate (%)", readonly=True, digits=(5, 1))
    non_compliant_count = fields.Integer(string="Not Compliant", readonly=True)
    spend_at_risk = fields.Monetary(readonly=True)
    expiring_month_count = fields.Integer(string="Expiring This Month", readonly=True)
    review_count = fields.Integer(string="Certificates to Review", readonly=True)

    @property
    def _table_query(self):
        company = self.env.company
        today = company._coi_today()
        return SQL(
            """
            SELECT %(company)s AS id,
                   %(company)s AS company_id,
                   %(currency)s AS currency_id,
                   COUNT(v.id) AS vendor_count,
                   COUNT(v.id) FILTER (WHERE v.status NOT IN %(not_insured)s) AS insured_count,
                   ROUND(100.0 * COUNT(v.id) FILTER (WHERE v.status IN %(in_compliance)s)
                         / NULLIF(COUNT(v.id) FILTER (
                               WHERE v.status NOT IN %(not_insured)s), 0), 1)
                       AS compliance_rate,
                   COUNT(v.id) FILTER (WHERE v.status IN %(blocking)s) AS non_compliant_count,
                   COALESCE(SUM(v.spend_at_risk), 0) AS spend_at_risk,
                   COUNT(v.id) FILTER (
                       WHERE v.next_expiry >= %(today)s::date
                         AND v.next_expiry < %(next_month)s::date
                   ) AS expiring_month_count,
                   (SELECT COUNT(*) FROM coi_certificate c
                     WHERE c.state IN %(pending)s AND c.company_id = %(company)s)
                       AS review_count
              FROM (%(vendors)s) v
             WHERE v.company_id IS NULL OR v.company_id = %(company)s
            """,
            company=company.id,
            currency=company.currency_id.id,
            today=today,
            next_month=fields.Date.add(fields.Date.start_of(today, "month"), months=1),
            pending=PENDING_STATES,
            not_insured=NOT_INSURED_STATUSES,
            in_compliance=IN_COMPLIANCE_STATUSES,
            blocking=BLOCKING_STATUSES,
            vendors=self.env["coi.vendor.risk"]._table_query,
        )

    def _compute_display_name(self):
        for dashboard in self:
            dashboard.display_name = self.env._(
                "Insurance Dashboard: %s", dashboard.company_id.name
            )

    @api.model
    def _action_open_dashboard(self):
        """The dashboard of the current company (its record id is the
        company's)."""
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Insurance Dashboard"),
            "res_model": self._name,
            "res_id": self.env.company.id,
            "views": [(self.env.ref("coi_tracking.coi_compliance_dashboard_view_form").id, "form")],
            "target": "current",
        }

    def _open(self, xmlid, domain=None, context=None):
        action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
        if domain is not None:
            action["domain"] = domain
        if context is not None:
            action["context"] = context
        return action

    def action_open_analysis(self):
        return self._open("coi_tracking.action_coi_compliance_report")

    def action_open_at_risk(self):
        return self._open(
            "coi_tracking.action_coi_vendor_risk",
            context={"search_default_not_compliant": 1},
        )

    def action_open_expiring_month(self):
        today = self.env.company._coi_today()
        first_next = fields.Date.add(fields.Date.start_of(today, "month"), months=1)
        return self._open(
            "coi_tracking.action_coi_vendor_risk",
            domain=[("next_expiry", ">=", today), ("next_expiry", "<", first_next)],
            context={},
        )

    def action_open_review(self):
        return self._open(
            "coi_tracking.action_coi_certificate",
            domain=[("state", "in", PENDING_STATES)],
            context={},
        )

    def action_open_trend(self):
        return self._open("coi_tracking.action_coi_compliance_snapshot")
