# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class CoiCertificate(models.Model):
    _inherit = "coi.certificate"

    upload_request_id = fields.Many2one(
        "coi.upload.request", string="Upload Link", index="btree_not_null", readonly=True
    )
