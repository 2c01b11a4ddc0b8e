"""Databases of the benchmarks: copies of a template (with the filestore),
and Odoo's registry on one of them."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

from .paths import ODOO_PATH, REPO_DIR


def run(cmd, **kwargs):
    """Run a trusted command of the benchmarks (createdb, dropdb, a step)."""
    return subprocess.run(cmd, check=True, **kwargs)


def _filestore(db):
    base = Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share"))
    return base / "Odoo" / "filestore" / db


def copy_db(template, db):
    drop_db(db)
    run([shutil.which("createdb") or "createdb", "-T", template, db])
    if _filestore(template).is_dir():
        shutil.copytree(_filestore(template), _filestore(db))


def drop_db(db):
    run([shutil.which("dropdb") or "dropdb", "--if-exists", db], stderr=subprocess.DEVNULL)
    shutil.rmtree(_filestore(db), ignore_errors=True)


def vacuum_analyze(db):
    """VACUUM ANALYZE `db` (untimed), as autovacuum keeps a live database:
    fresh planner statistics, and no autovacuum worker on a table the
    scenario just filled sharing the cores with a latency measurement."""
    run([shutil.which("vacuumdb") or "vacuumdb", "--analyze", "--quiet", "-d", db])


def open_registry(db, log_level="warn"):
    """(odoo, registry) of `db`, with the repository's addons on the path."""
    sys.path.insert(0, str(ODOO_PATH))
    import odoo
    from odoo.tools import config

    addons = f"{ODOO_PATH}/addons,{ODOO_PATH}/odoo/addons,{REPO_DIR}"
    config.parse_config(
        [
            f"--addons-path={addons}",
            "-d",
            db,
            f"--log-level={log_level}",
            "--http-interface=127.0.0.1",
        ],
        setup_logging=True,
    )
    from odoo.modules.registry import Registry

    return odoo, Registry(db)


def count(cr, table):
    from odoo.tools import SQL

    cr.execute(SQL("SELECT count(*) FROM %s", SQL.identifier(table)))
    return cr.fetchone()[0]


def _psql(db, query, *params):
    """One value of `query` (psql variables :'p1', :'p2'... are `params`)."""
    cmd = [shutil.which("psql") or "psql", "-X", "-d", db, "-Atq"]
    for index, value in enumerate(params, 1):
        cmd += ["-v", f"p{index}={value}"]
    out = run(cmd, input=query, stdout=subprocess.PIPE, text=True).stdout
    return out.strip()


def database_exists(db):
    return _psql("postgres", "SELECT count(*) FROM pg_database WHERE datname = :'p1'", db) == "1"


def database_mb(db):
    """The database's size on disk, in MB."""
    return round(int(_psql("postgres", "SELECT pg_database_size(:'p1')", db)) / 2**20)


def database_comment(db):
    return _psql(
        "postgres",
        "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = :'p1'",
        db,
    )


def set_database_comment(db, text):
    _psql("postgres", "COMMENT ON DATABASE :\"p1\" IS :'p2'", db, text)
