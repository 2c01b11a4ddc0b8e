# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from collections import defaultdict

from odoo import api, fields, models
from odoo.tools import plaintext2html

from odoo.addons.coi_tracking.engine import questions
from odoo.addons.coi_tracking.engine.vocabulary import PolicyState


class ResPartner(models.Model):
    _inherit = "res.partner"

    coi_upload_request_ids = fields.One2many(
        "coi.upload.request", "partner_id", string="Upload Links"
    )

    def _coi_upload_request(self, recipient=None):
        """A valid upload link for this vendor (and recipient), made if needed."""
        self.ensure_one()
        vendor = self.commercial_partner_id
        # A vendor's link is its company's; a shared vendor's, the current one's.
        company = vendor.company_id or self.env.company
        Request = self.env["coi.upload.request"].sudo().with_company(company)
        domain = [
            ("partner_id", "=", vendor.id),
            ("company_id", "=", company.id),
            ("revoked", "=", False),
            ("expiry_date", ">=", company._coi_today()),
            ("recipient_id", "=", recipient.id if recipient else False),
        ]
        return Request.search(domain, limit=1) or Request.create(
            {
                "partner_id": vendor.id,
                "company_id": company.id,
                "recipient_id": recipient.id if recipient else False,
            }
        )

    def _coi_upload_requests(self):
        """`_coi_upload_request` for each of these vendors (no recipient),
        the missing links made in one batch (a day's notices name many
        vendors' links): ((vendor id, upload URL), ...), as the context
        value `coi_upload_urls` that `_coi_upload_url` reads."""
        vendors = self.commercial_partner_id
        by_company = defaultdict(lambda: self.browse())
        for vendor in vendors:
            by_company[vendor.company_id or self.env.company] |= vendor
        urls = {}
        for company, members in by_company.items():
            Request = (
                self.env["coi.upload.request"]
                .sudo()
                .with_company(company)
                # A link made for a notice: the notice in the vendor's
                # chatter says it was sent.
                .with_context(mail_create_nolog=True, mail_create_nosubscribe=True)
            )
            found = Request.search(
                [
                    ("partner_id", "in", members.ids),
                    ("company_id", "=", company.id),
                    ("revoked", "=", False),
                    ("expiry_date", ">=", company._coi_today()),
                    ("recipient_id", "=", False),
                ],
                order="id desc",
            )
            first = {}
            for request in found:
                first.setdefault(request.partner_id, request)
            missing = members.filtered(lambda vendor, first=first: vendor not in first)
            made = Request.create(
                [{"partner_id": vendor.id, "company_id": company.id} for vendor in missing]
            )
            for request in (*first.values(), *made):
                urls[request.partner_id.id] = f"{request.get_base_url()}{request.access_url}"
        return tuple(urls.items())

    def _coi_upload_url(self):
        self.ensure_one()
        known = dict(self.env.context.get("coi_upload_urls") or ())
        if self.commercial_partner_id.id in known:
            return known[self.commercial_partner_id.id]
        request = self._coi_upload_request()
        return f"{request.get_base_url()}{request.access_url}"

    def _coi_post_question(self, body, author, company=None):
        """A question of `author` (the link's recipient, a portal user's
        partner) about this vendor's insurance: posted on the vendor's
        chatter as the asker's message, the asker follows the vendor so the
        answer written there reaches them by email, and the COI team gets
        one activity to answer it. `body` was checked (engine.questions).
        The caller checked that `author` may ask about this vendor."""
        self.ensure_one()
        vendor = self.commercial_partner_id.sudo()
        author = author.sudo()
        company = company or vendor.company_id or self.env.company
        vendor.message_subscribe(partner_ids=author.ids)
        message = vendor.message_post(
            body=plaintext2html(body),
            subject=self.env._("Question from %s", author.name),
            author_id=author.id,
            email_from=author.email_formatted or False,
            message_type="comment",
            # Internal: the team reads it; other followers of the vendor
            # (other contacts, other agents) do not get someone else's question.
            subtype_xmlid="mail.mt_note",
        )
        vendor.activity_schedule(
            "coi_tracking_portal.mail_activity_type_coi_question",
            summary=self.env._("Answer the question of %s", author.name),
            note=plaintext2html(body),
            user_id=company._coi_team_user().id,
        )
        return message

    def _message_post_after_hook(self, message, msg_vals):
        """An answer written for the outside (a "Send message" of an internal
        user) closes the vendor's open questions and replies to read: the
        activities are done, with the answer as their feedback."""
        result = super()._message_post_after_hook(message, msg_vals)
        if (
            len(self) == 1
            and message.message_type == "comment"
            and not message.is_internal
            and not message.subtype_id.internal
            and message.author_id.user_ids.filtered(lambda u: not u.share)
        ):
            kinds = self.env.ref("coi_tracking_portal.mail_activity_type_coi_question") | (
                self.env.ref("coi_tracking.mail_activity_type_coi_reply")
            )
            to_close = self.sudo().activity_ids.filtered(lambda a: a.activity_type_id in kinds)
            if to_close:
                to_close.action_feedback(feedback=message.body)
        return result

    def _notify_get_recipients_groups(self, message, model_description, msg_vals=False):
        """Emails from a tracked vendor's chatter (an answer to a question)
        carry a button to the vendor's upload page for the people outside
        the company: the contractor and its agent answer by sending the
        certificate, or by replying to the email."""
        groups = super()._notify_get_recipients_groups(
            message, model_description, msg_vals=msg_vals
        )
        if len(self) != 1:
            return groups
        # A batch of notices knows its vendors' links (tracked vendors).
        linked = dict(self.env.context.get("coi_upload_urls") or ())
        if self.id not in linked and self._coi_tracked() != self:
            return groups
        url = self.sudo()._coi_upload_url()
        for name, _members, data in groups:
            if name in ("portal", "follower", "customer"):
                data["has_button_access"] = True
                data["button_access"] = {
                    "url": url,
                    "title": self.env._("Open the upload page"),
                }
        return groups

    def action_coi_send_upload_link(self):
        """The email composer with the first request and an upload link, for
        the vendor's insurance contact and its agent (or the vendor itself)."""
        self.ensure_one()
        vendor = self.commercial_partner_id
        recipient = vendor.coi_insurance_contact_id or vendor.coi_agent_id or vendor
        # The insurance contact and the agent, as the first request goes.
        partners = self.env["coi.notice"]._recipients(vendor) or recipient
        link = vendor._coi_upload_request(recipient)
        return link.with_context(coi_send_to=partners.ids).action_send()

    def action_coi_grant_portal(self):
        """Odoo's portal access wizard for the vendor's insurance contact and
        its agent (or the vendor itself when neither is set)."""
        self.ensure_one()
        vendor = self.commercial_partner_id
        partners = (vendor.coi_insurance_contact_id | vendor.coi_agent_id) or vendor
        action = self.env["ir.actions.act_window"]._for_xml_id("portal.partner_wizard_action")
        action["context"] = {"active_ids": partners.ids, "active_model": "res.partner"}
        return action

    @api.model
    def _coi_portal_vendors(self):
        """Vendors whose insurance the current portal user may follow: its own
        company, and the insureds of the agency it works for."""
        me = self.env.user.commercial_partner_id
        agency = (me | me.child_ids).ids
        domain = [
            ("parent_id", "=", False),
            ("coi_status", "!=", False),
            "|",
            "|",
            ("id", "=", me.id),
            ("coi_agent_id", "in", agency),
            ("coi_policy_ids.agent_id", "in", agency),
        ]
        # Explicit ownership domain above; names and statuses only.
        return self.sudo().search(domain, order="name")

    def _coi_portal_values(self):
        """The vendor's checklist, policies and certificates as the portal user
        is allowed to read them (record rules apply)."""
        self.ensure_one()
        env = self.env(su=False)  # the portal user's own rights from here
        lines = env["coi.compliance.line"].search([("partner_id", "=", self.id)])
        policies = env["coi.policy"].search(
            [
                ("partner_id", "=", self.id),
                ("state", "in", (PolicyState.ACTIVE, PolicyState.DRAFT, PolicyState.EXPIRED)),
            ],
            order="expiration_date desc",
        )
        certificates = env["coi.certificate"].search(
            [("partner_id", "=", self.id)], order="received_date desc", limit=20
        )
        link = self.sudo()._coi_upload_request(recipient=env.user.partner_id)
        explanations = {
            line.id: line.sudo().requirement_line_id._coi_explanations() for line in lines
        }
        return {
            "vendor": self,
            "status": dict(self._fields["coi_status"]._description_selection(env)).get(
                self.sudo().coi_status, ""
            ),
            "lines": lines,
            "policies": policies,
            "certificates": certificates,
            "upload_url": link.access_url,
            "line_explanations": explanations,
            "question_max": questions.MAX_QUESTION_CHARS,
        }
