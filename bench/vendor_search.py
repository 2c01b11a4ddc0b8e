"""Vendor search at scale, with and without the trigram indexes (a benchmark,
not a test).

    .venv/bin/python bench/vendor_search.py --db DB [--size 100000] [--samples 20]

DB: a scratch database with coi_tracking installed (setup/bench-vendor-search.sh
makes one and drops it); N vendors are added to it.

The vendors are inserted with SQL (100,000 in seconds): the suite's generator
(benchlib/data.py) names them "Bench Vendor 000123" without a reference, so
every substring of a name would match every vendor. Here each has a name of
a made-up word and two trade words ("Kelbrano Granite Paving LLC"), a
reference ("HC-58213") and an email. Timed, as a COI manager (record rules
on), for `--samples` random substrings of 4 to 6 letters of existing names
and references:

- `name_search(substring, limit=8)`: the vendor field of an RFQ (Odoo ORs
  complete_name, email, ref, vat and company_registry);
- `search([('complete_name', 'ilike', substring)], limit=80)`: a vendor
  list page;
- the same with substrings of the trade words thousands of vendors share
  (most 4-letter pieces of "Excavation" match thousands of rows);
- `search([('ref', 'ilike', substring)], limit=80)`: by reference.

Name substrings are taken from a vendor's own (made-up) word: what one
types to find that vendor.

First without the trigram indexes (dropped), then with them (created again,
timed), after an ANALYZE each time and one untimed warm-up pass. Prints the
median and p95 in ms and the scan nodes of PostgreSQL's plan (EXPLAIN of the
ORM's own query for one substring).
"""

import argparse
import random
import statistics
import time

from benchlib import data
from benchlib.database import open_registry

# The indexes of coi_tracking/models/res_partner.py.
TRIGRAM_PREFIX = "res_partner_coi_%_trgm"
WORDS = (
    "Harbor Summit Granite Cedar Iron Blue Ridge Valley Pioneer Eagle North Coastal Prairie "
    "Keystone Liberty Heritage Canyon Redwood Silver Anchor Beacon Frontier Lakeside Maple "
    "Titan Atlas Sterling Evergreen Falcon Copper"
).split()
TRADES = (
    "Crane Paving Electric Plumbing Roofing Hauling Excavation Concrete Steel Glass Masonry "
    "Landscaping Demolition Drywall Flooring Painting Welding Fencing Insulation Trucking "
    "Scaffolding Mechanical Elevator Surveying Drilling Carpentry Millwork Signage Security "
    "Janitorial"
).split()
SUFFIXES = ("LLC", "Inc", "Co", "Group", "& Sons", "Corp", "Services", "Contractors")
SYLLABLES = (
    "ka ri lo ven tor bel mar qui sta dro fen gal hol jun kel lim nor pax ros tul "
    "vex wan yor zim bra cle dru fro gri"
).split()


def make_vendors(env, size, seed):
    """`size` vendors of the main company, tracked (a status), by SQL."""
    from odoo.tools import SQL

    rng = random.Random(seed)  # noqa: S311 - reproducible data, not secrets
    names, refs, emails = [], [], []
    used = set()
    for i in range(size):
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()
        names.append(f"{word} {rng.choice(WORDS)} {rng.choice(TRADES)} {rng.choice(SUFFIXES)}")
        ref = f"{rng.choice('ABCDEFGHJKLMNPRSTUVWXZ')}{rng.choice('ABCDEFHKMRTW')}-"
        ref += f"{rng.randrange(10**5):05d}"
        while ref in used:
            ref = ref + "X"
        used.add(ref)
        refs.append(ref)
        emails.append(f"insurance{i:06d}@{word.lower()}.example")
    cr = env.cr
    for start in range(0, size, 20000):
        end = start + 20000
        cr.execute(
            SQL(
                """
                INSERT INTO res_partner (name, complete_name, ref, email, is_company, active,
                    type, lang, supplier_rank, company_id, autopost_bills, coi_status,
                    create_uid, write_uid, create_date, write_date)
                SELECT n, n, r, e, TRUE, TRUE, 'contact', 'en_US', 1, %(company)s, 'ask',
                    'compliant', %(uid)s, %(uid)s, now(), now()
                  FROM unnest(%(names)s::varchar[], %(refs)s::varchar[], %(emails)s::varchar[])
                    AS v(n, r, e)
                """,
                company=env.company.id,
                uid=env.uid,
                names=names[start:end],
                refs=refs[start:end],
                emails=emails[start:end],
            )
        )
    cr.execute(
        "UPDATE res_partner SET commercial_partner_id = id WHERE commercial_partner_id IS NULL"
    )
    return names, refs


def substrings(rng, texts, count):
    """`count` random substrings of 4 to 6 letters or digits of `texts`."""
    found = []
    while len(found) < count:
        text = rng.choice(texts)
        length = rng.randint(4, 6)
        if len(text) < length:
            continue
        start = rng.randrange(len(text) - length + 1)
        piece = text[start : start + length]
        if piece.replace("-", "").isalnum() and " " not in piece:
            found.append(piece)
    return found


