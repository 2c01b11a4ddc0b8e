# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import timedelta

from odoo.tests import tagged

from .reporting_common import ReportingCase


@tagged("post_install", "-at_install")
class TestComplianceAnalysis(ReportingCase):
    def rows(self, domain=()):
        return self.env["coi.compliance.report"].search(
            [("partner_id", "in", self.vendors.ids), *domain]
        )

    def test_rows_match_the_engine(self):
        rows = self.rows()
        self.assertEqual(len(rows), 6)  # Charlie needs GL and WC, the others one each
        for vendor in self.vendors:
            evaluation = self.env["coi.compliance.line"]._evaluate(vendor, self.today)
            expected = {
                line.requirement.coverage: (line.status, line.sentence or False)
                for line in evaluation.lines
            }
            got = {
                row.coverage_type_id.code: (row.status, row.deficiency)
                for row in rows.filtered(lambda r, v=vendor: r.partner_id == v)
            }
            self.assertEqual(got, expected, vendor.name)
            vendor_rows = rows.filtered(lambda r, v=vendor: r.partner_id == v)
            self.assertEqual(set(vendor_rows.mapped("vendor_status")), {evaluation.status})
            self.assertEqual(sum(vendor_rows.mapped("vendor_count")), 1)
        expiring = rows.filtered(lambda r: r.partner_id == self.v_expiring)
        self.assertEqual(
            (expiring.status, expiring.days_to_expiry, expiring.expiry_window),
            ("expiring", 20, "d30"),
        )
        self.assertTrue(expiring.in_compliance)
        self.assertFalse(expiring.deficiency_kind)
        expired = rows.filtered(lambda r: r.partner_id == self.v_expired)
        self.assertEqual((expired.status, expired.expiry_window), ("expired", "expired"))
        self.assertEqual(expired.deficiency_kind, "expired")
        self.assertEqual(rows.filtered(lambda r: r.partner_id == self.v_ok).risk_tier, "high")
        self.assertEqual(
            rows.filtered(lambda r: r.partner_id == self.v_ok).vendor_ref, self.v_ok.ref
        )

    def test_figures_per_state_and_set(self):
        Report = self.env["coi.compliance.report"]
        domain = [("partner_id", "in", self.vendors.ids)]
        by_state = {
            group["state_id"][0]: (group["vendor_count:sum"], group["__count"])
            for group in Report.formatted_read_group(
                domain, ["state_id"], ["vendor_count:sum", "__count"]
            )
        }
        self.assertEqual(by_state, {self.ca.id: (2, 2), self.tx.id: (3, 4)})
        in_compliance = {
            (group["state_id"][0], group["in_compliance"]): group["__count"]
            for group in Report.formatted_read_group(
                domain, ["state_id", "in_compliance"], ["__count"]
            )
        }
        self.assertEqual(in_compliance, {(self.ca.id, True): 2, (self.tx.id, False): 4})
        by_set = {
            group["requirement_set_id"][0]: sorted(group["status:array_agg"])
            for group in Report.formatted_read_group(
                domain, ["requirement_set_id"], ["status:array_agg"]
            )
        }
        self.assertEqual(
            by_set,
            {
                self.set_gl.id: ["cancelled", "compliant", "expiring", "missing"],
                self.set_wc.id: ["expired", "missing"],
            },
        )

    def test_search_filters_are_relative_to_today(self):
        def vendors(days):
            rows = self.rows(
                [
                    ("status", "!=", "cancelled"),
                    ("expiration_date", "!=", False),
                    ("days_to_expiry", ">=", 0),
                    ("days_to_expiry", "<=", days),
                ]
            )
            return rows.partner_id

        self.assertEqual(vendors(30), self.v_expiring)
        self.assertEqual(vendors(90), self.v_expiring)
        self.assertEqual(vendors(365), self.v_expiring | self.v_ok)
        self.assertEqual(self.rows([("status", "=", "cancelled")]).partner_id, self.v_cancelled)
        self.assertEqual(
            self.rows([("in_compliance", "=", False)]).partner_id,
            self.v_missing | self.v_expired | self.v_cancelled,
        )
        # Searching by tag goes through the vendor.
        tag = self.env["res.partner.category"].create({"name": "Report tag"})
        self.v_missing.category_id = tag
        self.assertEqual(self.rows([("category_ids", "in", tag.ids)]).partner_id, self.v_missing)

    def test_other_company_vendor_is_not_shown(self):
        other = self.env["res.company"].create({"name": "Report Other Co"})
        self.v_missing.company_id = other
        self.env["res.partner"].browse(self.v_missing.id)._coi_refresh()
        rows = (
            self.env["coi.compliance.report"]
            .with_user(self.coi_user)
            .search([("partner_id", "in", self.vendors.ids)])
        )
        self.assertNotIn(self.v_missing, rows.partner_id)
        self.assertIn(self.v_ok, rows.partner_id)
        risk = (
            self.env["coi.vendor.risk"]
            .with_user(self.coi_user)
            .search([("partner_id", "in", self.vendors.ids)])
        )
        self.assertNotIn(self.v_missing, risk.partner_id)


