# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import date

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import Form, freeze_time, tagged

from .common import TODAY, CoiCase, count_evaluations


@tagged("post_install", "-at_install")
class TestComplianceRecompute(CoiCase):
    """The vendor's stored status follows every kind of change at once."""

    def test_compliant_vendor_and_checklist(self):
        self.assertRecordValues(
            self.vendor,
            [
                {
                    "coi_status": "compliant",
                    "coi_next_expiry": date(2027, 1, 1),
                    "coi_deficiency_count": 0,
                    "coi_recheck_date": date(2026, 12, 2),
                }
            ],
        )
        lines = self.lines(self.vendor)
        self.assertEqual(set(lines), {"GL", "WC_EL"})
        self.assertEqual(lines["GL"].policy_id, self.gl_policy)
        self.assertEqual(lines["GL"].requirement_set_id, self.standard)

    def test_policy_limit_change(self):
        self.gl_policy.limit_ids.filtered(
            lambda limit: limit.limit_type_id == self.each_occurrence
        ).amount = 500_000
        self.env.cr.flush()
        self.assertEqual(self.vendor.coi_status, "non_compliant")
        self.assertEqual(
            self.lines(self.vendor)["GL"].deficiency,
            "Commercial General Liability each occurrence is $500,000; $1,000,000 is required.",
        )
        self.assertEqual(self.vendor.coi_deficiency_count, 1)

    def test_a_status_change_writes_the_vendor_row_once_and_what_follows_it(self):
        """The evaluation writes a vendor's status, purchase rank, dates,
        counts, timeliness and write date in one UPDATE of its row (each
        write of a row is a new version of it in every index of the vendor
        table); its contacts' ranks follow, its write date moves (the API
        lists vendors updated since a time by it)."""
        self.env.company.coi_auto_request = False
        contact = self.env["res.partner"].create(
            {"name": "Site Foreman", "parent_id": self.vendor.id, "type": "contact"}
        )
        self.env.cr.flush()
        self.assertEqual((self.vendor.coi_purchase_rank, contact.coi_purchase_rank), (0, 0))
        self.env.cr.execute(
            "UPDATE res_partner SET write_date = '2026-01-01' WHERE id = %s", [self.vendor.id]
        )
        self.vendor.invalidate_recordset(["write_date"])

        def vendor_row_writes():
            self.env.cr.execute(
                "SELECT n_tup_upd FROM pg_stat_xact_user_tables WHERE relname = 'res_partner'"
            )
            return self.env.cr.fetchone()[0]

        self.gl_policy.limit_ids.filtered(
            lambda limit: limit.limit_type_id == self.each_occurrence
        ).amount = 500_000
        self.env.flush_all()
        before = vendor_row_writes()
        self.env["res.partner"]._coi_settle()
        self.env.flush_all()
        # The vendor's row once, its contact's (the rank) once.
        self.assertEqual(vendor_row_writes() - before, 2)
        self.assertRecordValues(
            self.vendor,
            [
                {
                    "coi_status": "non_compliant",
                    "coi_purchase_rank": 2,
                    "coi_deficiency_count": 1,
                    "write_date": self.env.cr.now(),
                }
            ],
        )
        self.assertEqual(contact.coi_purchase_rank, 2)
        order = self.env["purchase.order"].new({"partner_id": contact.id})
        self.assertEqual(order.coi_status, "non_compliant")

    def test_endorsement_and_cancellation(self):
        self.gl_policy.additional_insured = False
        self.env.cr.flush()
        self.assertEqual(self.lines(self.vendor)["GL"].status, "endorsement_missing")
        self.gl_policy.write({"additional_insured": True, "cancellation_date": date(2026, 6, 1)})
        self.gl_policy.action_cancel()
        self.env.cr.flush()
        self.assertEqual(self.gl_policy.state, "cancelled")
        self.assertEqual(self.lines(self.vendor)["GL"].status, "cancelled")
        self.assertEqual(self.vendor.coi_status, "non_compliant")

    def test_requirement_set_change_reaches_its_vendors(self):
        gl_line = self.standard.line_ids.filtered(lambda line: line.coverage_type_id == self.gl)
        gl_line.limit_ids.filtered(
            lambda limit: limit.limit_type_id == self.each_occurrence
        ).amount = 2_000_000
        self.env.cr.flush()
        self.assertEqual(self.lines(self.vendor)["GL"].status, "insufficient_limit")
        self.standard.write({"line_ids": [Command.create({"coverage_type_id": self.auto.id})]})
        self.env.cr.flush()
        self.assertEqual(self.lines(self.vendor)["AUTO"].status, "missing")
        self.assertEqual(self.vendor.coi_deficiency_count, 2)

    def test_assignment_by_tag_and_removal(self):
        tag = self.env["res.partner.category"].create({"name": "Towing (test)"})
        tow_set = self.env["coi.requirement.set"].create(
            {
                "name": "Tow operator (test)",
                "category_ids": [Command.link(tag.id)],
                "line_ids": [Command.create({"coverage_type_id": self.auto.id})],
            }
        )
        tower = self.env["res.partner"].create(
            {"name": "Test Towing", "is_company": True, "category_id": [Command.link(tag.id)]}
        )
        self.env.cr.flush()
        self.assertEqual(tower.coi_status, "non_compliant")
        self.assertEqual(tow_set.vendor_count, 1)
        self.create_policy(tower, self.auto, "AU-1", date(2027, 1, 1))
        self.env.cr.flush()
        self.assertEqual(tower.coi_status, "compliant")
        tower.category_id = [Command.clear()]
        self.env.cr.flush()
        self.assertEqual(tower.coi_status, "not_required")
        self.assertFalse(tower.coi_compliance_line_ids)

    def test_company_default_set_applies_to_vendors(self):
        plain = self.env["res.partner"].create(
            {"name": "Test Cleaning Co", "is_company": True, "supplier_rank": 1}
        )
        self.env.cr.flush()
        self.assertEqual(plain.coi_status, "not_required")
        self.env.company.coi_default_requirement_set_id = self.standard
        self.env.cr.flush()
        self.assertEqual(plain.coi_status, "non_compliant")
        self.assertEqual(set(self.lines(plain)), {"GL", "WC_EL"})

    def test_two_sets_merge_strictest_wins(self):
        strict = self.env["coi.requirement.set"].create(
            {
                "name": "High-risk (test)",
                "line_ids": [
                    Command.create(
                        {
                            "coverage_type_id": self.gl.id,
                            "primary_noncontributory": True,
                            "limit_ids": [
                                Command.create(
                                    {"limit_type_id": self.each_occurrence.id, "amount": 2_000_000}
                                )
                            ],
                        }
                    )
                ],
            }
        )
        self.vendor.coi_requirement_set_ids = [Command.link(strict.id)]
        self.env.cr.flush()
        gl = self.lines(self.vendor)["GL"]
        self.assertEqual(gl.status, "insufficient_limit")
        self.assertIn("$2,000,000 is required", gl.deficiency)
        self.assertIn("primary and non-contributory", gl.deficiency)
        self.assertEqual(len(self.vendor.coi_compliance_line_ids), 2)

    def test_insurer_downgrade_reaches_insured_vendors(self):
        self.standard.min_am_best = "A-"
        self.env.cr.flush()
        self.assertEqual(self.vendor.coi_status, "compliant")
        self.insurer.coi_am_best_rating = "B+"
        self.env.cr.flush()
        self.assertEqual(self.vendor.coi_status, "non_compliant")
        self.assertEqual(self.lines(self.vendor)["GL"].status, "rating_too_low")
        self.assertIn(
            "rated B+ by AM Best; A- or better is required",
            self.lines(self.vendor)["GL"].deficiency,
        )

    def test_status_changes_are_tracked_but_not_the_first_evaluation(self):
        env = self.env(context=dict(self.env.context, tracking_disable=False))
        vendor = env["res.partner"].create(
            {
                "name": "Tracked Roofing",
                "is_company": True,
                "coi_requirement_set_ids": [Command.link(self.standard.id)],
            }
        )
        self.flush_tracking()
        self.assertEqual(vendor.coi_status, "non_compliant")
        self.assertFalse(vendor.message_ids.filtered(lambda m: "Insurance status" in str(m.body)))
        vendor.write({"coi_exempt": True, "coi_exempt_reason": "Family business"})
        self.flush_tracking()
        notes = vendor.message_ids.filtered(lambda m: "Insurance status" in str(m.body))
        self.assertEqual(len(notes), 1)
        self.assertIn("Insurance status: Non-Compliant → Exempt", str(notes.body))

    def test_exemption(self):
        self.gl_policy.write({"state": "cancelled", "cancellation_date": date(2026, 6, 1)})
        self.vendor.write(
            {"coi_exempt": True, "coi_exempt_reason": "Owner's crew", "coi_exempt_until": TODAY}
        )
        self.env.cr.flush()
        self.assertEqual(self.vendor.coi_status, "exempt")
        self.assertEqual(self.vendor.coi_recheck_date, date(2026, 6, 16))

    def test_certificate_waiting_for_review(self):
        self.wc_policy.write({"state": "expired"})
        self.env.cr.flush()
        self.assertEqual(self.vendor.coi_status, "non_compliant")
        certificate = self.env["coi.certificate"].create({"partner_id": self.vendor.id})
        self.env.cr.flush()
        self.assertEqual(self.vendor.coi_status, "pending_review")
        certificate.action_reject(reason="Unreadable scan")
        self.env.cr.flush()
        self.assertEqual(self.vendor.coi_status, "non_compliant")

    def test_renewal_replaces_the_old_policy(self):
        action = self.gl_policy.action_renew()
        renewal = self.env["coi.policy"].browse(action["res_id"])
        self.assertRecordValues(
            renewal,
            [
                {
                    "state": "draft",
                    "effective_date": date(2027, 1, 1),
                    "expiration_date": date(2028, 1, 1),
                    "replaces_id": self.gl_policy.id,
                }
            ],
        )
        self.assertEqual(len(renewal.limit_ids), 2)
        renewal.action_activate()
        # The renewal starts when the old policy ends: the old one keeps the
        # cover going until then, and the vendor is not "expiring".
        self.env.cr.flush()
        self.assertEqual(self.gl_policy.state, "active")
        self.assertEqual(self.gl_policy.replaced_by_id, renewal)
        gl = self.lines(self.vendor)["GL"]
        self.assertEqual((gl.status, gl.policy_id), ("compliant", self.gl_policy))
        with freeze_time("2026-12-20"):
            self.env["res.partner"]._cron_refresh_compliance()
            self.assertEqual(self.lines(self.vendor)["GL"].status, "compliant")
            self.assertEqual(self.lines(self.vendor)["WC_EL"].status, "expiring")
        with freeze_time("2027-01-01"):
            self.env["res.partner"]._cron_refresh_compliance()
            self.assertEqual(self.gl_policy.state, "replaced")
            gl = self.lines(self.vendor)["GL"]
            self.assertEqual((gl.status, gl.policy_id), ("compliant", renewal))
            self.assertEqual(self.wc_policy.state, "expired")

    def test_upload_certificate_from_vendor_keeps_files(self):
        action = self.vendor.with_user(self.coi_user).action_coi_upload_certificate()
        self.assertEqual(action["res_model"], "coi.certificate")
        attachment = (
            self.env["ir.attachment"]
            .with_user(self.coi_user)
            .create({"name": "coi.pdf", "raw": b"%PDF-1.4 test", "res_model": "coi.certificate"})
        )
        form = Form(
            self.env["coi.certificate"].with_user(self.coi_user).with_context(action["context"])
        )
        form.attachment_ids.add(attachment)
        certificate = form.save()
        self.assertEqual(certificate.partner_id, self.vendor)
        self.assertEqual(certificate.source, "backend")
        self.assertTrue(certificate.name.startswith("COI/"))
        self.assertEqual(
            (attachment.res_model, attachment.res_id), ("coi.certificate", certificate.id)
        )
        certificate.with_user(self.coi_user).action_reject(reason="Wrong holder")
        self.assertTrue(attachment.exists())
        with self.assertRaises(UserError):
            certificate.with_user(self.coi_manager).unlink()
        self.assertTrue(attachment.exists())


