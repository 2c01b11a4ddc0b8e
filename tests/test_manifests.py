"""The three addons declare one license, one version line and the dependencies
the architecture allows (core alone; portal and API on top of the core)."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ADDONS = ("coi_tracking", "coi_tracking_portal", "coi_tracking_api")


def manifest(addon):
    return ast.literal_eval((ROOT / addon / "__manifest__.py").read_text())


@pytest.mark.parametrize("addon", ADDONS)
def test_manifest_is_an_odoo_19_addon(addon):
    data = manifest(addon)
    assert data["version"].startswith("19.0.") and len(data["version"].split(".")) == 5
    assert data["license"] == "LGPL-3"
    assert data["installable"] is True
    for path in data.get("data", []) + data.get("demo", []):
        assert (ROOT / addon / path).is_file(), f"{addon}: {path} is listed but missing"
    assert (ROOT / addon / "static/description/icon.png").is_file()
    assert (ROOT / addon / "readme/DESCRIPTION.md").is_file()


def test_dependencies_flow_one_way():
    assert {"mail", "purchase"} <= set(manifest("coi_tracking")["depends"])
    assert set(manifest("coi_tracking_portal")["depends"]) == {"coi_tracking", "portal"}
    assert set(manifest("coi_tracking_api")["depends"]) == {"coi_tracking"}
