# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The API's endpoints described once: the routes validate their parameters
with these definitions and /openapi.json is built from them, so the document
and the behaviour cannot drift apart. The enums come from the engine's
vocabulary, like the fields' selections."""

from odoo.addons.coi_tracking.engine.vocabulary import (
    CERTIFICATE_KINDS,
    POLICY_STATES,
    VENDOR_STATUSES,
)

API_VERSION = "1"
BASE = "/api/coi/v1"
STATUSES = list(VENDOR_STATUSES)

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
            {
                "name": "ref",
                "in": "query",
                "description": "Vendor reference, or its beginning",
                "schema": {"type": "string"},
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
            {
                "name": "date",
                "in": "query",
                "description": "The day asked about; when omitted, today in the timezone "
                "of the vendor's company",
                "schema": {"type": "string", "format": "date"},
            },
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
    "upsert_vendor": {
        "method": "put",
        "path": "/vendors/{ref}",
        "summary": "Create or update a vendor by your reference",
        "params": [
            {"name": "ref", "in": "path", "required": True, "schema": {"type": "string"}},
            {"name": "Idempotency-Key", "in": "header", "schema": {"type": "string"}},
        ],
        "body": {
            "type": "object",
            "properties": {
                "name": {"type": "string"},
                "email": {"type": "string"},
                "phone": {"type": "string"},
                "street": {"type": "string"},
                "city": {"type": "string"},
                "zip": {"type": "string"},
                "state": {"type": "string"},
                "country": {"type": "string"},
                "requirement_sets": {"type": "array", "items": {"type": "string"}},
                "insurance_contact": {
                    "type": "object",
                    "properties": {"name": {"type": "string"}, "email": {"type": "string"}},
                },
                "exemption": {
                    "type": ["object", "null"],
                    "properties": {
                        "reason": {"type": "string"},
                        "until": {"type": ["string", "null"], "format": "date"},
                    },
                },
            },
        },
        "response": {"type": "object"},
    },
    "submit_certificate": {
        "method": "post",
        "path": "/vendors/{ref}/certificates",
        "summary": "Send a certificate (multipart 'file', or JSON with base64 content)",
        "params": [
            {"name": "ref", "in": "path", "required": True, "schema": {"type": "string"}},
            {"name": "Idempotency-Key", "in": "header", "schema": {"type": "string"}},
        ],
        "body": {
            "type": "object",
            "properties": {
                "filename": {"type": "string"},
                "content_base64": {"type": "string"},
                "kind": {"type": "string", "enum": list(CERTIFICATE_KINDS)},
            },
            "required": ["content_base64"],
        },
        "status": "202",
        "response": {"type": "object"},
    },
    "get_certificate": {
        "method": "get",
        "path": "/certificates/{id}",
        "summary": "A certificate's review state and what was read from it",
        "params": [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}],
        "response": {"type": "object"},
    },
    "list_policies": {
        "method": "get",
        "path": "/policies",
        "summary": "Policies, e.g. those expiring before a date",
        "params": [
            {
                "name": "expiring_before",
                "in": "query",
                "schema": {"type": "string", "format": "date"},
            },
            {
                "name": "status",
                "in": "query",
                "schema": {"type": "string", "enum": list(POLICY_STATES)},
            },
            {"name": "cursor", "in": "query", "schema": {"type": "integer", "minimum": 0}},
            {
                "name": "limit",
                "in": "query",
                "schema": {"type": "integer", "minimum": 1, "maximum": 100},
            },
        ],
        "response": {"type": "object"},
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
        operation = paths.setdefault(endpoint["path"], {})[endpoint["method"]] = {
            "operationId": key,
            "summary": endpoint["summary"],
            "parameters": [
                {"required": param.get("required", False), **param} for param in endpoint["params"]
            ],
            "responses": {
                endpoint.get("status", "200"): {
                    "description": "OK",
                    "content": {"application/json": {"schema": endpoint["response"]}},
                },
                "400": _problem_response("Invalid parameter"),
                "401": _problem_response("Missing or invalid API key"),
                "403": _problem_response("The key's user may not use the API"),
                "404": _problem_response("Not found"),
                "429": _problem_response("Too many requests; see Retry-After"),
            },
            "security": [{"bearer": []}],
        }
        if "body" in endpoint:
            operation["requestBody"] = {
                "content": {"application/json": {"schema": endpoint["body"]}}
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
