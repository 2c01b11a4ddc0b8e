"""Pure-Python tests import the engine by path, as `coi_engine`: importing
`coi_tracking.engine` would run the addon's `__init__` and need Odoo."""

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ENGINE = ROOT / "coi_tracking" / "engine"


def load_engine():
    if "coi_engine" not in sys.modules:
        spec = importlib.util.spec_from_file_location(
            "coi_engine", ENGINE / "__init__.py", submodule_search_locations=[str(ENGINE)]
        )
        module = importlib.util.module_from_spec(spec)
        sys.modules["coi_engine"] = module
        spec.loader.exec_module(module)
    return sys.modules["coi_engine"]


def load_fixtures():
    """Test certificates, generated in memory (they live with the addon's
    tests so that Odoo's tests use the same ones)."""
    if "coi_fixtures" not in sys.modules:
        path = ROOT / "coi_tracking" / "tests" / "coi_fixtures.py"
        spec = importlib.util.spec_from_file_location("coi_fixtures", path)
        module = importlib.util.module_from_spec(spec)
        sys.modules["coi_fixtures"] = module
        spec.loader.exec_module(module)
    return sys.modules["coi_fixtures"]


load_engine()
load_fixtures()
