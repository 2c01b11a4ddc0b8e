"""The generated data of the benchmarks.

`generate`: N vendors with three policies each (GL, AUTO, WC_EL) and their
limits, three requirement sets (two assigned by tag, one directly), a
realistic mix of compliant, expiring, expired, under-insured, exempt and
pending-review vendors; policies and limits inserted with SQL (`orm=True`:
with the ORM, same data, slower). `enrich`: what the reports slice by.
`manager` and `api_key_and_refs`: the users the reports and the API are
measured as. Odoo is imported inside the functions only.
"""

import random
from datetime import date, timedelta

# Vendor profiles: (name, share). Most vendors comply.
PROFILES = (
    ("compliant", 0.77),
    ("expiring", 0.08),  # one policy ends within the expiring window
    ("expired", 0.06),  # one policy ended (half still "active": the cron expires them)
    ("low_limit", 0.05),  # GL each occurrence below the requirement
    ("endorsement", 0.02),  # no additional insured / not per statute / low rating
    ("exempt", 0.01),  # exempt, some until a date within the next 40 days
    ("pending", 0.01),  # expired policy, but a certificate awaits review
)
RATINGS = ("A++", "A+", "A", "A-", "B++")
EXEMPT_REASON = "Sole proprietor, no employees"
# From this many vendors on, `generate` inserts the vendors with SQL (the ORM
# makes about 1,000 a second here: hours for a million).
SQL_VENDORS_FROM = 200_000
# The COI manager the reports are measured as.
MANAGER_LOGIN = "bench_reporting_manager"


