# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import base64
from datetime import date
from unittest.mock import patch

from odoo import Command
from odoo.tests import tagged

from . import fixtures as fx
from .common import CoiCase


@tagged("post_install", "-at_install")
class TestCertificateReading(CoiCase):
    """Upload -> read -> draft policies -> accepted at once or reviewed."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.granite = cls._sample_insured()

    def upload(self, data, name="coi.pdf", vendor=None):
        attachment = (
            self.env["ir.attachment"]
            .with_user(self.coi_user)
            .create({"name": name, "datas": base64.b64encode(data), "res_model": "coi.certificate"})
        )
        certificate = (
            self.env["coi.certificate"]
            .with_user(self.coi_user)
            .create(
                {
                    "partner_id": (vendor or self.granite).id,
                    "attachment_ids": [Command.link(attachment.id)],
                }
            )
        )
        self.assertEqual(certificate.reading_state, "pending")
        self.env["coi.certificate"]._cron_read_certificates()
        return certificate, attachment

    def test_clear_certificate_is_accepted_at_once(self):
        self.assertEqual(self.granite.coi_status, "non_compliant")
        certificate, _ = self.upload(fx.layout_pdf())
        self.env.cr.flush()
        self.assertRecordValues(
            certificate,
            [{"reading_state": "done", "reading_method": "text", "state": "accepted"}],
        )
        self.assertFalse(certificate.review_reason)
        policies = certificate.policy_ids
        self.assertEqual(
            sorted(policies.mapped("coverage_type_id.code")), ["AUTO", "GL", "UMBRELLA", "WC_EL"]
        )
        self.assertEqual(set(policies.mapped("state")), {"active"})
        gl = policies.filtered(lambda p: p.coverage_type_id == self.gl)
        self.assertRecordValues(
            gl,
            [
                {
                    "name": "GL-7781234",
                    "additional_insured": True,
                    "waiver_of_subrogation": True,
                    "extraction_confidence": 0.9,
                }
            ],
        )
        limits = {limit.limit_type_id.code: limit.amount for limit in gl.limit_ids}
        self.assertEqual(limits["EACH_OCCURRENCE"], 1_000_000)
        self.assertEqual(limits["GENERAL_AGGREGATE"], 2_000_000)
        # Insurer and agent come from the certificate.
        insurer_a = fx.SAMPLE["insurers"]["A"]
        self.assertRecordValues(
            gl.insurer_id,
            [
                {
                    "name": insurer_a["name"],
                    "coi_naic_code": insurer_a["naic"],
                    "coi_is_insurer": True,
                }
            ],
        )
        self.assertRecordValues(
            gl.agent_id, [{"name": fx.SAMPLE["producer"]["name"], "coi_is_agent": True}]
        )
        self.assertEqual(self.granite.coi_status, "compliant")

    def test_the_job_commits_each_certificate_on_its_own(self):
        """In the job, each certificate is locked, read and committed alone:
        its vendor hears the decision at once, not at the end of a batch."""
        Certificate = self.env["coi.certificate"]
        certificates = Certificate.browse()
        for _n in range(3):
            certificates |= Certificate._coi_submit(
                self.granite, [("coi.pdf", fx.layout_pdf())], "portal"
            )[0]
        self.assertEqual(set(certificates.mapped("reading_state")), {"pending"})
        cron = self.env.ref("coi_tracking.ir_cron_coi_read_certificates")
        progress = []
        with patch.object(
            type(self.env["ir.cron"]),
            "_commit_progress",
            lambda _self, processed=0, **kwargs: progress.append(processed) or 60.0,
        ):
            self.env["coi.certificate"].with_context(cron_id=cron.id)._cron_read_certificates()
        self.assertEqual(progress, [1, 1, 1])
        self.assertEqual(set(certificates.mapped("reading_state")), {"done"})

    def test_unknown_layout_values_are_proposed_for_review(self):
        """A certificate in the issuer's own layout: what its labels say is
        proposed (policies, limits, insurers, agent), and a person checks it."""
        certificate, _ = self.upload(fx.freeform_pdf())
        self.assertRecordValues(certificate, [{"reading_state": "done", "state": "in_review"}])
        self.assertIn("low confidence", certificate.review_reason)
        policies = certificate.policy_ids
        self.assertEqual(
            sorted(policies.mapped("coverage_type_id.code")), ["AUTO", "GL", "UMBRELLA", "WC_EL"]
        )
        self.assertEqual(set(policies.mapped("state")), {"draft"})
        gl = policies.filtered(lambda p: p.coverage_type_id == self.gl)
        self.assertRecordValues(
            gl,
            [
                {
                    "name": "GL-7781234",
                    "effective_date": date(2026, 3, 1),
                    "expiration_date": date(2027, 3, 1),
                    "extraction_confidence": 0.5,
                }
            ],
        )
        limits = {limit.limit_type_id.code: limit.amount for limit in gl.limit_ids}
        self.assertEqual(limits, fx.SAMPLE["coverages"][0]["limits"])
        self.assertEqual(gl.insurer_id.name, fx.SAMPLE["insurers"]["A"]["name"])
        self.assertEqual(gl.insurer_id.coi_naic_code, fx.SAMPLE["insurers"]["A"]["naic"])
        self.assertEqual(gl.agent_id.name, fx.SAMPLE["producer"]["name"])
        wc = policies.filtered(lambda p: p.coverage_type_id == self.wc)
        self.assertEqual(wc.insurer_id.name, fx.SAMPLE["insurers"]["C"]["name"])
        self.assertTrue(wc.per_statute)
        # The review grid lists every limit read, to correct in place.
        self.assertEqual(certificate.policy_limit_ids, policies.limit_ids)
        each = gl.limit_ids.filtered(lambda limit: limit.limit_type_id == self.each_occurrence)
        certificate.with_user(self.coi_user).write(
            {"policy_limit_ids": [Command.update(each.id, {"amount": 2_000_000})]}
        )
        self.assertEqual(each.amount, 2_000_000)

    def test_known_insurer_is_matched_by_naic_then_name(self):
        naic = fx.SAMPLE["insurers"]["A"]["naic"]
        self.insurer.coi_naic_code = naic
        certificate, _ = self.upload(fx.acroform_pdf(naming="flat"))
        gl = certificate.policy_ids.filtered(lambda p: p.coverage_type_id == self.gl)
        self.assertEqual(gl.insurer_id, self.insurer)
        # Same company written differently, no NAIC on file: matched by name.
        name_b = fx.SAMPLE["insurers"]["B"]["name"]
        known_b = self.env["res.partner"].create(
            {"name": name_b.upper() + ".", "is_company": True, "coi_is_insurer": True}
        )
        self.assertEqual(self.env["res.partner"]._coi_insurer_for(name_b, None), known_b)

    def test_a_doubtful_scan_waits_for_a_person_then_accepts(self):
        """A skewed fax: OCR doubts a policy number (a value it is unsure
        of is never accepted on its own); the reviewer corrects and accepts.
        (A scan read surely is accepted on its own: TestScanIntake.)"""
        fax = fx.images_pdf(fx.simulate(fx.layout_pdf(), **fx.SCAN_CASES["fax skewed"]))
        certificate, _ = self.upload(fax)
        self.assertEqual(certificate.state, "in_review")
        self.assertEqual(certificate.reading_method, "ocr")
        self.assertIn("low confidence in policy_number", certificate.review_reason)
        self.assertEqual(self.granite.coi_status, "pending_review")
        drafts = certificate.policy_ids
        self.assertTrue(drafts)
        self.assertEqual(set(drafts.mapped("state")), {"draft"})
        # The reviewer corrects what OCR missed and accepts in one screen.
        for coverage in fx.SAMPLE["coverages"]:
            draft = drafts.filtered(lambda p, c=coverage: p.coverage_type_id.code == c["type"])
            draft.write(
                {
                    "name": coverage["policy_number"],
                    "effective_date": coverage["effective_date"],
                    "expiration_date": coverage["expiration_date"],
                }
            )
        certificate.with_user(self.coi_user).action_accept()
        self.assertEqual(certificate.state, "accepted")
        self.assertEqual(set(certificate.policy_ids.mapped("state")), {"active"})

    def test_other_insured_goes_to_review(self):
        other = self.env["res.partner"].create(
            {
                "name": "Completely Different Plumbing Co",
                "is_company": True,
                "coi_requirement_set_ids": [Command.link(self.standard.id)],
            }
        )
        certificate, _ = self.upload(fx.layout_pdf(), vendor=other)
        self.assertEqual(certificate.state, "in_review")
        self.assertIn("does not match the vendor", certificate.review_reason)
        self.assertEqual(other.coi_status, "pending_review")

    def test_corrupted_file_is_kept_and_flagged(self):
        certificate, attachment = self.upload(fx.corrupted_pdf(), name="broken.pdf")
        self.assertRecordValues(
            certificate,
            [
                {
                    "reading_state": "failed",
                    "state": "in_review",
                    "review_reason": "The PDF is damaged or incomplete.",
                }
            ],
        )
        self.assertFalse(certificate.policy_ids)
        self.assertTrue(attachment.exists())
        self.assertEqual(attachment.raw, fx.corrupted_pdf())
        self.assertIn("Needs a review", certificate.message_ids[0].body)

    def test_damaged_annotation_costs_only_its_strategy(self):
        """One FreeText annotation with a broken rectangle: the text layer is
        read all the same, a warning names the strategy that failed."""
        certificate, _ = self.upload(fx.damaged_annotation_pdf())
        self.env.cr.flush()
        self.assertRecordValues(
            certificate, [{"reading_state": "done", "reading_method": "text", "state": "accepted"}]
        )
        self.assertIn("GL-7781234", certificate.policy_ids.mapped("name"))
        self.assertIn(
            "The FreeText annotations could not be read (TypeError); "
            "the rest of the file was read.",
            certificate.reading_result["warnings"],
        )

    def test_file_too_large_to_read_is_kept_and_flagged(self):
        """1 MB inflating to 1.1 GB: read in the job's capped child process,
        kept and flagged for a person."""
        certificate, attachment = self.upload(fx.deflate_bomb_pdf(), name="bomb.pdf")
        self.assertRecordValues(
            certificate,
            [
                {
                    "reading_state": "failed",
                    "state": "in_review",
                    "review_reason": "The file could not be read: too large to read.",
                }
            ],
        )
        self.assertEqual(certificate.attachment_ids, attachment)
        self.assertEqual(attachment.raw, fx.deflate_bomb_pdf())
        self.assertFalse(certificate.document_id)  # not shown inline: kept among the files

    def test_the_job_reads_a_small_text_file_itself_and_a_scan_or_bomb_in_a_child(self):
        """A file an upload could read at once is read by the job in its own
        process (a child Python costs a second or two of processor time, more
        than such a reading); a scan (OCR) and a file over the budget are
        read in the capped child process."""
        from odoo.addons.coi_tracking.engine.extract import extract_isolated

        path = "odoo.addons.coi_tracking.models.coi_certificate.extract_isolated"
        with patch(path, wraps=extract_isolated) as child:
            certificate, _ = self.upload(fx.layout_pdf())
            self.assertEqual(certificate.state, "accepted")
            self.assertEqual(child.call_count, 0)
            scan = fx.images_pdf(fx.simulate(fx.layout_pdf(), **fx.SCAN_CASES["fax skewed"]))
            certificate, _ = self.upload(scan, vendor=self._sample_insured())
            self.assertEqual(certificate.reading_method, "ocr")
            self.assertEqual(child.call_count, 1)
            certificate, _ = self.upload(fx.deflate_bomb_pdf(), name="bomb.pdf")
            self.assertEqual(
                certificate.review_reason, "The file could not be read: too large to read."
            )
            self.assertEqual(child.call_count, 2)

    def test_picture_of_a_cat_is_kept_and_flagged(self):
        certificate, attachment = self.upload(fx.cat_png(), name="cat.png")
        self.assertEqual(certificate.state, "in_review")
        self.assertIn("No certificate of insurance was found", certificate.review_reason)
        self.assertTrue(attachment.exists())
