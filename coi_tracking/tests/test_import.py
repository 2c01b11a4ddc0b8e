# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import io
from datetime import date

import openpyxl

from odoo import Command
from odoo.tests import HttpCase, freeze_time, new_test_user, tagged
from odoo.tools import mute_logger

from ..engine.vocabulary import LineStatus, PolicyState, VendorStatus
from .common import CoiCase, count_evaluations

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADERS = [
    "Insured Vendor",
    "Vendor Email",
    "Vendor Tags",
    "Vendor Requirement Sets",
    "Insurance Contact Email",
    "Agent",
    "Coverage",
    "Insurer",
    "Insurer NAIC Code",
    "Policy Number",
    "Effective Date",
    "Expiration Date",
    "Limits/Limit",
    "Limits/Amount",
]
FIELDS = [
    "partner_id",
    "vendor_email",
    "vendor_category_ids",
    "vendor_requirement_set_ids",
    "vendor_insurance_contact_email",
    "agent_id",
    "coverage_type_id",
    "insurer_id",
    "insurer_naic_code",
    "name",
    "effective_date",
    "expiration_date",
    "limit_ids/limit_type_id",
    "limit_ids/amount",
]
# What the import screen sends with "create if it doesn't exist" ticked for
# the vendor, the agent, the insurer and the tags.
CREATE_MISSING = ("partner_id", "agent_id", "insurer_id", "vendor_category_ids")


def import_options(sheet=""):
    return {
        "import_skip_records": [],
        "import_set_empty_fields": [],
        "fallback_values": {},
        "name_create_enabled_fields": dict.fromkeys(CREATE_MISSING, True),
        "encoding": "",
        "separator": "",
        "quoting": '"',
        "date_format": "",
        "datetime_format": "",
        "float_thousand_separator": ",",
        "float_decimal_separator": ".",
        "advanced": True,
        "has_headers": True,
        "keep_matches": False,
        "limit": 2000,
        "sheets": [],
        "sheet": sheet,
        "skip": 0,
        "tracking_disable": True,
    }


