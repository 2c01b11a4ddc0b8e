"""The API's contract: the OpenAPI document it serves is valid OpenAPI 3.1,
every route is in it, and requests are checked against the same schemas
(contract.py). spec.py and contract.py are loaded by path as the package
`coi_api_controllers`: they import nothing of Odoo but the engine's
vocabulary and intake limits, given here as those loaded with `coi_engine`."""

import importlib
import re
import sys
import types
from datetime import date, datetime
from pathlib import Path
from unittest import mock

import pytest
from coi_engine import intake, vocabulary
from openapi_spec_validator import validate
from werkzeug.datastructures import Headers, MultiDict

ROOT = Path(__file__).resolve().parents[1]
CONTROLLERS = ROOT / "coi_tracking_api" / "controllers"


def load(name):
    package = types.ModuleType("coi_api_controllers")
    package.__path__ = [str(CONTROLLERS)]
    engine = "odoo.addons.coi_tracking.engine"
    modules = {
        "coi_api_controllers": package,
        f"{engine}.vocabulary": vocabulary,
        f"{engine}.intake": intake,
    }
    with mock.patch.dict(sys.modules, modules):
        return importlib.import_module(f"coi_api_controllers.{name}")


@pytest.fixture(scope="module")
def spec():
    return load("spec")


@pytest.fixture(scope="module")
def contract():
    return load("contract")


def test_document_is_valid_openapi_3_1(spec):
    document = spec.openapi_document("http://localhost:8069")
    validate(document)  # raises on an invalid document
    assert document["openapi"] == "3.1.0"


def test_every_route_is_documented(spec):
    document = spec.openapi_document("http://localhost:8069")
    source = (CONTROLLERS / "coi_api.py").read_text()
    routes = set()
    for path, methods in re.findall(
        r'@http\.route\(\s*(?:f"\{BASE\}(/[^"]*)"|BASE)[^)]*?methods=\["(\w+)"\]',
        source,
        flags=re.S,
    ):
        openapi_path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", path or "/").replace(
            "{certificate_id}", "{id}"
        )
        routes.add((openapi_path, methods.lower()))
    routes.discard(("/openapi.json", "get"))
    documented = {(path, method) for path, item in document["paths"].items() for method in item}
    assert routes == documented


def test_enums_come_from_the_vocabulary(spec):
    params = {
        (key, param["name"]): param["schema"]
        for key, endpoint in spec.ENDPOINTS.items()
        for param in endpoint["params"]
    }
    assert params["list_vendors", "status"]["enum"] == list(vocabulary.VENDOR_STATUSES)
    assert params["list_policies", "status"]["enum"] == list(vocabulary.POLICY_STATES)
    body = spec.ENDPOINTS["submit_certificate"]["body"]
    for media in ("application/json", "multipart/form-data"):
        assert body[media]["properties"]["kind"]["enum"] == list(vocabulary.CERTIFICATE_KINDS)
    assert spec.VENDOR_SUMMARY["properties"]["status"]["enum"][:-1] == list(
        vocabulary.VENDOR_STATUSES
    )


def test_every_request_body_refuses_unknown_fields(spec):
    def objects(schema):
        if "object" in schema.get("type", ()):
            yield schema
        for child in schema.get("properties", {}).values():
            yield from objects(child)

    for endpoint in spec.ENDPOINTS.values():
        for schema in endpoint.get("body", {}).values():
            for obj in objects(schema):
                assert obj["additionalProperties"] is False, obj


def test_every_answer_is_declared_with_problem_documents_for_errors(spec):
    document = spec.openapi_document("http://localhost:8069")
    for path, item in document["paths"].items():
        for method, operation in item.items():
            responses = operation["responses"]
            assert {"400", "401", "403"} <= set(responses), (path, method)
            for status, response in responses.items():
                media = "application/json" if status < "300" else "application/problem+json"
                assert list(response["content"]) == [media], (path, method, status)
            if method in ("put", "post"):
                assert {"409", "413", "415", "422", "429"} <= set(responses)
    assert "201" in document["paths"]["/vendors/{ref}"]["put"]["responses"]
    assert "202" in document["paths"]["/vendors/{ref}/certificates"]["post"]["responses"]


def test_links_follow_a_created_vendor_and_a_sent_certificate(spec):
    document = spec.openapi_document("http://localhost:8069")
    upsert = document["paths"]["/vendors/{ref}"]["put"]["responses"]
    assert upsert["201"]["links"]["GetVendor"]["parameters"] == {"ref": "$request.path.ref"}
    sent = document["paths"]["/vendors/{ref}/certificates"]["post"]["responses"]["202"]
    assert sent["links"]["GetCertificate"]["parameters"] == {"id": "$response.body#/id"}


