# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo.exceptions import ConcurrencyError
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


class IntakeRace(ConcurrencyError):
    """Another transaction committed, after this one began, the agency or
    insurer this one was creating from a certificate: this transaction
    cannot see it. Run again (a new transaction sees it), or leave the
    certificate to the reading job."""
