# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.tools import SQL

from ..engine.timeliness import LATENESS_SPAN
from ..engine.vocabulary import (
    ATTENTION_STATUSES,
    BLOCKING_STATUSES,
    EXPIRY_WINDOW_SELECTION,
    RISK_TIER_SELECTION,
    TIER_WEIGHTS,
    VENDOR_STATUS_SELECTION,
)
from .coi_compliance_report import expiry_window_sql


class CoiVendorRisk(models.Model):
    """One row per tracked vendor: its status, risk tier (the highest of its
    requirement sets), timeliness and purchase volume in the current company.
    The ranked list sorts vendors that need attention by spend x tier weight
    x lateness (1 for a vendor always on time, up to 2 for one always late:
    `engine.timeliness.lateness`)."""

    _name = "coi.vendor.risk"
    _description = "Vendor Insurance Risk"
    _auto = False
    _order = "risk_score desc, tier_weight desc, next_expiry, id"
    _rec_name = "partner_id"
    _depends = {
        "coi.compliance.line": ["partner_id", "requirement_set_id"],
        "coi.requirement.set": ["risk_tier"],
        "purchase.order": [
            "partner_id",
            "state",
            "company_id",
            "date_approve",
            "invoice_status",
            "amount_untaxed",
            "currency_rate",
        ],
        "res.partner": [
            "ref",
            "company_id",
            "coi_status",
            "coi_deficiency_count",
            "coi_next_expiry",
            "coi_timeliness_score",
            "coi_days_to_compliant",
            "coi_compliant_since",
            "coi_open_chase_steps",
            "state_id",
            "country_id",
            "buyer_id",
            "active",
            "parent_id",
            "category_id",
            "commercial_partner_id",
        ],
    }

    partner_id = fields.Many2one("res.partner", string="Vendor", readonly=True)
    vendor_ref = fields.Char(string="Contractor ID", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    status = fields.Selection(VENDOR_STATUS_SELECTION, string="Insurance Status", readonly=True)
    needs_attention = fields.Boolean(readonly=True)
    deficiency_count = fields.Integer(string="Deficiencies", readonly=True)
    next_expiry = fields.Date(readonly=True)
    days_to_expiry = fields.Integer(readonly=True, aggregator="min")
    expiry_window = fields.Selection(EXPIRY_WINDOW_SELECTION, readonly=True)
    risk_tier = fields.Selection(RISK_TIER_SELECTION, readonly=True)
    tier_weight = fields.Integer(readonly=True, aggregator="max")
    spend_12m = fields.Monetary(string="Spend (12 Months)", readonly=True)
    open_po_count = fields.Integer(string="Open Orders", readonly=True)
    open_po_amount = fields.Monetary(string="Open Orders Amount", readonly=True)
    spend_at_risk = fields.Monetary(
        readonly=True, help="The last 12 months' spend when the vendor is not compliant."
    )
    timeliness_score = fields.Integer(
        string="Timeliness",
        readonly=True,
        aggregator="avg",
        help="0 to 100: speed to compliance, renewals before expiry, no open chase steps.",
    )
    days_to_compliant = fields.Integer(readonly=True, aggregator="avg")
    open_chase_steps = fields.Integer(readonly=True)
    lateness = fields.Float(
        readonly=True,
        digits=(3, 2),
        aggregator="max",
        help="1 for a vendor always on time (timeliness 100) up to 2 for one always late "
        "(timeliness 0).",
    )
    risk_score = fields.Float(
        readonly=True,
        help="Spend of the last 12 months x risk tier weight (1 to 4) x lateness (1 to 2).",
    )
    state_id = fields.Many2one("res.country.state", string="State", readonly=True)
    country_id = fields.Many2one("res.country", readonly=True)
    buyer_id = fields.Many2one("res.users", string="Buyer", readonly=True)
    category_ids = fields.Many2many(
        "res.partner.category",
        "res_partner_res_partner_category_rel",
        "partner_id",
        "category_id",
        string="Vendor Tags",
        readonly=True,
    )

    @api.model
    def _tier_weight_sql(self, column):
        return SQL(
            "CASE %s %s END",
            column,
            SQL(" ").join(SQL("WHEN %s THEN %s", tier, w) for tier, w in TIER_WEIGHTS.items()),
        )

    @property
    def _table_query(self):
        weight = self._tier_weight_sql(SQL("s.risk_tier"))
        tier_of = SQL(" ").join(SQL("WHEN %s THEN %s", w, tier) for tier, w in TIER_WEIGHTS.items())
        today = self.env.company._coi_today()
        return SQL(
            """
            WITH tiers AS (
                SELECT l.partner_id, MAX(%(weight)s) AS weight
                  FROM coi_compliance_line l
                  JOIN coi_requirement_set s ON s.id = l.requirement_set_id
                 GROUP BY l.partner_id
            ), spend AS (%(spend)s)
            SELECT p.id,
                   p.id AS partner_id,
                   p.ref AS vendor_ref,
                   p.company_id,
                   %(currency)s AS currency_id,
                   p.coi_status AS status,
                   p.coi_status IN %(attention)s AS needs_attention,
                   p.coi_deficiency_count AS deficiency_count,
                   p.coi_next_expiry AS next_expiry,
                   p.coi_next_expiry - %(today)s::date AS days_to_expiry,
                   %(window)s AS expiry_window,
                   CASE t.weight %(tier_of)s END AS risk_tier,
                   COALESCE(t.weight, 1) AS tier_weight,
                   COALESCE(sp.spend_12m, 0) AS spend_12m,
                   COALESCE(sp.open_count, 0) AS open_po_count,
                   COALESCE(sp.open_amount, 0) AS open_po_amount,
                   CASE WHEN p.coi_status IN %(blocking)s THEN COALESCE(sp.spend_12m, 0)
                        ELSE 0 END AS spend_at_risk,
                   p.coi_timeliness_score AS timeliness_score,
                   CASE WHEN p.coi_compliant_since IS NOT NULL
                        THEN p.coi_days_to_compliant END AS days_to_compliant,
                   COALESCE(p.coi_open_chase_steps, 0) AS open_chase_steps,
                   %(lateness)s AS lateness,
                   COALESCE(sp.spend_12m, 0) * COALESCE(t.weight, 1) * %(lateness)s AS risk_score,
                   p.state_id,
                   p.country_id,
                   p.buyer_id
              FROM res_partner p
              LEFT JOIN tiers t ON t.partner_id = p.id
              LEFT JOIN spend sp ON sp.partner_id = p.id
             WHERE p.coi_status IS NOT NULL AND p.parent_id IS NULL AND p.active
            """,
            weight=weight,
            spend=self.env["purchase.order"]._coi_spend_sql(),
            currency=self.env.company.currency_id.id,
            attention=ATTENTION_STATUSES,
            window=expiry_window_sql(SQL("p.coi_next_expiry"), today),
            today=today,
            tier_of=tier_of,
            blocking=BLOCKING_STATUSES,
            lateness=SQL(
                "(1 + %s::numeric"
                " * (100 - LEAST(GREATEST(COALESCE(p.coi_timeliness_score, 100), 0), 100))"
                " / 100)",
                LATENESS_SPAN,
            ),
        )

    def action_open_requirements(self):
        """From a vendor down to each of its requirement items."""
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "coi_tracking.action_coi_compliance_report_list"
        )
        action["domain"] = [("partner_id", "in", self.partner_id.ids)]
        action["display_name"] = self.env._("Requirement items of %s", self.partner_id.name)
        return action

    def action_open_vendor(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "res.partner",
            "res_id": self.partner_id.id,
            "views": [(False, "form")],
        }
