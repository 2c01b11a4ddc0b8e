# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import timedelta

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.runner import events, from_schema

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestApiFuzz(HttpCase):
    """Property-based requests generated from the served OpenAPI document
    (schemathesis) against the live test server: no answer is a 5xx."""

    def test_no_server_error_on_generated_requests(self):
        user = new_test_user(self.env, login="api_fuzz", groups="coi_tracking_api.group_coi_api")
        key = (
            self.env["res.users.apikeys"]
            .with_user(user)
            ._generate(None, "fuzz", fields.Datetime.now() + timedelta(days=1))
        )
        self.env["res.partner"].create(
            {"name": "Fuzz Vendor", "ref": "FUZZ-1", "is_company": True, "supplier_rank": 1}
        )
        schemathesis.experimental.OPEN_API_3_1.enable()  # our document is OpenAPI 3.1
        document = self.url_open("/api/coi/v1/openapi.json").json()
        schema = schemathesis.from_dict(document, base_url=f"{self.base_url()}/api/coi/v1")
        # The test server hosts several databases: the session cookie names ours.
        cookie = "; ".join(f"{name}={value}" for name, value in self.opener.cookies.items())
        runner = from_schema(
            schema,
            checks=[not_a_server_error],
            headers={"Authorization": f"Bearer {key}", "Cookie": cookie},
            hypothesis_settings=settings(
                max_examples=12, deadline=None, suppress_health_check=list(HealthCheck)
            ),
            request_timeout=20000,
        )
        failures, finished, operations = [], None, 0
        for event in runner.execute():
            if isinstance(event, events.AfterExecution):
                operations += 1
                if event.status != schemathesis.models.Status.success:
                    errors = [str(error.exception)[:300] for error in event.result.errors]
                    checks = [c.message for c in event.result.checks if c.value.name != "success"]
                    failures.append(
                        (event.result.verbose_name, event.status.name, errors, checks[:3])
                    )
            elif isinstance(event, events.Finished):
                finished = event
        self.assertEqual(operations, 8)  # every documented operation was exercised
        self.assertFalse(failures, failures)
        self.assertFalse(finished.has_failures or finished.has_errors)
