"""The engine and the test certificates, loaded by path without Odoo.

Importing `coi_tracking.engine` would run the addon's `__init__` and need
Odoo, so the engine is loaded from its folder as the package `coi_engine`,
and the test certificates (`coi_tracking/tests/fixtures`) as `coi_fixtures`.
Used by pytest (tests/conftest.py), the command line (setup/coi-extract) and
the benchmarks (bench/).
"""

import importlib.util
import sys
from pathlib import Path

ADDON = Path(__file__).resolve().parents[1] / "coi_tracking"
ENGINE = ADDON / "engine"
FIXTURES = ADDON / "tests" / "fixtures"


def _load_package(name, folder):
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(
            name, folder / "__init__.py", submodule_search_locations=[str(folder)]
        )
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        try:
            spec.loader.exec_module(module)
        except BaseException:
            del sys.modules[name]
            raise
    return sys.modules[name]


def load_engine():
    """The engine as `coi_engine` (`from coi_engine import extract`)."""
    return _load_package("coi_engine", ENGINE)


def load_fixtures():
    """The test certificates as `coi_fixtures`; they read the engine's tables
    of form fields, so the engine is loaded first."""
    load_engine()
    return _load_package("coi_fixtures", FIXTURES)
