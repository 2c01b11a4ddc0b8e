# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import re
from collections import defaultdict

from odoo import api, fields, models

from ..engine.datatypes import EndorsementOnFile
from ..engine.extract.endorsements import names_party
from ..engine.extract.model import GOOD
from ..engine.vocabulary import (
    ENDORSEMENT_KIND_COVERAGE,
    ENDORSEMENT_KIND_SELECTION,
    CertificateState,
    PolicyState,
)


def squash_number(number):
    """A policy number without spaces, dashes or case: "gl 778-1234" -> "GL7781234"."""
    return re.sub(r"[^A-Z0-9]", "", (number or "").upper())


class CoiCertificateEndorsement(models.Model):
    """What one endorsement read off a certificate's file does, one line per
    kind (a form that adds an insured for ongoing and completed operations
    gives two lines). Lines of accepted certificates count for the policy
    they are matched to."""

    _name = "coi.certificate.endorsement"
    _inherit = ["coi.compliance.mixin"]
    _description = "Endorsement Received"
    _order = "certificate_id, page, id"
    _check_company_auto = True
    _coi_compliance_fields = {"kind", "form", "blanket", "names_company", "policy_id"}

    certificate_id = fields.Many2one(
        "coi.certificate", required=True, ondelete="cascade", index=True, check_company=True
    )
    company_id = fields.Many2one(related="certificate_id.company_id", store=True, index=True)
    partner_id = fields.Many2one(
        related="certificate_id.partner_id", string="Vendor", store=True, index=True
    )
    certificate_state = fields.Selection(
        related="certificate_id.state", string="Certificate Status"
    )
    page = fields.Integer(help="The endorsement's first page in the file.")
    form = fields.Char(string="Form Number", help='As read, without edition: "CG 20 10".')
    edition = fields.Char(help='Month and year of the edition: "04 13".')
    title = fields.Char()
    endorsement_type_id = fields.Many2one(
        "coi.endorsement.type", string="Catalog Form", ondelete="set null"
    )
    kind = fields.Selection(ENDORSEMENT_KIND_SELECTION, required=True)
    coverage_type_id = fields.Many2one("coi.coverage.type", string="Coverage")
    blanket = fields.Boolean(
        help='Covers whoever a written contract requires ("where required by written '
        'contract"); otherwise only the organizations scheduled.'
    )
    scheduled_names = fields.Text(help="The organizations the schedule names, one a line.")
    names_company = fields.Boolean(
        string="Names Us", help="The schedule names the company that requires the insurance."
    )
    policy_number = fields.Char(string="Policy Number Printed")
    policy_id = fields.Many2one(
        "coi.policy",
        string="Policy",
        ondelete="set null",
        index="btree_not_null",
        check_company=True,
    )
    read_method = fields.Char(string="Read By")
    confidence = fields.Float(digits=(3, 2))

    def _coi_affected_vendors(self, fnames=None):
        return self.partner_id | self.policy_id.partner_id

    @api.depends("form", "edition", "kind")
    def _compute_display_name(self):
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        for line in self:
            code = " ".join(part for part in (line.form, line.edition) if part)
            line.display_name = " · ".join(part for part in (code, kinds.get(line.kind)) if part)

    @api.model
    def _coi_on_file(self, policies):
        """{policy id: engine endorsements} of the accepted certificates'
        endorsements matched to `policies`."""
        lines = self.sudo().search(
            [
                ("policy_id", "in", policies.ids),
                ("certificate_id.state", "=", CertificateState.ACCEPTED),
                ("certificate_id.active", "=", True),
            ]
        )
        by_policy = defaultdict(list)
        for line in lines:
            by_policy[line.policy_id.id].append(
                EndorsementOnFile(
                    kind=line.kind,
                    form=line.form or "",
                    edition=line.edition or "",
                    blanket=line.blanket,
                    names_us=line.names_company,
                    names=tuple((line.scheduled_names or "").splitlines()),
                )
            )
        return {policy_id: tuple(found) for policy_id, found in by_policy.items()}

    @api.model
    def _coi_store(self, certificate, endorsements):
        """Store the endorsements read off `certificate`'s file (engine
        `EndorsementForm`s), matched to the vendor's policies; return the
        reasons a person must look."""
        certificate.endorsement_ids.unlink()
        if not endorsements:
            return []
        company = certificate.company_id
        us = [name for name in {company.name, company.partner_id.name} if name]
        coverages = {
            t.code: t for t in self.env["coi.coverage.type"].search([("code", "!=", False)])
        }
        catalog = {t.code: t for t in self.env["coi.endorsement.type"].search([])}
        reasons, vals_list = [], []
        for read in endorsements:
            code = read.code or self.env._("an unknown form")
            where = self.env._("Endorsement %(code)s (page %(page)s)", code=code, page=read.page)
            if not read.kinds:
                reasons.append(
                    self.env._(
                        "Page %s looks like an endorsement, but what it endorses could not be "
                        "read.",
                        read.page,
                    )
                )
                continue
            coverage_code = read.coverage or ENDORSEMENT_KIND_COVERAGE[read.kinds[0]]
            policy = self._coi_match_policy(certificate, read.policy_number, coverage_code)
            if not policy:
                reasons.append(
                    self.env._(
                        "%(where)s: no policy %(number)s of this vendor is on file.",
                        where=where,
                        number=read.policy_number or coverages.get(coverage_code, coverage_code),
                    )
                    if read.policy_number
                    else self.env._(
                        "%(where)s: no policy number is printed and no %(coverage)s policy of "
                        "this vendor is on file.",
                        where=where,
                        coverage=coverages[coverage_code].name
                        if coverage_code in coverages
                        else coverage_code,
                    )
                )
            if round(read.confidence - GOOD, 2) < 0:
                reasons.append(self.env._("%s was read with low confidence: check it.", where))
            if read.blanket is None and not read.names:
                reasons.append(self.env._("%s: its schedule could not be read.", where))
            names = [] if read.blanket else read.names
            for kind in read.kinds:
                vals_list.append(
                    {
                        "certificate_id": certificate.id,
                        "page": read.page,
                        "form": read.form or False,
                        "edition": read.edition or False,
                        "title": read.title or False,
                        "endorsement_type_id": catalog[read.form].id
                        if read.form in catalog
                        else False,
                        "kind": kind,
                        "coverage_type_id": coverages[ENDORSEMENT_KIND_COVERAGE[kind]].id
                        if ENDORSEMENT_KIND_COVERAGE[kind] in coverages
                        else False,
                        "blanket": bool(read.blanket),
                        "scheduled_names": "\n".join(names) or False,
                        "names_company": any(names_party(names, name) for name in us),
                        "policy_number": read.policy_number or False,
                        "policy_id": policy.id,
                        "read_method": read.method or False,
                        "confidence": read.confidence,
                    }
                )
        self.create(vals_list)
        return reasons

    @api.model
    def _coi_match_policy(self, certificate, number, coverage_code=None):
        """The vendor's policy a document read off `certificate` is about:
        the one with its policy number, or (no number printed) the one of
        its coverage; the certificate's own first, then one in force, then
        the one that ends last. An empty recordset when none is."""
        vendor = certificate.partner_id.commercial_partner_id
        if not vendor:
            return self.env["coi.policy"]
        domain = [
            ("partner_id", "=", vendor.id),
            ("company_id", "=", certificate.company_id.id),
            ("state", "in", (PolicyState.DRAFT, PolicyState.ACTIVE)),
        ]
        if not number:
            if not coverage_code:
                return self.env["coi.policy"]
            domain.append(("coverage_type_id.code", "=", coverage_code))
        candidates = self.env["coi.policy"].search(domain)
        if number:
            wanted = squash_number(number)
            candidates = candidates.filtered(lambda p: squash_number(p.name) == wanted)
        if not candidates:
            return candidates
        return max(
            candidates,
            key=lambda p: (
                p.certificate_id == certificate,
                p.state == PolicyState.ACTIVE,
                p.expiration_date,
            ),
        )
