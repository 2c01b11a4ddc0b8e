# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo.tests import tagged

from . import fixtures as fx
from .common import MailIntakeCase


@tagged("post_install", "-at_install")
class TestScanIntake(MailIntakeCase):
    """Scans and faxes through the coi@ alias: read by OCR like any other
    file; a scan read with confidence is accepted on its own, a doubtful
    one waits for a person with each doubtful value named."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.granite = cls._sample_insured()

    def read(self, certificate):
        self.env["coi.certificate"]._cron_read_certificates()
        return certificate

    def test_a_clean_scan_is_accepted_on_its_own_like_a_digital_certificate(self):
        scan = fx.images_pdf(fx.simulate(fx.layout_pdf()))
        certificate = self.read(
            self.send_to_alias("certs@broker.example", "COI", files=[("scan.pdf", scan)])
        )
        self.assertEqual(certificate.reading_method, "ocr")
        self.assertEqual(certificate.partner_id, self.granite)
        self.assertEqual(certificate.state, "accepted", certificate.review_reason)
        self.assertEqual(
            sorted(certificate.policy_ids.mapped("name")),
            ["BA-5520917", "GL-7781234", "UMB-3308812", "WC-9045561"],
        )
        self.assertIn("Accepted automatically", certificate.message_ids.mapped("body")[0])

    def test_a_fax_to_email_with_a_tiff_is_read_and_decided_on(self):
        """A fax service's email: the fax as a multi-page TIFF at 200 x 100
        dpi, black and white. The file is kept as it came, read by OCR, the
        policies proposed, and decided on like a digital certificate."""
        pages = fx.simulate(fx.layout_pdf(), fax=True)
        tiff = fx.images_tiff(pages + pages[:1])  # a cover page's worth more
        certificate = self.read(
            self.send_to_alias(
                "Fax Service <fax@faxservice.example>",
                "Fax from +1 415 555 0143 (2 pages)",
                text="You have received a fax.",
                files=[("fax.tif", tiff, "image/tiff")],
            )
        )
        self.assertEqual(certificate.attachment_ids.mapped("name"), ["fax.tif"])
        self.assertEqual(certificate.attachment_ids.raw, tiff)
        self.assertEqual(certificate.reading_method, "ocr")
        self.assertEqual(certificate.partner_id, self.granite)  # by the insured
        self.assertEqual(
            sorted(certificate.policy_ids.mapped("name")),
            ["BA-5520917", "GL-7781234", "UMB-3308812", "WC-9045561"],
        )
        gl = certificate.policy_ids.filtered(lambda p: p.name == "GL-7781234")
        self.assertEqual(str(gl.expiration_date), "2027-03-01")
        # Every value the policies need was read surely: no person needed.
        doubtful = certificate.value_ids.filtered("to_check")
        coverage_doubts = doubtful.filtered(lambda v: v.key.startswith("coverages."))
        self.assertFalse(coverage_doubts, coverage_doubts.mapped("name"))
        self.assertEqual(certificate.state, "accepted", certificate.review_reason)
