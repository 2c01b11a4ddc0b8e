"""Scenario: a burst of notices. On a database where no notice was ever sent
(the first day of the program, or a company that just switched reminders
on), the notice job sends every notice due today: renewal reminders,
expiry notices, verifications, each a chatter message and a queued email,
most with an example certificate attached. Timed in one cron process, then
in two cron processes started at once on a copy of the same database (each
claims its share; nothing may be sent twice). Run by the suite (suite.py).
"""

import json
import subprocess
import sys
import time
from unittest.mock import patch

from benchlib.database import count, open_registry
from benchlib.measure import Measure, rss_mb


def step(args):
    """The notice job once, as the scheduler runs it (committing per batch)."""
    odoo, registry = open_registry(args.db)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        cron = env.ref("coi_tracking.ir_cron_coi_send_notices")
        Notice = env["coi.notice"].with_context(cron_id=cron.id)
        # How many notices this process made (two processes share a burst).
        made = []
        queue = type(Notice)._queue

        def counting(self, candidates):
            notices = queue(self, candidates)
            made.append(len(notices))
            return notices

        started = time.time()
        with (
            patch.object(type(Notice), "_queue", counting),
            Measure(profile="notice_burst" if args.profile else None) as m,
        ):
            Notice._cron_send_notices()
            cr.commit()
        ended = time.time()
        return {
            "seconds": round(m.seconds, 2),
            "cpu_seconds": round(m.cpu, 2),
            "queries": m.queries,
            "peak_rss_mb": round(rss_mb(), 1),
            "made": sum(made),
            "started": started,
            "ended": ended,
        }


def totals(args):
    """What the database holds after the burst: notices, emails, chatter
    messages, and how many were sent twice."""
    odoo, registry = open_registry(args.db)
    with registry.cursor() as cr:
        notices = count(cr, "coi_notice")
        cr.execute(
            """
            SELECT count(*) FILTER (WHERE n.message_id IS NOT NULL),
                   count(DISTINCT n.message_id)
              FROM coi_notice n
            """
        )
        with_message, distinct_messages = cr.fetchone()
        # Two notices of one email share its message (verifications); any
        # other message sent twice would reach one recipient twice (the same
        # vendor, subject and body). One email to the vendor's contacts and a
        # copy to a follower of the vendor (its buyer) is not twice.
        cr.execute(
            """
            SELECT count(*) FROM (
                SELECT m.res_id, m.subject, count(*) AS sent
                  FROM mail_message m
                  JOIN mail_mail mm ON mm.mail_message_id = m.id
                  LEFT JOIN mail_mail_res_partner_rel r ON r.mail_mail_id = mm.id
                 WHERE m.model = 'res.partner'
                 GROUP BY m.res_id, m.subject, m.body,
                          coalesce(r.res_partner_id::text, mm.email_to)
                HAVING count(*) > 1) AS twice
            """
        )
        twice = cr.fetchone()[0]
        return {
            "notices": notices,
            "messages": distinct_messages,
            "with_message": with_message,
            "mails": count(cr, "mail_mail"),
            "attachments": count(cr, "ir_attachment"),
            "duplicates": twice,
        }


def pair(args):
    """Two notice jobs started at once on the same database: wall time from
    the first job's start to the last one's end (each process loads Odoo's
    registry before its job starts)."""
    cmd = [sys.executable, sys.argv[0], "--step", "notice_burst", "--db", args.db]
    cmd += ["--size", str(args.size)]
    procs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [p.communicate()[0] for p in procs]
    if any(p.returncode for p in procs):
        raise RuntimeError(f"a notice job failed: {outputs}")
    jobs = [json.loads(out.strip().splitlines()[-1]) for out in outputs]
    return {
        "seconds": round(max(j["ended"] for j in jobs) - min(j["started"] for j in jobs), 2),
        "jobs_seconds": [j["seconds"] for j in jobs],
        "jobs_made": [j["made"] for j in jobs],
        "peak_rss_mb": max(j["peak_rss_mb"] for j in jobs),
    }
