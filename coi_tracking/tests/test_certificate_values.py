# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The values read off a certificate, each with its confidence and the image
of the region it was read from: stored when the file is read, replaced when
it is read again, walled by company, shown on the review screen."""

import base64
from unittest.mock import patch

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged

from ..engine.extract import Extraction, extract
from ..engine.extract.model import FAIR, GOOD, LOW
from . import fixtures as fx
from .common import CoiCase
from .fixtures.scans import png_bytes
from .test_multi_company import TwoCompanies

READER = "odoo.addons.coi_tracking.models.coi_certificate.CoiCertificate._coi_job_read"
# Boxes of the drawn certificate's general liability row in points (as the
# OCR reader gives regions): the policy number, the each occurrence limit.
NUMBER_BOX = [214.0, 337.0, 266.0, 351.0]
OCCURRENCE_BOX = [538.0, 301.0, 590.0, 315.0]


def snippet(box=NUMBER_BOX, dpi=100):
    """The image of a box of the drawn certificate as a scan shows it (PNG, base64)."""
    scale = dpi / 72
    image = fx.scan_image(dpi=dpi).crop(tuple(round(v * scale) for v in box))
    return base64.b64encode(png_bytes(image)).decode()


def scanned_reading():
    """The reading of the drawn certificate as the OCR reader gives it for a
    scan: the general liability policy number read poorly, its each
    occurrence limit fairly, each with its region and image."""
    result = extract(fx.layout_pdf())
    result.method = "ocr"
    gl = result.coverages[0]
    gl.confidence.update({"policy_number": LOW, "limits.EACH_OCCURRENCE": FAIR})
    result.regions = {
        "coverages.0.policy_number": [1, *NUMBER_BOX],
        "coverages.0.limits.EACH_OCCURRENCE": [1, *OCCURRENCE_BOX],
    }
    result.snippets = {
        "coverages.0.policy_number": snippet(),
        "coverages.0.limits.EACH_OCCURRENCE": snippet(OCCURRENCE_BOX),
    }
    return result


class ValuesCase(CoiCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.granite = cls._sample_insured()

    def upload(self, data, vendor=None, user=None):
        """A certificate uploaded by a COI user, read by the reading job."""
        user = user or self.coi_user
        attachment = (
            self.env["ir.attachment"]
            .with_user(user)
            .create(
                {"name": "coi.pdf", "datas": base64.b64encode(data), "res_model": "coi.certificate"}
            )
        )
        certificate = (
            self.env["coi.certificate"]
            .with_user(user)
            .create(
                {
                    "partner_id": (vendor or self.granite).id,
                    "attachment_ids": [Command.link(attachment.id)],
                }
            )
        )
        self.env["coi.certificate"]._cron_read_certificates()
        return certificate

    def values(self, certificate, user=None):
        """The certificate's values as the review screen lists them."""
        return (
            self.env["coi.certificate.value"]
            .with_user(user or self.coi_user)
            .search([("certificate_id", "=", certificate.id)])
        )

    def read_again(self, certificate, reading):
        certificate.write({"reading_state": "done"})
        certificate._queue_reading()
        with patch(READER, return_value=reading):
            self.env["coi.certificate"]._cron_read_certificates()


@tagged("post_install", "-at_install")
class TestCertificateValues(ValuesCase):
    def test_a_digital_certificate_s_values_are_stored_as_read(self):
        certificate = self.upload(fx.layout_pdf())
        self.assertEqual(certificate.state, "accepted")
        values = self.values(certificate)
        self.assertEqual(certificate.value_ids, values)
        self.assertEqual(len(values), 43)
        by_name = {value.name: value for value in values}
        self.assertRecordValues(
            by_name["General liability: policy number"]
            | by_name["General liability: each occurrence"]
            | by_name["Auto: combined single limit"]
            | by_name["General liability: expiration date"]
            | by_name["General liability: additional insured"]
            | by_name["Insurer A"],
            [
                {"value": "GL-7781234", "confidence": GOOD, "confidence_level": "good"},
                {"value": "$1,000,000", "confidence": GOOD, "confidence_level": "good"},
                {"value": "$1,000,000", "confidence": GOOD, "confidence_level": "good"},
                {"value": "2027-03-01", "confidence": GOOD, "confidence_level": "good"},
                {"value": "Yes", "confidence": GOOD, "confidence_level": "good"},
                {
                    "value": "Bluewater Casualty Insurance Company (NAIC 12345)",
                    "confidence": GOOD,
                    "confidence_level": "good",
                },
            ],
        )
        # All read surely from the text layer: in the page's order, on page 1,
        # nothing to check, no image (a digital page has none).
        self.assertEqual(
            values[:4].mapped("name"),
            ["Certificate date", "Certificate number", "Producer", "Insured"],
        )
        self.assertEqual(values[-1].name, "Certificate holder")
        self.assertEqual(set(values.mapped("page")), {1})
        self.assertFalse(any(values.mapped("to_check")))
        self.assertFalse(any(values.mapped("image")))
        self.assertEqual(by_name["Insured"].confidence_text, "90% · Good")

    def test_a_scan_s_values_carry_their_image_and_a_new_reading_replaces_them(self):
        # A fax (200 x 100 dpi, black and white) read by the real OCR path.
        fax = fx.images_pdf(fx.simulate(fx.layout_pdf(), fax=True))
        certificate = self.upload(fax)
        self.assertEqual(certificate.reading_method, "ocr")
        # Values OCR doubted: a person reviews.
        self.assertEqual(certificate.state, "in_review")
        values = self.values(certificate)
        to_check = values.filtered("to_check")
        self.assertTrue(to_check)
        # Those to check first; each with the image of where it was read.
        self.assertEqual(values[: len(to_check)], to_check)
        self.assertTrue(all(value.confidence < GOOD for value in to_check))
        self.assertTrue(all(to_check.mapped("image")))
        number = values.filtered(lambda v: v.name == "General liability: policy number")
        self.assertEqual((number.value, number.page), ("GL-7781234", 1))
        self.assertEqual(base64.b64decode(number.image)[:8], b"\x89PNG\r\n\x1a\n")
        images = self.env["ir.attachment"].search(
            [("res_model", "=", "coi.certificate.value"), ("res_field", "=", "image")]
        )
        self.assertEqual(set(images.mapped("res_id")), set(values.filtered("image").ids))

        # The file read again: the values are those of the new reading.
        certificate.write({"reading_state": "done"})
        certificate._queue_reading()
        self.env["coi.certificate"]._cron_read_certificates()
        self.assertFalse(values.exists())
        self.assertFalse(images.exists())
        self.assertEqual(len(certificate.value_ids), len(values))
        # Read again and found nothing: no value is left from the earlier reading.
        self.read_again(certificate, Extraction(error="The file is not a certificate."))
        self.assertFalse(certificate.value_ids)

    def test_users_read_the_values_and_the_reader_alone_writes_them(self):
        certificate = self.upload(fx.layout_pdf())
        value = self.values(certificate)[0]
        self.assertEqual(value.value, "2026-03-02")
        with self.assertRaises(AccessError):
            value.write({"value": "2026-01-01"})
        with self.assertRaises(AccessError):
            value.unlink()
        with self.assertRaises(AccessError):
            self.env["coi.certificate.value"].with_user(self.coi_user).create(
                {"certificate_id": certificate.id, "key": "x", "name": "X"}
            )
        # Internal users outside insurance compliance see no value at all.
        self.assertFalse(self.env["coi.certificate.value"].with_user(self.buyer).has_access("read"))


