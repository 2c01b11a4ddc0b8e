# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import date
from urllib.parse import urlparse

from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestPortalInsurance(HttpCase):
    """Who sees what: anonymous, two contractors, two agents, every route."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        gl = cls.env.ref("coi_tracking.coverage_gl")
        req_set = cls.env["coi.requirement.set"].create(
            {"name": "Matrix set", "line_ids": [Command.create({"coverage_type_id": gl.id})]}
        )
        Partner = cls.env["res.partner"]
        cls.agency_x = Partner.create(
            {"name": "Agency X", "is_company": True, "coi_is_agent": True}
        )
        cls.agency_y = Partner.create(
            {"name": "Agency Y", "is_company": True, "coi_is_agent": True}
        )
        cls.vendor_a = Partner.create(
            {
                "name": "Alpha Roofing",
                "is_company": True,
                "coi_agent_id": cls.agency_x.id,
                "coi_requirement_set_ids": [Command.link(req_set.id)],
            }
        )
        cls.vendor_b = Partner.create(
            {
                "name": "Bravo Towing",
                "is_company": True,
                "coi_agent_id": cls.agency_y.id,
                "coi_requirement_set_ids": [Command.link(req_set.id)],
            }
        )
        for vendor, number in ((cls.vendor_a, "POL-ALPHA-1"), (cls.vendor_b, "POL-BRAVO-1")):
            cls.env["coi.policy"].create(
                {
                    "name": number,
                    "partner_id": vendor.id,
                    "coverage_type_id": gl.id,
                    "effective_date": date(2026, 1, 1),
                    "expiration_date": date(2099, 1, 1),
                    "state": "active",
                }
            )
        cls.users = {}
        for login, company in (
            ("contractor_a", cls.vendor_a),
            ("contractor_b", cls.vendor_b),
            ("agent_x", cls.agency_x),
            ("agent_y", cls.agency_y),
        ):
            user = new_test_user(cls.env, login=login, groups="base.group_portal")
            user.partner_id.parent_id = company
            cls.users[login] = user

    def get(self, url, login=None):
        if login:
            self.authenticate(login, login)
        else:
            self.authenticate(None, None)
        return self.url_open(url)

    def test_anonymous_is_sent_to_login(self):
        for url in ("/my/insurance", f"/my/insurance/{self.vendor_a.id}"):
            response = self.get(url)
            self.assertEqual(urlparse(response.url).path, "/web/login", url)

    def test_contractor_sees_its_own_insurance_only(self):
        for login, mine, other in (
            ("contractor_a", self.vendor_a, self.vendor_b),
            ("contractor_b", self.vendor_b, self.vendor_a),
        ):
            page = self.get("/my/insurance", login)
            self.assertEqual(page.status_code, 200)
            self.assertIn(mine.name, page.text)
            self.assertIn(f"POL-{mine.name.split()[0].upper()}-1", page.text)
            self.assertNotIn(other.name, page.text)
            self.assertIn("/coi/upload/", page.text)  # its own upload link
            self.assertEqual(self.get(f"/my/insurance/{other.id}", login).status_code, 404)
            self.assertEqual(self.get(f"/my/insurance/{mine.id}", login).status_code, 200)

    def test_agent_sees_its_insureds_only(self):
        for login, insured, other in (
            ("agent_x", self.vendor_a, self.vendor_b),
            ("agent_y", self.vendor_b, self.vendor_a),
        ):
            listing = self.get("/my/insurance", login)
            self.assertIn(insured.name, listing.text)
            self.assertNotIn(other.name, listing.text)
            detail = self.get(f"/my/insurance/{insured.id}", login)
            self.assertEqual(detail.status_code, 200)
            self.assertIn(f"POL-{insured.name.split()[0].upper()}-1", detail.text)
            self.assertEqual(self.get(f"/my/insurance/{other.id}", login).status_code, 404)

    def test_record_rules_behind_the_pages(self):
        Policy = self.env["coi.policy"]
        for login, vendor in (
            ("contractor_a", self.vendor_a),
            ("contractor_b", self.vendor_b),
            ("agent_x", self.vendor_a),
            ("agent_y", self.vendor_b),
        ):
            visible = Policy.with_user(self.users[login]).search([])
            self.assertEqual(visible.partner_id, vendor, login)
            lines = self.env["coi.compliance.line"].with_user(self.users[login]).search([])
            self.assertEqual(lines.partner_id, vendor, login)

    def test_home_tile_counts(self):
        self.authenticate("agent_x", "agent_x")
        counters = self.make_jsonrpc_request("/my/counters", {"counters": ["coi_count"]})
        self.assertEqual(counters["coi_count"], 1)
        home = self.url_open("/my")
        self.assertIn("/my/insurance", home.text)

    def test_backend_grants_portal_access_to_contact_and_agent(self):
        contact = self.env["res.partner"].create(
            {
                "name": "Alpha insurance desk",
                "parent_id": self.vendor_a.id,
                "email": "desk@alpha.example",
            }
        )
        self.vendor_a.coi_insurance_contact_id = contact
        action = self.vendor_a.action_coi_grant_portal()
        self.assertEqual(action["res_model"], "portal.wizard")
        wizard = self.env["portal.wizard"].with_context(action["context"]).create({})
        self.assertLessEqual(contact | self.agency_x, wizard.user_ids.partner_id)
