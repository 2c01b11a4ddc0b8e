# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import date, timedelta

from odoo import Command, fields
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestApiVendors(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        gl = cls.env.ref("coi_tracking.coverage_gl")
        cls.req_set = cls.env["coi.requirement.set"].create(
            {"name": "API set", "line_ids": [Command.create({"coverage_type_id": gl.id})]}
        )
        cls.user = new_test_user(
            cls.env, login="api_reader", groups="coi_tracking_api.group_coi_api"
        )
        cls.key = (
            cls.env["res.users.apikeys"]
            .with_user(cls.user)
            ._generate(None, "test", fields.Datetime.now() + timedelta(days=1))
        )
        Partner = cls.env["res.partner"]
        cls.ok = Partner.create(
            {
                "name": "API OK Co",
                "ref": "V-OK",
                "is_company": True,
                "coi_requirement_set_ids": [Command.link(cls.req_set.id)],
            }
        )
        cls.bad = Partner.create(
            {
                "name": "API Bad Co",
                "ref": "V-BAD",
                "is_company": True,
                "coi_requirement_set_ids": [Command.link(cls.req_set.id)],
            }
        )
        today = fields.Date.today()
        cls.env["coi.policy"].create(
            {
                "name": "GL-API-1",
                "partner_id": cls.ok.id,
                "coverage_type_id": gl.id,
                "effective_date": today - timedelta(days=10),
                "expiration_date": today + timedelta(days=100),
                "state": "active",
            }
        )
        for index in range(5):
            Partner.create(
                {
                    "name": f"Page Vendor {index}",
                    "ref": f"P-{index}",
                    "is_company": True,
                    "supplier_rank": 1,
                }
            )

    def get(self, path, key=None):
        headers = {"Authorization": f"Bearer {key or self.key}"}
        return self.url_open(f"/api/coi/v1{path}", headers=headers)

    def test_vendor_detail(self):
        body = self.get("/vendors/V-BAD").json()
        self.assertEqual(body["status"], "non_compliant")
        self.assertEqual(body["deficiencies"][0]["code"], "missing")
        self.assertIn("No Commercial General Liability policy", body["deficiencies"][0]["sentence"])
        ok = self.get("/vendors/V-OK").json()
        self.assertEqual(ok["status"], "compliant")
        self.assertEqual(ok["policies"][0]["number"], "GL-API-1")
        self.assertEqual(ok["requirement_sets"], ["API set"])

    def test_vendor_timeliness(self):
        today = self.env.company._coi_today()
        for kind, days, stage in (("request", 4, "first"), ("chase", 1, "c3")):
            self.env["coi.notice"].create(
                {
                    "key": f"{kind}:api-test:{self.bad.id}:{stage}",
                    "kind": kind,
                    "stage": stage,
                    "partner_id": self.bad.id,
                    "date": today - timedelta(days=days),
                    "state": "sent",
                }
            )
        self.env["res.partner"]._cron_refresh_compliance()
        bad = self.get("/vendors/V-BAD").json()["timeliness"]
        self.assertEqual(
            bad,
            {
                # Waiting 4 days: 50 x 26/27 + 35 (no renewal due) + 15 x 2/3.
                "score": 93,
                "requested_on": (today - timedelta(days=4)).isoformat(),
                "compliant_since": None,
                "days_to_compliant": None,
                "renewals_due": 0,
                "renewals_on_time": 0,
                "on_time_renewal_rate": None,
                "open_chase_steps": 1,
            },
        )
        listed = {v["ref"]: v for v in self.get("/vendors?ref=V-").json()["items"]}
        self.assertEqual(listed["V-OK"]["timeliness"]["score"], 100)
        self.assertEqual(listed["V-OK"]["timeliness"]["days_to_compliant"], 0)
        self.assertEqual(listed["V-BAD"]["timeliness"], bad)
        document = self.url_open("/api/coi/v1/openapi.json").json()
        summary = document["paths"]["/vendors"]["get"]["responses"]["200"]["content"][
            "application/json"
        ]["schema"]["properties"]["items"]["items"]
        self.assertIn("timeliness", summary["required"])
        self.assertIn("score", summary["properties"]["timeliness"]["properties"])

    def test_can_work_today_and_on_a_date(self):
        yes = self.get("/vendors/V-OK/can-work").json()
        self.assertEqual((yes["can_work"], yes["reasons"]), (True, []))
        no = self.get("/vendors/V-BAD/can-work").json()
        self.assertFalse(no["can_work"])
        self.assertTrue(no["reasons"])
        later = (date.today() + timedelta(days=200)).isoformat()
        expired = self.get(f"/vendors/V-OK/can-work?date={later}").json()
        self.assertFalse(expired["can_work"])
        self.assertIn("expired", expired["reasons"][0])

    def test_can_work_answers_for_today_in_the_companys_timezone(self):
        # Kiritimati (UTC+14) and Honolulu (UTC-10) are always a day apart.
        days = []
        for tz in ("Pacific/Kiritimati", "Pacific/Honolulu"):
            self.env.company.coi_tz = tz
            self.env.flush_all()
            answer = self.get("/vendors/V-OK/can-work").json()
            self.assertEqual(answer["date"], self.env.company._coi_today().isoformat())
            days.append(date.fromisoformat(answer["date"]))
        self.assertEqual(days[0] - days[1], timedelta(days=1))

    def test_errors_are_problem_documents(self):
        missing = self.get("/vendors/NOPE")
        self.assertEqual(missing.status_code, 404)
        self.assertEqual(missing.headers["Content-Type"], "application/problem+json")
        bad_date = self.get("/vendors/V-OK/can-work?date=31-12-2026")
        self.assertEqual(bad_date.status_code, 400)
        self.assertIn("date", bad_date.json()["detail"])
        self.assertEqual(self.get("/vendors?status=happy").status_code, 400)
        self.assertEqual(self.get("/vendors?limit=500").status_code, 400)

    def test_pagination_across_pages(self):
        seen, cursor, pages = [], None, 0
        while True:
            query = f"/vendors?limit=3{f'&cursor={cursor}' if cursor else ''}"
            page = self.get(query).json()
            pages += 1
            self.assertLessEqual(len(page["items"]), 3)
            seen += [(item["ref"], item["name"]) for item in page["items"]]
            cursor = page["next_cursor"]
            if cursor is None:
                break
        self.assertGreater(pages, 2)
        self.assertEqual(len(seen), len(set(seen)))  # no vendor twice across pages
        refs = {ref for ref, _name in seen}
        self.assertLessEqual({"V-OK", "V-BAD", "P-0", "P-4"}, refs)
        filtered = self.get("/vendors?status=non_compliant").json()["items"]
        self.assertIn("V-BAD", [item["ref"] for item in filtered])
        self.assertNotIn("V-OK", [item["ref"] for item in filtered])

    def test_auth_group_revoked_and_other_company(self):
        self.assertEqual(self.url_open("/api/coi/v1/vendors").status_code, 401)
        outsider = new_test_user(self.env, login="api_outsider", groups="base.group_user")
        outsider_key = (
            self.env["res.users.apikeys"]
            .with_user(outsider)
            ._generate(None, "t", fields.Datetime.now() + timedelta(days=1))
        )
        self.assertEqual(self.get("/vendors", key=outsider_key).status_code, 403)
        revoked = (
            self.env["res.users.apikeys"]
            .with_user(self.user)
            ._generate(None, "revoked", fields.Datetime.now() + timedelta(days=1))
        )
        self.env["res.users.apikeys"].search([("name", "=", "revoked")]).sudo()._remove()
        self.assertEqual(self.get("/vendors", key=revoked).status_code, 401)
        other_company = self.env["res.company"].create({"name": "API Other Co"})
        self.env["res.partner"].create(
            {
                "name": "Elsewhere",
                "ref": "V-ELSE",
                "is_company": True,
                "supplier_rank": 1,
                "company_id": other_company.id,
            }
        )
        self.assertEqual(self.get("/vendors/V-ELSE").status_code, 404)

    def test_revoked_key_and_archived_user_stop_at_once(self):
        key = (
            self.env["res.users.apikeys"]
            .with_user(self.user)
            ._generate(None, "cached", fields.Datetime.now() + timedelta(days=1))
        )
        self.assertEqual(self.get("/vendors/V-OK", key=key).status_code, 200)
        # A verified key is remembered per worker; its row is read every time.
        self.assertEqual(self.get("/vendors/V-OK", key=key).status_code, 200)
        wrong = key[:-1] + ("1" if key[-1] == "0" else "0")
        self.assertEqual(self.get("/vendors/V-OK", key=wrong).status_code, 401)
        apikey = self.env["res.users.apikeys"].search([("name", "=", "cached")])
        self.env.cr.execute(
            "UPDATE res_users_apikeys SET expiration_date = now() - interval '1 minute'"
            " WHERE id = %s",
            [apikey.id],
        )
        self.assertEqual(self.get("/vendors/V-OK", key=key).status_code, 401)
        self.env.cr.execute(
            "UPDATE res_users_apikeys SET expiration_date = now() + interval '1 day'"
            " WHERE id = %s",
            [apikey.id],
        )
        self.assertEqual(self.get("/vendors/V-OK", key=key).status_code, 200)
        apikey.sudo()._remove()
        self.assertEqual(self.get("/vendors/V-OK", key=key).status_code, 401)
        self.user.active = False
        self.assertEqual(self.get("/vendors/V-OK").status_code, 401)

    def test_requirement_sets_and_openapi(self):
        sets = self.get("/requirement-sets").json()["items"]
        self.assertIn("API set", [s["name"] for s in sets])
        document = self.url_open("/api/coi/v1/openapi.json").json()
        self.assertEqual(document["openapi"], "3.1.0")
        self.assertIn("/vendors/{ref}/can-work", document["paths"])