def workbook(rows):
    """A real .xlsx file (bytes), the way a spreadsheet program saves it."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Policies"
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def run_import(env, content, fields=None, dryrun=False):
    wizard = env["base_import.import"].create(
        {"res_model": "coi.policy", "file": content, "file_type": XLSX, "file_name": "p.xlsx"}
    )
    options = import_options()
    preview = wizard.parse_preview(dict(options))
    if fields is None:
        # The columns as the import screen matched them from the headers.
        fields = ["/".join(preview["matches"].get(i, [])) or False for i in range(len(HEADERS))]
    result = wizard.with_context(tracking_disable=True).execute_import(
        fields, preview["headers"], options, dryrun=dryrun
    )
    return preview, result


class TestPolicyImport(CoiCase):
    """Vendors and their policies come in from a spreadsheet through Odoo's
    import: coverages and limits by name or code, missing vendors, agents,
    insurers and tags created, policies in force, compliance evaluated once."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.paving_tag = cls.env["res.partner.category"].create({"name": "Paving (test)"})
        cls.light = cls.env["coi.requirement.set"].create(
            {
                "name": "Light GL (test)",
                "category_ids": [Command.link(cls.paving_tag.id)],
                "line_ids": [
                    Command.create(
                        {
                            "coverage_type_id": cls.gl.id,
                            "limit_ids": [
                                Command.create(
                                    {"limit_type_id": cls.each_occurrence.id, "amount": 1_000_000}
                                )
                            ],
                        }
                    )
                ],
            }
        )
        cls.existing = cls.env["res.partner"].create(
            {"name": "Existing Fencing Co", "is_company": True, "supplier_rank": 1}
        )
        cls.importer = new_test_user(
            cls.env,
            login="coi_test_importer",
            groups="coi_tracking.coi_tracking_group_manager,base.group_partner_manager",
        )
        cls.env.cr.flush()

    def rows(self):
        return [
            # A new vendor: tagged, contact, agent and insurer new too.
            [
                "Granite Paving Inc",
                "office@granite.example",
                "Paving (test)",
                None,
                "certs@granite.example",
                "Quarry Brokers",
                "commercial general liability",
                "Granite Mutual",
                "55555",
                "GL-7001",
                date(2026, 1, 1),
                date(2027, 1, 1),
                "EACH_OCCURRENCE",
                1_000_000,
            ],
            [None] * 12 + ["General Aggregate", 2_000_000],
            # An existing vendor, matched by name; its set by name; limit too low.
            [
                "Existing Fencing Co",
                None,
                None,
                "Light GL (test)",
                None,
                None,
                "GL",
                "Test Mutual Insurance Co",
                None,
                "GL-7002",
                date(2026, 3, 1),
                date(2027, 3, 1),
                "Each Occurrence",
                500_000,
            ],
            # A policy that ended before today: expired, not in force.
            [
                "Old Asphalt LLC",
                None,
                "Paving (test)",
                None,
                None,
                None,
                "GL",
                "Granite Mutual",
                None,
                "GL-6001",
                date(2025, 1, 1),
                date(2026, 1, 1),
                "Each Occurrence",
                1_000_000,
            ],
        ]

    def test_vendors_policies_and_limits_come_in(self):
        env = self.env(user=self.importer)
        with count_evaluations() as (counts, _passes):
            preview, result = run_import(env, workbook(self.rows()))
            self.assertEqual(result["messages"], [])
            self.env.cr.flush()
        self.assertEqual(
            ["/".join(preview["matches"][i]) for i in range(len(HEADERS))],
            FIELDS,
            "every template header is matched to its field by the import screen",
        )
        Partner = self.env["res.partner"]
        granite = Partner.search([("name", "=", "Granite Paving Inc")])
        fencing = self.existing
        old = Partner.search([("name", "=", "Old Asphalt LLC")])
        self.assertEqual(len(granite), 1)
        self.assertRecordValues(
            granite,
            [
                {
                    "is_company": True,
                    "supplier_rank": 1,
                    "email": "office@granite.example",
                    "category_id": self.paving_tag.ids,
                }
            ],
        )
        self.assertEqual(granite.coi_insurance_contact_id.email, "certs@granite.example")
        self.assertEqual(granite.coi_insurance_contact_id.parent_id, granite)
        self.assertEqual(granite.coi_agent_id.name, "Quarry Brokers")
        self.assertTrue(granite.coi_agent_id.coi_is_agent)
        self.assertEqual(fencing.coi_requirement_set_ids, self.light)
        self.assertEqual(len(Partner.search([("name", "=", "Existing Fencing Co")])), 1)

        policies = self.env["coi.policy"].search(
            [("partner_id", "in", (granite | fencing | old).ids)]
        )
        by_number = {policy.name: policy for policy in policies}
        self.assertEqual(set(by_number), {"GL-7001", "GL-7002", "GL-6001"})
        gl = by_number["GL-7001"]
        self.assertRecordValues(
            gl,
            [
                {
                    "coverage_type_id": self.gl.id,
                    "state": PolicyState.ACTIVE,
                    "effective_date": date(2026, 1, 1),
                    "expiration_date": date(2027, 1, 1),
                    "agent_id": granite.coi_agent_id.id,
                }
            ],
        )
        self.assertEqual(
            {(limit.limit_type_id, limit.amount) for limit in gl.limit_ids},
            {(self.each_occurrence, 1_000_000), (self.aggregate, 2_000_000)},
        )
        self.assertEqual(gl.insurer_id.name, "Granite Mutual")
        self.assertTrue(gl.insurer_id.coi_is_insurer)
        self.assertEqual(gl.insurer_id.coi_naic_code, "55555")
        self.assertEqual(by_number["GL-7002"].insurer_id, self.insurer)
        self.assertEqual(by_number["GL-7002"].state, PolicyState.ACTIVE)
        self.assertEqual(by_number["GL-6001"].state, PolicyState.EXPIRED)

        self.assertEqual(granite.coi_status, VendorStatus.COMPLIANT)
        self.assertEqual(fencing.coi_status, VendorStatus.NON_COMPLIANT)
        self.assertEqual(fencing.coi_compliance_line_ids.status, LineStatus.INSUFFICIENT_LIMIT)
        self.assertEqual(old.coi_status, VendorStatus.NON_COMPLIANT)
        # Evaluated once each, after the import, however many rows touched them.
        self.assertEqual(counts, dict.fromkeys((granite | fencing | old).ids, 1))

    @mute_logger("odoo.sql_db")
    def test_a_bad_row_imports_nothing(self):
        rows = self.rows()
        rows[2][6] = "Flood insurance"
        before = self.env["coi.policy"].search_count([])
        partners_before = self.env["res.partner"].search_count([])
        _preview, result = run_import(self.env(user=self.importer), workbook(rows))
        errors = [m for m in result["messages"] if m["type"] == "error"]
        # First, the one that matters: which row, which column, which value.
        self.assertEqual(
            errors[0]["message"],
            "No matching record found for name 'Flood insurance' in field 'Coverage'",
        )
        self.assertEqual(errors[0]["rows"], {"from": 2, "to": 2})
        self.assertEqual(errors[0]["field"], "coverage_type_id")
        self.assertFalse(result["ids"])
        self.assertEqual(self.env["coi.policy"].search_count([]), before)
        self.assertEqual(self.env["res.partner"].search_count([]), partners_before)
        self.assertFalse(self.env["res.partner"].search([("name", "=", "Granite Paving Inc")]))

    @mute_logger("odoo.sql_db")
    def test_dates_the_wrong_way_round_are_refused(self):
        rows = self.rows()[2:3]
        rows[0][10], rows[0][11] = date(2027, 3, 1), date(2026, 3, 1)
        _preview, result = run_import(self.env(user=self.importer), workbook(rows))
        self.assertTrue(result["messages"])
        self.assertIn("must expire after it becomes effective", result["messages"][0]["message"])
        self.assertFalse(self.env["coi.policy"].search([("name", "=", "GL-7002")]))


