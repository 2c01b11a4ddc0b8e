# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from ast import literal_eval

from odoo import Command
from odoo.tests import HttpCase, TransactionCase, new_test_user, tagged


class TestInstall(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # No company default requirements (the demo sets one): see test_demo.
        cls.env.company.coi_default_requirement_set_id = False
        cls.coi_user = new_test_user(
            cls.env, login="coi_user", groups="base.group_user,coi_tracking.coi_tracking_group_user"
        )
        cls.employee = new_test_user(cls.env, login="plain_employee", groups="base.group_user")
        cls.root_menu = cls.env.ref("coi_tracking.menu_coi_root")

    def _visible_menu_ids(self, user):
        return self.env["ir.ui.menu"].with_user(user)._visible_menu_ids()

    def test_menu_visible_to_coi_users_only(self):
        self.assertIn(self.root_menu.id, self._visible_menu_ids(self.coi_user))
        self.assertNotIn(self.root_menu.id, self._visible_menu_ids(self.employee))

    def test_vendors_action_lists_vendors_not_contacts_or_insurers(self):
        names = ["Install Check Towing", "Somebody", "Install Check Mutual"]
        vendor = self.env["res.partner"].create(
            {"name": names[0], "is_company": True, "supplier_rank": 1}
        )
        self.env["res.partner"].create({"name": names[1], "parent_id": vendor.id})
        self.env["res.partner"].create(
            {"name": names[2], "is_company": True, "coi_is_insurer": True}
        )
        self.env.cr.flush()  # the end of the transaction: vendors are evaluated
        action = self.env.ref("coi_tracking.action_coi_vendor")
        partners = (
            self.env["res.partner"]
            .with_user(self.coi_user)
            .search([*literal_eval(action.domain), ("name", "in", names)])
        )
        self.assertEqual(partners.mapped("name"), ["Install Check Towing"])
        self.assertEqual(vendor.coi_status, "not_required")

    def test_manager_implies_user(self):
        manager = new_test_user(
            self.env,
            login="coi_manager",
            groups="base.group_user,coi_tracking.coi_tracking_group_manager",
        )
        self.assertTrue(manager.has_group("coi_tracking.coi_tracking_group_user"))
        self.assertFalse(self.coi_user.has_group("coi_tracking.coi_tracking_group_manager"))


@tagged("post_install", "-at_install")
class TestMenuTour(HttpCase):
    def test_coi_user_opens_the_app(self):
        new_test_user(
            self.env,
            login="coi_tour_user",
            groups="base.group_user,coi_tracking.coi_tracking_group_user",
        )
        req_set = self.env["coi.requirement.set"].create(
            {
                "name": "Tour set",
                "line_ids": [
                    Command.create(
                        {"coverage_type_id": self.env.ref("coi_tracking.coverage_gl").id}
                    )
                ],
            }
        )
        self.env["res.partner"].create(
            {
                "name": "Tour Roofing LLC",
                "is_company": True,
                "coi_requirement_set_ids": [Command.link(req_set.id)],
            }
        )
        self.start_tour("/odoo", "coi_tracking_menu_tour", login="coi_tour_user")
