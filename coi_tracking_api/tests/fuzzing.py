# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""schemathesis against a running server, from the OpenAPI document it
serves: every check (server errors, status codes, media types, headers and
bodies against the document, negative data refused, authentication not
ignored, resources created available), positive and negative data, and the
document's links followed (stateful). Plain Python, no Odoo: the test
(`test_api_fuzz.py`, a short run) and the benchmark (`bench/api_fuzz.py`,
100 examples per operation) run the same."""

import dataclasses
import json
import re
import warnings
from collections import Counter
from urllib.parse import parse_qsl, unquote, urlsplit

import jsonschema
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import DataGenerationMethod
from schemathesis.checks import ALL_CHECKS
from schemathesis.models import Status
from schemathesis.runner import events, from_schema
from schemathesis.specs.openapi.checks import (
    ensure_resource_availability,
    negative_data_rejection,
    use_after_free,
)
from schemathesis.stateful import Stateful


@dataclasses.dataclass
class Report:
    operations: int = 0  # documented operations exercised
    link_tests: int = 0  # operations run again on data a link gave (stateful)
    examples: int = 0  # requests generated and checked
    checks: Counter = dataclasses.field(default_factory=Counter)  # check runs, by check
    statuses: Counter = dataclasses.field(default_factory=Counter)  # (test, HTTP status)
    failures: list = dataclasses.field(default_factory=list)  # (test, check, status, what)
    errors: list = dataclasses.field(default_factory=list)  # (test, error) of the runner
    # "Negative" cases that went on the wire as valid requests (a value that
    # serializes to nothing, or to a valid string): schemathesis 3 counts them
    # as accepted negative data; a request valid by the document is not one.
    valid_on_the_wire: list = dataclasses.field(default_factory=list)
    # Cases whose generated path parameter holds a raw "#": the client sends
    # the rest of the URL as a fragment, so the request addresses another
    # path (POST /vendors/x#/certificates reaches POST /vendors/x, 405). What
    # answers is not the operation under test: its checks are not counted.
    off_path: list = dataclasses.field(default_factory=list)

    @property
    def server_errors(self):
        return [f for f in self.failures if f[1] == "not_a_server_error"]

    @property
    def violations(self):
        return [f for f in self.failures if f[1] != "not_a_server_error"]

    def summary(self):
        return f"{len(self.server_errors)} server errors, {len(self.violations)} schema violations"


def run(document, base_url, headers, max_examples, seed=None):
    """A Report of schemathesis over every operation of `document`."""
    with warnings.catch_warnings():
        # schemathesis 3 on jsonschema 4.18+: its deprecations, not ours
        warnings.simplefilter("ignore", DeprecationWarning)
        return _run(document, base_url, headers, max_examples, seed)


def _run(document, base_url, headers, max_examples, seed):
    schemathesis.experimental.OPEN_API_3_1.enable()  # our document is OpenAPI 3.1
    schema = schemathesis.from_dict(
        document,
        base_url=base_url,
        data_generation_methods=[DataGenerationMethod.positive, DataGenerationMethod.negative],
    )
    report = Report()
    checks = [
        _on_its_path(
            _on_the_wire(check, document, report) if check is negative_data_rejection else check,
            report,
        )
        for check in (*ALL_CHECKS, use_after_free, ensure_resource_availability)
    ]
    runner = from_schema(
        schema,
        checks=checks,
        headers=headers,
        hypothesis_settings=settings(
            max_examples=max_examples,
            deadline=None,
            database=None,  # nothing written to .hypothesis/ in the checkout
            derandomize=seed is not None,
            suppress_health_check=list(HealthCheck),
        ),
        seed=seed,
        stateful=Stateful.links,
        request_timeout=30000,
    )
    levels = {}  # correlation id -> recursion level (0: the operation, more: a link followed)
    for event in runner.execute():
        if isinstance(event, events.BeforeExecution):
            levels[event.correlation_id] = event.recursion_level
        if not isinstance(event, events.AfterExecution):
            continue
        result = event.result
        if levels.get(event.correlation_id):
            report.link_tests += 1
        else:
            report.operations += 1
        answers = {check.example.id: check.response for check in result.checks}
        report.examples += len(answers)
        report.checks.update(check.name for check in result.checks)
        report.statuses.update(
            (result.verbose_name, response.status_code if response else None)
            for response in answers.values()
        )
        failed = {
            (
                result.verbose_name,
                check.name,
                check.response.status_code if check.response else None,
                f"{(check.message or '').strip().splitlines()[0] if check.message else ''} "
                f"{_sent(check.example)}"[:600],
            )
            for check in result.checks
            if check.value == Status.failure
        }
        report.failures += sorted(failed, key=str)
        report.errors += [(result.verbose_name, error.exception[:300]) for error in result.errors]
    return report


def _on_its_path(check, report):
    """`check`, skipped for a request that left part of its path in a URL
    fragment (see Report.off_path)."""

    def checked(ctx, response, case):
        if response is not None and urlsplit(response.request.url).fragment:
            report.off_path.append((case.operation.verbose_name, response.request.url))
            return None
        return check(ctx, response, case)

    checked.__name__ = check.__name__
    return checked


def _on_the_wire(check, document, report):
    """`check` (negative data rejection), not failing when the request that
    was sent is valid by the document."""

    def negative_data_rejection(ctx, response, case):
        try:
            return check(ctx, response, case)
        except AssertionError:
            sent = response.request
            if not _valid_on_the_wire(document, case.path, sent):
                raise
            report.valid_on_the_wire.append((case.operation.verbose_name, sent.url))
            return None

    return negative_data_rejection


def _sent(case):
    """What was generated, in short (no credentials)."""
    headers = {k: v for k, v in (case.headers or {}).items() if k.lower() != "authorization"}
    parts = {
        "path": case.path_parameters,
        "query": case.query,
        "headers": headers,
        "body": (case.body or "")[:200] if isinstance(case.body, str) else case.body,
        "media": case.media_type,
    }
    return " ".join(f"{name}={value!r}" for name, value in parts.items() if value)


def _typed(text, schema):
    """A parameter's text read as its schema's type, as a server would."""
    kind = schema.get("type")
    if kind == "integer" and re.fullmatch(r"-?[0-9]+", text):
        return int(text)
    if kind == "number" and re.fullmatch(r"-?[0-9]+(\.[0-9]+)?", text):
        return float(text)
    if kind == "boolean" and text in ("true", "false"):
        return text == "true"
    return text


def _valid(schema, value):
    checker = jsonschema.Draft202012Validator.FORMAT_CHECKER
    return jsonschema.Draft202012Validator(schema, format_checker=checker).is_valid(value)


def _valid_on_the_wire(document, template, sent):
    """Whether a request as it was sent (a requests.PreparedRequest, not the
    generated case) matches the document: path, query and header
    parameters, and a JSON body."""
    operation = document["paths"][template][sent.method.lower()]
    url = urlsplit(sent.url)
    base = urlsplit(document["servers"][0]["url"]).path
    pattern = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]*)", re.escape(template))
    match = re.fullmatch(re.escape(base) + pattern, url.path)
    if not match:
        return False
    query = {}
    for name, value in parse_qsl(url.query, keep_blank_values=True):
        query.setdefault(name, []).append(value)
    headers = {name.lower(): value for name, value in sent.headers.items()}
    params = {(p["in"], p["name"]): p for p in operation.get("parameters", [])}
    if any(("query", name) not in params or len(v) > 1 for name, v in query.items()):
        return False
    for (where, name), param in params.items():
        if where == "path":
            text = unquote(match.group(name))
        elif where == "query":
            text = query.get(name, [None])[0]
        else:
            text = headers.get(name.lower())
        if text is None:
            if param.get("required"):
                return False
            continue
        if not _valid(param["schema"], _typed(text, param["schema"])):
            return False
    if "requestBody" not in operation:
        return True
    media = headers.get("content-type", "").split(";")[0].strip()
    schema = operation["requestBody"]["content"].get(media, {}).get("schema")
    if media != "application/json" or schema is None:
        return False  # only JSON bodies are read again
    try:
        return _valid(schema, json.loads(sent.body or b""))
    except ValueError:
        return False
