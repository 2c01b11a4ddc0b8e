# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import secrets
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import consteq

from odoo.addons.coi_tracking.engine import intake, questions

RATE_LIMIT_PER_HOUR = 30


class CoiUploadRequest(models.Model):
    """A link that lets a contractor or its agent send certificates without
    a login: a random token, an expiry, and what was asked at the time."""

    _name = "coi.upload.request"
    _description = "Certificate Upload Link"
    _inherit = ["portal.mixin", "mail.thread"]
    _order = "id desc"
    # The link's company must be the vendor's (or the vendor is shared).
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="Vendor",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
        domain=[("is_company", "=", True)],
    )
    recipient_id = fields.Many2one(
        "res.partner",
        string="Sent To",
        help="The contractor's insurance contact or the insurance agent who gets the link.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    expiry_date = fields.Date(required=True, default=lambda self: self._default_expiry())
    revoked = fields.Boolean(tracking=True, copy=False)
    state = fields.Selection(
        [("valid", "Valid"), ("expired", "Expired"), ("revoked", "Revoked")],
        compute="_compute_state",
    )
    requirement_snapshot = fields.Json(
        readonly=True, copy=False, help="What was required when the link was made."
    )
    certificate_ids = fields.One2many("coi.certificate", "upload_request_id")
    certificate_count = fields.Integer(compute="_compute_certificate_count")

    _access_token_unique = models.Constraint(
        "UNIQUE(access_token)", "An upload link token must be unique."
    )

    def _default_expiry(self):
        return self.env.company._coi_today() + timedelta(
            days=self.env.company.coi_upload_link_days or 60
        )

    @api.depends("partner_id")
    def _compute_name(self):
        for request in self:
            request.name = self.env._("Upload link for %s", request.partner_id.name or "")

    def _compute_state(self):
        for request in self:
            today = (request.company_id or self.env.company)._coi_today()
            if request.revoked:
                request.state = "revoked"
            elif request.expiry_date < today:
                request.state = "expired"
            else:
                request.state = "valid"

    @api.depends("certificate_ids")
    def _compute_certificate_count(self):
        for request in self:
            request.certificate_count = len(request.certificate_ids)

    def _compute_access_url(self):
        for request in self:
            request.access_url = f"/coi/upload/{request.access_token}"

    @api.model_create_multi
    def create(self, vals_list):
        # Read together: a day's notices make links for many vendors.
        vendors = self.env["res.partner"].browse([vals.get("partner_id") for vals in vals_list])
        explained = {}
        for vals, vendor in zip(vals_list, vendors, strict=True):
            # 32 random bytes: far longer than the core portal's uuid4 tokens.
            vals.setdefault("access_token", secrets.token_urlsafe(32))
            if "requirement_snapshot" not in vals:
                vals["requirement_snapshot"] = self._requirement_lines_of(vendor, explained)
        return super().create(vals_list)

    def _portal_ensure_token(self):
        if not self.access_token:
            self.sudo().write({"access_token": secrets.token_urlsafe(32)})
        return self.access_token

    def action_revoke(self):
        self.write({"revoked": True})
        return True

    def action_send(self):
        """The email composer, prefilled with the first request (what is
        missing, the requirements with their limits, the certificate holder,
        this link) and the example certificate attached, for a person to
        edit and send."""
        self.ensure_one()
        template = self.env.ref("coi_tracking_portal.mail_template_coi_upload_request")
        # Who the person sending it starts from (the composer lets them change it).
        recipient = (
            self.env["res.partner"].browse(self.env.context.get("coi_send_to") or []).exists()
            or self.recipient_id
            or self.partner_id
        )
        example = self.env["ir.attachment"].create(
            {
                "name": "example-certificate.pdf",
                "raw": self._as_notice()
                .with_context(coi_reader_lang=recipient[:1].lang)
                ._example_certificate(),
                "mimetype": "application/pdf",
                "res_model": self._name,
                "res_id": self.id,
            }
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "mail.compose.message",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_model": self._name,
                "default_res_ids": self.ids,
                "default_template_id": template.id,
                "default_composition_mode": "comment",
                "default_partner_ids": recipient.ids,
                # The composer takes its attachments from the template.
                "coi_example_attachment_ids": example.ids,
            },
        }

    def _message_post_after_hook(self, message, msg_vals):
        """A person sent this link (the composer): the vendor's request cycle
        opens, so the chase reminds it of what is still missing."""
        result = super()._message_post_after_hook(message, msg_vals)
        if msg_vals.get("message_type") == "comment" and msg_vals.get("partner_ids"):
            vendor = self.partner_id.sudo()
            vendor._coi_open_cycle(self.company_id._coi_today())
        return result

    # ---- what the request's template shows, as the notices show it ----------

    def _as_notice(self):
        """A notice about this link's vendor, stored nowhere: the shared
        notice fragments and the example certificate read it."""
        self.ensure_one()
        return self.env["coi.notice"].sudo().new({"partner_id": self.partner_id.id})

    def _missing(self):
        return self._as_notice()._missing()

    def _requirements(self):
        return self._as_notice()._requirements()

    def _holder_lines(self):
        return self._holder_block()

    def _partner_to(self):
        """Who the link's email goes to: the link's recipient, with the
        vendor's insurance contact and agent (as the first request goes)."""
        self.ensure_one()
        partners = self.recipient_id | self.env["coi.notice"].sudo()._recipients(self.partner_id)
        return ",".join(str(pid) for pid in (partners or self.partner_id).ids)

    def _coi_lang(self):
        """The language of the person this link was made for (else the
        vendor's), when it is active: the upload page speaks it."""
        self.ensure_one()
        lang = self.sudo().recipient_id.lang or self.sudo().partner_id.lang
        active = self.env["res.lang"]._get_active_by(field="code")
        return lang if lang in active else False

    def _upload_url(self):
        self.ensure_one()
        return f"{self.get_base_url()}{self.access_url}"

    @api.model
    def _find_by_token(self, token):
        """The valid request for a token, or an empty recordset. Unknown,
        expired and revoked tokens are indistinguishable for the caller."""
        if not token or len(token) < 32:
            return self.browse()
        # The same work for every token: one query fetches what the checks
        # need, the company's today is asked for the link's company or the
        # current one, and every check runs (no early return): an expired or
        # revoked link answers in the time of an unknown one.
        request = self.sudo().search_fetch(
            [("access_token", "=", token)],
            ["access_token", "revoked", "expiry_date", "company_id"],
            limit=1,
        )
        today = (request.company_id or self.env.company)._coi_today()
        same = consteq(request.access_token or token, token)
        current = (request.expiry_date or today) >= today
        valid = bool(request) & same & current & (not request.revoked)
        return request if valid else self.browse()

    def _requirement_lines(self):
        """What the vendor must send, in plain words, one dict per coverage."""
        self.ensure_one()
        return self._requirement_lines_of(self.partner_id, {})

    @api.model
    def _requirement_lines_of(self, vendor, explained):
        """`_requirement_lines` of `vendor`; `explained` keeps each
        requirement's explanations for the next vendor asked the same."""
        lines = vendor.sudo().coi_compliance_line_ids
        snapshot = []
        for line in lines:
            requirement = line.requirement_line_id
            if requirement.id not in explained:
                explained[requirement.id] = requirement._coi_explanations() if requirement else []
            snapshot.append(
                {
                    "coverage": line.coverage_type_id.name,
                    "terms": requirement.summary or "",
                    "status": line.status,
                    "deficiency": line._coi_deficiency_text(),
                    "explanations": explained[requirement.id],
                }
            )
        return snapshot

    def _holder_block(self):
        """The certificate holder name and address contractors must use, as
        the review checks it."""
        return (
            self.env["coi.requirement.set"]._coi_holder_for(self.partner_id, self.company_id).lines
        )

    def _submit(self, files, kind="certificate", submitted_by=None, remote_addr=None):
        """Record one submission through this link: a certificate with every
        accepted file, read at once when it can be read quickly (else by the
        reading job, started only then). Returns
        (certificate or None, rejected files with reasons, rate-limited?)."""
        self.ensure_one()
        if not self.env["coi.upload.log"]._admit(self, remote_addr, RATE_LIMIT_PER_HOUR):
            return None, [], True
        certificate, rejected = (
            self.env["coi.certificate"]
            .sudo()
            .with_context(coi_read_now=True)
            ._coi_submit(
                self.partner_id,
                files,
                "portal",
                kind=kind,
                submitted_by=submitted_by or self.recipient_id,
                company=self.company_id,
                upload_request_id=self.id,
            )
        )
        if not certificate:
            return None, rejected, False
        certificate._coi_read_now()
        return certificate, rejected, False

    def _ask(self, text, author=None, remote_addr=None):
        """A question sent through this link (or the portal user's own link):
        checked, counted against the link's hourly limit like an upload,
        then posted on this link's vendor, never another. Returns
        (HTTP status, None when posted or the refusal in words)."""
        self.ensure_one()
        question, problem = questions.check_question(text)
        if problem:
            return 400, self._question_refusal_text(problem)
        if not self.env["coi.upload.log"]._admit(self, remote_addr, RATE_LIMIT_PER_HOUR):
            return 429, self.env._(
                "Too many questions and uploads from this link or this address in the last "
                "hour. Please wait a little and try again."
            )
        self.partner_id.sudo()._coi_post_question(
            question, author or self.recipient_id or self.partner_id, company=self.company_id
        )
        return 200, None

    def _question_refusal_text(self, problem):
        return {
            questions.EMPTY: self.env._("Please type your question before sending it."),
            questions.TOO_LONG: self.env._(
                "Your question is longer than %s characters; please shorten it.",
                questions.MAX_QUESTION_CHARS,
            ),
            questions.BAD_CHARACTERS: self.env._(
                "Your question contains characters that cannot be sent (such as a NUL "
                "byte); please type it again."
            ),
        }[problem]

    def _page_values(self, certificate_id=None):
        """Everything the public upload page shows (the caller checked the
        token; this runs as superuser on this request's vendor only)."""
        self.ensure_one()
        self.env["res.partner"]._coi_settle()
        vendor = self.partner_id.sudo()
        certificate = self.env["coi.certificate"].sudo()
        if certificate_id and str(certificate_id).isdigit():
            # Only a certificate sent through this very link.
            certificate = certificate.search(
                [("id", "=", int(certificate_id)), ("upload_request_id", "=", self.id)], limit=1
            )
        missing = vendor.coi_compliance_line_ids.filtered("is_deficient")
        return {
            "upload_request": self,
            "company": self.company_id,
            "vendor": vendor,
            "requirements": self._requirement_lines(),
            "holder": self._holder_block(),
            "missing": [line._coi_deficiency_text() for line in missing if line.deficiency],
            "certificate": certificate,
            "still_missing": certificate._coi_still_missing() if certificate else [],
            "policies": certificate.policy_ids,
            "kinds": self.env["coi.certificate"]._fields["kind"]._description_selection(self.env),
            "rejected": [],
            "rate_limited": False,
            "max_files": intake.MAX_FILES,
            "question_max": questions.MAX_QUESTION_CHARS,
            "question_sent": False,
            "question_error": False,
            "question_text": "",
        }
