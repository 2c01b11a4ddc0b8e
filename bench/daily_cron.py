"""Scenario: the daily cron with the clock moved one day forward. The days
before were run (`history`: every notice due until today is on file as sent),
then the status refresh job and the notice job run as the scheduler runs
them (committing per batch). Next to it, on the same data, one SQL query
selects the policies that the job writes about (the lower bound): the
result gives the ratio of the job's own selection to it and says whether
both found the same policies (and, when not, which kinds differ). Before the
measurement the SQL is checked against the job's rules on cases the
generated data lacks (`selection_cases`). Run by the suite (suite.py)."""

import statistics
import time
from collections import Counter
from contextlib import closing
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
        asked = _first_requests_sent(env, today)
        cr.commit()
    return {"notices": len(candidates), "first_requests": asked}


def _first_requests_sent(env, today):
    """The first requests that the full recompute handed to the notice job
    (started at once in production, hours before the next day's run),
    recorded as sent today the same way: their notices on file, their
    vendors' request cycles open."""
    from odoo.addons.coi_tracking.engine import requests

    Notice = env["coi.notice"]
    vendors = env["res.partner"].search([("coi_request_queued", "=", True)], order="id")
    asked = vendors.filtered(lambda v: v.coi_status in requests.REQUESTABLE_STATUSES)
    rows = []
    for vendor in asked:
        stage = requests.cycle_stage(vendor.id, vendor.coi_request_cycle + 1)
        rows.append((Notice._make_key("request", None, None, stage), stage, vendor.id))
    if rows:
        env.cr.execute(
            """
            INSERT INTO coi_notice (key, kind, stage, partner_id, date, state,
                                    create_uid, create_date, write_uid, write_date)
            SELECT k, 'request', st, pa, %s, 'sent', 1, now(), 1, now()
              FROM unnest(%s::varchar[], %s::varchar[], %s::int[]) AS t(k, st, pa)
            ON CONFLICT (key) DO NOTHING
            """,
            [today, *[list(col) for col in zip(*rows, strict=True)]],
        )
    asked._coi_open_cycle(today)
    vendors.with_context(mail_notrack=True).write({"coi_request_queued": False})
    return len(asked)


def step(args):
    from freezegun import freeze_time

    odoo, registry = open_registry(args.db)
    tomorrow = date.today() + timedelta(days=1)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        cr.execute("ANALYZE")
        cr.commit()
        # The SQL must follow the job's rules, also where the data is silent.
        cases = selection_cases(env, tomorrow)
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
                    kinds = _job_selection(env, tomorrow)
                selected = set(kinds)
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
            "same_policies": _same_policies(kinds, sql_ids),
            "sql_cases": cases,
            "selection_ratio": round(selection.seconds / max(sql_seconds, 1e-6), 1),
        }


def _job_selection(env, today, companies=None):
    """{policy id: kind} of the notice job's selection on `today` (renewal,
    expiry and verification candidates of each company)."""
    Notice = env["coi.notice"]
    kinds = {}
    for company in companies or env["res.company"].search([]):
        for pick in (
            Notice._renewal_candidates,
            Notice._expired_candidates,
            Notice._verification_candidates,
        ):
            kinds.update((c["policy"].id, c["kind"]) for c in pick(today, company))
    return kinds


def _same_policies(kinds, sql_ids):
    """Whether the job's selection ({policy id: kind}) and the SQL's are the
    same policies: "yes", or the count by SQL and the policies only one side
    selected, by kind (those of the SQL alone by id: the job gives them no
    kind)."""
    if set(kinds) == sql_ids:
        return "yes"
    job_only = Counter(kinds[i] for i in set(kinds) - sql_ids)
    sql_only = sorted(sql_ids - set(kinds))
    parts = [f"{len(sql_ids)} by SQL"]
    if job_only:
        by_kind = ", ".join(f"{kind} {n:,}" for kind, n in sorted(job_only.items()))
        parts.append(f"{sum(job_only.values()):,} by the job alone ({by_kind})")
    if sql_only:
        parts.append(f"{len(sql_only):,} by SQL alone (ids {sql_only[:5]})")
    return f"no ({'; '.join(parts)})"


# The cases `selection_cases` makes: (name, the policy's coverage, what else
# the vendor has on file: None, or (the newer policy's coverage or None, the
# certificate's state or None)), each once as a renewal due and once as an
# expired policy. Whether the job selects it is what it says; the SQL must
# say the same.
CASES = (
    ("nothing else on file", "GL", None),
    ("a certificate received, nothing read from it yet", "GL", (None, "received")),
    ("its renewal on file, no certificate", "GL", ("GL", None)),
    ("its renewal read from a certificate under review", "GL", ("GL", "in_review")),
    ("its renewal read from an accepted certificate", "GL", ("GL", "accepted")),
    ("its renewal read from a rejected certificate", "GL", ("GL", "rejected")),
    ("its renewal read from a certificate sent back", "GL", ("GL", "revision_requested")),
    ("another coverage renewed", "GL", ("AUTO", "received")),
)


