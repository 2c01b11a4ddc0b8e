# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class ProductSupplierinfo(models.Model):
    _inherit = "product.supplierinfo"

    coi_status = fields.Selection(
        string="Vendor Insurance",
        related="partner_id.commercial_partner_id.coi_status",
    )
    coi_purchase_rank = fields.Integer(related="partner_id.commercial_partner_id.coi_purchase_rank")
