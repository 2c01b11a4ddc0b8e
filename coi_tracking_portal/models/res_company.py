# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    coi_upload_link_days = fields.Integer(
        string="Upload Links Valid (days)",
        default=60,
        help="How long a certificate upload link sent to a contractor or agent stays valid.",
    )