@tagged("post_install", "-at_install")
class TestCertificateValuesCompanies(TwoCompanies):
    def test_a_company_s_values_and_their_images_stay_in_it(self):
        certificate = self.env["coi.certificate"].create({"partner_id": self.vendor_a.id})
        Values = self.env["coi.certificate.value"]
        Values._coi_store(certificate, scanned_reading())
        values_a = Values.search([("certificate_id", "=", certificate.id)])
        self.assertEqual(len(values_a), 43)
        self.assertEqual(values_a.company_id, self.company_a)
        user_a = self.company_user("coi_values_user_a", self.company_a)
        self.assertEqual(values_a.with_user(user_a).read(["value"])[0]["value"], "GL-7781234")

        Values = Values.with_user(self.user_b)
        self.assertFalse(Values.search([("certificate_id", "=", certificate.id)]))
        with self.assertRaises(AccessError):
            values_a[0].with_user(self.user_b).read(["value", "name"])
        with self.assertRaises(AccessError):
            values_a[0].with_user(self.manager_b).read(["value"])
        # Nor the image of the region, as a file.
        domain = [
            ("res_model", "=", "coi.certificate.value"),
            ("res_field", "=", "image"),
            ("res_id", "in", values_a.ids),
        ]
        images = self.env["ir.attachment"].search(domain)
        self.assertEqual(len(images), 2)
        self.assertFalse(self.env["ir.attachment"].with_user(self.user_b).search(domain))
        with self.assertRaises(AccessError):
            images[0].with_user(self.user_b).read(["datas"])
        # Company B's reading of its own certificate is its own.
        certificate_b = (
            self.env["coi.certificate"]
            .with_user(self.user_b)
            .create({"partner_id": self.vendor_b.id, "company_id": self.company_b.id})
        )
        self.env["coi.certificate.value"]._coi_store(certificate_b, scanned_reading())
        self.assertEqual(Values.search([]).certificate_id, certificate_b)


@tagged("post_install", "-at_install")
class TestCertificateValuesScreen(HttpCase):
    """The review screen of a scan: the Values Read tab shows each value with
    its confidence, the poorly read one first and in red, with its image."""

    def test_reviewer_sees_the_values_to_check_first(self):
        reviewer = new_test_user(
            self.env,
            login="coi_values_reviewer",
            groups="base.group_user,coi_tracking.coi_tracking_group_user",
        )
        vendor = self.env["res.partner"].create(
            {"name": fx.SAMPLE["insured"]["name"], "is_company": True}
        )
        attachment = (
            self.env["ir.attachment"]
            .with_user(reviewer)
            .create(
                {
                    "name": "faxed.pdf",
                    "datas": base64.b64encode(fx.layout_pdf()),
                    "res_model": "coi.certificate",
                }
            )
        )
        certificate = (
            self.env["coi.certificate"]
            .with_user(reviewer)
            .create({"partner_id": vendor.id, "attachment_ids": [Command.link(attachment.id)]})
        )
        with patch(READER, return_value=scanned_reading()):
            self.env["coi.certificate"]._cron_read_certificates()
        self.assertEqual(certificate.state, "in_review")
        self.start_tour(
            f"/odoo/action-coi_tracking.action_coi_certificate/{certificate.id}",
            "coi_certificate_values_tour",
            login="coi_values_reviewer",
        )
        # Without values (nothing read yet), the tab is not shown.
        empty = self.env["coi.certificate"].create({"partner_id": vendor.id})
        self.start_tour(
            f"/odoo/action-coi_tracking.action_coi_certificate/{empty.id}",
            "coi_certificate_no_values_tour",
            login="coi_values_reviewer",
        )
