# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

# Keys of the advisory locks of the rate limit: (namespace, link id) and
# (namespace, hash of the address).
LOCK_LINK = 0x434F4931
LOCK_ADDRESS = 0x434F4932


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
    def _admit(self, upload_request, remote_addr, limit, hours=1):
        """Count and log one submission through `upload_request` from
        `remote_addr` in one locked step: False (and nothing logged) when
        the link or the address already reached `limit` in the last `hours`.

        The request's connection waits for two advisory locks (the link's,
        then the address's: always in that order) and holds them while a
        short transaction of its own counts, logs and commits. The count
        cannot run in the request's transaction: under Odoo's repeatable
        read it reads a snapshot taken before the wait, without the lines
        that submissions sent at the same moment logged meanwhile. The locks
        are released at once: submissions wait for each other's count, not
        for each other's reading, and a submission counts even when its
        request fails later on (a request Odoo retries after a concurrent
        update counts once more: the limit errs on the safe side)."""
        link = SQL("%s, %s", LOCK_LINK, upload_request.id)
        address = SQL("%s, hashtext(%s)", LOCK_ADDRESS, remote_addr or "")
        self.env.cr.execute(SQL("SELECT pg_advisory_lock(%s), pg_advisory_lock(%s)", link, address))
        try:
            with self.env.registry.cursor() as cr:
                logs = self.with_env(self.env(cr=cr)).sudo()
                admitted = not logs._too_many(upload_request, remote_addr, limit, hours)
                if admitted:
                    logs.create({"request_id": upload_request.id, "remote_addr": remote_addr})
        finally:
            self.env.cr.execute(
                SQL("SELECT pg_advisory_unlock(%s), pg_advisory_unlock(%s)", address, link)
            )
        return admitted

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
