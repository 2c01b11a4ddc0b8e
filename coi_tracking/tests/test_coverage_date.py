# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Coverage on a date (issue 15): after an accident the claims team asks who
covered the vendor that day. The vendor form's "Coverage on a Date" lists
the policies in force then (since expired, renewed or cancelled ones too),
the insurer with its NAIC code, the agent to call and the certificate file,
and prints it."""

from datetime import date

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, HttpCase, new_test_user, tagged

from .test_multi_company import TwoCompanies

PDF = b"%PDF-1.4 coverage on a date certificate"


class CoverageCase(TwoCompanies):
    """Company A's vendor with last year's GL policy (renewed since, from a
    certificate with its file, through an agency), this year's GL policy, an
    auto policy cancelled in March 2025 and a draft that never counted."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.agency = Partner.create(
            {"name": "Harbor Brokers (coverage)", "is_company": True, "coi_is_agent": True}
        )
        cls.agent = Partner.create(
            {
                "name": "Pat Agent",
                "parent_id": cls.agency.id,
                "email": "pat@harbor.example.com",
                "phone": "+1 555 0101",
            }
        )
        cls.certificate = cls.env["coi.certificate"].create({"partner_id": cls.vendor_a.id})
        cls.file = cls.env["ir.attachment"].create(
            {
                "name": "acord25-2025.pdf",
                "raw": PDF,
                "mimetype": "application/pdf",
                "res_model": "coi.certificate",
                "res_id": cls.certificate.id,
            }
        )
        cls.certificate.write(
            {"attachment_ids": [Command.link(cls.file.id)], "document_id": cls.file.id}
        )
        # vendor_a already has this year's GL policy (GL-WALL-A, to 2027-01-01).
        cls.current = cls.policy_a
        cls.last_year = cls.create_policy(
            cls.vendor_a,
            cls.gl,
            "GL-2025",
            date(2026, 1, 1),
            state="replaced",
            agent_id=cls.agency.id,
            certificate_id=cls.certificate.id,
        )
        cls.cancelled = cls.create_policy(
            cls.vendor_a,
            cls.auto,
            "AU-2025",
            date(2026, 1, 1),
            state="cancelled",
            cancellation_date=date(2025, 3, 1),
        )
        cls.draft = cls.create_policy(
            cls.vendor_a, cls.wc, "WC-DRAFT", date(2026, 1, 1), state="draft"
        )

    def coverage(self, on_date=None, user=None, vendor=None):
        Wizard = self.env["coi.coverage.date"].with_user(user or self.coi_user)
        form = Form(Wizard.with_context(default_partner_id=(vendor or self.vendor_a).id))
        if on_date:
            form.on_date = on_date
        return form.save()