@tagged("post_install", "-at_install")
class TestImportTemplate(HttpCase):
    """The template offered on the import screen downloads and imports as it is."""

    def test_template_downloads_and_imports(self):
        self.env.company.coi_default_requirement_set_id = False
        templates = self.env["coi.policy"].get_import_templates()
        self.assertEqual(len(templates), 1)
        response = self.url_open(templates[0]["template"])
        self.assertEqual(response.status_code, 200)
        content = response.content
        self.assertEqual(content[:2], b"PK")  # a zip: an .xlsx file
        manager = new_test_user(
            self.env,
            login="coi_template_importer",
            groups="coi_tracking.coi_tracking_group_manager,base.group_partner_manager",
        )
        with freeze_time("2026-09-01"):
            preview, result = run_import(self.env(user=manager), content)
        self.assertEqual(preview["headers"], HEADERS)
        self.assertEqual(result["messages"], [])
        Policy = self.env["coi.policy"]
        roofing = Policy.search([("partner_id.name", "=", "Example Roofing LLC")])
        cleaning = Policy.search([("partner_id.name", "=", "Example Cleaning Co")])
        self.assertEqual(sorted(roofing.mapped("name")), ["GL-1001", "WC-1002"])
        self.assertEqual(cleaning.mapped("name"), ["AU-2001"])
        gl = roofing.filtered(lambda p: p.name == "GL-1001")
        self.assertEqual(gl.coverage_type_id, self.env.ref("coi_tracking.coverage_gl"))
        self.assertEqual(
            sorted(gl.limit_ids.mapped("limit_type_id.code")),
            ["EACH_OCCURRENCE", "GENERAL_AGGREGATE"],
        )
        self.assertEqual(
            cleaning.limit_ids.limit_type_id,
            self.env.ref("coi_tracking.limit_combined_single_limit"),
        )
        self.assertEqual(set((roofing | cleaning).mapped("state")), {PolicyState.ACTIVE})
        self.assertEqual(gl.insurer_id.coi_naic_code, "12345")
        self.assertEqual(
            gl.partner_id.coi_insurance_contact_id.email, "certificates@roofing.example"
        )
