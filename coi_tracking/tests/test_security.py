# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import date

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import CoiCase


@tagged("post_install", "-at_install")
class TestSecurity(CoiCase):
    def test_coi_user_cannot_edit_requirement_sets(self):
        req_set = self.standard.with_user(self.coi_user)
        self.assertEqual(req_set.name, "Standard contractor (test)")  # may read
        with self.assertRaises(AccessError):
            req_set.write({"expiring_days": 5})
        with self.assertRaises(AccessError):
            self.env["coi.requirement.set"].with_user(self.coi_user).create({"name": "Mine"})
        with self.assertRaises(AccessError):
            req_set.line_ids[0].limit_ids[0].write({"amount": 1})
        self.standard.with_user(self.coi_manager).write({"expiring_days": 45})
        self.assertEqual(self.standard.expiring_days, 45)

    def test_coi_user_works_policies_and_certificates(self):
        policy = self.gl_policy.with_user(self.coi_user)
        policy.write({"last_verification_date": date(2026, 6, 10)})
        certificate = (
            self.env["coi.certificate"]
            .with_user(self.coi_user)
            .create({"partner_id": self.vendor.id})
        )
        certificate.action_start_review()
        self.assertEqual(certificate.reviewer_id, self.coi_user)

    def test_employee_without_coi_rights_sees_nothing(self):
        employee = new_test_user(self.env, login="coi_plain_employee", groups="base.group_user")
        with self.assertRaises(AccessError):
            self.env["coi.policy"].with_user(employee).search([])
        with self.assertRaises(AccessError):
            self.env["coi.certificate"].with_user(employee).search([])

    def test_record_rules_between_two_companies(self):
        other_company = self.env["res.company"].create({"name": "Other Co (test)"})
        other_user = new_test_user(
            self.env,
            login="coi_other_company_user",
            groups="coi_tracking.coi_tracking_group_user",
            company_id=other_company.id,
            company_ids=[Command.set(other_company.ids)],
        )
        theirs = self.create_policy(
            self.vendor, self.auto, "AU-OTHER", date(2027, 1, 1), company_id=other_company.id
        )
        certificate = self.env["coi.certificate"].create(
            {"partner_id": self.vendor.id, "company_id": other_company.id}
        )
        Policy = self.env["coi.policy"].with_user(other_user)
        self.assertEqual(Policy.search([("partner_id", "=", self.vendor.id)]), theirs)
        Certificate = self.env["coi.certificate"].with_user(other_user)
        self.assertEqual(Certificate.search([("partner_id", "=", self.vendor.id)]), certificate)
        with self.assertRaises(AccessError):
            self.gl_policy.with_user(other_user).read(["name"])
        # And the first company's user does not see the other company's records.
        mine = (
            self.env["coi.policy"]
            .with_user(self.coi_user)
            .search([("partner_id", "=", self.vendor.id)])
        )
        self.assertEqual(mine, self.gl_policy | self.wc_policy)

    def test_buyer_sees_status_not_policies(self):
        vendor = self.vendor.with_user(self.buyer)
        self.assertEqual(vendor.coi_status, "compliant")
        with self.assertRaises(AccessError):
            self.env["coi.policy"].with_user(self.buyer).search([])
