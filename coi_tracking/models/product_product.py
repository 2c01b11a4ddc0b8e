# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import models


class ProductProduct(models.Model):
    _inherit = "product.product"

    def _prepare_sellers(self, params=False):
        """Among sellers of equal priority (sequence), a vendor whose
        insurance is in order comes before one that is not compliant, so
        that choosing a seller (a purchase line, a replenishment) picks it;
        otherwise the order stays as it was (quantity, price)."""
        sellers = super()._prepare_sellers(params)
        return sellers.sorted(lambda s: (s.sequence, s.coi_purchase_rank))