@tagged("post_install", "-at_install")
class TestEvaluatedOnce(CoiCase):
    """Writes mark vendors dirty; each dirty vendor is evaluated once, before
    the transaction commits, however many writes touched it."""

    def test_many_writes_one_evaluation(self):
        with count_evaluations() as (counts, passes):
            self.gl_policy.write({"additional_insured": False})
            self.gl_policy.limit_ids[:1].amount = 2_000_000
            self.wc_policy.write({"per_statute": False})
            self.vendor.write({"coi_exempt_reason": "none"})
            self.assertFalse(counts)  # nothing is evaluated before the commit
            self.env.cr.flush()
        self.assertEqual(counts, {self.vendor.id: 1})
        self.assertEqual(passes, [1])
        self.assertEqual(self.lines(self.vendor)["GL"].status, "endorsement_missing")

    def test_upload_read_and_accepted_evaluates_once(self):
        certificate = self.env["coi.certificate"].create({"partner_id": self.vendor.id})
        self.env.cr.flush()
        with count_evaluations() as (counts, _passes):
            self.create_policy(
                self.vendor, self.gl, "GL-101", date(2028, 1, 1), state="draft"
            ).certificate_id = certificate
            certificate.action_accept()  # tells the contractor: needs the status now
            self.assertEqual(counts, {self.vendor.id: 1})
            self.env.cr.flush()  # nothing changed since: not evaluated again
        self.assertEqual(counts, {self.vendor.id: 1})

    def test_batch_write_touching_a_thousand_vendors(self):
        fleet = self.env["coi.requirement.set"].create(
            {
                "name": "Fleet (test)",
                "line_ids": [Command.create({"coverage_type_id": self.auto.id})],
            }
        )
        vendors = self.env["res.partner"].create(
            [
                {
                    "name": f"Fleet vendor {i}",
                    "is_company": True,
                    "coi_requirement_set_ids": [Command.link(fleet.id)],
                }
                for i in range(1000)
            ]
        )
        self.env.cr.flush()
        self.env["res.partner"]._cron_refresh_compliance()
        self.assertEqual(set(vendors.mapped("coi_status")), {"non_compliant"})
        with count_evaluations() as (counts, passes):
            fleet.line_ids.write({"waiver_of_subrogation": True})
            fleet.write({"expiring_days": 45, "min_am_best": "A-"})
            self.env.cr.flush()
            # Too many for the request: handed to the refresh job at once.
            self.assertFalse(counts)
            self.assertEqual(set(vendors.mapped("coi_recheck_date")), {TODAY})
            self.env["res.partner"]._cron_refresh_compliance()
        self.assertEqual(set(counts), set(vendors.ids))
        self.assertEqual(set(counts.values()), {1})
        self.assertEqual(passes, [1000])
        self.assertEqual(set(vendors.mapped("coi_status")), {"non_compliant"})
        self.assertEqual(set(vendors.mapped("coi_recheck_date")), {False})


