# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import models


class MailComposeMessage(models.TransientModel):
    _inherit = "mail.compose.message"

    def _compute_attachment_ids(self):
        """The upload link's email carries the example certificate made for
        the vendor (the composer otherwise takes the template's only)."""
        super()._compute_attachment_ids()
        extra = self.env.context.get("coi_example_attachment_ids")
        if extra:
            examples = self.env["ir.attachment"].browse(extra).exists()
            for composer in self.filtered("template_id"):
                composer.attachment_ids |= examples
