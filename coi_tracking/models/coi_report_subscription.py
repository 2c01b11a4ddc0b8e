# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import base64

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.fields import Domain

from ..engine import report_digest
from ..engine.vocabulary import (
    REPORT_FREQUENCY_SELECTION,
    WEEKDAY_SELECTION,
    LineStatus,
    PolicyState,
    ReportFrequency,
    VendorStatus,
)
from ..tools import lock_batch

TEMPLATE = "coi_tracking.mail_template_coi_report_subscription"


class CoiReportSubscription(models.Model):
    """A list of people who get, daily or weekly, one email with an XLSX of
    the company's expiring, expired and non-compliant vendors: the link to
    systems without an API."""

    _name = "coi.report.subscription"
    _description = "Scheduled Insurance Report"
    _inherit = ["mail.thread"]
    _order = "company_id, name, id"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    frequency = fields.Selection(
        REPORT_FREQUENCY_SELECTION,
        required=True,
        default=ReportFrequency.WEEKLY,
        tracking=True,
    )
    weekday = fields.Selection(
        WEEKDAY_SELECTION,
        string="Day of the Week",
        default="0",
        tracking=True,
        help="Weekly reports go out on this day (in the company's timezone).",
    )
    recipient_ids = fields.Many2many(
        "res.partner",
        string="Recipients",
        required=True,
        help="Who receives the report: users, or the mailbox of another system.",
    )
    expiring_days = fields.Integer(
        string="Expiring Within (days)",
        default=30,
        required=True,
        help="Policies ending within this many days are listed as expiring.",
    )
    last_sent_date = fields.Date(readonly=True, copy=False, tracking=True)

    _expiring_days_positive = models.Constraint(
        "CHECK(expiring_days > 0)", "The expiring window must be at least one day."
    )

    @api.constrains("frequency", "weekday")
    def _check_weekday(self):
        for subscription in self:
            if subscription.frequency == ReportFrequency.WEEKLY and not subscription.weekday:
                raise ValidationError(
                    self.env._("Weekly report %s: choose the day it is sent.", subscription.name)
                )

    def action_send_now(self):
        """Send the report at once (it does not count as the period's)."""
        for subscription in self:
            subscription._coi_send(subscription.company_id._coi_today())
        return True

    # ---- the report -------------------------------------------------------

    def _coi_sheets(self, today):
        """The report's sheets on `today`: (title, headers, rows) each, only
        this subscription's company's vendors."""
        self.ensure_one()
        company = self.company_id
        Policy = self.env["coi.policy"].sudo().with_company(company)
        Line = self.env["coi.compliance.line"].sudo()
        until = fields.Date.add(today, days=self.expiring_days)
        expiring = Policy.search(
            [
                ("company_id", "=", company.id),
                ("state", "=", PolicyState.ACTIVE),
                ("replaced_by_id", "=", False),
                ("expiration_date", ">=", today),
                ("expiration_date", "<=", until),
            ],
            order="expiration_date, id",
        )
        vendors = Domain("partner_id.company_id", "=", company.id)
        expired = Line.search(
            vendors & Domain("status", "=", LineStatus.EXPIRED),
            order="expiration_date, id",
        )
        deficient = Line.search(
            vendors
            & Domain("is_deficient", "=", True)
            & Domain("partner_id.coi_status", "=", VendorStatus.NON_COMPLIANT),
        ).sorted(lambda line: (line.partner_id.name or "", line.sequence, line.id))
        status = dict(Line._fields["status"]._description_selection(self.env))
        _ = self.env._
        return [
            (
                _("Expiring"),
                [
                    _("Vendor"),
                    _("Coverage"),
                    _("Policy"),
                    _("Insurer"),
                    _("Effective"),
                    _("Expiration"),
                    _("Days Left"),
                ],
                [
                    [
                        p.partner_id.name,
                        p.coverage_type_id.name,
                        p.name,
                        p.insurer_id.name or "",
                        p.effective_date,
                        p.expiration_date,
                        (p.expiration_date - today).days,
                    ]
                    for p in expiring
                ],
            ),
            (
                _("Expired"),
                [_("Vendor"), _("Coverage"), _("Policy"), _("Expired On"), _("Deficiency")],
                [
                    [
                        line.partner_id.name,
                        line.coverage_type_id.name,
                        line.policy_id.name or "",
                        line.expiration_date or "",
                        line.deficiency or "",
                    ]
                    for line in expired
                ],
            ),
            (
                _("Non-compliant"),
                [
                    _("Vendor"),
                    _("Coverage"),
                    _("Status"),
                    _("Policy"),
                    _("Expiration"),
                    _("Deficiency"),
                ],
                [
                    [
                        line.partner_id.name,
                        line.coverage_type_id.name,
                        status.get(line.status, line.status),
                        line.policy_id.name or "",
                        line.expiration_date or "",
                        line.deficiency or "",
                    ]
                    for line in deficient
                ],
            ),
        ]

    def _coi_send(self, today):
        """One email to the recipients with the report of `today` attached;
        the subscription's chatter keeps it."""
        self.ensure_one()
        sheets = self._coi_sheets(today)
        content = report_digest.workbook(sheets)
        attachment = self.env["ir.attachment"].create(
            {
                "name": f"insurance-report-{today.isoformat()}.xlsx",
                "datas": base64.b64encode(content),
                "res_model": self._name,
                "res_id": self.id,
                "mimetype": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            }
        )
        template = self.env.ref(TEMPLATE).with_context(
            lang=self.recipient_ids[:1].lang or None,
            coi_report_date=today,
            coi_report_counts=[(title, len(rows)) for title, _headers, rows in sheets],
        )
        self.message_post(
            body=template._render_field("body_html", self.ids)[self.id],
            subject=template._render_field("subject", self.ids)[self.id],
            partner_ids=self.recipient_ids.ids,
            attachment_ids=attachment.ids,
            author_id=self.company_id.partner_id.id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            email_layout_xmlid="mail.mail_notification_light",
            # The list's recipients only: not the subscription's followers,
            # and the user who clicks "Send Now" gets it too when listed.
            notify_skip_followers=True,
            notify_author=True,
        )

    # ---- cron -------------------------------------------------------------

    @api.model
    def _cron_send_reports(self):
        """Each due subscription's report, once per period, on its company's
        today; two workers running this at once share the work."""
        in_cron = bool(self.env.context.get("cron_id"))
        subscriptions = self.search([])
        due = subscriptions.filtered(
            lambda s: report_digest.is_due(
                s.last_sent_date or None, s.company_id._coi_today(), s.frequency, s.weekday or 0
            )
        )
        done = 0
        for subscription in due:
            if not lock_batch(subscription):
                continue
            # Another worker may have sent it before this one took the lock.
            subscription.invalidate_recordset(["last_sent_date"])
            today = subscription.company_id._coi_today()
            if not report_digest.is_due(
                subscription.last_sent_date or None,
                today,
                subscription.frequency,
                subscription.weekday or 0,
            ):
                continue
            subscription._coi_send(today)
            subscription.last_sent_date = today
            done += 1
            if in_cron:
                self.env["ir.cron"]._commit_progress(1, remaining=len(due) - done)
