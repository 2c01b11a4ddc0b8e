# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models

from ..engine import requests
from ..engine.vocabulary import (
    REQUEST_BATCH_STATE_SELECTION,
    NoticeKind,
    NoticeState,
    RequestBatchState,
    RequestSkip,
)

# Vendors asked per committed step of the job.
BATCH = 200
# The count field of each reason a vendor got no request.
SKIP_FIELDS = {
    RequestSkip.NOT_TRACKED: "not_tracked_count",
    RequestSkip.EXEMPT: "exempt_count",
    RequestSkip.SATISFIED: "satisfied_count",
    RequestSkip.PENDING_REVIEW: "pending_review_count",
    RequestSkip.ALREADY_REQUESTED: "already_requested_count",
    RequestSkip.NO_EMAIL: "no_email_count",
}


class CoiRequestBatch(models.Model):
    """ "Request Certificates" on a selection of vendors: the background job
    asks each one that needs it (once per request cycle), and counts why
    the others were not asked."""

    _name = "coi.request.batch"
    _description = "Certificate Request Batch"
    _inherit = ["mail.thread"]
    _order = "id desc"

    name = fields.Char(compute="_compute_name", store=True)
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, index=True, default=lambda s: s.env.company
    )
    user_id = fields.Many2one(
        "res.users", string="Started By", readonly=True, default=lambda s: s.env.user
    )
    state = fields.Selection(
        REQUEST_BATCH_STATE_SELECTION,
        default=RequestBatchState.QUEUED,
        required=True,
        readonly=True,
        tracking=True,
    )
    partner_ids = fields.Many2many(
        "res.partner",
        "coi_request_batch_partner_rel",
        "batch_id",
        "partner_id",
        string="Vendors",
        readonly=True,
    )
    done_partner_ids = fields.Many2many(
        "res.partner",
        "coi_request_batch_done_rel",
        "batch_id",
        "partner_id",
        string="Vendors Processed",
        readonly=True,
    )
    vendor_count = fields.Integer(compute="_compute_vendor_count", string="Vendors Selected")
    sent_count = fields.Integer(string="Requests Sent", readonly=True)
    not_tracked_count = fields.Integer(
        string="Not Tracked", readonly=True, help="No requirement set applies."
    )
    exempt_count = fields.Integer(string="Exempt", readonly=True)
    satisfied_count = fields.Integer(string="Already Compliant", readonly=True)
    pending_review_count = fields.Integer(
        string="Pending Review", readonly=True, help="A certificate they sent awaits a reviewer."
    )
    already_requested_count = fields.Integer(
        string="Already Requested",
        readonly=True,
        help="Asked already in the open request cycle; the chase reminds them.",
    )
    no_email_count = fields.Integer(
        string="No Email Address",
        readonly=True,
        help="Neither the insurance contact nor the agent has a usable email address.",
    )
    summary = fields.Text(readonly=True)

    @api.depends("create_date", "partner_ids")
    def _compute_name(self):
        for batch in self:
            batch.name = self.env._(
                "Certificate request of %(date)s (%(count)s vendors)",
                date=(batch.create_date or fields.Datetime.now()).date().isoformat(),
                count=len(batch.partner_ids),
            )

    @api.depends("partner_ids")
    def _compute_vendor_count(self):
        for batch in self:
            batch.vendor_count = len(batch.partner_ids)

    @api.model_create_multi
    def create(self, vals_list):
        batches = super().create(vals_list)
        self.env.ref("coi_tracking.ir_cron_coi_request_batches").sudo()._trigger()
        return batches

    def _summary(self):
        """The report of a finished batch, in plain words."""
        self.ensure_one()
        reasons = [
            (self[fname], self._fields[fname].get_description(self.env)["string"])
            for fname in SKIP_FIELDS.values()
        ]
        lines = [
            self.env._(
                "%(sent)s of %(count)s vendors were asked for certificates.",
                sent=self.sent_count,
                count=self.vendor_count,
            )
        ]
        lines += [f"{label}: {count}" for count, label in reasons if count]
        return "\n".join(lines)

    def _process(self, limit=BATCH):
        """Ask up to `limit` vendors of this batch not processed yet; returns
        how many were processed (0: the batch is finished)."""
        self.ensure_one()
        Notice = self.env["coi.notice"].with_company(self.company_id)
        todo = (self.partner_ids - self.done_partner_ids)[:limit]
        if not todo:
            self._finish()
            return 0
        self.env["res.partner"]._coi_settle()
        # Vendors handed to the refresh job (a large import) are evaluated
        # first: their status decides.
        today = self.company_id._coi_today()
        # (The batch asks them itself, and counts it.)
        todo.commercial_partner_id._coi_tracked().filtered(
            lambda p: not p.coi_status or (p.coi_recheck_date and p.coi_recheck_date <= today)
        ).with_context(coi_no_auto_request=True)._coi_refresh()
        counts = dict.fromkeys(SKIP_FIELDS.values(), 0)
        asked = self.env["res.partner"]
        for vendor in todo.commercial_partner_id:
            reason = requests.skip_reason(
                vendor.coi_status,
                open_cycle=bool(vendor.coi_request_date),
                has_recipient=bool(Notice._recipients(vendor, kind=NoticeKind.REQUEST)),
            )
            if reason:
                counts[SKIP_FIELDS[reason]] += 1
            else:
                asked |= vendor
        notices = Notice._queue_requests(asked)
        sent = notices.filtered(lambda n: n.state == NoticeState.SENT)
        # A vendor of the selection asked by another run meanwhile.
        counts[SKIP_FIELDS[RequestSkip.ALREADY_REQUESTED]] += len(asked) - len(notices)
        counts[SKIP_FIELDS[RequestSkip.NO_EMAIL]] += len(notices) - len(sent)
        vals = {fname: self[fname] + n for fname, n in counts.items()}
        vals["sent_count"] = self.sent_count + len(sent)
        vals["done_partner_ids"] = [fields.Command.link(p.id) for p in todo]
        self.write(vals)
        return len(todo)

    def _finish(self):
        self.ensure_one()
        summary = self._summary()
        self.write({"state": RequestBatchState.DONE, "summary": summary})
        self.message_post(
            body=summary.replace("\n", " — "),
            partner_ids=self.user_id.partner_id.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )

    @api.model
    def _cron_process_batches(self, batch_size=BATCH):
        """Ask the vendors of the queued batches, committed every
        `batch_size` vendors so that a crash loses nothing and a rerun
        sends nothing twice (the processed vendors and the notice log)."""
        in_cron = bool(self.env.context.get("cron_id"))
        while True:
            batch = self.search([("state", "=", RequestBatchState.QUEUED)], order="id", limit=1)
            if not batch:
                break
            done = batch._process(batch_size)
            if in_cron:
                remaining = sum(
                    len(b.partner_ids - b.done_partner_ids)
                    for b in self.search([("state", "=", RequestBatchState.QUEUED)])
                )
                if self.env["ir.cron"]._commit_progress(done or 1, remaining=remaining) <= 0:
                    break  # out of time: the scheduler runs the job again at once
            self.env.invalidate_all()
