# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from collections import defaultdict

from odoo import Command, api, fields, models
from odoo.fields import Domain

from ..engine import Requirement
from ..engine.explanations import EXPLAINED_TERMS, STANDARD_EXPLANATIONS
from ..engine.review import Holder
from ..engine.vocabulary import AM_BEST_SELECTION, RISK_TIER_SELECTION, RiskTier


class CoiRequirementSet(models.Model):
    _name = "coi.requirement.set"
    _description = "Insurance Requirement Set"
    _inherit = ["mail.thread", "coi.compliance.mixin"]
    _order = "sequence, name, id"
    _coi_compliance_fields = {
        "active",
        "line_ids",
        "allow_stacking",
        "expiring_days",
        "min_am_best",
        "partner_ids",
        "category_ids",
    }

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
        RISK_TIER_SELECTION,
        required=True,
        default=RiskTier.MEDIUM,
        tracking=True,
    )
    description = fields.Text(translate=True, help="Shown to contractors with the requirements.")
    line_ids = fields.One2many("coi.requirement.line", "set_id", string="Coverages", copy=True)
    explanation_ids = fields.One2many(
        "coi.requirement.explanation",
        "set_id",
        string="Explanations",
        copy=True,
        default=lambda self: self._coi_standard_explanation_commands(),
        help="Plain-language explanations of insurance terms, shown to contractors on the "
        "upload page next to the requirements that use them.",
    )
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
    holder_name = fields.Char(
        string="Certificate Holder",
        tracking=True,
        help="The name certificates must show as certificate holder (cancellation notices "
        "reach the holder only). Empty: the company's name.",
    )
    holder_address_required = fields.Boolean(
        string="Holder Address Must Match",
        tracking=True,
        help="A certificate is accepted on its own only when the holder's address printed on "
        "it is the company's (street, city and ZIP code).",
    )
    vendor_count = fields.Integer(compute="_compute_vendor_count")

    _expiring_days_positive = models.Constraint(
        "CHECK(expiring_days >= 0)", "The expiring window cannot be negative."
    )

    @api.depends("partner_ids", "category_ids")
    def _compute_vendor_count(self):
        for req_set in self:
            req_set.vendor_count = len(req_set._get_vendors())

    def _coi_affected_vendors(self, fnames=None):
        return self._get_vendors()

    def _coi_vendor_domain(self, defaults=None):
        """The one rule of which vendors these sets apply to: assigned
        directly, through a vendor tag, or as the default of the vendor's
        company (every supplier of it, and every supplier without a company).
        `defaults`: the companies using one of these sets as default, when
        the caller already has them."""
        if defaults is None:
            defaults = (
                self.env["res.company"]
                .sudo()
                .search([("coi_default_requirement_set_id", "in", self.ids)])
            )
        vendor = Domain("parent_id", "=", False)
        domains = [vendor & Domain("coi_requirement_set_ids", "in", self.ids)]
        if self.category_ids:
            domains.append(vendor & Domain("category_id", "in", self.category_ids.ids))
        if defaults:
            domains.append(
                vendor
                & Domain("supplier_rank", ">", 0)
                & Domain("company_id", "in", [False, *defaults.ids])
            )
        return Domain.OR(domains)

    def _get_vendors(self):
        """Commercial partners these sets apply to."""
        if not self:
            return self.env["res.partner"]
        return (
            self.env["res.partner"]
            .with_context(active_test=False)
            .search(self._coi_vendor_domain())
        )

    @api.model
    def _coi_sets_by_vendor(self, partners):
        """{partner id: active sets applying to it}, by the same rule."""
        sets = self.sudo().search([])
        defaults = (
            self.env["res.company"]
            .sudo()
            .search([("coi_default_requirement_set_id", "in", sets.ids)])
        )
        by_vendor = defaultdict(lambda: self.browse())
        for req_set in sets:
            domain = req_set._coi_vendor_domain(
                defaults.filtered(lambda c, s=req_set: c.coi_default_requirement_set_id == s)
            )
            for partner in partners.filtered_domain(domain):
                by_vendor[partner.id] |= req_set
        return by_vendor

    def _coi_holder(self, company):
        """The certificate holder these sets (the sets applying to one vendor)
        require of `company`'s vendors: the one definition the review, the
        notices and the upload page use. Named by the first set that names
        one, else the company; at the company's address, which must match
        when one of the sets asks."""
        named = self.filtered("holder_name")[:1]
        return Holder(
            name=named.holder_name or company.name,
            street=company.street or "",
            street2=company.street2 or "",
            city=company.city or "",
            state=company.state_id.code or "",
            zip=company.zip or "",
            match_address=any(self.mapped("holder_address_required")),
        )

    @api.model
    def _coi_holder_for(self, vendor, company=None):
        """The certificate holder `vendor`'s certificates must name (its
        company's, or `company`'s for a shared vendor)."""
        vendor = vendor.commercial_partner_id
        company = company or vendor.company_id or self.env.company
        sets = self._coi_sets_by_vendor(vendor).get(vendor.id) or self.browse()
        return sets.sudo()._coi_holder(company.sudo())

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
                endorsement_forms=line._coi_required_forms(),
                endorsement_equivalent=line.endorsement_equivalent,
            )
            for line in self.line_ids
        ]

    @api.model
    def _coi_standard_explanation_commands(self, skip=()):
        return [
            Command.create({"term": term, "sequence": index, "text": STANDARD_EXPLANATIONS[term]})
            for index, term in enumerate(EXPLAINED_TERMS)
            if term not in skip
        ]

    def action_add_standard_explanations(self):
        """The standard wording for every term the set does not explain yet."""
        for req_set in self:
            commands = self._coi_standard_explanation_commands(
                skip=set(req_set.explanation_ids.mapped("term"))
            )
            if commands:
                req_set.explanation_ids = commands
        return True

    def action_view_vendors(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("coi_tracking.action_coi_vendor")
        action["domain"] = [("id", "in", self._get_vendors().ids)]
        action["context"] = {}
        return action
