# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import copy

from odoo import Command
from odoo.tests import tagged

from . import fixtures as fx
from .common import CoiCase

WRONG_HOLDER = "The certificate holder is 'Example Holdings Inc', not 'YourCo LLC' as required."


@tagged("post_install", "-at_install")
class TestCertificateHolder(CoiCase):
    """The certificate holder (who cancellation notices reach) must be the
    one the requirement set names; a certificate short of the requirements
    is accepted with what is missing said, not a bare "Accepted"."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.agency = cls.env["res.partner"].create(
            {"name": "Holder Agency", "is_company": True, "email": "certs@holder-agency.example"}
        )
        cls.granite = cls.env["res.partner"].create(
            {
                "name": fx.SAMPLE["insured"]["name"],
                "is_company": True,
                "supplier_rank": 1,
                "email": "office@granite.example",
                "coi_agent_id": cls.agency.id,
                "coi_requirement_set_ids": [Command.link(cls.standard.id)],
            }
        )
        cls.env.cr.flush()

    def submit(self, pdf):
        certificate, refused = self.env["coi.certificate"]._coi_submit(
            self.granite, [("coi.pdf", pdf)], "backend"
        )
        self.assertFalse(refused)
        self.env["coi.certificate"]._cron_read_certificates()
        self.settle()
        return certificate

    def test_wrong_holder_is_not_accepted_and_the_vendor_not_compliant(self):
        # The company is YourCo LLC; the certificate names Example Holdings Inc.
        self.env.company.name = "YourCo LLC"
        certificate = self.submit(fx.layout_pdf())
        self.assertEqual(certificate.state, "in_review")
        self.assertEqual(certificate.review_reason, WRONG_HOLDER)
        self.assertEqual(set(certificate.policy_ids.mapped("state")), {"draft"})
        self.assertEqual(self.granite.coi_status, "pending_review")
        self.assertIn(WRONG_HOLDER, certificate.message_ids[0].body)
        # The notices ask for the holder the review checks.
        holder = self.env["coi.requirement.set"]._coi_holder_for(self.granite)
        self.assertEqual(holder.lines[0], "YourCo LLC")

    def test_the_set_names_the_holder(self):
        self.env.company.name = "YourCo LLC"
        self.standard.holder_name = fx.SAMPLE["certificate_holder"]["name"]
        certificate = self.submit(fx.layout_pdf())
        self.assertEqual(certificate.state, "accepted")
        self.assertEqual(self.granite.coi_status, "compliant")
        # ... and another set of the vendor names someone else: the first set names it.
        self.standard.holder_name = "YourCo Properties Trust"
        second = self.submit(fx.layout_pdf())
        self.assertEqual(second.state, "in_review")
        self.assertIn("not 'YourCo Properties Trust' as required", second.review_reason)

    def test_right_holder_is_accepted_as_before(self):
        certificate = self.submit(fx.layout_pdf())
        self.assertEqual(certificate.state, "accepted")
        self.assertFalse(certificate.review_reason)
        self.assertEqual(self.granite.coi_status, "compliant")

    def test_holder_address_must_match_when_the_set_asks(self):
        self.standard.holder_address_required = True
        self.env.company.write(
            {"street": "1 Main Street", "street2": False, "city": "Boston", "zip": "02110"}
        )
        self.env.company.state_id = False
        certificate = self.submit(fx.layout_pdf())
        self.assertEqual(certificate.state, "in_review")
        self.assertEqual(
            certificate.review_reason,
            "The certificate holder's address is 'Attn: Risk Management, 500 Commerce Plaza, "
            "Floor 12, Springfield, IL 62999', not '1 Main Street, Boston 02110' as required.",
        )
        self.assertEqual(self.granite.coi_status, "pending_review")
        # The address printed on the certificate is the company's: accepted.
        self.env.company.write(
            {
                "street": "500 Commerce Plaza",
                "street2": "Floor 12",
                "city": "Springfield",
                "zip": "62999",
            }
        )
        second = self.submit(fx.layout_pdf())
        self.assertEqual(second.state, "accepted")
        # Not asked: any address will do.
        self.standard.holder_address_required = False
        self.env.company.write({"street": "1 Main Street", "city": "Boston", "zip": "02110"})
        self.assertEqual(self.submit(fx.layout_pdf()).state, "accepted")

    def test_additional_insured_naming_someone_else_goes_to_a_person(self):
        data = copy.deepcopy(fx.SAMPLE)
        data["description_of_operations"] = (
            "Northwind Developers Inc is included as additional insured on the general "
            "liability policy. Re: Riverside warehouse reroofing, job 26-118."
        )
        certificate = self.submit(fx.layout_pdf(data))
        self.assertEqual(certificate.state, "in_review")
        self.assertEqual(
            certificate.review_reason,
            "The description of operations names Northwind Developers Inc as additional "
            "insured, not Example Holdings Inc: a person must check who the endorsement covers.",
        )
        self.assertEqual(self.granite.coi_status, "pending_review")
        # A set without additional insured does not look at the description.
        self.standard.line_ids.additional_insured = False
        self.assertEqual(self.submit(fx.layout_pdf(data)).state, "accepted")

    def test_accepted_short_of_requirements_says_what_is_missing(self):
        gl_occurrence = self.standard.line_ids.filtered(
            lambda line: line.coverage_type_id == self.gl
        ).limit_ids.filtered(lambda limit: limit.limit_type_id == self.each_occurrence)
        # The certificate shows 1,000,000 and an umbrella of 5,000,000 on top.
        gl_occurrence.amount = 10_000_000
        certificate = self.submit(fx.layout_pdf())
        self.assertEqual(certificate.state, "accepted")  # everything was read: accepted
        self.assertEqual(self.granite.coi_status, "non_compliant")
        deficiency = self.lines(self.granite)["GL"].deficiency
        self.assertTrue(deficiency)
        chatter = certificate.message_ids.mapped("body")
        self.assertTrue(
            [body for body in chatter if f"Received, not yet compliant: {deficiency}" in body],
            chatter,
        )
        self.assertEqual(
            certificate._coi_status_message(), f"Received, not yet compliant: {deficiency}"
        )
        notice = self.env["coi.notice"].search(
            [("certificate_id", "=", certificate.id), ("kind", "=", "revision")]
        )
        self.assertIn("received, not yet compliant", notice.message_id.subject)
        body = str(notice.message_id.body)
        self.assertIn("Received, not yet compliant.", body)
        self.assertIn(deficiency, body)
        self.assertNotIn("accepted.", notice.message_id.subject)

    def test_reviewer_accepts_then_what_is_missing_is_said(self):
        """The person who checked the wrong holder accepts all the same; the
        workers' compensation policy is short: the contractor reads so."""
        self.env.company.name = "YourCo LLC"
        certificate = self.submit(fx.layout_pdf())
        self.assertEqual(certificate.state, "in_review")
        wc_line = self.standard.line_ids.filtered(lambda line: line.coverage_type_id == self.wc)
        wc_line.limit_ids.amount = 10_000_000  # 1,000,000 + the 5,000,000 umbrella
        certificate.with_user(self.coi_user).action_accept()
        self.settle()
        self.assertEqual(certificate.state, "accepted")
        lines = self.lines(self.granite)
        deficiency = lines["WC_EL"].deficiency
        self.assertTrue(
            deficiency,
            [(c, line.status, line.deficiency, line.policy_id.name) for c, line in lines.items()],
        )
        self.assertIn(f"Received, not yet compliant: {deficiency}", certificate.message_ids[0].body)
        # Once the vendor complies, the certificate reads "Accepted" again.
        wc_line.limit_ids.amount = 500_000
        self.settle()
        self.assertEqual(self.granite.coi_status, "compliant")
        self.assertEqual(certificate._coi_status_message(), "Accepted")
