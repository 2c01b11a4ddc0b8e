# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models

from ..engine import AM_BEST_RATINGS, Requirement

AM_BEST_SELECTION = [(rating, rating) for rating in AM_BEST_RATINGS]


class CoiRequirementSet(models.Model):
    _name = "coi.requirement.set"
    _description = "Insurance Requirement Set"
    _inherit = ["mail.thread"]
    _order = "sequence, name, id"

    name = fields.Char(required=True, translate=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one(
        "res.company",
        index=True,
        help="Leave empty to share this set between companies.",
    )
    currency_id = fields.Many2one(
        "res.currency",
        required=True,
        default=lambda self: self.env.company.currency_id,
    )
    risk_tier = fields.Selection(
        [("low", "Low"), ("medium", "Medium"), ("high", "High"), ("critical", "Critical")],
        required=True,
        default="medium",
        tracking=True,
    )
    description = fields.Text(translate=True, help="Shown to contractors with the requirements.")
    line_ids = fields.One2many("coi.requirement.line", "set_id", string="Coverages", copy=True)
    allow_stacking = fields.Boolean(
        string="Umbrella May Stack",
        default=True,
        tracking=True,
        help="Umbrella and excess limits count on top of the underlying per-occurrence limits.",
    )
    expiring_days = fields.Integer(
        string="Expiring Within (days)",
        default=30,
        tracking=True,
        help="A policy that ends within this many days makes the vendor 'expiring'.",
    )
    min_am_best = fields.Selection(
        AM_BEST_SELECTION,
        string="Minimum AM Best Rating",
        tracking=True,
        help="Insurers rated below this fail every coverage of the set.",
    )
    partner_ids = fields.Many2many(
        "res.partner",
        "coi_requirement_set_partner_rel",
        "set_id",
        "partner_id",
        string="Vendors",
        domain=[("is_company", "=", True)],
        help="Vendors this set applies to directly.",
    )
    category_ids = fields.Many2many(
        "res.partner.category",
        string="Vendor Tags",
        help="The set applies to every vendor with one of these tags.",
    )
    vendor_count = fields.Integer(compute="_compute_vendor_count")

    _expiring_days_positive = models.Constraint(
        "CHECK(expiring_days >= 0)", "The expiring window cannot be negative."
    )

    @api.depends("partner_ids", "category_ids")
    def _compute_vendor_count(self):
        for req_set in self:
            req_set.vendor_count = len(req_set._get_vendors())

    def write(self, vals):
        before = self._get_vendors()
        res = super().write(vals)
        (before | self._get_vendors())._coi_recompute()
        return res

    @api.model_create_multi
    def create(self, vals_list):
        sets = super().create(vals_list)
        sets._get_vendors()._coi_recompute()
        return sets

    def unlink(self):
        vendors = self._get_vendors()
        res = super().unlink()
        vendors._coi_recompute()
        return res

    def _get_vendors(self):
        """Commercial partners this set applies to: directly, through tags, or
        as the company default (every vendor of that company)."""
        Partner = self.env["res.partner"]
        vendors = self.partner_ids.commercial_partner_id
        categories = self.category_ids
        if categories:
            # Tags count on the vendor (the commercial partner) itself.
            vendors |= Partner.search(
                [("category_id", "in", categories.ids), ("parent_id", "=", False)]
            )
        default_of = (
            self.env["res.company"]
            .sudo()
            .search([("coi_default_requirement_set_id", "in", self.ids)])
        )
        if default_of:
            vendors |= Partner.search(
                [("supplier_rank", ">", 0), ("company_id", "in", [False, *default_of.ids])]
            ).commercial_partner_id
        return vendors

    def _to_engine(self):
        """The engine's view of this set: one Requirement per line."""
        self.ensure_one()
        return [
            Requirement(
                coverage=line.coverage_type_id.code,
                coverage_name=line.coverage_type_id.name,
                key=line.id,
                limits={limit.limit_type_id.code: limit.amount for limit in line.limit_ids},
                additional_insured=line.additional_insured,
                waiver_of_subrogation=line.waiver_of_subrogation,
                primary_noncontributory=line.primary_noncontributory,
                per_statute=line.per_statute,
                min_am_best=line.min_am_best or self.min_am_best or None,
                allow_stacking=self.allow_stacking,
                expiring_days=self.expiring_days,
            )
            for line in self.line_ids
        ]

    def action_view_vendors(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("coi_tracking.action_coi_vendor")
        action["domain"] = [("id", "in", self._get_vendors().ids)]
        action["context"] = {}
        return action
