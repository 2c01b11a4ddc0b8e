# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import base64
import json

from odoo.tests import tagged

from odoo.addons.coi_tracking_api.controllers.spec import CERTIFICATE_BODY_MAX, JSON_BODY_MAX

from .common import PROBLEM, ApiCase


@tagged("post_install", "-at_install")
class TestApiContract(ApiCase):
    """The API answers what its OpenAPI document says, and nothing else:
    every parameter and body checked against the document, problem documents
    for every error (also those Odoo gives before a route runs), the
    Idempotency-Key bound to its request, the insurance agent readable and
    writable (issue 14, "The API keeps its contract")."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user, cls.key = cls._api_user("api_contract")
        cls.vendor = cls.env["res.partner"].create(
            {"name": "Contract Co", "ref": "K-1", "is_company": True, "supplier_rank": 1}
        )

    def test_nul_characters_are_refused_everywhere(self):
        for method, path in (("PUT", "/vendors/K-1"), ("POST", "/vendors/K-1/certificates")):
            status, headers, body = self.raw(
                method,
                path,
                {
                    "Authorization": f"Bearer {self.key}",
                    "Idempotency-Key": "\x00",
                    "Content-Type": "application/json",
                    "Content-Length": "2",
                },
                b"{}",
            )
            self.assertEqual(status, 400, body)
            self.assertEqual(headers["Content-Type"], PROBLEM)
            self.assertIn("Idempotency-Key contains a NUL character", json.loads(body)["detail"])
        for path in ("/vendors/%00", "/vendors/%00/can-work", "/vendors?ref=%00"):
            self.assertProblem(self.call("GET", path), 400, "NUL character")
        self.assertProblem(
            self.call("PUT", "/vendors/K-1", {"name": "Nul\x00Co"}), 400, "body.name contains a NUL"
        )
        self.assertProblem(
            self.call("PUT", "/vendors/K-1", {"name": "x", "\x00": 1}), 400, "a field name"
        )
        self.assertEqual(self.vendor.name, "Contract Co")

    def test_bodies_are_validated_against_the_document(self):
        cases = (
            ({"name": "x", "requirement_sets": [{}]}, "body.requirement_sets[0] must be string"),
            ({"name": "x", "exemption": "yes"}, "body.exemption must be object or null"),
            ({"name": {"a": 1}}, "body.name must be string"),
            ({"email": ["a@b.example"]}, "body.email must be string or null"),
            ({"colour": "red"}, "unknown field(s) 'colour'"),
            ({"email": "not an address"}, "must be an email address"),
            ({"insurance_contact": {"name": "No email"}}, "'email' is required"),
            ([{"name": "x"}], "body must be object"),
        )
        for body, detail in cases:
            self.assertProblem(self.call("PUT", "/vendors/K-2", body), 400, detail)
        self.assertProblem(
            self.call("POST", "/vendors/K-1/certificates", {"content_base64": 12}),
            400,
            "body.content_base64 must be string",
        )
        not_json = self.call(
            "PUT", "/vendors/K-2", data="{name", headers={"Content-Type": "application/json"}
        )
        self.assertProblem(not_json, 400, "not valid JSON")
        as_text = self.call(
            "PUT", "/vendors/K-2", data="{}", headers={"Content-Type": "text/plain"}
        )
        self.assertProblem(as_text, 415, "application/json")
        self.assertFalse(self.env["res.partner"].search([("ref", "=", "K-2")]))
        self.assertProblem(self.call("GET", "/vendors?colour=red"), 400, "colour")
        self.assertProblem(self.call("GET", "/vendors?self=1"), 400, "self")
        self.assertProblem(self.call("GET", "/vendors?limit=1&limit=2"), 400, "more than once")

    def test_bodies_are_capped(self):
        big = {"name": "x", "street": "y" * JSON_BODY_MAX}
        self.assertProblem(self.call("PUT", "/vendors/K-3", big), 413, "larger than")
        status, headers, body = self.raw(
            "POST",
            "/vendors/K-1/certificates",
            {
                "Authorization": f"Bearer {self.key}",
                "Content-Type": "application/json",
                "Content-Length": str(CERTIFICATE_BODY_MAX + 1),
            },
        )
        self.assertEqual((status, headers["Content-Type"]), (413, PROBLEM), body)
        status, headers, body = self.raw(
            "PUT",
            "/vendors/K-3",
            {
                "Authorization": f"Bearer {self.key}",
                "Content-Type": "application/json",
                "Transfer-Encoding": "chunked",
            },
            b"2\r\n{}\r\n0\r\n\r\n",
        )
        self.assertEqual((status, headers["Content-Type"]), (411, PROBLEM), body)
        self.assertFalse(self.env["res.partner"].search([("ref", "=", "K-3")]))

    def test_idempotency_key_is_bound_to_method_path_and_body(self):
        key = {"Idempotency-Key": "order-7"}
        first = self.call("PUT", "/vendors/IDEM-A", {"name": "Idem A"}, headers=key)
        self.assertEqual(first.status_code, 201)
        again = self.call("PUT", "/vendors/IDEM-A", {"name": "Idem A"}, headers=key)
        self.assertEqual((again.status_code, again.json()), (201, first.json()))
        self.assertEqual(again.headers["Idempotent-Replayed"], "true")
        other_vendor = self.call("PUT", "/vendors/IDEM-B", {"name": "Idem B"}, headers=key)
        self.assertProblem(other_vendor, 422, "used for another request")
        self.assertFalse(self.env["res.partner"].search([("ref", "=", "IDEM-B")]))
        other_body = self.call("PUT", "/vendors/IDEM-A", {"name": "Renamed"}, headers=key)
        self.assertProblem(other_body, 422, "used for another request")
        pdf = {"content_base64": base64.b64encode(b"%PDF-1.4 not a certificate").decode()}
        other_method = self.call("POST", "/vendors/IDEM-A/certificates", pdf, headers=key)
        self.assertProblem(other_method, 422, "used for another request")
        self.assertEqual(self.env["res.partner"].search([("ref", "=", "IDEM-A")]).name, "Idem A")
        # A request refused is not remembered: the key still serves a good one.
        refused = {"Idempotency-Key": "order-8"}
        self.assertEqual(
            self.call("PUT", "/vendors/IDEM-C", {"phone": "1"}, headers=refused).status_code, 422
        )
        created = self.call("PUT", "/vendors/IDEM-C", {"name": "Idem C"}, headers=refused)
        self.assertEqual(created.status_code, 201)

    def test_errors_before_a_route_are_problem_documents(self):
        for key in ("", "not-a-real-key"):
            response = self.url_open(
                "/api/coi/v1/vendors", headers={"Authorization": f"Bearer {key}"} if key else {}
            )
            self.assertProblem(response, 401)
            self.assertIn("Bearer", response.headers["WWW-Authenticate"])
        self.assertProblem(self.call("GET", "/certificates/false"), 404)
        self.assertProblem(self.call("GET", "/nowhere"), 404)
        deleted = self.call("DELETE", "/vendors/K-1")
        self.assertProblem(deleted, 405)
        self.assertIn("PUT", deleted.headers["Allow"])

    def test_ref_false_is_null_and_dates_follow_the_document(self):
        self.env["res.partner"].create(
            {"name": "No Ref Supplier", "is_company": True, "supplier_rank": 1}
        )
        items = self.call("GET", "/vendors?limit=100").json()["items"]
        unnamed = [item for item in items if item["name"] == "No Ref Supplier"]
        self.assertEqual(unnamed[0]["ref"], None)
        self.assertRegex(unnamed[0]["updated_at"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
        answer = self.call("GET", "/vendors/K-1/can-work?date=0372-01-01").json()
        self.assertEqual(answer["date"], "0372-01-01")

    def test_every_answer_is_declared(self):
        answers = (
            ("get_vendor", self.call("GET", "/vendors/K-1")),
            ("get_vendor", self.call("GET", "/vendors/NOPE")),
            ("upsert_vendor", self.call("PUT", "/vendors/DECL-1", {"name": "Declared"})),
            ("upsert_vendor", self.call("PUT", "/vendors/DECL-1", {"city": "Reno"})),
            ("upsert_vendor", self.call("PUT", "/vendors/DECL-2", {"city": "Reno"})),
            ("upsert_vendor", self.call("PUT", "/vendors/DECL-2", {"x": 1})),
            (
                "submit_certificate",
                self.call("POST", "/vendors/NOPE/certificates", {"content_base64": "AAAA"}),
            ),
            ("list_vendors", self.call("GET", "/vendors?limit=0")),
            ("get_certificate", self.call("GET", "/certificates/2147483648")),
        )
        self.assertEqual(
            [response.status_code for _op, response in answers],
            [200, 404, 201, 200, 422, 400, 404, 400, 400],
        )
        for operation, response in answers:
            self.assertDeclared(operation, response.status_code)

    def test_insurance_agent_is_set_and_read(self):
        agent = {"name": "Harbor Brokers", "email": "coi@harbor.example"}
        created = self.call(
            "PUT",
            "/vendors/AGENT-1",
            {
                "name": "Agent Co",
                "insurance_agent": agent,
                "insurance_contact": {"name": "Desk", "email": "desk@agentco.example"},
            },
        )
        self.assertEqual(created.status_code, 201)
        self.assertEqual(created.json()["insurance_agent"], agent)
        self.assertEqual(
            created.json()["insurance_contact"], {"name": "Desk", "email": "desk@agentco.example"}
        )
        vendor = self.env["res.partner"].search([("ref", "=", "AGENT-1")])
        self.assertTrue(vendor.coi_agent_id.coi_is_agent)
        self.assertEqual(vendor.coi_agent_id.email, "coi@harbor.example")
        # A second vendor with the same agent (by email) shares the agency.
        self.call(
            "PUT",
            "/vendors/AGENT-2",
            {"name": "Other Co", "insurance_agent": {"email": agent["email"]}},
        )
        other = self.env["res.partner"].search([("ref", "=", "AGENT-2")])
        self.assertEqual(other.coi_agent_id, vendor.coi_agent_id)
        self.assertEqual(self.call("GET", "/vendors/AGENT-2").json()["insurance_agent"], agent)
        cleared = self.call("PUT", "/vendors/AGENT-1", {"insurance_agent": None})
        self.assertIsNone(cleared.json()["insurance_agent"])
        self.assertFalse(vendor.coi_agent_id)
        document = self.url_open("/api/coi/v1/openapi.json").json()
        upsert = document["paths"]["/vendors/{ref}"]["put"]
        body = upsert["requestBody"]["content"]["application/json"]["schema"]
        self.assertIn("insurance_agent", body["properties"])
        detail = upsert["responses"]["200"]["content"]["application/json"]["schema"]
        self.assertIn("insurance_agent", detail["required"])

    def test_unknown_references_are_unprocessable(self):
        for body, detail in (
            ({"name": "x", "requirement_sets": ["Nope"]}, "Unknown requirement sets: Nope"),
            ({"name": "x", "country": "QQ"}, "Unknown country code QQ"),
            ({"name": "x", "state": "ZZ"}, "Unknown state ZZ in US"),
            ({"city": "Nowhere"}, "name is required"),
        ):
            self.assertProblem(self.call("PUT", "/vendors/UNK-1", body), 422, detail)
        self.assertFalse(self.env["res.partner"].search([("ref", "=", "UNK-1")]))
