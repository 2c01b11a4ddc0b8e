# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import json
from datetime import timedelta

from odoo import api, fields, models

RATE_LIMIT_PER_MINUTE = 600


class CoiApiRequest(models.Model):
    """Writes received through the API: the first answer to an
    Idempotency-Key (replayed on a retry) and the rate count per API key."""

    _name = "coi.api.request"
    _description = "COI API Request"
    _order = "id desc"

    user_id = fields.Many2one("res.users", required=True, index=True, ondelete="cascade")
    idempotency_key = fields.Char(index="btree_not_null")
    caller = fields.Char(
        index=True,
        help="Who is counted by the rate limit: a digest of the API key, or the user "
        "when the call came with a session.",
    )
    request_digest = fields.Char(
        help="Digest of the method, path and body the Idempotency-Key was first used for: "
        "a retry must be the same request."
    )
    method = fields.Char(required=True)
    path = fields.Char(required=True)
    status = fields.Integer()
    response = fields.Text()
    create_date = fields.Datetime(index=True)

    _idempotency_unique = models.Constraint(
        "UNIQUE(user_id, idempotency_key)", "An Idempotency-Key is used once per API user."
    )

    @api.model
    def _replay(self, key):
        """The first request of this API user with this key, or an empty
        recordset."""
        return self.sudo().search(
            [("user_id", "=", self.env.uid), ("idempotency_key", "=", key)], limit=1
        )

    @api.model
    def _claim(self, caller, key, method, path, digest):
        """The log entry of a write about to run: it holds the key (a second
        request with the same key waits on the unique constraint, then fails
        with an IntegrityError) and counts for the rate limit."""
        return self.sudo().create(
            {
                "user_id": self.env.uid,
                "caller": caller,
                "idempotency_key": key or False,
                "request_digest": digest,
                "method": method,
                "path": path,
            }
        )

    def _remember(self, status, body):
        self.ensure_one()
        self.write({"status": status, "response": json.dumps(body)})

    def _answer(self):
        """(body, status) of the answer kept for a replay."""
        self.ensure_one()
        return json.loads(self.response or "null"), self.status

    @api.model
    def _rate_limited(self, caller, limit=RATE_LIMIT_PER_MINUTE):
        """Seconds to wait when this caller (API key) made `limit` writes in
        the last minute, else 0."""
        since = fields.Datetime.now() - timedelta(minutes=1)
        recent = self.sudo().search(
            [("caller", "=", caller), ("create_date", ">=", since)],
            order="create_date",
            limit=limit,
        )
        if len(recent) < limit:
            return 0
        return max(1, 60 - int((fields.Datetime.now() - recent[0].create_date).total_seconds()))

    @api.autovacuum
    def _gc_old_requests(self):
        self.sudo().search(
            [("create_date", "<", fields.Datetime.now() - timedelta(days=2))]
        ).unlink()
