"""The OpenAPI document the API serves is valid OpenAPI 3.1, and every
endpoint the routes implement is in it (the spec is loaded by path: it has
no Odoo import)."""

import importlib.util
import re
from pathlib import Path

from openapi_spec_validator import validate

ROOT = Path(__file__).resolve().parents[1]
SPEC_PATH = ROOT / "coi_tracking_api" / "controllers" / "spec.py"


def load_spec():
    spec = importlib.util.spec_from_file_location("coi_api_spec", SPEC_PATH)
    module = importlib.util.module_from_spec(spec)
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
