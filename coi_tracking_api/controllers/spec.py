# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The API's contract, written once: every operation with its parameters,
request bodies, answers and links. /openapi.json is built from it, and the
routes validate every parameter and body against the same schemas
(`contract.py`), so the document and the behaviour cannot drift apart. The
enums come from the engine's vocabulary, like the fields' selections; the
file limits from the intake door."""

from odoo.addons.coi_tracking.engine.intake import MAX_FILE_BYTES
from odoo.addons.coi_tracking.engine.vocabulary import (
    CERTIFICATE_KINDS,
    CERTIFICATE_STATE_SELECTION,
    LINE_STATUSES,
    POLICY_STATES,
    RISK_TIER_SELECTION,
    VENDOR_STATUSES,
    codes,
)

API_VERSION = "1"
BASE = "/api/coi/v1"
STATUSES = list(VENDOR_STATUSES)
ID_MAX = 2**31 - 1
# Bodies larger than these are refused (413) before they are read: a vendor
# is a small JSON document; a certificate is one file of the intake's size,
# sent as is (multipart) or base64-encoded in JSON.
JSON_BODY_MAX = 1024 * 1024
CERTIFICATE_BASE64_MAX = 4 * -(-MAX_FILE_BYTES // 3)
CERTIFICATE_BODY_MAX = CERTIFICATE_BASE64_MAX + 64 * 1024

# ---- schemas ------------------------------------------------------------------


def _text(max_length=256, nullable=True, **extra):
    return {"type": ["string", "null"] if nullable else "string", "maxLength": max_length, **extra}


def _nullable(schema):
    return {**schema, "type": [schema["type"], "null"]}


DATE = {"type": "string", "format": "date"}
DATE_TIME = {"type": "string", "format": "date-time"}
EMAIL = {"type": "string", "format": "email", "maxLength": 254}
STRINGS = {"type": "array", "items": {"type": "string"}}

PERSON = {
    "type": "object",
    "properties": {"name": {"type": "string"}, "email": {"type": ["string", "null"]}},
    "required": ["name", "email"],
}
POLICY = {
    "type": "object",
    "properties": {
        "number": {"type": "string"},
        "coverage": {"type": "string"},
        "insurer": {"type": ["string", "null"]},
        "effective_date": DATE,
        "expiration_date": DATE,
        "state": {"type": "string", "enum": list(POLICY_STATES)},
        "limits": {"type": "object", "additionalProperties": {"type": "number"}},
        "additional_insured": {"type": "boolean"},
        "waiver_of_subrogation": {"type": "boolean"},
    },
    "required": ["number", "coverage", "effective_date", "expiration_date", "state", "limits"],
}
# A policy in force on a date, with whom to call about it (coverage on a date).
COVERAGE_POLICY = {
    "type": "object",
    "properties": {
        **POLICY["properties"],
        "cancellation_date": _nullable(DATE),
        "insurer_naic": {"type": ["string", "null"]},
        "agent": {
            "type": ["object", "null"],
            "description": "The insurance agent or broker, and the person to call there",
            "properties": {
                "name": {"type": "string"},
                "contact": {"type": ["string", "null"]},
                "email": {"type": ["string", "null"]},
                "phone": {"type": ["string", "null"]},
            },
            "required": ["name", "contact", "email", "phone"],
        },
        "certificate": {
            "type": ["object", "null"],
            "description": "The certificate the policy was read from; download_url is the "
            "back office's link to its file (a session of a user who may read it)",
            "properties": {
                "reference": {"type": "string"},
                "filename": {"type": ["string", "null"]},
                "download_url": {"type": ["string", "null"]},
            },
            "required": ["reference", "filename", "download_url"],
        },
    },
    "required": [
        *POLICY["required"],
        "cancellation_date",
        "insurer_naic",
        "agent",
        "certificate",
    ],
}
TIMELINESS = {
    "type": "object",
    "description": "How promptly the vendor answers for its insurance: a score from 0 (late "
    "every time) to 100, from the days from the first request to compliance (50 points), the "
    "renewals received before expiry (35) and the chase reminders still open (15)",
    "properties": {
        "score": {"type": ["integer", "null"], "minimum": 0, "maximum": 100},
        "requested_on": {
            **_nullable(DATE),
            "description": "The first request for certificates of the current cycle",
        },
        "compliant_since": _nullable(DATE),
        "days_to_compliant": {
            "type": ["integer", "null"],
            "description": "Days from the first request to compliance; null while not compliant",
        },
        "renewals_due": {"type": "integer", "minimum": 0},
        "renewals_on_time": {"type": "integer", "minimum": 0},
        "on_time_renewal_rate": {
            "type": ["number", "null"],
            "minimum": 0,
            "maximum": 100,
            "description": "Percent of the renewals due received before expiry; null when none "
            "came due",
        },
        "open_chase_steps": {"type": "integer", "minimum": 0},
    },
    "required": [
        "score",
        "requested_on",
        "compliant_since",
        "days_to_compliant",
        "renewals_due",
        "renewals_on_time",
        "on_time_renewal_rate",
        "open_chase_steps",
    ],
}
VENDOR_SUMMARY = {
    "type": "object",
    "properties": {
        "ref": {"type": ["string", "null"]},
        "name": {"type": "string"},
        "status": {"type": ["string", "null"], "enum": [*STATUSES, None]},
        "next_expiry": _nullable(DATE),
        "deficiency_count": {"type": "integer"},
        "timeliness": TIMELINESS,
        "state": {"type": ["string", "null"]},
        "country": {"type": ["string", "null"]},
        "updated_at": DATE_TIME,
    },
    "required": [
        "ref",
        "name",
        "status",
        "next_expiry",
        "deficiency_count",
        "timeliness",
        "updated_at",
    ],
}
VENDOR_DETAIL = {
    "type": "object",
    "properties": {
        **VENDOR_SUMMARY["properties"],
        "deficiencies": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "coverage": {"type": "string"},
                    "code": {"type": "string", "enum": list(LINE_STATUSES)},
                    "sentence": {"type": ["string", "null"]},
                },
                "required": ["coverage", "code", "sentence"],
            },
        },
        "requirements": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "coverage": {"type": "string"},
                    "status": {"type": "string", "enum": list(LINE_STATUSES)},
                },
                "required": ["coverage", "status"],
            },
        },
        "requirement_sets": STRINGS,
        "policies": {"type": "array", "items": POLICY},
        "insurance_contact": _nullable(PERSON),
        "insurance_agent": _nullable(PERSON),
        "exemption": {
            "type": ["object", "null"],
            "properties": {"reason": {"type": ["string", "null"]}, "until": _nullable(DATE)},
            "required": ["reason", "until"],
        },
    },
    "required": [
        *VENDOR_SUMMARY["required"],
        "deficiencies",
        "requirements",
        "requirement_sets",
        "policies",
        "insurance_contact",
        "insurance_agent",
        "exemption",
    ],
}
CERTIFICATE = {
    "type": "object",
    "properties": {
        "id": {"type": "integer"},
        "reference": {"type": "string"},
        "vendor_ref": {"type": ["string", "null"]},
        "state": {"type": "string", "enum": list(codes(CERTIFICATE_STATE_SELECTION))},
        "reading_state": {"type": "string"},
        "review_reason": {"type": ["string", "null"]},
        "received_at": DATE_TIME,
        "policies": {"type": "array", "items": POLICY},
        "extraction": {"type": ["object", "null"]},
    },
    "required": ["id", "reference", "vendor_ref", "state", "reading_state", "received_at"],
}
PROBLEM = {
    "type": "object",
    "description": "An RFC 9457 problem document",
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
    },
    "required": ["type", "title", "status", "detail"],
}

# ---- request bodies: what a client may send, and nothing else ------------------------

PERSON_IN = {
    "type": ["object", "null"],
    "additionalProperties": False,
    "properties": {"name": _text(nullable=False, minLength=1), "email": EMAIL},
}
VENDOR_UPSERT = {
    "type": "object",
    "additionalProperties": False,
    "description": "Only the fields given change; null clears a field.",
    "examples": [
        {
            "name": "Acme Towing",
            "email": "office@acme-towing.example",
            "phone": "+1 555 0100",
            "city": "Fresno",
            "state": "CA",
            "country": "US",
            "insurance_contact": {"name": "Dana Office", "email": "dana@acme-towing.example"},
            "insurance_agent": {"name": "Harbor Insurance Brokers", "email": "coi@harbor.example"},
            "exemption": None,
        }
    ],
    "properties": {
        "name": {
            "type": "string",
            "minLength": 1,
            "maxLength": 256,
            "pattern": r"\S",
            "description": "Required to create a vendor",
        },
        "email": _nullable(EMAIL),
        "phone": _text(64),
        "street": _text(),
        "city": _text(128),
        "zip": _text(32),
        "state": _text(8, description="State code in the country, e.g. CA"),
        "country": _text(
            2,
            pattern="^[A-Za-z]{2}$",
            description="ISO 3166 code; the vendor's country, else US, when only a state is given",
        ),
        "requirement_sets": {
            "type": "array",
            "description": "Names of requirement sets: replaces the vendor's own sets",
            "items": {"type": "string", "minLength": 1, "maxLength": 256},
            "maxItems": 50,
            "uniqueItems": True,
        },
        "insurance_contact": {
            **PERSON_IN,
            "description": "Who at the vendor receives insurance notices (matched by email)",
            "required": ["email"],
        },
        "insurance_agent": {
            **PERSON_IN,
            "description": "The vendor's insurance agent or broker: matched by email, then "
            "by name, like the producer of a certificate; created when unknown",
            "minProperties": 1,
        },
        "exemption": {
            "type": ["object", "null"],
            "additionalProperties": False,
            "description": "Exempt from insurance (null: not exempt)",
            "properties": {"reason": _text(nullable=False, minLength=1), "until": _nullable(DATE)},
            "required": ["reason"],
        },
    },
}
# A one-page PDF with nothing on it: what a certificate upload looks like.
EMPTY_PDF_BASE64 = (
    "JVBERi0xLjQKMSAwIG9iajw8L1R5cGUvQ2F0YWxvZy9QYWdlcyAyIDAgUj4+ZW5kb2JqCjIgMCBvYmo8PC9U"
    "eXBlL1BhZ2VzL0tpZHNbMyAwIFJdL0NvdW50IDE+PmVuZG9iagozIDAgb2JqPDwvVHlwZS9QYWdlL01lZGlh"
    "Qm94WzAgMCA2MTIgNzkyXS9QYXJlbnQgMiAwIFI+PmVuZG9iagp0cmFpbGVyPDwvUm9vdCAxIDAgUj4+CiUl"
    "RU9GCg=="
)
CERTIFICATE_JSON = {
    "type": "object",
    "additionalProperties": False,
    "examples": [
        {"filename": "acord25.pdf", "content_base64": EMPTY_PDF_BASE64, "kind": "certificate"}
    ],
    "properties": {
        "filename": {"type": "string", "maxLength": 255},
        "content_base64": {
            "type": "string",
            "contentEncoding": "base64",
            "minLength": 4,
            "maxLength": CERTIFICATE_BASE64_MAX,
            "pattern": "^[A-Za-z0-9+/]*={0,2}$",
            "description": f"The file (PDF, PNG, JPEG or TIFF, at most {MAX_FILE_BYTES} bytes)",
        },
        "kind": {"type": "string", "enum": list(CERTIFICATE_KINDS)},
    },
    "required": ["content_base64"],
}
CERTIFICATE_FORM = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "file": {
            "type": "string",
            "format": "binary",
            "description": f"PDF, PNG, JPEG or TIFF, at most {MAX_FILE_BYTES} bytes",
        },
        "kind": {"type": "string", "enum": list(CERTIFICATE_KINDS)},
    },
    "required": ["file"],
}

# ---- parameters ------------------------------------------------------------------

REF = {
    "name": "ref",
    "in": "path",
    "required": True,
    "description": "Your reference for the vendor (unique in the API user's company)",
    "schema": {"type": "string", "minLength": 1, "maxLength": 64},
}
IDEMPOTENCY_KEY = {
    "name": "Idempotency-Key",
    "in": "header",
    "description": "A retry with the same key and the same request gets the first answer; "
    "the same key with another request is refused (422). Kept 2 days.",
    "schema": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[!-~]+$"},
}
CURSOR = {
    "name": "cursor",
    "in": "query",
    "description": "next_cursor of the previous page",
    "schema": {"type": "integer", "minimum": 0, "maximum": ID_MAX},
}
LIMIT = {
    "name": "limit",
    "in": "query",
    "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 100},
}

# ---- operations ------------------------------------------------------------------

# Answers every operation may give, and those of writes.
ERRORS = {
    "400": "The request does not match this document (parameter, header or body); "
    "NUL characters are refused everywhere",
    "401": "Missing, invalid, expired or revoked API key",
    "403": "The key's user is not in the COI API group",
}
NOT_FOUND = {"404": "No such vendor or certificate for the API user's company"}
WRITE_ERRORS = {
    "409": "A request with the same Idempotency-Key, or creating the same vendor, is "
    "under way; retry",
    "411": "A body without Content-Length (chunked) is refused",
    "413": "The body is too large",
    "415": "The body is not of a documented media type",
    "422": "Valid, but cannot be done (unknown requirement set, country or state, no "
    "name for a new vendor, a file that is not a certificate, an Idempotency-Key "
    "reused for another request)",
    "429": "Too many writes with this API key; see Retry-After",
}
REPLAYED = {
    "Idempotent-Replayed": {
        "description": "Present on the replayed answer to a retry with the same key",
        "schema": {"type": "string", "enum": ["true"]},
    }
}
VENDOR_LINKS = {
    "GetVendor": {"operationId": "get_vendor", "parameters": {"ref": "$request.path.ref"}},
    "CanWork": {"operationId": "can_work", "parameters": {"ref": "$request.path.ref"}},
    "Coverage": {"operationId": "vendor_coverage", "parameters": {"ref": "$request.path.ref"}},
    "SubmitCertificate": {
        "operationId": "submit_certificate",
        "parameters": {"ref": "$request.path.ref"},
    },
}

ENDPOINTS = {
    "get_root": {
        "method": "get",
        "path": "/",
        "summary": "Who am I, and which version of the API answers",
        "params": [],
        "responses": {
            "200": (
                "The API user",
                {
                    "type": "object",
                    "properties": {
                        "api_version": {"type": "string"},
                        "user": {"type": "string"},
                        "company": {"type": "string"},
                    },
                    "required": ["api_version", "user", "company"],
                },
            )
        },
    },
    "list_vendors": {
        "method": "get",
        "path": "/vendors",
        "summary": "Vendors of the API user's company and their insurance status, a page "
        "at a time",
        "params": [
            {"name": "status", "in": "query", "schema": {"type": "string", "enum": STATUSES}},
            {
                "name": "state",
                "in": "query",
                "description": "State code",
                "schema": {"type": "string", "maxLength": 8},
            },
            {
                "name": "requirement_set",
                "in": "query",
                "description": "Name of a requirement set",
                "schema": {"type": "string", "maxLength": 256},
            },
            {"name": "updated_since", "in": "query", "schema": DATE_TIME},
            {
                "name": "ref",
                "in": "query",
                "description": "Vendor reference, or its beginning",
                "schema": {"type": "string", "maxLength": 64},
            },
            CURSOR,
            LIMIT,
        ],
        "responses": {
            "200": (
                "A page of vendors",
                {
                    "type": "object",
                    "properties": {
                        "items": {"type": "array", "items": VENDOR_SUMMARY},
                        "next_cursor": {"type": ["integer", "null"]},
                    },
                    "required": ["items", "next_cursor"],
                },
            )
        },
    },
    "get_vendor": {
        "method": "get",
        "path": "/vendors/{ref}",
        "summary": "A vendor's status, deficiencies, policies, requirement sets, "
        "insurance contact and agent",
        "params": [REF],
        "responses": {"200": ("The vendor", VENDOR_DETAIL)},
        "errors": NOT_FOUND,
    },
    "can_work": {
        "method": "get",
        "path": "/vendors/{ref}/can-work",
        "summary": "May the vendor work on a date? Yes or no, with the reasons",
        "params": [
            REF,
            {
                "name": "date",
                "in": "query",
                "description": "The day asked about; when omitted, today in the timezone "
                "of the vendor's company",
                "schema": DATE,
            },
        ],
        "responses": {
            "200": (
                "The answer",
                {
                    "type": "object",
                    "properties": {
                        "ref": {"type": "string"},
                        "date": DATE,
                        "can_work": {"type": "boolean"},
                        "status": {"type": ["string", "null"], "enum": [*STATUSES, None]},
                        "reasons": STRINGS,
                    },
                    "required": ["ref", "date", "can_work", "status", "reasons"],
                },
            )
        },
        "errors": NOT_FOUND,
    },
    "vendor_coverage": {
        "method": "get",
        "path": "/vendors/{ref}/coverage",
        "summary": "Who covered the vendor on a date (e.g. of an accident): the policies in "
        "force that day, since expired, renewed or cancelled ones included, with the insurer "
        "and its NAIC code, the agent to call and the certificate",
        "params": [
            REF,
            {
                "name": "date",
                "in": "query",
                "description": "The day asked about; when omitted, today in the timezone "
                "of the vendor's company. A policy counts from its effective date to its "
                "expiration date (both included) unless cancelled before the day",
                "schema": DATE,
            },
        ],
        "responses": {
            "200": (
                "The policies in force that day",
                {
                    "type": "object",
                    "properties": {
                        "ref": {"type": "string"},
                        "date": DATE,
                        "policies": {"type": "array", "items": COVERAGE_POLICY},
                    },
                    "required": ["ref", "date", "policies"],
                },
            )
        },
        "errors": NOT_FOUND,
    },
    "upsert_vendor": {
        "method": "put",
        "path": "/vendors/{ref}",
        "summary": "Create or update a vendor of the API user's company by your reference",
        "params": [REF, IDEMPOTENCY_KEY],
        "body": {"application/json": VENDOR_UPSERT},
        "body_max": JSON_BODY_MAX,
        "responses": {
            "200": ("The vendor was updated", VENDOR_DETAIL),
            "201": ("The vendor was created", VENDOR_DETAIL),
        },
        "links": VENDOR_LINKS,
        "errors": WRITE_ERRORS,
    },
    "submit_certificate": {
        "method": "post",
        "path": "/vendors/{ref}/certificates",
        "summary": "Send a certificate (multipart 'file', or JSON with base64 content); it "
        "is read in the background",
        "params": [REF, IDEMPOTENCY_KEY],
        "body": {"application/json": CERTIFICATE_JSON, "multipart/form-data": CERTIFICATE_FORM},
        "body_max": CERTIFICATE_BODY_MAX,
        "responses": {
            "202": (
                "Received; follow status_url",
                {
                    "type": "object",
                    "properties": {
                        "id": {"type": "integer"},
                        "reference": {"type": "string"},
                        "status_url": {"type": "string"},
                    },
                    "required": ["id", "reference", "status_url"],
                },
            )
        },
        "links": {
            "GetCertificate": {
                "operationId": "get_certificate",
                "parameters": {"id": "$response.body#/id"},
            }
        },
        "errors": {**NOT_FOUND, **WRITE_ERRORS},
    },
    "get_certificate": {
        "method": "get",
        "path": "/certificates/{id}",
        "summary": "A certificate's review state and what was read from it",
        "params": [
            {
                "name": "id",
                "in": "path",
                "required": True,
                "schema": {"type": "integer", "minimum": 1, "maximum": ID_MAX},
            }
        ],
        "responses": {"200": ("The certificate", CERTIFICATE)},
        "errors": NOT_FOUND,
    },
    "list_policies": {
        "method": "get",
        "path": "/policies",
        "summary": "Policies of the API user's company, e.g. those expiring before a date",
        "params": [
            {"name": "expiring_before", "in": "query", "schema": DATE},
            {
                "name": "status",
                "in": "query",
                "schema": {"type": "string", "enum": list(POLICY_STATES)},
            },
            CURSOR,
            LIMIT,
        ],
        "responses": {
            "200": (
                "A page of policies",
                {
                    "type": "object",
                    "properties": {
                        "items": {
                            "type": "array",
                            "items": {
                                **POLICY,
                                "properties": {
                                    **POLICY["properties"],
                                    "vendor_ref": {"type": ["string", "null"]},
                                },
                            },
                        },
                        "next_cursor": {"type": ["integer", "null"]},
                    },
                    "required": ["items", "next_cursor"],
                },
            )
        },
    },
    "list_requirement_sets": {
        "method": "get",
        "path": "/requirement-sets",
        "summary": "Requirement sets and their coverages",
        "params": [],
        "responses": {
            "200": (
                "The requirement sets",
                {
                    "type": "object",
                    "properties": {
                        "items": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "name": {"type": "string"},
                                    "risk_tier": {
                                        "type": ["string", "null"],
                                        "enum": [*codes(RISK_TIER_SELECTION), None],
                                    },
                                    "expiring_days": {"type": "integer"},
                                    "coverages": {"type": "array", "items": {"type": "object"}},
                                },
                                "required": ["name", "risk_tier", "coverages"],
                            },
                        }
                    },
                    "required": ["items"],
                },
            )
        },
    },
}


def operation_responses(endpoint):
    """{status: description} of every answer an operation gives."""
    answers = {status: description for status, (description, _s) in endpoint["responses"].items()}
    return {**answers, **ERRORS, **endpoint.get("errors", {})}


def openapi_document(server_url):
    paths = {}
    for key, endpoint in ENDPOINTS.items():
        writes = "body" in endpoint
        responses = {}
        for status, description in operation_responses(endpoint).items():
            if status in endpoint["responses"]:
                schema = endpoint["responses"][status][1]
                responses[status] = {
                    "description": description,
                    "content": {"application/json": {"schema": schema}},
                }
                if writes:
                    responses[status]["headers"] = REPLAYED
                if "links" in endpoint:
                    responses[status]["links"] = endpoint["links"]
            else:
                responses[status] = _problem_response(description, status)
        operation = {
            "operationId": key,
            "summary": endpoint["summary"],
            "parameters": [
                {"required": param.get("required", False), **param} for param in endpoint["params"]
            ],
            "responses": responses,
            "security": [{"bearer": []}],
        }
        if writes:
            operation["requestBody"] = {
                "required": True,
                "description": f"At most {endpoint['body_max']} bytes",
                "content": {
                    media: {"schema": schema} for media, schema in endpoint["body"].items()
                },
            }
        paths.setdefault(endpoint["path"], {})[endpoint["method"]] = operation
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "COI tracking API",
            "version": API_VERSION,
            "description": "Errors are application/problem+json (RFC 9457). Every "
            "parameter and body is checked against this document: unknown fields, "
            "wrong types and NUL characters are refused. The API works in the "
            "company of the API key's user.",
        },
        "servers": [{"url": server_url + BASE}],
        "paths": paths,
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {"Problem": PROBLEM},
        },
    }


def _problem_response(description, status):
    response = {
        "description": description,
        "content": {
            "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
        },
    }
    if status == "429":
        response["headers"] = {
            "Retry-After": {"required": True, "schema": {"type": "integer", "minimum": 1}}
        }
    if status == "401":
        response["headers"] = {"WWW-Authenticate": {"schema": {"type": "string"}}}
    return response
