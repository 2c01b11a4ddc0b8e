# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import date

from odoo.tests import freeze_time, tagged

from .common import CoiCase


@tagged("post_install", "-at_install")
class TestDailyCron(CoiCase):
    def run_cron_on(self, day):
        with freeze_time(day):
            self.env["res.partner"]._cron_refresh_compliance()

    def test_active_to_expiring_to_expired(self):
        self.assertEqual(self.vendor.coi_status, "compliant")
        # Nothing changes before the 30-day window opens on 2026-12-02.
        self.run_cron_on("2026-12-01")
        self.assertEqual(self.vendor.coi_status, "compliant")
        self.run_cron_on("2026-12-02")
        self.assertEqual(self.vendor.coi_status, "expiring")
        self.assertEqual(self.lines(self.vendor)["GL"].status, "expiring")
        self.assertEqual(self.vendor.coi_recheck_date, date(2027, 1, 1))
        self.run_cron_on("2026-12-31")
        self.assertEqual(self.vendor.coi_status, "expiring")
        self.assertEqual(self.gl_policy.state, "active")
        self.run_cron_on("2027-01-01")
        self.assertEqual(self.gl_policy.state, "expired")
        self.assertIn("Expired on 2027-01-01.", str(self.gl_policy.message_ids[0].body))
        self.assertIn(
            "Insurance status: Expiring → Non-Compliant", str(self.vendor.message_ids[0].body)
        )
        self.assertEqual(self.vendor.coi_status, "non_compliant")
        self.assertEqual(
            self.lines(self.vendor)["GL"].deficiency,
            "Commercial General Liability policy GL-100 expired on 01/01/2027; send the renewal.",
        )
        self.assertFalse(self.vendor.coi_recheck_date)

    def test_cron_only_touches_vendors_due(self):
        other = self.env["res.partner"].create(
            {"name": "Not due Inc", "is_company": True, "supplier_rank": 1}
        )
        self.create_policy(other, self.gl, "GL-200", date(2028, 1, 1))
        self.env.cr.flush()
        self.assertEqual(other.coi_recheck_date, date(2027, 1, 1))  # a year before its expiry
        with freeze_time("2026-12-02"):
            due = self.env["res.partner"].search([("coi_recheck_date", "<=", "2026-12-02")])
        self.assertIn(self.vendor, due)
        self.assertNotIn(other, due)

    def _cron_queries(self, count, prefix):
        """Queries of one cron run that moves `count` vendors to expiring."""
        vendors = self.env["res.partner"].create(
            [
                {
                    "name": f"{prefix} {i}",
                    "is_company": True,
                    "coi_requirement_set_ids": [(4, self.standard.id)],
                }
                for i in range(count)
            ]
        )
        for vendor in vendors:
            self.create_policy(vendor, self.gl, f"{prefix}-GL-{vendor.id}", date(2027, 3, 1))
            self.create_policy(vendor, self.wc, f"{prefix}-WC-{vendor.id}", date(2027, 3, 1))
        self.env.cr.flush()
        self.assertEqual(set(vendors.mapped("coi_recheck_date")), {date(2027, 1, 30)})
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        self.run_cron_on("2027-01-30")
        self.env.flush_all()
        queries = self.env.cr.sql_log_count - before
        self.assertEqual(set(vendors.mapped("coi_status")), {"expiring"})
        return queries

    def test_cron_queries_do_not_grow_per_vendor(self):
        # self.vendor (expiring 2027-01-01) is refreshed in both runs too.
        self.run_cron_on("2026-12-02")
        one = self._cron_queries(1, "One")
        twenty = self._cron_queries(20, "Twenty")
        self.assertLessEqual(twenty, one + 5, f"1 vendor: {one} queries, 20 vendors: {twenty}")
