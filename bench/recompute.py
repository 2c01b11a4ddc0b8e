"""Scenario: the full compliance recompute, `res.partner._coi_recompute_all()`,
on freshly generated vendors, so that every compliance line is created (the
worst case; a second run with nothing to change is about half of it). Run by
the suite (suite.py); its database is the one every later scenario starts
from."""

import sys
import time

from benchlib.database import count, open_registry
from benchlib.measure import Measure, cpu_seconds, current_rss_mb, pg_cpu_seconds, rss_mb

# Vendors between two progress lines (on stderr: a long run shows how its
# time grows with the vendors done).
PROGRESS_EVERY = 50000


def step(args):
    odoo, registry = open_registry(args.db)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        cr.execute("ANALYZE")
        cr.commit()
        updates = _partner_row_updates(cr)
        pg_cpu = pg_cpu_seconds(cr)
        with Measure() as m, _progress(env, cr):
            env["res.partner"]._coi_recompute_all()
            cr.commit()
        pg_cpu = pg_cpu and pg_cpu_seconds(cr) - pg_cpu
        lines = count(cr, "coi_compliance_line")
        after = _partner_row_updates(cr)
        updates = [now - before for now, before in zip(after, updates, strict=True)]
    return {
        "seconds": round(m.seconds, 2),
        "cpu_seconds": round(m.cpu, 1),
        "pg_cpu_seconds": pg_cpu and round(pg_cpu, 1),
        "queries": m.queries,
        "peak_rss_mb": round(rss_mb(), 1),
        "lines_after": lines,
        # Versions of vendor rows written, and how many of them HOT (no new
        # index entries): PostgreSQL's statistics.
        "partner_row_updates": updates[0],
        "partner_hot_updates": updates[1],
    }


def _partner_row_updates(cr):
    """(rows updated, of which HOT) in res_partner so far, as PostgreSQL's
    statistics count them (flushed by the backends within a second)."""
    time.sleep(1.5)
    cr.execute("SELECT pg_stat_clear_snapshot()")
    cr.execute(
        "SELECT n_tup_upd, n_tup_hot_upd FROM pg_stat_user_tables WHERE relname = 'res_partner'"
    )
    return cr.fetchone()


class _progress:
    """Prints, every PROGRESS_EVERY vendors evaluated, the time, processor
    time (this process, PostgreSQL's backends) and memory so far: the
    batches of `_coi_refresh` counted from outside."""

    def __init__(self, env, cr):
        self.partner_class = type(env["res.partner"])
        self.cr = cr

    def __enter__(self):
        original = self.partner_class._coi_refresh
        started, cpu = time.perf_counter(), cpu_seconds()
        pg = pg_cpu_seconds(self.cr) or 0
        done = [0, 0]

        def counted(partners):
            result = original(partners)
            done[0] += len(partners)
            if done[0] - done[1] >= PROGRESS_EVERY:
                done[1] = done[0]
                pg_now = (pg_cpu_seconds(partners.env.cr) or 0) - pg
                print(
                    f"[recompute] {done[0]:,} vendors: {time.perf_counter() - started:,.0f} s,"
                    f" CPU {cpu_seconds() - cpu:,.0f} s (PostgreSQL {pg_now:,.0f} s),"
                    f" RSS {current_rss_mb():,.0f} MB (peak {rss_mb():,.0f} MB)",
                    file=sys.stderr,
                    flush=True,
                )
            return result

        self.original = original
        self.partner_class._coi_refresh = counted
        return self

    def __exit__(self, *exc):
        self.partner_class._coi_refresh = self.original
        return False