def scenarios(Partner, name_pieces, common_pieces, ref_pieces):
    return [
        (
            "name_search (RFQ vendor field), limit 8",
            name_pieces,
            lambda s: Partner.name_search(s, limit=8),
            lambda s: Partner._search([("display_name", "ilike", s)], limit=8),
        ),
        (
            "search complete_name ilike, limit 80",
            name_pieces,
            lambda s: Partner.search([("complete_name", "ilike", s)], limit=80),
            lambda s: Partner._search([("complete_name", "ilike", s)], limit=80),
        ),
        (
            "search complete_name ilike, common words",
            common_pieces,
            lambda s: Partner.search([("complete_name", "ilike", s)], limit=80),
            lambda s: Partner._search([("complete_name", "ilike", s)], limit=80),
        ),
        (
            "search ref ilike, limit 80",
            ref_pieces,
            lambda s: Partner.search([("ref", "ilike", s)], limit=80),
            lambda s: Partner._search([("ref", "ilike", s)], limit=80),
        ),
    ]


def plan_nodes(cr, query):
    """The scan nodes of EXPLAIN of an ORM query (Seq Scan, Bitmap Index Scan...)."""
    from odoo.tools import SQL

    cr.execute(SQL("EXPLAIN %s", query.select()))
    nodes = []
    for (line,) in cr.fetchall():
        line = line.strip().removeprefix("->").strip()
        if "Scan" in line and "res_partner" in line:
            nodes.append(line.split("  (cost")[0])
    return nodes


def measure(env, cases):
    rows = []
    for label, pieces, run, _query in cases:
        for piece in pieces:  # warm-up: caches and the ORM's SQL
            run(piece)
        env.invalidate_all()
        times, hits = [], []
        for piece in pieces:
            started = time.perf_counter()
            found = run(piece)
            times.append((time.perf_counter() - started) * 1000)
            hits.append(len(found))
            env.invalidate_all()
        rows.append(
            {
                "label": label,
                "median": statistics.median(times),
                "p95": statistics.quantiles(times, n=20)[18] if len(times) > 1 else times[0],
                "hits": statistics.median(hits),
                "plan": plan_nodes(env.cr, _query(pieces[0])),
            }
        )
    return rows


def trigram_indexes(cr):
    cr.execute(
        "SELECT indexname, indexdef FROM pg_indexes"
        " WHERE tablename = 'res_partner' AND indexname LIKE %s ORDER BY indexname",
        [TRIGRAM_PREFIX],
    )
    return cr.fetchall()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True, help="scratch database with coi_tracking")
    parser.add_argument("--size", type=int, default=100000, help="vendors (default 100000)")
    parser.add_argument("--samples", type=int, default=20, help="substrings (default 20)")
    parser.add_argument("--seed", type=int, default=18)
    args = parser.parse_args()

    odoo, registry = open_registry(args.db)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        indexes = trigram_indexes(cr)
        if not indexes:
            raise SystemExit("no trigram index on res_partner: is coi_tracking installed?")
        started = time.perf_counter()
        names, refs = make_vendors(env, args.size, args.seed)
        user = data.manager(env)
        cr.commit()
        generated = time.perf_counter() - started
        cr.execute("SELECT count(*) FROM res_partner")
        partners = cr.fetchone()[0]
        print(f"data: {args.size:,} vendors inserted in {generated:.1f} s ({partners:,} partners)")
        rng = random.Random(args.seed)  # noqa: S311
        # A vendor's own word (what one types to find that vendor), and the
        # trade words thousands of vendors share ("Paving", "Electric").
        name_pieces = substrings(rng, [n.split()[0] for n in names], args.samples)
        common_pieces = substrings(rng, [" ".join(n.split()[1:3]) for n in names], args.samples)
        ref_pieces = substrings(rng, refs, args.samples)
        print(f"name substrings: {', '.join(name_pieces)}")
        print(f"common-word substrings: {', '.join(common_pieces)}")
        print(f"ref substrings: {', '.join(ref_pieces)}")
        cases = scenarios(env(user=user.id)["res.partner"], name_pieces, common_pieces, ref_pieces)

        for name, _definition in indexes:
            cr.execute(f'DROP INDEX "{name}"')  # names read from pg_indexes
        cr.execute("ANALYZE res_partner")
        cr.commit()
        without = measure(env, cases)

        started = time.perf_counter()
        for _name, definition in indexes:
            cr.execute(definition)
        cr.execute("ANALYZE res_partner")
        cr.commit()
        built = time.perf_counter() - started
        cr.execute(
            "SELECT sum(pg_relation_size(indexname::regclass)) FROM pg_indexes"
            " WHERE tablename = 'res_partner' AND indexname LIKE %s",
            [TRIGRAM_PREFIX],
        )
        size_mb = cr.fetchone()[0] / 2**20
        print(
            f"trigram indexes ({len(indexes)}) built in {built:.1f} s, {size_mb:.1f} MB; "
            f"table {partners:,} rows"
        )
        with_index = measure(env, cases)

    print()
    print(f"{'scenario':42} {'without: median':>16} {'p95':>8} {'with: median':>13} {'p95':>8}")
    for before, after in zip(without, with_index, strict=True):
        print(
            f"{before['label']:42} {before['median']:13.1f} ms {before['p95']:5.1f} ms "
            f"{after['median']:10.1f} ms {after['p95']:5.1f} ms   (median {after['hits']:g} rows)"
        )
    print()
    for before, after in zip(without, with_index, strict=True):
        print(f"plan of {before['label']}:")
        print(f"  without: {'; '.join(before['plan'])}")
        print(f"  with:    {'; '.join(after['plan'])}")


if __name__ == "__main__":
    main()
