# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import http
from odoo.http import request

from odoo.addons.coi_tracking.engine import questions
from odoo.addons.coi_tracking.engine.intake import MAX_FILE_BYTES

from .redirect import see_other


class CoiUpload(http.Controller):
    """Public certificate upload through a tokenized link. Parses the
    request, checks the token, and hands everything else to the model."""

    def _request_or_404(self, token):
        upload_request = request.env["coi.upload.request"]._find_by_token(token)
        if not upload_request:
            # Unknown, expired and revoked links all get the same answer.
            raise request.not_found()
        return upload_request

    def _in_link_language(self, upload_request):
        """A visitor who chose no language (no language in the URL, no
        language cookie) reads the page in the language of the person the
        link was made for: a redirection to the page under that language's
        prefix, which also remembers it (Odoo's `frontend_lang` cookie)."""
        lang = upload_request._coi_lang()
        if (
            not lang
            or lang == request.lang.code
            or request.cookies.get("frontend_lang")
            or request.lang.code != request.env["ir.http"]._get_default_lang().code
        ):
            return None
        url_code = request.env["res.lang"]._get_data(code=lang).url_code
        query = request.httprequest.query_string.decode()
        path = f"/{url_code}{request.httprequest.path}"
        return request.redirect(f"{path}?{query}" if query else path, local=True)

    @http.route(
        "/coi/upload/<string:token>",
        type="http",
        auth="public",
        methods=["GET"],
        sitemap=False,
        website=True,
        readonly=True,
    )
    def upload_page(self, token, certificate=None, asked=None, **kwargs):
        upload_request = self._request_or_404(token)
        redirect = self._in_link_language(upload_request)
        if redirect:
            return redirect
        values = upload_request._page_values(certificate_id=certificate)
        # `asked`: where a question just sent redirects (see below).
        values["question_sent"] = asked == "1"
        return request.render("coi_tracking_portal.upload_page", values)

    @http.route(
        "/coi/upload/<string:token>",
        type="http",
        auth="public",
        methods=["POST"],
        sitemap=False,
        website=True,
        csrf=True,
    )
    def upload_submit(self, token, kind="certificate", **kwargs):
        upload_request = self._request_or_404(token)
        files = [
            (upload.filename or "file", upload.read(MAX_FILE_BYTES + 1))
            for upload in request.httprequest.files.getlist("files")
            if upload.filename
        ]
        certificate, rejected, limited = upload_request._submit(
            files,
            kind=kind,
            submitted_by=request.env.user.partner_id if not request.env.user._is_public() else None,
            remote_addr=request.httprequest.remote_addr,
        )
        if certificate and not rejected:
            # The page of the certificate shows its result; the decision is
            # committed before that page is drawn.
            return see_other(f"/coi/upload/{token}?certificate={certificate.id}")
        values = upload_request._page_values(certificate_id=certificate and certificate.id)
        values.update(rejected=rejected, rate_limited=limited)
        return request.render("coi_tracking_portal.upload_page", values)

    @http.route(
        "/coi/upload/<string:token>/question",
        type="http",
        auth="public",
        methods=["POST"],
        sitemap=False,
        website=True,
        csrf=True,
    )
    def upload_question(self, token, question="", **kwargs):
        """ "Ask a question" on the upload page: it goes to this link's vendor
        only (nothing in the form can name another)."""
        upload_request = self._request_or_404(token)
        user = request.env.user
        status, error = upload_request._ask(
            question,
            author=None if user._is_public() else user.partner_id,
            remote_addr=request.httprequest.remote_addr,
        )
        if not error:
            return see_other(f"/coi/upload/{token}?asked=1")
        values = upload_request._page_values()
        values.update(question_error=error, question_text=questions.printable(question))
        return request.render("coi_tracking_portal.upload_page", values, status=status)
