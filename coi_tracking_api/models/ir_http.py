# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import re

import werkzeug.exceptions

from odoo import models
from odoo.exceptions import AccessDenied, AccessError, MissingError, UserError
from odoo.http import SessionExpiredException, request

from ..controllers.contract import PROBLEM_TYPE, ApiError, check_transport, problem
from ..controllers.spec import BASE


def _is_api(path):
    return path == BASE or path.startswith(f"{BASE}/")


class IrHttp(models.AbstractModel):
    """Everything under /api/coi/v1 answers application/problem+json, also
    what Odoo answers before a route runs (a missing or invalid key, an
    unknown path or method, a body too large), and the transport is checked
    before a body is parsed: no NUL character in the path, the query or a
    header, no chunked body, none larger than the route takes."""

    _inherit = "ir.http"

    @classmethod
    def _auth_method_bearer(cls):
        """Remember that this request's user came with an API key, not a
        session: outside the web client the COI models then ask for the COI
        API group (ir.model.access)."""
        super()._auth_method_bearer()
        header = request.httprequest.headers.get("Authorization") or ""
        if re.match(r"^bearer\s+\S", header, re.IGNORECASE):
            request.coi_api_key_uid = request.env.uid

    @classmethod
    def _match(cls, path_info):
        try:
            return super()._match(path_info)
        except werkzeug.exceptions.MethodNotAllowed as error:
            if _is_api(path_info):
                error.error_response = cls._coi_api_problem(error)
            raise

    @classmethod
    def _pre_dispatch(cls, rule, args):
        super()._pre_dispatch(rule, args)
        httprequest = request.httprequest
        if not _is_api(httprequest.path):
            return
        try:
            check_transport(httprequest.path, httprequest.args, httprequest.headers)
        except ApiError as error:
            raise werkzeug.exceptions.BadRequest(error.detail) from None
        if "chunked" in httprequest.headers.get("Transfer-Encoding", "").lower():
            raise werkzeug.exceptions.LengthRequired("Send the body with a Content-Length.")
        limit = httprequest.max_content_length
        if limit and (httprequest.content_length or 0) > limit:
            raise werkzeug.exceptions.RequestEntityTooLarge(
                f"The body is larger than {limit} bytes."
            )
        # Odoo passes query and form fields to the route as keyword arguments:
        # one named like the method's own first argument would break the call.
        if any(
            "self" in fields for fields in (httprequest.args, httprequest.form, httprequest.files)
        ):
            raise werkzeug.exceptions.BadRequest("Unknown parameter: self.")

    @classmethod
    def _handle_error(cls, exception):
        if request and _is_api(request.httprequest.path):
            return cls._coi_api_problem(exception)
        return super()._handle_error(exception)

    @classmethod
    def _coi_api_problem(cls, exception):
        """A problem document for an exception raised under the API's path."""
        headers = []
        if isinstance(exception, ApiError):
            status, detail, headers = exception.status, exception.detail, exception.headers
        elif isinstance(exception, werkzeug.exceptions.HTTPException):
            status, detail = exception.code or 500, exception.description or exception.name
        elif isinstance(exception, AccessDenied | SessionExpiredException):
            status, detail = 401, "Missing, invalid or expired API key."
        elif isinstance(exception, MissingError):
            status, detail = 404, str(exception)
        elif isinstance(exception, AccessError):
            status, detail = 403, "This API key's user may not do this."
        elif isinstance(exception, UserError):
            status, detail = 422, str(exception)
        else:
            status, detail = 500, "The server could not answer; the error is logged."
        if status == 401:
            headers.append(("WWW-Authenticate", 'Bearer realm="COI API"'))
        if status == 405 and isinstance(exception, werkzeug.exceptions.MethodNotAllowed):
            headers.append(("Allow", ", ".join(exception.valid_methods or ())))
        return request.make_json_response(
            problem(status, str(detail)),
            headers=[("Content-Type", PROBLEM_TYPE), *headers],
            status=status,
        )
