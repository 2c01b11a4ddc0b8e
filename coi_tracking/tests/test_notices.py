# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import io
from datetime import date
from unittest.mock import patch

import pdfplumber

from odoo.tests import freeze_time, tagged

from ..engine.extract import extract
from ..models import coi_notice
from .common import CoiCase


@tagged("post_install", "-at_install")
class TestNotices(CoiCase):
    """A policy's whole life: reminders on each cadence day and only then,
    expiry, receipts, revisions, rejections; every notice exactly once."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.agency = cls.env["res.partner"].create(
            {
                "name": "Test Agency",
                "is_company": True,
                "coi_is_agent": True,
                "email": "certs@agency.example",
            }
        )
        cls.contact = cls.env["res.partner"].create(
            {"name": "Roofing Office", "parent_id": cls.vendor.id, "email": "office@roof.example"}
        )
        cls.vendor.write(
            {
                "coi_insurance_contact_id": cls.contact.id,
                "coi_agent_id": cls.agency.id,
                "buyer_id": cls.coi_manager.id,
            }
        )
        # The WC policy lasts; GL expires on 2026-07-15.
        cls.gl_policy.write(
            {"expiration_date": date(2026, 7, 15), "effective_date": date(2025, 7, 15)}
        )

    def run_on(self, day):
        with freeze_time(day):
            self.env["res.partner"]._cron_refresh_compliance()
            return self.env["coi.notice"]._cron_send_notices() or self.notices()

    def notices(self, kind=None):
        domain = [("partner_id", "=", self.vendor.id)]
        if kind:
            domain.append(("kind", "=", kind))
        else:  # verifications with the agent have their own tests
            domain.append(("kind", "!=", "verification"))
        return self.env["coi.notice"].search(domain, order="id")

    def mails_of(self, notice):
        return self.env["mail.mail"].search([("mail_message_id", "=", notice.message_id.id)])

    def test_renewal_cadence_each_day_and_only_then(self):
        self.run_on("2026-06-14")  # 31 days before: nothing yet
        self.assertFalse(self.notices())
        self.run_on("2026-06-15")
        first = self.notices("renewal")
        self.assertEqual(first.mapped("stage"), ["d30"])
        self.assertEqual(first.recipient_ids, self.contact | self.agency)
        mails = self.mails_of(first)
        self.assertEqual(mails.recipient_ids, self.contact | self.agency)
        body = str(first.message_id.body)
        self.assertIn("GL-100", body)
        self.assertIn("expires on", body)
        self.assertIn("Commercial General Liability", body)  # the requirements
        self.assertIn(self.env.company.name, body)  # certificate holder block
        self.assertIn("GL-100", first.message_id.subject)
        example = first.message_id.attachment_ids
        self.assertEqual(example.mapped("name"), ["example-certificate.pdf"])
        with pdfplumber.open(io.BytesIO(example.raw)) as pdf:
            text = pdf.pages[0].extract_text()
        self.assertIn("EXAMPLE", text)
        self.assertIn("Each Occurrence", text)
        self.assertIn(self.env.company.name, text)
        self.assertEqual(first.message_id.model, "res.partner")  # in the vendor's chatter
        self.assertEqual(first.message_id.res_id, self.vendor.id)
        # Same day again: nothing new.
        self.run_on("2026-06-15")
        self.assertEqual(len(self.notices()), 1)
        self.run_on("2026-06-20")
        self.assertEqual(len(self.notices()), 1)
        self.run_on("2026-07-01")  # 14 days
        self.assertEqual(self.notices("renewal").mapped("stage"), ["d30", "d14"])
        # The 7-day run is missed (server down); the 5-day run catches up once.
        self.run_on("2026-07-10")
        self.run_on("2026-07-11")
        self.assertEqual(self.notices("renewal").mapped("stage"), ["d30", "d14", "d7"])
        self.run_on("2026-07-15")  # on the day: the expiry notice
        self.assertEqual(self.notices("renewal").mapped("stage"), ["d30", "d14", "d7"])
        self.assertEqual(self.notices("expired").mapped("stage"), ["w0"])

    def test_example_certificate_reads_back_as_the_requirements(self):
        """The example attached to a renewal notice is a certificate page the
        suite's own reader reads: the required coverages, their minimum
        limits, the marks asked for, the holder as the notices define it."""
        self.standard.min_am_best = "A-"
        self.run_on("2026-06-15")
        example = self.notices("renewal").message_id.attachment_ids
        self.assertEqual(example.mimetype, "application/pdf")
        result = extract(example.raw, use_ocr=False)
        self.assertTrue(result.is_certificate)
        # Drawn once for every vendor under these requirements: no vendor named.
        self.assertNotIn("Test Roofing LLC", result.text)
        read = {coverage.type: coverage for coverage in result.coverages}
        self.assertEqual(sorted(read), ["GL", "WC_EL"])
        self.assertEqual(
            read["GL"].limits, {"EACH_OCCURRENCE": 1_000_000, "GENERAL_AGGREGATE": 2_000_000}
        )
        self.assertTrue(read["GL"].additional_insured)
        self.assertIsNone(read["GL"].subrogation_waived)
        self.assertEqual(read["WC_EL"].limits, {"EL_EACH_ACCIDENT": 500_000})
        self.assertTrue(read["WC_EL"].per_statute)
        holder = self.env["coi.notice"].new({"partner_id": self.vendor.id})._holder_lines()
        self.assertEqual(
            [result.certificate_holder["name"], *result.certificate_holder["address"]], holder
        )
        self.assertIn(
            f"{holder[0]} is included as additional insured on the Commercial General "
            "Liability policies.",
            " ".join(result.description_of_operations.split()),
        )
        self.assertIn("rated at least A- by AM Best", result.text)

    def test_expiry_notice_activity_then_weekly(self):
        self.run_on("2026-07-15")  # coverage ends today
        self.assertEqual(self.gl_policy.state, "expired")
        self.assertEqual(self.vendor.coi_status, "non_compliant")
        expired = self.notices("expired")
        self.assertEqual(expired.mapped("stage"), ["w0"])
        self.assertIn("has expired", expired.message_id.subject)
        self.assertIn("GL-100", str(expired.message_id.body))
        self.assertIn("What is missing", str(expired.message_id.body))
        activity = self.vendor.activity_ids.filtered(lambda a: "Insurance expired" in a.summary)
        self.assertEqual(activity.user_id, self.coi_manager)
        # As Odoo's own daily expiry to-dos: no "assigned to you" email each.
        assigned = self.env["mail.message"].search(
            [("partner_ids", "in", self.coi_manager.partner_id.ids)]
        )
        self.assertFalse(assigned.filtered(lambda m: "assigned to you" in (m.subject or "")))
        self.run_on("2026-07-16")
        self.run_on("2026-07-21")
        self.assertEqual(len(self.notices("expired")), 1)
        self.run_on("2026-07-22")  # a week later
        self.assertEqual(self.notices("expired").mapped("stage"), ["w0", "w1"])
        self.assertEqual(
            len(self.vendor.activity_ids.filtered(lambda a: "expired" in a.summary)), 1
        )

    def test_cadence_stops_when_a_renewal_is_received(self):
        self.run_on("2026-06-15")
        with freeze_time("2026-06-20"):
            # Received and read, waiting for a person: the renewed GL policy.
            certificate = self.env["coi.certificate"].create({"partner_id": self.vendor.id})
            self.create_policy(
                self.vendor,
                self.gl,
                "GL-101",
                date(2027, 7, 15),
                state="draft",
                certificate_id=certificate.id,
            )
        self.run_on("2026-07-01")
        self.run_on("2026-07-16")
        self.assertEqual(self.notices("renewal").mapped("stage"), ["d30"])
        self.assertFalse(self.notices("expired"))

    def test_renewal_policy_on_file_stops_reminders_among_others(self):
        # Another vendor's policy ends first, so this one is not the earliest
        # of the day's candidates; its renewal is on file already.
        other = self.env["res.partner"].create(
            {"name": "Earlier Towing", "is_company": True, "email": "tow@earlier.example"}
        )
        self.create_policy(other, self.gl, "GL-EARLY", date(2026, 7, 10))
        self.create_policy(self.vendor, self.gl, "GL-RENEWAL", date(2027, 7, 15))
        self.run_on("2026-06-15")
        self.assertFalse(self.notices("renewal"))
        self.assertEqual(
            self.env["coi.notice"].search([("partner_id", "=", other.id)]).mapped("kind"),
            ["renewal"],
        )

    def test_a_certificate_renewing_one_coverage_leaves_the_others_reminded(self):
        """Reproduction: GL and AUTO both expire on 2026-07-15; a renewed GL
        certificate arrives: AUTO kept getting no reminder (any certificate of
        the vendor stopped them all)."""
        auto = self.create_policy(self.vendor, self.auto, "AU-100", date(2026, 7, 15))
        # The certificate arrives; nothing is read from it yet.
        gl_renewal = self.env["coi.certificate"].create({"partner_id": self.vendor.id})
        self.run_on("2026-06-15")
        self.assertEqual(
            sorted(self.notices("renewal").mapped("policy_id.name")), ["AU-100", "GL-100"]
        )
        # Read: it renews GL.
        self.create_policy(
            self.vendor,
            self.gl,
            "GL-200",
            date(2027, 7, 15),
            state="draft",
            certificate_id=gl_renewal.id,
        )
        self.run_on("2026-07-01")
        d14 = self.notices("renewal").filtered(lambda n: n.stage == "d14")
        self.assertEqual(d14.policy_id, auto)
        self.assertIn("AU-100", d14.message_id.subject)
        self.assertEqual(len(self.mails_of(d14)), 1)
        self.assertEqual(self.mails_of(d14).recipient_ids, self.contact | self.agency)
        # On the day, only AUTO expires without its renewal.
        self.run_on("2026-07-15")
        self.assertEqual(self.notices("expired").policy_id, auto)

    def test_a_rejected_renewal_does_not_stop_the_reminders(self):
        rejected = self.env["coi.certificate"].create({"partner_id": self.vendor.id})
        self.create_policy(
            self.vendor,
            self.gl,
            "GL-WRONG",
            date(2027, 7, 15),
            state="draft",
            certificate_id=rejected.id,
        )
        rejected.action_reject(reason="The holder is wrong")
        self.run_on("2026-06-15")
        self.assertEqual(self.notices("renewal").policy_id, self.gl_policy)

    def test_receipt_accepted_revision_and_rejection(self):
        certificate = self.env["coi.certificate"].create({"partner_id": self.vendor.id})
        certificate.action_accept()
        accepted = self.notices("accepted")
        self.assertEqual(len(accepted), 1)
        self.assertIn("meets our insurance requirements", str(accepted.message_id.body))
        # A vendor still short of something gets the list of what is missing.
        self.wc_policy.write({"state": "expired"})
        second = self.env["coi.certificate"].create({"partner_id": self.vendor.id})
        second.action_accept()
        revision = self.notices("revision")
        self.assertEqual(revision.certificate_id, second)
        self.assertIn("What is missing", str(revision.message_id.body))
        self.assertIn("Workers", str(revision.message_id.body))
        third = self.env["coi.certificate"].create({"partner_id": self.vendor.id})
        third.action_reject(reason="The holder must read Test Company")
        rejected = self.notices("rejected")
        self.assertIn("The holder must read Test Company", str(rejected.message_id.body))
        self.assertEqual(rejected.recipient_ids, self.contact | self.agency)
        # Accepting again does not send the receipt twice.
        certificate._notify_review_result()
        self.assertEqual(len(self.notices("accepted")), 1)

    def test_no_email_asks_a_person_once(self):
        self.contact.email = False
        self.agency.email = False
        self.run_on("2026-06-15")
        notice = self.notices("renewal")
        self.assertEqual(notice.state, "no_recipient")
        self.assertFalse(notice.message_id)
        todo = self.vendor.activity_ids.filtered(
            lambda a: a.summary == "Insurance contact email missing"
        )
        self.assertEqual(len(todo), 1)
        self.run_on("2026-07-01")
        todo = self.vendor.activity_ids.filtered(
            lambda a: a.summary == "Insurance contact email missing"
        )
        self.assertEqual(len(todo), 1)

    def test_interrupted_run_resumes_without_doubles(self):
        others = self.env["res.partner"].create(
            [
                {
                    "name": f"Vendor {i}",
                    "is_company": True,
                    "email": f"v{i}@example.com",
                    "coi_requirement_set_ids": [(4, self.standard.id)],
                }
                for i in range(5)
            ]
        )
        for vendor in others:
            self.create_policy(vendor, self.gl, f"GL-{vendor.id}", date(2026, 7, 15))
        with freeze_time("2026-06-15"):
            Notice = self.env["coi.notice"]
            candidates = Notice._renewal_candidates(date(2026, 6, 15), self.env.company)
            self.assertEqual(len(candidates), 6)
            Notice._queue(candidates[:3])  # the run died after its first batch
            Notice._cron_send_notices()  # and starts again
            Notice._cron_send_notices()
        sent = self.env["coi.notice"].search([("kind", "=", "renewal")])
        self.assertEqual(len(sent), 6)
        self.assertEqual(len(set(sent.mapped("key"))), 6)
        messages = sent.message_id
        self.assertEqual(len(messages), 6)


@tagged("post_install", "-at_install")
class TestVerification(CoiCase):
    """30 days after proof and at mid-term the agent is asked whether the
    policy is still in force; the answer lands on the policy."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.agency = cls.env["res.partner"].create(
            {"name": "Verify Agency", "is_company": True, "email": "verify@agency.example"}
        )
        cls.vendor.coi_agent_id = cls.agency
        cls.gl_policy.write(
            {"effective_date": date(2026, 6, 15), "expiration_date": date(2027, 6, 15)}
        )
        cls.wc_policy.write({"state": "cancelled", "cancellation_date": date(2026, 6, 1)})

    def run_on(self, day):
        with freeze_time(day):
            self.env["res.partner"]._cron_refresh_compliance()
            self.env["coi.notice"]._cron_send_notices()
        return self.env["coi.notice"].search(
            [("kind", "=", "verification"), ("policy_id", "=", self.gl_policy.id)], order="id"
        )

    def test_asked_after_proof_then_at_midterm_once_each(self):
        self.assertFalse(self.run_on("2026-07-14"))
        asked = self.run_on("2026-07-15")  # in force since 2026-06-15 + 30 days
        self.assertEqual(asked.mapped("stage"), ["proof30"])
        self.assertEqual(asked.recipient_ids, self.agency)  # the agent only
        self.assertGreaterEqual(len(asked.access_token), 43)
        self.assertIn("Is it still in force", str(asked.message_id.body))
        self.assertIn("GL-100", asked.message_id.subject)
        self.assertEqual(len(self.run_on("2026-07-15")), 1)
        self.assertEqual(len(self.run_on("2026-12-13")), 1)
        self.assertEqual(self.run_on("2026-12-14").mapped("stage"), ["proof30", "midterm"])
        self.assertEqual(len(self.run_on("2027-01-15")), 2)

    def test_no_answer_after_fourteen_days_creates_one_activity(self):
        asked = self.run_on("2026-07-15")
        self.run_on("2026-07-28")
        self.assertFalse(self.gl_policy.activity_ids)
        self.run_on("2026-07-29")
        todo = self.gl_policy.activity_ids.filtered(
            lambda a: a.summary == "Agent did not confirm the policy"
        )
        self.assertEqual(len(todo), 1)
        self.assertIn("Verify Agency", todo.note)
        self.run_on("2026-07-30")
        self.assertEqual(len(self.gl_policy.activity_ids), 1)
        self.assertTrue(asked.followed_up)

    def test_answers_are_recorded_on_the_policy(self):
        asked = self.run_on("2026-07-15")
        with freeze_time("2026-07-16"):
            self.assertTrue(asked._record_answer("in_force"))
        self.assertRecordValues(
            self.gl_policy,
            [{"verification_state": "in_force", "last_verification_date": date(2026, 7, 16)}],
        )
        self.assertEqual(asked.answer, "in_force")
        self.assertTrue(asked._record_answer("changed"))
        self.assertEqual(self.gl_policy.verification_state, "changed")
        self.assertTrue(
            self.gl_policy.activity_ids.filtered(
                lambda a: a.summary == "Agent reports policy cancelled or changed"
            )
        )
        self.assertFalse(asked._record_answer("maybe"))

    def test_one_email_per_agent_and_vendor_with_an_answer_per_policy(self):
        """Reproduction: an agent with four policies of one vendor got four
        emails in one run. Now one email lists the four policies, each with
        its own answer; another vendor of the same agent gets its own email."""
        start = date(2026, 6, 15)
        others = self.env["coi.policy"]
        for coverage, number in ((self.auto, "AU-7"), (self.umbrella, "UM-7"), (self.gl, "GL-7")):
            others |= self.create_policy(
                self.vendor, coverage, number, date(2027, 6, 15), effective_date=start
            )
        policies = self.gl_policy | others
        second_vendor = self.env["res.partner"].create(
            {"name": "Second Paving Co", "is_company": True, "coi_agent_id": self.agency.id}
        )
        self.create_policy(second_vendor, self.gl, "GL-PAVE", date(2027, 6, 15))
        mails_before = self.agency_mails()
        # Small batches: the vendor's four verifications still go together.
        with patch.object(coi_notice, "BATCH", 2):
            asked = self.run_on("2026-07-15")
        self.assertEqual(asked.policy_id, self.gl_policy)
        notices = self.env["coi.notice"].search(
            [("kind", "=", "verification"), ("partner_id", "=", self.vendor.id)], order="id"
        )
        self.assertEqual(notices.policy_id, policies)
        self.assertEqual(set(notices.mapped("stage")), {"proof30"})
        self.assertEqual(len(notices.message_id), 1)
        self.assertEqual(len(set(notices.mapped("access_token"))), 4)  # an answer per policy
        mails = self.agency_mails() - mails_before
        self.assertEqual(len(mails), 2)  # one per vendor
        mail = mails.filtered(lambda m: "GL-PAVE" not in m.body_html)
        self.assertEqual(mail.recipient_ids, self.agency)
        for policy in policies:
            self.assertIn(policy.name, mail.body_html)
            self.assertIn(policy.name, mail.subject)
        self.assertIn("Is each still in force", mail.body_html)
        self.assertIn("Test Roofing LLC", mail.subject)
        # Each answer lands on its own policy.
        umbrella = notices.filtered(lambda n: n.policy_id.name == "UM-7")
        umbrella._record_answer("changed")
        notices.filtered(lambda n: n.policy_id.name == "AU-7")._record_answer("in_force")
        self.assertEqual(
            {p.name: p.verification_state for p in policies},
            {"GL-100": False, "AU-7": "in_force", "UM-7": "changed", "GL-7": False},
        )
        # The job runs again: nothing is sent twice.
        self.run_on("2026-07-15")
        self.run_on("2026-07-16")
        self.assertEqual(self.agency_mails() - mails_before, mails)
        self.assertEqual(
            self.env["coi.notice"].search_count(
                [("kind", "=", "verification"), ("partner_id", "=", self.vendor.id)]
            ),
            4,
        )

    def agency_mails(self):
        return self.env["mail.mail"].search([("recipient_ids", "in", self.agency.ids)])
