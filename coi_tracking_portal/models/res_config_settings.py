# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    coi_upload_link_days = fields.Integer(related="company_id.coi_upload_link_days", readonly=False)
