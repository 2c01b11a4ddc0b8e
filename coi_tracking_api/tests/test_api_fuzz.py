# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import Command
from odoo.tests import tagged

from . import fuzzing
from .common import ApiCase


@tagged("post_install", "-at_install")
class TestApiFuzz(ApiCase):
    """Property-based requests generated from the served OpenAPI document
    (schemathesis, every check, positive and negative data, links followed)
    against the live test server: no 5xx, no answer the document does not
    describe. A short run of bench/api_fuzz.py (setup/fuzz-api.sh), which
    makes 100 examples per operation."""

    EXAMPLES = 8

    def test_generated_requests_keep_the_contract(self):
        _user, key = self._api_user("api_fuzz")
        gl = self.env.ref("coi_tracking.coverage_gl")
        req_set = self.env["coi.requirement.set"].create(
            {"name": "Fuzz set", "line_ids": [Command.create({"coverage_type_id": gl.id})]}
        )
        self.env["res.partner"].create(
            {
                "name": "Fuzz Vendor",
                "ref": "FUZZ-1",
                "is_company": True,
                "supplier_rank": 1,
                "coi_requirement_set_ids": [Command.link(req_set.id)],
            }
        )
        document = self.url_open("/api/coi/v1/openapi.json").json()
        with self.allow_requests():
            report = fuzzing.run(
                document,
                f"{self.base_url()}/api/coi/v1",
                {"Authorization": f"Bearer {key}", "Cookie": self.cookie_header()},
                self.EXAMPLES,
                seed=14,
            )
        self.assertEqual(report.operations, 10)  # every documented operation was exercised
        self.assertGreater(report.link_tests, 0)  # a created vendor's links were followed
        self.assertFalse(report.errors, report.errors)
        self.assertFalse(report.failures, report.failures)
        self.assertEqual(report.summary(), "0 server errors, 0 schema violations")
