"""Scenario: the full compliance recompute, `res.partner._coi_recompute_all()`,
on freshly generated vendors, so that every compliance line is created (the
worst case; a second run with nothing to change is about half of it). Run by
the suite (suite.py); its database is the one every later scenario starts
from."""

from benchlib.database import count, open_registry
from benchlib.measure import Measure, rss_mb


def step(args):
    odoo, registry = open_registry(args.db)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        cr.execute("ANALYZE")
        cr.commit()
        with Measure() as m:
            env["res.partner"]._coi_recompute_all()
            cr.commit()
        lines = count(cr, "coi_compliance_line")
    return {
        "seconds": round(m.seconds, 2),
        "queries": m.queries,
        "peak_rss_mb": round(rss_mb(), 1),
        "lines_after": lines,
    }
