"""The SQL path of the generated vendors gives the same database as the ORM
(a check of the benchmark's data, not a test: about 6 minutes at 10,000
vendors here, so not in CI).

    setup/bench-equivalence.sh                  10,000 vendors
    setup/bench-equivalence.sh --size 2000      quicker

Two copies of a database with the three addons: in one, `data.generate`
makes the vendors through the ORM (as the suite does below
data.SQL_VENDORS_FROM vendors), in the other by SQL (as it does from there
on); policies by SQL in both, the same seed. Then, on each, the suite's own
steps: the full recompute, the notice history and the daily cron (clock +1
day). Compared after each step, every column of every row that matters:

- the vendors (every column of res_partner but the create and write dates,
  their ids included), their tags and direct requirement sets, and the row
  count of every table;
- after the recompute: the vendors again (status, next expiry, deficiencies,
  recheck date, timeliness), every compliance line, the status counts;
- after the daily cron: every notice (kind, stage, vendor, policy, state),
  the emails queued and the chatter messages, the counts by kind.

Prints the figures side by side and "same" or what differs; exits 1 when
something differs.
"""

import argparse
import subprocess
import sys
from collections import Counter
from pathlib import Path

from benchlib.database import copy_db, drop_db
from benchlib.measure import run_process

SUITE = Path(__file__).with_name("suite.py")

# (what, query): rows compared as they come, ordered.
VENDORS = (
    "vendors (every column)",
    "SELECT to_jsonb(p) - 'create_date' - 'write_date' FROM res_partner p"
    " WHERE name LIKE 'Bench Vendor %' ORDER BY id",
)
RELATIONS = (
    (
        "vendor tags",
        "SELECT r.partner_id, c.name FROM res_partner_res_partner_category_rel r"
        " JOIN res_partner_category c ON c.id = r.category_id ORDER BY 1, 2",
    ),
    (
        "direct requirement sets",
        "SELECT r.partner_id, s.name->>'en_US' FROM coi_requirement_set_partner_rel r"
        " JOIN coi_requirement_set s ON s.id = r.set_id ORDER BY 1, 2",
    ),
)
LINES = (
    "compliance lines (every column)",
    "SELECT to_jsonb(l) - 'id' - 'create_date' - 'write_date' FROM coi_compliance_line l"
    " ORDER BY partner_id, coverage_type_id",
)
NOTICES = (
    "notices (kind, stage, vendor, policy, state, date)",
    "SELECT kind, stage, partner_id, policy_id, state, date, key FROM coi_notice" " ORDER BY key",
)
MAILS = (
    "emails queued (recipients, subject)",
    "SELECT m.model, m.res_id, m.subject, mm.state FROM mail_mail mm"
    " JOIN mail_message m ON m.id = mm.mail_message_id ORDER BY 2, 3, 1, 4",
)
# The bodies with their links' tokens (random in each database) masked.
MESSAGES = (
    "chatter messages on vendors and policies (bodies, tokens masked)",
    "SELECT model, res_id, message_type, subject,"
    " md5(regexp_replace(body, '[A-Za-z0-9_-]{32,}', 'TOKEN', 'g')) FROM mail_message"
    " WHERE model IN ('res.partner', 'coi.policy') ORDER BY 1, 2, 4, 5, 3",
)
STATUS_COUNTS = (
    "SELECT coalesce(coi_status, '(none)'), count(*) FROM res_partner"
    " WHERE name LIKE 'Bench Vendor %' GROUP BY 1 ORDER BY 1"
)
# Every table's row count, in one query (PostgreSQL builds the counts).
TABLE_COUNTS = (
    "SELECT tablename, (xpath('/row/n/text()', query_to_xml("
    "format('SELECT count(*) AS n FROM %I', tablename), false, true, '')))[1]::text"
    " FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
)
NOTICE_COUNTS = "SELECT kind, state, count(*) FROM coi_notice GROUP BY 1, 2 ORDER BY 1, 2"


# What `generate` made (its other figures are timings).
COUNTS = ("vendors", "policies", "limits", "sets", "profiles", "direct_assignments")
COUNTS += ("tagged_contractor", "tagged_fleet", "orders")


