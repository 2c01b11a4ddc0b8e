# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import io
from datetime import date

import pdfplumber

from odoo import Command
from odoo.tests import freeze_time, tagged

from ..engine.explanations import STANDARD_EXPLANATIONS, ExplainedTerm
from ..engine.vocabulary import ENDORSEMENT_KIND_WORDS
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

    def test_endorsements_and_deviations_in_spanish(self):
        """What an endorsement document lacks, the waiver the policy does not
        show and what a manager accepted instead are said in Spanish too."""
        self.standard.line_ids.filtered(lambda line: line.coverage_type_id == self.gl).write(
            {
                "waiver_of_subrogation": True,
                "endorsement_type_ids": [
                    Command.set(
                        [
                            self.env.ref("coi_tracking.endorsement_cg_20_10").id,
                            self.env.ref("coi_tracking.endorsement_cg_20_37").id,
                        ]
                    )
                ],
                "endorsement_equivalent": True,
            }
        )
        with freeze_time("2026-06-10"):
            self.env["coi.deviation"].with_user(self.coi_manager).create(
                {
                    "partner_id": self.vendor.id,
                    "coverage_type_id": self.auto.id,
                    "accepted_terms": "No auto policy: no vehicles on site",
                    "reason": "Walks to the site",
                    "end_date": date(2026, 12, 31),
                }
            )
        notice = self.run_on("2026-06-15")
        body = str(notice.message_id.body)
        for spanish in (
            "Responsabilidad Civil General Comercial debe incluir una renuncia a la subrogación.",
            "Necesitamos un endoso de asegurado adicional para operaciones en curso en su póliza "
            "de Responsabilidad Civil General Comercial (por ejemplo, CG 20 10).",
            "Necesitamos un endoso de asegurado adicional para operaciones terminadas en su "
            "póliza de Responsabilidad Civil General Comercial (por ejemplo, CG 20 37).",
        ):
            self.assertIn(spanish, body)
        for english in ("We need", "endorsement", "must include", "waiver", "Accepted by"):
            self.assertNotIn(english, body)
        # The accepted item is no longer asked for; the checklist says who
        # accepted what until when (the words accepted are the manager's).
        auto = self.vendor.coi_compliance_line_ids.filtered(
            lambda line: line.coverage_type_id == self.auto
        )
        self.assertEqual(auto.status, "deviation_accepted")
        self.assertEqual(
            auto.with_context(lang="es_ES")._coi_deficiency_text(),
            f"Aceptado por {self.coi_manager.name} hasta el 31/12/2026: "
            "No auto policy: no vehicles on site.",
        )
        self.assertEqual(
            auto._coi_deficiency_text(),
            f"Accepted by {self.coi_manager.name} until 12/31/2026: "
            "No auto policy: no vehicles on site.",
        )

    def test_every_endorsement_form_sentence_in_spanish(self):
        """Each wording of a missing endorsement document, from its parts."""
        common = {"coverage": "General Liability", "coverage_code": "GL", "equivalent": False}
        line = self.env["coi.compliance.line"].new(
            {
                "deficiency": "(English)",
                "deficiency_parts": [
                    [
                        "form_names_others",
                        {
                            **common,
                            "kind": "ai_completed",
                            "required_form": "CG 20 37",
                            "form": "CG 20 37",
                            "names": ["Otra SA", "Tercera SL", "Cuarta SL"],
                        },
                    ],
                    [
                        "form_not_the_one_required",
                        {
                            **common,
                            "kind": "waiver_of_subrogation",
                            "required_form": "CG 24 04",
                            "forms": "NWS 1",
                        },
                    ],
                    [
                        "form_other_operations_only",
                        {
                            **common,
                            "kind": "ai_completed",
                            "other": "ai_ongoing",
                            "required_form": "CG 20 37",
                        },
                    ],
                    [
                        "form_missing",
                        {**common, "kind": "primary_noncontributory", "required_form": ""},
                    ],
                ],
            }
        )
        self.assertEqual(
            line.with_context(lang="es_ES")._coi_deficiency_text(),
            "Su endoso de asegurado adicional para operaciones terminadas (CG 20 37) nombra a "
            "Otra SA, Tercera SL y otros, no a nosotros; necesitamos uno que nos nombre, o un "
            "endoso general (blanket, «cuando lo exija un contrato escrito»). "
            "Su endoso de renuncia a la subrogación es el formulario NWS 1; necesitamos el "
            "formulario CG 24 04 exactamente. "
            "Su endoso de asegurado adicional cubre solo las operaciones en curso; también "
            "necesitamos las operaciones terminadas (formulario CG 20 37; no se acepta ningún "
            "otro). "
            "Necesitamos un endoso primario y no contributivo en su póliza de Responsabilidad "
            "Civil General Comercial.",
        )

    def test_the_model_words_are_the_engines(self):
        """The translatable copies of the engine's English say the same."""
        Explanation = self.env["coi.requirement.explanation"].with_context(lang="en_US")
        self.assertEqual(Explanation._coi_standard_texts(), STANDARD_EXPLANATIONS)
        explanation = self.standard.explanation_ids.filtered(
            lambda e: e.term == ExplainedTerm.ADDITIONAL_INSURED
        )
        self.assertTrue(
            explanation.with_context(lang="es_ES")
            ._coi_text()
            .startswith("Su póliza también debe protegernos")
        )
        explanation.text = "Our own words."
        self.assertEqual(explanation.with_context(lang="es_ES")._coi_text(), "Our own words.")
        line = self.env["coi.compliance.line"].with_context(lang="en_US")
        for kind, words in ENDORSEMENT_KIND_WORDS.items():
            params = {"kind": kind}
            line._coi_form_params(params)
            self.assertEqual(params["words"], words)

    def test_english_recipients_still_read_english(self):
        self.contact.lang = "en_US"
        self.vendor.lang = "en_US"
        notice = self.run_on("2026-06-15")
        self.assertIn("expires on", notice.message_id.subject)
        body = str(notice.message_id.body)
        self.assertIn("No Automobile Liability policy is on file; one is required.", body)
        self.assertNotIn("Hola", body)
