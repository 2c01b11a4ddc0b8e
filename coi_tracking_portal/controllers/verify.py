# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import http
from odoo.http import request


class CoiVerify(http.Controller):
    """The agent's answer to a verification email. Opening the link shows a
    one-button page; only the button records the answer, so mail scanners
    that open links cannot answer for the agent."""

    @http.route(
        "/coi/verify/<string:token>/<string:answer>",
        type="http",
        auth="public",
        methods=["GET", "POST"],
        website=True,
        sitemap=False,
        csrf=True,
    )
    def verify(self, token, answer, **kwargs):
        notice = request.env["coi.notice"]._find_verification(token)
        if not notice or answer not in ("in_force", "changed"):
            raise request.not_found()
        recorded = False
        if request.httprequest.method == "POST":
            recorded = notice._record_answer(answer)
        return request.render(
            "coi_tracking_portal.verify_page",
            notice._verification_page_values(answer, recorded),
        )
