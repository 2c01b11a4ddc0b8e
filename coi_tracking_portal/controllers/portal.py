# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo.http import request, route

from odoo.addons.coi_tracking.engine import questions
from odoo.addons.portal.controllers.portal import CustomerPortal

from .redirect import see_other


class CoiCustomerPortal(CustomerPortal):
    """/my/insurance for contractors (their own insurance) and agents (the
    insureds whose policies they produce). Reads go through the portal
    user's own rights: record rules decide who sees what."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "coi_count" in counters:
            values["coi_count"] = len(request.env["res.partner"]._coi_portal_vendors())
        return values

    # Not read-only: the page makes the visitor's upload link when it has none.
    @route(["/my/insurance"], type="http", auth="user", website=True)
    def portal_my_insurance(self, **kwargs):
        vendors = request.env["res.partner"]._coi_portal_vendors()
        if len(vendors) == 1 and vendors == request.env.user.commercial_partner_id:
            return request.render(
                "coi_tracking_portal.portal_my_insurance_vendor",
                self._coi_vendor_values(vendors),
            )
        values = self._prepare_portal_layout_values()
        values.update(vendors=vendors, page_name="coi_insurance")
        return request.render("coi_tracking_portal.portal_my_insurance_list", values)

    @route(["/my/insurance/<int:vendor_id>"], type="http", auth="user", website=True)
    def portal_my_insurance_vendor(self, vendor_id, asked=None, **kwargs):
        vendor = (
            request.env["res.partner"]._coi_portal_vendors().filtered(lambda v: v.id == vendor_id)
        )
        if not vendor:
            raise request.not_found()
        values = self._coi_vendor_values(vendor)
        # `asked`: where a question just sent redirects (see below).
        values["question_sent"] = asked == "1"
        return request.render("coi_tracking_portal.portal_my_insurance_vendor", values)

    @route(
        ["/my/insurance/<int:vendor_id>/question"],
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_my_insurance_question(self, vendor_id, question="", **kwargs):
        """ "Ask a question" on /my/insurance: only about one of the portal
        user's own vendors, through the user's own link (rate limit)."""
        vendor = (
            request.env["res.partner"]._coi_portal_vendors().filtered(lambda v: v.id == vendor_id)
        )
        if not vendor:
            raise request.not_found()
        me = request.env.user.partner_id
        link = vendor.sudo()._coi_upload_request(recipient=me)
        status, error = link._ask(question, author=me, remote_addr=request.httprequest.remote_addr)
        if not error:
            return see_other(f"/my/insurance/{vendor.id}?asked=1")
        values = self._coi_vendor_values(vendor)
        values.update(question_error=error, question_text=questions.printable(question))
        return request.render(
            "coi_tracking_portal.portal_my_insurance_vendor", values, status=status
        )

    def _coi_vendor_values(self, vendor):
        values = self._prepare_portal_layout_values()
        values.update(vendor._coi_portal_values())
        values["page_name"] = "coi_insurance_vendor"
        return values
