# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import http
from odoo.http import request

API_VERSION = "1"
BASE = "/api/coi/v1"
PROBLEM = "application/problem+json"


def problem(status, title, detail):
    """An RFC 9457 problem document."""
    return request.make_json_response(
        {"type": "about:blank", "title": title, "status": status, "detail": detail},
        headers=[("Content-Type", PROBLEM)],
        status=status,
    )


class CoiApi(http.Controller):
    @http.route(BASE, type="http", auth="bearer", methods=["GET"], csrf=False, readonly=True)
    def api_root(self):
        """Who am I, and which version of the API answers."""
        user = request.env.user
        if not user.has_group("coi_tracking_api.group_coi_api"):
            return problem(403, "Forbidden", "This API key's user is not in the COI API group.")
        return request.make_json_response(
            {
                "api_version": API_VERSION,
                "user": user.login,
                "company": user.company_id.name,
            }
        )
