# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import io
import json
import zipfile

from markupsafe import escape

from odoo import http
from odoo.tests import HttpCase, new_test_user, tagged

from .reporting_common import ReportingCase


@tagged("post_install", "-at_install")
class TestExports(ReportingCase, HttpCase):
    """The downloads go through Odoo's own export to XLSX (COI managers may
    export; other users when an administrator allows it)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.coi_manager = new_test_user(
            cls.env, login="coi_report_manager", groups="coi_tracking.coi_tracking_group_manager"
        )

    def export_xlsx(self, model, field_names, domain):
        Model = self.env[model]
        response = self.url_open(
            "/web/export/xlsx",
            data={
                "data": json.dumps(
                    {
                        "model": model,
                        "fields": [
                            {
                                "name": name,
                                "label": Model._fields[name].string,
                                "type": Model._fields[name].type,
                            }
                            for name in field_names
                        ],
                        "ids": False,
                        "domain": domain,
                        "groupby": [],
                        "import_compat": False,
                    }
                ),
                "csrf_token": http.Request.csrf_token(self),
            },
        )
        self.assertEqual(response.status_code, 200, response.text[:500])
        with zipfile.ZipFile(io.BytesIO(response.content)) as book:
            return book.read("xl/sharedStrings.xml").decode()

    def test_non_compliant_list_and_vendor_detail(self):
        self.authenticate(self.coi_manager.login, self.coi_manager.login)
        strings = self.export_xlsx(
            "coi.vendor.risk",
            ["partner_id", "status", "spend_12m", "next_expiry"],
            [("status", "=", "non_compliant"), ("partner_id", "in", self.vendors.ids)],
        )
        for vendor in self.v_missing | self.v_expired | self.v_cancelled:
            self.assertIn(vendor.name, strings)
        self.assertNotIn(self.v_ok.name, strings)
        detail = self.export_xlsx(
            "coi.compliance.report",
            ["partner_id", "coverage_type_id", "status", "deficiency"],
            [("partner_id", "=", self.v_missing.id)],
        )
        self.assertIn("Workers", detail)
        self.assertIn(str(escape(self.v_missing.coi_compliance_line_ids[0].deficiency)), detail)

    def test_expiring_and_expired_policies(self):
        self.authenticate(self.coi_manager.login, self.coi_manager.login)
        strings = self.export_xlsx(
            "coi.compliance.report",
            ["partner_id", "policy_id", "expiration_date", "status"],
            [("status", "in", ("expiring", "expired")), ("partner_id", "in", self.vendors.ids)],
        )
        self.assertIn(self.v_expiring.name, strings)
        self.assertIn(self.v_expired.name, strings)
        self.assertNotIn(self.v_ok.name, strings)
