# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged

from odoo.addons.coi_tracking.tests.test_multi_company import TwoCompanies


@tagged("post_install", "-at_install")
class TestUploadLinkCompany(TwoCompanies):
    """Reproduction: a COI user of company B made an upload link for company
    A's vendor and used it. A link's company is one its vendor belongs to."""

    def test_b_cannot_make_a_link_for_a_s_vendor(self):
        Link = self.env["coi.upload.request"].with_user(self.user_b)
        with self.assertRaises(UserError):
            Link.create({"partner_id": self.vendor_a.id})
        with self.assertRaises(AccessError):
            Link.create({"partner_id": self.vendor_a.id, "company_id": self.company_a.id})
        theirs = Link.create({"partner_id": self.vendor_b.id})
        with self.assertRaises(UserError):
            theirs.write({"partner_id": self.vendor_a.id})
        self.assertFalse(
            self.env["coi.upload.request"].search(
                [("partner_id", "=", self.vendor_a.id), ("company_id", "=", self.company_b.id)]
            )
        )

    def test_a_vendor_s_link_is_its_company_s(self):
        # As the notice job runs: in the first company, for every vendor.
        link = self.vendor_b._coi_upload_request()
        self.assertEqual(link.company_id, self.company_b)
        shared = self.vendor._coi_upload_request()  # a vendor of every company
        self.assertEqual(shared.company_id, self.env.company)
        self.assertEqual(
            self.vendor.with_company(self.company_b)._coi_upload_request().company_id,
            self.company_b,
        )
        with self.assertRaises(AccessError):
            link.with_user(self.coi_user).read(["access_token"])


@tagged("post_install", "-at_install")
class TestUploadLinkCompanyHttp(HttpCase):
    def test_b_cannot_make_a_link_for_a_s_vendor_over_rpc(self):
        company_b = self.env["res.company"].create({"name": "Beta Co (links)"})
        self.env["res.users"].create(
            {
                "name": "Links B",
                "login": "coi_links_b",
                "password": "coi_links_b",
                "company_id": company_b.id,
                "company_ids": [Command.set(company_b.ids)],
                "group_ids": [
                    Command.set([self.env.ref("coi_tracking.coi_tracking_group_user").id])
                ],
            }
        )
        vendor_a = self.env["res.partner"].create(
            {"name": "Alpha (links)", "is_company": True, "company_id": self.env.company.id}
        )
        self.authenticate("coi_links_b", "coi_links_b")
        answer = self.url_open(
            "/web/dataset/call_kw/coi.upload.request/create",
            json={
                "jsonrpc": "2.0",
                "method": "call",
                "params": {
                    "model": "coi.upload.request",
                    "method": "create",
                    "args": [{"partner_id": vendor_a.id}],
                    "kwargs": {},
                },
            },
        ).json()
        self.assertIn("error", answer)
        self.assertFalse(self.env["coi.upload.request"].search([("partner_id", "=", vendor_a.id)]))
