# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models

from ..engine.vocabulary import VENDOR_STATUS_SELECTION


class ProductSupplierinfo(models.Model):
    _inherit = "product.supplierinfo"

    coi_status = fields.Selection(
        VENDOR_STATUS_SELECTION,
        string="Vendor Insurance",
        related="partner_id.commercial_partner_id.coi_status",
    )
    coi_purchase_rank = fields.Integer(related="partner_id.commercial_partner_id.coi_purchase_rank")
