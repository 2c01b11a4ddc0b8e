# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, HttpCase, new_test_user, tagged

from . import fixtures as fx
from .common import CoiCase

NOTE = "Show our company as additional insured on the GL policy."


@tagged("post_install", "-at_install")
class TestRevisionRequest(CoiCase):
    """A reviewer sends a certificate back with a note of their own; a
    certificate going to a person says so to the contractor, once."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.agency = cls.env["res.partner"].create(
            {"name": "Revision Agency", "is_company": True, "email": "certs@rev-agency.example"}
        )
        cls.contact = cls.env["res.partner"].create(
            {"name": "Roofing Office", "parent_id": cls.vendor.id, "email": "office@roof.example"}
        )
        cls.vendor.write(
            {"coi_insurance_contact_id": cls.contact.id, "coi_agent_id": cls.agency.id}
        )

    def notices(self, kind):
        return self.env["coi.notice"].search(
            [("partner_id", "=", self.vendor.id), ("kind", "=", kind)], order="id"
        )

    def mails_of(self, notice):
        return self.env["mail.mail"].search([("mail_message_id", "=", notice.message_id.id)])

    def request_revision(self, certificate, note):
        action = certificate.with_user(self.coi_user).action_request_revision()
        self.assertEqual(action["res_model"], "coi.certificate.revision")
        wizard = Form(
            self.env[action["res_model"]].with_user(self.coi_user).with_context(action["context"])
        )
        wizard.note = note
        return wizard.save().action_send()

    def test_the_reviewer_s_note_goes_to_contractor_and_agent(self):
        certificate = self.env["coi.certificate"].create({"partner_id": self.vendor.id})
        certificate.with_user(self.coi_user).action_start_review()
        self.request_revision(certificate, NOTE)
        self.assertRecordValues(
            certificate, [{"state": "revision_requested", "reviewer_id": self.coi_user.id}]
        )
        self.assertIn(NOTE, certificate.message_ids[0].body)
        notice = self.notices("revision_request")
        self.assertRecordValues(notice, [{"note": NOTE, "certificate_id": certificate.id}])
        # Queued for Odoo's mail job, to the contractor's contact and the agent.
        mail = self.mails_of(notice)
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.state, "outgoing")
        self.assertEqual(mail.recipient_ids, self.contact | self.agency)
        self.assertIn(NOTE, mail.body_html)
        self.assertIn(certificate.name, mail.subject)
        self.assertIn("please send a revised certificate", mail.subject)
        upload_url = self.vendor._coi_upload_url()
        self.assertIn(upload_url or "Reply to this email", mail.body_html)
        self.assertEqual(
            notice.message_id.attachment_ids.mapped("name"), ["example-certificate.pdf"]
        )
        # No longer waiting for a person: the vendor is not "pending review".
        self.settle()
        self.assertNotEqual(self.vendor.coi_status, "pending_review")
        # Reopened and sent back again: a second request, with its own note.
        certificate.action_reset_received()
        self.request_revision(certificate, "Also the waiver of subrogation.")
        self.assertEqual(
            self.notices("revision_request").mapped("note"),
            [NOTE, "Also the waiver of subrogation."],
        )

    def test_a_revision_needs_a_note_and_a_certificate_waiting_for_review(self):
        certificate = self.env["coi.certificate"].create({"partner_id": self.vendor.id})
        with self.assertRaisesRegex(UserError, "Say what must change"):
            certificate._coi_request_revision("   ")
        certificate.action_accept()
        with self.assertRaisesRegex(UserError, "not waiting for a review"):
            certificate._coi_request_revision(NOTE)
        self.assertEqual(certificate.state, "accepted")
        self.assertFalse(self.notices("revision_request"))

    def test_the_wizard_is_its_user_s(self):
        company_b = self.env["res.company"].create({"name": "Revision Company B"})
        user_b = new_test_user(
            self.env,
            login="coi_revision_b",
            groups="coi_tracking.coi_tracking_group_user",
            company_id=company_b.id,
            company_ids=[Command.set(company_b.ids)],
        )
        certificate = self.env["coi.certificate"].create({"partner_id": self.vendor.id})
        wizard = (
            self.env["coi.certificate.revision"]
            .with_user(self.coi_user)
            .create({"certificate_ids": [Command.set(certificate.ids)], "note": NOTE})
        )
        with self.assertRaises(AccessError):
            wizard.with_user(user_b).read(["note"])
        with self.assertRaises(AccessError):
            wizard.with_user(user_b).action_send()
        self.assertEqual(certificate.state, "received")

    def test_a_certificate_going_to_a_person_says_so_once(self):
        """Reproduction: a certificate waiting for a person sent nothing."""
        self.vendor.coi_agent_id = False  # the agent named on the certificate is told
        attachment = self.env["ir.attachment"].create(
            {"name": "coi.pdf", "raw": fx.layout_pdf(), "res_model": "coi.certificate"}
        )
        certificate = self.env["coi.certificate"].create(
            {"partner_id": self.vendor.id, "attachment_ids": [Command.link(attachment.id)]}
        )
        self.env["coi.certificate"]._cron_read_certificates()
        # The insured read is another company: a person must look.
        self.assertEqual(certificate.state, "in_review")
        notice = self.notices("under_review")
        self.assertEqual(notice.certificate_id, certificate)
        mail = self.mails_of(notice)
        producer = certificate.policy_ids.agent_id
        self.assertEqual(producer.email, fx.SAMPLE["producer"]["email"])
        self.assertEqual(mail.recipient_ids, self.contact | producer)
        self.assertIn("under review", mail.subject)
        self.assertIn(certificate.name, mail.body_html)
        self.assertIn("is reviewing it", mail.body_html)
        # Asked again (another reason): not sent twice; accepted: the receipt.
        certificate._ask_review(["Check the holder."])
        self.assertEqual(len(self.notices("under_review")), 1)
        certificate.action_accept()
        self.assertEqual(len(self.notices("under_review")), 1)
        self.assertTrue(self.notices("accepted") | self.notices("revision"))

    def test_no_under_review_mail_for_a_cancellation_notice_or_without_vendor(self):
        nameless = self.env["coi.certificate"].create({})
        nameless._ask_review(["The vendor could not be found."])
        cancellation = self.env["coi.certificate"].create(
            {"partner_id": self.vendor.id, "kind": "cancellation"}
        )
        cancellation._ask_review(["Confirm the cancellation."])
        self.assertFalse(self.env["coi.notice"].search([("kind", "=", "under_review")]))


@tagged("post_install", "-at_install")
class TestRevisionTour(HttpCase):
    def test_reviewer_requests_a_revision_from_the_form(self):
        new_test_user(
            self.env,
            login="coi_revision_user",
            groups="base.group_user,coi_tracking.coi_tracking_group_user",
        )
        agency = self.env["res.partner"].create(
            {"name": "Tour Agency", "is_company": True, "email": "tour@agency.example"}
        )
        vendor = self.env["res.partner"].create(
            {
                "name": "Tour Revision Roofing",
                "is_company": True,
                "email": "office@tour-roofing.example",
                "coi_agent_id": agency.id,
            }
        )
        certificate = self.env["coi.certificate"].create({"partner_id": vendor.id})
        self.start_tour(
            f"/odoo/action-coi_tracking.action_coi_certificate/{certificate.id}",
            "coi_certificate_revision_tour",
            login="coi_revision_user",
        )
        self.assertEqual(certificate.state, "revision_requested")
        notice = self.env["coi.notice"].search(
            [("certificate_id", "=", certificate.id), ("kind", "=", "revision_request")]
        )
        mail = self.env["mail.mail"].search([("mail_message_id", "=", notice.message_id.id)])
        self.assertEqual(mail.recipient_ids, vendor | agency)
        self.assertIn("Show our company as additional insured on the GL policy.", mail.body_html)
