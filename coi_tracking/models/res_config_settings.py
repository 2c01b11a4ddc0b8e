# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    coi_purchase_enforcement = fields.Selection(
        related="company_id.coi_purchase_enforcement", readonly=False
    )
    coi_default_requirement_set_id = fields.Many2one(
        related="company_id.coi_default_requirement_set_id", readonly=False
    )
    coi_renewal_cadence = fields.Char(related="company_id.coi_renewal_cadence", readonly=False)
    coi_expired_reminder_days = fields.Integer(
        related="company_id.coi_expired_reminder_days", readonly=False
    )
    coi_team_user_id = fields.Many2one(related="company_id.coi_team_user_id", readonly=False)
    coi_auto_request = fields.Boolean(related="company_id.coi_auto_request", readonly=False)
    coi_request_sender = fields.Selection(related="company_id.coi_request_sender", readonly=False)
    coi_chase_cadence = fields.Char(related="company_id.coi_chase_cadence", readonly=False)
