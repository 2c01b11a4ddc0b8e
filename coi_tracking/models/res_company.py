# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models

from ..engine import schedule


class ResCompany(models.Model):
    _name = "res.company"
    _inherit = ["res.company", "coi.compliance.mixin"]
    _coi_compliance_fields = {"coi_default_requirement_set_id"}

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

    # Stored with the company: "today" costs no query on the partner.
    coi_tz = fields.Selection(related="partner_id.tz", store=True, string="Insurance Timezone")
    coi_renewal_cadence = fields.Char(
        string="Renewal Reminders (days before expiry)",
        default=",".join(str(days) for days in schedule.DEFAULT_RENEWAL_CADENCE),
        help="Comma-separated days before a policy expires on which the agent and the "
        "contractor are reminded. On the day it ends they get the expiry notice.",
    )
    coi_expired_reminder_days = fields.Integer(
        string="Remind Expired Every (days)",
        default=schedule.DEFAULT_EXPIRED_EVERY_DAYS,
        help="After a policy expired without renewal, remind again every this many days "
        "(0: only once).",
    )

    coi_team_user_id = fields.Many2one(
        "res.users",
        string="Insurance Compliance Responsible",
        domain=[("share", "=", False)],
        help="Who gets the to-dos of the COI team: contractors' questions, chases "
        "that need a person. Empty: the administrator.",
    )
    coi_auto_request = fields.Boolean(
        string="Request Certificates Automatically",
        default=True,
        help="A vendor that becomes tracked without being compliant, or gets an RFQ or "
        "purchase order while not compliant, is asked for certificates at once.",
    )
    coi_request_sender = fields.Selection(
        [("team", "Insurance Compliance Team"), ("buyer", "Vendor's Buyer")],
        string="Requests Sent By",
        default="team",
        required=True,
        help="Who the certificate requests and reminders come from.",
    )
    coi_chase_cadence = fields.Char(
        string="Chase Missing Items (days after the request)",
        default=",".join(str(days) for days in schedule.DEFAULT_CHASE_CADENCE),
        help="Comma-separated days after the first request on which a vendor that is still "
        "not compliant is reminded of what is missing; after the last one its buyer gets "
        "a to-do.",
    )

    def _coi_team_user(self):
        """The user who acts for the company's COI team."""
        self.ensure_one()
        return self.coi_team_user_id or self.env.ref("base.user_admin")

    def _coi_chase_cadence(self):
        self.ensure_one()
        return schedule.parse_cadence(self.coi_chase_cadence)

    def _coi_renewal_cadence(self):
        self.ensure_one()
        days = set()
        for part in (self.coi_renewal_cadence or "").split(","):
            if part.strip().isdigit():
                days.add(int(part.strip()))
        return sorted(days)

    def _coi_affected_vendors(self, fnames=None):
        return self.coi_default_requirement_set_id._get_vendors()

    def _coi_today(self):
        """Today in the company's timezone: the one "today" of the suite, for
        compliance, notices, reports and the API."""
        self.ensure_one()
        # Only that column: reading it alone would fetch every field of the
        # company (an API request has no other use for them).
        self.fetch(["coi_tz"])
        return self._coi_today_in(self.coi_tz)

    @api.model
    def _coi_today_in(self, tz):
        """Today in the timezone `tz` (UTC when not set)."""
        return fields.Datetime.context_timestamp(
            self.with_context(tz=tz or "UTC"), fields.Datetime.now()
        ).date()
