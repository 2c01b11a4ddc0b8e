# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Requests checked against the API's contract (spec.py), with the schemas
the served document holds: parameters are converted from their text and
validated, bodies parsed and validated (unknown fields, types, lengths,
formats), NUL characters and text that is not Unicode refused. Plain Python
(jsonschema), no Odoo: the routes call it, the pytest suite tests it."""

import json
import math
import re
from datetime import UTC, date, datetime
from functools import cache
from hashlib import sha256

from jsonschema import Draft202012Validator, FormatChecker

from .spec import ENDPOINTS

TITLES = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    409: "Conflict",
    411: "Length Required",
    413: "Content Too Large",
    415: "Unsupported Media Type",
    422: "Unprocessable Content",
    429: "Too Many Requests",
    500: "Internal Server Error",
}
PROBLEM_TYPE = "application/problem+json"


class ApiError(Exception):
    """An answer other than success: status and a detail for the client."""

    def __init__(self, status, detail, headers=()):
        super().__init__(detail)
        self.status, self.detail, self.headers = status, detail, list(headers)


def problem(status, detail, title=None):
    """The body of an RFC 9457 problem document."""
    return {
        "type": "about:blank",
        "title": title or TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
    }


# ---- formats: the same on every machine (jsonschema's own depend on what is installed)

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
_DATE_TIME = re.compile(
    r"(\d{4}-\d{2}-\d{2})[Tt](\d{2}:\d{2}:\d{2}(?:\.\d+)?)([Zz]|[+-]\d{2}:\d{2})", re.ASCII
)
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+")
_INTEGER = re.compile(r"-?\d+", re.ASCII)
FORMATS = FormatChecker(formats=())


def parse_date(value):
    """A date from 'YYYY-MM-DD'; ValueError otherwise."""
    if not _DATE.fullmatch(value):
        raise ValueError(value)
    return date.fromisoformat(value)


def parse_date_time(value):
    """A naive UTC datetime from an RFC 3339 date-time; ValueError otherwise."""
    match = _DATE_TIME.fullmatch(value)
    if not match:
        raise ValueError(value)
    day, time, offset = match.groups()
    offset = "+00:00" if offset in "Zz" else offset
    try:
        moment = datetime.fromisoformat(f"{day}T{time[:15]}{offset}")
        return moment.astimezone(UTC).replace(tzinfo=None)
    except OverflowError:
        raise ValueError(value) from None


@FORMATS.checks("date", raises=ValueError)
def _is_date(value):
    return not isinstance(value, str) or bool(parse_date(value))


@FORMATS.checks("date-time", raises=ValueError)
def _is_date_time(value):
    return not isinstance(value, str) or bool(parse_date_time(value))


@FORMATS.checks("email")
def _is_email(value):
    return not isinstance(value, str) or bool(_EMAIL.fullmatch(value))


FORMAT_WORDS = {
    "date": "a date (YYYY-MM-DD)",
    "date-time": "an RFC 3339 date-time (e.g. 2026-12-01T09:30:00Z)",
    "email": "an email address",
}


@cache
def _validator(key, where, name):
    """The validator of one parameter or body schema of an operation."""
    endpoint = ENDPOINTS[key]
    if where == "body":
        schema = endpoint["body"][name]
    else:
        schema = next(p["schema"] for p in endpoint["params"] if p["name"] == name)
    return Draft202012Validator(schema, format_checker=FORMATS)


def _describe(error, where):
    """One error in words, without echoing the (maybe huge) value."""
    path = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in error.path)
    at = f"{where}{path}"
    keyword, expected, schema = error.validator, error.validator_value, error.schema
    if keyword == "type":
        types = [expected] if isinstance(expected, str) else expected
        return f"{at} must be {' or '.join(types)}"
    if keyword == "additionalProperties":
        unknown = sorted(set(error.instance) - set(schema.get("properties", {})))
        return f"{at}: unknown field(s) {', '.join(map(repr, unknown))}"
    if keyword == "required":
        missing = [name for name in expected if name not in error.instance]
        return f"{at}: {', '.join(map(repr, missing))} is required"
    if keyword == "enum":
        return f"{at} must be one of {', '.join(json.dumps(v) for v in expected)}"
    if keyword in ("minLength", "maxLength"):
        bound = "at least" if keyword == "minLength" else "at most"
        return f"{at} must be {bound} {expected} characters long"
    if keyword in ("minimum", "maximum"):
        return f"{at} must be {'at least' if keyword == 'minimum' else 'at most'} {expected}"
    if keyword in ("minItems", "maxItems"):
        return (
            f"{at} must have {'at least' if keyword == 'minItems' else 'at most'} {expected} items"
        )
    if keyword == "minProperties":
        return f"{at} must have at least {expected} field(s)"
    if keyword == "uniqueItems":
        return f"{at} must not repeat an item"
    if keyword == "pattern":
        return f"{at} must match the pattern {expected}"
    if keyword == "format":
        return f"{at} must be {FORMAT_WORDS.get(expected, expected)}"
    return f"{at}: {error.message[:200]}"


def validate(key, where, name, value, label):
    """ApiError(400) naming every way `value` breaks its schema."""
    errors = sorted(
        _validator(key, where, name).iter_errors(value), key=lambda e: (list(e.path), e.validator)
    )
    if errors:
        raise ApiError(400, "; ".join(_describe(error, label) for error in errors[:5]) + ".")


# ---- text: no NUL characters, nothing that is not Unicode ----------------------------


def bad_text(value):
    """Why a string cannot be stored (NUL character, not Unicode), or None."""
    if "\x00" in value:
        return "contains a NUL character"
    try:
        value.encode()
    except UnicodeEncodeError:
        return "is not valid Unicode text"
    return None


def check_text(label, value):
    if isinstance(value, str) and (reason := bad_text(value)):
        raise ApiError(400, f"{label} {reason}.")


def check_json_text(value, label="body"):
    """Every key and string of a parsed JSON document, however deep (no recursion)."""
    stack = [(label, value)]
    while stack:
        where, item = stack.pop()
        if isinstance(item, str):
            check_text(where, item)
        elif isinstance(item, dict):
            for key, child in item.items():
                check_text(f"{where}: a field name", key)
                stack.append((f"{where}.{key}", child))
        elif isinstance(item, list):
            stack.extend((f"{where}[{index}]", child) for index, child in enumerate(item))


def check_transport(path, query, headers):
    """The parts of a request read before its route: path, query, headers."""
    check_text("The path", path)
    for name, value in query.items(multi=True):
        check_text("A query parameter name", name)
        check_text(f"Query parameter {name}", value)
    for name, value in headers.items():
        check_text("A header name", name)
        check_text(f"Header {name}", value)


# ---- parameters and bodies ---------------------------------------------------------


def _coerce(text, schema):
    """A parameter's text as the type its schema says (left as text when it
    is not one, so that validation names the problem)."""
    kind = schema.get("type")
    if kind == "integer" and isinstance(text, str) and _INTEGER.fullmatch(text):
        return int(text)
    return text


def _convert(value, schema):
    if schema.get("format") == "date":
        return parse_date(value)
    if schema.get("format") == "date-time":
        return parse_date_time(value)
    return value


def parse_params(key, path, query, headers):
    """The parameters of operation `key`, checked and converted: path values
    (from the route), query arguments (a MultiDict) and headers. Unknown
    query parameters and repeated ones are refused."""
    params = ENDPOINTS[key]["params"]
    known = {param["name"] for param in params if param["in"] == "query"}
    unknown = sorted(set(query) - known)
    if unknown:
        allowed = ", ".join(sorted(known)) or "none"
        raise ApiError(
            400, f"Unknown query parameter(s): {', '.join(unknown)} (allowed: {allowed})."
        )
    parsed = {}
    for param in params:
        name, where, schema = param["name"], param["in"], param["schema"]
        if where == "path":
            raw = path[name]
        elif where == "query":
            values = query.getlist(name)
            if not values:
                continue
            if len(values) > 1:
                raise ApiError(400, f"Query parameter {name} is given more than once.")
            raw = values[0]
        else:
            raw = headers.get(name)
            if raw is None:
                continue
        value = _coerce(raw, schema)
        validate(key, "param", name, value, f"{where} parameter {name}")
        parsed[name] = _convert(value, schema)
    return parsed


def _no_constant(name):
    raise ValueError(f"{name} is not JSON")


def _finite(text):
    number = float(text)
    if not math.isfinite(number):
        raise ValueError("number out of range")
    return number


def parse_json(data):
    """The JSON document of a body (bytes); ApiError(400) when it is not one."""
    if not data:
        raise ApiError(400, "The body is empty; send a JSON object.")
    try:
        value = json.loads(data, parse_constant=_no_constant, parse_float=_finite)
    except (ValueError, RecursionError):
        raise ApiError(400, "The body is not valid JSON (UTF-8).") from None
    check_json_text(value)
    return value


def check_body(key, media, value):
    """ApiError(400) unless `value` is a valid `media` body of operation `key`."""
    validate(key, "body", media, value, "body")


def request_digest(method, path, body):
    """What an Idempotency-Key is bound to: method, path and the body's
    content (canonical JSON, so that key order and spacing do not count)."""
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return sha256(f"{method} {path}\n{canonical}".encode()).hexdigest()
