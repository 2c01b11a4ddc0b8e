# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import re
from datetime import date, timedelta

from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestOneVerificationEmail(HttpCase):
    """An agent with several policies of one vendor gets one email; each
    policy's links answer for that policy only."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.agency = cls.env["res.partner"].create(
            {"name": "Four Policies Agency", "is_company": True, "email": "four@agency.example"}
        )
        cls.vendor = cls.env["res.partner"].create(
            {"name": "Four Policies Builders", "is_company": True, "coi_agent_id": cls.agency.id}
        )
        cls.today = cls.env.company._coi_today()
        # In force since 30 days: the agent is asked today.
        start = cls.today - timedelta(days=30)
        cls.policies = cls.env["coi.policy"].create(
            [
                {
                    "name": f"FOUR-{code}",
                    "partner_id": cls.vendor.id,
                    "coverage_type_id": cls.env.ref(f"coi_tracking.coverage_{code}").id,
                    "effective_date": start,
                    "expiration_date": start + timedelta(days=365),
                    "state": "active",
                }
                for code in ("gl", "auto", "umbrella", "wc_el")
            ]
        )

    def agency_mails(self):
        return self.env["mail.mail"].search([("recipient_ids", "in", self.agency.ids)])

    def answer(self, url, answer):
        path = url.replace(self.env["coi.notice"].get_base_url(), "")
        page = self.url_open(path)
        self.assertEqual(page.status_code, 200)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        return self.url_open(path, data={"csrf_token": csrf})

    def test_four_policies_one_email_four_answers(self):
        Notice = self.env["coi.notice"]
        Notice._cron_send_notices(self.today)
        mails = self.agency_mails()
        self.assertEqual(len(mails), 1)
        notices = Notice.search([("partner_id", "=", self.vendor.id)], order="id")
        self.assertEqual(notices.policy_id, self.policies)
        body = mails.body_html
        links = {}
        for notice in notices:
            self.assertIn(notice.policy_id.name, body)
            urls = notice._answer_urls()
            self.assertIn(urls["in_force"], body)
            self.assertIn(urls["changed"], body)
            links[notice.policy_id.name] = urls
        # The chatter every user reads lists the four policies, no link.
        chatter = str(notices.message_id.body)
        self.assertTrue(all(name in chatter for name in links))
        self.assertFalse([n for n in notices if n.sudo().access_token in chatter])
        # Each link answers for its own policy.
        done = self.answer(links["FOUR-auto"]["changed"], "changed")
        self.assertIn("your answer was recorded", done.text)
        # The page offers the policies of the same email still unanswered.
        for name in ("FOUR-gl", "FOUR-umbrella", "FOUR-wc_el"):
            self.assertIn(name, done.text)
        self.assertIn(links["FOUR-gl"]["in_force"].replace(Notice.get_base_url(), ""), done.text)
        self.answer(links["FOUR-wc_el"]["in_force"], "in_force")
        self.assertEqual(
            {p.name: p.verification_state for p in self.policies},
            {
                "FOUR-gl": False,
                "FOUR-auto": "changed",
                "FOUR-umbrella": False,
                "FOUR-wc_el": "in_force",
            },
        )
        # The job runs again: nothing is sent twice.
        Notice._cron_send_notices(self.today)
        Notice._cron_send_notices(self.today + timedelta(days=1))
        self.assertEqual(self.agency_mails(), mails)


@tagged("post_install", "-at_install")
class TestSupersededOffThePortal(HttpCase):
    def test_the_portal_lists_the_current_policy_only(self):
        auto = self.env.ref("coi_tracking.coverage_auto")
        csl = self.env.ref("coi_tracking.limit_combined_single_limit")
        req_set = self.env["coi.requirement.set"].create(
            {"name": "Auto set", "line_ids": [Command.create({"coverage_type_id": auto.id})]}
        )
        vendor = self.env["res.partner"].create(
            {
                "name": "Better Auto Hauling",
                "is_company": True,
                "coi_requirement_set_ids": [Command.link(req_set.id)],
            }
        )
        contractor = new_test_user(self.env, login="better_auto", groups="base.group_portal")
        contractor.partner_id.parent_id = vendor

        def policy(number, amount, state):
            return self.env["coi.policy"].create(
                {
                    "name": number,
                    "partner_id": vendor.id,
                    "coverage_type_id": auto.id,
                    "effective_date": date(2026, 1, 1),
                    "expiration_date": date(2099, 1, 1),
                    "state": state,
                    "limit_ids": [Command.create({"limit_type_id": csl.id, "amount": amount})],
                }
            )

        policy("AUTO-HALF-MILLION", 500_000, "active")
        better = policy("AUTO-ONE-MILLION", 1_000_000, "draft")
        better.action_activate()
        self.env.cr.flush()
        self.authenticate("better_auto", "better_auto")
        page = self.url_open(f"/my/insurance/{vendor.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("AUTO-ONE-MILLION", page.text)
        self.assertNotIn("AUTO-HALF-MILLION", page.text)
