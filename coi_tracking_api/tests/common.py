# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import http.client
import json
from datetime import timedelta
from urllib.parse import urlsplit

from odoo import fields
from odoo.tests import HttpCase, new_test_user

from odoo.addons.coi_tracking_api.controllers.spec import BASE, openapi_document

PROBLEM = "application/problem+json"


class ApiCase(HttpCase):
    """API users with keys, calls, and the document's declared answers."""

    @classmethod
    def _api_user(cls, login, company=None):
        company = company or cls.env.company
        user = new_test_user(
            cls.env,
            login=login,
            groups="coi_tracking_api.group_coi_api",
            company_id=company.id,
            company_ids=[(6, 0, company.ids)],
        )
        key = (
            cls.env["res.users.apikeys"]
            .with_user(user)
            ._generate(None, "test", fields.Datetime.now() + timedelta(days=1))
        )
        return user, key

    def call(self, method, path, body=None, key=None, headers=None, data=None, **kwargs):
        """A request to the API: `body` is sent as JSON, `data` as it is."""
        all_headers = {"Authorization": f"Bearer {key or self.key}", **(headers or {})}
        if body is not None:
            all_headers.setdefault("Content-Type", "application/json")
            data = json.dumps(body)
        return self.opener.request(
            method,
            f"{self.base_url()}{BASE}{path}",
            data=data,
            headers=all_headers,
            timeout=60,
            **kwargs,
        )

    def raw(self, method, path, headers, body=b""):
        """A request written by hand (headers requests would not send):
        (status, headers, body)."""
        url = urlsplit(self.base_url())
        connection = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
        with self.allow_requests():
            try:
                connection.putrequest(method, f"{BASE}{path}", skip_accept_encoding=True)
                for name, value in {"Cookie": self.cookie_header(), **headers}.items():
                    connection.putheader(name, value)
                connection.endheaders(body or None)
                response = connection.getresponse()
                return response.status, dict(response.getheaders()), response.read()
            finally:
                connection.close()

    def cookie_header(self):
        """The test server's cookies (its database, the test's request key):
        for clients other than `self.opener`, inside `allow_requests()`."""
        return "; ".join(f"{name}={value}" for name, value in self.opener.cookies.items())

    def assertProblem(self, response, status, detail=None):
        """`response` is an application/problem+json document of `status`,
        whose detail holds `detail`."""
        self.assertEqual(response.status_code, status, response.text[:500])
        self.assertEqual(response.headers["Content-Type"], PROBLEM)
        body = response.json()
        self.assertEqual(body["status"], status)
        if detail:
            self.assertIn(detail, body["detail"])
        return body

    def assertDeclared(self, operation, status):
        """`status` is an answer the served document declares for `operation`."""
        for item in openapi_document("")["paths"].values():
            for declared in item.values():
                if declared["operationId"] == operation:
                    self.assertIn(str(status), declared["responses"], operation)
                    return
        self.fail(f"no operation {operation}")
