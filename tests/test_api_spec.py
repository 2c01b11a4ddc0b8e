"""The OpenAPI document the API serves is valid OpenAPI 3.1, and every
endpoint the routes implement is in it (the spec is loaded by path: it
imports nothing of Odoo but the engine's vocabulary, given here as the one
loaded with `coi_engine`)."""

import importlib.util
import re
import sys
from pathlib import Path
from unittest import mock

from coi_engine import vocabulary
from openapi_spec_validator import validate

ROOT = Path(__file__).resolve().parents[1]
SPEC_PATH = ROOT / "coi_tracking_api" / "controllers" / "spec.py"


def load_spec():
    spec = importlib.util.spec_from_file_location("coi_api_spec", SPEC_PATH)
    module = importlib.util.module_from_spec(spec)
    name = "odoo.addons.coi_tracking.engine.vocabulary"
    with mock.patch.dict(sys.modules, {name: vocabulary}):
        spec.loader.exec_module(module)
    return module


def test_document_is_valid_openapi_3_1():
    spec = load_spec()
    document = spec.openapi_document("http://localhost:8069")
    validate(document)  # raises on an invalid document
    assert document["openapi"] == "3.1.0"


def test_every_route_is_documented():
    spec = load_spec()
    document = spec.openapi_document("http://localhost:8069")
    source = (ROOT / "coi_tracking_api" / "controllers" / "coi_api.py").read_text()
    routes = set()
    for path, methods in re.findall(
        r'@http\.route\(\s*f"\{BASE\}(/[^"]*)"[^)]*?methods=\["(\w+)"\]', source, flags=re.S
    ):
        openapi_path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", path).replace(
            "{certificate_id}", "{id}"
        )
        routes.add((openapi_path, methods.lower()))
    routes.discard(("/openapi.json", "get"))
    documented = {(path, method) for path, item in document["paths"].items() for method in item}
    assert routes == documented


def test_enums_come_from_the_vocabulary():
    spec = load_spec()
    params = {
        (key, param["name"]): param["schema"]
        for key, endpoint in spec.ENDPOINTS.items()
        for param in endpoint["params"]
    }
    assert params["list_vendors", "status"]["enum"] == list(vocabulary.VENDOR_STATUSES)
    assert params["list_policies", "status"]["enum"] == list(vocabulary.POLICY_STATES)
    kind = spec.ENDPOINTS["submit_certificate"]["body"]["properties"]["kind"]
    assert kind["enum"] == list(vocabulary.CERTIFICATE_KINDS)
    assert spec.VENDOR_SUMMARY["properties"]["status"]["enum"][:-1] == list(
        vocabulary.VENDOR_STATUSES
    )
