# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import UserError

PENDING_STATES = ("received", "in_review")


class CoiCertificate(models.Model):
    _name = "coi.certificate"
    _description = "Certificate of Insurance"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "state_priority, received_date desc, id desc"

    name = fields.Char(
        string="Reference", required=True, copy=False, readonly=True, default="New", index=True
    )
    active = fields.Boolean(default=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="Vendor",
        required=True,
        index=True,
        tracking=True,
        domain=[("is_company", "=", True)],
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    attachment_ids = fields.Many2many(
        "ir.attachment",
        "coi_certificate_attachment_rel",
        "certificate_id",
        "attachment_id",
        string="Files",
        help="Every file received is kept, whatever happens to the certificate.",
    )
    attachment_count = fields.Integer(string="Files Count", compute="_compute_attachment_count")
    kind = fields.Selection(
        [
            ("certificate", "Certificate (ACORD 25)"),
            ("endorsement", "Endorsement"),
            ("policy_pages", "Policy Pages"),
            ("cancellation", "Cancellation Notice"),
        ],
        required=True,
        default="certificate",
        tracking=True,
    )
    source = fields.Selection(
        [("backend", "Back Office"), ("portal", "Portal"), ("email", "Email"), ("api", "API")],
        required=True,
        default="backend",
        readonly=True,
    )
    submitted_by_id = fields.Many2one(
        "res.partner", string="Submitted By", help="Contractor, agent or employee who sent it."
    )
    received_date = fields.Datetime(required=True, default=fields.Datetime.now, readonly=True)
    state = fields.Selection(
        [
            ("received", "Received"),
            ("in_review", "In Review"),
            ("accepted", "Accepted"),
            ("rejected", "Rejected"),
        ],
        required=True,
        default="received",
        tracking=True,
        index=True,
        copy=False,
    )
    state_priority = fields.Integer(compute="_compute_state_priority", store=True)
    reviewer_id = fields.Many2one("res.users", string="Reviewer", tracking=True, copy=False)
    review_date = fields.Datetime(readonly=True, copy=False)
    rejection_reason = fields.Text(tracking=True, copy=False)
    policy_ids = fields.One2many("coi.policy", "certificate_id", string="Policies")
    policy_count = fields.Integer(compute="_compute_policy_count")
    note = fields.Text()

    @api.depends("attachment_ids")
    def _compute_attachment_count(self):
        for certificate in self:
            certificate.attachment_count = len(certificate.attachment_ids)

    @api.depends("state")
    def _compute_state_priority(self):
        order = {"received": 0, "in_review": 1, "rejected": 2, "accepted": 3}
        for certificate in self:
            certificate.state_priority = order.get(certificate.state, 9)

    @api.depends("policy_ids")
    def _compute_policy_count(self):
        for certificate in self:
            certificate.policy_count = len(certificate.policy_ids)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "New") == "New":
                vals["name"] = self.env["ir.sequence"].next_by_code("coi.certificate") or "New"
        certificates = super().create(vals_list)
        certificates._attach_files()
        certificates.partner_id._coi_recompute()
        return certificates

    def write(self, vals):
        before = self.partner_id
        res = super().write(vals)
        if "attachment_ids" in vals:
            self._attach_files()
        if {"state", "partner_id", "active"} & set(vals):
            (before | self.partner_id)._coi_recompute()
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(
            self.env._(
                "Certificates are kept as evidence and cannot be deleted; archive them instead."
            )
        )

    def _attach_files(self):
        """Files uploaded in the form belong to the certificate: they stay
        with it and are visible to whoever may see it."""
        for certificate in self:
            loose = certificate.attachment_ids.filtered(
                lambda a, c=certificate: a.res_model != c._name or a.res_id != c.id
            )
            loose.sudo().write({"res_model": self._name, "res_id": certificate.id})

    def action_start_review(self):
        self.filtered(lambda c: c.state == "received").write(
            {"state": "in_review", "reviewer_id": self.env.uid}
        )
        return True

    def action_accept(self):
        """Accept: the draft policies read from this certificate come into force."""
        for certificate in self:
            if certificate.state not in PENDING_STATES:
                raise UserError(
                    self.env._("Only received or in-review certificates can be accepted.")
                )
        self.write(
            {"state": "accepted", "reviewer_id": self.env.uid, "review_date": fields.Datetime.now()}
        )
        self.policy_ids.filtered(lambda p: p.state == "draft").action_activate()
        return True

    def action_reject(self, reason=None):
        """Reject with a reason the contractor will read; files are kept."""
        reason = reason or self.env.context.get("coi_rejection_reason")
        if not reason:
            return {
                "type": "ir.actions.act_window",
                "res_model": "coi.certificate.reject",
                "view_mode": "form",
                "target": "new",
                "context": {"default_certificate_ids": self.ids},
            }
        self.write(
            {
                "state": "rejected",
                "rejection_reason": reason,
                "reviewer_id": self.env.uid,
                "review_date": fields.Datetime.now(),
            }
        )
        return True

    def action_reset_received(self):
        self.write({"state": "received", "review_date": False})
        return True

    def action_view_policies(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Policies"),
            "res_model": "coi.policy",
            "view_mode": "list,form",
            "domain": [("certificate_id", "=", self.id)],
            "context": {
                "default_certificate_id": self.id,
                "default_partner_id": self.partner_id.id,
            },
        }
