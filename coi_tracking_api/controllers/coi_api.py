# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import base64
import binascii
import hashlib
import json
from datetime import date, datetime

from odoo import http
from odoo.exceptions import AccessError
from odoo.http import request

from odoo.addons.coi_tracking.engine.intake import MAX_FILE_BYTES

from .spec import API_VERSION, BASE, ENDPOINTS, openapi_document

PROBLEM = "application/problem+json"


class ApiError(Exception):
    def __init__(self, status, title, detail):
        super().__init__(detail)
        self.status, self.title, self.detail = status, title, detail


def problem(status, title, detail):
    """An RFC 9457 problem document."""
    return request.make_json_response(
        {"type": "about:blank", "title": title, "status": status, "detail": detail},
        headers=[("Content-Type", PROBLEM)],
        status=status,
    )


def parse_params(endpoint, values):
    """Check and convert the query parameters of an endpoint by its spec."""
    parsed = {}
    for param in ENDPOINTS[endpoint]["params"]:
        if param["in"] != "query":
            continue
        raw = values.get(param["name"])
        if raw in (None, ""):
            continue
        schema = param["schema"]
        try:
            if schema["type"] == "integer":
                value = int(raw)
                if value < schema.get("minimum", value) or value > schema.get("maximum", value):
                    raise ValueError
            elif schema.get("format") == "date":
                value = date.fromisoformat(raw)
            elif schema.get("format") == "date-time":
                value = datetime.fromisoformat(raw.replace("Z", "+00:00")).replace(tzinfo=None)
            else:
                value = raw
            if "enum" in schema and value not in schema["enum"]:
                raise ValueError
        except ValueError:
            raise ApiError(
                400, "Invalid parameter", f"{param['name']}: {raw!r} is not a valid value."
            ) from None
        parsed[param["name"]] = value
    return parsed


