# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo.tools import SQL


def lock_batch(records):
    """The part of `records` that no concurrent transaction is working on,
    locked for this one (`FOR NO KEY UPDATE SKIP LOCKED`): two workers
    running the same job share the work instead of doing it twice."""
    if not records:
        return records
    records.env.cr.execute(
        SQL(
            "SELECT id FROM %s WHERE id = ANY(%s) ORDER BY id FOR NO KEY UPDATE SKIP LOCKED",
            SQL.identifier(records._table),
            records.ids,
        )
    )
    locked = {row[0] for row in records.env.cr.fetchall()}
    return records.filtered(lambda record: record.id in locked)
