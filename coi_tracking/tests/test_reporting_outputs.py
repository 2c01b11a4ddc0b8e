# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import timedelta

from markupsafe import escape

from odoo import Command
from odoo.tests import tagged

from .reporting_common import ReportingCase


@tagged("post_install", "-at_install")
class TestSnapshots(ReportingCase):
    def snapshots(self, on_date):
        return self.env["coi.compliance.snapshot"].search(
            [("date", "=", on_date), ("company_id", "=", self.company.id)]
        )

    def test_one_snapshot_per_day_and_company(self):
        Snapshot = self.env["coi.compliance.snapshot"]
        yesterday = self.today - timedelta(days=1)
        Snapshot._take_snapshot(yesterday)
        Snapshot._cron_take_snapshot()
        Snapshot._cron_take_snapshot()
        today = self.snapshots(self.today)
        self.assertEqual(len(today), 1)
        self.assertEqual(len(self.snapshots(yesterday)), 1)
        Partner = self.env["res.partner"]
        tracked = [
            ("coi_status", "!=", False),
            ("parent_id", "=", False),
            ("company_id", "in", [False, self.company.id]),
        ]
        self.assertEqual(today.vendor_count, Partner.search_count(tracked))
        non_compliant = today.non_compliant_count
        self.assertEqual(
            non_compliant, Partner.search_count([*tracked, ("coi_status", "=", "non_compliant")])
        )
        # The vendor gets its cover; the day's snapshot is taken again: updated, not added.
        self.policy(self.v_expired, self.wc, 300)
        self.env.cr.flush()
        self.assertEqual(self.v_expired.coi_status, "compliant")
        Snapshot._cron_take_snapshot()
        self.env.invalidate_all()
        self.assertEqual(self.snapshots(self.today), today)
        self.assertEqual(today.non_compliant_count, non_compliant - 1)
        self.assertGreater(today.compliance_rate, 0)

    def test_trend_graph_reads_rate_by_day(self):
        Snapshot = self.env["coi.compliance.snapshot"]
        for days in (2, 1, 0):
            Snapshot._take_snapshot(self.today - timedelta(days=days))
        groups = Snapshot.formatted_read_group(
            [("company_id", "=", self.company.id)], ["date:day"], ["compliance_rate:avg"]
        )
        self.assertEqual(len(groups), 3)


@tagged("post_install", "-at_install")
class TestVendorReport(ReportingCase):
    def render(self, vendor):
        html, _kind = self.env["ir.actions.report"]._render_qweb_html(
            "coi_tracking.report_vendor_compliance", vendor.ids
        )
        return html.decode()

    def test_checklist_and_deficiencies(self):
        html = self.render(self.v_missing)
        self.assertIn("Charlie Builders", html)
        self.assertIn("What is missing", html)
        self.assertEqual(html.count("o_coi_checklist_line"), 2)
        for line in self.v_missing.coi_compliance_line_ids:
            self.assertIn(str(escape(line.deficiency)), html)
        html_ok = self.render(self.v_ok)
        self.assertIn("Nothing is missing", html_ok)
        self.assertNotIn("What is missing", html_ok)

    def test_report_action_from_the_vendor(self):
        report = self.env.ref("coi_tracking.action_report_vendor_compliance")
        self.assertEqual(report.binding_model_id.model, "res.partner")
        action = report.with_user(self.coi_user).report_action(self.v_missing)
        self.assertEqual(action["type"], "ir.actions.report")
        self.assertEqual(action["report_name"], "coi_tracking.report_vendor_compliance")
        self.assertEqual(action["context"]["active_ids"], self.v_missing.ids)

    def test_pdf_with_wkhtmltopdf(self):
        # setup/ installs wkhtmltopdf; Odoo's test mode renders HTML unless forced.
        pdf, kind = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf("coi_tracking.report_vendor_compliance", self.v_missing.ids)
        )
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))

    def test_requirement_sets_listed(self):
        self.v_missing.coi_requirement_set_ids = [Command.set(self.set_gl.ids)]
        self.assertIn("Report GL (high)", self.render(self.v_missing))
