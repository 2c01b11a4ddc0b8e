"""Scenario: the daily cron with the clock moved one day forward. The days
before were run (`history`: every notice due until today is on file as sent),
then the status refresh job and the notice job run as the scheduler runs
them (committing per batch). Next to it, on the same data, one SQL query
selects the policies that the job writes about (the lower bound): the
result gives the ratio of the job's own selection to it and says whether
both found the same policies. Run by the suite (suite.py)."""

import statistics
import time
from datetime import date, timedelta

from benchlib.database import count, open_registry
from benchlib.measure import Measure, pg_cpu_seconds, rss_mb


def history(args):
    """The days before today were run: every notice due until today is
    recorded as sent (without email), as in a database in daily use, so that
    the measured day sends only that day's notices."""
    odoo, registry = open_registry(args.db)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        Notice = env["coi.notice"]
        today = date.today()
        candidates = []
        for company in env["res.company"].search([]):
            candidates += Notice._renewal_candidates(today, company)
            candidates += Notice._expired_candidates(today, company)
            candidates += Notice._verification_candidates(today, company)
        rows = [
            (
                Notice._make_key(c["kind"], c.get("policy"), None, c.get("stage", "")),
                c["kind"],
                c.get("stage", ""),
                c["vendor"].id,
                c["policy"].id,
            )
            for c in candidates
        ]
        cr.execute(
            """
            INSERT INTO coi_notice (key, kind, stage, partner_id, policy_id, date, state,
                                    create_uid, create_date, write_uid, write_date)
            SELECT k, kd, st, pa, po, %s, 'sent', 1, now(), 1, now()
              FROM unnest(%s::varchar[], %s::varchar[], %s::varchar[], %s::int[], %s::int[])
                AS t(k, kd, st, pa, po)
            ON CONFLICT (key) DO NOTHING
            """,
            [today, *([list(col) for col in zip(*rows, strict=True)] if rows else [[]] * 5)],
        )
        for c in candidates:
            if c["kind"] == "verification":
                c["policy"].verification_step = c["stage"]
        cr.commit()
    return {"notices": len(candidates)}


def step(args):
    from freezegun import freeze_time

    odoo, registry = open_registry(args.db)
    tomorrow = date.today() + timedelta(days=1)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        cr.execute("ANALYZE")
        cr.commit()
        due = env["res.partner"].search_count([("coi_recheck_date", "<=", tomorrow)])
        notices_before = count(cr, "coi_notice")
        mails_before = count(cr, "mail_mail")
        refresh_cron = env.ref("coi_tracking.ir_cron_coi_refresh_compliance")
        notice_cron = env.ref("coi_tracking.ir_cron_coi_send_notices")
        pg_cpu = pg_cpu_seconds(cr)
        with freeze_time(f"{tomorrow.isoformat()} 06:00:00", tick=True):
            with Measure() as whole:
                with Measure() as refresh:
                    env["res.partner"].with_context(
                        cron_id=refresh_cron.id
                    )._cron_refresh_compliance()
                    cr.commit()
                # What the notice job selects, timed apart (the job selects again).
                Notice = env["coi.notice"]
                with Measure() as selection:
                    selected = set()
                    for company in env["res.company"].search([]):
                        for pick in (
                            Notice._renewal_candidates,
                            Notice._expired_candidates,
                            Notice._verification_candidates,
                        ):
                            selected |= {c["policy"].id for c in pick(tomorrow, company)}
                env.invalidate_all()
                # The same policies in one SQL query, on the same data.
                sql_ids, sql_seconds = _raw_sql_selection(cr, tomorrow)
                with Measure() as notices:
                    Notice.with_context(cron_id=notice_cron.id)._cron_send_notices()
                    cr.commit()
        pg_cpu = pg_cpu and pg_cpu_seconds(cr) - pg_cpu
        sql_queries = 3  # the raw SQL query, run three times inside `whole`
        return {
            "seconds": round(whole.seconds - selection.seconds - 3 * sql_seconds, 2),
            # Processor time of all of it (the selection and SQL comparisons too).
            "cpu_seconds": round(whole.cpu, 1),
            "pg_cpu_seconds": pg_cpu and round(pg_cpu, 1),
            "queries": whole.queries - selection.queries - sql_queries,
            "peak_rss_mb": round(rss_mb(), 1),
            "refresh_seconds": round(refresh.seconds, 2),
            "refreshed": due,
            "notice_seconds": round(notices.seconds, 2),
            "notices": count(cr, "coi_notice") - notices_before,
            "mails": count(cr, "mail_mail") - mails_before,
            "selection_seconds": round(selection.seconds, 3),
            "selected": len(selected),
            "sql_seconds": round(sql_seconds, 4),
            "same_policies": "yes" if sql_ids == selected else f"no ({len(sql_ids)} by SQL)",
            "selection_ratio": round(selection.seconds / max(sql_seconds, 1e-6), 1),
        }


def _raw_sql_selection(cr, today):
    """The policies the notice job writes about on `today`, in one query:
    renewal reminders on the cadence, expired policies not replaced,
    verifications due. The lower bound of the job's selection."""
    query = """
    WITH cadence AS (
        SELECT c.id AS company_id, max(d::int) AS horizon
          FROM res_company c,
               unnest(string_to_array(coalesce(c.coi_renewal_cadence, '30,14,7'), ',')) d
         GROUP BY c.id
    ), due AS (
        SELECT p.id, p.partner_id, p.coverage_type_id, p.expiration_date, cadence.horizon
          FROM coi_policy p JOIN cadence ON cadence.company_id = p.company_id
         WHERE p.replaced_by_id IS NULL AND (
               (p.state = 'active'
                AND p.expiration_date BETWEEN %(today)s AND %(today)s + cadence.horizon)
            OR (p.state = 'expired'
                AND p.expiration_date BETWEEN %(today)s - 365 AND %(today)s))
    )
    SELECT due.id FROM due
     WHERE NOT EXISTS (
            SELECT 1 FROM coi_policy n
             WHERE n.partner_id = due.partner_id AND n.coverage_type_id = due.coverage_type_id
               AND n.state IN ('draft', 'active') AND n.expiration_date > due.expiration_date)
       AND NOT EXISTS (
            SELECT 1 FROM coi_certificate c
             WHERE c.partner_id = due.partner_id
               AND c.state IN ('received', 'in_review', 'accepted')
               AND c.received_date::date >= due.expiration_date - due.horizon)
    UNION
    SELECT p.id FROM coi_policy p
      LEFT JOIN coi_certificate c ON c.id = p.certificate_id
     WHERE p.state = 'active' AND p.expiration_date > %(today)s
       AND coalesce(p.verification_step, '') != 'midterm'
       AND (
            (p.midterm_date <= %(today)s AND p.midterm_date > %(today)s - 30)
         OR (p.verification_step IS NULL
             AND c.review_date >= %(today)s - 59 AND c.review_date < %(today)s - 29)
         OR (p.verification_step IS NULL AND p.certificate_id IS NULL
             AND p.effective_date BETWEEN %(today)s - 59 AND %(today)s - 30))
    """
    timings, ids = [], set()
    for _ in range(3):
        start = time.perf_counter()
        cr.execute(query, {"today": today})
        ids = {row[0] for row in cr.fetchall()}
        timings.append(time.perf_counter() - start)
    return ids, statistics.median(timings)
