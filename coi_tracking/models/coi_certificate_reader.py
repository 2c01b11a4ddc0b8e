# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import re

from odoo import Command, api, fields, models
from odoo.tools import float_compare

from ..engine.extract.model import GOOD
from ..engine.extract.values import find_dates

try:
    from rapidfuzz import fuzz, process, utils
except ImportError:  # pragma: no cover - rapidfuzz is in requirements.txt
    fuzz = process = utils = None

NAME_MATCH = 88  # rapidfuzz score (0-100) to accept a name as the same party


class CoiCertificateReader(models.AbstractModel):
    """Turns what the engine read off a certificate into records: insurer and
    agent matched or created, the insured checked against the vendor, draft
    policies proposed, and the decision to accept or to ask a person."""

    _name = "coi.certificate.reader"
    _description = "Certificate of Insurance Reader"

    @api.model
    def _name_score(self, a, b):
        if not a or not b:
            return 0
        return fuzz.token_set_ratio(a, b, processor=utils.default_process)

    @api.model
    def _match_vendor(self, insured_name):
        """The vendor named as insured on a certificate, when the sender did
        not tell (an agent writes for many insureds)."""
        if not insured_name:
            return self.env["res.partner"]
        return self._partner_named(
            insured_name, [("parent_id", "=", False), ("coi_status", "!=", False)]
        )

    @api.model
    def _partner_named(self, name, domain, limit=20000):
        """The partner of `domain` whose name is closest to `name` (rapidfuzz
        token-set ratio at least NAME_MATCH), or an empty recordset."""
        Partner = self.env["res.partner"]
        candidates = Partner.search_fetch(domain, ["name"], limit=limit)
        best = process.extractOne(
            name,
            {p.id: p.name for p in candidates},
            scorer=fuzz.token_set_ratio,
            processor=utils.default_process,
            score_cutoff=NAME_MATCH,
        )
        return Partner.browse(best[2]) if best else Partner

    @api.model
    def _process_cancellation(self, certificate, text):
        """A cancellation notice: cancel the policy it names at once when the
        match is exact (one active policy's number, of this vendor when
        known); otherwise a COI user confirms."""
        squashed = re.sub(r"[^A-Z0-9]", "", (text or "").upper())
        domain = [("state", "=", "active")]
        if certificate.partner_id:
            domain.append(("partner_id", "=", certificate.partner_id.id))
        candidates = self.env["coi.policy"].search(domain)
        named = candidates.filtered(
            lambda p: len(re.sub(r"[^A-Z0-9]", "", p.name.upper())) >= 5
            and re.sub(r"[^A-Z0-9]", "", p.name.upper()) in squashed
        )
        if len(named) != 1:
            reason = (
                self.env._("Cancellation notice: no active policy number found in it.")
                if not named
                else self.env._(
                    "Cancellation notice: several policies match (%s); confirm which one.",
                    ", ".join(named.mapped("name")),
                )
            )
            certificate._ask_review([reason])
            certificate.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=self.env._("Confirm the cancellation"),
                note=reason,
            )
            return self.env["coi.policy"]
        policy = named
        dates = [d for d in find_dates(text or "") if d >= str(policy.effective_date)]
        when = fields.Date.to_date(min(dates)) if dates else fields.Date.context_today(self)
        policy.write(
            {
                "cancellation_date": when,
                "cancellation_reason": self.env._("Cancellation notice %s", certificate.name),
                "certificate_id": policy.certificate_id.id or certificate.id,
            }
        )
        policy.action_cancel()
        if not certificate.partner_id:
            certificate.partner_id = policy.partner_id
        certificate.write({"state": "accepted", "review_date": fields.Datetime.now()})
        certificate.message_post(
            body=self.env._(
                "Policy %(number)s cancelled on %(date)s.", number=policy.name, date=when
            )
        )
        self.env["coi.notice"]._queue(
            [
                {
                    "kind": "cancelled",
                    "vendor": policy.partner_id,
                    "policy": policy,
                    "certificate": certificate,
                }
            ]
        )
        return policy

    @api.model
    def _match_insurer(self, name, naic):
        Partner = self.env["res.partner"]
        if naic:
            found = Partner.search([("coi_naic_code", "=", naic)], limit=1)
            if found:
                return found
        if not name:
            return Partner
        found = self._partner_named(name, [("coi_is_insurer", "=", True)])
        if found:
            return found
        return Partner.create(
            {"name": name, "is_company": True, "coi_is_insurer": True, "coi_naic_code": naic}
        )

    @api.model
    def _match_agent(self, producer):
        Partner = self.env["res.partner"]
        name, email = producer.get("name"), producer.get("email")
        if email:
            found = Partner.search([("email", "=ilike", email)], limit=1)
            if found:
                return found.commercial_partner_id if found.parent_id else found
        if not name:
            return Partner
        found = self._partner_named(name, [("coi_is_agent", "=", True)])
        if found:
            return found
        agency = Partner.create(
            {
                "name": name,
                "is_company": True,
                "coi_is_agent": True,
                "email": email,
                "phone": producer.get("phone"),
                "street": (producer.get("address") or [None])[0],
            }
        )
        contact = producer.get("contact_name")
        if contact and self._name_score(contact, name) < NAME_MATCH:
            Partner.create(
                {"name": contact, "parent_id": agency.id, "email": email, "coi_is_agent": True}
            )
        return agency

    @api.model
    def _propose(self, certificate, extraction):
        """Draft policies from the extraction; returns (policies, reasons to
        review). Nothing is activated here."""
        reasons = []
        if extraction.error:
            return self.env["coi.policy"], [extraction.error]
        if not extraction.is_certificate:
            return self.env["coi.policy"], [*extraction.warnings] or [
                self.env._("No certificate of insurance was found in the file.")
            ]
        insured = (extraction.insured or {}).get("name")
        score = self._name_score(insured, certificate.partner_id.name)
        if score < NAME_MATCH:
            reasons.append(
                self.env._(
                    "The insured on the certificate (%(insured)s) does not match the vendor.",
                    insured=insured or self.env._("not found"),
                )
            )
        agent = self._match_agent(extraction.producer or {})
        types = {t.code: t for t in self.env["coi.coverage.type"].search([("code", "!=", False)])}
        limit_types = {t.code: t for t in self.env["coi.limit.type"].search([])}
        vals_list = []
        for coverage in extraction.coverages:
            # The reader uses the coverage type codes of the data.
            coverage_type = types.get(coverage.type) or types.get("OTHER")
            if not (
                coverage.policy_number and coverage.effective_date and coverage.expiration_date
            ):
                reasons.append(
                    self.env._(
                        "%(coverage)s: the policy number or dates could not be read.",
                        coverage=coverage_type.name if coverage_type else coverage.type,
                    )
                )
                continue
            insurer_data = extraction.insurers.get(coverage.insurer_letter or "", {})
            insurer = self._match_insurer(insurer_data.get("name"), insurer_data.get("naic"))
            low = [k for k, v in coverage.confidence.items() if float_compare(v, GOOD, 2) < 0]
            if low:
                reasons.append(
                    self.env._(
                        "%(coverage)s: low confidence in %(fields)s.",
                        coverage=coverage_type.name,
                        fields=", ".join(low),
                    )
                )
            vals_list.append(
                {
                    "name": coverage.policy_number,
                    "partner_id": certificate.partner_id.id,
                    "company_id": certificate.company_id.id,
                    "coverage_type_id": coverage_type.id,
                    "insurer_id": insurer.id,
                    "agent_id": agent.id,
                    "effective_date": coverage.effective_date,
                    "expiration_date": coverage.expiration_date,
                    "additional_insured": bool(coverage.additional_insured),
                    "waiver_of_subrogation": bool(coverage.subrogation_waived),
                    "per_statute": bool(coverage.per_statute),
                    "certificate_id": certificate.id,
                    "extraction_confidence": min(coverage.confidence.values(), default=0.0),
                    "limit_ids": [
                        Command.create({"limit_type_id": limit_types[code].id, "amount": amount})
                        for code, amount in coverage.limits.items()
                        if code in limit_types and isinstance(amount, int)
                    ],
                }
            )
        if not vals_list and not reasons:
            reasons.append(self.env._("No policy could be read from the certificate."))
        policies = self.env["coi.policy"].create(vals_list)
        reasons += self._missing_required_fields(certificate, policies)
        return policies, reasons

    @api.model
    def _missing_required_fields(self, certificate, policies):
        """Limits the vendor's requirements ask for but the certificate does
        not show: a person should look before accepting."""
        reasons = []
        lines = certificate.partner_id.coi_compliance_line_ids
        by_coverage = {p.coverage_type_id: p for p in policies}
        for line in lines:
            policy = by_coverage.get(line.coverage_type_id)
            if not policy or not line.requirement_line_id:
                continue
            shown = set(policy.limit_ids.limit_type_id.ids)
            missing = line.requirement_line_id.limit_ids.limit_type_id.filtered(
                lambda t, shown=shown: t.id not in shown
            )
            if missing:
                reasons.append(
                    self.env._(
                        "%(coverage)s: %(limits)s not read from the certificate.",
                        coverage=line.coverage_type_id.name,
                        limits=", ".join(missing.mapped("name")),
                    )
                )
        return reasons
