"""Where the repository, Odoo and the logs are."""

import os
import sys
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parents[2]
BENCH_DIR = REPO_DIR / "bench"
LOG_DIR = REPO_DIR / ".logs"
ODOO_PATH = Path(os.environ.get("ODOO_PATH", "/opt/odoo19"))


def _coi_load():
    setup = str(REPO_DIR / "setup")
    if setup not in sys.path:
        sys.path.insert(0, setup)
    import coi_load

    return coi_load


def load_engine():
    """The engine as `coi_engine`, loaded by path without Odoo (setup/coi_load.py)."""
    return _coi_load().load_engine()


def load_fixtures():
    """The test certificates as `coi_fixtures` (setup/coi_load.py)."""
    return _coi_load().load_fixtures()
