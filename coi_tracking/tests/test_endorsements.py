# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Endorsement documents: a requirement asks for CG 20 10 + CG 20 37 (or
equivalent); packets and endorsements sent alone come in through the door,
are read page by page and decide compliance; declarations pages confirm,
complete or contradict the policy."""

import copy

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from ..engine.vocabulary import CertificateSource
from . import fixtures as fx
from .common import CoiCase
from .test_multi_company import TwoCompanies

MISSING_COMPLETED = (
    "Your additional insured endorsement covers ongoing operations only; we also need "
    "completed operations (for example CG 20 37)."
)


@tagged("post_install", "-at_install")
class TestEndorsements(CoiCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The company the vendor works for is the holder the fixtures name.
        cls.env.company.name = fx.HOLDER
        ref = cls.env.ref
        cls.cg2010 = ref("coi_tracking.endorsement_cg_20_10")
        cls.cg2037 = ref("coi_tracking.endorsement_cg_20_37")
        cls.owner_set = cls.env["coi.requirement.set"].create(
            {
                "name": "Owner's contract (test)",
                "line_ids": [
                    Command.create(
                        {
                            "coverage_type_id": cls.gl.id,
                            "additional_insured": True,
                            "endorsement_type_ids": [Command.set((cls.cg2010 | cls.cg2037).ids)],
                            "limit_ids": [
                                Command.create(
                                    {"limit_type_id": cls.each_occurrence.id, "amount": 1_000_000}
                                )
                            ],
                        }
                    )
                ],
            }
        )
        cls.granite = cls.env["res.partner"].create(
            {
                "name": fx.SAMPLE["insured"]["name"],
                "is_company": True,
                "supplier_rank": 1,
                "coi_requirement_set_ids": [Command.link(cls.owner_set.id)],
            }
        )
        cls.env.cr.flush()

    def submit(self, data, name="packet.pdf"):
        certificate, refused = self.env["coi.certificate"]._coi_submit(
            self.granite, [(name, data)], CertificateSource.PORTAL
        )
        self.assertEqual(refused, [])
        self.env["coi.certificate"]._cron_read_certificates()
        self.settle()
        return certificate

    def gl_line(self):
        return self.lines(self.granite)["GL"]

    def test_packet_without_completed_operations_says_what_is_missing(self):
        certificate = self.submit(fx.packet_with_endorsements_pdf(completed=False))
        self.assertEqual(certificate.state, "accepted", certificate.review_reason)
        kinds = [page["kind"] for page in certificate.reading_result["pages"]]
        self.assertEqual(kinds, ["certificate", "endorsement", "other", "policy_page"])
        gl_policy = certificate.policy_ids.filtered(lambda p: p.coverage_type_id == self.gl)
        self.assertRecordValues(
            certificate.endorsement_ids,
            [
                {
                    "form": "CG 20 10",
                    "edition": "04 13",
                    "kind": "ai_ongoing",
                    "endorsement_type_id": self.cg2010.id,
                    "blanket": True,
                    "policy_id": gl_policy.id,
                }
            ],
        )
        self.assertRecordValues(
            certificate.declaration_ids, [{"policy_id": gl_policy.id, "match": "confirmed"}]
        )
        self.assertEqual(self.granite.coi_status, "non_compliant")
        self.assertEqual(self.gl_line().status, "endorsement_missing")
        self.assertEqual(self.gl_line().deficiency, MISSING_COMPLETED)

    def test_completed_operations_sent_alone_naming_us_makes_the_vendor_compliant(self):
        self.submit(fx.packet_with_endorsements_pdf(completed=False))
        self.assertEqual(self.granite.coi_status, "non_compliant")
        alone = self.submit(fx.endorsement_pdf("ai_completed", holder=fx.HOLDER), "cg2037.pdf")
        self.assertRecordValues(
            alone, [{"kind": "endorsement", "state": "accepted", "review_reason": False}]
        )
        gl_policy = self.granite.coi_compliance_line_ids.policy_id
        self.assertRecordValues(
            alone.endorsement_ids,
            [
                {
                    "form": "CG 20 37",
                    "kind": "ai_completed",
                    "names_company": True,
                    "blanket": False,
                    "policy_id": gl_policy.id,
                }
            ],
        )
        self.assertEqual(self.gl_line().status, "compliant")
        self.assertEqual(self.granite.coi_status, "compliant")

    def test_scheduled_endorsement_naming_someone_else_does_not_count(self):
        certificate = self.submit(fx.packet_with_endorsements_pdf(holder=fx.OTHER_ORGANIZATION))
        # The ADDL INSD mark is not enough: a person checks who is covered...
        self.assertEqual(certificate.state, "in_review")
        self.assertIn(
            f"names {fx.OTHER_ORGANIZATION}, not {self.env.company.name}", certificate.review_reason
        )
        # ... and, accepted anyway, the checklist says what is still missing.
        certificate.action_accept()
        self.settle()
        completed = certificate.endorsement_ids.filtered(lambda e: e.kind == "ai_completed")
        self.assertRecordValues(
            completed,
            [{"blanket": False, "names_company": False, "scheduled_names": fx.OTHER_ORGANIZATION}],
        )
        self.assertEqual(self.granite.coi_status, "non_compliant")
        self.assertEqual(
            self.gl_line().deficiency,
            "Your additional insured endorsement for completed operations (CG 20 37) names "
            f"{fx.OTHER_ORGANIZATION}, not us; we need one that names us, or a blanket "
            "endorsement (where required by written contract).",
        )

    def test_the_same_packet_naming_us_complies(self):
        certificate = self.submit(fx.packet_with_endorsements_pdf())
        self.assertEqual(certificate.state, "accepted", certificate.review_reason)
        self.assertEqual(
            sorted(certificate.endorsement_ids.mapped("kind")), ["ai_completed", "ai_ongoing"]
        )
        self.assertEqual(self.granite.coi_status, "compliant")

    def test_endorsements_count_only_once_accepted(self):
        """An endorsement read off a certificate a person still has to check
        does not make the vendor compliant."""
        self.submit(fx.packet_with_endorsements_pdf(completed=False))
        alone = self.submit(
            fx.endorsement_pdf("ai_completed", holder=fx.HOLDER, scanned=True), "scan.pdf"
        )
        self.assertEqual(alone.state, "in_review")
        self.assertIn("low confidence", alone.review_reason)
        self.assertEqual(alone.endorsement_ids.mapped("read_method"), ["ocr"])
        self.assertEqual(self.granite.coi_status, "pending_review")
        alone.with_user(self.coi_user).action_accept()
        self.settle()
        self.assertEqual(self.granite.coi_status, "compliant")

    def test_declarations_that_disagree_send_the_certificate_to_review(self):
        certificate = self.submit(
            fx.packet_with_endorsements_pdf(declarations={"expiration": "2028-03-01"})
        )
        self.assertEqual(certificate.state, "in_review")
        self.assertIn(
            "Declarations page 6 (policy GL-7781234): the policy period is 03/01/2026 to "
            "03/01/2028 there, 03/01/2026 to 03/01/2027 on file",
            certificate.review_reason,
        )
        self.assertEqual(certificate.declaration_ids.match, "differs")

    def test_declarations_fill_the_limits_the_certificate_does_not_show(self):
        data = copy.deepcopy(fx.SAMPLE)
        gl = next(c for c in data["coverages"] if c["type"] == "GL")
        del gl["limits"]["MED_EXP"]
        certificate = self.submit(fx.packet_with_endorsements_pdf(data=data))
        policy = certificate.policy_ids.filtered(lambda p: p.coverage_type_id == self.gl)
        limits = {limit.limit_type_id.code: limit.amount for limit in policy.limit_ids}
        self.assertEqual(limits["MED_EXP"], 5000)
        self.assertRecordValues(certificate.declaration_ids, [{"match": "filled"}])
        self.assertIn("medical expense $5,000", certificate.declaration_ids.note)

    def test_an_endorsement_of_an_unknown_policy_is_flagged(self):
        self.submit(fx.packet_with_endorsements_pdf(completed=False))
        other = self.env["res.partner"].create(
            {"name": "Other Vendor (endorsements)", "is_company": True, "supplier_rank": 1}
        )
        certificate, _ = self.env["coi.certificate"]._coi_submit(
            other, [("e.pdf", fx.endorsement_pdf("ai_ongoing"))], CertificateSource.PORTAL
        )
        self.env["coi.certificate"]._cron_read_certificates()
        self.assertEqual(certificate.state, "in_review")
        self.assertIn(
            "Endorsement CG 20 10 04 13 (page 1): no policy GL-7781234 of this vendor is on file.",
            certificate.review_reason,
        )

    def test_exact_forms_when_no_equivalent_is_accepted(self):
        """A carrier's own blanket form for completed operations is an
        equivalent of CG 20 37, not CG 20 37 itself."""
        self.submit(fx.packet_with_endorsements_pdf(completed=False))
        certificate = self.env["coi.certificate"].create(
            {"partner_id": self.granite.id, "kind": "endorsement"}
        )
        self.env["coi.certificate.endorsement"].create(
            {
                "certificate_id": certificate.id,
                "form": "NWS-GL 2210",
                "kind": "ai_completed",
                "blanket": True,
                "policy_id": self.gl_line().policy_id.id,
            }
        )
        certificate.action_accept()
        self.settle()
        self.assertEqual(self.granite.coi_status, "compliant")
        line = self.owner_set.line_ids
        self.assertTrue(line.summary.endswith("CG 20 10 + CG 20 37 or equivalent"))
        line.endorsement_equivalent = False
        self.settle()
        self.assertEqual(line.summary.split(", ")[-1], "CG 20 10 + CG 20 37")
        self.assertEqual(self.granite.coi_status, "non_compliant")
        self.assertEqual(
            self.gl_line().deficiency,
            "Your additional insured endorsement for completed operations is form NWS-GL 2210; "
            "we need form CG 20 37 itself.",
        )

    def test_required_forms_must_endorse_the_line_s_coverage(self):
        auto_ai = self.env.ref("coi_tracking.endorsement_ca_20_48")
        with self.assertRaisesRegex(ValidationError, "CA 20 48 endorse Auto"):
            self.owner_set.line_ids.endorsement_type_ids = [Command.link(auto_ai.id)]

    def test_catalog_codes_are_spelled_as_the_reader_reads_them(self):
        form = self.env["coi.endorsement.type"].create(
            {
                "code": "cg2039",
                "name": "Automatic status",
                "kind": "ai_ongoing",
                "coverage_type_id": self.gl.id,
            }
        )
        self.assertEqual(form.code, "CG 20 39")


@tagged("post_install", "-at_install")
class TestEndorsementWalls(TwoCompanies):
    def test_endorsements_read_stay_in_their_company(self):
        certificate_b = self.env["coi.certificate"].create(
            {"partner_id": self.vendor_b.id, "company_id": self.company_b.id}
        )
        line_b = self.env["coi.certificate.endorsement"].create(
            {
                "certificate_id": certificate_b.id,
                "form": "CG 20 10",
                "kind": "ai_ongoing",
                "blanket": True,
                "policy_id": self.policy_b.id,
            }
        )
        declaration_b = self.env["coi.certificate.declaration"].create(
            {"certificate_id": certificate_b.id, "policy_number": "GL-WALL-B", "match": "confirmed"}
        )
        self.assertEqual(line_b.company_id, self.company_b)
        Lines = self.env["coi.certificate.endorsement"]
        self.assertFalse(Lines.with_user(self.manager_a).search([("id", "=", line_b.id)]))
        self.assertEqual(Lines.with_user(self.user_b).search([("id", "=", line_b.id)]), line_b)
        Declarations = self.env["coi.certificate.declaration"].with_user(self.manager_a)
        self.assertFalse(Declarations.search([("id", "=", declaration_b.id)]))
        # A line cannot point at another company's policy.
        certificate_a = self.env["coi.certificate"].create({"partner_id": self.vendor_a.id})
        with self.assertRaises(UserError):
            self.env["coi.certificate.endorsement"].create(
                {
                    "certificate_id": certificate_a.id,
                    "kind": "ai_ongoing",
                    "policy_id": self.policy_b.id,
                }
            )
