# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models
from odoo.tools import SQL

from ..engine.vocabulary import (
    EXPIRY_WINDOW_DAYS,
    EXPIRY_WINDOW_SELECTION,
    LINE_IN_COMPLIANCE_STATUSES,
    LINE_STATUS_SELECTION,
    RISK_TIER_SELECTION,
    VENDOR_STATUS_SELECTION,
    ExpiryWindow,
)


def expiry_window_sql(column, today):
    """The expiry window of a date column, counted from `today` (the
    company's) at query time: a report row never keeps a date computed
    yesterday."""
    windows = SQL(" ").join(
        SQL("WHEN %s <= %s::date + %s THEN %s", column, today, days, window)
        for window, days in EXPIRY_WINDOW_DAYS
    )
    return SQL(
        """CASE WHEN %(d)s IS NULL THEN NULL
                WHEN %(d)s < %(today)s::date THEN %(expired)s
                %(windows)s
                ELSE %(later)s END""",
        d=column,
        today=today,
        expired=ExpiryWindow.EXPIRED,
        windows=windows,
        later=ExpiryWindow.LATER,
    )


class CoiComplianceReport(models.Model):
    """Compliance analysis: one row per vendor and required coverage, with
    the vendor's attributes to slice by (pivot, graph, list)."""

    _name = "coi.compliance.report"
    _description = "Insurance Compliance Analysis"
    _auto = False
    _order = "partner_id, sequence, id"
    _rec_name = "partner_id"
    _depends = {
        "coi.compliance.line": [
            "partner_id",
            "sequence",
            "coverage_type_id",
            "requirement_set_id",
            "status",
            "is_deficient",
            "deficiency",
            "policy_id",
            "expiration_date",
            "deviation_id",
        ],
        "coi.deviation": ["end_date", "approved_by_id"],
        "coi.requirement.set": ["risk_tier"],
        "res.partner": [
            "ref",
            "company_id",
            "coi_status",
            "coi_next_expiry",
            "coi_timeliness_score",
            "state_id",
            "country_id",
            "buyer_id",
            "active",
        ],
    }

    partner_id = fields.Many2one("res.partner", string="Vendor", readonly=True)
    vendor_ref = fields.Char(string="Contractor ID", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    sequence = fields.Integer(readonly=True)
    coverage_type_id = fields.Many2one("coi.coverage.type", string="Coverage", readonly=True)
    requirement_set_id = fields.Many2one(
        "coi.requirement.set", string="Requirement Set", readonly=True
    )
    risk_tier = fields.Selection(RISK_TIER_SELECTION, readonly=True)
    status = fields.Selection(LINE_STATUS_SELECTION, string="Item Status", readonly=True)
    vendor_status = fields.Selection(VENDOR_STATUS_SELECTION, readonly=True)
    in_compliance = fields.Boolean(readonly=True)
    deficiency_kind = fields.Selection(
        LINE_STATUS_SELECTION,
        readonly=True,
        help="The item's status when it is deficient: what kind of problem it is.",
    )
    deficiency = fields.Text(readonly=True)
    policy_id = fields.Many2one("coi.policy", string="Policy", readonly=True)
    expiration_date = fields.Date(string="Policy Expiry", readonly=True)
    days_to_expiry = fields.Integer(readonly=True, aggregator="min")
    expiry_window = fields.Selection(EXPIRY_WINDOW_SELECTION, readonly=True)
    next_expiry = fields.Date(string="Vendor's Next Expiry", readonly=True)
    deviation_id = fields.Many2one("coi.deviation", string="Deviation", readonly=True)
    deviation_until = fields.Date(string="Deviation Until", readonly=True)
    deviation_approved_by_id = fields.Many2one(
        "res.users", string="Deviation Accepted By", readonly=True
    )
    state_id = fields.Many2one("res.country.state", string="State", readonly=True)
    country_id = fields.Many2one("res.country", readonly=True)
    buyer_id = fields.Many2one("res.users", string="Buyer", readonly=True)
    category_ids = fields.Many2many(
        related="partner_id.category_id", string="Vendor Tags", readonly=True
    )
    vendor_timeliness = fields.Integer(
        string="Vendor Timeliness",
        readonly=True,
        aggregator="avg",
        help="The vendor's timeliness score (0 to 100), on each of its items.",
    )
    vendor_count = fields.Integer(
        string="Vendors",
        readonly=True,
        help="1 on each vendor's first item (sequence 0): sums to the number of vendors.",
    )

    @property
    def _table_query(self):
        today = self.env.company._coi_today()
        return SQL(
            """
            SELECT l.id,
                   l.partner_id,
                   p.ref AS vendor_ref,
                   p.company_id,
                   l.sequence,
                   l.coverage_type_id,
                   l.requirement_set_id,
                   s.risk_tier,
                   l.status,
                   p.coi_status AS vendor_status,
                   l.status IN %(in_compliance)s AS in_compliance,
                   CASE WHEN l.is_deficient THEN l.status END AS deficiency_kind,
                   l.deficiency,
                   l.policy_id,
                   l.expiration_date,
                   l.expiration_date - %(today)s::date AS days_to_expiry,
                   %(window)s AS expiry_window,
                   p.coi_next_expiry AS next_expiry,
                   l.deviation_id,
                   d.end_date AS deviation_until,
                   d.approved_by_id AS deviation_approved_by_id,
                   p.state_id,
                   p.country_id,
                   p.buyer_id,
                   p.coi_timeliness_score AS vendor_timeliness,
                   (l.sequence = 0)::int AS vendor_count
              FROM coi_compliance_line l
              JOIN res_partner p ON p.id = l.partner_id
              LEFT JOIN coi_requirement_set s ON s.id = l.requirement_set_id
              LEFT JOIN coi_deviation d ON d.id = l.deviation_id
             WHERE p.active
            """,
            window=expiry_window_sql(SQL("l.expiration_date"), today),
            in_compliance=LINE_IN_COMPLIANCE_STATUSES,
            today=today,
        )
