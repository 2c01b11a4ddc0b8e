# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, models
from odoo.exceptions import ValidationError


class CoiWebhook(models.Model):
    """A subscriber hears one company's events: its record rule walls it
    there. A subscriber without company would hear every company's, and a
    record rule does not stop a write that moves a record out of its wall."""

    _inherit = "coi.webhook"

    @api.constrains("company_id")
    def _check_company_id(self):
        if self.filtered(lambda hook: not hook.company_id):
            raise ValidationError(self.env._("A webhook subscriber belongs to one company."))
