# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import date, datetime, timedelta

from odoo import Command, fields
from odoo.tests import Form, HttpCase, freeze_time, new_test_user, tagged

from ..engine.vocabulary import NoticeKind, NoticeState
from .common import CoiCase
from .reporting_common import ReportingCase


def log_notice(env, vendor, kind, day, stage=""):
    """A request or reminder in the notice log, as the sending leaves it."""
    return env["coi.notice"].create(
        {
            "key": f"{kind}:test:{vendor.id}:{stage}:{day}",
            "kind": kind,
            "stage": stage,
            "partner_id": vendor.id,
            "date": day,
            "state": NoticeState.SENT,
        }
    )


class TimelinessCase(CoiCase):
    def new_vendor(self, name, compliant=False, **values):
        vendor = self.env["res.partner"].create(
            {
                "name": name,
                "is_company": True,
                "supplier_rank": 1,
                "coi_requirement_set_ids": [Command.link(self.standard.id)],
                **values,
            }
        )
        if compliant:
            self.make_compliant(vendor)
        self.settle()
        return vendor

    def make_compliant(self, vendor):
        self.create_policy(vendor, self.gl, f"GL-{vendor.id}", date(2027, 1, 1))
        self.create_policy(vendor, self.wc, f"WC-{vendor.id}", date(2027, 1, 1))


@tagged("post_install", "-at_install")
class TestTimeliness(TimelinessCase):
    def test_days_from_request_to_compliant_and_open_chase_steps(self):
        vendor = self.new_vendor("Slowpoke Paving")
        self.assertEqual(vendor.coi_status, "non_compliant")
        log_notice(self.env, vendor, NoticeKind.REQUEST, date(2026, 6, 10), "first")
        log_notice(self.env, vendor, NoticeKind.CHASE, date(2026, 6, 13), "c3")
        # The daily refresh scores vendors asked or chased, with no data change.
        self.env["res.partner"]._cron_refresh_compliance()
        self.assertRecordValues(
            vendor,
            [
                {
                    "coi_first_request_date": date(2026, 6, 10),
                    "coi_compliant_since": False,
                    "coi_open_chase_steps": 1,
                    # Waiting 5 days: 50 x 25/27 + 35 (no renewal due) + 15 x 2/3.
                    "coi_timeliness_score": 91,
                }
            ],
        )
        self.make_compliant(vendor)
        self.settle()
        self.assertRecordValues(
            vendor,
            [
                {
                    "coi_status": "compliant",
                    "coi_first_request_date": date(2026, 6, 10),
                    "coi_compliant_since": date(2026, 6, 15),
                    "coi_days_to_compliant": 5,
                    "coi_open_chase_steps": 0,
                    "coi_timeliness_score": 96,
                }
            ],
        )
        # The vendor form shows it on the insurance tab.
        form = Form(vendor)
        self.assertEqual(form.coi_days_to_compliant, 5)
        self.assertEqual(form.coi_timeliness_score, 96)

    def test_waiting_lowers_the_score_day_by_day(self):
        vendor = self.new_vendor("Never Answers LLC")
        log_notice(self.env, vendor, NoticeKind.REQUEST, date(2026, 6, 1), "first")
        self.env["res.partner"]._cron_refresh_compliance()
        self.assertEqual(vendor.coi_timeliness_score, 80)  # 14 days: 50 x 16/27 + 35 + 15
        with freeze_time("2026-07-10 10:00:00"):
            # No notice in the last days: the open request alone brings it back.
            self.env["res.partner"]._cron_refresh_compliance()
            self.assertEqual(vendor.coi_timeliness_score, 50)  # 39 days: no speed points

    def test_compliant_without_request_and_renewals_before_expiry(self):
        vendor = self.new_vendor("Punctual Plumbing")
        Certificate = self.env["coi.certificate"]
        on_time = Certificate.create(
            {
                "partner_id": vendor.id,
                "received_date": datetime(2026, 4, 20, 9),
                "state": "accepted",
            }
        )
        late = Certificate.create(
            {"partner_id": vendor.id, "received_date": datetime(2026, 6, 5, 9), "state": "accepted"}
        )
        gl_new = self.create_policy(
            vendor, self.gl, "GL-2", date(2027, 5, 1), certificate_id=on_time.id
        )
        wc_new = self.create_policy(
            vendor, self.wc, "WC-2", date(2027, 6, 1), certificate_id=late.id
        )
        self.create_policy(
            vendor, self.gl, "GL-1", date(2026, 5, 1), state="replaced", replaced_by_id=gl_new.id
        )
        self.create_policy(
            vendor, self.wc, "WC-1", date(2026, 6, 1), state="replaced", replaced_by_id=wc_new.id
        )
        # A policy that has not ended yet is no renewal due.
        self.create_policy(vendor, self.auto, "AU-1", date(2026, 12, 1))
        self.settle()
        self.assertRecordValues(
            vendor,
            [
                {
                    "coi_status": "compliant",
                    "coi_first_request_date": False,
                    "coi_days_to_compliant": 0,
                    "coi_renewals_due": 2,
                    "coi_renewals_on_time": 1,
                    "coi_on_time_renewal_rate": 50.0,
                    # 50 + 35 x 1/2 + 15 = 82.5, rounded half to even.
                    "coi_timeliness_score": 82,
                }
            ],
        )

    def test_vendor_list_offers_the_timeliness_column(self):
        arch = self.env["res.partner"].get_view(
            self.env.ref("coi_tracking.coi_vendor_view_list").id, "list"
        )["arch"]
        self.assertIn('name="coi_timeliness_score"', arch)


