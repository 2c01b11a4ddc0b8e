# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import timedelta

from odoo import Command, fields
from odoo.tests import TransactionCase, new_test_user


class ReportingCase(TransactionCase):
    """A network of five vendors in two states under two requirement sets,
    dated from the real today: the reports count days from the database's
    CURRENT_DATE, so the clock is not frozen here."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        ref = cls.env.ref
        cls.today = fields.Date.today()
        cls.company = cls.env.company
        cls.company.coi_purchase_enforcement = "off"
        # Tests build their own requirements: no company default (the demo sets one).
        cls.company.coi_default_requirement_set_id = False
        cls.gl = ref("coi_tracking.coverage_gl")
        cls.wc = ref("coi_tracking.coverage_wc_el")
        us = ref("base.us")
        cls.ca = cls.env["res.country.state"].search(
            [("code", "=", "CA"), ("country_id", "=", us.id)]
        )
        cls.tx = cls.env["res.country.state"].search(
            [("code", "=", "TX"), ("country_id", "=", us.id)]
        )
        cls.insurer = cls.env["res.partner"].create(
            {"name": "Report Mutual", "is_company": True, "coi_is_insurer": True}
        )
        cls.set_gl = cls.env["coi.requirement.set"].create(
            {
                "name": "Report GL (high)",
                "risk_tier": "high",
                "expiring_days": 30,
                "line_ids": [Command.create({"coverage_type_id": cls.gl.id})],
            }
        )
        cls.set_wc = cls.env["coi.requirement.set"].create(
            {
                "name": "Report WC (low)",
                "risk_tier": "low",
                "line_ids": [Command.create({"coverage_type_id": cls.wc.id})],
            }
        )
        cls.product = cls.env["product.product"].create(
            {"name": "Field work", "type": "service", "purchase_ok": True}
        )
        cls.coi_user = new_test_user(
            cls.env, login="coi_report_user", groups="coi_tracking.coi_tracking_group_user"
        )

        def vendor(name, state, sets):
            return cls.env["res.partner"].create(
                {
                    "name": name,
                    "ref": name.split()[0].upper(),
                    "is_company": True,
                    "supplier_rank": 1,
                    "country_id": us.id,
                    "state_id": state.id,
                    "coi_requirement_set_ids": [Command.set([s.id for s in sets])],
                }
            )

        cls.v_ok = vendor("Alpha Roofing", cls.ca, [cls.set_gl])
        cls.v_expiring = vendor("Bravo Towing", cls.ca, [cls.set_gl])
        cls.v_missing = vendor("Charlie Builders", cls.tx, [cls.set_gl, cls.set_wc])
        cls.v_expired = vendor("Delta Cleaning", cls.tx, [cls.set_wc])
        cls.v_cancelled = vendor("Echo Electric", cls.tx, [cls.set_gl])
        cls.policy(cls.v_ok, cls.gl, 200)
        cls.policy(cls.v_expiring, cls.gl, 20)
        cls.policy(cls.v_expired, cls.wc, -5, state="expired")
        cls.policy(cls.v_cancelled, cls.gl, 100, state="cancelled", cancellation_date=cls.today)
        cls.vendors = cls.v_ok | cls.v_expiring | cls.v_missing | cls.v_expired | cls.v_cancelled
        cls.env.cr.flush()  # the end of the transaction: vendors are evaluated

    @classmethod
    def policy(cls, vendor, coverage, days_left, **values):
        expiration = cls.today + timedelta(days=days_left)
        return cls.env["coi.policy"].create(
            {
                "name": f"{coverage.code}-{vendor.ref}",
                "partner_id": vendor.id,
                "coverage_type_id": coverage.id,
                "insurer_id": cls.insurer.id,
                "effective_date": expiration - timedelta(days=365),
                "expiration_date": expiration,
                "state": "active",
                "per_statute": coverage.code == "WC_EL",
                **values,
            }
        )

    @classmethod
    def order(cls, vendor, amount, confirm=True, approved_days_ago=0):
        order = cls.env["purchase.order"].create(
            {
                "partner_id": vendor.id,
                "order_line": [
                    Command.create(
                        {"product_id": cls.product.id, "product_qty": 1, "price_unit": amount}
                    )
                ],
            }
        )
        if confirm:
            order.button_confirm()
            if approved_days_ago:
                order.date_approve = fields.Datetime.now() - timedelta(days=approved_days_ago)
        return order
