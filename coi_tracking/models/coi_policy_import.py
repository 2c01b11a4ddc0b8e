# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The spreadsheet import of existing vendors and their policies.

Odoo's own import (base_import) loads `coi.policy` rows: one row per policy,
its limits as sub-rows (only the limit columns filled). The columns a policy
does not hold itself (the vendor's email, tags, requirement sets and
insurance contact, the insurer's NAIC code) are fields of the policy that
write through to the vendor and the insurer; they add, an empty cell never
clears what is there. Policies imported without a state are proof on file:
in force (or expired, when their end has passed).
"""

from odoo import Command, api, fields, models

from ..engine.vocabulary import PolicyState

TEMPLATE_URL = "/coi_tracking/static/xls/coi_policy_import_template.xlsx"


class CoiPolicy(models.Model):
    _inherit = "coi.policy"

    vendor_email = fields.Char(
        compute="_compute_vendor_import",
        inverse="_inverse_vendor_email",
        help="Import column: the vendor's email.",
    )
    vendor_category_ids = fields.Many2many(
        "res.partner.category",
        compute="_compute_vendor_import",
        inverse="_inverse_vendor_category_ids",
        string="Vendor Tags",
        help="Import column: tags added to the vendor (a tag a requirement set uses "
        "brings its requirements).",
    )
    vendor_requirement_set_ids = fields.Many2many(
        "coi.requirement.set",
        compute="_compute_vendor_import",
        inverse="_inverse_vendor_requirement_set_ids",
        string="Vendor Requirement Sets",
        help="Import column: requirement sets assigned to the vendor.",
    )
    vendor_insurance_contact_email = fields.Char(
        compute="_compute_vendor_import",
        inverse="_inverse_vendor_insurance_contact_email",
        string="Insurance Contact Email",
        help="Import column: who at the vendor receives insurance notices (a contact of "
        "the vendor with this email, created when there is none).",
    )
    insurer_naic_code = fields.Char(
        compute="_compute_vendor_import",
        inverse="_inverse_insurer_naic_code",
        string="Insurer NAIC Code",
        help="Import column: the insurer's NAIC code.",
    )

    @api.depends(
        "partner_id.email",
        "partner_id.category_id",
        "partner_id.coi_requirement_set_ids",
        "partner_id.coi_insurance_contact_id.email",
        "insurer_id.coi_naic_code",
    )
    def _compute_vendor_import(self):
        for policy in self:
            vendor = policy.partner_id
            policy.vendor_email = vendor.email
            policy.vendor_category_ids = vendor.category_id
            policy.vendor_requirement_set_ids = vendor.coi_requirement_set_ids
            policy.vendor_insurance_contact_email = vendor.coi_insurance_contact_id.email
            policy.insurer_naic_code = policy.insurer_id.coi_naic_code

    def _inverse_vendor_email(self):
        for policy in self.filtered(lambda p: p.vendor_email and p.partner_id):
            if policy.partner_id.email != policy.vendor_email:
                policy.partner_id.email = policy.vendor_email

    def _inverse_vendor_category_ids(self):
        for policy in self.filtered(lambda p: p.vendor_category_ids and p.partner_id):
            missing = policy.vendor_category_ids - policy.partner_id.category_id
            if missing:
                policy.partner_id.category_id = [Command.link(tag.id) for tag in missing]

    def _inverse_vendor_requirement_set_ids(self):
        for policy in self.filtered(lambda p: p.vendor_requirement_set_ids and p.partner_id):
            missing = policy.vendor_requirement_set_ids - policy.partner_id.coi_requirement_set_ids
            if missing:
                policy.partner_id.coi_requirement_set_ids = [
                    Command.link(req_set.id) for req_set in missing
                ]

    def _inverse_vendor_insurance_contact_email(self):
        Partner = self.env["res.partner"]
        for policy in self.filtered(lambda p: p.vendor_insurance_contact_email and p.partner_id):
            vendor = policy.partner_id
            email = policy.vendor_insurance_contact_email.strip()
            if (vendor.coi_insurance_contact_id.email or "").lower() == email.lower():
                continue
            contact = Partner.search(
                [("parent_id", "=", vendor.id), ("email", "=ilike", email)], limit=1
            ) or Partner.create({"name": email, "email": email, "parent_id": vendor.id})
            vendor.coi_insurance_contact_id = contact

    def _inverse_insurer_naic_code(self):
        for policy in self.filtered(lambda p: p.insurer_naic_code and p.insurer_id):
            if policy.insurer_id.coi_naic_code != policy.insurer_naic_code:
                policy.insurer_id.coi_naic_code = policy.insurer_naic_code

    @api.model_create_multi
    def create(self, vals_list):
        policies = super().create(vals_list)
        if self.env.context.get("import_file"):
            stated = [bool(vals.get("state")) for vals in vals_list]
            policies._coi_after_import(
                policies.browse(p.id for p, given in zip(policies, stated, strict=True) if given)
            )
        return policies

    @api.model
    def get_import_templates(self):
        return [
            {
                "label": self.env._("Import Template for Vendors and Policies"),
                "template": TEMPLATE_URL,
            }
        ]

    def _coi_after_import(self, stated=None):
        """Imported policies are proof on file: the vendors created by the
        import are supplier companies, insurers and agents are marked so, and
        the policies come into force (expired ones are expired). Policies
        given a state in the file keep it."""
        now = self.env.cr.now()
        created = self.partner_id.filtered(
            lambda p: not p.parent_id and not p.is_company and p.create_date == now
        )
        created.write({"is_company": True})
        self.partner_id.filtered(lambda p: not p.supplier_rank).write({"supplier_rank": 1})
        self.insurer_id.filtered(lambda p: not p.coi_is_insurer).write(
            {"coi_is_insurer": True, "is_company": True}
        )
        self.agent_id.filtered(lambda p: not p.coi_is_agent).write({"coi_is_agent": True})
        for policy in self.filtered(lambda p: p.agent_id and not p.partner_id.coi_agent_id):
            policy.partner_id.coi_agent_id = policy.agent_id
        drafts = self.filtered(lambda p: p.state == PolicyState.DRAFT) - (stated or self.browse())
        expired = drafts.filtered(lambda p: p.expiration_date < p.company_id._coi_today())
        expired.write({"state": PolicyState.EXPIRED})
        (drafts - expired).action_activate()
