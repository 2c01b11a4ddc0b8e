# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import re
from datetime import timedelta
from html import unescape

from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.coi_tracking.tests import fixtures as fx
from odoo.addons.coi_tracking.tests.test_languages import load_spanish


@tagged("post_install", "-at_install")
class TestUploadPageLanguage(HttpCase):
    """The public upload page speaks Spanish: when asked for (the `/es/`
    prefix or the language cookie), and by default to a visitor of a link
    made for a Spanish-speaking contact."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        load_spanish(cls.env, ("coi_tracking", "coi_tracking_portal"))
        cls.env.company.coi_default_requirement_set_id = False  # the demo sets one
        gl = cls.env.ref("coi_tracking.coverage_gl")
        occurrence = cls.env.ref("coi_tracking.limit_each_occurrence")
        req_set = cls.env["coi.requirement.set"].create(
            {
                "name": "Language test set",
                "line_ids": [
                    Command.create(
                        {
                            "coverage_type_id": gl.id,
                            "additional_insured": True,
                            "waiver_of_subrogation": True,
                            "limit_ids": [
                                Command.create(
                                    {"limit_type_id": occurrence.id, "amount": 1_000_000}
                                )
                            ],
                        }
                    )
                ],
            }
        )
        cls.vendor = cls.env["res.partner"].create(
            {
                "name": "Construcciones Ejemplo SL",
                "is_company": True,
                "supplier_rank": 1,
                "coi_requirement_set_ids": [Command.link(req_set.id)],
            }
        )
        cls.contact = cls.env["res.partner"].create(
            {
                "name": "Ana Contratista",
                "parent_id": cls.vendor.id,
                "email": "ana@ejemplo.example",
                "lang": "es_ES",
            }
        )
        cls.link = cls.vendor._coi_upload_request()
        cls.spanish_link = cls.vendor._coi_upload_request(recipient=cls.contact)
        cls.env.cr.flush()  # the end of the transaction: vendors are evaluated

    def assertSpanish(self, response):
        self.assertEqual(response.status_code, 200)
        html = unescape(response.text)
        for spanish in (
            "Certificado de seguro para",
            "Solicitado a",
            "Lo que falta",
            "No tenemos ninguna póliza de Responsabilidad Civil General Comercial en archivo; "
            "es obligatoria.",
            "Lo que se exige",
            "Titular del certificado, exactamente así:",
            "Hacer una pregunta",
            "Envíe su certificado",
            "¿Qué nos envía?",
            # The set's standard explanations of the terms asked, translated.
            "Asegurado adicional",
            "Su póliza también debe protegernos",
            "Renuncia a la subrogación",
            "Tras pagar un siniestro, su aseguradora renuncia",
            # What the contractor may send, in its words.
            "Certificado (ACORD 25)",
            "Páginas de la póliza",
        ):
            self.assertIn(spanish, html)
        for english in (
            "Certificate of insurance for",
            "Still missing",
            "is on file",
            "What is required",
            "Send your certificate",
            "What are you sending?",
            "Your policy must also protect us",
            "your insurer gives up its right",
            "Policy Pages",
        ):
            self.assertNotIn(english, html)

    def test_page_in_spanish_by_prefix_and_by_cookie(self):
        self.assertSpanish(self.url_open(f"/es/coi/upload/{self.link.access_token}"))
        self.opener.cookies.set("frontend_lang", "es_ES")
        self.assertSpanish(self.url_open(f"/coi/upload/{self.link.access_token}"))

    def test_page_in_the_language_of_the_links_recipient(self):
        response = self.url_open(f"/coi/upload/{self.spanish_link.access_token}")
        self.assertTrue(response.url.endswith(f"/es/coi/upload/{self.spanish_link.access_token}"))
        self.assertSpanish(response)
        # The vendor's own link (no recipient, the vendor in English) stays in English.
        self.opener.cookies.clear()
        english = self.url_open(f"/coi/upload/{self.link.access_token}")
        self.assertIn("Certificate of insurance for", english.text)
        self.assertIn("No Commercial General Liability policy is on file", unescape(english.text))

    def test_refused_file_is_explained_in_spanish(self):
        page = self.url_open(f"/es/coi/upload/{self.link.access_token}").text
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        response = self.url_open(
            f"/es/coi/upload/{self.link.access_token}",
            data={"kind": "certificate", "csrf_token": token},
            files=[("files", ("vacio.pdf", b"", "application/pdf"))],
        )
        html = unescape(response.text)
        self.assertIn("Algunos archivos no fueron aceptados:", html)
        self.assertIn("El archivo está vacío.", html)
        self.assertNotIn("The file is empty.", html)

    def test_an_upload_in_spanish_is_answered_by_its_spanish_page(self):
        """The redirection after an upload keeps the visitor's language: the
        page of the certificate is the Spanish one."""
        page = self.url_open(f"/es/coi/upload/{self.link.access_token}").text
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        response = self.url_open(
            f"/es/coi/upload/{self.link.access_token}",
            data={"kind": "certificate", "csrf_token": token},
            files=[("files", ("coi.pdf", fx.layout_pdf(), "application/pdf"))],
            allow_redirects=False,
        )
        certificate = self.link.certificate_ids
        self.assertEqual(len(certificate), 1)
        self.assertEqual(response.status_code, 303)
        self.assertIn(
            f"/es/coi/upload/{self.link.access_token}?certificate={certificate.id}",
            response.headers["Location"],
        )
        self.assertSpanish(self.url_open(response.headers["Location"]))

    def test_accepted_deviation_in_spanish_on_the_portal(self):
        """An item a manager accepted as it is says so in Spanish on the
        contractor's /my/insurance: who, until when (the words accepted are
        the manager's own)."""
        end = (self.vendor.company_id or self.env.company)._coi_today() + timedelta(days=30)
        self.env["coi.deviation"].create(
            {
                "partner_id": self.vendor.id,
                "coverage_type_id": self.env.ref("coi_tracking.coverage_gl").id,
                "accepted_terms": "GL pending until the job starts",
                "reason": "Short job",
                "end_date": end,
            }
        )
        user = new_test_user(
            self.env, login="contratista", groups="base.group_portal", lang="es_ES"
        )
        user.partner_id.parent_id = self.vendor
        self.env.cr.flush()
        self.authenticate("contratista", "contratista")
        html = unescape(self.url_open(f"/my/insurance/{self.vendor.id}").text)
        self.assertIn(
            f"Aceptado por {self.env.user.name} hasta el {end.strftime('%d/%m/%Y')}: "
            "GL pending until the job starts.",
            html,
        )
        self.assertIn("Desviación aceptada", html)
        self.assertNotIn("Accepted by", html)
        self.assertNotIn("Deviation Accepted", html)
