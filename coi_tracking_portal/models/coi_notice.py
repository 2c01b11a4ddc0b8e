# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, models
from odoo.tools import consteq

from odoo.addons.coi_tracking.engine.vocabulary import NoticeKind, NoticeState, PolicyState

# A policy whose agent may still answer for it.
ANSWERABLE = (PolicyState.ACTIVE, PolicyState.EXPIRED)


class CoiNotice(models.Model):
    _inherit = "coi.notice"

    def _post(self):
        # The vendors' upload links the emails show: found or made at once
        # (a notice with nobody to write to becomes a to-do, with no link).
        emailed = self.filtered(lambda n: n.state != NoticeState.NO_RECIPIENT)
        urls = emailed.partner_id._coi_upload_requests()
        return super(CoiNotice, self.with_context(coi_upload_urls=urls))._post()

    def _answer_urls(self):
        self.ensure_one()
        if not self.access_token:
            return {}
        base = f"{self.get_base_url()}/coi/verify/{self.access_token}"
        return {"in_force": f"{base}/in_force", "changed": f"{base}/changed"}

    @api.model
    def _find_verification(self, token):
        """The verification notice of a token (compared in constant time)."""
        if not token or len(token) < 32:
            return self.browse()
        notice = self.sudo().search(
            [("access_token", "=", token), ("kind", "=", NoticeKind.VERIFICATION)], limit=1
        )
        if not notice or not consteq(notice.access_token, token):
            return self.browse()
        if notice.policy_id.state not in ANSWERABLE:
            return self.browse()
        return notice

    def _verification_page_values(self, answer, recorded):
        self.ensure_one()
        # The other policies the same email asked about, still unanswered:
        # whoever holds this link got theirs in the same email.
        others = (self._verification_group() - self).filtered(
            lambda n: not n.answer and n.policy_id.state in ANSWERABLE
        )
        return {
            "notice": self,
            "policy": self.policy_id,
            "answer": answer,
            "recorded": recorded,
            "upload_url": self.partner_id._coi_upload_request(self.recipient_ids[:1]).access_url,
            "others": [(n.policy_id, n._answer_urls()) for n in others],
        }
