# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The access matrix, over real HTTP: every route of the three addons and
every method of their models reachable through /json/2 and call_kw, for two
companies' users and managers, two portal contractors, an agent, anonymous
visitors and API keys of users with and without the COI API group.

Company A's data carries SECRET in its names; no answer to a caller outside
company A (nor to anonymous) may contain it, and nothing of company A changes
whatever they call."""

import base64
import json
from datetime import date, timedelta

from odoo import Command, fields
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import Opener
from odoo.tools import mute_logger

SECRET = "SECRET-ALPHA"
FORGED_TOKEN = "f" * 43
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
COI_USER = "coi_tracking.coi_tracking_group_user"
COI_MANAGER = "coi_tracking.coi_tracking_group_manager"
API_GROUP = "coi_tracking_api.group_coi_api"

# Callers: (login, groups, company "a" or "b", portal vendor or None). The
# password of a test user is its login.
SESSION_ROLES = {
    "user_a": ("matrix_user_a", COI_USER, "a"),
    "manager_a": ("matrix_manager_a", COI_MANAGER, "a"),
    "user_b": ("matrix_user_b", COI_USER, "b"),
    "manager_b": ("matrix_manager_b", COI_MANAGER, "b"),
    "contractor_a": ("matrix_contractor_a", "base.group_portal", "a"),
    "contractor_b": ("matrix_contractor_b", "base.group_portal", "b"),
    "agent_a": ("matrix_agent_a", "base.group_portal", "a"),
}
KEY_ROLES = {
    "api_a": ("matrix_api_a", API_GROUP, "a"),
    "api_b": ("matrix_api_b", API_GROUP, "b"),
    # A COI user of company A whose key was made for something else.
    "api_nogroup": ("matrix_api_nogroup", COI_USER, "a"),
}
ROLES = ["anonymous", *SESSION_ROLES, *KEY_ROLES]
# Who may see company A's data at all (the others must never get SECRET).
SIDE_A = {"user_a", "manager_a", "contractor_a", "agent_a", "api_a", "api_nogroup"}
DENIED = (400, 401, 403, 404, 405, 415, 422)


@tagged("post_install", "-at_install")
class TestAccessMatrix(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        env = cls.env
        cls.with_api = "coi.webhook" in env
        cls.company_a = env.company
        cls.company_b = env["res.company"].create({"name": "Beta Co (matrix)"})
        companies = {"a": cls.company_a, "b": cls.company_b}
        gl = env.ref("coi_tracking.coverage_gl")
        occurrence = env.ref("coi_tracking.limit_each_occurrence")
        Partner = env["res.partner"]
        cls.agency = Partner.create(
            {"name": "Matrix Agency", "is_company": True, "coi_is_agent": True}
        )
        cls.vendors, cls.sets, cls.policies = {}, {}, {}
        for side, label in (("a", f"Alpha {SECRET}"), ("b", "Beta")):
            company = companies[side]
            req_set = env["coi.requirement.set"].create(
                {
                    "name": f"Set {label}",
                    "company_id": company.id,
                    "line_ids": [
                        Command.create(
                            {
                                "coverage_type_id": gl.id,
                                "limit_ids": [
                                    Command.create(
                                        {"limit_type_id": occurrence.id, "amount": 2_000_000}
                                    )
                                ],
                            }
                        )
                    ],
                }
            )
            vendor = Partner.create(
                {
                    "name": f"Roofing {label}",
                    "ref": f"MATRIX-{side.upper()}",
                    "email": f"roofing-{side}@example.com",
                    "is_company": True,
                    "supplier_rank": 1,
                    "company_id": company.id,
                    "coi_agent_id": cls.agency.id if side == "a" else False,
                    "coi_requirement_set_ids": [Command.link(req_set.id)],
                }
            )
            today = fields.Date.today()
            policy = env["coi.policy"].create(
                {
                    "name": f"POL-{label}",
                    "partner_id": vendor.id,
                    "company_id": company.id,
                    "coverage_type_id": gl.id,
                    "agent_id": cls.agency.id if side == "a" else False,
                    "effective_date": today - timedelta(days=30),
                    "expiration_date": today + timedelta(days=300),
                    "state": "active",
                    "limit_ids": [
                        Command.create({"limit_type_id": occurrence.id, "amount": 1_000_000})
                    ],
                }
            )
            cls.vendors[side], cls.sets[side], cls.policies[side] = vendor, req_set, policy
        vendor_a, policy_a = cls.vendors["a"], cls.policies["a"]

        cls.logins, cls.keys = {}, {}
        for role, (login, groups, side) in {**SESSION_ROLES, **KEY_ROLES}.items():
            if role in KEY_ROLES and not cls.with_api:
                continue
            user = new_test_user(
                env,
                login=login,
                groups=groups,
                company_id=companies[side].id,
                company_ids=[Command.set(companies[side].ids)],
            )
            cls.logins[role] = login
            if role.startswith("contractor"):
                user.partner_id.parent_id = cls.vendors[side]
            elif role == "agent_a":
                user.partner_id.parent_id = cls.agency
            elif role in KEY_ROLES:
                cls.keys[role] = (
                    env["res.users.apikeys"]
                    .with_user(user)
                    ._generate(None, "matrix", fields.Datetime.now() + timedelta(days=1))
                )

        certificate = env["coi.certificate"].create(
            {
                "partner_id": vendor_a.id,
                "company_id": cls.company_a.id,
                "source": "api",
                "note": f"Certificate {SECRET}",
            }
        )
        document = env["ir.attachment"].create(
            {
                "name": f"{SECRET}.pdf",
                "raw": PDF + SECRET.encode(),
                "res_model": "coi.certificate",
                "res_id": certificate.id,
            }
        )
        certificate.write(
            {"attachment_ids": [Command.link(document.id)], "document_id": document.id}
        )
        endorsement = env["coi.certificate.endorsement"].create(
            {
                "certificate_id": certificate.id,
                "form": "CG 20 10",
                "kind": "ai_ongoing",
                "scheduled_names": f"Scheduled {SECRET}",
                "policy_id": policy_a.id,
            }
        )
        declaration = env["coi.certificate.declaration"].create(
            {
                "certificate_id": certificate.id,
                "policy_number": policy_a.name,
                "policy_id": policy_a.id,
                "match": "confirmed",
                "note": f"Declarations {SECRET}",
            }
        )
        value = env["coi.certificate.value"].create(
            {
                "certificate_id": certificate.id,
                "key": "insured.name",
                "name": "Insured",
                "value": f"Insured {SECRET}",
                "confidence": 0.75,
            }
        )
        cls.notice = env["coi.notice"].create(
            {
                "key": f"verification:{policy_a.id}:0:matrix",
                "kind": "verification",
                "stage": "matrix",
                "partner_id": vendor_a.id,
                "policy_id": policy_a.id,
                "state": "sent",
                "access_token": "matrix" + "t" * 40,
            }
        )
        cls.link = vendor_a._coi_upload_request()
        log = env["coi.upload.log"].create({"request_id": cls.link.id, "remote_addr": "192.0.2.7"})
        wizard = (
            env["coi.certificate.reject"]
            .with_user(env.ref("base.user_admin"))
            .create({"certificate_ids": [Command.set(certificate.ids)], "reason": SECRET})
        )
        notice_wizard = (
            env["coi.certificate.cancellation"]
            .with_user(env.ref("base.user_admin"))
            .create(
                {
                    "certificate_id": certificate.id,
                    "line_ids": [Command.create({"policy_id": policy_a.id, "selected": True})],
                }
            )
        )
        # A deviation on a coverage A's set does not require: A's checklist stays as it is.
        deviation = env["coi.deviation"].create(
            {
                "partner_id": vendor_a.id,
                "company_id": cls.company_a.id,
                "coverage_type_id": env.ref("coi_tracking.coverage_auto").id,
                "accepted_terms": f"Auto {SECRET}",
                "reason": SECRET,
                "end_date": fields.Date.today() + timedelta(days=60),
            }
        )
        coverage = (
            env["coi.coverage.date"]
            .with_user(env.ref("base.user_admin"))
            .create({"partner_id": vendor_a.id, "company_id": cls.company_a.id})
        )
        order = env["purchase.order"].create(
            {"partner_id": vendor_a.id, "company_id": cls.company_a.id}
        )
        request_batch = env["coi.request.batch"].create(
            {"company_id": cls.company_a.id, "partner_ids": [Command.set(vendor_a.ids)]}
        )
        seller = env["product.supplierinfo"].create(
            {
                "partner_id": vendor_a.id,
                "company_id": cls.company_a.id,
                "product_tmpl_id": env["product.template"].create({"name": "Matrix item"}).id,
            }
        )
        env.cr.flush()  # the vendors are evaluated: compliance lines
        env["coi.compliance.snapshot"]._take_snapshot(date.today())
        cls.a_records = {
            "res.company": cls.company_a,
            "res.partner": vendor_a,
            "purchase.order": order,
            "product.supplierinfo": seller,
            "coi.requirement.set": cls.sets["a"],
            "coi.requirement.line": cls.sets["a"].line_ids,
            "coi.requirement.limit": cls.sets["a"].line_ids.limit_ids,
            "coi.requirement.explanation": cls.sets["a"].explanation_ids,
            "coi.policy": policy_a,
            "coi.policy.limit": policy_a.limit_ids,
            "coi.certificate": certificate,
            "coi.certificate.endorsement": endorsement,
            "coi.certificate.declaration": declaration,
            "coi.certificate.value": value,
            "coi.compliance.line": vendor_a.coi_compliance_line_ids,
            "coi.notice": cls.notice,
            "coi.compliance.snapshot": env["coi.compliance.snapshot"].search(
                [("company_id", "=", cls.company_a.id)]
            ),
            "coi.compliance.report": env["coi.compliance.report"].search(
                [("partner_id", "=", vendor_a.id)]
            ),
            "coi.vendor.risk": env["coi.vendor.risk"].search([("partner_id", "=", vendor_a.id)]),
            "coi.compliance.dashboard": env["coi.compliance.dashboard"].browse(cls.company_a.id),
            "coi.certificate.reject": wizard,
            "coi.certificate.cancellation": notice_wizard,
            "coi.certificate.cancellation.line": notice_wizard.line_ids,
            "coi.deviation": deviation,
            "coi.coverage.date": coverage,
            "coi.request.batch": request_batch,
            "coi.upload.request": cls.link,
            "coi.upload.log": log,
            "coi.report.subscription": env["coi.report.subscription"].create(
                {
                    "name": f"Report {SECRET}",
                    "company_id": cls.company_a.id,
                    "recipient_ids": [Command.link(vendor_a.id)],
                }
            ),
        }
        if cls.with_api:
            hook = env["coi.webhook"].create(
                {
                    "name": f"Hook {SECRET}",
                    "url": "https://alpha.example.com/hook",
                    "company_id": cls.company_a.id,
                }
            )
            cls.a_records["coi.webhook"] = hook
            cls.a_records["coi.webhook.delivery"] = env["coi.webhook.delivery"].create(
                {"webhook_id": hook.id, "event": "vendor.status_changed", "payload": {"n": SECRET}}
            )
        env.cr.flush()

    # ---- callers ------------------------------------------------------------

    def setUp(self):
        super().setUp()
        self.openers = {}
        if self.with_api:
            # An API request of company A (its answer kept for replays).
            ref = self.vendors["a"].ref
            response = self.request(
                "api_a", "PUT", f"/api/coi/v1/vendors/{ref}", json={"name": self.vendors["a"].name}
            )
            self.assertLess(response.status_code, 500)
            self.a_records["coi.api.request"] = self.env["coi.api.request"].search(
                [("user_id.login", "=", KEY_ROLES["api_a"][0])]
            )
            self.assertTrue(self.a_records["coi.api.request"])

    def use(self, role):
        """Switch to the role's HTTP client (its session cookie, if any)."""
        if role not in self.openers:
            self.session = None  # keep the other roles' sessions open
            if role in SESSION_ROLES:
                self.authenticate(self.logins[role], self.logins[role])
            else:
                self.opener = Opener(self)
            self.openers[role] = self.opener
        self.opener = self.openers[role]

    def request(self, role, method, path, **kwargs):
        self.use(role)
        headers = dict(kwargs.pop("headers", None) or {})
        if role in self.keys:
            headers["Authorization"] = f"Bearer {self.keys[role]}"
        return self.url_open(path, method=method, headers=headers, allow_redirects=False, **kwargs)

    def json2(self, role, model, method, /, ids=None, **kwargs):
        if ids:
            kwargs["ids"] = ids
        return self.request(role, "POST", f"/json/2/{model}/{method}", json=kwargs)

    def call_kw(self, role, model, method, args, kwargs=None):
        """(error name or None, response) of the web client's RPC."""
        response = self.request(
            role,
            "POST",
            f"/web/dataset/call_kw/{model}/{method}",
            json={
                "jsonrpc": "2.0",
                "method": "call",
                "params": {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
            },
        )
        body = response.json() if response.status_code == 200 else {}
        error = body.get("error")
        return (error["data"]["name"] if error else None), response

    def assert_no_secret(self, role, response, what):
        if role not in SIDE_A:
            self.assertNotIn(SECRET, response.text, f"{role} {what}")

    def snapshot(self):
        """What must not change of company A, whoever calls what."""
        self.env.invalidate_all()
        state = {}
        for model, records in self.a_records.items():
            if records._auto and "write_date" in records._fields:
                state[model] = sorted(records.sudo().exists().mapped("write_date"))
        state["names"] = (
            self.vendors["a"].name,
            self.policies["a"].state,
            self.link.revoked,
            self.notice.answer,
            self.env["coi.certificate"].search_count([("partner_id", "=", self.vendors["a"].id)]),
        )
        return state

    # ---- routes ---------------------------------------------------------------

    def our_routes(self):
        """(rule, method, auth) of every route of the three addons."""
        routes = []
        for rule in self.env["ir.http"].routing_map().iter_rules():
            endpoint = rule.endpoint
            if not endpoint.__module__.startswith("odoo.addons.coi_tracking"):
                continue
            methods = sorted((rule.methods or {"GET", "POST"}) - {"OPTIONS", "HEAD"})
            routes += [(rule, method, endpoint.routing["auth"]) for method in methods]
        self.assertTrue(routes)
        return routes

    def path_for(self, rule, token=FORGED_TOKEN):
        """The rule's path for company A's records (tokens forged)."""
        values = {
            "token": token,
            "answer": "in_force",
            "vendor_id": self.vendors["a"].id,
            "ref": self.vendors["a"].ref,
            "certificate_id": self.a_records["coi.certificate"].id,
        }
        unknown = set(rule.arguments) - set(values)
        self.assertFalse(unknown, f"{rule.rule}: give the matrix a value for {unknown}")
        _domain, path = rule.build({name: values[name] for name in rule.arguments})
        return path

    def body_for(self, path, method):
        if method not in ("POST", "PUT", "PATCH"):
            return {}
        if path.endswith("/certificates"):
            return {
                "json": {
                    "filename": "taken.pdf",
                    "content_base64": base64.b64encode(PDF).decode(),
                }
            }
        if path.startswith("/api/"):
            return {"json": {"name": "Taken by B"}}
        return {"data": {"kind": "certificate"}}

    def test_every_route_keeps_company_a_s_data_to_company_a(self):
        before = self.snapshot()
        for rule, method, auth in self.our_routes():
            path = self.path_for(rule)
            for role in ROLES:
                if role in KEY_ROLES and not self.with_api:
                    continue
                if role == "api_a" and method != "GET":
                    continue  # company A's own writes: the API's tests
                response = self.request(role, method, path, **self.body_for(path, method))
                what = f"{method} {path}"
                self.assertLess(response.status_code, 500, f"{role} {what}")
                self.assert_no_secret(role, response, what)
                if auth == "bearer" and role not in self.keys:
                    self.assertEqual(response.status_code, 401, f"{role} {what}")
                elif auth == "bearer" and role == "api_nogroup":
                    self.assertEqual(response.status_code, 403, f"{role} {what}")
                elif auth == "user" and role == "anonymous":
                    self.assertIn(response.status_code, (303, 401), what)
                    if response.status_code == 303:
                        self.assertIn("/web/login", response.headers["Location"], what)
                elif auth == "public" and "token" in rule.arguments:
                    # A forged token opens nothing, for anyone.
                    self.assertIn(response.status_code, DENIED, f"{role} {what}")
        self.assertEqual(self.snapshot(), before)

    def test_company_a_reaches_its_own_pages(self):
        vendor_a = self.vendors["a"]
        portal = ("contractor_a", "agent_a")
        allowed = [
            ("/my/insurance", portal, SECRET),
            (f"/my/insurance/{vendor_a.id}", portal, SECRET),
        ]
        if self.with_api:
            base = "/api/coi/v1"
            certificate = self.a_records["coi.certificate"]
            allowed += [
                (f"{base}/vendors", ["api_a"], SECRET),
                (f"{base}/vendors/{vendor_a.ref}", ["api_a"], SECRET),
                (f"{base}/requirement-sets", ["api_a"], SECRET),
                (f"{base}/policies", ["api_a"], SECRET),
                (f"{base}/certificates/{certificate.id}", ["api_a"], certificate.name),
            ]
        for path, roles, shown in allowed:
            for role in roles:
                response = self.request(role, "GET", path)
                self.assertEqual(response.status_code, 200, f"{role} {path}")
                self.assertIn(shown, response.text, f"{role} {path}")
        # The vendor's own page is not another contractor's or an employee's.
        for role in ("contractor_b", "user_a", "user_b"):
            response = self.request(role, "GET", f"/my/insurance/{vendor_a.id}")
            self.assertEqual(response.status_code, 404, role)

    def test_tokens_are_the_only_key_to_public_pages(self):
        """The upload link and the agent's answer link open for whoever holds
        the token (that is their point); a forged one opens nothing."""
        pages = [
            f"/coi/upload/{self.link.access_token}",
            f"/coi/verify/{self.notice.sudo().access_token}/in_force",
        ]
        for role in ("anonymous", "contractor_b", "user_b"):
            for page in pages:
                self.assertEqual(self.request(role, "GET", page).status_code, 200, page)
                forged = page.replace(page.split("/")[3], FORGED_TOKEN)
                self.assertIn(self.request(role, "GET", forged).status_code, (403, 404), forged)

    # ---- model methods --------------------------------------------------------

    def our_models(self):
        """The models of the three addons (defined or inherited)."""
        return sorted(
            m.model
            for m in self.env["ir.model"].search([])
            if any(n.startswith("coi_tracking") for n in m.modules.split(", "))
        )

    def our_methods(self, model):
        """Names of the methods the three addons define on `model`."""
        names = set()
        for cls in type(self.env[model]).mro():
            if cls.__module__.startswith("odoo.addons.coi_tracking"):
                names.update(
                    name
                    for name, value in vars(cls).items()
                    if not name.startswith("__")
                    and (callable(value) or isinstance(value, classmethod | staticmethod))
                )
        return names

    def test_the_matrix_holds_a_record_of_every_walled_model(self):
        """Each model of the addons behind a multi-company rule has company
        A's record here, so that every method is tried on it."""
        walled = {
            rule.model_id.model
            for rule in self.env["ir.rule"].search([("domain_force", "ilike", "company_ids")])
        }
        missing = [
            model
            for model in self.our_models()
            if model in walled and not self.a_records.get(model)
        ]
        self.assertEqual(missing, [])

    def test_private_helpers_are_unreachable(self):
        count = 0
        for model in self.our_models():
            for name in sorted(n for n in self.our_methods(model) if n.startswith("_")):
                count += 1
                role = "api_a" if self.with_api else None
                if role:
                    response = self.json2(role, model, name)
                    self.assertEqual(response.status_code, 403, f"/json/2 {model}.{name}")
                error, _response = self.call_kw("manager_a", model, name, [[]])
                self.assertEqual(error, "odoo.exceptions.AccessError", f"call_kw {model}.{name}")
        self.assertGreater(count, 50)

    def method_calls(self, model):
        """(method, ids, kwargs) to try on company A's records of `model`:
        the methods the addons define and the ORM's own doors."""
        records = self.a_records.get(model) or self.env[model]
        Model = self.env[model]
        names = {n for n in self.our_methods(model) if not n.startswith("_")}
        names.add("search_read")
        if records:
            names |= {"read", "write", "copy", "unlink", "create"}
            if hasattr(Model, "message_post"):
                names.add("message_post")
        # Company A's record again, as the caller would create it.
        vals = records[:1].copy_data()[0] if records and Model._auto else {}
        vals = json.loads(json.dumps(vals, default=str))  # dates as Odoo writes them
        text = next(
            (
                name
                for name, field in Model._fields.items()
                if field.type in ("char", "text")
                and field.store
                and not field.readonly
                and not field.related
                and name not in ("access_token",)
            ),
            None,
        )
        kwargs = {
            "write": {"vals": {text: "Taken by B"} if text else {}},
            "create": {"vals_list": [vals]},
            "search_read": {"domain": [], "limit": 1000},
            "read": {"fields": []},
            "message_post": {"body": "Taken by B"},
            "message_new": {
                "msg_dict": {"email_from": self.vendors["a"].email, "subject": "Taken by B"}
            },
            "check": {"model": model},
        }
        for name in sorted(names):
            func = getattr(type(Model), name, None)
            ids = [] if getattr(func, "_api_model", False) else records.ids
            if model == "coi.certificate" and name == "action_reject":
                kwargs[name] = {"reason": "Taken by B"}
            yield name, ids, kwargs.get(name, {}), getattr(func, "_api_model", False)

    def test_public_methods_respect_rights_and_walls(self):
        before = self.snapshot()
        calls = 0
        # A unique index may refuse a copy before the rules do: no log noise.
        muted = mute_logger("odoo.sql_db")
        muted.__enter__()
        self.addCleanup(muted.__exit__, None, None, None)
        for model in self.our_models():
            if self.env[model]._abstract:
                continue  # no records; the models inheriting it are tried
            theirs = set(self.a_records[model].ids) if model in self.a_records else set()
            for name, ids, kwargs, model_method in self.method_calls(model):
                calls += 1
                what = f"{model}.{name}"
                if self.with_api:
                    response = self.json2("api_b", model, name, ids, **kwargs)
                    self.assertLess(response.status_code, 500, f"/json/2 {what}")
                    self.assert_no_secret("api_b", response, f"/json/2 {what}")
                    if response.status_code == 200 and name == "search_read":
                        self.assertFalse(set(_ids(response.json())) & theirs, what)
                    if model.startswith("coi."):
                        # Whatever it is, no COI data for this key.
                        response = self.json2("api_nogroup", model, name, ids, **kwargs)
                        self.assertTrue(
                            response.status_code == 403 or SECRET not in response.text,
                            f"nogroup {what}",
                        )
                for role in ("manager_b", "contractor_b"):
                    args = [] if model_method else [ids]
                    error, response = self.call_kw(role, model, name, args, kwargs)
                    self.assertLess(response.status_code, 500, f"{role} call_kw {what}")
                    self.assertTrue(
                        error is None or error.startswith("odoo.exceptions."),
                        f"{role} call_kw {what}: {error}",
                    )
                    self.assert_no_secret(role, response, f"call_kw {what}")
                    if error is None and name == "search_read":
                        self.assertFalse(set(_ids(response.json()["result"])) & theirs, what)
        self.assertGreater(calls, 50)
        self.assertEqual(self.snapshot(), before)

    def test_api_keys_need_the_api_group_for_coi_models(self):
        """Reproduction: a key of a COI user outside the API group read the
        COI models through /json/2 (the group gated /api/coi/v1 only)."""
        if not self.with_api:
            self.skipTest("coi_tracking_api is not installed")
        response = self.json2("api_nogroup", "coi.policy", "search_read", domain=[])
        self.assertEqual(response.status_code, 403)
        self.assertNotIn(SECRET, response.text)
        # The same key still reaches the rest of Odoo with the user's rights.
        response = self.json2(
            "api_nogroup",
            "res.partner",
            "search_read",
            domain=[("id", "=", self.vendors["a"].id)],
            fields=["name", "email", "coi_status"],
        )
        self.assertEqual(response.status_code, 200, response.text[:300])
        # A user of the group reaches them, within its company.
        response = self.json2("api_a", "coi.policy", "search_read", domain=[], fields=["name"])
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.policies["a"].name, response.text)
        self.assertNotIn(self.policies["b"].name, response.text)
        # Odoo's external RPC (deprecated) with the key is gated the same way.
        uid = self.env["res.users"].search([("login", "=", KEY_ROLES["api_nogroup"][0])]).id
        with self.assertRaises(Exception) as caught:
            self.xmlrpc_object.execute_kw(
                self.env.cr.dbname,
                uid,
                self.keys["api_nogroup"],
                "coi.policy",
                "search_read",
                [[]],
                {"fields": ["name"]},
            )
        self.assertIn("API", str(caught.exception))
        # The web client (a session) is not an API key: the user works as usual.
        error, response = self.call_kw(
            "user_a", "coi.policy", "search_read", [], {"fields": ["name"]}
        )
        self.assertIsNone(error)


def _ids(result):
    return [row["id"] for row in result if isinstance(row, dict) and "id" in row]
