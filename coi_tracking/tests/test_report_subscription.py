# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import base64
import io
from datetime import date

import openpyxl

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import freeze_time, new_test_user

from ..engine.vocabulary import ReportFrequency
from .common import CoiCase


class TestReportSubscription(CoiCase):
    """The scheduled report by email: one email per due subscription with an
    XLSX (expiring, expired, non-compliant), once per period, each company's
    vendors only. The common clock is Monday 15 June 2026."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Company = cls.env["res.company"]
        cls.company_a = Company.create({"name": "Alpha Builders (report)"})
        cls.company_b = Company.create({"name": "Beta Works (report)"})
        cls.roofer = cls.vendor_of(cls.company_a, "Alpha Roofing")
        cls.create_policy(
            cls.roofer, cls.gl, "GL-A1", date(2026, 7, 1), company_id=cls.company_a.id
        )
        cls.create_policy(
            cls.roofer, cls.wc, "WC-A1", date(2027, 1, 1), company_id=cls.company_a.id
        )
        cls.painter = cls.vendor_of(cls.company_a, "Alpha Painting")
        cls.create_policy(
            cls.painter,
            cls.gl,
            "GL-A2",
            date(2026, 6, 1),
            company_id=cls.company_a.id,
            state="expired",
        )
        cls.mover = cls.vendor_of(cls.company_b, "Beta Movers")
        cls.env.cr.flush()
        cls.ap_a = cls.env["res.partner"].create(
            {"name": "Alpha payables", "email": "ap@alpha.example"}
        )
        cls.ap_b = cls.env["res.partner"].create(
            {"name": "Beta ERP inbox", "email": "erp@beta.example"}
        )
        Subscription = cls.env["coi.report.subscription"]
        cls.daily_a = Subscription.create(
            {
                "name": "Alpha daily",
                "company_id": cls.company_a.id,
                "frequency": ReportFrequency.DAILY,
                "recipient_ids": [Command.link(cls.ap_a.id)],
            }
        )
        cls.weekly_b = Subscription.create(
            {
                "name": "Beta weekly",
                "company_id": cls.company_b.id,
                "frequency": ReportFrequency.WEEKLY,
                "weekday": "0",
                "recipient_ids": [Command.link(cls.ap_b.id)],
            }
        )

    @classmethod
    def vendor_of(cls, company, name):
        return cls.env["res.partner"].create(
            {
                "name": name,
                "is_company": True,
                "supplier_rank": 1,
                "company_id": company.id,
                "coi_requirement_set_ids": [Command.link(cls.standard.id)],
            }
        )

    def reports(self, subscription):
        """The report emails posted on the subscription, newest first."""
        return subscription.message_ids.filtered(lambda m: m.attachment_ids)

    def sheets(self, message):
        attachment = message.attachment_ids
        self.assertEqual(len(attachment), 1)
        self.assertTrue(attachment.name.endswith(".xlsx"))
        book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(attachment.datas)))
        return {
            name: [list(row) for row in book[name].iter_rows(values_only=True)]
            for name in book.sheetnames
        }

    def run_cron(self):
        self.env["coi.report.subscription"]._cron_send_reports()

    def test_daily_report_rows_and_email(self):
        self.run_cron()
        [message] = self.reports(self.daily_a)
        self.assertEqual(message.partner_ids, self.ap_a)
        self.assertIn("Alpha daily", message.subject)
        self.assertIn("Alpha Builders (report)", message.subject)
        mail = self.env["mail.mail"].search([("mail_message_id", "=", message.id)])
        self.assertEqual(mail.recipient_ids, self.ap_a)
        self.assertIn("Expiring", str(message.body))
        sheets = self.sheets(message)
        self.assertEqual(list(sheets), ["Expiring", "Expired", "Non-compliant"])
        expiring = sheets["Expiring"]
        self.assertEqual(expiring[0][:3], ["Vendor", "Coverage", "Policy"])
        self.assertEqual(len(expiring), 2)
        self.assertEqual(expiring[1][0], "Alpha Roofing")
        self.assertEqual(expiring[1][2], "GL-A1")
        self.assertEqual(expiring[1][5].date(), date(2026, 7, 1))
        self.assertEqual(expiring[1][6], 16)
        expired = sheets["Expired"]
        self.assertEqual(
            [row[:3] for row in expired[1:]], [["Alpha Painting", self.gl.name, "GL-A2"]]
        )
        noncompliant = sheets["Non-compliant"]
        self.assertEqual(
            {(row[0], row[1]) for row in noncompliant[1:]},
            {("Alpha Painting", self.gl.name), ("Alpha Painting", self.wc.name)},
        )
        self.assertTrue(all(row[5] for row in noncompliant[1:]), "each row says what is wrong")
        self.assertEqual(self.daily_a.last_sent_date, date(2026, 6, 15))

    def test_once_per_period(self):
        self.run_cron()
        self.run_cron()  # a rerun the same day sends nothing
        self.assertEqual(len(self.reports(self.daily_a)), 1)
        self.assertEqual(len(self.reports(self.weekly_b)), 1)
        with freeze_time("2026-06-16 10:00:00"):  # Tuesday
            self.run_cron()
            self.run_cron()
        self.assertEqual(len(self.reports(self.daily_a)), 2)
        self.assertEqual(len(self.reports(self.weekly_b)), 1)
        with freeze_time("2026-06-21 10:00:00"):  # Sunday
            self.run_cron()
        self.assertEqual(len(self.reports(self.weekly_b)), 1)
        with freeze_time("2026-06-22 10:00:00"):  # Monday again
            self.run_cron()
            self.run_cron()
        self.assertEqual(len(self.reports(self.weekly_b)), 2)
        self.assertEqual(self.weekly_b.last_sent_date, date(2026, 6, 22))

    def test_company_today_decides_the_day(self):
        # 23:30 UTC on Sunday is already Monday in Auckland.
        self.company_b.partner_id.tz = "Pacific/Auckland"
        with freeze_time("2026-06-14 23:30:00"):
            self.run_cron()
        self.assertEqual(len(self.reports(self.weekly_b)), 1)
        self.assertEqual(self.weekly_b.last_sent_date, date(2026, 6, 15))

    def test_each_company_sees_only_its_vendors(self):
        self.run_cron()
        sheets_a = self.sheets(self.reports(self.daily_a))
        sheets_b = self.sheets(self.reports(self.weekly_b))
        vendors_a = {row[0] for rows in sheets_a.values() for row in rows[1:]}
        vendors_b = {row[0] for rows in sheets_b.values() for row in rows[1:]}
        self.assertEqual(vendors_a, {"Alpha Roofing", "Alpha Painting"})
        self.assertEqual(vendors_b, {"Beta Movers"})
        user_b = new_test_user(
            self.env,
            login="coi_report_manager_b",
            groups="coi_tracking.coi_tracking_group_manager",
            company_id=self.company_b.id,
            company_ids=[Command.set(self.company_b.ids)],
        )
        self.assertEqual(
            self.env["coi.report.subscription"].with_user(user_b).search([]), self.weekly_b
        )

    def test_send_now_reaches_the_list_only(self):
        manager = new_test_user(
            self.env,
            login="coi_report_manager_a",
            email="manager@alpha.example",
            groups="coi_tracking.coi_tracking_group_manager",
            company_id=self.company_a.id,
            company_ids=[Command.set(self.company_a.ids)],
        )
        onlooker = self.env["res.partner"].create(
            {"name": "Follows only", "email": "onlooker@alpha.example"}
        )
        subscription = (
            self.env["coi.report.subscription"]
            .with_user(manager)
            .create(
                {
                    "name": "Alpha managers",
                    "company_id": self.company_a.id,
                    "frequency": ReportFrequency.DAILY,
                    "recipient_ids": [Command.set((manager.partner_id | self.ap_a).ids)],
                }
            )
        )
        subscription.message_subscribe(partner_ids=onlooker.ids)
        subscription.with_user(manager).action_send_now()
        [message] = self.reports(subscription)
        mails = self.env["mail.mail"].search([("mail_message_id", "=", message.id)])
        self.assertEqual(mails.recipient_ids, manager.partner_id | self.ap_a)
        self.assertEqual(message.notification_ids.res_partner_id, manager.partner_id | self.ap_a)
        # Sent by hand: the scheduled one still goes today.
        self.assertFalse(subscription.last_sent_date)
        self.run_cron()
        self.assertEqual(len(self.reports(subscription)), 2)

    def test_weekly_needs_its_day(self):
        with self.assertRaisesRegex(ValidationError, "choose the day"):
            self.weekly_b.weekday = False
