# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestApiRoot(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.api_user = new_test_user(
            cls.env, login="coi_api_client", groups="coi_tracking_api.group_coi_api"
        )
        cls.other_user = new_test_user(
            cls.env, login="coi_no_api", groups="coi_tracking.coi_tracking_group_user"
        )

    def _key(self, user):
        expiry = fields.Datetime.now() + timedelta(days=1)
        return self.env["res.users.apikeys"].with_user(user)._generate(None, "test", expiry)

    def _get(self, token=None):
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return self.url_open("/api/coi/v1", headers=headers)

    def test_api_key_of_api_user(self):
        response = self._get(self._key(self.api_user))
        self.assertEqual(response.status_code, 200)
        body = response.json()
        self.assertEqual(body["api_version"], "1")
        self.assertEqual(body["user"], "coi_api_client")

    def test_no_key_is_unauthorized(self):
        for token in (None, "not-a-real-key"):
            response = self._get(token)
            self.assertEqual(response.status_code, 401)
            self.assertEqual(response.headers["Content-Type"], "application/problem+json")
            self.assertEqual(response.json()["status"], 401)

    def test_user_outside_api_group_is_forbidden(self):
        response = self._get(self._key(self.other_user))
        self.assertEqual(response.status_code, 403)
        self.assertEqual(response.headers["Content-Type"], "application/problem+json")
        self.assertIn("COI API group", response.json()["detail"])
