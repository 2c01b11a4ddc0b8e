# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The API's endpoints described once: the routes validate their parameters
with these definitions and /openapi.json is built from them, so the document
and the behaviour cannot drift apart."""

API_VERSION = "1"
BASE = "/api/coi/v1"
STATUSES = ["compliant", "expiring", "non_compliant", "pending_review", "not_required", "exempt"]

PROBLEM = {"$ref": "#/components/schemas/Problem"}
VENDOR_SUMMARY = {
    "type": "object",
    "properties": {
        "ref": {"type": ["string", "null"]},
        "name": {"type": "string"},
        "status": {"type": ["string", "null"], "enum": [*STATUSES, None]},
        "next_expiry": {"type": ["string", "null"], "format": "date"},
        "deficiency_count": {"type": "integer"},
        "state": {"type": ["string", "null"]},
        "country": {"type": ["string", "null"]},
        "updated_at": {"type": "string"},
    },
    "required": ["ref", "name", "status"],
}

ENDPOINTS = {
    "list_vendors": {
        "method": "get",
        "path": "/vendors",
        "summary": "Vendors and their insurance status, a page at a time",
        "params": [
            {"name": "status", "in": "query", "schema": {"type": "string", "enum": STATUSES}},
            {"name": "state", "in": "query", "schema": {"type": "string"}},
            {"name": "requirement_set", "in": "query", "schema": {"type": "string"}},
            {
                "name": "updated_since",
                "in": "query",
                "schema": {"type": "string", "format": "date-time"},
            },
            {"name": "cursor", "in": "query", "schema": {"type": "integer", "minimum": 0}},
            {
                "name": "limit",
                "in": "query",
                "schema": {"type": "integer", "minimum": 1, "maximum": 100},
            },
        ],
        "response": {
            "type": "object",
            "properties": {
                "items": {"type": "array", "items": VENDOR_SUMMARY},
                "next_cursor": {"type": ["integer", "null"]},
            },
        },
    },
    "get_vendor": {
        "method": "get",
        "path": "/vendors/{ref}",
        "summary": "A vendor's status, deficiencies, policies and requirement sets",
        "params": [{"name": "ref", "in": "path", "required": True, "schema": {"type": "string"}}],
        "response": {"type": "object"},
    },
    "can_work": {
        "method": "get",
        "path": "/vendors/{ref}/can-work",
        "summary": "May the vendor work on a date? Yes or no, with the reasons",
        "params": [
            {"name": "ref", "in": "path", "required": True, "schema": {"type": "string"}},
            {"name": "date", "in": "query", "schema": {"type": "string", "format": "date"}},
        ],
        "response": {
            "type": "object",
            "properties": {
                "ref": {"type": "string"},
                "date": {"type": "string", "format": "date"},
                "can_work": {"type": "boolean"},
                "status": {"type": ["string", "null"]},
                "reasons": {"type": "array", "items": {"type": "string"}},
            },
            "required": ["can_work", "reasons"],
        },
    },
    "list_requirement_sets": {
        "method": "get",
        "path": "/requirement-sets",
        "summary": "Requirement sets and their coverages",
        "params": [],
        "response": {"type": "object"},
    },
}


def openapi_document(server_url):
    paths = {}
    for key, endpoint in ENDPOINTS.items():
        paths.setdefault(endpoint["path"], {})[endpoint["method"]] = {
            "operationId": key,
            "summary": endpoint["summary"],
            "parameters": [
                {"required": param.get("required", False), **param} for param in endpoint["params"]
            ],
            "responses": {
                "200": {
                    "description": "OK",
                    "content": {"application/json": {"schema": endpoint["response"]}},
                },
                "400": _problem_response("Invalid parameter"),
                "401": _problem_response("Missing or invalid API key"),
                "403": _problem_response("The key's user may not use the API"),
                "404": _problem_response("Not found"),
            },
            "security": [{"bearer": []}],
        }
    return {
        "openapi": "3.1.0",
        "info": {"title": "COI tracking API", "version": API_VERSION},
        "servers": [{"url": server_url + BASE}],
        "paths": paths,
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {
                "Problem": {
                    "type": "object",
                    "properties": {
                        "type": {"type": "string"},
                        "title": {"type": "string"},
                        "status": {"type": "integer"},
                        "detail": {"type": "string"},
                    },
                }
            },
        },
    }


def _problem_response(description):
    return {
        "description": description,
        "content": {"application/problem+json": {"schema": PROBLEM}},
    }
