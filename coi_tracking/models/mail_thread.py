# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import models
from odoo.tools import SQL, clean_context
from odoo.tools.mail import formataddr

# The messages of a thread an email refers to, as `message_post` picks them.
SEARCHED_ANCESTORS = 32
REFERENCED_ANCESTORS = 3
OUTGOING_TYPES = ("comment", "auto_comment", "email", "email_outgoing")


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    def _coi_post_batch(self, posts, author, email_layout_xmlid="mail.mail_notification_light"):
        """Post each of `posts` on its record as `message_post` posts a
        comment: the chatter message with its attachments, one email queued
        per language of its recipients, a notification per recipient. One
        query per step for all of them (`message_post` sends some thirty
        per message).

        `posts`: dicts with `res_id`, `body` (Markup), `subject`,
        `partner_ids` and `attachments` ([(name, bytes)]) ; `author`: the
        res.partner writing them. A record with followers who would get the
        comment, or a recipient who reads Odoo's inbox, is posted by
        `message_post` itself (exactly as Odoo notifies them), and so are
        the posts of a person (`message_post` makes them follow the record).

        Returns the messages, in the order of `posts`."""
        if not posts:
            return self.env["mail.message"]
        subtype_id = self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_comment")
        records = self.browse(list(dict.fromkeys(post["res_id"] for post in posts)))
        pids = sorted({pid for post in posts for pid in post["partner_ids"]})
        recipients = self.env["mail.followers"]._get_recipient_data(
            records, "comment", subtype_id, pids=pids
        )
        quick, slow = [], []
        # A person posting follows the records (`message_post` subscribes
        # them, and may then notify them), unless the context says not to:
        # their posts take Odoo's path.
        real_author = self._message_compute_real_author(author.id)
        personal = (
            bool(real_author)
            and not real_author.partner_share
            and not self.env.context.get("mail_post_autofollow_author_skip")
        )
        for post in posts:
            known = recipients.get(post["res_id"], {})
            # In the order Odoo reads them (the emails' headers list them so).
            data = [datum for pid, datum in known.items() if pid in post["partner_ids"]]
            followers = [
                pid
                for pid, datum in known.items()
                if datum["is_follower"] and pid not in post["partner_ids"] and pid != author.id
            ]
            if personal or followers or any(datum["notif"] != "email" for datum in data):
                slow.append(post)
            else:
                quick.append((post, data))
        messages = {}
        for post in slow:
            messages[id(post)] = self.browse(post["res_id"]).message_post(
                body=post["body"],
                subject=post["subject"],
                partner_ids=post["partner_ids"],
                attachments=post["attachments"],
                author_id=author.id,
                message_type="comment",
                subtype_id=subtype_id,
                email_layout_xmlid=email_layout_xmlid,
                force_send=False,
            )
        if quick:
            created = self._coi_post_quick(quick, author, subtype_id, email_layout_xmlid)
            messages.update(zip((id(post) for post, _data in quick), created, strict=True))
        return self.env["mail.message"].union(*(messages[id(post)] for post in posts))

    def _coi_post_quick(self, quick, author, subtype_id, email_layout_xmlid):
        """`_coi_post_batch` for posts whose recipients are theirs alone and
        read email: messages, attachments, emails and notifications created
        in one batch each."""
        records = self.browse([post["res_id"] for post, _data in quick])
        email_from = author.email_formatted
        companies = records._mail_get_companies(default=self.env.company)
        alias_domains = records.sudo()._mail_get_alias_domains(default_company=self.env.company)
        reply_to = records._notify_get_reply_to(default=email_from, author_id=author.id)
        attachments = (
            self.env["ir.attachment"]
            .sudo()
            .with_context(clean_context(self.env.context))
            .create(
                [
                    {"name": name, "raw": raw, "res_model": self._name, "res_id": post["res_id"]}
                    for post, _data in quick
                    for name, raw in post["attachments"]
                ]
            )
        )
        attachment_ids = iter(attachments.ids)
        values_list = [
            {
                "author_id": author.id,
                "email_from": email_from,
                "model": self._name,
                "res_id": post["res_id"],
                "body": post["body"],
                "subject": post["subject"] or False,
                "message_type": "comment",
                "subtype_id": subtype_id,
                "partner_ids": post["partner_ids"],
                "attachment_ids": [next(attachment_ids) for _attachment in post["attachments"]],
                "email_layout_xmlid": email_layout_xmlid,
                "email_add_signature": True,
                "record_alias_domain_id": alias_domains[post["res_id"]].id,
                "record_company_id": companies[post["res_id"]].id,
                "reply_to": reply_to[post["res_id"]],
            }
            for post, _data in quick
        ]
        messages = self._message_create(values_list)
        for message, values in zip(messages, values_list, strict=True):
            self.browse(values["res_id"])._message_post_after_hook(message, values)
        ancestors = self._coi_ancestors(messages)
        mail_values, notified = [], []
        contexts = {}
        for message, values, (post, data) in zip(messages, values_list, quick, strict=True):
            record = self.browse(post["res_id"])
            references = " ".join([*ancestors.get(message.id, []), message.message_id])
            by_lang = {}
            for datum in data:
                by_lang.setdefault(datum["lang"] or self.env.lang, []).append(datum)
            for lang, lang_data in by_lang.items():
                key = (companies[record.id].id, lang)
                if key not in contexts:
                    contexts[key] = record.with_context(
                        lang=lang
                    )._notify_by_email_prepare_rendering_context(
                        message, msg_vals=values, force_email_lang=lang
                    )
                render_values = self._coi_rendering_values(contexts[key], message, record, lang)
                for group in record.with_context(lang=lang)._notify_get_recipients_classify(
                    message, lang_data, render_values["model_description"], msg_vals=values
                ):
                    body = self.env["ir.qweb"]._render(
                        email_layout_xmlid,
                        {**render_values, **group},
                        minimal_qcontext=True,
                        raise_if_not_found=False,
                        lang=lang,
                    )
                    mail_values.append(
                        {
                            "mail_message_id": message.id,
                            "references": references,
                            "body_html": body or message.body,
                            "recipient_ids": [(4, pid) for pid in group["recipients_ids"]],
                            "auto_delete": True,
                            "headers": repr(self._coi_mail_headers(record, group, values)),
                        }
                    )
                    notified.append((message, group["recipients_ids"]))
        mails = (
            self.env["mail.mail"]
            .sudo()
            .with_context(clean_context(self.env.context))
            .create(mail_values)
        )
        self.env["mail.notification"].sudo().create(
            [
                {
                    "author_id": author.id,
                    "is_read": True,
                    "mail_message_id": message.id,
                    "mail_mail_id": mail.id,
                    "notification_status": "ready",
                    "notification_type": "email",
                    "res_partner_id": pid,
                }
                for mail, (message, partner_ids) in zip(mails, notified, strict=True)
                for pid in partner_ids
            ]
        )
        return messages

    def _coi_rendering_values(self, shared, message, record, lang):
        """The layout's values for `message`: what its company and language
        share (`shared`, computed once), with the message and its record."""
        record_name = record.with_context(lang=lang).display_name
        return {
            **shared,
            "message": message,
            "subtype": message.subtype_id,
            "tracking_values": [],
            "record": record.with_context(lang=lang),
            "record_name": record_name,
            "subtitles": [record_name],
        }

    def _coi_mail_headers(self, record, group, values):
        """The headers `message_post` gives a notification email."""
        external = [
            formataddr((datum["name"], datum["email_normalized"]))
            for datum in group["recipients_data"]
            if datum["active"] and datum["email_normalized"] and datum["share"]
        ]
        headers = {}
        if external and len(external) < self._CUSTOMER_HEADERS_LIMIT_COUNT:
            headers["X-Msg-To-Add"] = ",".join(external)
        alias_domain = self.env["mail.alias.domain"].sudo().browse(values["record_alias_domain_id"])
        if alias_domain.bounce_email:
            headers["Return-Path"] = alias_domain.bounce_email
        return record._notify_by_email_get_headers(headers=headers)

    def _coi_ancestors(self, messages):
        """Per message, the message ids its email refers to, as
        `message_post` picks them: of the thread's last 32 messages before
        it, public discussions first, then outgoing ones, three at most,
        oldest first."""
        if not messages:
            return {}
        self.env.cr.execute(
            SQL(
                """
                SELECT new.id, array_agg(old.message_id ORDER BY old.id)
                  FROM mail_message new
                  CROSS JOIN LATERAL (
                        SELECT recent.id, recent.message_id
                          FROM (SELECT m.id, m.message_id, m.message_type,
                                       NOT coalesce(m.is_internal, FALSE)
                                           AND NOT coalesce(s.internal, FALSE) AS public
                                  FROM mail_message m
                                  JOIN mail_message_subtype s ON s.id = m.subtype_id
                                 WHERE m.model = new.model AND m.res_id = new.res_id
                                   AND m.id < new.id AND m.message_id IS NOT NULL
                                 ORDER BY m.id DESC
                                 LIMIT %s) AS recent
                         ORDER BY recent.public DESC,
                                  recent.message_type IN %s DESC,
                                  recent.message_type NOT IN ('user_notification',
                                                              'out_of_office') DESC,
                                  recent.id DESC
                         LIMIT %s
                  ) AS old
                 WHERE new.id = ANY(%s)
                 GROUP BY new.id
                """,
                SEARCHED_ANCESTORS,
                OUTGOING_TYPES,
                REFERENCED_ANCESTORS,
                messages.ids,
            )
        )
        return dict(self.env.cr.fetchall())
