# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import base64

from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged

from . import fixtures as fx


@tagged("post_install", "-at_install")
class TestCertificateReviewScreen(HttpCase):
    """The review screen at 1366x768 (the browser's size in these tests):
    the document beside the proposed policies and limits, labels whole, a
    limit corrected in the grid."""

    def test_reviewer_corrects_a_limit_beside_the_document(self):
        reviewer = new_test_user(
            self.env,
            login="coi_review_user",
            groups="base.group_user,coi_tracking.coi_tracking_group_user",
        )
        ref = self.env.ref
        requirements = self.env["coi.requirement.set"].create(
            {
                "name": "Review screen set",
                "line_ids": [
                    Command.create({"coverage_type_id": ref("coi_tracking.coverage_gl").id})
                ],
            }
        )
        vendor = self.env["res.partner"].create(
            {
                "name": fx.SAMPLE["insured"]["name"],
                "is_company": True,
                "coi_requirement_set_ids": [Command.link(requirements.id)],
            }
        )
        attachment = (
            self.env["ir.attachment"]
            .with_user(reviewer)
            .create(
                {
                    "name": "own-layout.pdf",
                    "datas": base64.b64encode(fx.freeform_pdf()),
                    "res_model": "coi.certificate",
                }
            )
        )
        certificate = (
            self.env["coi.certificate"]
            .with_user(reviewer)
            .create({"partner_id": vendor.id, "attachment_ids": [Command.link(attachment.id)]})
        )
        self.env["coi.certificate"]._cron_read_certificates()
        self.assertEqual(certificate.state, "in_review")
        each = certificate.policy_limit_ids.filtered(
            lambda limit: limit.policy_id.coverage_type_id.code == "GL"
            and limit.limit_type_id.code == "EACH_OCCURRENCE"
        )
        self.assertEqual(each.amount, 1_000_000)
        self.start_tour(
            f"/odoo/action-coi_tracking.action_coi_certificate/{certificate.id}",
            "coi_certificate_review_tour",
            login="coi_review_user",
        )
        self.assertEqual(each.amount, 1_500_000)
        self.assertEqual(each.policy_id.state, "draft")  # saved, not yet accepted