@tagged("post_install", "-at_install")
class TestTimelyVendorChoice(TimelinessCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]

        def vendor(name):
            return Partner.create(
                {
                    "name": name,
                    "is_company": True,
                    "supplier_rank": 1,
                    "coi_requirement_set_ids": [Command.link(cls.standard.id)],
                }
            )

        cls.alpha = vendor("Choice Alpha")  # no insurance on file: non-compliant
        cls.bravo = vendor("Choice Bravo")  # compliant 14 days after the request
        cls.charlie = vendor("Choice Charlie")  # compliant without being asked
        cls.env.cr.flush()
        log_notice(cls.env, cls.bravo, NoticeKind.REQUEST, date(2026, 6, 1), "first")
        for partner in cls.bravo | cls.charlie:
            cls.create_policy(partner, cls.gl, f"GL-{partner.id}", date(2027, 1, 1))
            cls.create_policy(partner, cls.wc, f"WC-{partner.id}", date(2027, 1, 1))
        cls.env.cr.flush()
        cls.product = cls.env["product.product"].create(
            {"name": "Gutter cleaning", "type": "service", "purchase_ok": True}
        )

    def rfq_vendor_context(self):
        """The context the RFQ form gives its vendor field."""
        arch = self.env["purchase.order"].get_view(
            self.env.ref("purchase.purchase_order_form").id, "form"
        )["arch"]
        self.assertIn("'coi_vendor_choice': True", arch)
        return {"res_partner_search_mode": "supplier", "show_vat": True, "coi_vendor_choice": True}

    def test_rfq_vendor_dropdown_lists_compliant_and_timely_first(self):
        self.assertLess(self.bravo.coi_timeliness_score, self.charlie.coi_timeliness_score)
        Partner = self.env["res.partner"].with_user(self.buyer)
        plain = [name for _id, name in Partner.name_search("Choice")]
        self.assertEqual(plain, ["Choice Alpha", "Choice Bravo", "Choice Charlie"])
        choice = Partner.with_context(**self.rfq_vendor_context()).name_search("Choice")
        self.assertEqual(
            [partner_id for partner_id, _name in choice],
            [self.charlie.id, self.bravo.id, self.alpha.id],
        )
        names = dict(choice)
        self.assertEqual(names[self.alpha.id], "Choice Alpha ⚠ Insurance: Non-Compliant")
        self.assertEqual(names[self.charlie.id], "Choice Charlie")

    def test_seller_choice_prefers_the_compliant_vendor(self):
        def seller(partner, sequence=1):
            return Command.create(
                {"partner_id": partner.id, "price": 100, "min_qty": 1, "sequence": sequence}
            )

        self.product.seller_ids = [seller(self.alpha), seller(self.charlie)]
        # As a replenishment or a new purchase line asks for a seller.
        chosen = self.product._select_seller(quantity=5, date=date(2026, 6, 15))
        self.assertEqual(chosen.partner_id, self.charlie)
        order = self.env["purchase.order"].create({"partner_id": self.charlie.id})
        line = self.env["purchase.order.line"].create(
            {"order_id": order.id, "product_id": self.product.id, "product_qty": 5}
        )
        self.assertEqual(line.price_unit, 100)
        # The buyer's own priority (sequence) still comes first.
        self.product.seller_ids.filtered(lambda s: s.partner_id == self.alpha).sequence = 0
        chosen = self.product._select_seller(quantity=5, date=date(2026, 6, 15))
        self.assertEqual(chosen.partner_id, self.alpha)
        # The product's vendor list shows each vendor's insurance.
        self.assertEqual(
            self.product.seller_ids.sorted("sequence").mapped("coi_status"),
            ["non_compliant", "compliant"],
        )
        arch = self.env["product.supplierinfo"].get_view(
            self.env.ref("purchase.product_supplierinfo_tree_view2").id, "list"
        )["arch"]
        self.assertIn('name="coi_status"', arch)