@tagged("post_install", "-at_install")
class TestOneToday(CoiCase):
    """Every "today" is the company's, in its timezone."""

    @freeze_time("2026-06-15 20:00:00")
    def test_today_is_the_companys(self):
        company = self.env.company
        company.partner_id.tz = "Pacific/Kiritimati"  # UTC+14: already the 16th
        self.assertEqual(company._coi_today(), date(2026, 6, 16))
        company.partner_id.tz = "America/Los_Angeles"
        self.assertEqual(company._coi_today(), date(2026, 6, 15))
        company.partner_id.tz = "Pacific/Kiritimati"
        self.gl_policy.write({"company_id": company.id, "expiration_date": date(2026, 6, 26)})
        self.env.cr.flush()
        self.assertEqual(self.gl_policy.days_to_expiry, 10)
        Policy = self.env["coi.policy"]
        self.assertIn(self.gl_policy, Policy.search([("days_to_expiry", "<=", 10)]))
        self.assertNotIn(self.gl_policy, Policy.search([("days_to_expiry", "<", 10)]))
        # The vendor was evaluated on the company's day, not on the server's.
        self.vendor.company_id = company
        self.vendor.action_coi_recompute()
        self.assertEqual(self.vendor.coi_days_to_expiry, 10)
        self.assertEqual(self.vendor.coi_status, "expiring")
        rows = self.env["coi.compliance.report"].search([("partner_id", "=", self.vendor.id)])
        self.assertEqual(rows.filtered(lambda r: r.coverage_type_id == self.gl).days_to_expiry, 10)