def test_body_validation_names_the_problem(contract):
    def refused(body, key="upsert_vendor", media="application/json"):
        with pytest.raises(contract.ApiError) as caught:
            contract.check_body(key, media, body)
        assert caught.value.status == 400
        return caught.value.detail

    assert "body.name must be string" in refused({"name": {"a": 1}})
    assert "body.email must be string or null" in refused({"name": "x", "email": ["a@b.c"]})
    assert "unknown field(s) 'colour'" in refused({"name": "x", "colour": "red"})
    assert "body.requirement_sets[0] must be string" in refused(
        {"name": "x", "requirement_sets": [{}]}
    )
    assert "body.exemption must be object or null" in refused({"name": "x", "exemption": "yes"})
    assert "body.email must be an email address" in refused({"email": "nobody"})
    assert "body.exemption.until must be a date" in refused(
        {"exemption": {"reason": "r", "until": "2026-02-30"}}
    )
    assert "body.content_base64 must be string" in refused(
        {"content_base64": 12}, "submit_certificate"
    )
    assert "'content_base64' is required" in refused({}, "submit_certificate")
    assert "body must be object" in refused([1, 2])
    contract.check_body("upsert_vendor", "application/json", {"name": "Acme", "email": None})
    contract.check_body(
        "upsert_vendor",
        "application/json",
        {"insurance_agent": {"name": "Broker", "email": "desk@broker.example"}},
    )


def test_parse_json_refuses_nul_characters_and_what_is_not_json(contract):
    for data in (
        b'{"name": "a\\u0000b"}',
        b'{"na\\u0000me": "x"}',
        b'{"name": "\\ud800"}',
        b"{",
        b"",
        b'{"x": NaN}',
        b"[" * 100000,
    ):
        with pytest.raises(contract.ApiError) as caught:
            contract.parse_json(data)
        assert caught.value.status == 400, data[:20]
    deep = b'{"a":' * 50 + b'"\\u0000"' + b"}" * 50
    with pytest.raises(contract.ApiError):
        contract.parse_json(deep)
    assert contract.parse_json(b'{"name": "ok"}') == {"name": "ok"}


def test_parameters_are_converted_and_checked(contract):
    def parse(key, path=None, query=(), headers=()):
        return contract.parse_params(key, path or {}, MultiDict(query), Headers(list(headers)))

    parsed = parse(
        "list_vendors", query=[("limit", "5"), ("updated_since", "2026-01-01T10:00:00+02:00")]
    )
    assert parsed == {"limit": 5, "updated_since": datetime(2026, 1, 1, 8, 0)}
    assert parse("can_work", {"ref": "V-1"}, [("date", "2026-12-01")])["date"] == date(2026, 12, 1)
    for key, path, query, headers in (
        ("list_vendors", None, [("limit", "500")], ()),
        ("list_vendors", None, [("limit", " 5")], ()),
        ("list_vendors", None, [("status", "happy")], ()),
        ("list_vendors", None, [("colour", "red")], ()),
        ("list_vendors", None, [("limit", "1"), ("limit", "2")], ()),
        ("list_vendors", None, [("updated_since", "0001-01-01T00:00:00+01:00")], ()),
        ("can_work", {"ref": "V-1"}, [("date", "31-12-2026")], ()),
        ("get_vendor", {"ref": "x" * 65}, (), ()),
        ("get_certificate", {"id": 2**31}, (), ()),
        ("upsert_vendor", {"ref": "V-1"}, (), [("Idempotency-Key", "a b")]),
    ):
        with pytest.raises(contract.ApiError) as caught:
            parse(key, path, query, headers)
        assert caught.value.status == 400, (key, query, headers)


def test_transport_refuses_nul_characters(contract):
    with pytest.raises(contract.ApiError):
        contract.check_transport("/api/coi/v1/vendors/\x00", MultiDict(), Headers())
    with pytest.raises(contract.ApiError):
        contract.check_transport("/api/coi/v1/vendors", MultiDict([("ref", "\x00")]), Headers())
    with pytest.raises(contract.ApiError):
        contract.check_transport(
            "/api/coi/v1/vendors", MultiDict(), Headers([("Idempotency-Key", "\x00")])
        )
    contract.check_transport("/api/coi/v1/vendors/V-1", MultiDict([("ref", "V")]), Headers())


def test_idempotency_digest_binds_method_path_and_body(contract):
    digest = contract.request_digest
    same = digest("PUT", "/v/A", {"name": "x", "city": "y"})
    assert same == digest("PUT", "/v/A", {"city": "y", "name": "x"})
    assert same != digest("PUT", "/v/B", {"name": "x", "city": "y"})
    assert same != digest("POST", "/v/A", {"name": "x", "city": "y"})
    assert same != digest("PUT", "/v/A", {"name": "x", "city": "z"})
