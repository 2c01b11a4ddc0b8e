# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import base64
import json
from datetime import timedelta

from odoo import Command, fields
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.coi_tracking.tests import fixtures as fx


@tagged("post_install", "-at_install")
class TestApiWrites(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        gl = cls.env.ref("coi_tracking.coverage_gl")
        cls.req_set = cls.env["coi.requirement.set"].create(
            {"name": "API write set", "line_ids": [Command.create({"coverage_type_id": gl.id})]}
        )
        cls.user = new_test_user(
            cls.env, login="api_writer", groups="coi_tracking_api.group_coi_api"
        )
        cls.key = (
            cls.env["res.users.apikeys"]
            .with_user(cls.user)
            ._generate(None, "test", fields.Datetime.now() + timedelta(days=1))
        )

    def call(self, method, path, body=None, key=None, headers=None, files=None):
        all_headers = {"Authorization": f"Bearer {key or self.key}", **(headers or {})}
        if body is not None:
            all_headers["Content-Type"] = "application/json"
        return self.opener.request(
            method,
            f"{self.base_url()}/api/coi/v1{path}",
            data=json.dumps(body) if body is not None else None,
            headers=all_headers,
            files=files,
            timeout=30,
        )

    def test_upsert_creates_then_updates(self):
        created = self.call(
            "PUT",
            "/vendors/EXT-42",
            {"name": "Upserted Towing", "state": "CA", "requirement_sets": ["API write set"]},
        )
        self.assertEqual(created.status_code, 201)
        self.assertEqual(created.json()["status"], "non_compliant")
        vendor = self.env["res.partner"].search([("ref", "=", "EXT-42")])
        self.assertEqual(vendor.state_id.code, "CA")
        updated = self.call(
            "PUT",
            "/vendors/EXT-42",
            {
                "exemption": {"reason": "Owner only"},
                "insurance_contact": {"name": "Desk", "email": "desk@ext42.example"},
            },
        )
        self.assertEqual(updated.status_code, 200)
        self.assertEqual(updated.json()["status"], "exempt")
        self.assertEqual(self.env["res.partner"].search_count([("ref", "=", "EXT-42")]), 1)
        self.assertEqual(vendor.coi_insurance_contact_id.email, "desk@ext42.example")
        listed = self.call("GET", "/vendors?ref=EXT-4").json()["items"]
        self.assertEqual([item["ref"] for item in listed], ["EXT-42"])
        bad = self.call("PUT", "/vendors/EXT-42", {"requirement_sets": ["Nope"]})
        self.assertEqual(bad.status_code, 422)
        self.assertIn("Unknown requirement sets: Nope", bad.json()["detail"])
        self.assertEqual(self.call("PUT", "/vendors/EXT-43", {"phone": "1"}).status_code, 422)

    def test_idempotent_retry_returns_the_first_answer(self):
        headers = {"Idempotency-Key": "abc-123"}
        first = self.call("PUT", "/vendors/IDEM-1", {"name": "Idem Co"}, headers=headers)
        self.env["res.partner"].search([("ref", "=", "IDEM-1")]).name = "Changed since"
        self.env.flush_all()
        again = self.call("PUT", "/vendors/IDEM-1", {"name": "Idem Co"}, headers=headers)
        self.assertEqual(first.status_code, 201)
        self.assertEqual(again.status_code, 201)
        self.assertEqual(again.json(), first.json())  # the first answer, not done again
        self.env.invalidate_all()
        self.assertEqual(
            self.env["res.partner"].search([("ref", "=", "IDEM-1")]).name, "Changed since"
        )

    def test_certificate_by_json_and_multipart_then_status(self):
        self.call("PUT", "/vendors/CERT-1", {"name": fx.SAMPLE["insured"]["name"]})
        body = {"filename": "coi.pdf", "content_base64": base64.b64encode(fx.layout_pdf()).decode()}
        posted = self.call("POST", "/vendors/CERT-1/certificates", body)
        self.assertEqual(posted.status_code, 202)
        certificate_id = posted.json()["id"]
        status = self.call("GET", f"/certificates/{certificate_id}").json()
        self.assertEqual((status["state"], status["reading_state"]), ("received", "pending"))
        self.env["coi.certificate"]._cron_read_certificates()
        status = self.call("GET", f"/certificates/{certificate_id}").json()
        self.assertEqual(status["reading_state"], "done")
        self.assertIn("GL-7781234", [p["number"] for p in status["policies"]])
        multipart = self.call(
            "POST",
            "/vendors/CERT-1/certificates",
            files={"file": ("scan.pdf", fx.layout_pdf(), "application/pdf")},
        )
        self.assertEqual(multipart.status_code, 202)
        not_pdf = self.call(
            "POST",
            "/vendors/CERT-1/certificates",
            {"content_base64": base64.b64encode(b"hello").decode()},
        )
        self.assertEqual(not_pdf.status_code, 422)
        self.assertIn("Only PDF", not_pdf.json()["detail"])
        self.assertEqual(
            self.call("POST", "/vendors/CERT-1/certificates", {"content_base64": "@@"}).status_code,
            400,
        )
        self.assertEqual(self.call("POST", "/vendors/NOPE/certificates", body).status_code, 404)
        self.assertEqual(self.call("GET", "/certificates/999999").status_code, 404)

    def test_rate_limit_answers_429_with_retry_after_per_key(self):
        self.call("PUT", "/vendors/RATE-0", {"name": "Rate Zero"})
        caller = self.env["coi.api.request"].search([("path", "like", "RATE-0")]).caller
        self.assertTrue(caller.startswith("key:"))
        self.assertNotIn(self.key, caller)  # the key itself is never stored
        self.env["coi.api.request"].create(
            [
                {
                    "user_id": self.user.id,
                    "caller": caller,
                    "method": "PUT",
                    "path": "/x",
                    "status": 200,
                }
                for _ in range(599)
            ]
        )
        limited = self.call("PUT", "/vendors/RATE-1", {"name": "Rate Co"})
        self.assertEqual(limited.status_code, 429)
        self.assertEqual(limited.headers["Content-Type"], "application/problem+json")
        self.assertGreaterEqual(int(limited.headers["Retry-After"]), 1)
        self.assertFalse(self.env["res.partner"].search([("ref", "=", "RATE-1")]))
        # The same user's other key has its own budget.
        other_key = (
            self.env["res.users.apikeys"]
            .with_user(self.user)
            ._generate(None, "second", fields.Datetime.now() + timedelta(days=1))
        )
        allowed = self.call("PUT", "/vendors/RATE-1", {"name": "Rate Co"}, key=other_key)
        self.assertEqual(allowed.status_code, 201)

    def test_policies_expiring_before(self):
        self.call("PUT", "/vendors/POL-1", {"name": "Policy Co"})
        vendor = self.env["res.partner"].search([("ref", "=", "POL-1")])
        gl = self.env.ref("coi_tracking.coverage_gl")
        today = fields.Date.today()
        self.env["coi.policy"].create(
            {
                "name": "SOON-1",
                "partner_id": vendor.id,
                "coverage_type_id": gl.id,
                "effective_date": today - timedelta(days=300),
                "expiration_date": today + timedelta(days=10),
                "state": "active",
            }
        )
        soon = (today + timedelta(days=20)).isoformat()
        items = self.call("GET", f"/policies?expiring_before={soon}&status=active").json()["items"]
        self.assertIn("SOON-1", [item["number"] for item in items])
        self.assertEqual(self.call("GET", "/policies?status=weird").status_code, 400)
