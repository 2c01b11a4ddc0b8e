"""Pure-Python tests import the engine as `coi_engine` and the test
certificates as `coi_fixtures`, both loaded by path (setup/coi_load.py)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "setup"))
from coi_load import load_engine, load_fixtures

load_engine()
load_fixtures()
