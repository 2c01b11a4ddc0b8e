# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import io
from datetime import date, timedelta
from unittest.mock import patch

import pdfplumber

from odoo import Command
from odoo.tests import Form, HttpCase, freeze_time, new_test_user, tagged

from ..engine import requests
from ..models import coi_notice as notice_module
from ..models import res_partner as partner_module
from . import fixtures as fx
from .common import MailIntakeCase
from .test_multi_company import TwoCompanies

NOTE = "Show our company as additional insured on the GL policy."


class RequestCase(MailIntakeCase):
    """Automatic requests on, chasing after 3, 7 and 14 days; vendors with an
    insurance contact and an agent, a buyer each."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.write({"coi_auto_request": True, "coi_chase_cadence": "3, 7, 14"})
        cls.harbor = cls.env["res.partner"].create(
            {
                "name": fx.SAMPLE["producer"]["name"],
                "is_company": True,
                "coi_is_agent": True,
                "email": fx.SAMPLE["producer"]["email"],
            }
        )

    def new_vendor(self, name=fx.SAMPLE["insured"]["name"], email="office@granite.example"):
        """A vendor someone adds, with the standard requirements, its office
        as insurance contact and its agent: what the end of the transaction
        does with it included."""
        vendor = self.env["res.partner"].create(
            {
                "name": name,
                "is_company": True,
                "supplier_rank": 1,
                "buyer_id": self.buyer.id,
                "coi_requirement_set_ids": [Command.link(self.standard.id)],
            }
        )
        contact = self.env["res.partner"].create(
            {"name": f"{name} office", "parent_id": vendor.id, "email": email}
        )
        vendor.write({"coi_insurance_contact_id": contact.id, "coi_agent_id": self.harbor.id})
        self.settle()
        return vendor

    def run_on(self, day):
        with freeze_time(day):
            self.env["res.partner"]._cron_refresh_compliance()
            self.env["coi.notice"]._cron_send_notices()

    def notices(self, vendor, kind=None):
        domain = [("partner_id", "=", vendor.id), ("kind", "in", ("request", "chase"))]
        if kind:
            domain = [("partner_id", "=", vendor.id), ("kind", "=", kind)]
        return self.env["coi.notice"].search(domain, order="id")

    def mails_of(self, notices):
        return self.env["mail.mail"].search([("mail_message_id", "in", notices.message_id.ids)])

    def escalations(self, vendor):
        return vendor.activity_ids.filtered(
            lambda a: a.summary == "Insurance certificates still missing"
        )

    def example_text(self, message):
        example = message.attachment_ids
        self.assertEqual(example.mapped("name"), ["example-certificate.pdf"])
        with pdfplumber.open(io.BytesIO(example.raw)) as pdf:
            return pdf.pages[0].extract_text()


@tagged("post_install", "-at_install")
class TestRequestsAndChasing(RequestCase):
    """The whole loop under a frozen clock: a vendor is added, asked at once,
    chased after 3, 7 and 14 days with what is still missing, its buyer
    steps in; the agent sends the certificate, the vendor complies, the
    chase stops."""

    def test_vendor_added_asked_chased_escalated_then_compliant(self):
        with freeze_time("2026-06-15 09:00:00"):
            vendor = self.new_vendor()
        self.assertEqual(vendor.coi_status, "non_compliant")
        request = self.notices(vendor)
        self.assertRecordValues(
            request,
            [{"kind": "request", "stage": f"v{vendor.id}:1:first", "state": "sent"}],
        )
        self.assertEqual(vendor.coi_request_date, date(2026, 6, 15))
        # The evaluation that asked it counts the request in its timeliness.
        self.assertEqual(vendor.coi_first_request_date, date(2026, 6, 15))
        # To the insurance contact AND the agent, from the COI team (the company).
        office = vendor.coi_insurance_contact_id
        self.assertEqual(request.recipient_ids, office | self.harbor)
        self.assertEqual(self.mails_of(request).recipient_ids, office | self.harbor)
        message = request.message_id
        self.assertEqual(message.author_id, self.env.company.partner_id)
        self.assertEqual((message.model, message.res_id), ("res.partner", vendor.id))
        body = str(message.body)
        # The requirements with their limits, the holder block, what is missing.
        self.assertIn("What the certificate must show", body)
        self.assertIn("Commercial General Liability", body)
        self.assertIn("Each Occurrence", body)
        self.assertIn("1,000,000", body)
        self.assertIn("500,000", body)
        self.assertIn("Certificate holder", body)
        self.assertIn(self.env.company.name, body)
        self.assertIn("What is missing", body)
        self.assertIn("certificates of insurance needed for", message.subject)
        text = self.example_text(message)
        self.assertIn("EXAMPLE", text)
        # The same example for every vendor under these requirements.
        self.assertIn("the certificate they issue for your company", " ".join(text.split()))
        self.assertNotIn(vendor.name, text)

        self.run_on("2026-06-17")  # two days: nothing yet
        self.assertEqual(len(self.notices(vendor)), 1)
        self.run_on("2026-06-18")  # three days: the first reminder
        chase = self.notices(vendor, "chase")
        self.assertEqual(chase.mapped("stage"), [f"v{vendor.id}:1:c3"])
        self.assertEqual(chase.recipient_ids, office | self.harbor)
        body = str(chase.message_id.body)
        self.assertIn("still missing", body)
        self.assertIn("06/15/2026", body)  # the day it was asked
        for line in vendor.coi_compliance_line_ids:
            self.assertIn(line.deficiency, body)
        self.assertNotIn("What the certificate must show", body)  # only what is missing
        self.assertIn("Reminder: insurance still missing", chase.message_id.subject)
        self.assertIn("EXAMPLE", self.example_text(chase.message_id))
        self.assertFalse(self.escalations(vendor))
        self.run_on("2026-06-18")  # the same day again: nothing new
        self.run_on("2026-06-19")
        self.assertEqual(len(self.notices(vendor, "chase")), 1)
        # The 7-day run is missed; the 8-day run catches up once.
        self.run_on("2026-06-23")
        self.run_on("2026-06-24")
        self.assertEqual(
            [s.split(":")[-1] for s in self.notices(vendor, "chase").mapped("stage")],
            ["c3", "c7"],
        )
        self.assertFalse(self.escalations(vendor))
        self.run_on("2026-06-29")  # fourteen days: the last reminder, and the buyer acts
        self.assertEqual(
            [s.split(":")[-1] for s in self.notices(vendor, "chase").mapped("stage")],
            ["c3", "c7", "c14"],
        )
        escalation = self.escalations(vendor)
        self.assertEqual(len(escalation), 1)
        self.assertEqual(escalation.user_id, self.buyer)
        self.assertIn("06/15/2026", str(escalation.note))
        self.run_on("2026-06-30")
        self.run_on("2026-07-20")
        self.assertEqual(len(self.notices(vendor, "chase")), 3)
        self.assertEqual(len(self.escalations(vendor)), 1)
        # Three reminders open, 35 days waiting: the timeliness shows it.
        self.assertEqual(vendor.coi_open_chase_steps, 3)
        self.assertEqual(vendor.coi_timeliness_score, 35)

        # The agent answers with the certificate, through the coi@ alias.
        with freeze_time("2026-07-21 10:00:00"):
            certificate = self.send_to_alias(
                fx.SAMPLE["producer"]["email"], "COI", files=[("coi.pdf", fx.layout_pdf())]
            )
            self.env["coi.certificate"]._cron_read_certificates()
            self.settle()
        self.assertEqual(certificate.state, "accepted")
        self.assertEqual(vendor.coi_status, "compliant")
        self.assertFalse(vendor.coi_request_date)  # the cycle is closed
        # The loop counts in the vendor's timeliness: 36 days from the request
        # to compliance (no speed points), nothing open any more.
        self.assertRecordValues(
            vendor,
            [
                {
                    "coi_first_request_date": date(2026, 6, 15),
                    "coi_compliant_since": date(2026, 7, 21),
                    "coi_days_to_compliant": 36,
                    "coi_open_chase_steps": 0,
                    "coi_timeliness_score": 50,
                }
            ],
        )
        self.run_on("2026-07-22")
        self.run_on("2026-08-30")
        self.assertEqual(len(self.notices(vendor)), 4)

    def test_chase_stops_the_moment_the_vendor_complies(self):
        with freeze_time("2026-06-15 09:00:00"):
            vendor = self.new_vendor()
        self.run_on("2026-06-18")
        self.assertEqual(len(self.notices(vendor, "chase")), 1)
        with freeze_time("2026-06-20 10:00:00"):
            self.send_to_alias(
                fx.SAMPLE["producer"]["email"], "COI", files=[("coi.pdf", fx.layout_pdf())]
            )
            self.env["coi.certificate"]._cron_read_certificates()
            self.settle()
        self.assertEqual(vendor.coi_status, "compliant")
        for day in ("2026-06-22", "2026-06-29", "2026-07-10"):
            self.run_on(day)
        self.assertEqual(len(self.notices(vendor, "chase")), 1)
        self.assertFalse(self.escalations(vendor))

    def test_a_vendor_lapsing_later_starts_a_new_cycle(self):
        """Compliant, then its certificates must come again: the next request
        is the next cycle's, chased from its own first day."""
        with freeze_time("2026-06-15 09:00:00"):
            vendor = self.new_vendor()
            self.create_policy(vendor, self.gl, "GL-1", date(2027, 1, 1))
            self.create_policy(vendor, self.wc, "WC-1", date(2027, 1, 1))
            self.settle()
        self.assertEqual(vendor.coi_status, "compliant")
        self.assertFalse(vendor.coi_request_date)
        # An exemption, then it ends: the vendor is tracked again, not covered.
        with freeze_time("2026-07-01 09:00:00"):
            vendor.coi_policy_ids.write(
                {"state": "cancelled", "cancellation_date": date(2026, 7, 1)}
            )
            vendor.write({"coi_exempt": True, "coi_exempt_reason": "Pilot"})
            self.settle()
            self.assertEqual(vendor.coi_status, "exempt")
            vendor.write({"coi_exempt": False})
            self.settle()
        asked = self.notices(vendor, "request")
        self.assertEqual(asked.mapped("stage"), [f"v{vendor.id}:1:first", f"v{vendor.id}:2:first"])
        self.assertEqual(vendor.coi_request_date, date(2026, 7, 1))
        self.run_on("2026-07-04")
        self.assertEqual(self.notices(vendor, "chase").mapped("stage"), [f"v{vendor.id}:2:c3"])

    def test_no_automatic_request_when_switched_off(self):
        self.env.company.coi_auto_request = False
        vendor = self.new_vendor()
        self.assertEqual(vendor.coi_status, "non_compliant")
        self.assertFalse(self.notices(vendor))
        self.run_on("2026-06-30")
        self.assertFalse(self.notices(vendor))

    def test_the_buyer_sends_when_the_company_says_so(self):
        self.env.company.coi_request_sender = "buyer"
        with freeze_time("2026-06-15 09:00:00"):
            vendor = self.new_vendor()
        self.assertEqual(self.notices(vendor).message_id.author_id, self.buyer.partner_id)
        self.run_on("2026-06-18")
        self.assertEqual(self.notices(vendor, "chase").message_id.author_id, self.buyer.partner_id)
        # Without a buyer, the COI team (the company) writes.
        with freeze_time("2026-06-15 09:00:00"):
            other = self.new_vendor("Other Roofing LLC", "office@other.example")
        other.buyer_id = False
        self.run_on("2026-06-18")
        self.assertEqual(
            self.notices(other, "chase").message_id.author_id, self.env.company.partner_id
        )

    def test_no_email_asks_a_person_and_the_chase_reaches_the_address_added(self):
        with freeze_time("2026-06-15 09:00:00"):
            vendor = self.env["res.partner"].create(
                {
                    "name": "Silent Roofing LLC",
                    "is_company": True,
                    "supplier_rank": 1,
                    "coi_requirement_set_ids": [Command.link(self.standard.id)],
                }
            )
            self.settle()
        request = self.notices(vendor, "request")
        self.assertEqual(request.state, "no_recipient")
        self.assertIn("Insurance contact email missing", vendor.activity_ids.mapped("summary"))
        vendor.email = "desk@silent.example"
        self.run_on("2026-06-18")
        chase = self.notices(vendor, "chase")
        self.assertEqual(chase.state, "sent")
        self.assertEqual(chase.recipient_ids, vendor)

    def test_a_revision_asked_is_chased_with_the_reviewer_s_words(self):
        """A reviewer sends a certificate back: the vendor is reminded of the
        revision on the cadence, each reminder quoting what was asked."""
        self.gl_policy.write({"state": "cancelled", "cancellation_date": date(2026, 6, 1)})
        self.settle()
        self.assertEqual(self.vendor.coi_status, "non_compliant")
        self.assertFalse(self.vendor.coi_request_date)  # it was compliant: no request
        with freeze_time("2026-06-15 09:00:00"):
            certificate = self.env["coi.certificate"].create({"partner_id": self.vendor.id})
            certificate.with_user(self.coi_user).action_start_review()
            action = certificate.with_user(self.coi_user).action_request_revision()
            wizard = Form(
                self.env[action["res_model"]]
                .with_user(self.coi_user)
                .with_context(action["context"])
            )
            wizard.note = NOTE
            wizard.save().action_send()
            self.settle()
        self.assertEqual(self.vendor.coi_request_date, date(2026, 6, 15))
        self.run_on("2026-06-18")
        chase = self.notices(self.vendor, "chase")
        self.assertEqual(len(chase), 1)
        body = str(chase.message_id.body)
        self.assertIn(NOTE, body)
        self.assertIn(certificate.name, body)
        self.assertEqual(chase.recipient_ids, self.contact | self.agency)


