# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The demo database shows the whole loop: mail leaves through the local
sink, coi@ has a full address, the admin lands in the app and a vendor
created without a tag is tracked against the company default."""

from odoo.tests import TransactionCase, tagged

from ..engine.vocabulary import LineStatus, VendorStatus


@tagged("post_install", "-at_install")
class TestDemoSetup(TransactionCase):
    def setUp(self):
        super().setUp()
        self.default_set = self.env.ref("coi_tracking.req_set_any_vendor")
        self.company = self.env.ref("base.main_company")

    def test_vendor_without_tag_is_tracked(self):
        self.assertEqual(self.company.coi_default_requirement_set_id, self.default_set)
        # As the Vendors menu creates one: a supplier company, no tag, no set.
        vendor = (
            self.env["res.partner"]
            .with_company(self.company)
            .with_context(res_partner_search_mode="supplier", default_is_company=True)
            .create({"name": "Untagged Demo Hauling"})
        )
        self.env.cr.flush()
        self.assertFalse(vendor.category_id)
        self.assertFalse(vendor.coi_requirement_set_ids)
        self.assertEqual(vendor.coi_status, VendorStatus.NON_COMPLIANT)
        self.assertEqual(
            [(line.coverage_type_id.code, line.status) for line in vendor.coi_compliance_line_ids],
            [("GL", LineStatus.MISSING)],
        )

    def test_mail_alias_and_landing_page(self):
        alias = self.env.ref("coi_tracking.mail_alias_coi_certificate")
        self.assertEqual(alias.display_name, "coi@coi.localhost")
        self.assertEqual(self.company.alias_domain_id.name, "coi.localhost")
        admin = self.env.ref("base.user_admin")
        self.assertEqual(admin.action_id.id, self.env.ref("coi_tracking.action_coi_vendor").id)

    def test_sink_server_comes_last(self):
        sink = self.env.ref("coi_tracking.mail_server_demo_sink")
        self.assertEqual((sink.smtp_host, sink.smtp_port), ("127.0.0.1", 2525))
        other = self.env["ir.mail_server"].create(
            {"name": "Company relay", "smtp_host": "smtp.example.com", "smtp_port": 587}
        )
        self.assertEqual(self.env["ir.mail_server"].search([], limit=1), other)
