# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import timedelta

from odoo import api, fields, models


class CoiUploadLog(models.Model):
    """One line per submission through a public upload link: what the rate
    limit counts (per link and per address)."""

    _name = "coi.upload.log"
    _description = "Certificate Upload Attempt"
    _order = "id desc"
    _log_access = False

    request_id = fields.Many2one("coi.upload.request", ondelete="cascade", index=True)
    remote_addr = fields.Char(index=True)
    create_date = fields.Datetime(default=fields.Datetime.now, index=True)

    @api.model
    def _too_many(self, upload_request, remote_addr, limit, hours=1):
        since = fields.Datetime.now() - timedelta(hours=hours)
        by_link = self.search_count(
            [("request_id", "=", upload_request.id), ("create_date", ">=", since)], limit=limit
        )
        by_address = self.search_count(
            [("remote_addr", "=", remote_addr), ("create_date", ">=", since)], limit=limit
        )
        return by_link >= limit or by_address >= limit

    @api.autovacuum
    def _gc_old_attempts(self):
        self.search([("create_date", "<", fields.Datetime.now() - timedelta(days=7))]).unlink()