@tagged("post_install", "-at_install")
class TestRiskAndSpend(ReportingCase):
    def risk(self, vendor):
        return self.env["coi.vendor.risk"].browse(vendor.id)

    def test_spend_at_risk_counts_confirmed_orders_only(self):
        dashboard = self.env["coi.compliance.dashboard"].search([])
        before = dashboard.spend_at_risk
        self.order(self.v_missing, 1000)
        self.order(self.v_missing, 500, confirm=False)  # an RFQ
        self.order(self.v_missing, 700).button_cancel()
        self.order(self.v_missing, 300, approved_days_ago=400)  # older than 12 months
        self.order(self.v_ok, 2000)
        self.env.flush_all()
        missing = self.risk(self.v_missing)
        self.assertEqual(missing.spend_12m, 1000)
        self.assertEqual(missing.spend_at_risk, 1000)
        self.assertEqual(missing.open_po_count, 2)
        self.assertEqual(missing.open_po_amount, 1300)
        self.assertEqual(missing.risk_tier, "high")  # the highest of its two sets
        self.assertEqual(missing.risk_score, 3000)
        ok = self.risk(self.v_ok)
        self.assertEqual((ok.spend_12m, ok.spend_at_risk), (2000, 0))
        self.env.invalidate_all()
        self.assertEqual(dashboard.spend_at_risk - before, 1000)

    def test_ranked_list_puts_spend_times_tier_first(self):
        # Low tier, its policy expired 5 days ago without renewal (timeliness
        # 65: lateness 1.35): 5,000 x 1 x 1.35.
        self.order(self.v_expired, 5000)
        self.order(self.v_missing, 2000)  # high tier, never asked, not late: 2,000 x 3 x 1
        self.order(self.v_ok, 9000)  # compliant: not in the list
        self.env.flush_all()
        ranked = self.env["coi.vendor.risk"].search(
            [("needs_attention", "=", True), ("partner_id", "in", self.vendors.ids)]
        )
        self.assertEqual(
            ranked[:2].partner_id.mapped("name"), ["Delta Cleaning", "Charlie Builders"]
        )
        self.assertEqual(ranked[:2].mapped("risk_score"), [6750, 6000])
        # Then the vendors without spend, the higher tier first.
        self.assertEqual(ranked[2:].partner_id, self.v_cancelled | self.v_expiring)
        self.assertNotIn(self.v_ok, ranked.partner_id)

    def test_dashboard_figures(self):
        Partner = self.env["res.partner"]
        action = (
            self.env["coi.compliance.dashboard"].with_user(self.coi_user)._action_open_dashboard()
        )
        dashboard = self.env["coi.compliance.dashboard"].browse(action["res_id"])
        self.assertEqual(dashboard.company_id, self.company)
        tracked = [
            ("coi_status", "!=", False),
            ("parent_id", "=", False),
            ("company_id", "in", [False, self.company.id]),
        ]
        insured = Partner.search_count(
            [*tracked, ("coi_status", "not in", ("exempt", "not_required"))]
        )
        good = Partner.search_count([*tracked, ("coi_status", "in", ("compliant", "expiring"))])
        self.assertAlmostEqual(dashboard.compliance_rate, round(100.0 * good / insured, 1))
        self.assertEqual(dashboard.vendor_count, Partner.search_count(tracked))
        reviews = dashboard.review_count
        self.env["coi.certificate"].create({"partner_id": self.v_missing.id})
        self.env.invalidate_all()
        self.assertEqual(dashboard.review_count, reviews + 1)
        action = dashboard.action_open_expiring_month()
        month_vendors = self.env["coi.vendor.risk"].search(action["domain"])
        self.assertEqual(len(month_vendors), dashboard.expiring_month_count)
        if (self.today + timedelta(days=20)).month == self.today.month:
            self.assertIn(self.v_expiring, month_vendors.partner_id)
        self.assertEqual(dashboard.action_open_at_risk()["res_model"], "coi.vendor.risk")

    def test_requirements_drill_down(self):
        action = self.risk(self.v_missing).action_open_requirements()
        items = self.env[action["res_model"]].search(action["domain"])
        self.assertEqual(items.coverage_type_id, self.gl | self.wc)