@tagged("post_install", "-at_install")
class TestRequestOnPurchase(RequestCase):
    """An RFQ for a vendor that is not compliant: a request at once, once
    per cycle however many orders, and the buyer reads it on the order."""

    def rfq(self, vendor):
        order = self.env["purchase.order"].with_user(self.buyer).create({"partner_id": vendor.id})
        return order.sudo()

    def test_rfq_for_a_lapsed_vendor_requests_once(self):
        # The vendor on file lapses: its policies are cancelled by the insurer.
        (self.gl_policy | self.wc_policy).write(
            {"state": "cancelled", "cancellation_date": date(2026, 6, 1)}
        )
        self.settle()
        self.assertEqual(self.vendor.coi_status, "non_compliant")
        self.assertFalse(self.notices(self.vendor))
        with freeze_time("2026-06-15 09:00:00"):
            first = self.rfq(self.vendor)
        request = self.notices(self.vendor)
        self.assertRecordValues(request, [{"kind": "request", "state": "sent"}])
        self.assertEqual(request.recipient_ids, self.contact | self.agency)
        self.assertIn(
            f"Insurance certificates were requested from {self.vendor.name} on 06/15/2026.",
            first.message_ids.mapped("body")[0],
        )
        with freeze_time("2026-06-16 09:00:00"):
            second = self.rfq(self.contact)  # ordered from the vendor's office
        self.assertEqual(len(self.notices(self.vendor)), 1)
        self.assertIn(
            f"Insurance certificates were requested from {self.vendor.name} on 06/15/2026.",
            second.message_ids.mapped("body")[0],
        )

    def test_rfq_for_a_compliant_vendor_asks_nothing(self):
        order = self.rfq(self.vendor)
        self.assertFalse(self.notices(self.vendor))
        self.assertFalse(
            [b for b in order.message_ids.mapped("body") if "Insurance certificates" in b]
        )

    def test_new_vendor_and_its_rfq_share_one_request(self):
        with freeze_time("2026-06-15 09:00:00"):
            vendor = self.new_vendor()
            self.rfq(vendor)
        self.assertEqual(len(self.notices(vendor)), 1)

    def test_rfq_when_no_email_says_so(self):
        (self.gl_policy | self.wc_policy).write(
            {"state": "cancelled", "cancellation_date": date(2026, 6, 1)}
        )
        self.vendor.write({"coi_insurance_contact_id": False, "coi_agent_id": False})
        self.settle()
        order = self.rfq(self.vendor)
        self.assertIn("could not be requested", order.message_ids.mapped("body")[0])