def generate(env, size, seed, orm=False, sql_vendors=None):
    """N vendors, 3 policies each, 3 requirement sets; no recompute.
    `sql_vendors`: the vendors inserted by SQL (default: from
    SQL_VENDORS_FROM vendors on), the first one still by the ORM."""
    from odoo import Command

    from odoo.addons.coi_tracking.models.res_partner import DIRTY_KEY

    rng = random.Random(seed)  # noqa: S311 - reproducible data, not secrets
    today = date.today()
    env = env(
        context=dict(
            env.context,
            tracking_disable=True,
            mail_create_nolog=True,
            mail_notrack=True,
        )
    )
    limit = {lt.code: lt.id for lt in env["coi.limit.type"].search([])}
    coverage = {ct.code: ct.id for ct in env["coi.coverage.type"].search([])}
    Tag = env["res.partner.category"]
    contractor, fleet = Tag.create([{"name": "Bench Contractor"}, {"name": "Bench Fleet"}])

    def req_line(code, limits, **flags):
        limit_cmds = [
            Command.create({"limit_type_id": limit[k], "amount": v}) for k, v in limits.items()
        ]
        return Command.create(
            {"coverage_type_id": coverage[code], "limit_ids": limit_cmds, **flags}
        )

    Set = env["coi.requirement.set"]
    standard = Set.create(
        {
            "name": "Bench Standard Contractor",
            "category_ids": [Command.set(contractor.ids)],
            "expiring_days": 30,
            "line_ids": [
                req_line(
                    "GL",
                    {"EACH_OCCURRENCE": 1e6, "GENERAL_AGGREGATE": 2e6},
                    additional_insured=True,
                ),
                req_line("AUTO", {"COMBINED_SINGLE_LIMIT": 1e6}),
                req_line("WC_EL", {"EL_EACH_ACCIDENT": 5e5}, per_statute=True),
            ],
        }
    )
    fleet_set = Set.create(
        {
            "name": "Bench Fleet Operators",
            "category_ids": [Command.set(fleet.ids)],
            "expiring_days": 45,
            "line_ids": [req_line("AUTO", {"COMBINED_SINGLE_LIMIT": 2e6})],
        }
    )
    high_risk = Set.create(
        {
            "name": "Bench High-Risk Sites",
            "min_am_best": "A-",
            "line_ids": [
                req_line(
                    "GL",
                    {"EACH_OCCURRENCE": 2e6, "GENERAL_AGGREGATE": 4e6},
                    additional_insured=True,
                    waiver_of_subrogation=True,
                ),
                req_line("WC_EL", {"EL_EACH_ACCIDENT": 1e6}, per_statute=True),
            ],
        }
    )
    insurers = env["res.partner"].create(
        [
            {"name": f"Bench Insurer {rating}", "is_company": True, "coi_is_insurer": True}
            | {"coi_am_best_rating": rating}
            for rating in RATINGS
        ]
    )
    insurer = dict(zip(RATINGS, insurers.ids, strict=True))

    # Vendors: who they are, which sets apply, which profile; one byte each
    # (a million vendors as dicts would weigh hundreds of MB), drawn first
    # for every vendor, then the exemptions, then the policies vendor by
    # vendor: the same draws in the same order whichever path inserts them.
    names = [name for name, _share in PROFILES]
    traits, exempt_until = _draw_vendors(rng, size, today)

    def vendor(i):
        t = traits[i]
        return {
            "index": i,
            "contractor": bool(t & 1),
            "fleet": bool(t & 2),
            "high_risk": bool(t & 4),
            "profile": names[t >> 3],
        }

    def partner_vals(v):
        tags = [tag.id for tag, on in ((contractor, v["contractor"]), (fleet, v["fleet"])) if on]
        vals = {
            "name": f"Bench Vendor {v['index']:06d}",
            "email": f"insurance{v['index']:06d}@vendor.bench.example",
            "is_company": True,
            "supplier_rank": 1,
            "category_id": [Command.set(tags)],
        }
        if v["profile"] == "exempt":
            vals.update(coi_exempt=True, coi_exempt_reason=EXEMPT_REASON)
            if exempt_until[v["index"]]:
                vals["coi_exempt_until"] = exempt_until[v["index"]]
        return vals

    if sql_vendors is None:
        sql_vendors = size >= SQL_VENDORS_FROM
    company_id = env.company.id
    chunk = 10000 if sql_vendors else 1000
    high_risk_ids, pending, n_policies, n_limits = [], [], 0, 0
    prototype = None
    for start in range(0, size, chunk):
        vendors = [vendor(i) for i in range(start, min(start + chunk, size))]
        vals_list = [partner_vals(v) for v in vendors]
        ids, prototype = _make_vendors(env, vals_list, sql_vendors, prototype)
        env.invalidate_all()
        for v, pid in zip(vendors, ids, strict=True):
            v["id"] = pid
        high_risk_ids += [v["id"] for v in vendors if v["high_risk"]]
        pending += [v["id"] for v in vendors if v["profile"] == "pending"]
        policies = [p for v in vendors for p in _policies_of(v, rng, today, insurer)]
        n_policies += len(policies)
        n_limits += sum(len(p["limits"]) for p in policies)
        if orm:
            _create_policies(env, policies, company_id, coverage, limit)
        else:
            _insert_policies(env, policies, company_id, coverage, limit)
    if sql_vendors:
        _insert_set_vendors(env, high_risk, high_risk_ids)
    else:
        high_risk.write({"partner_ids": [Command.set(high_risk_ids)]})

    if pending:
        env["coi.certificate"].create(
            [{"partner_id": pid, "state": "received", "source": "email"} for pid in pending]
        )
    # No recompute here: the data is evaluated by the measured scenarios, not
    # by the commit of its generation (writes only marked the vendors dirty).
    env.cr.precommit.data.pop(DIRTY_KEY, None)
    env.invalidate_all()
    return {
        "vendors": size,
        "vendors_by": "sql" if sql_vendors else "orm",
        "policies": n_policies,
        "limits": n_limits,
        "sets": len(standard | fleet_set | high_risk),
        "profiles": {name: sum(t >> 3 == i for t in traits) for i, name in enumerate(names)},
        "direct_assignments": len(high_risk_ids),
        "tagged_contractor": sum(t & 1 for t in traits),
        "tagged_fleet": sum(t >> 1 & 1 for t in traits),
    }


def _draw_vendors(rng, size, today):
    """Each vendor's traits as one byte (contractor tag, fleet tag, high risk,
    profile << 3) and {index: exempt until (or None)} of the exempt ones."""
    names, weights = zip(*PROFILES, strict=True)
    traits = bytearray(size)
    for i in range(size):
        contractor = rng.random() < 0.90
        fleet = rng.random() < 0.15
        high_risk = rng.random() < 0.10
        profile = names.index(rng.choices(names, weights)[0])
        traits[i] = contractor | fleet << 1 | high_risk << 2 | profile << 3
    exempt_until = {}
    exempt = names.index("exempt")
    for i in range(size):
        if traits[i] >> 3 == exempt:
            until = rng.random() < 0.5
            exempt_until[i] = today + timedelta(days=rng.randint(1, 39)) if until else None
    return traits, exempt_until


def _make_vendors(env, vals_list, sql_vendors, prototype):
    """(ids, prototype): the vendors of `vals_list` by the ORM, or by SQL
    after the first (`prototype`: the first vendor, made by the ORM, the
    model of the others; None before it is made)."""
    if not sql_vendors:
        return env["res.partner"].create(vals_list).ids, None
    ids = []
    if prototype is None:
        prototype = env["res.partner"].create(vals_list[:1]).id
        ids.append(prototype)
    ids += _insert_vendors(env, prototype, vals_list[len(ids) :])
    return ids, prototype


