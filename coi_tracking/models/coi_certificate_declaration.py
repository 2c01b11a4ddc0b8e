# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import Command, api, fields, models

from ..engine.extract.model import GOOD
from ..engine.sentences import day, money
from ..engine.vocabulary import (
    DECLARATIONS_MATCH_SELECTION,
    LIMIT_LABELS,
    DeclarationsMatch,
    PolicyState,
)


class CoiCertificateDeclaration(models.Model):
    """A policy's declarations page read off a certificate's file, matched
    to the policy by its number: it confirms the policy's period and
    limits, fills the limits the policy lacks, or disagrees (a person looks)."""

    _name = "coi.certificate.declaration"
    _description = "Policy Declarations Received"
    _order = "certificate_id, page, id"
    _check_company_auto = True

    certificate_id = fields.Many2one(
        "coi.certificate", required=True, ondelete="cascade", index=True, check_company=True
    )
    company_id = fields.Many2one(related="certificate_id.company_id", store=True, index=True)
    page = fields.Integer()
    policy_number = fields.Char(string="Policy Number Printed")
    effective_date = fields.Date()
    expiration_date = fields.Date()
    limits = fields.Json(string="Limits Printed", readonly=True, help="By limit code.")
    limits_summary = fields.Char(string="Limits", compute="_compute_limits_summary")
    policy_id = fields.Many2one(
        "coi.policy",
        string="Policy",
        ondelete="set null",
        index="btree_not_null",
        check_company=True,
    )
    match = fields.Selection(DECLARATIONS_MATCH_SELECTION, required=True)
    note = fields.Text(string="Differences")
    read_method = fields.Char(string="Read By")

    @api.depends("limits")
    def _compute_limits_summary(self):
        for declaration in self:
            declaration.limits_summary = ", ".join(
                f"{LIMIT_LABELS.get(code, code)} {money(amount)}"
                for code, amount in (declaration.limits or {}).items()
            )

    @api.model
    def _coi_store(self, certificate, pages):
        """Store the declarations pages read off `certificate`'s file
        (engine `DeclarationsPage`s), compare each with its policy, fill the
        limits a policy lacks; return the reasons a person must look."""
        certificate.declaration_ids.unlink()
        limit_types = {t.code: t for t in self.env["coi.limit.type"].search([])}
        Endorsement = self.env["coi.certificate.endorsement"]
        reasons, vals_list = [], []
        for read in pages:
            policy = Endorsement._coi_match_policy(certificate, read.policy_number)
            vals = {
                "certificate_id": certificate.id,
                "page": read.page,
                "policy_number": read.policy_number,
                "effective_date": read.effective_date or False,
                "expiration_date": read.expiration_date or False,
                "limits": dict(read.limits),
                "policy_id": policy.id,
                "read_method": read.method or False,
            }
            vals_list.append(vals)
            where = self.env._(
                "Declarations page %(page)s (policy %(number)s)",
                page=read.page,
                number=read.policy_number,
            )
            if not policy:
                vals["match"] = DeclarationsMatch.UNMATCHED
                reasons.append(self.env._("%s: no policy of this vendor has this number.", where))
                continue
            differences = self._coi_differences(read, policy)
            if differences:
                vals.update(match=DeclarationsMatch.DIFFERS, note="\n".join(differences))
                reasons.append(f"{where}: {'; '.join(differences)}.")
                continue
            confident = round(read.confidence - GOOD, 2) >= 0
            missing = {
                code: amount
                for code, amount in read.limits.items()
                if code in limit_types and code not in policy.limit_ids.limit_type_id.mapped("code")
            }
            if missing and (confident or policy.state == PolicyState.DRAFT):
                policy.write(
                    {
                        "limit_ids": [
                            Command.create(
                                {"limit_type_id": limit_types[code].id, "amount": amount}
                            )
                            for code, amount in missing.items()
                        ]
                    }
                )
                vals["match"] = DeclarationsMatch.FILLED
                vals["note"] = self.env._(
                    "Limits added to the policy: %s",
                    ", ".join(f"{LIMIT_LABELS.get(c, c)} {money(a)}" for c, a in missing.items()),
                )
            else:
                vals["match"] = DeclarationsMatch.CONFIRMED
            if not confident:
                reasons.append(self.env._("%s was read with low confidence: check it.", where))
        self.create(vals_list)
        return reasons

    @api.model
    def _coi_differences(self, read, policy):
        """What a declarations page says otherwise than the policy, in words."""
        found = []
        effective = fields.Date.to_date(read.effective_date) if read.effective_date else None
        expiration = fields.Date.to_date(read.expiration_date) if read.expiration_date else None
        if (effective and effective != policy.effective_date) or (
            expiration and expiration != policy.expiration_date
        ):
            found.append(
                self.env._(
                    "the policy period is %(read_from)s to %(read_to)s there, %(held_from)s to "
                    "%(held_to)s on file",
                    read_from=day(effective or policy.effective_date),
                    read_to=day(expiration or policy.expiration_date),
                    held_from=day(policy.effective_date),
                    held_to=day(policy.expiration_date),
                )
            )
        held = {limit.limit_type_id.code: limit.amount for limit in policy.limit_ids}
        for code, amount in read.limits.items():
            if code in held and held[code] != amount:
                found.append(
                    self.env._(
                        "%(limit)s is %(read)s there, %(held)s on file",
                        limit=LIMIT_LABELS.get(code, code),
                        read=money(amount),
                        held=money(held[code]),
                    )
                )
        return found
