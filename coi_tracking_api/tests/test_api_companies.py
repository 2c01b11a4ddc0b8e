# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import base64

from psycopg2 import IntegrityError

from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.coi_tracking.tests import fixtures as fx

from .common import ApiCase


@tagged("post_install", "-at_install")
class TestApiCompanies(ApiCase):
    """A vendor created through the API belongs to the API user's company,
    and a reference names one vendor per company: company B's API user
    neither sees nor updates A's vendor "V-1", it gets its own (issue 14,
    "Data walls between companies")."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a = cls.env["res.company"].create({"name": "API Company A"})
        cls.company_b = cls.env["res.company"].create({"name": "API Company B"})
        cls.user_a, cls.key_a = cls._api_user("api_company_a", cls.company_a)
        cls.user_b, cls.key_b = cls._api_user("api_company_b", cls.company_b)
        cls.key = cls.key_a

    def vendors(self, ref):
        self.env.invalidate_all()  # the requests wrote with their own environment
        return self.env["res.partner"].search([("ref", "=", ref)], order="id")

    def test_created_vendor_belongs_to_the_api_users_company(self):
        created = self.call("PUT", "/vendors/MC-1", {"name": "A's Towing"}, key=self.key_a)
        self.assertEqual(created.status_code, 201)
        self.assertEqual(self.vendors("MC-1").company_id, self.company_a)
        self.assertEqual(self.call("GET", "/", key=self.key_a).json()["company"], "API Company A")

    def test_same_reference_in_two_companies_names_two_vendors(self):
        self.call("PUT", "/vendors/MC-2", {"name": "A's Roofing"}, key=self.key_a)
        self.assertEqual(self.call("GET", "/vendors/MC-2", key=self.key_b).status_code, 404)
        self.assertEqual(
            self.call("GET", "/vendors/MC-2/can-work", key=self.key_b).status_code, 404
        )
        listed = self.call("GET", "/vendors?ref=MC-2", key=self.key_b).json()["items"]
        self.assertEqual(listed, [])
        # B's upsert creates B's own vendor, and leaves A's as it was.
        other = self.call("PUT", "/vendors/MC-2", {"name": "B's Roofing"}, key=self.key_b)
        self.assertEqual(other.status_code, 201)
        vendors = self.vendors("MC-2")
        self.assertEqual(vendors.mapped("company_id"), self.company_a | self.company_b)
        self.assertEqual(vendors.mapped("name"), ["A's Roofing", "B's Roofing"])
        updated = self.call("PUT", "/vendors/MC-2", {"city": "Reno"}, key=self.key_b)
        self.assertEqual(updated.status_code, 200)
        self.assertEqual(self.vendors("MC-2").mapped("city"), [False, "Reno"])
        self.assertEqual(
            self.call("GET", "/vendors/MC-2", key=self.key_a).json()["name"], "A's Roofing"
        )
        self.assertEqual(
            [
                i["name"]
                for i in self.call("GET", "/vendors?ref=MC-2", key=self.key_b).json()["items"]
            ],
            ["B's Roofing"],
        )

    def test_shared_vendor_is_found_after_the_companys_own(self):
        self.env["res.partner"].create(
            {"name": "Shared Co", "ref": "MC-3", "is_company": True, "supplier_rank": 1}
        )
        self.assertEqual(
            self.call("GET", "/vendors/MC-3", key=self.key_b).json()["name"], "Shared Co"
        )
        self.env["res.partner"].create(
            {
                "name": "B's own",
                "ref": "MC-3",
                "is_company": True,
                "supplier_rank": 1,
                "company_id": self.company_b.id,
                "coi_exempt": True,
                "coi_exempt_reason": "Works off site",
            }
        )
        self.assertEqual(
            self.call("GET", "/vendors/MC-3", key=self.key_b).json()["name"], "B's own"
        )
        self.assertEqual(
            self.call("GET", "/vendors/MC-3", key=self.key_a).json()["name"], "Shared Co"
        )
        # "May they work?" answers for the same vendor as the detail does.
        own = self.call("GET", "/vendors/MC-3/can-work", key=self.key_b).json()
        shared = self.call("GET", "/vendors/MC-3/can-work", key=self.key_a).json()
        self.assertEqual((own["ref"], own["status"], own["can_work"]), ("MC-3", "exempt", True))
        self.assertNotEqual(shared["status"], "exempt")
        self.assertEqual(
            shared["status"], self.call("GET", "/vendors/MC-3", key=self.key_a).json()["status"]
        )
        # A user of both companies: the company the context puts first, else
        # the user's own company (what a key's request has).
        both = new_test_user(
            self.env,
            login="api_both_companies",
            groups="coi_tracking_api.group_coi_api",
            company_id=self.company_a.id,
            company_ids=[(6, 0, (self.company_a | self.company_b).ids)],
        )
        partners = self.env["res.partner"].with_user(both)
        for companies, status in (
            (None, shared["status"]),
            (self.company_b | self.company_a, "exempt"),
            (self.company_a | self.company_b, shared["status"]),
        ):
            context = {"allowed_company_ids": companies.ids} if companies else {}
            answer = partners.with_context(**context)._api_can_work_by_ref("MC-3")
            self.assertEqual(answer["status"], status, companies and companies.mapped("name"))

    def test_reference_of_a_partner_that_is_not_a_vendor(self):
        self.env["res.partner"].create(
            {
                "name": "A customer",
                "ref": "MC-4",
                "is_company": True,
                "company_id": self.company_a.id,
            }
        )
        answer = self.call("PUT", "/vendors/MC-4", {"name": "Vendor?"}, key=self.key_a)
        self.assertProblem(answer, 422, "not a vendor")
        self.assertEqual(
            self.call("PUT", "/vendors/MC-4", {"name": "B"}, key=self.key_b).status_code, 201
        )

    def test_certificates_and_policies_stay_in_their_company(self):
        self.call("PUT", "/vendors/MC-5", {"name": fx.SAMPLE["insured"]["name"]}, key=self.key_a)
        sent = self.call(
            "POST",
            "/vendors/MC-5/certificates",
            {"content_base64": base64.b64encode(fx.layout_pdf()).decode()},
            key=self.key_a,
        )
        self.assertEqual(sent.status_code, 202)
        certificate = self.env["coi.certificate"].browse(sent.json()["id"])
        self.assertEqual(certificate.company_id, self.company_a)
        path = f"/certificates/{certificate.id}"
        self.assertEqual(self.call("GET", path, key=self.key_a).status_code, 200)
        self.assertEqual(self.call("GET", path, key=self.key_b).status_code, 404)


@tagged("post_install", "-at_install")
class TestVendorReferenceUnique(TransactionCase):
    def test_two_vendors_of_one_company_cannot_share_a_reference(self):
        Partner = self.env["res.partner"]
        company = self.env["res.company"].create({"name": "Unique Ref Co"})
        vals = {"name": "First", "ref": "U-1", "is_company": True, "company_id": company.id}
        Partner.create(vals)
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError), self.env.cr.savepoint():
            Partner.create({**vals, "name": "Second"})
        # Another company, a shared vendor, a contact, an archived vendor: no clash.
        other = self.env["res.company"].create({"name": "Unique Ref Other"})
        Partner.create({**vals, "company_id": other.id})
        Partner.create({**vals, "company_id": False})
        Partner.create(
            {
                "name": "Contact",
                "ref": "U-1",
                "parent_id": Partner.search([("ref", "=", "U-1")], limit=1).id,
            }
        )
        Partner.search([("ref", "=", "U-1"), ("company_id", "=", company.id)]).action_archive()
        Partner.create(vals)
        self.env.cr.flush()
