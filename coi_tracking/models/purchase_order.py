# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, format_date

from ..engine import requests
from ..engine.vocabulary import (
    BLOCKING_STATUSES,
    VENDOR_STATUS_SELECTION,
    NoticeKind,
    NoticeState,
)


class PurchaseOrder(models.Model):
    _inherit = "purchase.order"

    coi_status = fields.Selection(
        VENDOR_STATUS_SELECTION,
        string="Vendor Insurance",
        compute="_compute_coi_status",
    )
    coi_enforcement = fields.Selection(related="company_id.coi_purchase_enforcement")
    coi_deficiencies = fields.Text(string="Insurance Deficiencies", compute="_compute_coi_status")
    coi_override_reason = fields.Char(
        string="Insurance Override",
        tracking=True,
        copy=False,
        help="Why this order may be confirmed although the vendor's insurance does not comply. "
        "Only Insurance Compliance managers can set it; it applies to this order only.",
    )

    @api.depends("partner_id.commercial_partner_id.coi_status")
    def _compute_coi_status(self):
        for order in self:
            vendor = order.partner_id.commercial_partner_id
            order.coi_status = vendor.coi_status
            order.coi_deficiencies = vendor._coi_deficiency_text()

    @api.model_create_multi
    def create(self, vals_list):
        orders = super().create(vals_list)
        orders._coi_request_certificates()
        return orders

    def _coi_request_certificates(self):
        """An RFQ or order for a vendor that is not compliant: the vendor is
        asked for certificates at once (once per request cycle, not once per
        order), and the order's chatter tells the buyer."""
        orders = self.filtered(lambda o: o.company_id.coi_auto_request and o.partner_id)
        if not orders:
            return
        self.env["res.partner"]._coi_settle()
        vendors = orders.partner_id.commercial_partner_id.filtered(
            lambda v: v.coi_status in requests.REQUESTABLE_STATUSES
        )
        if not vendors:
            return
        Notice = self.env["coi.notice"].sudo()
        Notice._queue_requests(vendors)
        # This cycle's request, just sent or sent for an earlier order.
        cycle_requests = Notice.search(
            [
                ("kind", "=", NoticeKind.REQUEST),
                (
                    "stage",
                    "in",
                    [
                        requests.cycle_stage(v.id, v.sudo().coi_request_cycle)
                        for v in vendors
                        if v.sudo().coi_request_date
                    ],
                ),
            ]
        )
        unsent = cycle_requests.filtered(lambda n: n.state == NoticeState.NO_RECIPIENT).partner_id
        for order in orders:
            vendor = order.partner_id.commercial_partner_id
            if vendor not in vendors:
                continue
            if vendor in unsent:
                body = self.env._(
                    "Insurance certificates could not be requested from %s: neither its "
                    "insurance contact nor its agent has an email address.",
                    vendor.display_name,
                )
            else:
                body = self.env._(
                    "Insurance certificates were requested from %(vendor)s on %(date)s.",
                    vendor=vendor.display_name,
                    date=format_date(self.env, vendor.sudo().coi_request_date),
                )
            order.message_post(body=body)

    def write(self, vals):
        if "coi_override_reason" in vals and not self.env.user.has_group(
            "coi_tracking.coi_tracking_group_manager"
        ):
            raise UserError(
                self.env._("Only Insurance Compliance managers can override the insurance check.")
            )
        return super().write(vals)

    def _coi_blocking_message(self):
        """The reason this order may not be confirmed, or False."""
        self.ensure_one()
        self.env["res.partner"]._coi_settle()
        vendor = self.partner_id.commercial_partner_id
        if (
            self.company_id.coi_purchase_enforcement != "block"
            or vendor.coi_status not in BLOCKING_STATUSES
            or self.coi_override_reason
        ):
            return False
        return self.env._(
            "%(vendor)s does not meet your insurance requirements, so this order cannot be "
            "confirmed:\n%(deficiencies)s\nAsk an Insurance Compliance manager to override "
            "with a reason, or collect a compliant certificate first.",
            vendor=vendor.display_name,
            deficiencies=vendor._coi_deficiency_text() or vendor.coi_status,
        )

    def _confirmation_error_message(self):
        return self._coi_blocking_message() or super()._confirmation_error_message()

    def button_approve(self, force=False):
        for order in self:
            message = order._coi_blocking_message()
            if message:
                raise UserError(message)
        return super().button_approve(force=force)

    def button_confirm(self):
        res = super().button_confirm()
        status_labels = dict(self._fields["coi_status"]._description_selection(self.env))
        for order in self.filtered(lambda o: o.state in ("purchase", "to approve")):
            if order.coi_enforcement == "off" or order.coi_status not in BLOCKING_STATUSES:
                continue
            if order.coi_override_reason:
                body = self.env._(
                    "Confirmed although the vendor's insurance is %(status)s. Override: %(reason)s",
                    status=status_labels[order.coi_status],
                    reason=order.coi_override_reason,
                )
            else:
                body = self.env._(
                    "Confirmed although the vendor's insurance is %(status)s:\n%(deficiencies)s",
                    status=status_labels[order.coi_status],
                    deficiencies=order.coi_deficiencies or "",
                )
            order.message_post(body=body)
        return res

    @api.model
    def _coi_spend_sql(self):
        """Purchasing per vendor (commercial partner) in the current company
        and its currency: the last 12 months' spend, open orders' count and
        amount. Confirmed orders only; RFQs and cancelled orders never count.
        The vendor risk report and the compliance snapshot read it."""
        amount = SQL("po.amount_untaxed / COALESCE(NULLIF(po.currency_rate, 0), 1)")
        return SQL(
            """
            SELECT pp.commercial_partner_id AS partner_id,
                   SUM(%(amount)s) FILTER (
                       WHERE po.date_approve >= %(since)s
                   ) AS spend_12m,
                   COUNT(*) FILTER (WHERE po.invoice_status != 'invoiced') AS open_count,
                   SUM(%(amount)s) FILTER (WHERE po.invoice_status != 'invoiced') AS open_amount
              FROM purchase_order po
              JOIN res_partner pp ON pp.id = po.partner_id
             WHERE po.state = 'purchase' AND po.company_id = %(company)s
             GROUP BY pp.commercial_partner_id
            """,
            amount=amount,
            company=self.env.company.id,
            since=fields.Date.subtract(self.env.company._coi_today(), months=12),
        )
