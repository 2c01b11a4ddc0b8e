# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from collections import Counter
from contextlib import contextmanager
from datetime import date
from email.message import EmailMessage
from unittest.mock import patch

from odoo import Command
from odoo.tests import TransactionCase, freeze_time, new_test_user

from ..models.coi_compliance_line import CoiComplianceLine
from . import fixtures as fx

TODAY = date(2026, 6, 15)


@freeze_time("2026-06-15 10:00:00")
class CoiCase(TransactionCase):
    """A small network built by the test itself: one requirement set (GL and
    WC), an insurer, a vendor with compliant policies, users of each role."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        # Tests build their own requirements: no company default (the demo sets one).
        cls.env.company.coi_default_requirement_set_id = False
        # The company is the certificate holder the drawn certificates name.
        cls.env.company.name = fx.SAMPLE["certificate_holder"]["name"]
        # Automatic requests and their chase have their own tests (test_requests).
        cls.env.company.coi_auto_request = False
        ref = cls.env.ref
        cls.gl = ref("coi_tracking.coverage_gl")
        cls.auto = ref("coi_tracking.coverage_auto")
        cls.wc = ref("coi_tracking.coverage_wc_el")
        cls.umbrella = ref("coi_tracking.coverage_umbrella")
        cls.each_occurrence = ref("coi_tracking.limit_each_occurrence")
        cls.aggregate = ref("coi_tracking.limit_general_aggregate")
        cls.el_accident = ref("coi_tracking.limit_el_each_accident")
        cls.csl = ref("coi_tracking.limit_combined_single_limit")
        cls.coi_user = new_test_user(
            cls.env, login="coi_test_user", groups="coi_tracking.coi_tracking_group_user"
        )
        cls.coi_manager = new_test_user(
            cls.env,
            login="coi_test_manager",
            groups="coi_tracking.coi_tracking_group_manager,purchase.group_purchase_manager",
        )
        cls.buyer = new_test_user(
            cls.env, login="coi_test_buyer", groups="purchase.group_purchase_user"
        )
        cls.insurer = cls.env["res.partner"].create(
            {
                "name": "Test Mutual Insurance Co",
                "is_company": True,
                "coi_is_insurer": True,
                "coi_naic_code": "99999",
                "coi_am_best_rating": "A",
            }
        )
        cls.standard = cls.env["coi.requirement.set"].create(
            {
                "name": "Standard contractor (test)",
                "expiring_days": 30,
                "line_ids": [
                    Command.create(
                        {
                            "coverage_type_id": cls.gl.id,
                            "additional_insured": True,
                            "limit_ids": [
                                Command.create(
                                    {"limit_type_id": cls.each_occurrence.id, "amount": 1_000_000}
                                ),
                                Command.create(
                                    {"limit_type_id": cls.aggregate.id, "amount": 2_000_000}
                                ),
                            ],
                        }
                    ),
                    Command.create(
                        {
                            "coverage_type_id": cls.wc.id,
                            "per_statute": True,
                            "limit_ids": [
                                Command.create(
                                    {"limit_type_id": cls.el_accident.id, "amount": 500_000}
                                )
                            ],
                        }
                    ),
                ],
            }
        )
        cls.vendor = cls.env["res.partner"].create(
            {
                "name": "Test Roofing LLC",
                "is_company": True,
                "supplier_rank": 1,
                "coi_requirement_set_ids": [Command.link(cls.standard.id)],
            }
        )
        cls.gl_policy = cls.create_policy(cls.vendor, cls.gl, "GL-100", date(2027, 1, 1))
        cls.wc_policy = cls.create_policy(cls.vendor, cls.wc, "WC-100", date(2027, 1, 1))
        cls.env.cr.flush()

    @classmethod
    def create_policy(cls, vendor, coverage, number, expiration, **values):
        limits = {
            "GL": {cls.each_occurrence: 1_000_000, cls.aggregate: 2_000_000},
            "WC_EL": {cls.el_accident: 1_000_000},
            "AUTO": {cls.csl: 1_000_000},
            "UMBRELLA": {cls.each_occurrence: 5_000_000},
        }[coverage.code]
        vals = {
            "name": number,
            "partner_id": vendor.id,
            "coverage_type_id": coverage.id,
            "insurer_id": cls.insurer.id,
            "effective_date": date(expiration.year - 1, expiration.month, expiration.day),
            "expiration_date": expiration,
            "state": "active",
            "additional_insured": coverage.code == "GL",
            "per_statute": coverage.code == "WC_EL",
            "limit_ids": [
                Command.create({"limit_type_id": limit.id, "amount": amount})
                for limit, amount in limits.items()
            ],
        }
        vals.update(values)
        return cls.env["coi.policy"].create(vals)

    def settle(self):
        """What the end of the transaction does: the vendors whose data
        changed are evaluated (once), chatter tracking is written."""
        self.env.cr.flush()

    def flush_tracking(self):
        """Chatter tracking is written at commit time: run it now."""
        self.env.flush_all()
        self.env.cr.precommit.run()

    def lines(self, vendor):
        return {line.coverage_type_id.code: line for line in vendor.coi_compliance_line_ids}

    @classmethod
    def _sample_insured(cls):
        """The vendor the drawn certificates name as insured, asked for the
        standard set (a reading of them matches it)."""
        vendor = cls.env["res.partner"].create(
            {
                "name": fx.SAMPLE["insured"]["name"],
                "is_company": True,
                "supplier_rank": 1,
                "coi_requirement_set_ids": [Command.link(cls.standard.id)],
            }
        )
        cls.env.cr.flush()
        return vendor


@contextmanager
def count_evaluations():
    """Count the engine's evaluations per vendor id, and the passes (calls
    evaluating a batch of vendors), while the block runs."""
    counts = Counter()
    passes = []
    original = CoiComplianceLine._evaluations

    def counting(self, partners, on_date):
        counts.update(partners.ids)
        passes.append(len(partners))
        return original(self, partners, on_date)

    with patch.object(CoiComplianceLine, "_evaluations", counting):
        yield counts, passes


class MailIntakeCase(CoiCase):
    """The vendor with an insurance contact and an agency, and emails sent to
    the coi@ alias through the real mail gateway."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.contact = cls.env["res.partner"].create(
            {"name": "Roof office", "parent_id": cls.vendor.id, "email": "office@roof.example"}
        )
        cls.agency = cls.env["res.partner"].create(
            {
                "name": "Broker & Co",
                "is_company": True,
                "coi_is_agent": True,
                "email": "certs@broker.example",
            }
        )
        cls.vendor.write(
            {"coi_insurance_contact_id": cls.contact.id, "coi_agent_id": cls.agency.id}
        )

    def send_to_alias(self, sender, subject, text=None, html=None, files=()):
        """The certificate an email to coi@ became (`files`: (name, content)
        for a PDF, (name, content, mimetype) for another file)."""
        message = EmailMessage()
        message["From"] = sender
        message["To"] = "coi@company.example"
        message["Subject"] = subject
        key = (sender, subject, text, html, tuple(file[0] for file in files))
        message["Message-Id"] = f"<{abs(hash(key))}@test.example>"
        if html is not None:
            message.set_content(html, subtype="html")
        else:
            message.set_content(text or "Please find attached.")
        for name, content, *mimetype in files:  # (name, content[, "image/tiff"])
            maintype, subtype = (mimetype[0] if mimetype else "application/pdf").split("/")
            message.add_attachment(content, maintype=maintype, subtype=subtype, filename=name)
        certificate_id = self.env["mail.thread"].message_process(
            "coi.certificate", message.as_string()
        )
        return self.env["coi.certificate"].browse(certificate_id)
