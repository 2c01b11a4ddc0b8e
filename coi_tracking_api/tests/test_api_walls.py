# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from odoo.addons.coi_tracking.tests.test_multi_company import TwoCompanies


@tagged("post_install", "-at_install")
class TestApiCompanyWalls(TwoCompanies):
    """Reproduction: coi.webhook, its deliveries and coi.api.request had no
    company rule: company B's manager read company A's subscribers, the
    payloads sent to them and the answers kept for API replays."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.api_user_a = new_test_user(
            cls.env, login="coi_walls_api_a", groups="coi_tracking_api.group_coi_api"
        )
        cls.hook_a = cls.env["coi.webhook"].create(
            {"name": "Alpha hook", "url": "https://alpha.example.com/hook"}
        )
        cls.delivery_a = cls.env["coi.webhook.delivery"].create(
            {"webhook_id": cls.hook_a.id, "event": "vendor.status_changed", "payload": {"a": 1}}
        )
        cls.request_a = cls.env["coi.api.request"].create(
            {"user_id": cls.api_user_a.id, "method": "PUT", "path": "/api/coi/v1/vendors/A"}
        )

    def test_b_reads_none_of_a_s_api_records(self):
        self.assertEqual(self.hook_a.company_id, self.company_a)
        for records in (self.hook_a, self.delivery_a, self.request_a):
            Model = self.env[records._name].with_user(self.manager_b)
            self.assertFalse(Model.search([("id", "=", records.id)]), records._name)
            with self.assertRaises(AccessError, msg=records._name):
                records.with_user(self.manager_b).read(["id"])
            # The company's own manager does.
            self.assertEqual(
                self.env[records._name].with_user(self.manager_a).search([("id", "=", records.id)]),
                records,
            )

    def test_no_subscriber_hears_every_company(self):
        """A webhook without company received every company's events: none
        may be made or moved there."""
        Hook = self.env["coi.webhook"].with_user(self.manager_b)
        with self.assertRaises(UserError):  # the rule or the constraint
            Hook.create({"name": "All", "url": "https://b.example.com", "company_id": False})
        with self.assertRaises(AccessError):
            Hook.create(
                {"name": "A's", "url": "https://b.example.com", "company_id": self.company_a.id}
            )
        own = Hook.create({"name": "B's", "url": "https://b.example.com"})
        self.assertEqual(own.company_id, self.company_b)
        with self.assertRaises(ValidationError):
            own.write({"company_id": False})
