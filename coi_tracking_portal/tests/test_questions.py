# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import re
from email.message import EmailMessage
from html import unescape

from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.coi_tracking.engine.questions import MAX_QUESTION_CHARS


def csrf_of(html):
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


class QuestionCase(HttpCase):
    """Two vendors of the company, one of another company, each with an
    insurance contact who got an upload link; a portal user of the first."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        gl = cls.env.ref("coi_tracking.coverage_gl")
        cls.team = new_test_user(
            cls.env, login="coi_team", groups="coi_tracking.coi_tracking_group_user"
        )
        cls.env.company.coi_team_user_id = cls.team
        # The demo company's default set would add its own items to the page.
        cls.env.company.coi_default_requirement_set_id = False
        cls.req_set = cls.env["coi.requirement.set"].create(
            {
                "name": "Questions set",
                "line_ids": [
                    Command.create(
                        {
                            "coverage_type_id": gl.id,
                            "additional_insured": True,
                            "waiver_of_subrogation": True,
                        }
                    )
                ],
            }
        )
        cls.vendor_a, cls.contact_a, cls.link_a = cls.make_vendor("Alpha Roofing", "a")
        cls.vendor_b, cls.contact_b, cls.link_b = cls.make_vendor("Bravo Towing", "b")
        cls.company_2 = cls.env["res.company"].create({"name": "Second Holder Inc"})
        cls.team_2 = new_test_user(
            cls.env,
            login="coi_team_2",
            groups="coi_tracking.coi_tracking_group_user",
            company_id=cls.company_2.id,
            company_ids=[Command.set(cls.company_2.ids)],
        )
        cls.company_2.coi_team_user_id = cls.team_2
        cls.vendor_c, cls.contact_c, cls.link_c = cls.make_vendor(
            "Charlie Paving", "c", company=cls.company_2
        )
        cls.portal_a = new_test_user(cls.env, login="portal_alpha", groups="base.group_portal")
        cls.portal_a.partner_id.write({"parent_id": cls.vendor_a.id, "email": "pa@alpha.example"})
        cls.env.cr.flush()

    @classmethod
    def make_vendor(cls, name, key, company=None):
        vendor = cls.env["res.partner"].create(
            {
                "name": name,
                "is_company": True,
                "supplier_rank": 1,
                "company_id": company.id if company else False,
                "coi_requirement_set_ids": [Command.link(cls.req_set.id)],
            }
        )
        contact = cls.env["res.partner"].create(
            {
                "name": f"{name} office",
                "parent_id": vendor.id,
                "email": f"office@{key}.example",
                "company_id": company.id if company else False,
            }
        )
        vendor.coi_insurance_contact_id = contact
        return vendor, contact, vendor._coi_upload_request(contact)

    def ask(self, link, question, **extra):
        page = self.url_open(link.access_url)
        self.assertEqual(page.status_code, 200)
        data = {"csrf_token": csrf_of(page.text), "question": question, **extra}
        return self.url_open(f"{link.access_url}/question", data=data)

    def questions_on(self, vendor):
        return vendor.message_ids.filtered(lambda m: m.subject and "Question from" in m.subject)

    def question_activities(self, vendor):
        kind = self.env.ref("coi_tracking_portal.mail_activity_type_coi_question")
        return vendor.activity_ids.filtered(lambda a: a.activity_type_id == kind)


@tagged("post_install", "-at_install")
class TestQuestions(QuestionCase):
    def test_the_upload_page_offers_to_ask_a_question(self):
        page = self.url_open(self.link_a.access_url)
        self.assertIn("Ask a question", page.text)
        self.assertIn(f'action="{self.link_a.access_url}/question"', page.text)
        self.assertIn(f'maxlength="{MAX_QUESTION_CHARS}"', page.text)

    def test_a_question_lands_on_the_vendor_with_an_activity_for_the_team(self):
        answer = self.ask(self.link_a, "Does the umbrella have to list you too?\nThanks, Ann")
        self.assertEqual(answer.status_code, 200)
        self.assertIn("Your question was sent", answer.text)
        question = self.questions_on(self.vendor_a)
        self.assertEqual(len(question), 1)
        self.assertEqual(question.author_id, self.contact_a)
        self.assertIn("Does the umbrella have to list you too?", str(question.body))
        self.assertIn("Thanks, Ann", str(question.body))
        self.assertIn(self.contact_a, self.vendor_a.message_partner_ids)
        activity = self.question_activities(self.vendor_a)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.team)
        self.assertEqual(activity.summary, "Answer the question of Alpha Roofing office")
        self.assertIn("umbrella", str(activity.note))
        self.assertFalse(self.questions_on(self.vendor_b))

    def test_a_sent_question_redirects_and_a_reload_sends_nothing_again(self):
        """Post/Redirect/Get: the question's post answers 303 to the page,
        which says it was sent; reloading that page (what a contractor
        does) posts no second question."""
        page = self.url_open(self.link_a.access_url)
        answer = self.url_open(
            f"{self.link_a.access_url}/question",
            data={"csrf_token": csrf_of(page.text), "question": "Is the umbrella needed?"},
            allow_redirects=False,
        )
        self.assertEqual(answer.status_code, 303)
        self.assertTrue(answer.headers["Location"].endswith("?asked=1"))
        for _reload in range(2):
            shown = self.url_open(answer.headers["Location"])
            self.assertEqual(shown.status_code, 200)
            self.assertIn("Your question was sent", shown.text)
        self.assertEqual(len(self.questions_on(self.vendor_a)), 1)
        self.assertNotIn("Your question was sent", self.url_open(self.link_a.access_url).text)

    def test_a_token_posts_on_its_own_vendor_only(self):
        self.ask(
            self.link_a,
            "Which vendor am I?",
            vendor_id=str(self.vendor_b.id),
            partner_id=str(self.vendor_b.id),
            res_id=str(self.vendor_b.id),
        )
        self.assertEqual(len(self.questions_on(self.vendor_a)), 1)
        self.assertFalse(self.questions_on(self.vendor_b))
        self.assertFalse(self.question_activities(self.vendor_b))
        self.assertNotIn(self.contact_a, self.vendor_b.message_partner_ids)
        # A made-up token reaches nobody.
        page = self.url_open(self.link_a.access_url)
        wrong = self.url_open(
            "/coi/upload/" + "x" * 43 + "/question",
            data={"csrf_token": csrf_of(page.text), "question": "Hello?"},
        )
        self.assertEqual(wrong.status_code, 404)

    def test_a_question_of_another_company_goes_to_its_team(self):
        self.ask(self.link_c, "Who do I ask?")
        activity = self.question_activities(self.vendor_c)
        self.assertEqual(activity.user_id, self.team_2)
        self.assertFalse(self.question_activities(self.vendor_a))
        # The second company's team user reads the question; the first's cannot.
        question = self.questions_on(self.vendor_c)
        self.assertTrue(question.with_user(self.team_2).body)
        Message = self.env["mail.message"]
        self.assertFalse(Message.with_user(self.team).search([("id", "=", question.id)]))
        seen = Message.with_user(self.team_2).search([("id", "=", question.id)])
        self.assertEqual(seen, question)

    def test_refused_questions_say_why_and_post_nothing(self):
        for question, words in (
            ("   ", "Please type your question"),
            ("What is\x00this?", "NUL byte"),
            ("a" * (MAX_QUESTION_CHARS + 1), f"longer than {MAX_QUESTION_CHARS} characters"),
        ):
            answer = self.ask(self.link_a, question)
            self.assertEqual(answer.status_code, 400, words)
            self.assertIn(words, unescape(answer.text))
            self.assertNotIn("Your question was sent", answer.text)
            self.assertNotIn("\x00", answer.text)
        # The refused text is offered again to correct, the NUL byte removed.
        answer = self.ask(self.link_a, "What is\x00 this?")
        self.assertIn(">What is this?</textarea>", answer.text)
        self.assertFalse(self.questions_on(self.vendor_a))
        self.assertFalse(self.question_activities(self.vendor_a))

    def test_the_form_needs_its_csrf_token(self):
        answer = self.url_open(f"{self.link_a.access_url}/question", data={"question": "Hi?"})
        self.assertEqual(answer.status_code, 400)
        self.assertFalse(self.questions_on(self.vendor_a))

    def test_questions_count_against_the_link_s_hourly_limit(self):
        self.env["coi.upload.log"].create(
            [{"request_id": self.link_a.id, "remote_addr": "10.0.0.9"} for _i in range(30)]
        )
        answer = self.ask(self.link_a, "One more question")
        self.assertEqual(answer.status_code, 429)
        self.assertIn("Too many questions and uploads", answer.text)
        self.assertFalse(self.questions_on(self.vendor_a))

    def test_a_portal_user_asks_from_my_insurance(self):
        self.authenticate("portal_alpha", "portal_alpha")
        page = self.url_open(f"/my/insurance/{self.vendor_a.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Ask a question", page.text)
        answer = self.url_open(
            f"/my/insurance/{self.vendor_a.id}/question",
            data={"csrf_token": csrf_of(page.text), "question": "Is our GL enough?"},
        )
        self.assertEqual(answer.status_code, 200)
        self.assertIn("Your question was sent", answer.text)
        question = self.questions_on(self.vendor_a)
        self.assertEqual(question.author_id, self.portal_a.partner_id)
        self.assertIn(self.portal_a.partner_id, self.vendor_a.message_partner_ids)
        self.assertEqual(self.question_activities(self.vendor_a).user_id, self.team)
        # Another vendor's page does not exist for this user: nothing lands there.
        other = self.url_open(
            f"/my/insurance/{self.vendor_b.id}/question",
            data={"csrf_token": csrf_of(page.text), "question": "And theirs?"},
        )
        self.assertEqual(other.status_code, 404)
        self.assertFalse(self.questions_on(self.vendor_b))

    def test_explanations_are_shown_next_to_the_item(self):
        self.req_set.explanation_ids.filtered(
            lambda e: e.term == "waiver_of_subrogation"
        ).text = "Your insurer cannot come after us for money it paid."
        page = unescape(self.url_open(self.link_a.access_url).text)
        item = re.search(r'<li class="mb-1 o_coi_requirement">(.*?)</li>', page, re.S).group(1)
        self.assertIn("Commercial General Liability", item)
        self.assertIn("Waiver of Subrogation", item)
        self.assertIn("Your insurer cannot come after us for money it paid.", item)
        self.assertIn("Additional Insured", item)
        # Terms the item does not ask for are not explained.
        self.assertNotIn("Per Statute", item)
        self.authenticate("portal_alpha", "portal_alpha")
        portal = unescape(self.url_open(f"/my/insurance/{self.vendor_a.id}").text)
        self.assertIn("Your insurer cannot come after us for money it paid.", portal)


@tagged("post_install", "-at_install")
class TestVerificationReply(QuestionCase):
    """The agent replies to a verification email (the one with its private
    answer links): the reply lands in the vendor's chatter."""

    def test_a_reply_to_a_verification_lands_in_the_vendor_chatter(self):
        alias_domain = self.env["mail.alias.domain"].create({"name": "holder.example"})
        self.env.company.alias_domain_id = alias_domain
        agency = self.env["res.partner"].create(
            {
                "name": "Broker Verify",
                "is_company": True,
                "coi_is_agent": True,
                "email": "verify@broker.example",
            }
        )
        policy = self.env["coi.policy"].create(
            {
                "name": "GL-VERIFY-1",
                "partner_id": self.vendor_a.id,
                "agent_id": agency.id,
                "coverage_type_id": self.env.ref("coi_tracking.coverage_gl").id,
                "effective_date": "2026-01-01",
                "expiration_date": "2099-01-01",
                "state": "active",
            }
        )
        candidate = {"kind": "verification", "vendor": self.vendor_a, "policy": policy}
        notice = self.env["coi.notice"]._queue([dict(candidate, stage="proof30")])
        mail = self.env["mail.mail"].search([("recipient_ids", "in", agency.ids)])
        self.assertEqual(len(mail), 1)
        self.assertIn(notice._answer_urls()["in_force"], mail.body_html)
        self.assertIn("catchall@holder.example", mail.reply_to)
        # The chatter shows the question without the agent's links.
        self.assertNotIn(notice._answer_urls()["in_force"], str(notice.message_id.body))
        reply = EmailMessage()
        reply["From"] = "Broker Verify <verify@broker.example>"
        reply["To"] = mail.reply_to
        reply["Subject"] = f"Re: {mail.subject}"
        reply["Message-Id"] = "<verify-reply@broker.example>"
        reply["In-Reply-To"] = mail.message_id
        reply["References"] = mail.message_id
        reply.set_content("Still in force, renewal due in January.")
        thread = self.env["mail.thread"].message_process(False, reply.as_string())
        self.assertEqual(thread, self.vendor_a.id)
        landed = self.vendor_a.message_ids.filtered(lambda m: m.message_type == "email")
        self.assertEqual(len(landed), 1)
        self.assertEqual(landed.author_id, agency)
        self.assertIn("Still in force, renewal due in January.", str(landed.body))
        # Every COI user of the company reads the reply in the vendor's chatter.
        self.assertTrue(landed.with_user(self.team).body)


@tagged("post_install", "-at_install")
class TestQuestionTour(QuestionCase):
    def test_a_contractor_asks_a_question_on_the_upload_page(self):
        self.start_tour(self.link_a.access_url, "coi_question_tour")
        question = self.questions_on(self.vendor_a)
        self.assertEqual(len(question), 1)
        self.assertIn("What does primary and non-contributory mean?", str(question.body))
        self.assertEqual(question.author_id, self.contact_a)
        activity = self.question_activities(self.vendor_a)
        self.assertEqual(activity.user_id, self.team)
        self.assertEqual(activity.summary, "Answer the question of Alpha Roofing office")