def _policies_of(v, rng, today, insurer):
    """GL, AUTO and WC_EL policies of one vendor, per its profile."""
    occurrence = 2e6 if v["high_risk"] or rng.random() < 0.3 else 1e6
    el = 1e6 if v["high_risk"] else 5e5
    common = {
        "partner_id": v["id"],
        "insurer_id": insurer[rng.choice(("A++", "A+", "A", "A", "A-"))],
        "additional_insured": True,
        "waiver_of_subrogation": True,
        "primary_noncontributory": rng.random() < 0.5,
        "per_statute": False,
        "state": "active",
    }
    gl = {
        **common,
        "coverage_type_id": "GL",
        "limits": {
            "EACH_OCCURRENCE": occurrence,
            "DAMAGE_TO_RENTED_PREMISES": 1e5,
            "GENERAL_AGGREGATE": 2 * occurrence,
            "PRODUCTS_COMP_OP_AGG": 2 * occurrence,
        },
    }
    auto = {
        **common,
        "coverage_type_id": "AUTO",
        "limits": {"COMBINED_SINGLE_LIMIT": 2e6 if v["fleet"] else 1e6},
    }
    wc = {
        **common,
        "coverage_type_id": "WC_EL",
        "per_statute": True,
        "limits": {
            "EL_EACH_ACCIDENT": el,
            "EL_DISEASE_EA_EMPLOYEE": el,
            "EL_DISEASE_POLICY_LIMIT": el,
        },
    }
    policies = [gl, auto, wc]
    # Compliant dates: renewals spread over the coming year, past the window.
    for p in policies:
        p["expiration_date"] = today + timedelta(days=rng.randint(46, 365))
    odd = rng.choice(policies)
    profile = v["profile"]
    if profile == "expiring":
        odd["expiration_date"] = today + timedelta(days=rng.randint(1, 30))
    elif profile in ("expired", "pending"):
        odd["expiration_date"] = today - timedelta(days=rng.randint(0, 60))
        if rng.random() < 0.5:
            odd["state"] = "expired"
    elif profile == "low_limit":
        gl["limits"]["EACH_OCCURRENCE"] = 5e5
    elif profile == "endorsement":
        kind = rng.randrange(3)
        if kind == 0:
            gl["additional_insured"] = False
        elif kind == 1:
            wc["per_statute"] = False
        else:
            gl["insurer_id"] = insurer["B++"]
    for p in policies:
        p["effective_date"] = p["expiration_date"] - timedelta(days=365)
        p["name"] = f"BP-{v['index']:06d}-{p['coverage_type_id']}"
    return policies


def _create_policies(env, policies, company_id, coverage, limit):
    """Policies and their limits through the ORM (slower, the same data)."""
    from odoo import Command

    Policy = env["coi.policy"]
    for start in range(0, len(policies), 1500):
        Policy.create(
            [
                {
                    **{k: p[k] for k in p if k != "limits"},
                    "company_id": company_id,
                    "coverage_type_id": coverage[p["coverage_type_id"]],
                    "limit_ids": [
                        Command.create({"limit_type_id": limit[c], "amount": a})
                        for c, a in p["limits"].items()
                    ],
                }
                for p in policies[start : start + 1500]
            ]
        )
        env.invalidate_all()


# The columns of a generated vendor that are its own; every other column of
# res_partner (active, type, lang, is_company, supplier_rank, customer_rank,
# partner_share, autopost_bills, coi_purchase_rank, create/write uid and
# date, ...: what the ORM stored for the first vendor) is copied from the
# first vendor, so that the SQL path follows whatever the installed modules
# store (bench/equivalence.py compares every column).
OWN_COLUMNS = (
    "id",
    "name",
    "complete_name",
    "commercial_company_name",
    "commercial_partner_id",
    "email",
    "email_normalized",
    "coi_exempt",
    "coi_exempt_reason",
    "coi_exempt_until",
)


