# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import date

import jsonschema

from odoo import Command
from odoo.tests import tagged

from odoo.addons.coi_tracking_api.controllers.spec import ENDPOINTS

from .common import ApiCase

PDF = b"%PDF-1.4 api coverage certificate"


@tagged("post_install", "-at_install")
class TestApiCoverage(ApiCase):
    """GET /vendors/{ref}/coverage?date=: who covered the vendor that day,
    the same answer as the vendor form's "Coverage on a Date" (issue 15),
    behind the wall between companies."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a = cls.env["res.company"].create({"name": "Coverage Company A"})
        cls.company_b = cls.env["res.company"].create({"name": "Coverage Company B"})
        cls.user_a, cls.key_a = cls._api_user("api_coverage_a", cls.company_a)
        cls.user_b, cls.key_b = cls._api_user("api_coverage_b", cls.company_b)
        cls.key = cls.key_a
        Partner = cls.env["res.partner"]
        gl = cls.env.ref("coi_tracking.coverage_gl")
        each = cls.env.ref("coi_tracking.limit_each_occurrence")
        insurer = Partner.create(
            {
                "name": "API Mutual",
                "is_company": True,
                "coi_is_insurer": True,
                "coi_naic_code": "12345",
            }
        )
        agency = Partner.create(
            {
                "name": "API Brokers",
                "is_company": True,
                "coi_is_agent": True,
                "email": "desk@api-brokers.example.com",
                "phone": "+1 555 0199",
            }
        )
        cls.vendor = Partner.create(
            {
                "name": "API Coverage Co",
                "ref": "COV-1",
                "is_company": True,
                "supplier_rank": 1,
                "company_id": cls.company_a.id,
            }
        )
        cls.certificate = cls.env["coi.certificate"].create(
            {"partner_id": cls.vendor.id, "company_id": cls.company_a.id}
        )
        cls.file = cls.env["ir.attachment"].create(
            {
                "name": "acord25-old.pdf",
                "raw": PDF,
                "mimetype": "application/pdf",
                "res_model": "coi.certificate",
                "res_id": cls.certificate.id,
            }
        )
        cls.certificate.write(
            {"attachment_ids": [Command.link(cls.file.id)], "document_id": cls.file.id}
        )

        def policy(number, effective, expiration, state, **values):
            return cls.env["coi.policy"].create(
                {
                    "name": number,
                    "partner_id": cls.vendor.id,
                    "company_id": cls.company_a.id,
                    "coverage_type_id": gl.id,
                    "insurer_id": insurer.id,
                    "effective_date": effective,
                    "expiration_date": expiration,
                    "state": state,
                    "limit_ids": [Command.create({"limit_type_id": each.id, "amount": 1_000_000})],
                    **values,
                }
            )

        policy(
            "GL-OLD",
            date(2024, 1, 1),
            date(2025, 1, 1),
            "expired",
            agent_id=agency.id,
            certificate_id=cls.certificate.id,
        )
        policy("GL-NEW", date(2025, 1, 1), date(2099, 1, 1), "active")
        cls.env.cr.flush()  # the vendor is evaluated (tracked vendors have a status)

    def coverage(self, query="", key=None):
        return self.call("GET", f"/vendors/COV-1/coverage{query}", key=key)

    def assertSchema(self, body):
        jsonschema.validate(body, ENDPOINTS["vendor_coverage"]["responses"]["200"][1])

    def test_a_past_day_lists_the_expired_policy_with_whom_to_call(self):
        response = self.coverage("?date=2024-07-04")
        self.assertEqual(response.status_code, 200, response.text)
        body = response.json()
        self.assertSchema(body)
        self.assertEqual((body["ref"], body["date"]), ("COV-1", "2024-07-04"))
        self.assertEqual([p["number"] for p in body["policies"]], ["GL-OLD"])
        old = body["policies"][0]
        self.assertEqual(
            {key: old[key] for key in ("state", "insurer", "insurer_naic", "cancellation_date")},
            {
                "state": "expired",
                "insurer": "API Mutual",
                "insurer_naic": "12345",
                "cancellation_date": None,
            },
        )
        self.assertEqual(
            old["agent"],
            {
                "name": "API Brokers",
                "contact": None,
                "email": "desk@api-brokers.example.com",
                "phone": "+1 555 0199",
            },
        )
        self.assertEqual(
            old["certificate"],
            {
                "reference": self.certificate.name,
                "filename": "acord25-old.pdf",
                "download_url": f"/web/content/{self.file.id}?download=true",
            },
        )
        # The same answer as the vendor form's view.
        rows = (
            self.env["coi.coverage.date"]
            .with_user(self.user_a)
            ._coi_coverage_rows(
                self.env["coi.coverage.date"]
                .with_user(self.user_a)
                ._coi_in_force(self.vendor, date(2024, 7, 4)),
                date(2024, 7, 4),
            )
        )
        self.assertEqual([row["number"] for row in rows], ["GL-OLD"])

    def test_today_by_default_and_the_current_policy(self):
        body = self.coverage().json()
        self.assertSchema(body)
        self.assertEqual([p["number"] for p in body["policies"]], ["GL-NEW"])
        self.assertIsNone(body["policies"][0]["certificate"])
        self.assertEqual(body["policies"][0]["agent"], None)
        self.assertEqual(self.coverage("?date=2023-06-01").json()["policies"], [])
        self.assertDeclared("vendor_coverage", 200)

    def test_company_b_gets_404_for_company_a_s_vendor(self):
        self.assertProblem(self.coverage("?date=2024-07-04", key=self.key_b), 404, "COV-1")
        self.assertDeclared("vendor_coverage", 404)

    def test_a_bad_date_is_refused_with_a_reason(self):
        body = self.assertProblem(self.coverage("?date=2024-02-30"), 400)
        self.assertIn("query parameter date must be a date (YYYY-MM-DD)", body["detail"])
        body = self.assertProblem(self.coverage("?day=2024-02-01"), 400)
        self.assertIn("Unknown query parameter(s): day", body["detail"])
