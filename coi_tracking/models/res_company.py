# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    coi_purchase_enforcement = fields.Selection(
        [("off", "Off"), ("warn", "Warn"), ("block", "Block")],
        string="Insurance Check on Purchases",
        default="warn",
        required=True,
        help="Off: no check. Warn: purchase orders show the vendor's insurance deficiencies. "
        "Block: orders to non-compliant vendors cannot be confirmed without a manager's override.",
    )
    coi_default_requirement_set_id = fields.Many2one(
        "coi.requirement.set",
        string="Default Insurance Requirements",
        help="Applies to every vendor of the company, on top of sets assigned directly or by tag.",
    )

    coi_renewal_cadence = fields.Char(
        string="Renewal Reminders (days before expiry)",
        default="30,14,7",
        help="Comma-separated days before a policy expires on which the agent and the "
        "contractor are reminded. On the day it ends they get the expiry notice.",
    )
    coi_expired_reminder_days = fields.Integer(
        string="Remind Expired Every (days)",
        default=7,
        help="After a policy expired without renewal, remind again every this many days "
        "(0: only once).",
    )

    def _coi_renewal_cadence(self):
        self.ensure_one()
        days = set()
        for part in (self.coi_renewal_cadence or "").split(","):
            if part.strip().isdigit():
                days.add(int(part.strip()))
        return sorted(days)

    def write(self, vals):
        res = super().write(vals)
        if "coi_default_requirement_set_id" in vals:
            self.env["res.partner"].search(
                [("supplier_rank", ">", 0), ("parent_id", "=", False)]
            )._coi_recompute()
        return res