@tagged("post_install", "-at_install")
class TestTimelinessRisk(ReportingCase):
    def test_vendors_at_risk_rank_by_spend_risk_and_lateness(self):
        Partner = self.env["res.partner"]

        def vendor(name):
            return Partner.create(
                {
                    "name": name,
                    "ref": name.split()[0].upper(),
                    "is_company": True,
                    "supplier_rank": 1,
                    "coi_requirement_set_ids": [Command.set(self.set_gl.ids)],  # high: x3
                }
            )

        never_asked = vendor("Xray Fencing")
        long_chased = vendor("Yankee Demolition")
        just_asked = vendor("Zulu Glazing")
        self.env.cr.flush()
        today = self.env.company._coi_today()
        log_notice(self.env, long_chased, NoticeKind.REQUEST, today - timedelta(days=40), "first")
        for days, stage in ((37, "c3"), (33, "c7"), (26, "c14")):
            log_notice(self.env, long_chased, NoticeKind.CHASE, today - timedelta(days=days), stage)
        log_notice(self.env, just_asked, NoticeKind.REQUEST, today - timedelta(days=10), "first")
        log_notice(self.env, just_asked, NoticeKind.CHASE, today - timedelta(days=7), "c3")
        (never_asked | long_chased | just_asked)._coi_refresh()
        self.order(never_asked, 1000)
        self.order(long_chased, 800)
        self.order(just_asked, 900)
        self.env.flush_all()
        ranked = self.env["coi.vendor.risk"].search(
            [("partner_id", "in", (never_asked | long_chased | just_asked).ids)]
        )
        # 800 x 3 x 1.65 (score 35), 900 x 3 x 1.18 (score 82), 1000 x 3 x 1 (score 100):
        # by spend x tier alone the order would be the reverse.
        self.assertEqual(ranked.partner_id.ids, [long_chased.id, just_asked.id, never_asked.id])
        self.assertEqual(ranked.mapped("timeliness_score"), [35, 82, 100])
        self.assertEqual(ranked.mapped("risk_score"), [3960, 3186, 3000])
        self.assertEqual(ranked.mapped("open_chase_steps"), [3, 1, 0])
        # The compliance analysis offers the vendors' timeliness as a measure.
        [[average]] = self.env["coi.compliance.report"]._read_group(
            [("partner_id", "in", ranked.partner_id.ids)], [], ["vendor_timeliness:avg"]
        )
        self.assertAlmostEqual(average, (35 + 82 + 100) / 3)


@tagged("post_install", "-at_install")
class TestTimelyVendorChoiceTour(HttpCase):
    def test_rfq_vendor_dropdown_in_the_browser(self):
        # Only this test's set applies (not the demo company's default one).
        self.env.company.coi_default_requirement_set_id = False
        gl = self.env.ref("coi_tracking.coverage_gl")
        req_set = self.env["coi.requirement.set"].create(
            {"name": "Tour choice set", "line_ids": [Command.create({"coverage_type_id": gl.id})]}
        )
        today = fields.Date.today()
        vendors = {}
        for name in ("Alpha", "Bravo", "Charlie"):
            vendors[name] = self.env["res.partner"].create(
                {
                    "name": f"Tour Choice {name}",
                    "is_company": True,
                    "supplier_rank": 1,
                    "coi_requirement_set_ids": [Command.link(req_set.id)],
                }
            )
        self.env.cr.flush()
        # Bravo was asked 20 days ago; Charlie never needed asking.
        log_notice(self.env, vendors["Bravo"], NoticeKind.REQUEST, today - timedelta(days=20))
        for name in ("Bravo", "Charlie"):
            self.env["coi.policy"].create(
                {
                    "name": f"GL-TOUR-{name}",
                    "partner_id": vendors[name].id,
                    "coverage_type_id": gl.id,
                    "effective_date": today - timedelta(days=30),
                    "expiration_date": today + timedelta(days=300),
                    "state": "active",
                }
            )
        self.env.cr.flush()
        self.assertEqual(vendors["Alpha"].coi_status, "non_compliant")
        self.assertLess(
            vendors["Bravo"].coi_timeliness_score, vendors["Charlie"].coi_timeliness_score
        )
        new_test_user(
            self.env,
            login="coi_choice_buyer",
            groups="purchase.group_purchase_user,coi_tracking.coi_tracking_group_user",
        )
        self.start_tour("/odoo/purchase/new", "coi_vendor_choice_tour", login="coi_choice_buyer")
        order = self.env["purchase.order"].search([("create_uid.login", "=", "coi_choice_buyer")])
        self.assertEqual(order.partner_id, vendors["Charlie"])
