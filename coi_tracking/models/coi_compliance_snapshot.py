# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.tools import SQL

from ..engine.vocabulary import BLOCKING_STATUSES, NOT_INSURED_STATUSES, VendorStatus


class CoiComplianceSnapshot(models.Model):
    """The network's figures of one day and company, taken by a daily job
    and kept for years, so that the compliance rate can be drawn over time."""

    _name = "coi.compliance.snapshot"
    _description = "Insurance Compliance Snapshot"
    _order = "date desc, company_id"
    _rec_name = "date"

    date = fields.Date(required=True, readonly=True, index=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    vendor_count = fields.Integer(string="Vendors", readonly=True)
    compliant_count = fields.Integer(string="Compliant", readonly=True)
    expiring_count = fields.Integer(string="Expiring", readonly=True)
    non_compliant_count = fields.Integer(string="Non-Compliant", readonly=True)
    pending_review_count = fields.Integer(string="Pending Review", readonly=True)
    exempt_count = fields.Integer(
        string="Exempt or Not Required",
        readonly=True,
    )
    compliance_rate = fields.Float(
        string="Compliance Rate (%)",
        readonly=True,
        aggregator="avg",
        digits=(5, 1),
        help="Compliant and expiring vendors among those that must be insured.",
    )
    spend_at_risk = fields.Monetary(readonly=True)

    _date_company_unique = models.Constraint(
        "UNIQUE(date, company_id)", "One snapshot per day and company."
    )

    @api.model
    def _cron_take_snapshot(self):
        self._take_snapshot(self.env.company._coi_today())

    @api.model
    def _take_snapshot(self, on_date):
        """Count the vendors of each company by status on `on_date` (shared
        vendors count for every company). Taking it again the same day
        updates that day's row: one row per day and company."""
        orders = self.env["purchase.order"]
        self.env.flush_all()
        for company in self.env["res.company"].sudo().search([]):
            spend = orders.with_company(company)._coi_spend_sql()
            self.env.cr.execute(
                SQL(
                    """
                    INSERT INTO coi_compliance_snapshot (
                        date, company_id, vendor_count, compliant_count, expiring_count,
                        non_compliant_count, pending_review_count, exempt_count,
                        compliance_rate, spend_at_risk,
                        create_uid, create_date, write_uid, write_date)
                    SELECT %(date)s, %(company)s, c.total, c.compliant, c.expiring,
                           c.non_compliant, c.pending, c.exempt,
                           ROUND(100.0 * (c.compliant + c.expiring)
                                 / NULLIF(c.total - c.exempt, 0), 1),
                           c.at_risk, %(uid)s, now() at time zone 'utc',
                           %(uid)s, now() at time zone 'utc'
                      FROM (
                        SELECT COUNT(*) AS total,
                               COUNT(*) FILTER (WHERE p.coi_status = %(compliant)s)
                                   AS compliant,
                               COUNT(*) FILTER (WHERE p.coi_status = %(expiring)s) AS expiring,
                               COUNT(*) FILTER (WHERE p.coi_status = %(non_compliant)s)
                                   AS non_compliant,
                               COUNT(*) FILTER (WHERE p.coi_status = %(pending_review)s)
                                   AS pending,
                               COUNT(*) FILTER (WHERE p.coi_status IN %(not_insured)s)
                                   AS exempt,
                               COALESCE(SUM(sp.spend_12m) FILTER (
                                   WHERE p.coi_status IN %(blocking)s), 0) AS at_risk
                          FROM res_partner p
                          LEFT JOIN (%(spend)s) sp ON sp.partner_id = p.id
                         WHERE p.coi_status IS NOT NULL AND p.parent_id IS NULL AND p.active
                           AND (p.company_id IS NULL OR p.company_id = %(company)s)
                      ) c
                    ON CONFLICT (date, company_id) DO UPDATE SET
                        vendor_count = EXCLUDED.vendor_count,
                        compliant_count = EXCLUDED.compliant_count,
                        expiring_count = EXCLUDED.expiring_count,
                        non_compliant_count = EXCLUDED.non_compliant_count,
                        pending_review_count = EXCLUDED.pending_review_count,
                        exempt_count = EXCLUDED.exempt_count,
                        compliance_rate = EXCLUDED.compliance_rate,
                        spend_at_risk = EXCLUDED.spend_at_risk,
                        write_uid = EXCLUDED.write_uid,
                        write_date = EXCLUDED.write_date
                    """,
                    date=on_date,
                    company=company.id,
                    uid=self.env.uid,
                    compliant=VendorStatus.COMPLIANT,
                    expiring=VendorStatus.EXPIRING,
                    non_compliant=VendorStatus.NON_COMPLIANT,
                    pending_review=VendorStatus.PENDING_REVIEW,
                    not_insured=NOT_INSURED_STATUSES,
                    blocking=BLOCKING_STATUSES,
                    spend=spend,
                )
            )
        self.env.invalidate_all()