def _insert_vendors(env, prototype, vals_list):
    """Vendors (companies, no parent: each its own commercial partner) in one
    INSERT ... SELECT FROM unnest(), as the ORM would store them from
    `vals_list` (the values `generate` gives the ORM), with their tags.
    Returns their ids, in order."""
    from odoo.tools import SQL, email_normalize

    if not vals_list:
        return []
    cr = env.cr
    env.flush_all()
    cr.execute(
        "SELECT column_name FROM information_schema.columns"
        " WHERE table_schema = current_schema() AND table_name = 'res_partner'"
        " ORDER BY ordinal_position"
    )
    copied = [name for (name,) in cr.fetchall() if name not in OWN_COLUMNS]
    cr.execute(
        SQL("SELECT nextval('res_partner_id_seq') FROM generate_series(1, %s)", len(vals_list))
    )
    ids = [row[0] for row in cr.fetchall()]
    names = [vals["name"] for vals in vals_list]
    emails = [vals["email"] for vals in vals_list]
    cr.execute(
        SQL(
            "INSERT INTO res_partner (%(own)s, %(copied)s)"
            " SELECT v.id, v.name, v.name, v.name, v.id, v.email, v.normalized,"
            "        v.exempt, v.reason, v.until, %(from_first)s"
            "   FROM unnest(%(ids)s::int4[], %(names)s::varchar[], %(emails)s::varchar[],"
            "               %(normalized)s::varchar[], %(exempt)s::bool[],"
            "               %(reasons)s::varchar[], %(until)s::date[])"
            "        AS v(id, name, email, normalized, exempt, reason, until),"
            "        res_partner proto"
            "  WHERE proto.id = %(prototype)s"
            "  ORDER BY v.id",
            own=SQL(", ").join(SQL.identifier(name) for name in OWN_COLUMNS),
            copied=SQL(", ").join(SQL.identifier(name) for name in copied),
            from_first=SQL(", ").join(SQL.identifier("proto", name) for name in copied),
            ids=ids,
            names=names,
            emails=emails,
            normalized=[email_normalize(email) for email in emails],
            # The ORM stores nothing (NULL) for a boolean or text not given.
            exempt=[vals.get("coi_exempt") or None for vals in vals_list],
            reasons=[vals.get("coi_exempt_reason") or None for vals in vals_list],
            until=[vals.get("coi_exempt_until") or None for vals in vals_list],
            prototype=prototype,
        )
    )
    rows = [
        (pid, tag)
        for pid, vals in zip(ids, vals_list, strict=True)
        for command in vals["category_id"]
        for tag in command[2]
    ]
    if rows:
        partner_ids, tag_ids = map(list, zip(*rows, strict=True))
        cr.execute(
            SQL(
                "INSERT INTO res_partner_res_partner_category_rel (partner_id, category_id)"
                " SELECT * FROM unnest(%s::int4[], %s::int4[])",
                partner_ids,
                tag_ids,
            )
        )
    return ids


def _insert_set_vendors(env, req_set, partner_ids):
    """The vendors a requirement set applies to directly, by SQL (what
    `write({"partner_ids": [Command.set(ids)]})` stores)."""
    from odoo.tools import SQL

    env.flush_all()
    env.cr.execute(
        SQL(
            "INSERT INTO coi_requirement_set_partner_rel (set_id, partner_id)"
            " SELECT %s, unnest(%s::int4[])",
            req_set.id,
            partner_ids,
        )
    )
    req_set.invalidate_recordset(["partner_ids"])


def _insert_policies(env, policies, company_id, coverage, limit):
    """Policies and their limits in a few INSERT ... SELECT FROM unnest()."""
    from odoo.tools import SQL

    cr = env.cr
    uid = env.uid
    for start in range(0, len(policies), 5000):
        chunk = policies[start : start + 5000]
        cr.execute(
            SQL("SELECT nextval('coi_policy_id_seq') FROM generate_series(1, %s)", len(chunk))
        )
        ids = [row[0] for row in cr.fetchall()]
        cols = {
            "id": (ids, "int4"),
            "name": ([p["name"] for p in chunk], "varchar"),
            "partner_id": ([p["partner_id"] for p in chunk], "int4"),
            "coverage_type_id": ([coverage[p["coverage_type_id"]] for p in chunk], "int4"),
            "insurer_id": ([p["insurer_id"] for p in chunk], "int4"),
            "effective_date": ([p["effective_date"] for p in chunk], "date"),
            "expiration_date": ([p["expiration_date"] for p in chunk], "date"),
            "additional_insured": ([p["additional_insured"] for p in chunk], "bool"),
            "waiver_of_subrogation": ([p["waiver_of_subrogation"] for p in chunk], "bool"),
            "primary_noncontributory": ([p["primary_noncontributory"] for p in chunk], "bool"),
            "per_statute": ([p["per_statute"] for p in chunk], "bool"),
            "state": ([p["state"] for p in chunk], "varchar"),
        }
        cr.execute(
            SQL(
                "INSERT INTO coi_policy (%s, company_id, create_uid, write_uid,"
                " create_date, write_date)"
                " SELECT *, %s, %s, %s, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'"
                " FROM unnest(%s)",
                SQL(", ").join(SQL.identifier(name) for name in cols),
                company_id,
                uid,
                uid,
                SQL(", ").join(
                    SQL("%s::%s[]", values, SQL(kind)) for values, kind in cols.values()
                ),
            )
        )
        rows = [
            (pid, limit[code], amount)
            for pid, p in zip(ids, chunk, strict=True)
            for code, amount in p["limits"].items()
        ]
        policy_ids, type_ids, amounts = zip(*rows, strict=True)
        cr.execute(
            SQL(
                "INSERT INTO coi_policy_limit (policy_id, limit_type_id, amount, sequence,"
                " create_uid, write_uid, create_date, write_date)"
                " SELECT r.policy_id, r.limit_type_id, r.amount, lt.sequence, %s, %s,"
                " now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'"
                " FROM unnest(%s::int4[], %s::int4[], %s::numeric[])"
                " AS r(policy_id, limit_type_id, amount)"
                " JOIN coi_limit_type lt ON lt.id = r.limit_type_id",
                uid,
                uid,
                list(policy_ids),
                list(type_ids),
                list(amounts),
            )
        )