@tagged("post_install", "-at_install")
class TestCoverageOnDate(CoverageCase):
    def test_a_day_of_last_year_lists_the_expired_policy_not_the_current_one(self):
        wizard = self.coverage(date(2025, 7, 4))
        self.assertEqual(wizard.policy_ids, self.last_year)
        html = str(wizard.coverage_html)
        for shown in (
            "GL-2025",
            "Test Mutual Insurance Co",
            "NAIC",
            "99999",
            "Harbor Brokers (coverage)",
            "Pat Agent",
            "pat@harbor.example.com",
            "+1 555 0101",
            f'href="/web/content/{self.file.id}?download=true"',
            "acord25-2025.pdf",
            self.certificate.name,
            "Replaced",
        ):
            self.assertIn(shown, html)
        for hidden in ("GL-WALL-A", "AU-2025", "WC-DRAFT"):
            self.assertNotIn(hidden, html)

    def test_cancelled_policies_count_until_their_cancellation(self):
        self.assertEqual(
            self.coverage(date(2025, 2, 15)).policy_ids, self.last_year | self.cancelled
        )
        wizard = self.coverage(date(2025, 3, 1))  # cancelled that day: still listed
        self.assertEqual(wizard.policy_ids, self.last_year | self.cancelled)
        self.assertIn("Cancelled on", str(wizard.coverage_html))
        self.assertEqual(self.coverage(date(2025, 3, 2)).policy_ids, self.last_year)

    def test_the_changeover_day_shows_both_and_today_the_current_one(self):
        wizard = self.coverage(date(2026, 1, 1))
        self.assertEqual(wizard.policy_ids, self.last_year | self.current)
        self.assertIn("Ends that day", str(wizard.coverage_html))
        today = self.coverage()  # the date defaults to today
        self.assertEqual(today.on_date, date(2026, 6, 15))
        self.assertEqual(today.policy_ids, self.current)
        self.assertFalse(self.coverage(date(2024, 6, 1)).policy_ids)
        self.assertIn(
            "No policy of this vendor", str(self.coverage(date(2024, 6, 1)).coverage_html)
        )

    def test_printable(self):
        wizard = self.coverage(date(2025, 7, 4))
        action = wizard.action_print()
        self.assertEqual(action["report_name"], "coi_tracking.report_coverage_on_date")
        html, _kind = self.env["ir.actions.report"]._render_qweb_html(
            "coi_tracking.report_coverage_on_date", wizard.ids
        )
        html = html.decode()
        self.assertIn("Coverage on a date: <span>Alpha Paving (walls)</span>", html)
        self.assertIn("07/04/2025", html)
        self.assertIn("GL-2025", html)
        self.assertIn("99999", html)
        self.assertNotIn("GL-WALL-A", html)

    def test_the_vendor_form_opens_it_for_the_vendor(self):
        view = self.env.ref("coi_tracking.view_partner_form_coi")
        action = self.env.ref("coi_tracking.action_coi_coverage_date")
        self.assertIn(
            f'name="{action.id}"', self.env["res.partner"].get_view(view.inherit_id.id)["arch"]
        )
        self.assertEqual((action.res_model, action.target), ("coi.coverage.date", "new"))

    def test_other_company_sees_none_of_it(self):
        with self.assertRaises(UserError):  # A's vendor in B's question
            self.coverage(date(2025, 7, 4), user=self.user_b)
        Wizard = self.env["coi.coverage.date"]
        self.assertFalse(
            Wizard.with_user(self.user_b)._coi_in_force(self.vendor_a, date(2025, 7, 4))
        )
        # A shared vendor: each company sees its own policies only.
        shared = self.create_policy(self.vendor, self.auto, "AU-SHARED-A", date(2027, 1, 1))
        self.assertEqual(self.coverage(user=self.user_b, vendor=self.vendor).policy_ids.ids, [])
        self.assertIn(shared, self.coverage(vendor=self.vendor).policy_ids)
        # A user's question is theirs.
        wizard = self.coverage(date(2025, 7, 4))
        with self.assertRaises(AccessError):
            wizard.with_user(self.manager_a).read(["on_date"])


@tagged("post_install", "-at_install")
class TestCoverageDownload(HttpCase):
    """The certificate link downloads the file for a user who may read it,
    and for no one else."""

    def test_the_link_is_access_checked(self):
        company_b = self.env["res.company"].create({"name": "Beta Co (coverage)"})
        for login, company in (("coi_cov_a", self.env.company), ("coi_cov_b", company_b)):
            new_test_user(
                self.env,
                login=login,
                groups="coi_tracking.coi_tracking_group_user",
                company_id=company.id,
                company_ids=[Command.set(company.ids)],
            )
        vendor = self.env["res.partner"].create({"name": "Download Co", "is_company": True})
        certificate = self.env["coi.certificate"].create({"partner_id": vendor.id})
        file = self.env["ir.attachment"].create(
            {
                "name": "cov.pdf",
                "raw": PDF,
                "mimetype": "application/pdf",
                "res_model": "coi.certificate",
                "res_id": certificate.id,
            }
        )
        certificate.write({"attachment_ids": [Command.link(file.id)], "document_id": file.id})
        policy = self.env["coi.policy"].create(
            {
                "name": "GL-DL-1",
                "partner_id": vendor.id,
                "coverage_type_id": self.env.ref("coi_tracking.coverage_gl").id,
                "effective_date": date(2025, 1, 1),
                "expiration_date": date(2026, 1, 1),
                "state": "expired",
                "certificate_id": certificate.id,
            }
        )
        rows = self.env["coi.coverage.date"]._coi_coverage_rows(policy, date(2025, 7, 4))
        url = rows[0]["certificate"]["url"]
        self.authenticate("coi_cov_a", "coi_cov_a")
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content, PDF)
        self.authenticate("coi_cov_b", "coi_cov_b")
        response = self.url_open(url)
        self.assertIn(response.status_code, (403, 404))
        self.assertNotIn(PDF, response.content)