@tagged("post_install", "-at_install")
class TestBulkRequest(RequestCase):
    """ "Request Certificates" on a selection of vendors: the background job
    asks those that need it and counts why the others were not asked."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.coi_auto_request = False  # the vendors below wait for the bulk request
        make = cls.env["res.partner"].create
        std = [Command.link(cls.standard.id)]
        cls.asked = make(
            [
                {
                    "name": f"Asked {i} LLC",
                    "is_company": True,
                    "email": f"office{i}@asked.example",
                    "coi_requirement_set_ids": std,
                }
                for i in range(3)
            ]
        )
        cls.no_email = make(
            {"name": "No Email LLC", "is_company": True, "coi_requirement_set_ids": std}
        )
        cls.exempt = make(
            {
                "name": "Exempt LLC",
                "is_company": True,
                "email": "x@exempt.example",
                "coi_requirement_set_ids": std,
                "coi_exempt": True,
                "coi_exempt_reason": "Government body",
            }
        )
        cls.untracked = make({"name": "Walk-in Customer", "email": "walkin@example.com"})
        cls.env.cr.flush()
        cls.selection = cls.asked | cls.no_email | cls.exempt | cls.untracked | cls.vendor
        cls.env.company.coi_auto_request = True

    def requests_to(self, vendors):
        return self.env["coi.notice"].search(
            [("kind", "=", "request"), ("partner_id", "in", vendors.ids)]
        )

    def request_certificates(self, partners):
        """Select the vendors in the list, Actions > Request Certificates,
        confirm: the batch the wizard opens."""
        user = self.coi_user
        server_action = self.env.ref("coi_tracking.action_coi_request_certificates")
        bindings = self.env["ir.actions.actions"].with_user(user).get_bindings("res.partner")
        self.assertIn(server_action.id, [b["id"] for b in bindings["action"]])
        action = (
            server_action.with_user(user)
            .with_context(active_model="res.partner", active_ids=partners.ids)
            .run()
        )
        wizard = Form(self.env[action["res_model"]].with_user(user).with_context(action["context"]))
        self.assertEqual(wizard.vendor_count, len(partners))
        result = wizard.save().action_start()
        return self.env["coi.request.batch"].browse(result["res_id"])

    def test_selection_asked_in_the_job_with_the_reasons_of_the_others(self):
        batch = self.request_certificates(self.selection)
        self.assertEqual(batch.state, "queued")
        self.assertFalse(self.requests_to(self.selection))
        self.env["coi.request.batch"]._cron_process_batches(batch_size=2)
        self.assertRecordValues(
            batch,
            [
                {
                    "state": "done",
                    "sent_count": 3,
                    "no_email_count": 1,
                    "exempt_count": 1,
                    "satisfied_count": 1,
                    "not_tracked_count": 1,
                    "pending_review_count": 0,
                    "already_requested_count": 0,
                }
            ],
        )
        sent = self.requests_to(self.selection)
        self.assertEqual(sent.partner_id, self.asked)
        self.assertEqual(len(self.mails_of(sent)), 3)
        self.assertIn("3 of 7 vendors were asked for certificates.", batch.summary)
        self.assertIn("No Email Address: 1", batch.summary)
        self.assertIn("Already Compliant: 1", batch.summary)
        # The one who started it is told.
        report = batch.message_ids.filtered(lambda m: "vendors were asked" in str(m.body))
        self.assertEqual(report.partner_ids, self.coi_user.partner_id)
        # Running the job again, or asking the same vendors again, sends nothing twice.
        self.env["coi.request.batch"]._cron_process_batches()
        again = self.request_certificates(self.asked)
        self.env["coi.request.batch"]._cron_process_batches()
        self.assertRecordValues(again, [{"sent_count": 0, "already_requested_count": 3}])
        self.assertEqual(len(self.requests_to(self.selection)), 3)

    def test_a_thousand_vendors_in_the_job(self):
        """1,000 vendors imported at once (too many to evaluate in the
        request: they go to the refresh job), then asked in bulk: 900 have
        an address, 100 not; one email each, in committed steps of 200."""
        self.env.company.coi_auto_request = False
        vendors = self.env["res.partner"].create(
            [
                {
                    "name": f"Imported Vendor {i:04d}",
                    "is_company": True,
                    "supplier_rank": 1,
                    "email": f"office{i}@imported.example" if i % 10 else False,
                    "coi_requirement_set_ids": [Command.link(self.standard.id)],
                }
                for i in range(1000)
            ]
        )
        self.settle()
        self.assertEqual(set(vendors.mapped("coi_status")), {False})  # handed to the job
        self.env.company.coi_auto_request = True
        batch = self.request_certificates(vendors)
        self.env["coi.request.batch"]._cron_process_batches()
        self.assertRecordValues(
            batch, [{"state": "done", "sent_count": 900, "no_email_count": 100}]
        )
        sent = self.requests_to(vendors)
        self.assertEqual(len(sent), 900)
        self.assertEqual(len(sent.partner_id), 900)
        mails = self.mails_of(sent)
        self.assertEqual(len(mails), 900)
        self.assertEqual(len(mails.recipient_ids), 900)
        self.assertEqual(set(vendors.mapped("coi_status")), {"non_compliant"})
        self.assertIn("900 of 1000 vendors were asked for certificates.", batch.summary)

    def test_a_vendor_awaiting_review_is_not_asked(self):
        certificate = self.env["coi.certificate"].create({"partner_id": self.asked[0].id})
        certificate.action_start_review()
        self.settle()
        self.assertEqual(self.asked[0].coi_status, "pending_review")
        batch = self.request_certificates(self.asked)
        self.env["coi.request.batch"]._cron_process_batches()
        self.assertRecordValues(batch, [{"sent_count": 2, "pending_review_count": 1}])


@tagged("post_install", "-at_install")
class TestManyRequestsInOneTransaction(RequestCase):
    """A full recompute that finds many vendors tracked without cover asks
    each of them in its one transaction (a million vendors: 100,000
    requests). A notice's advisory lock is held until commit in PostgreSQL's
    shared lock table (6,400 locks by default): past MAX_CLAIM_LOCKS the
    transaction claims without a lock, and every vendor is still asked once."""

    def uncovered_vendors(self, name, count):
        """`count` supplier companies under the standard set, no policy."""
        return self.env["res.partner"].create(
            [
                {
                    "name": f"{name} {i}",
                    "is_company": True,
                    "supplier_rank": 1,
                    "email": f"office{i}@{name.split()[0].lower()}.example",
                    "coi_requirement_set_ids": [Command.link(self.standard.id)],
                }
                for i in range(count)
            ]
        )

    def advisory_locks(self):
        self.env.cr.execute(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"
            " AND pid = pg_backend_pid() AND classid = %s AND objsubid = 2",
            [notice_module.ADVISORY_LOCK_NAMESPACE],
        )
        return self.env.cr.fetchone()[0]

    def test_recompute_asks_more_vendors_than_it_locks(self):
        self.env.company.coi_auto_request = False
        vendors = self.uncovered_vendors("Lapsed Vendor", 8)
        self.settle()
        self.assertEqual(set(vendors.mapped("coi_status")), {"non_compliant"})
        # As before their first evaluation: the recompute finds them tracked.
        vendors.write({"coi_status": False})
        self.env.company.coi_auto_request = True
        before = self.advisory_locks()
        with patch.object(notice_module, "MAX_CLAIM_LOCKS", 3):
            self.env["res.partner"]._coi_recompute_all(batch_size=2)
            self.env["res.partner"]._coi_recompute_all(batch_size=2)
        self.assertLessEqual(self.advisory_locks(), max(before, 3))
        sent = self.env["coi.notice"].search(
            [("kind", "=", "request"), ("partner_id", "in", vendors.ids)]
        )
        self.assertEqual(sorted(sent.partner_id.ids), sorted(vendors.ids))
        self.assertEqual(len(self.mails_of(sent)), 8)

    def test_a_large_recompute_hands_its_requests_to_the_notice_job(self):
        """More vendors found without cover at once than are asked inline:
        the recompute marks them and starts the notice job, which asks each
        once in its committed batches (not one covered meanwhile)."""
        self.env.company.coi_auto_request = False
        vendors = self.uncovered_vendors("Imported Vendor", 5)
        self.settle()
        vendors.with_context(mail_notrack=True).write({"coi_status": False})
        self.env.company.coi_auto_request = True
        job = self.env.ref("coi_tracking.ir_cron_coi_send_notices")
        self.env["ir.cron.trigger"].search([("cron_id", "=", job.id)]).unlink()
        with patch.object(partner_module, "INLINE_REQUESTS", 3):
            self.env["res.partner"]._coi_recompute_all()
        Notice = self.env["coi.notice"]
        asked = [("kind", "=", "request"), ("partner_id", "in", vendors.ids)]
        self.assertFalse(Notice.search(asked), "nothing sent in the recompute's transaction")
        self.assertEqual(set(vendors.mapped("coi_request_queued")), {True})
        self.assertTrue(self.env["ir.cron.trigger"].search([("cron_id", "=", job.id)]))
        vendors[0].coi_exempt = True  # covered before the job runs
        self.settle()
        Notice._cron_send_notices()
        sent = Notice.search(asked)
        self.assertEqual(sorted(sent.partner_id.ids), sorted(vendors[1:].ids))
        self.assertEqual(len(self.mails_of(sent)), 4)
        self.assertEqual(set(vendors.mapped("coi_request_queued")), {False})
        self.assertTrue(all(vendors[1:].mapped("coi_request_date")))
        Notice._cron_send_notices()
        self.assertEqual(Notice.search(asked), sent, "each asked once")

    def test_requests_keep_no_tracking_until_commit(self):
        """Opening the vendors' request cycles writes no tracked field: the
        chatter keeps none of their values until commit (a recompute
        asking 100,000 vendors in its one transaction held them all)."""
        self.env.company.coi_auto_request = False
        vendors = self.uncovered_vendors("Untracked Vendor", 3)
        self.settle()
        vendors.with_context(mail_notrack=True).write({"coi_status": False})
        self.env.company.coi_auto_request = True
        self.env.flush_all()
        kept = self.env.cr.precommit.data.get("mail.tracking.res.partner", {})
        for vendor in vendors:
            kept.pop(vendor.id, None)
        self.env["res.partner"]._coi_recompute_all()
        self.assertEqual(len(self.env["coi.notice"].search([("partner_id", "in", vendors.ids)])), 3)
        self.assertTrue(all(vendors.mapped("coi_request_date")))
        kept = self.env.cr.precommit.data.get("mail.tracking.res.partner", {})
        self.assertFalse(set(vendors.ids) & set(kept))


@tagged("post_install", "-at_install")
class TestRunManually(RequestCase):
    """ "Run Manually" on the notice job says what it sent."""

    def test_run_manually_tells_what_went_out(self):
        cron = self.env.ref("coi_tracking.ir_cron_coi_send_notices")
        with freeze_time("2026-06-15 09:00:00"):
            vendor = self.new_vendor()
        self.gl_policy.write({"expiration_date": date(2026, 7, 15)})
        self.settle()
        before = self.env["coi.notice"].search([], order="id desc", limit=1).id
        with freeze_time("2026-06-18 09:00:00"):
            result = cron.method_direct_trigger()
        self.assertEqual(result["tag"], "display_notification")
        sent = self.env["coi.notice"].search([("id", ">", before)])
        # This test's chase and renewal reminder among them (the demo data's too).
        self.assertEqual(len(self.notices(vendor, "chase")), 1)
        self.assertEqual(len(sent.filtered(lambda n: n.policy_id == self.gl_policy)), 1)
        kinds = sent.mapped("kind")
        self.assertEqual(
            result["params"]["message"],
            requests.sent_summary({kind: kinds.count(kind) for kind in set(kinds)}),
        )
        self.assertRegex(result["params"]["message"], r"^\d+ notices sent: .*\b1 chase\b")
        with freeze_time("2026-06-18 10:00:00"):
            result = cron.method_direct_trigger()
        self.assertEqual(result["params"]["message"], "Nothing was due today.")
        # Other jobs run as Odoo runs them.
        other = self.env.ref("coi_tracking.ir_cron_coi_compliance_snapshot")
        self.assertEqual(type(other).method_direct_trigger.__module__.split(".")[-1], "ir_cron")

    def test_who_runs_it_does_not_follow_the_vendors(self):
        """The notices come from the company: the administrator who clicks
        Run Manually does not become a follower of every vendor notified
        (Odoo subscribes the active user who posts). Two runs at once by
        people would also both insert that follower: one of them failed on
        the unique key, seen with several nodes (bench/multinode.py)."""
        admin = self.env.ref("base.user_admin")
        cron = self.env.ref("coi_tracking.ir_cron_coi_send_notices").with_user(admin)
        with freeze_time("2026-06-15 09:00:00"):
            vendor = self.new_vendor()
        self.settle()
        with freeze_time("2026-06-18 09:00:00"):
            cron.method_direct_trigger()
        self.assertEqual(len(self.notices(vendor, "chase")), 1)
        self.assertNotIn(admin.partner_id, vendor.message_partner_ids)


@tagged("post_install", "-at_install")
class TestBulkRequestCompanies(TwoCompanies):
    """A bulk request belongs to its company: users of the other one do not
    see it."""

    def test_batches_stay_in_their_company(self):
        batch = (
            self.env["coi.request.batch"]
            .with_company(self.company_b)
            .create(
                {"company_id": self.company_b.id, "partner_ids": [Command.set(self.vendor_b.ids)]}
            )
        )
        user_a = self.company_user("coi_batch_a", self.company_a)
        Batch = self.env["coi.request.batch"].with_user(user_a)
        self.assertFalse(Batch.search([("id", "=", batch.id)]))
        self.assertIn(batch, Batch.with_user(self.user_b).search([]))

    def test_handed_over_requests_go_out_in_each_vendors_company(self):
        """Requests handed to the notice job (a large evaluation) are sent
        by the job for each company, and a notice of company B is not seen
        from company A."""
        self.company_b.coi_auto_request = True
        vendor_b = self.env["res.partner"].create(
            {
                "name": "Beta Roofing (handed over)",
                "is_company": True,
                "supplier_rank": 1,
                "email": "office@beta-roofing.example",
                "company_id": self.company_b.id,
                "coi_requirement_set_ids": [Command.link(self.standard.id)],
            }
        )
        self.env["res.partner"]._coi_settle()
        self.assertEqual(vendor_b.coi_status, "non_compliant")
        Notice = self.env["coi.notice"]
        Notice.search([("partner_id", "=", vendor_b.id)]).unlink()
        vendor_b.write({"coi_request_date": False})
        vendor_b._coi_queue_first_requests()
        Notice._cron_send_notices()
        sent = Notice.search([("kind", "=", "request"), ("partner_id", "=", vendor_b.id)])
        self.assertEqual(len(sent), 1)
        self.assertFalse(vendor_b.coi_request_queued)
        user_a = self.company_user("coi_handover_a", self.company_a)
        self.assertFalse(Notice.with_user(user_a).search([("id", "=", sent.id)]))
        self.assertEqual(Notice.with_user(self.user_b).search([("id", "=", sent.id)]), sent)


@tagged("post_install", "-at_install")
class TestRequestTours(HttpCase):
    """Through the web client: Actions > Request Certificates on a selection
    of vendors, and Run Manually on the notice job."""

    def setUp(self):
        super().setUp()
        gl = self.env.ref("coi_tracking.coverage_gl")
        self.req_set = self.env["coi.requirement.set"].create(
            {"name": "Tour requests", "line_ids": [Command.create({"coverage_type_id": gl.id})]}
        )

    def vendors(self, *names):
        return self.env["res.partner"].create(
            [
                {
                    "name": name,
                    "is_company": True,
                    "email": f"{name.split()[-1].lower()}@tour-request.example",
                    "coi_requirement_set_ids": [Command.link(self.req_set.id)],
                }
                for name in names
            ]
        )

    def test_bulk_request_from_the_vendor_list(self):
        self.env.company.coi_auto_request = False
        vendors = self.vendors("Tour Request Alpha", "Tour Request Beta", "Tour Request Gamma")
        self.env.cr.flush()  # evaluated, not asked
        self.env.company.coi_auto_request = True
        new_test_user(
            self.env,
            login="coi_request_tour_user",
            groups="base.group_user,coi_tracking.coi_tracking_group_user",
        )
        self.start_tour(
            "/odoo/action-coi_tracking.action_coi_vendor",
            "coi_request_certificates_tour",
            login="coi_request_tour_user",
        )
        batch = self.env["coi.request.batch"].search([], order="id desc", limit=1)
        self.assertEqual(batch.partner_ids, vendors[:2])
        self.env["coi.request.batch"]._cron_process_batches()
        self.assertRecordValues(batch, [{"sent_count": 2, "already_requested_count": 0}])
        asked = self.env["coi.notice"].search(
            [("kind", "=", "request"), ("partner_id", "in", vendors.ids)]
        )
        self.assertEqual(asked.partner_id, vendors[:2])

    def test_run_manually_says_what_it_sent(self):
        self.env.company.coi_auto_request = False
        vendors = self.vendors("Tour Manual Delta")
        # Asked three days ago, by a person: today the first reminder is due.
        vendors._coi_open_cycle(self.env.company._coi_today() - timedelta(days=3))
        cron = self.env.ref("coi_tracking.ir_cron_coi_send_notices")
        self.start_tour(
            f"/odoo/action-base.ir_cron_act/{cron.id}",
            "coi_run_notices_manually_tour",
            login="admin",
        )
        self.assertTrue(
            self.env["coi.notice"].search([("kind", "=", "chase"), ("partner_id", "=", vendors.id)])
        )
