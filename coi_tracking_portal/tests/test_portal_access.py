# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from urllib.parse import urlparse

from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestPortalAccess(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_user = new_test_user(cls.env, login="coi_contractor", groups="base.group_portal")

    def test_portal_user_reaches_the_portal_not_the_backend(self):
        self.authenticate("coi_contractor", "coi_contractor")
        response = self.url_open("/my")
        self.assertEqual(response.status_code, 200)
        self.assertIn("/my/account", response.text)
        self.assertFalse(self.portal_user.has_group("coi_tracking.coi_tracking_group_user"))
        # The back office (where the Insurance Compliance app lives) sends portal users back.
        backend = self.url_open("/odoo/action-coi_tracking.action_coi_vendor")
        self.assertEqual(urlparse(backend.url).path, "/my")