def rows(db, query):
    out = subprocess.run(
        ["psql", "-X", "-d", db, "-AtF", "\t", "-c", query],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return out.splitlines()


def table_counts(db):
    """{table: rows} of every table of the database."""
    return dict(line.split("\t") for line in rows(db, TABLE_COUNTS))


class Comparison:
    def __init__(self, orm_db, sql_db):
        self.dbs = (orm_db, sql_db)
        self.differences = []

    def same_rows(self, what, query):
        orm, sql = (rows(db, query) for db in self.dbs)
        if orm == sql:
            print(f"  same: {what} ({len(orm):,} rows)")
            return
        diff = Counter(orm)
        diff.subtract(Counter(sql))
        only_orm = [row for row, n in diff.items() if n > 0]
        only_sql = [row for row, n in diff.items() if n < 0]
        self.differences.append(what)
        print(f"  DIFFERENT: {what}: {len(orm):,} rows by the ORM, {len(sql):,} by SQL")
        for label, sample in (("ORM only", only_orm), ("SQL only", only_sql)):
            for row in sample[:3]:
                print(f"    {label}: {row[:400]}")

    def same_tables(self):
        orm, sql = (table_counts(db) for db in self.dbs)
        differ = {t: (orm.get(t), sql.get(t)) for t in orm.keys() | sql.keys()}
        differ = {t: pair for t, pair in differ.items() if pair[0] != pair[1]}
        if differ:
            self.differences.append("row counts")
            for table, (a, b) in sorted(differ.items()):
                print(f"  DIFFERENT: rows in {table}: {a} by the ORM, {b} by SQL")
        else:
            print(f"  same: row counts of all {len(orm)} tables")

    def side_by_side(self, title, query):
        orm, sql = (rows(db, query) for db in self.dbs)
        print(f"  {title}:")
        for a, b in zip(orm, sql, strict=False):
            mark = "" if a == b else "   <- differs"
            print(f"    {a.replace(chr(9), ' '):36} | {b.replace(chr(9), ' ')}{mark}")
        if len(orm) != len(sql):
            self.differences.append(title)


def step(name, db, size, *extra):
    cmd = [sys.executable, str(SUITE), "--step", name, "--db", db, "--size", str(size)]
    return run_process([*cmd, "--runs", "1", *extra])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db-template", required=True, help="a database with the addons")
    parser.add_argument("--size", type=int, default=10000, help="vendors")
    parser.add_argument("--keep", action="store_true", help="keep the two databases")
    args = parser.parse_args(argv)
    orm_db, sql_db = f"{args.db_template}_eq_orm", f"{args.db_template}_eq_sql"
    check = Comparison(orm_db, sql_db)
    try:
        for db in (orm_db, sql_db):
            copy_db(args.db_template, db)
        made = {}
        for db, by in ((orm_db, "orm"), (sql_db, "sql")):
            made[by] = step("generate", db, args.size, "--vendors-by", by)
            print(f"generated {args.size:,} vendors by {by.upper()} in {made[by]['seconds']} s")
        print("After generation:")
        counts = [{k: v for k, v in made[by].items() if k in COUNTS} for by in ("orm", "sql")]
        if counts[0] != counts[1]:
            check.differences.append("generation counts")
            print(f"  DIFFERENT: generation counts {counts}")
        check.same_rows(*VENDORS)
        for relation in RELATIONS:
            check.same_rows(*relation)
        check.same_tables()

        for db in (orm_db, sql_db):
            step("recompute", db, args.size)
        print("After the full recompute:")
        check.side_by_side("vendors by status (ORM | SQL)", STATUS_COUNTS)
        check.same_rows(*VENDORS)
        check.same_rows(*LINES)
        check.same_rows(*NOTICES)

        for db in (orm_db, sql_db):
            step("history", db, args.size)
        cron = {db: step("daily_cron", db, args.size) for db in (orm_db, sql_db)}
        print("After the notice history and the daily cron (clock +1 day):")
        for key in ("refreshed", "notices", "mails", "selected"):
            a, b = (cron[db][key] for db in (orm_db, sql_db))
            print(f"  {key}: {a:,} | {b:,}{'' if a == b else '   <- differs'}")
            if a != b:
                check.differences.append(f"daily cron {key}")
        check.side_by_side("notices by kind and state (ORM | SQL)", NOTICE_COUNTS)
        check.same_rows(*NOTICES)
        check.same_rows(*MAILS)
        check.same_rows(*MESSAGES)
        check.side_by_side("vendors by status (ORM | SQL)", STATUS_COUNTS)
        check.same_rows(*VENDORS)
        check.same_rows(*LINES)
        check.same_tables()
    finally:
        for db in (orm_db, sql_db):
            if args.keep:
                print(f"kept database {db}")
            else:
                drop_db(db)
    if check.differences:
        print(f"DIFFERENT: {', '.join(check.differences)}")
        return 1
    print(f"same: {args.size:,} vendors made by SQL give the database the ORM gives")
    return 0


if __name__ == "__main__":
    sys.exit(main())
