# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import logging
import re
from collections import defaultdict

from psycopg2 import OperationalError

from odoo import Command, api, fields, models, tools
from odoo.exceptions import AccessError, ConcurrencyError, UserError, ValidationError
from odoo.tools import SQL

from ..engine import intake
from ..engine.cancellation import notice_kind
from ..engine.extract import Extraction, OverBudget, budget, extract, extract_isolated, sniff
from ..engine.extract.isolated import TOO_LARGE as TOO_LARGE_TO_READ
from ..engine.review import coverage_code, read_limits, review
from ..engine.vocabulary import (
    CERTIFICATE_KIND_SELECTION,
    CERTIFICATE_KINDS,
    CERTIFICATE_SOURCE_SELECTION,
    CERTIFICATE_STATE_SELECTION,
    PENDING_STATES,
    POLICY_NOTICE_SELECTION,
    SATISFIED_STATUSES,
    CertificateKind,
    CertificateSource,
    CertificateState,
    NoticeKind,
    PolicyNotice,
    PolicyState,
)
from ..tools import IntakeRace

_logger = logging.getLogger(__name__)

READ_BATCH = 20
# Times the job reads a certificate again after another transaction's write
# got in its way, before it gives up (the job then fails as a whole).
MAX_READ_COLLISIONS = 3


