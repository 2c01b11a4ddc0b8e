# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Data walls between companies: each company's insurance data is read and
written by its own users only, and files reach a certificate only through
the door."""

import base64
from datetime import date

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, new_test_user, tagged

from .common import CoiCase

# Models of the three addons that hold company data without a rule on their
# company, and why they are walled anyway. A model listed here that no longer
# needs it makes the test fail, so the list stays true.
COVERED_OTHERWISE = {
    # A wizard: each user reads only the wizards they opened
    # (coi_tracking.coi_certificate_reject_owner_rule).
    "coi.certificate.reject": "create_uid",
    "coi.certificate.revision": "create_uid",
    "coi.request.certificates": "create_uid",
    # Core: the composer is its author's (mail.mail_compose_message_rule).
    "mail.compose.message": "create_uid",
    # Core: scheduled actions are administrators' only (base.access_ir_cron_group_cron).
    "ir.cron": None,
    # Core: each API key is its owner's (base.api_key_user).
    "res.users.apikeys": "user_id",
    # Core settings wizard (transient): it writes to the current company.
    "res.config.settings": None,
    # Core: a variant's company is its template's, walled by the template's
    # rule (product.product_comp_rule); the suite only orders its sellers.
    "product.product": None,
}
LOG_ACCESS = {"create_uid", "write_uid"}
# Every field of our models pointing to files, and how a user is kept from
# linking another record's file (see coi.certificate._check_given_files).
ATTACHMENT_FIELDS = {
    ("coi.certificate", "attachment_ids"),
    ("coi.certificate", "document_id"),
}


def coi_models(env):
    """The ir.model records of the three addons (defined or inherited)."""
    return (
        env["ir.model"]
        .search([])
        .filtered(lambda m: any(n.startswith("coi_tracking") for n in m.modules.split(", ")))
    )


class TwoCompanies(CoiCase):
    """Company A (the test's company, with the common network) and company B,
    each with a COI user and a manager, a vendor of its own and a policy."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a = cls.env.company
        cls.company_b = cls.env["res.company"].create({"name": "Beta Co (walls)"})
        cls.user_b = cls.company_user("coi_walls_user_b", cls.company_b)
        cls.manager_b = cls.company_user(
            "coi_walls_manager_b", cls.company_b, "coi_tracking.coi_tracking_group_manager"
        )
        cls.manager_a = cls.company_user(
            "coi_walls_manager_a", cls.company_a, "coi_tracking.coi_tracking_group_manager"
        )
        Partner = cls.env["res.partner"]
        cls.vendor_a = Partner.create(
            {
                "name": "Alpha Paving (walls)",
                "is_company": True,
                "supplier_rank": 1,
                "company_id": cls.company_a.id,
            }
        )
        cls.vendor_b = Partner.create(
            {
                "name": "Beta Paving (walls)",
                "is_company": True,
                "supplier_rank": 1,
                "company_id": cls.company_b.id,
            }
        )
        cls.policy_a = cls.create_policy(cls.vendor_a, cls.gl, "GL-WALL-A", date(2027, 1, 1))
        cls.policy_b = cls.create_policy(
            cls.vendor_b, cls.gl, "GL-WALL-B", date(2027, 1, 1), company_id=cls.company_b.id
        )
        cls.env.cr.flush()

    @classmethod
    def company_user(cls, login, company, groups="coi_tracking.coi_tracking_group_user"):
        return new_test_user(
            cls.env,
            login=login,
            groups=groups,
            company_id=company.id,
            company_ids=[Command.set(company.ids)],
        )


@tagged("post_install", "-at_install")
class TestMultiCompany(TwoCompanies):
    def test_policy_limits_stay_in_their_company(self):
        limits_a, limits_b = self.policy_a.limit_ids, self.policy_b.limit_ids
        self.assertEqual(limits_a.company_id, self.company_a)
        self.assertEqual(limits_b.company_id, self.company_b)
        Limit = self.env["coi.policy.limit"].with_user(self.user_b)
        self.assertEqual(Limit.search([("id", "in", (limits_a | limits_b).ids)]), limits_b)
        with self.assertRaises(AccessError):
            limits_a.with_user(self.user_b).read(["amount", "policy_id"])
        with self.assertRaises(AccessError):
            limits_a.with_user(self.user_b).write({"amount": 1})
        with self.assertRaises(AccessError):
            Limit.create(
                {
                    "policy_id": self.policy_a.id,
                    "limit_type_id": self.csl.id,
                    "amount": 1,
                }
            )

    def test_requirement_limits_stay_in_their_company(self):
        own = self.env["coi.requirement.set"].create(
            {
                "name": "Alpha only (walls)",
                "company_id": self.company_a.id,
                "line_ids": [
                    Command.create(
                        {
                            "coverage_type_id": self.auto.id,
                            "limit_ids": [
                                Command.create({"limit_type_id": self.csl.id, "amount": 1})
                            ],
                        }
                    )
                ],
            }
        )
        private = own.line_ids.limit_ids
        shared = self.standard.line_ids.limit_ids  # a set without company
        self.assertEqual(private.company_id, self.company_a)
        self.assertFalse(shared.company_id)
        Limit = self.env["coi.requirement.limit"].with_user(self.manager_b)
        self.assertEqual(Limit.search([("id", "in", (private | shared).ids)]), shared)
        with self.assertRaises(AccessError):
            private.with_user(self.manager_b).read(["amount"])
        with self.assertRaises(AccessError):
            private.with_user(self.manager_b).write({"amount": 0})

    def test_notices_stay_in_their_company_and_hide_their_tokens(self):
        Notice = self.env["coi.notice"]
        notice_a, notice_b = Notice.create(
            [
                {
                    "key": f"verification:{policy.id}:0:walls",
                    "kind": "verification",
                    "stage": "walls",
                    "partner_id": policy.partner_id.id,
                    "policy_id": policy.id,
                    "access_token": f"walls-token-{policy.name}-" + "x" * 32,
                }
                for policy in (self.policy_a, self.policy_b)
            ]
        )
        self.assertEqual(notice_a.company_id, self.company_a)
        self.assertEqual(notice_b.company_id, self.company_b)
        theirs = Notice.with_user(self.user_b).search([("id", "in", (notice_a | notice_b).ids)])
        self.assertEqual(theirs, notice_b)
        with self.assertRaises(AccessError):
            notice_a.with_user(self.user_b).read(["kind", "policy_id"])
        # The token is nobody's to read in the back office, not even the
        # company's own manager: the agent's links carry it.
        for user in (self.coi_user, self.manager_a):
            values = notice_a.with_user(user).read()[0]
            self.assertNotIn("access_token", values)
            with self.assertRaises(AccessError):
                notice_a.with_user(user).read(["access_token"])
            with self.assertRaises(AccessError):
                Notice.with_user(user).search([("access_token", "=", notice_a.sudo().access_token)])

    def test_dashboard_is_the_current_company_only(self):
        Dashboard = self.env["coi.compliance.dashboard"].with_user(self.user_b)
        self.assertEqual(Dashboard.search([]).company_id, self.company_b)
        self.assertFalse(Dashboard.search([("company_id", "=", self.company_a.id)]))

    def test_rejection_wizard_is_its_user_s(self):
        certificate = self.env["coi.certificate"].create({"partner_id": self.vendor_a.id})
        wizard = (
            self.env["coi.certificate.reject"]
            .with_user(self.coi_user)
            .create({"certificate_ids": [Command.set(certificate.ids)], "reason": "Alpha only"})
        )
        with self.assertRaises(AccessError):
            wizard.with_user(self.user_b).read(["reason"])
        with self.assertRaises(AccessError):
            wizard.with_user(self.user_b).action_reject()
        self.assertEqual(certificate.state, "received")

    def test_certificates_keep_their_vendor_in_their_company(self):
        with self.assertRaises(UserError):
            self.env["coi.certificate"].with_user(self.user_b).create(
                {"partner_id": self.vendor_a.id}
            )
        # A shared vendor works with every company.
        self.env["coi.certificate"].with_user(self.user_b).create({"partner_id": self.vendor.id})

    def test_policies_keep_their_vendor_and_certificate_in_their_company(self):
        with self.assertRaises(UserError):
            self.create_policy(
                self.vendor_a, self.auto, "AU-WALL", date(2027, 1, 1), company_id=self.company_b.id
            )
        certificate_b = self.env["coi.certificate"].create(
            {"partner_id": self.vendor_b.id, "company_id": self.company_b.id}
        )
        with self.assertRaises(UserError):
            self.policy_a.certificate_id = certificate_b

    def test_a_cancellation_notice_cancels_its_own_company_s_policy_only(self):
        notice_b = self.env["coi.certificate"].create(
            {"kind": "cancellation", "company_id": self.company_b.id}
        )
        text = f"Notice of cancellation of policy {self.policy_a.name} effective 2026-07-01"
        self.assertFalse(self.env["coi.policy"]._coi_cancel_from_notice(notice_b, text))
        self.assertEqual(self.policy_a.state, "active")
        self.assertFalse(notice_b.partner_id)

    def test_the_insured_is_found_among_the_certificate_s_company_vendors(self):
        Partner = self.env["res.partner"]
        name = self.vendor_a.name
        self.assertEqual(
            Partner.with_company(self.company_a)._coi_match_vendor(name), self.vendor_a
        )
        self.assertFalse(Partner.with_company(self.company_b)._coi_match_vendor(name))

    def test_an_email_certificate_is_its_vendor_s_company_s(self):
        self.vendor_b.email = "office@beta-paving.example.com"
        Certificate = self.env["coi.certificate"]
        email = {"email_from": self.vendor_b.email, "subject": "Our certificate"}
        certificate = Certificate.browse(Certificate.message_new(dict(email)).id)
        self.assertRecordValues(
            certificate, [{"partner_id": self.vendor_b.id, "company_id": self.company_b.id}]
        )
        # Sent to company A's alias: A's certificate, the vendor for a person to set.
        certificate = Certificate.message_new(dict(email), {"company_id": self.company_a.id})
        self.assertRecordValues(
            certificate, [{"partner_id": False, "company_id": self.company_a.id}]
        )

    def test_every_model_with_company_data_has_a_company_rule(self):
        """Walk every model of the three addons: a model with a company (a
        company_id field, or a link to a record that has one) must be behind
        a multi-company rule, or be in COVERED_OTHERWISE with its reason."""
        company_owned = {
            name for name, model in self.env.registry.items() if "company_id" in model._fields
        }
        missing, covered = [], set()
        ir_models = coi_models(self.env)
        for ir_model in ir_models:
            Model = self.env[ir_model.model]
            if Model._abstract:
                continue  # no records: the models inheriting it are walked
            links = [
                name
                for name, field in Model._fields.items()
                if name == "company_id"
                or (
                    field.type in ("many2one", "many2many")
                    and field.store
                    and name not in LOG_ACCESS
                    and field.comodel_name in company_owned
                )
            ]
            if not links:
                continue  # reference data shared by every company
            rules = self.env["ir.rule"].search(
                [("model_id", "=", ir_model.id), ("perm_read", "=", True)]
            )
            if any("company_ids" in (rule.domain_force or "") for rule in rules):
                continue
            if Model._name in COVERED_OTHERWISE:
                covered.add(Model._name)
                owner = COVERED_OTHERWISE[Model._name]
                if owner:
                    self.assertTrue(
                        any(owner in (rule.domain_force or "") for rule in rules),
                        f"{Model._name}: no rule on {owner}",
                    )
                continue
            missing.append(f"{Model._name} ({', '.join(links)})")
        self.assertEqual(missing, [], "models with company data and no multi-company rule")
        self.assertEqual(
            covered,
            set(COVERED_OTHERWISE) & set(ir_models.mapped("model")),
            "COVERED_OTHERWISE lists models that no longer need it",
        )

    def test_every_attachment_field_is_guarded(self):
        found = {
            (ir_model.model, name)
            for ir_model in coi_models(self.env)
            for name, field in self.env[ir_model.model]._fields.items()
            if field.comodel_name == "ir.attachment"
            and field.store
            and field.type in ("many2one", "many2many")
            and any(module.startswith("coi_tracking") for module in field._modules)
        }
        self.assertEqual(found, ATTACHMENT_FIELDS)


@tagged("post_install", "-at_install")
class TestCertificateFiles(TwoCompanies):
    """Files reach a certificate through the door; the document read is one
    of its own files."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.certificate_a = cls.env["coi.certificate"].create({"partner_id": cls.vendor_a.id})
        cls.file_a = cls.env["ir.attachment"].create(
            {
                "name": "alpha.pdf",
                "raw": b"%PDF-1.4 alpha walls",
                "res_model": "coi.certificate",
                "res_id": cls.certificate_a.id,
            }
        )
        cls.certificate_a.write(
            {"attachment_ids": [Command.link(cls.file_a.id)], "document_id": cls.file_a.id}
        )
        cls.certificate_b = (
            cls.env["coi.certificate"]
            .with_user(cls.user_b)
            .create({"partner_id": cls.vendor_b.id, "company_id": cls.company_b.id})
        )

    def test_users_never_set_the_document_read(self):
        own = (
            self.env["ir.attachment"]
            .with_user(self.user_b)
            .create(
                {
                    "name": "beta.pdf",
                    "datas": base64.b64encode(b"%PDF-1.4 beta"),
                    "res_model": "coi.certificate",
                    "res_id": self.certificate_b.id,
                }
            )
        )
        mine = self.certificate_b.with_user(self.user_b)
        mine.write({"attachment_ids": [Command.link(own.id)]})
        for document in (self.file_a, own):
            with self.assertRaises(AccessError):
                mine.write({"document_id": document.id})
        with self.assertRaises(AccessError):
            self.env["coi.certificate"].with_user(self.user_b).create(
                {"partner_id": self.vendor_b.id, "document_id": self.file_a.id}
            )
        self.assertFalse(mine.document_id)

    def test_the_document_read_is_one_of_the_certificate_s_files(self):
        with self.assertRaises(ValidationError):
            self.certificate_b.sudo().write({"document_id": self.file_a.id})

    def test_only_files_the_user_may_read_and_that_belong_nowhere_else(self):
        mine = self.certificate_b.with_user(self.user_b)
        for command in (Command.link(self.file_a.id), Command.set(self.file_a.ids)):
            with self.assertRaises(AccessError):
                mine.write({"attachment_ids": [command]})
        with self.assertRaises(AccessError):
            self.env["coi.certificate"].with_user(self.user_b).create(
                {"partner_id": self.vendor_b.id, "attachment_ids": [Command.link(self.file_a.id)]}
            )
        # A's file stays A's.
        self.assertEqual(
            (self.file_a.res_model, self.file_a.res_id), ("coi.certificate", self.certificate_a.id)
        )
        # A file of another record the user may read is not taken from it.
        vendor_file = self.env["ir.attachment"].create(
            {
                "name": "w9.pdf",
                "raw": b"%PDF-1.4 w9",
                "res_model": "res.partner",
                "res_id": self.vendor_b.id,
            }
        )
        with self.assertRaises(AccessError):
            mine.write({"attachment_ids": [Command.link(vendor_file.id)]})
        # The form's upload (a file not yet attached anywhere) is linked and
        # moved onto the certificate.
        upload = (
            self.env["ir.attachment"]
            .with_user(self.user_b)
            .create(
                {
                    "name": "../renewal.pdf",
                    "datas": base64.b64encode(b"%PDF-1.4 renewal"),
                    "res_model": "coi.certificate",
                }
            )
        )
        mine.write({"attachment_ids": [Command.link(upload.id)]})
        self.assertEqual(upload.res_id, self.certificate_b.id)


@tagged("post_install", "-at_install")
class TestCertificateDownloadWall(HttpCase):
    """Reproduction: a COI user of company B pointed `document_id` of B's
    certificate to the file of A's certificate, then downloaded A's PDF
    through /web/content."""

    SECRET = b"%PDF-1.4 ALPHA-ONLY-SECRET-BYTES"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company_b = cls.env["res.company"].create({"name": "Beta Co (download)"})
        cls.user_b = new_test_user(
            cls.env,
            login="coi_download_b",
            groups="coi_tracking.coi_tracking_group_user",
            company_id=company_b.id,
            company_ids=[Command.set(company_b.ids)],
        )
        Partner = cls.env["res.partner"]
        vendor_a = Partner.create({"name": "Alpha (download)", "is_company": True})
        vendor_b = Partner.create(
            {"name": "Beta (download)", "is_company": True, "company_id": company_b.id}
        )
        cls.certificate_a = cls.env["coi.certificate"].create({"partner_id": vendor_a.id})
        cls.file_a = cls.env["ir.attachment"].create(
            {
                "name": "alpha.pdf",
                "raw": cls.SECRET,
                "mimetype": "application/pdf",
                "res_model": "coi.certificate",
                "res_id": cls.certificate_a.id,
            }
        )
        cls.certificate_a.write(
            {"attachment_ids": [Command.link(cls.file_a.id)], "document_id": cls.file_a.id}
        )
        cls.certificate_b = cls.env["coi.certificate"].create(
            {"partner_id": vendor_b.id, "company_id": company_b.id}
        )

    def call_kw(self, model, method, args, kwargs=None):
        return self.url_open(
            f"/web/dataset/call_kw/{model}/{method}",
            json={
                "jsonrpc": "2.0",
                "method": "call",
                "params": {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
            },
        ).json()

    def test_b_cannot_download_a_s_certificate(self):
        self.authenticate("coi_download_b", "coi_download_b")
        answer = self.call_kw(
            "coi.certificate", "write", [self.certificate_b.ids, {"document_id": self.file_a.id}]
        )
        self.assertIn("error", answer)
        answer = self.call_kw(
            "coi.certificate",
            "write",
            [self.certificate_b.ids, {"attachment_ids": [[4, self.file_a.id]]}],
        )
        self.assertIn("error", answer)
        own = self.url_open(f"/web/content/coi.certificate/{self.certificate_b.id}/document_pdf")
        self.assertNotIn(self.SECRET, own.content)
        for url in (
            f"/web/content/coi.certificate/{self.certificate_a.id}/document_pdf",
            f"/web/content/{self.file_a.id}",
            f"/web/content/ir.attachment/{self.file_a.id}/datas",
        ):
            response = self.url_open(url)
            self.assertIn(response.status_code, (403, 404), url)
            self.assertNotIn(self.SECRET, response.content, url)
        self.assertFalse(self.certificate_b.document_id)
        self.assertEqual(self.file_a.res_id, self.certificate_a.id)