def selection_cases(env, today):
    """Check the raw SQL against the job on the cases of CASES, made in a
    company of their own inside a savepoint (rolled back): "N of N as the
    job", or the cases where they differ. The generated data holds few of
    them (its pending vendors have a certificate nothing was read from, and
    no policy comes from a certificate), so the comparison of the whole
    selections alone would not see the SQL miss one of the job's rules."""
    coverage = {
        ct.code: ct.id for ct in env["coi.coverage.type"].search([("code", "in", ("GL", "AUTO"))])
    }
    made = {}  # policy id -> case name
    with closing(env.cr.savepoint()):
        company = env["res.company"].create({"name": "Bench selection cases"})
        for index, (name, code, other) in enumerate(CASES):
            for kind, state, days in (("renewal", "active", 10), ("expired", "expired", -3)):
                vendor = env["res.partner"].create(
                    {"name": f"Bench Case {index} {kind}", "is_company": True}
                )
                expiration = today + timedelta(days=days)
                policy = env["coi.policy"].create(
                    {
                        "name": f"CASE-{index}-{kind}",
                        "partner_id": vendor.id,
                        "company_id": company.id,
                        "coverage_type_id": coverage[code],
                        "effective_date": expiration - timedelta(days=365),
                        "expiration_date": expiration,
                        "state": state,
                    }
                )
                made[policy.id] = f"{name} ({kind})"
                if other is None:
                    continue
                newer_code, certificate_state = other
                certificate = env["coi.certificate"]
                if certificate_state:
                    certificate = certificate.create(
                        {
                            "name": f"CASE-{index}-{kind}",
                            "partner_id": vendor.id,
                            "company_id": company.id,
                            "state": certificate_state,
                            "source": "email",
                        }
                    )
                if newer_code:
                    env["coi.policy"].create(
                        {
                            "name": f"CASE-{index}-{kind}-NEW",
                            "partner_id": vendor.id,
                            "company_id": company.id,
                            "coverage_type_id": coverage[newer_code],
                            "effective_date": expiration,
                            "expiration_date": expiration + timedelta(days=365),
                            "state": "draft",
                            "certificate_id": certificate.id,
                        }
                    )
        env.flush_all()
        job = set(_job_selection(env, today, company)) & set(made)
        sql = _raw_sql_selection(cr=env.cr, today=today, runs=1)[0] & set(made)
    # Nothing of the cases stays: neither records nor what the caches took
    # from them (the new company was linked to the user, its caches cleared).
    env.invalidate_all()
    env.registry.clear_all_caches()
    differ = [
        f"{made[i]}: {'the job' if i in job else 'SQL'} selects it" for i in sorted(job ^ sql)
    ]
    if differ:
        return "; ".join(differ)
    return f"{len(made)} of {len(made)} as the job ({len(job)} selected)"


def _raw_sql_selection(cr, today, runs=3):
    """The policies the notice job writes about on `today`, in one query
    (run `runs` times: (ids, median seconds)): renewal reminders on the
    cadence, expired policies not replaced, verifications due. The lower
    bound of the job's selection. A reminder stops only for a coverage whose
    renewal is on file (`coi.policy._coi_without_renewal_received`): a newer
    draft or active policy of the vendor and coverage, without a certificate
    or read from one not turned down or sent back; any other certificate of
    the vendor leaves it due."""
    query = """
    WITH cadence AS (
        SELECT c.id AS company_id, max(d::int) AS horizon
          FROM res_company c,
               unnest(string_to_array(coalesce(c.coi_renewal_cadence, '30,14,7'), ',')) d
         GROUP BY c.id
    ), due AS (
        SELECT p.id, p.partner_id, p.coverage_type_id, p.expiration_date
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
              LEFT JOIN coi_certificate nc ON nc.id = n.certificate_id
             WHERE n.partner_id = due.partner_id AND n.coverage_type_id = due.coverage_type_id
               AND n.state IN ('draft', 'active') AND n.expiration_date > due.expiration_date
               AND (n.certificate_id IS NULL
                    OR nc.state IN ('received', 'in_review', 'accepted')))
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
    for _ in range(runs):
        start = time.perf_counter()
        cr.execute(query, {"today": today})
        ids = {row[0] for row in cr.fetchall()}
        timings.append(time.perf_counter() - start)
    return ids, statistics.median(timings)
