# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import io
from datetime import date

import pdfplumber

from odoo import Command
from odoo.tests import freeze_time, tagged

from .common import CoiCase


def load_spanish(env, modules=("coi_tracking",)):
    """Spanish active, with the translations of `modules`."""
    env["res.lang"]._activate_lang("es_ES")
    env["ir.module.module"]._load_module_terms(list(modules), ["es_ES"], overwrite=True)


@tagged("post_install", "-at_install")
class TestNoticeLanguage(CoiCase):
    """Notices go out in the recipient's language: the Spanish of i18n/es.po
    for a contact whose language is Spanish, English for the others."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        load_spanish(cls.env)
        cls.contact = cls.env["res.partner"].create(
            {
                "name": "Oficina Tejados",
                "parent_id": cls.vendor.id,
                "email": "oficina@tejados.example",
                "lang": "es_ES",
            }
        )
        cls.vendor.write({"coi_insurance_contact_id": cls.contact.id, "lang": "es_ES"})
        cls.gl_policy.write(
            {"expiration_date": date(2026, 7, 15), "effective_date": date(2025, 7, 15)}
        )
        # A coverage the vendor has no policy for: a deficiency to tell.
        cls.standard.write(
            {
                "line_ids": [
                    Command.create(
                        {
                            "coverage_type_id": cls.auto.id,
                            "limit_ids": [
                                Command.create({"limit_type_id": cls.csl.id, "amount": 1_000_000})
                            ],
                        }
                    )
                ]
            }
        )

    def run_on(self, day):
        with freeze_time(day):
            self.env["res.partner"]._cron_refresh_compliance()
            self.env["coi.notice"]._cron_send_notices()
        return self.env["coi.notice"].search(
            [("partner_id", "=", self.vendor.id), ("kind", "=", "renewal")]
        )

    def test_renewal_notice_in_spanish(self):
        notice = self.run_on("2026-06-15")
        self.assertEqual(len(notice), 1)
        message = notice.message_id
        self.assertEqual(
            message.subject,
            "La póliza de Responsabilidad Civil General Comercial GL-100 vence el 15/07/2026",
        )
        body = str(message.body)
        for spanish in (
            "Hola:",
            "sin interrupciones, envíenos el certificado de renovación.",
            "Lo que falta:",
            "Lo que debe mostrar el certificado:",
            "Titular del certificado:",
            # The requirements in plain words (limit names, marks).
            "Cada siniestro",
            "asegurado adicional",
            # The engine's deficiency, said again in Spanish.
            "No tenemos ninguna póliza de Responsabilidad Civil de Automóviles en archivo; "
            "es obligatoria.",
        ):
            self.assertIn(spanish, body)
        # The example certificate's notes are in Spanish too; the form stays a form.
        example = message.attachment_ids
        self.assertEqual(example.mapped("name"), ["example-certificate.pdf"])
        with pdfplumber.open(io.BytesIO(example.raw)) as pdf:
            text = pdf.pages[0].extract_text()
        self.assertIn("Solo es un ejemplo: no otorga ningún seguro.", text)
        self.assertIn("firma su agente", text)
        self.assertIn("CERTIFICATE OF LIABILITY INSURANCE", text)
        self.assertNotIn("your agent signs", text)
        for english in (
            "Hello",
            "expires on",
            "What is missing",
            "What the certificate must show",
            "Certificate holder",
            "Each Occurrence",
            "additional insured",
            "is on file",
            "Automobile Liability",
            "Commercial General Liability",
            "Reply to this email",
        ):
            self.assertNotIn(english, body)

    def test_deficiency_sentences_in_the_readers_language(self):
        self.run_on("2026-06-15")
        line = self.vendor.coi_compliance_line_ids.filtered(
            lambda line: line.coverage_type_id == self.auto
        )
        english = "No Automobile Liability policy is on file; one is required."
        self.assertEqual(line.deficiency, english)
        self.assertEqual(line._coi_deficiency_text(), english)
        self.assertEqual(
            line.with_context(lang="es_ES")._coi_deficiency_text(),
            "No tenemos ninguna póliza de Responsabilidad Civil de Automóviles en archivo; "
            "es obligatoria.",
        )
        gl = line.browse().new(
            {
                "deficiency": "GL-100 expired.",
                "deficiency_parts": [
                    [
                        "expired",
                        {
                            "coverage": "Commercial General Liability",
                            "coverage_code": "GL",
                            "number": "GL-100",
                            "date": "2026-07-15",
                        },
                    ],
                    [
                        "limit_too_low",
                        {
                            "coverage": "Commercial General Liability",
                            "coverage_code": "GL",
                            "limit": "each occurrence",
                            "limit_code": "EACH_OCCURRENCE",
                            "held": "$500,000",
                            "required": "$1,000,000",
                        },
                    ],
                ],
            }
        )
        self.assertEqual(
            gl.with_context(lang="es_ES")._coi_deficiency_text(),
            "La póliza de Responsabilidad Civil General Comercial GL-100 venció el 15/07/2026; "
            "envíenos la renovación. El límite de Responsabilidad Civil General Comercial para "
            "cada siniestro es de $500,000; se exigen $1,000,000.",
        )

    def test_english_recipients_still_read_english(self):
        self.contact.lang = "en_US"
        self.vendor.lang = "en_US"
        notice = self.run_on("2026-06-15")
        self.assertIn("expires on", notice.message_id.subject)
        body = str(notice.message_id.body)
        self.assertIn("No Automobile Liability policy is on file; one is required.", body)
        self.assertNotIn("Hola", body)
