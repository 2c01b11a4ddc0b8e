# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import base64
import binascii
import hashlib

import psycopg2

from odoo import http
from odoo.exceptions import AccessError, UserError
from odoo.http import request

from odoo.addons.coi_tracking.engine.intake import MAX_FILE_BYTES

from .contract import (
    PROBLEM_TYPE,
    ApiError,
    check_body,
    check_text,
    parse_json,
    parse_params,
    problem,
    request_digest,
)
from .spec import (
    API_VERSION,
    BASE,
    CERTIFICATE_BODY_MAX,
    ENDPOINTS,
    JSON_BODY_MAX,
    openapi_document,
)

FORM = "multipart/form-data"


def _answer(payload, status=200, headers=()):
    return request.make_json_response(payload, headers=list(headers), status=status)


def _problem(error):
    return request.make_json_response(
        problem(error.status, error.detail),
        headers=[("Content-Type", PROBLEM_TYPE), *error.headers],
        status=error.status,
    )


class CoiApi(http.Controller):
    """Thin routes: authenticate (bearer API keys), check the group, check
    the parameters and the body against the contract (spec.py), and hand
    over to the `_api_*` model methods."""

    def _check_group(self):
        if not request.env.user.has_group("coi_tracking_api.group_coi_api"):
            raise ApiError(403, "This API key's user is not in the COI API group.")

    def _params(self, key, path):
        httprequest = request.httprequest
        return parse_params(key, path, httprequest.args, httprequest.headers)

    def _read(self, key, handler, **path):
        """A read: the group, the parameters, then the answer."""
        try:
            self._check_group()
            return _answer(handler(**self._params(key, path)))
        except ApiError as error:
            return _problem(error)

    def _vendor(self, ref):
        return self._found(ref, request.env["res.partner"]._api_find_vendor(ref))

    def _found(self, ref, answer):
        """`answer` about the vendor `ref`, or a 404 when there is none."""
        if not answer:
            raise ApiError(404, f"No vendor with reference {ref!r} in your company.")
        return answer

    @http.route(BASE, type="http", auth="bearer", methods=["GET"], csrf=False, readonly=True)
    def api_root(self, **kwargs):
        """Who am I, and which version of the API answers."""
        user = request.env.user
        return self._read(
            "get_root",
            lambda: {
                "api_version": API_VERSION,
                "user": user.login,
                "company": request.env.company.name,
            },
        )

    @http.route(
        f"{BASE}/openapi.json",
        type="http",
        auth="public",
        methods=["GET"],
        csrf=False,
        readonly=True,
    )
    def openapi(self, **kwargs):
        return _answer(openapi_document(request.httprequest.host_url.rstrip("/")))

    @http.route(
        f"{BASE}/vendors", type="http", auth="bearer", methods=["GET"], csrf=False, readonly=True
    )
    def list_vendors(self, **kwargs):
        return self._read("list_vendors", request.env["res.partner"]._api_list)

    @http.route(
        f"{BASE}/vendors/<string:ref>",
        type="http",
        auth="bearer",
        methods=["GET"],
        csrf=False,
        readonly=True,
    )
    def get_vendor(self, ref, **kwargs):
        return self._read("get_vendor", lambda ref: self._vendor(ref)._api_detail(), ref=ref)

    @http.route(
        f"{BASE}/vendors/<string:ref>/can-work",
        type="http",
        auth="bearer",
        methods=["GET"],
        csrf=False,
        readonly=True,
    )
    def can_work(self, ref, **kwargs):
        return self._read(
            "can_work",
            lambda ref, date=None: self._found(
                ref, request.env["res.partner"]._api_can_work_by_ref(ref, date)
            ),
            ref=ref,
        )

    @http.route(
        f"{BASE}/vendors/<string:ref>/coverage",
        type="http",
        auth="bearer",
        methods=["GET"],
        csrf=False,
        readonly=True,
    )
    def vendor_coverage(self, ref, **kwargs):
        return self._read(
            "vendor_coverage",
            lambda ref, date=None: self._vendor(ref)._api_coverage(date),
            ref=ref,
        )

    @http.route(
        f"{BASE}/requirement-sets",
        type="http",
        auth="bearer",
        methods=["GET"],
        csrf=False,
        readonly=True,
    )
    def list_requirement_sets(self, **kwargs):
        return self._read("list_requirement_sets", request.env["coi.requirement.set"]._api_list)

    @http.route(
        f"{BASE}/certificates/<int:certificate_id>",
        type="http",
        auth="bearer",
        methods=["GET"],
        csrf=False,
        readonly=True,
    )
    def get_certificate(self, certificate_id, **kwargs):
        def handler(id):  # the documented parameter's name
            certificate = request.env["coi.certificate"]._api_find(id)
            if not certificate:
                raise ApiError(404, f"No certificate {id} sent through the API.")
            return certificate._api_dict()

        return self._read("get_certificate", handler, id=certificate_id)

    @http.route(
        f"{BASE}/policies", type="http", auth="bearer", methods=["GET"], csrf=False, readonly=True
    )
    def list_policies(self, **kwargs):
        return self._read("list_policies", request.env["coi.policy"]._api_list)

    # ---- writes: a body, an Idempotency-Key, a rate limit per API key -----------------

    def _write(self, key, handler, **path):
        """A write: the group, the parameters, the body; then once per
        Idempotency-Key (a retry of the same request gets the first answer)."""
        try:
            self._check_group()
            params = self._params(key, path)
            idempotency_key = params.pop("Idempotency-Key", None)
            body, bound_to = self._body(key)
            httprequest = request.httprequest
            digest = request_digest(httprequest.method, httprequest.path, bound_to)
            return self._once(idempotency_key, digest, lambda: handler(body, **params))
        except ApiError as error:
            return _problem(error)

    def _body(self, key):
        """(body, what an Idempotency-Key is bound to), checked against the
        operation's schema for the body's media type."""
        httprequest = request.httprequest
        accepted = ENDPOINTS[key]["body"]
        if httprequest.mimetype not in accepted:
            raise ApiError(415, f"Send the body as {' or '.join(accepted)}.")
        if httprequest.mimetype == FORM:
            return self._form_body(key)
        body = parse_json(httprequest.get_data())
        check_body(key, httprequest.mimetype, body)
        return body, body

    def _form_body(self, key):
        """A multipart body: its fields by the schema, the file read (at most
        one byte more than the intake takes, so that it can say too large)."""
        form, files = request.httprequest.form, request.httprequest.files
        values = {}
        for name in {*form, *files}:
            check_text("A form field name", name)
            if len(form.getlist(name)) + len(files.getlist(name)) > 1:
                raise ApiError(400, f"Form field {name} is given more than once.")
        for name, value in form.items():
            check_text(f"Form field {name}", value)
            values[name] = value
        for name, upload in files.items():
            check_text(f"The file name of {name}", upload.filename or "")
            values[name] = ""
        check_body(key, FORM, values)
        upload = files.get("file")
        if upload:
            filename, data = upload.filename, upload.read(MAX_FILE_BYTES + 1)
        else:
            filename, data = None, form["file"].encode()
        body = {"filename": filename, "file": data, "kind": values.get("kind", "certificate")}
        bound_to = {**body, "file": hashlib.sha256(data).hexdigest()}
        return body, bound_to

    def _once(self, idempotency_key, digest, handler):
        log = request.env["coi.api.request"]
        if idempotency_key:
            previous = log._replay(idempotency_key)
            if previous and previous.request_digest not in (False, digest):
                raise ApiError(
                    422,
                    "This Idempotency-Key was used for another request (method, path or "
                    "body differ); use a new key for a new request.",
                )
            if previous:
                return _answer(*previous._answer(), headers=[("Idempotent-Replayed", "true")])
        caller = self._caller()
        wait = log._rate_limited(caller)
        if wait:
            raise ApiError(
                429, f"Too many writes; retry in {wait} s.", [("Retry-After", str(wait))]
            )
        try:
            with request.env.cr.savepoint():
                httprequest = request.httprequest
                entry = log._claim(
                    caller, idempotency_key, httprequest.method, httprequest.path, digest
                )
                status, payload = handler()
                entry._remember(status, payload)
        except UserError as error:
            raise ApiError(422, str(error)) from None
        except AccessError:
            raise ApiError(403, "This API key's user may not make this change.") from None
        except psycopg2.IntegrityError:
            raise ApiError(
                409, "The same request or the same vendor is being written; retry."
            ) from None
        return _answer(payload, status)

    def _caller(self):
        """Whom the rate limit counts: the API key (by digest, never the key
        itself), or the user of a browser session."""
        header = request.httprequest.headers.get("Authorization", "")
        scheme, _sep, token = header.partition(" ")
        if scheme.lower() == "bearer" and token.strip():
            return "key:" + hashlib.sha256(token.strip().encode()).hexdigest()[:32]
        return f"user:{request.env.uid}"

    @http.route(
        f"{BASE}/vendors/<string:ref>",
        type="http",
        auth="bearer",
        methods=["PUT"],
        csrf=False,
        max_content_length=JSON_BODY_MAX,
    )
    def upsert_vendor(self, ref, **kwargs):
        def handler(body, ref):
            vendor, created = request.env["res.partner"]._api_upsert(ref, body)
            return (201 if created else 200), vendor._api_detail()

        return self._write("upsert_vendor", handler, ref=ref)

    @http.route(
        f"{BASE}/vendors/<string:ref>/certificates",
        type="http",
        auth="bearer",
        methods=["POST"],
        csrf=False,
        max_content_length=CERTIFICATE_BODY_MAX,
    )
    def submit_certificate(self, ref, **kwargs):
        def handler(body, ref):
            vendor = self._vendor(ref)
            data = body["file"] if "file" in body else self._decode(body["content_base64"])
            certificate = request.env["coi.certificate"]._api_submit(
                vendor, body.get("filename"), data, body.get("kind", "certificate")
            )
            return 202, {
                "id": certificate.id,
                "reference": certificate.name,
                "status_url": f"{BASE}/certificates/{certificate.id}",
            }

        return self._write("submit_certificate", handler, ref=ref)

    def _decode(self, text):
        try:
            return base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError):
            raise ApiError(400, "body.content_base64 is not valid base64.") from None