def enrich(env):
    """What the reports slice by, on generated vendors: references, US
    states, risk tiers of the sets, and 40% of the vendors with one to three
    confirmed purchase orders. Returns the number of orders."""
    cr = env.cr
    tiers = {
        "Bench Standard Contractor": "medium",
        "Bench Fleet Operators": "high",
        "Bench High-Risk Sites": "critical",
    }
    for name, tier in tiers.items():
        # The risk tier changes no vendor's compliance: nothing is marked dirty.
        env["coi.requirement.set"].search([("name", "=", name)]).write({"risk_tier": tier})
    cr.execute(
        """
        WITH states AS (
            SELECT array_agg(s.id ORDER BY s.id) AS ids
              FROM res_country_state s JOIN res_country c ON c.id = s.country_id
             WHERE c.code = 'US')
        UPDATE res_partner p
           SET state_id = states.ids[1 + p.id % array_length(states.ids, 1)],
               country_id = (SELECT id FROM res_country WHERE code = 'US'),
               ref = 'B-' || p.id
          FROM states
         WHERE p.name LIKE 'Bench Vendor %'
        """
    )
    company = env.company
    cr.execute(
        """
        INSERT INTO purchase_order (
            name, partner_id, company_id, currency_id, state, date_order, date_approve,
            amount_untaxed, amount_tax, amount_total, currency_rate, invoice_status,
            create_uid, create_date, write_uid, write_date)
        SELECT 'BENCH/' || p.id || '/' || n, p.id, %s, %s, 'purchase',
               now() - (p.id %% 300 || ' days')::interval,
               now() - (p.id %% 300 || ' days')::interval,
               1000 + (p.id * 37 + n * 101) %% 50000, 0,
               1000 + (p.id * 37 + n * 101) %% 50000, 1,
               CASE WHEN n = 1 THEN 'to invoice' ELSE 'invoiced' END,
               1, now(), 1, now()
          FROM res_partner p, generate_series(1, 1 + p.id %% 3) n
         WHERE p.name LIKE 'Bench Vendor %%' AND p.id %% 5 < 2
        """,
        [company.id, company.currency_id.id],
    )
    return cr.rowcount


def manager(env):
    """A COI manager: the reports are measured with record rules on."""
    return env["res.users"].create(
        {
            "name": "Bench Manager",
            "login": MANAGER_LOGIN,
            "group_ids": [(6, 0, [env.ref("coi_tracking.coi_tracking_group_manager").id])],
        }
    )


def api_key_and_refs(env):
    """An API key of a new user of the COI API group, and the references and
    ids of the bench vendors (in id order)."""
    from odoo import fields

    user = env["res.users"].create(
        {
            "name": "Bench API",
            "login": "bench_api",
            "group_ids": [(6, 0, [env.ref("coi_tracking_api.group_coi_api").id])],
        }
    )
    key = (
        env["res.users.apikeys"]
        .with_user(user)
        ._generate(None, "bench", fields.Datetime.now() + timedelta(days=1))
    )
    env.cr.execute("SELECT ref, id FROM res_partner WHERE ref LIKE 'B-%' ORDER BY id")
    rows = env.cr.fetchall()
    return key, [ref for ref, _id in rows], [id_ for _ref, id_ in rows]