class CoiApi(http.Controller):
    """Thin routes: authenticate (bearer API keys), check the group, parse,
    and hand over to the `_api_*` model methods."""

    def _forbidden(self):
        """A 403 problem when the key's user is not in the COI API group."""
        if not request.env.user.has_group("coi_tracking_api.group_coi_api"):
            return problem(403, "Forbidden", "This API key's user is not in the COI API group.")
        return None

    def _call(self, endpoint, handler, **values):
        if forbidden := self._forbidden():
            return forbidden
        try:
            params = parse_params(endpoint, request.httprequest.args)
            return request.make_json_response(handler(params, **values))
        except ApiError as error:
            return problem(error.status, error.title, error.detail)

    def _vendor(self, ref):
        vendor = request.env["res.partner"]._api_find_vendor(ref)
        if not vendor:
            raise ApiError(404, "Not Found", f"No vendor with reference {ref!r}.")
        return vendor

    @http.route(BASE, type="http", auth="bearer", methods=["GET"], csrf=False, readonly=True)
    def api_root(self):
        """Who am I, and which version of the API answers."""
        if forbidden := self._forbidden():
            return forbidden
        user = request.env.user
        return request.make_json_response(
            {"api_version": API_VERSION, "user": user.login, "company": user.company_id.name}
        )

    @http.route(
        f"{BASE}/openapi.json",
        type="http",
        auth="public",
        methods=["GET"],
        csrf=False,
        readonly=True,
    )
    def openapi(self):
        return request.make_json_response(
            openapi_document(request.httprequest.host_url.rstrip("/"))
        )

    @http.route(
        f"{BASE}/vendors", type="http", auth="bearer", methods=["GET"], csrf=False, readonly=True
    )
    def list_vendors(self, **kwargs):
        return self._call("list_vendors", lambda p: request.env["res.partner"]._api_list(**p))

    @http.route(
        f"{BASE}/vendors/<string:ref>",
        type="http",
        auth="bearer",
        methods=["GET"],
        csrf=False,
        readonly=True,
    )
    def get_vendor(self, ref, **kwargs):
        return self._call("get_vendor", lambda p: self._vendor(ref)._api_detail())

    @http.route(
        f"{BASE}/vendors/<string:ref>/can-work",
        type="http",
        auth="bearer",
        methods=["GET"],
        csrf=False,
        readonly=True,
    )
    def can_work(self, ref, **kwargs):
        return self._call("can_work", lambda p: self._vendor(ref)._api_can_work(p.get("date")))

    @http.route(
        f"{BASE}/requirement-sets",
        type="http",
        auth="bearer",
        methods=["GET"],
        csrf=False,
        readonly=True,
    )
    def list_requirement_sets(self, **kwargs):
        return self._call(
            "list_requirement_sets",
            lambda p: request.env["coi.requirement.set"]._api_list(),
        )

    # ---- writes: Idempotency-Key and a rate limit per API key ------------------

    def _write(self, endpoint, handler):
        """Run a write once per Idempotency-Key: a retry gets the first answer."""
        if forbidden := self._forbidden():
            return forbidden
        log = request.env["coi.api.request"]
        key = request.httprequest.headers.get("Idempotency-Key")
        replay = log._replay(key)
        if replay:
            status, body = replay
            return request.make_json_response(body, status=status)
        caller = self._caller()
        wait = log._rate_limited(caller)
        if wait:
            response = problem(429, "Too Many Requests", f"Too many writes; retry in {wait} s.")
            response.headers["Retry-After"] = str(wait)
            return response
        try:
            status, body = handler()
        except ApiError as error:
            return problem(error.status, error.title, error.detail)
        except ValueError as error:
            return problem(400, "Invalid request", str(error))
        except AccessError:
            return problem(403, "Forbidden", "This API key's user may not make this change.")
        method = request.httprequest.method
        log._remember(caller, key, method, request.httprequest.path, status, body)
        return request.make_json_response(body, status=status)

    def _caller(self):
        """Whom the rate limit counts: the API key (by digest, never the key
        itself), or the user of a browser session."""
        header = request.httprequest.headers.get("Authorization", "")
        scheme, _sep, token = header.partition(" ")
        if scheme.lower() == "bearer" and token.strip():
            return "key:" + hashlib.sha256(token.strip().encode()).hexdigest()[:32]
        return f"user:{request.env.uid}"

    def _json_body(self):
        try:
            body = json.loads(request.httprequest.get_data() or b"{}")
        except ValueError:
            raise ApiError(400, "Invalid request", "The body is not valid JSON.") from None
        if not isinstance(body, dict):
            raise ApiError(400, "Invalid request", "The body must be a JSON object.")
        return body

    @http.route(
        f"{BASE}/vendors/<string:ref>", type="http", auth="bearer", methods=["PUT"], csrf=False
    )
    def upsert_vendor(self, ref, **kwargs):
        def handler():
            vendor, created = request.env["res.partner"]._api_upsert(ref, self._json_body())
            return (201 if created else 200), vendor._api_detail()

        return self._write("upsert_vendor", handler)

    @http.route(
        f"{BASE}/vendors/<string:ref>/certificates",
        type="http",
        auth="bearer",
        methods=["POST"],
        csrf=False,
    )
    def submit_certificate(self, ref, **kwargs):
        def handler():
            vendor = self._vendor(ref)
            upload = request.httprequest.files.get("file")
            if upload:
                filename, data = upload.filename, upload.read(MAX_FILE_BYTES + 1)
                kind = request.httprequest.form.get("kind", "certificate")
            else:
                body = self._json_body()
                try:
                    data = base64.b64decode(body.get("content_base64") or "", validate=True)
                except (binascii.Error, ValueError):
                    raise ApiError(
                        400, "Invalid request", "content_base64 is not base64."
                    ) from None
                filename, kind = body.get("filename"), body.get("kind", "certificate")
            certificate = request.env["coi.certificate"]._api_submit(vendor, filename, data, kind)
            return 202, {
                "id": certificate.id,
                "reference": certificate.name,
                "status_url": f"{BASE}/certificates/{certificate.id}",
            }

        return self._write("submit_certificate", handler)

    @http.route(
        f"{BASE}/certificates/<int:certificate_id>",
        type="http",
        auth="bearer",
        methods=["GET"],
        csrf=False,
        readonly=True,
    )
    def get_certificate(self, certificate_id, **kwargs):
        def handler(params):
            certificate = request.env["coi.certificate"]._api_find(certificate_id)
            if not certificate:
                raise ApiError(404, "Not Found", f"No certificate {certificate_id}.")
            return certificate._api_dict()

        return self._call("get_certificate", handler)

    @http.route(
        f"{BASE}/policies", type="http", auth="bearer", methods=["GET"], csrf=False, readonly=True
    )
    def list_policies(self, **kwargs):
        return self._call("list_policies", lambda p: request.env["coi.policy"]._api_list(**p))
