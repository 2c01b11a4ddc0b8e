# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import date

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import CoiCase


@tagged("post_install", "-at_install")
class TestPurchaseEnforcement(CoiCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product = cls.env["product.product"].create({"name": "Roof repair", "type": "service"})
        # Non-compliant: the workers' compensation policy has expired.
        cls.wc_policy.write({"state": "expired", "expiration_date": date(2026, 6, 1)})
        cls.env.cr.flush()

    def make_order(self, user=None, vendor=None):
        form = Form(self.env["purchase.order"].with_user(user or self.buyer))
        form.partner_id = vendor or self.vendor
        with form.order_line.new() as line:
            line.product_id = self.product
            line.product_qty = 1
            line.price_unit = 1000
        return form.save()

    def test_block_mode_refuses_with_the_deficiencies(self):
        self.env.company.coi_purchase_enforcement = "block"
        self.assertEqual(self.vendor.coi_status, "non_compliant")
        order = self.make_order()
        self.assertEqual(order.coi_status, "non_compliant")
        with self.assertRaises(UserError) as error:
            order.button_confirm()
        self.assertIn(
            "Test Roofing LLC does not meet your insurance requirements", str(error.exception)
        )
        self.assertIn("expired on 06/01/2026", str(error.exception))
        self.assertEqual(order.state, "draft")

    def test_block_mode_also_guards_approval(self):
        self.env.company.coi_purchase_enforcement = "block"
        order = self.make_order()
        order.state = "to approve"
        with self.assertRaises(UserError):
            order.with_user(self.coi_manager).button_approve()
        self.assertEqual(order.state, "to approve")

    def test_manager_override_with_reason_is_logged(self):
        self.env.company.coi_purchase_enforcement = "block"
        order = self.make_order()
        with self.assertRaises(UserError):
            order.with_user(self.buyer).write({"coi_override_reason": "Emergency"})
        order.with_user(self.coi_manager).coi_override_reason = "Storm damage, renewal promised"
        order.with_user(self.buyer).button_confirm()
        self.assertEqual(order.state, "purchase")
        self.assertIn(
            "Override: Storm damage, renewal promised",
            order.message_ids.mapped(lambda m: m.body and str(m.body) or "")[0],
        )
        # The override belongs to that order only.
        self.assertFalse(order.copy().coi_override_reason)
        with self.assertRaises(UserError):
            self.make_order().button_confirm()

    def test_warn_mode_confirms_and_logs(self):
        self.env.company.coi_purchase_enforcement = "warn"
        order = self.make_order()
        self.assertIn("expired on 06/01/2026", order.coi_deficiencies)
        order.button_confirm()
        self.assertEqual(order.state, "purchase")
        self.assertIn(
            "Confirmed although the vendor's insurance is Non-Compliant",
            str(order.message_ids[0].body),
        )

    def test_off_mode_and_compliant_vendor(self):
        self.env.company.coi_purchase_enforcement = "off"
        order = self.make_order()
        order.button_confirm()
        self.assertEqual(order.state, "purchase")
        self.env.company.coi_purchase_enforcement = "block"
        self.create_policy(self.vendor, self.wc, "WC-101", date(2027, 6, 1))
        self.env.cr.flush()
        self.assertEqual(self.vendor.coi_status, "compliant")
        order = self.make_order()
        order.button_confirm()
        self.assertEqual(order.state, "purchase")

    def test_order_to_a_contact_checks_the_company(self):
        self.env.company.coi_purchase_enforcement = "block"
        contact = self.env["res.partner"].create(
            {"name": "Site foreman", "parent_id": self.vendor.id}
        )
        order = self.make_order(vendor=contact)
        self.assertEqual(order.coi_status, "non_compliant")
        with self.assertRaises(UserError):
            order.button_confirm()

    def test_order_created_in_code_like_replenishment_is_checked(self):
        self.env.company.coi_purchase_enforcement = "block"
        order = self.env["purchase.order"].create(
            {
                "partner_id": self.vendor.id,
                "origin": "WH/RR/00001",
                "order_line": [
                    Command.create(
                        {"product_id": self.product.id, "product_qty": 3, "price_unit": 10}
                    )
                ],
            }
        )
        with self.assertRaises(UserError):
            order.button_confirm()