class CoiCertificate(models.Model):
    _name = "coi.certificate"
    _description = "Certificate of Insurance"
    _inherit = ["mail.thread", "mail.activity.mixin", "coi.compliance.mixin"]
    _order = "state_priority, received_date desc, id desc"
    # The vendor is the certificate's company's, or shared.
    _check_company_auto = True
    # A certificate waiting for review makes its vendor "pending review".
    _coi_compliance_fields = {"state", "partner_id", "active"}

    name = fields.Char(
        string="Reference", required=True, copy=False, readonly=True, default="New", index=True
    )
    active = fields.Boolean(default=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="Vendor",
        index=True,
        tracking=True,
        check_company=True,
        domain=[("is_company", "=", True)],
        help="Found from the sender or from the insured named on the certificate when "
        "it arrives by email; a reviewer sets it when neither tells.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    attachment_ids = fields.Many2many(
        "ir.attachment",
        "coi_certificate_attachment_rel",
        "certificate_id",
        "attachment_id",
        string="Files",
        help="Every file received is kept, whatever happens to the certificate.",
    )
    attachment_count = fields.Integer(string="Files Count", compute="_compute_attachment_count")
    kind = fields.Selection(
        CERTIFICATE_KIND_SELECTION,
        required=True,
        default=CertificateKind.CERTIFICATE,
        tracking=True,
    )
    source = fields.Selection(
        CERTIFICATE_SOURCE_SELECTION,
        required=True,
        default=CertificateSource.BACKEND,
        readonly=True,
    )
    submitted_by_id = fields.Many2one(
        "res.partner", string="Submitted By", help="Contractor, agent or employee who sent it."
    )
    received_date = fields.Datetime(required=True, default=fields.Datetime.now, readonly=True)
    state = fields.Selection(
        CERTIFICATE_STATE_SELECTION,
        required=True,
        default=CertificateState.RECEIVED,
        tracking=True,
        index=True,
        copy=False,
    )
    state_priority = fields.Integer(compute="_compute_state_priority", store=True)
    reviewer_id = fields.Many2one("res.users", string="Reviewer", tracking=True, copy=False)
    review_date = fields.Datetime(readonly=True, copy=False)
    rejection_reason = fields.Text(tracking=True, copy=False)
    policy_ids = fields.One2many("coi.policy", "certificate_id", string="Policies")
    policy_limit_ids = fields.One2many(
        "coi.policy.limit", "certificate_id", string="Limits", help="The limits of its policies."
    )
    reading_state = fields.Selection(
        [
            ("pending", "To Read"),
            ("done", "Read"),
            ("failed", "Unreadable"),
            ("none", "Nothing to Read"),
        ],
        string="Reading",
        default="none",
        readonly=True,
        copy=False,
        index=True,
    )
    reading_method = fields.Char(readonly=True, copy=False)
    reading_confidence = fields.Float(readonly=True, copy=False, digits=(3, 2))
    reading_result = fields.Json(readonly=True, copy=False)
    review_reason = fields.Text(
        readonly=True, copy=False, help="Why a person must look at this certificate."
    )
    document_id = fields.Many2one(
        "ir.attachment", string="Document Read", readonly=True, copy=False
    )
    # Read with the user's rights: the file must be one they may read.
    document_pdf = fields.Binary(related="document_id.datas", string="Document", compute_sudo=False)
    document_is_pdf = fields.Boolean(compute="_compute_document_is_pdf")
    policy_count = fields.Integer(compute="_compute_policy_count")
    endorsement_ids = fields.One2many(
        "coi.certificate.endorsement", "certificate_id", string="Endorsements Read"
    )
    declaration_ids = fields.One2many(
        "coi.certificate.declaration", "certificate_id", string="Declarations Read"
    )
    value_ids = fields.One2many(
        "coi.certificate.value",
        "certificate_id",
        string="Values Read",
        readonly=True,
        groups="coi_tracking.coi_tracking_group_user",
        help="Each value read off the file with its confidence, those to check first.",
    )
    note = fields.Text()
    # What an insurer's notice (kind cancellation) was read to say.
    notice_kind = fields.Selection(
        POLICY_NOTICE_SELECTION,
        string="The Notice Says",
        readonly=True,
        copy=False,
        help="Read from the notice: the policy is cancelled, reinstated or not renewed.",
    )
    notice_date = fields.Date(
        string="Takes Effect On",
        readonly=True,
        copy=False,
        help="The date the notice takes effect, as read (not the date of the letter).",
    )
    notice_policy_ids = fields.Many2many(
        "coi.policy",
        "coi_certificate_notice_policy_rel",
        "certificate_id",
        "policy_id",
        string="Policies Named",
        readonly=True,
        copy=False,
        check_company=True,
        help="The policies on file whose number the notice names.",
    )

    @api.depends("attachment_ids")
    def _compute_attachment_count(self):
        for certificate in self:
            certificate.attachment_count = len(certificate.attachment_ids)

    @api.depends("document_id.mimetype")
    def _compute_document_is_pdf(self):
        for certificate in self:
            certificate.document_is_pdf = certificate.document_id.mimetype == "application/pdf"

    @api.depends("state")
    def _compute_state_priority(self):
        order = {
            CertificateState.RECEIVED: 0,
            CertificateState.IN_REVIEW: 1,
            CertificateState.REJECTED: 2,
            CertificateState.REVISION_REQUESTED: 2,
            CertificateState.ACCEPTED: 3,
        }
        for certificate in self:
            certificate.state_priority = order.get(certificate.state, 9)

    @api.depends("policy_ids")
    def _compute_policy_count(self):
        for certificate in self:
            certificate.policy_count = len(certificate.policy_ids)

    @api.constrains("document_id", "attachment_ids")
    def _check_document_id(self):
        for certificate in self.sudo():
            document = certificate.document_id
            if document and document not in certificate.attachment_ids:
                raise ValidationError(
                    self.env._("The document read must be one of the certificate's files.")
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_given_files(vals)
            if vals.get("name", "New") == "New":
                vals["name"] = self.env["ir.sequence"].next_by_code("coi.certificate") or "New"
        certificates = super().create(vals_list)
        certificates._attach_files()
        certificates._queue_reading()
        return certificates

    def write(self, vals):
        self._check_given_files(vals)
        res = super().write(vals)
        if "attachment_ids" in vals:
            self._attach_files()
            self.filtered(lambda c: c.state in PENDING_STATES)._queue_reading()
        return res

    def _coi_affected_vendors(self, fnames=None):
        return self.partner_id

    def _check_given_files(self, vals):
        """Files come in through the door (the form's upload, the mail
        gateway, `_coi_submit`) and the reading picks the document read. A
        user never sets the document read, and links only files they may read
        that are loose or already these certificates' own: `_attach_files`
        moves linked files onto the certificate."""
        if self.env.su:
            return
        if "document_id" in vals:
            raise AccessError(
                self.env._("The document read is set by the reading of the certificate's files.")
            )
        given = set()
        for command in vals.get("attachment_ids") or ():
            if isinstance(command, int):
                given.add(command)
            elif command[0] == Command.LINK:
                given.add(command[1])
            elif command[0] == Command.SET:
                given.update(command[2])
        attachments = self.env["ir.attachment"].browse(given) - self.attachment_ids
        if not attachments:
            return
        attachments.check_access("read")
        if attachments.sudo().filtered(
            lambda a: a.res_id and (a.res_model != self._name or a.res_id not in self.ids)
        ):
            raise AccessError(self.env._("A file of another record cannot be linked here."))

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """A certificate from each email sent to the alias (e.g. coi@company):
        the vendor is the sender's company, or the insured named on the
        certificate when an agent sends it."""
        sender = self.env["res.partner"].sudo()
        email = tools.email_normalize(msg_dict.get("email_from") or "")
        if email:
            sender = sender.search([("email_normalized", "=", email)], limit=1)
        vendor = sender.commercial_partner_id
        if vendor.coi_is_agent or vendor.coi_is_insurer:
            vendor = vendor.browse()
        # The certificate is the alias's company's, else the vendor's; another
        # company's vendor is left for a reviewer to set.
        company_id = (custom_values or {}).get("company_id")
        if company_id and vendor.company_id and vendor.company_id.id != company_id:
            vendor = vendor.browse()
        subject = msg_dict.get("subject") or ""
        values = {
            "name": "New",
            "company_id": company_id or vendor.company_id.id or self.env.company.id,
            "source": CertificateSource.EMAIL,
            "partner_id": vendor.id,
            "submitted_by_id": sender.id,
            "kind": CertificateKind.CANCELLATION
            if re.search(r"cancel", subject, re.I) or notice_kind(subject)
            else CertificateKind.CERTIFICATE,
            "note": subject,
            **(custom_values or {}),
        }
        return super().message_new(msg_dict, custom_values=values)

    def _message_post_after_hook(self, message, msg_vals):
        """Files of an incoming email become the certificate's files. An
        insurer's notice sent as the email's text (no PDF attached) keeps
        that text as a file of its own, read like an attachment."""
        result = super()._message_post_after_hook(message, msg_vals)
        if self.source == CertificateSource.EMAIL and message.message_type == "email":
            # The email that made the certificate (a reply adds its files only).
            first = not self.attachment_ids and self.state == CertificateState.RECEIVED
            if message.attachment_ids:
                self.write({"attachment_ids": [(4, a.id) for a in message.attachment_ids]})
            body = tools.html2plaintext(message.body or "").strip()
            if first and body and self._coi_body_is_notice(message, body):
                self.write({"kind": CertificateKind.CANCELLATION})
                subject = re.sub(r"[/\\]", "-", message.subject or self.name)
                name = intake.clean_filename(f"{subject}.txt")
                self._coi_add_files([(name, body.encode(), "text/plain")])
            elif not self.attachment_ids:
                self.write({"reading_state": "none"})
                self._ask_review([self.env._("The email had no attachment.")])
        return result

    def _coi_body_is_notice(self, message, body):
        """An email whose text is the notice: it says it is one (or its
        subject does) and no PDF came with it."""
        if any(sniff(a.raw[:1024] if a.raw else b"") == "pdf" for a in message.attachment_ids):
            return False
        return self.kind == CertificateKind.CANCELLATION or bool(notice_kind(body))

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(
            self.env._(
                "Certificates are kept as evidence and cannot be deleted; archive them instead."
            )
        )

    @api.model
    def _coi_submit(
        self,
        vendor,
        files,
        source,
        kind=CertificateKind.CERTIFICATE,
        submitted_by=None,
        company=None,
        **vals,
    ):
        """The one door in: every certificate sent as files (upload link,
        portal, email, API) comes through here. `files`: (name, bytes)
        pairs. Checks count, size and type by content, cleans the names,
        keeps the accepted files on a new certificate and starts reading it.
        Returns (certificate or an empty recordset, refused files as
        (name, reason in words))."""
        accepted, refused = intake.triage(files)
        refused = [(name, self._coi_refusal_text(reason)) for name, reason in refused]
        if not accepted:
            return self.browse(), refused
        certificate = self.create(
            {
                "partner_id": vendor.commercial_partner_id.id,
                "company_id": (
                    company or vendor.commercial_partner_id.company_id or self.env.company
                ).id,
                "kind": kind if kind in CERTIFICATE_KINDS else CertificateKind.CERTIFICATE,
                "source": source,
                "submitted_by_id": submitted_by.id if submitted_by else False,
                **vals,
            }
        )
        certificate._coi_add_files(accepted)
        return certificate, refused

    def _coi_add_files(self, accepted):
        """Keep checked files ((clean name, bytes, mimetype)) on this
        certificate and queue it for reading."""
        self.ensure_one()
        attachments = self.env["ir.attachment"].create(
            [
                {
                    "name": name,
                    "raw": data,
                    "mimetype": mimetype,
                    "res_model": self._name,
                    "res_id": self.id,
                }
                for name, data, mimetype in accepted
            ]
        )
        self.write({"attachment_ids": [Command.link(a.id) for a in attachments]})

    def _coi_refusal_text(self, reason):
        return {
            intake.EMPTY: self.env._("The file is empty."),
            intake.TOO_LARGE: self.env._("The file is larger than 20 MB; send a smaller copy."),
            intake.WRONG_TYPE: self.env._("Only PDF, PNG, JPEG and TIFF files are accepted."),
            intake.DAMAGED: self.env._(
                "The PDF could not be opened: it is damaged, incomplete or has no page."
            ),
            intake.TOO_MANY: self.env._("At most %s files can be sent at once.", intake.MAX_FILES),
        }[reason]

    def _attach_files(self):
        """Files uploaded in the form or received by email belong to the
        certificate: they stay with it, are visible to whoever may see it,
        and get a clean name and their type by content."""
        for certificate in self:
            loose = certificate.attachment_ids.filtered(
                lambda a, c=certificate: a.res_model != c._name or a.res_id != c.id
            )
            for attachment in loose.sudo():
                mimetype, _reason = intake.check_file(attachment.raw)
                attachment.write(
                    {
                        "res_model": self._name,
                        "res_id": certificate.id,
                        "name": intake.clean_filename(attachment.name),
                        "mimetype": mimetype or attachment.mimetype,
                    }
                )

    def _queue_reading(self):
        """Files to read go to the reading job, started at once: the upload
        returns without waiting for the reader. A caller that reads at once
        what it can (`_coi_read_now`, context `coi_read_now`) starts the job
        itself, only for what it left."""
        to_read = self.filtered(lambda c: c.attachment_ids and c.reading_state != "pending")
        if to_read:
            to_read.write({"reading_state": "pending"})
            if not self.env.context.get("coi_read_now"):
                to_read._coi_start_reading_job()

    def _coi_start_reading_job(self):
        self.env.ref("coi_tracking.ir_cron_coi_read_certificates").sudo()._trigger()

    def _coi_read_now(self):
        """Read at once, while someone waits on a page, what fits the quick
        budget; the rest goes to the reading job, started now. Whatever
        happens while reading, the certificate and its files are kept: a
        reading that fails here is left to the job (which reads in its own
        process and flags for a person what it cannot read)."""
        certificates = self.with_context(coi_read_now=False)
        # What was done before is written, not settled: the vendor is
        # evaluated once, after the reading (a flushing savepoint would
        # evaluate it before too).
        self.env.flush_all()
        for certificate in certificates:
            try:
                with self.env.cr.savepoint(flush=False):
                    certificate._read_documents(quick=True)
                    self.env.flush_all()
            except IntakeRace as race:
                # Not a retry of the whole request (Odoo sleeps up to seconds
                # first, holding its worker): the job reads it in a moment.
                _logger.info("Certificate %s left to the reading job: %s", certificate.id, race)
                self.env.clear()
            except (OperationalError, ConcurrencyError):
                raise  # the request is tried again, as Odoo does
            except Exception:
                _logger.exception("Reading certificate %s at once failed", certificate.id)
                self.env.clear()  # what the failed reading left in the cache
        if certificates.filtered(lambda c: c.reading_state == "pending"):
            certificates._coi_start_reading_job()

    def _read_documents(self, quick=False):
        """Read each certificate's file, propose draft policies, then accept
        at once when everything the requirements need was read with
        confidence and the insured is the vendor; otherwise ask a person.

        `quick` (while someone waits on a page): only a file that fits the
        small budget of `engine.extract.budget` (a short PDF whose streams
        decode to little), without OCR and within a few seconds; any other
        file stays queued for the reading job. The job reads in a child
        process whose memory and time are capped: a file too large to read
        is kept and flagged for a person."""
        for certificate in self:
            document = certificate._document_to_read()
            if not document:
                certificate.write({"reading_state": "none"})
                continue
            if certificate._coi_is_text(document):
                # An email's text kept as a file: its words are the reading.
                result = Extraction(text=certificate._coi_text_of(document), method="email")
            elif quick:
                result = certificate._coi_quick_read(document.raw or b"")
                if result is None:
                    continue  # left "pending" for the reading job
            else:
                result = certificate._coi_job_read(document.raw or b"")
            # A file too large to read is not shown inline to the reviewer
            # either (the browser would inflate it); it stays among the files.
            shown = document if result.error != TOO_LARGE_TO_READ else document.browse()
            # What was read, value by value, for the reviewer (a file read
            # again replaces the values of the earlier reading).
            self.env["coi.certificate.value"]._coi_store(certificate, result)
            if not certificate.partner_id:
                certificate.partner_id = (
                    self.env["res.partner"]
                    .with_company(certificate.company_id)
                    ._coi_match_vendor((result.insured or {}).get("name"))
                )
            notice_text = certificate._coi_notice_text(result, document)
            if certificate._coi_reads_as_notice(result, notice_text):
                certificate.write(
                    {
                        "kind": CertificateKind.CANCELLATION,
                        "document_id": shown.id,
                        "reading_state": "done",
                        "reading_method": result.method or False,
                    }
                )
                self.env["coi.policy"]._coi_cancel_from_notice(certificate, notice_text)
                continue
            if not certificate.partner_id:
                certificate.write(
                    {
                        "document_id": shown.id,
                        "reading_state": "failed" if result.error else "done",
                    }
                )
                reasons = [result.error] if result.error else []
                reasons.append(
                    self.env._("The vendor could not be found from the sender or the insured.")
                )
                certificate._ask_review(reasons)
                continue
            # Endorsements or declarations sent without a certificate.
            supporting = not result.is_certificate and bool(
                result.endorsements or result.declarations
            )
            if supporting:
                policies, reasons = self.env["coi.policy"], []
            else:
                policies, reasons = certificate._coi_propose(result)
            reasons = reasons + certificate._coi_store_supporting(result)
            certificate.write(
                {
                    "document_id": shown.id,
                    "reading_state": "failed" if result.error else "done",
                    "reading_method": result.method or False,
                    "reading_confidence": result.min_confidence(),
                    "reading_result": result.to_dict(),
                    "review_reason": "\n".join(reasons) or False,
                    **certificate._coi_supporting_kind(result, supporting),
                }
            )
            if reasons or not (policies or supporting):
                certificate._ask_review(reasons)
            elif supporting:
                certificate.action_accept()
                # A note in the certificate's chatter, logged: a note notifies
                # no follower, so none is looked for.
                certificate._message_log(
                    body=self.env._(
                        "Accepted automatically: every endorsement and declarations page was "
                        "read with confidence and matched to the vendor's policies."
                    )
                )
            else:
                certificate.action_accept()
                certificate._message_log(
                    body=self.env._(
                        "Accepted automatically: every field the requirements need was read "
                        "with confidence (%(count)s policies).",
                        count=len(policies),
                    )
                )

    @api.model
    def _coi_is_text(self, attachment):
        return bool(attachment) and attachment.mimetype == "text/plain"

    @api.model
    def _coi_text_of(self, attachment):
        return (attachment.raw or b"").decode("utf-8", "replace")

    def _coi_notice_text(self, result, document):
        """The words of a notice: those read off the document, and the
        email's text kept beside it (a scan sent with the notice in its body)."""
        self.ensure_one()
        texts = [result.text or ""]
        for attachment in self.attachment_ids.sorted("id"):
            if attachment != document and self._coi_is_text(attachment):
                texts.append(self._coi_text_of(attachment))
        return "\n".join(text for text in texts if text)

    def _coi_reads_as_notice(self, result, text):
        """Sent as a cancellation notice, or no certificate and its words are
        an insurer's notice (cancellation, reinstatement, non-renewal)."""
        self.ensure_one()
        if self.kind == CertificateKind.CANCELLATION:
            return True
        if self.kind != CertificateKind.CERTIFICATE or result.is_certificate:
            return False
        kinds = {page.kind for page in result.pages}
        if kinds & {"endorsement", "policy_page"}:
            return False
        return "cancellation" in kinds or bool(notice_kind(text))

    def _coi_store_notice(self, notice, kind, policies):
        """Keep what the notice was read to say, for the reviewer."""
        self.ensure_one()
        self.write(
            {
                "notice_kind": kind,
                "notice_date": notice.effective_date or False,
                "notice_policy_ids": [Command.set(policies.ids)],
                "reading_result": {"notice": notice.to_dict()},
            }
        )

    def _coi_ask_decision(self, kind, reasons):
        """A person decides on a notice: say why, and ask with an activity."""
        self.ensure_one()
        self._ask_review(reasons)
        summaries = self._coi_decision_summaries()
        summary = summaries.get(kind, summaries[PolicyNotice.CANCELLATION])
        self.activity_schedule(
            "mail.mail_activity_data_todo", summary=summary, note="\n".join(reasons)
        )

    def _coi_decision_summaries(self):
        return {
            PolicyNotice.CANCELLATION: self.env._("Confirm the cancellation"),
            PolicyNotice.REINSTATEMENT: self.env._("Confirm the reinstatement"),
            PolicyNotice.NON_RENEWAL: self.env._("Confirm the non-renewal"),
        }

    def _coi_notice_done(self, kind, policies, when, reviewer=None):
        """The notice was applied to `policies`: the certificate is accepted
        (by `reviewer` when a person decided), its chatter says what was done,
        and the contractor is told of a cancellation."""
        self.ensure_one()
        if not self.partner_id and len(policies.partner_id) == 1:
            self.partner_id = policies.partner_id
        self.write(
            {
                "state": CertificateState.ACCEPTED,
                "review_date": fields.Datetime.now(),
                "reviewer_id": reviewer.id if reviewer else self.reviewer_id.id,
                "notice_kind": kind,
                "notice_date": when or False,
            }
        )
        summaries = set(self._coi_decision_summaries().values())
        self.activity_ids.filtered(lambda a: a.summary in summaries).action_feedback(
            feedback=self.env._("Applied to %s.", ", ".join(policies.mapped("name")))
        )
        for policy in policies:
            self.message_post(body=policy._coi_notice_sentence(kind, when))
        if kind == PolicyNotice.CANCELLATION:
            self.env["coi.notice"].sudo()._queue(
                [
                    {
                        "kind": NoticeKind.CANCELLED,
                        "vendor": policy.partner_id,
                        "policy": policy,
                        "certificate": self,
                    }
                    for policy in policies
                ]
            )
        if reviewer:
            self._coi_reviewed()

    def action_open_cancellation(self):
        """The review screen of a notice: the policies it names, each to cancel
        (or reinstate) from the date read, which the reviewer may change."""
        self.ensure_one()
        if self.state not in PENDING_STATES:
            raise UserError(self.env._("This notice was already handled."))
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Apply the Notice"),
            "res_model": "coi.certificate.cancellation",
            "view_mode": "form",
            "target": "new",
            "context": {"default_certificate_id": self.id},
        }

    def _coi_store_supporting(self, extraction):
        """The endorsements and declarations pages read off the file, stored
        and matched to the vendor's policies; returns the reasons a person
        must look."""
        self.ensure_one()
        reasons = self.env["coi.certificate.endorsement"]._coi_store(self, extraction.endorsements)
        reasons += self.env["coi.certificate.declaration"]._coi_store(self, extraction.declarations)
        return reasons

    def _coi_supporting_kind(self, extraction, supporting):
        """A file of endorsements or declarations only is of that kind."""
        if not supporting or self.kind != CertificateKind.CERTIFICATE:
            return {}
        if extraction.endorsements:
            return {"kind": CertificateKind.ENDORSEMENT}
        return {"kind": CertificateKind.POLICY_PAGES}

    def _coi_job_read(self, data):
        """The reading job's reading of a file: in this process when it fits
        the budget an upload is read within (a child Python costs more than
        the reading of such a file), else in a child process whose memory
        and time are capped."""
        result = self._coi_quick_read(data)
        return result if result is not None else extract_isolated(data)

    def _coi_quick_read(self, data):
        """The reading of a file that fits the request's budget, or None when
        it does not (or needs OCR): the reading job reads it then."""
        if not budget.fits_quick_read(data):
            return None
        try:
            result = extract(
                data,
                use_ocr=False,
                seconds=budget.QUICK_SECONDS,
                cpu_seconds=budget.QUICK_CPU_SECONDS,
            )
        except (OverBudget, MemoryError):
            return None
        if any(page.kind == "needs_ocr" for page in result.pages):
            return None
        return result

    def _coi_propose(self, extraction):
        """Draft policies from what was read (insurer and agent matched or
        created), and the reasons a person must look, by the engine's review
        rules. Returns (policies, reasons); nothing is activated here."""
        self.ensure_one()
        types = {t.code: t for t in self.env["coi.coverage.type"].search([("code", "!=", False)])}
        limit_types = {t.code: t for t in self.env["coi.limit.type"].search([])}
        # The limits the vendor's requirement sets ask for, per coverage.
        required = defaultdict(dict)
        vendor = self.partner_id.commercial_partner_id
        Sets = self.env["coi.requirement.set"]
        sets = Sets._coi_sets_by_vendor(vendor).get(vendor.id) or Sets.sudo()
        for line in sets.line_ids:
            for limit in line.limit_ids:
                required[line.coverage_type_id.code][limit.limit_type_id.code] = (
                    limit.limit_type_id.name
                )
        decision = review(
            extraction,
            self.partner_id.name,
            {code: coverage_type.name for code, coverage_type in types.items()},
            required,
            set(limit_types),
            holder=sets._coi_holder(self.company_id),
            additional_insured=any(sets.line_ids.mapped("additional_insured")),
        )
        if extraction.error or not extraction.is_certificate:
            return self.env["coi.policy"], decision.reasons
        Partner = self.env["res.partner"]
        agent = Partner._coi_agent_for(extraction.producer or {})
        vals_list, insurers = [], {}
        for coverage in decision.coverages:
            insurer_data = extraction.insurers.get(coverage.insurer_letter or "", {})
            named = (insurer_data.get("name"), insurer_data.get("naic"))
            if named not in insurers:  # one insurer often writes several coverages
                insurers[named] = Partner._coi_insurer_for(*named)
            insurer = insurers[named]
            vals_list.append(
                {
                    "name": coverage.policy_number,
                    "partner_id": self.partner_id.id,
                    "company_id": self.company_id.id,
                    "coverage_type_id": types[coverage_code(coverage, types)].id,
                    "insurer_id": insurer.id,
                    "agent_id": agent.id,
                    "effective_date": coverage.effective_date,
                    "expiration_date": coverage.expiration_date,
                    "additional_insured": bool(coverage.additional_insured),
                    "waiver_of_subrogation": bool(coverage.subrogation_waived),
                    "per_statute": bool(coverage.per_statute),
                    "certificate_id": self.id,
                    "extraction_confidence": min(coverage.confidence.values(), default=0.0),
                    "limit_ids": [
                        Command.create({"limit_type_id": limit_types[code].id, "amount": amount})
                        for code, amount in read_limits(coverage, limit_types).items()
                    ],
                }
            )
        # No "Policy created" in each policy's chatter: the certificate's
        # says what it proposed, and the policy names its certificate.
        policies = (
            self.env["coi.policy"].with_context(mail_create_nolog=True).create(vals_list)
        ).with_env(self.env)
        return policies, decision.reasons

    def _document_to_read(self):
        self.ensure_one()
        for attachment in self.attachment_ids.sorted("id"):
            if sniff(attachment.raw[:1024] if attachment.raw else b""):
                return attachment
        return self.attachment_ids[:1]

    def _ask_review(self, reasons):
        """A person must look: say why, on the certificate and in its chatter."""
        self.filtered(lambda c: c.state == CertificateState.RECEIVED).write(
            {"state": CertificateState.IN_REVIEW}
        )
        if reasons:
            self.write({"review_reason": "\n".join(reasons)})
        for certificate in self:
            certificate.message_post(
                body=self.env._("Needs a review: %(reasons)s", reasons="; ".join(reasons) or "-")
            )
        self.env["coi.notice"]._queue_under_review(self)

    @api.model
    def _cron_read_certificates(self, batch_size=READ_BATCH):
        """Read the certificates waiting for it. In the job each one is
        locked, read and committed on its own: its vendor hears the decision
        as soon as it is read, not at the end of a batch (a scan takes
        seconds), and a second worker takes the next one meanwhile."""
        domain = [("reading_state", "=", "pending")]
        in_cron = bool(self.env.context.get("cron_id"))
        if in_cron:
            batch_size = 1
        collided = defaultdict(int)
        while True:
            certificates = self._coi_lock_pending(batch_size)
            if not certificates:
                return  # none left, or other workers are reading them
            for certificate in certificates:
                try:
                    with self.env.cr.savepoint():
                        certificate._read_documents()
                except (OperationalError, ConcurrencyError) as error:
                    # Another transaction wrote what this reading needs (an
                    # agency both certificates name): left pending, read
                    # again after this transaction's commit, which sees it.
                    collided[certificate.id] += 1
                    if collided[certificate.id] > MAX_READ_COLLISIONS:
                        raise
                    _logger.info("Reading certificate %s again later: %s", certificate.id, error)
                    certificate._coi_start_reading_job()
                except Exception:
                    _logger.exception("Reading certificate %s failed", certificate.id)
                    certificate.write({"reading_state": "failed"})
                    certificate._ask_review([self.env._("The reader failed on this file.")])
            if not in_cron:
                return
            self.env["ir.cron"]._commit_progress(
                len(certificates), remaining=self.search_count(domain)
            )

    @api.model
    def _coi_lock_pending(self, limit):
        """The first `limit` certificates waiting to be read that no other
        transaction is reading, locked for this one."""
        self.flush_model(["reading_state", "active"])
        self.env.cr.execute(
            SQL(
                "SELECT id FROM coi_certificate WHERE reading_state = 'pending' AND active"
                " ORDER BY id LIMIT %s FOR NO KEY UPDATE SKIP LOCKED",
                limit,
            )
        )
        return self.browse(row[0] for row in self.env.cr.fetchall())

    def action_start_review(self):
        self.filtered(lambda c: c.state == CertificateState.RECEIVED).write(
            {"state": CertificateState.IN_REVIEW, "reviewer_id": self.env.uid}
        )
        return True

    def action_accept(self):
        """Accept: the draft policies read from this certificate come into
        force. An insurer's notice accepted so is filed without changing any
        policy (its wizard applies it) and tells the contractor nothing."""
        for certificate in self:
            if certificate.state not in PENDING_STATES:
                raise UserError(
                    self.env._("Only received or in-review certificates can be accepted.")
                )
        self.write(
            {
                "state": CertificateState.ACCEPTED,
                "reviewer_id": self.env.uid,
                "review_date": fields.Datetime.now(),
            }
        )
        notices = self.filtered(lambda c: c.kind == CertificateKind.CANCELLATION)
        certificates = self - notices
        certificates.policy_ids.filtered(lambda p: p.state == PolicyState.DRAFT).action_activate()
        if certificates:
            certificates._notify_review_result()
        for notice in notices:
            notice.message_post(body=self.env._("Filed without changing any policy."))
        if notices:
            notices._coi_reviewed()
        return True

    def _notify_review_result(self):
        """Tell the agent and the contractor: received and compliant, or
        received but not yet compliant and what is missing (the chatter of
        the certificate says so too), or rejected and why."""
        self.env["res.partner"]._coi_settle()
        candidates = []
        for certificate in self:
            vendor = certificate.partner_id.commercial_partner_id
            if certificate.state == CertificateState.REJECTED:
                kind = NoticeKind.REJECTED
            elif vendor.coi_status in SATISFIED_STATUSES:
                kind = NoticeKind.ACCEPTED
            else:
                kind = NoticeKind.REVISION
                if certificate._coi_still_missing():
                    certificate.message_post(body=certificate._coi_status_message())
            candidates.append({"kind": kind, "vendor": vendor, "certificate": certificate})
        self.env["coi.notice"].sudo()._queue(candidates)
        self._coi_reviewed()

    def _coi_still_missing(self):
        """What the vendor still lacks although this certificate was accepted
        (the sentences the contractor reads), while it is the vendor's latest
        accepted certificate; empty when the vendor complies."""
        self.ensure_one()
        certificate = self.sudo()
        vendor = certificate.partner_id.commercial_partner_id
        if (
            certificate.state != CertificateState.ACCEPTED
            or not vendor
            or vendor.coi_status in SATISFIED_STATUSES
        ):
            return []
        latest = self.sudo().search(
            [
                ("partner_id", "child_of", vendor.id),
                ("state", "=", CertificateState.ACCEPTED),
            ],
            order="review_date desc, id desc",
            limit=1,
        )
        if latest != certificate:
            return []
        missing = [
            line._coi_deficiency_text()
            for line in vendor.coi_compliance_line_ids
            if line.is_deficient and line.deficiency
        ]
        status = dict(vendor._fields["coi_status"]._description_selection(self.env))
        return missing or [status.get(vendor.coi_status, "")]

    def _coi_status_message(self):
        """The state of this certificate in the words the contractor reads:
        an accepted certificate whose vendor is still short of something is
        "Received, not yet compliant: <what is missing>", not "Accepted"."""
        self.ensure_one()
        missing = self._coi_still_missing()
        if missing:
            return self.env._("Received, not yet compliant: %s", " ".join(missing))
        return dict(self._fields["state"]._description_selection(self.env))[self.state]

    def _coi_reviewed(self):
        """Hook: these certificates were just accepted or rejected (the API
        module sends webhooks from here)."""

    def action_reject(self, reason=None):
        """Reject with a reason the contractor will read; files are kept."""
        reason = reason or self.env.context.get("coi_rejection_reason")
        if not reason:
            return {
                "type": "ir.actions.act_window",
                "res_model": "coi.certificate.reject",
                "view_mode": "form",
                "target": "new",
                "context": {"default_certificate_ids": self.ids},
            }
        self.write(
            {
                "state": CertificateState.REJECTED,
                "rejection_reason": reason,
                "reviewer_id": self.env.uid,
                "review_date": fields.Datetime.now(),
            }
        )
        self._notify_review_result()
        return True

    def action_request_revision(self):
        """Send the certificate back: the reviewer's note goes to the
        contractor and the agent with the upload link (a wizard asks for it)."""
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Request a Revision"),
            "res_model": "coi.certificate.revision",
            "view_mode": "form",
            "target": "new",
            "context": {"default_certificate_ids": self.ids},
        }

    def _coi_request_revision(self, note):
        """The certificate waits for a corrected one from the contractor: the
        note (what must change) is sent to the contractor and the agent."""
        note = (note or "").strip()
        if not note:
            raise UserError(
                self.env._("Say what must change: the contractor and the agent read this note.")
            )
        for certificate in self:
            if certificate.state not in PENDING_STATES:
                raise UserError(
                    self.env._(
                        "Certificate %s is not waiting for a review: a revision can be asked "
                        "only of a received or in-review certificate.",
                        certificate.name,
                    )
                )
            if not certificate.partner_id:
                raise UserError(
                    self.env._("Set the vendor of certificate %s first.", certificate.name)
                )
        self.write(
            {
                "state": CertificateState.REVISION_REQUESTED,
                "reviewer_id": self.env.uid,
                "review_date": fields.Datetime.now(),
            }
        )
        for certificate in self:
            certificate.message_post(body=self.env._("Revision requested: %s", note))
            self.env["coi.notice"]._queue_revision_request(certificate, note)
        return True

    def action_reset_received(self):
        self.write({"state": CertificateState.RECEIVED, "review_date": False})
        return True

    def action_view_policies(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Policies"),
            "res_model": "coi.policy",
            "view_mode": "list,form",
            "domain": [("certificate_id", "=", self.id)],
            "context": {
                "default_certificate_id": self.id,
                "default_partner_id": self.partner_id.id,
            },
        }
