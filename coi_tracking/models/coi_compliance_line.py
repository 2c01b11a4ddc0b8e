# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from collections import defaultdict

from odoo import api, fields, models
from odoo.tools import format_date

from ..engine import Exemption, evaluate
from ..engine.vocabulary import (
    COUNTED_STATES,
    ENDORSEMENT_KIND_WORDS,
    ENDORSEMENTS,
    LIMIT_LABELS,
    LINE_STATUS_SELECTION,
    NOT_INSURED_STATUSES,
    DeviationState,
    Endorsement,
    EndorsementKind,
    LimitCode,
    SentenceCode,
)
from .coi_certificate import PENDING_STATES
from .res_partner import DATED_FIELDS


class CoiComplianceLine(models.Model):
    """One vendor x one required coverage: the engine's verdict, stored so
    that lists, reports, notices and the purchase check read it cheaply."""

    _name = "coi.compliance.line"
    _description = "Insurance Compliance Item"
    _order = "partner_id, sequence, id"

    partner_id = fields.Many2one(
        "res.partner", string="Vendor", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one("res.company", index=True)
    sequence = fields.Integer()
    coverage_type_id = fields.Many2one("coi.coverage.type", string="Coverage", required=True)
    requirement_line_id = fields.Many2one(
        "coi.requirement.line", string="Requirement", ondelete="set null"
    )
    requirement_set_id = fields.Many2one(
        related="requirement_line_id.set_id", string="Requirement Set", store=True
    )
    status = fields.Selection(LINE_STATUS_SELECTION, required=True, index=True)
    is_deficient = fields.Boolean(index=True)
    deficiency = fields.Text(help="What is missing, in the words sent to the contractor.")
    deficiency_parts = fields.Json(
        help="How the engine made the deficiency sentences ([code, params] each), to "
        "say them in the reader's language."
    )
    policy_id = fields.Many2one("coi.policy", string="Policy", ondelete="set null")
    expiration_date = fields.Date()
    deviation_id = fields.Many2one(
        "coi.deviation",
        string="Deviation",
        ondelete="set null",
        help="The deviation a COI manager accepted for this item, while it counts.",
    )

    _partner_coverage_unique = models.Constraint(
        "UNIQUE(partner_id, coverage_type_id)", "One compliance item per vendor and coverage."
    )

    @api.model
    def _refresh(self, partners, on_date):
        """Evaluate `partners` (commercial partners) on `on_date` and store the
        results: compliance lines and the partners' status fields. Runs as
        superuser: compliance is a fact about the vendor, computed from every
        policy and requirement whoever triggered it."""
        self = self.sudo()
        partners = partners.sudo()
        coverage_ids = {
            c.code: c.id
            for c in self.env["coi.coverage.type"].with_context(active_test=False).search([])
        }
        rows, partner_vals = {}, {}
        RequirementLine = self.env["coi.requirement.line"]
        for partner, result in self._evaluations(partners, on_date):
            for sequence, line in enumerate(result.lines):
                key = (partner.id, coverage_ids[line.requirement.coverage])
                requirement_line = RequirementLine.browse(line.requirement.key[0])
                rows[key] = {
                    "sequence": sequence,
                    "company_id": partner.company_id.id,
                    "requirement_line_id": requirement_line.id,
                    # Given with the line (read with the requirements): left
                    # to the related field, each new line was inserted, then
                    # updated with its set.
                    "requirement_set_id": requirement_line.set_id.id,
                    "status": line.status,
                    "is_deficient": bool(line.deficiencies),
                    "deficiency": line.sentence or False,
                    "deficiency_parts": line.parts or False,
                    "policy_id": line.policy.key if line.policy else False,
                    "expiration_date": line.expiration or False,
                    "deviation_id": line.deviation.key if line.deviation else False,
                }
            partner_vals[partner] = {
                "coi_status": result.status,
                "coi_next_expiry": result.next_expiry or False,
                "coi_deficiency_count": (
                    0 if result.status in NOT_INSURED_STATUSES else len(result.deficiencies)
                ),
                "coi_recheck_date": result.recheck_on or False,
            }
        self._store_lines(partners, rows)
        dated, statuses, old_statuses, bodies = self._partner_changes(partner_vals)
        # The status, dates and counts go into the timeliness UPDATE: a
        # vendor's row is written once for all (each write of a row is a new
        # version of it in every index of res_partner, its trigram ones
        # included; four writes a vendor before).
        partners._coi_store_timeliness(on_date, dated, statuses)
        Partner = self.env["res.partner"]
        if bodies:
            # One batch of chatter notes instead of one tracking message each.
            Partner.browse(list(bodies))._message_log_batch(bodies)
            Partner.browse(list(bodies))._coi_status_changed()
        if old_statuses:
            asked = Partner.browse(list(old_statuses))._coi_status_written(old_statuses)
            # A vendor asked for certificates just now (its new status calls
            # for it): its timeliness counts that request.
            asked._coi_store_timeliness(on_date)

    @api.model
    def _evaluate(self, partner, on_date):
        """The engine's evaluation of one vendor on a date, stored nowhere."""
        return next(self.sudo()._evaluations(partner.sudo(), on_date))[1]

    def _evaluations(self, partners, on_date):
        """(partner, engine Evaluation) for each partner, on `on_date`."""
        requirements = self._requirements_by_partner(partners)
        policies = self._policies_by_partner(partners)
        deviations = self._deviations_by_partner(partners)
        pending = {
            partner.id
            for [partner] in self.env["coi.certificate"]._read_group(
                [("partner_id", "in", partners.ids), ("state", "in", PENDING_STATES)],
                ["partner_id"],
            )
        }
        for partner in partners:
            exemption = (
                Exemption(partner.coi_exempt_reason or "", partner.coi_exempt_until or None)
                if partner.coi_exempt
                else None
            )
            yield (
                partner,
                evaluate(
                    requirements.get(partner.id, ()),
                    policies.get(partner.id, ()),
                    on_date,
                    exemption=exemption,
                    pending_review=partner.id in pending,
                    deviations=deviations.get(partner.id, ()),
                ),
            )

    def _requirements_by_partner(self, partners):
        """Engine requirements of every set that applies to each partner."""
        sets_by_partner = self.env["coi.requirement.set"]._coi_sets_by_vendor(partners)
        engine_lines = {
            req_set.id: req_set._to_engine()
            for req_set in self.env["coi.requirement.set"].union(*sets_by_partner.values())
        }
        return {
            partner_id: [req for s in sorted(sets.ids) for req in engine_lines[s]]
            for partner_id, sets in sets_by_partner.items()
        }

    def _policies_by_partner(self, partners):
        policies = self.env["coi.policy"].search_fetch(
            [
                ("partner_id", "in", partners.ids),
                ("state", "in", COUNTED_STATES),
            ],
            [
                "partner_id",
                "name",
                "coverage_type_id",
                "insurer_id",
                "effective_date",
                "expiration_date",
                "additional_insured",
                "waiver_of_subrogation",
                "primary_noncontributory",
                "per_statute",
                "state",
                "cancellation_date",
            ],
        )
        by_partner = defaultdict(list)
        for policy, engine_policy in zip(policies, policies._to_engine(), strict=True):
            by_partner[policy.partner_id.id].append(engine_policy)
        return by_partner

    def _deviations_by_partner(self, partners):
        """Engine deviations of each partner: the accepted ones (the engine
        checks their dates)."""
        deviations = self.env["coi.deviation"].search_fetch(
            [("partner_id", "in", partners.ids), ("state", "=", DeviationState.ACCEPTED)],
            ["partner_id", "coverage_type_id", "accepted_terms", "approved_by_id"]
            + ["approval_date", "end_date"],
        )
        by_partner = defaultdict(list)
        for deviation, engine_deviation in zip(deviations, deviations._to_engine(), strict=True):
            by_partner[deviation.partner_id.id].append(engine_deviation)
        return by_partner

    def _store_lines(self, partners, rows):
        existing = self.search_fetch(
            [("partner_id", "in", partners.ids)],
            ["partner_id", "coverage_type_id", *next(iter(rows.values()), {}).keys()],
        )
        stale_ids = []
        for line in existing:
            vals = rows.pop((line.partner_id.id, line.coverage_type_id.id), None)
            if vals is None:
                stale_ids.append(line.id)
                continue
            changed = {name: value for name, value in vals.items() if line._value_of(name) != value}
            if changed:
                line.write(changed)
        self.browse(stale_ids).unlink()
        if rows:
            self.create(
                [
                    {"partner_id": partner_id, "coverage_type_id": coverage_id, **vals}
                    for (partner_id, coverage_id), vals in rows.items()
                ]
            )

    def _value_of(self, name):
        value = self[name]
        return value.id if isinstance(value, models.BaseModel) else value

    # ---- the deficiency in the reader's language -------------------------------

    def _coi_deficiency_text(self):
        """The deficiency of this line in the language of the context: the
        engine writes it in English and keeps its parts, from which it is
        said again through translatable wordings."""
        self.ensure_one()
        lang = self.env.context.get("lang") or "en_US"
        if not self.deficiency_parts or lang.startswith("en"):
            return self.deficiency or ""
        said = [self._coi_sentence(code, params) for code, params in self.deficiency_parts]
        if None in said:
            return self.deficiency or ""
        return " ".join(said)

    def _coi_sentence(self, code, params):
        """One engine sentence (`engine.sentences.Sentence` code and params)
        in the context's language; None for a code this method does not know."""
        _ = self.env._
        params = dict(params)
        coverage = params.get("coverage") or ""
        if params.get("coverage_code"):
            coverage_type = (
                self.env["coi.coverage.type"]
                .sudo()
                .with_context(active_test=False)
                .search([("code", "=", params["coverage_code"])], limit=1)
            )
            coverage = coverage_type.name or coverage
        params["coverage"] = coverage
        if "date" in params:
            params["date"] = (
                format_date(self.env, params["date"]) if params["date"] else _("an unknown date")
            )
        if "number" in params:
            params["policy"] = (
                _("The %(coverage)s policy %(number)s", coverage=coverage, number=params["number"])
                if params["number"]
                else _("The %(coverage)s policy", coverage=coverage)
            )
        if "limit_code" in params:
            params["limit"] = self._coi_limit_words().get(params["limit_code"], params["limit"])
        if "endorsement" in params:
            words = {
                Endorsement.WAIVER_OF_SUBROGATION: _("a waiver of subrogation"),
                Endorsement.PRIMARY_NONCONTRIBUTORY: _("primary and non-contributory wording"),
            }
            params["endorsement"] = words.get(
                params["endorsement"], ENDORSEMENTS.get(params["endorsement"], "")
            )
        if "kind" in params:
            self._coi_form_params(params)
        if "who" in params:
            params["who"] = params["who"] or _("a manager")
        wordings = {
            SentenceCode.MISSING: _("No %(coverage)s policy is on file; one is required."),
            SentenceCode.EXPIRED: _("%(policy)s expired on %(date)s; send the renewal."),
            SentenceCode.CANCELLED: _("%(policy)s was cancelled on %(date)s."),
            SentenceCode.NOT_YET_EFFECTIVE: _("%(policy)s only starts on %(date)s."),
            SentenceCode.LIMIT_NOT_SHOWN: _(
                "The %(coverage)s limit for %(limit)s is not shown; %(required)s is required."
            ),
            SentenceCode.LIMIT_TOO_LOW: _(
                "The %(coverage)s limit for %(limit)s is %(held)s; %(required)s is required."
            ),
            SentenceCode.LIMIT_STACKED_TOO_LOW: _(
                "The %(coverage)s limit for %(limit)s (with umbrella/excess) is %(held)s; "
                "%(required)s is required."
            ),
            SentenceCode.STATUTORY_MISSING: _(
                "%(coverage)s must show statutory limits (per statute)."
            ),
            SentenceCode.ADDITIONAL_INSURED_MISSING: _(
                "%(coverage)s must name us as additional insured."
            ),
            SentenceCode.ENDORSEMENT_MISSING: _("%(coverage)s must include %(endorsement)s."),
            SentenceCode.RATING_UNKNOWN: _(
                "The %(coverage)s insurer's AM Best rating is unknown; %(minimum)s or better "
                "is required."
            ),
            SentenceCode.RATING_TOO_LOW: _(
                "The %(coverage)s insurer is rated %(rating)s by AM Best; %(minimum)s or "
                "better is required."
            ),
            SentenceCode.EXPIRING: _("%(policy)s expires on %(date)s, in %(days)s days."),
            SentenceCode.FORM_NAMES_OTHERS: _(
                "Your %(words)s%(form)s names %(names)s, not us; we need one that names us, "
                "or a blanket endorsement (where required by written contract)."
            ),
            SentenceCode.FORM_NOT_THE_ONE_REQUIRED: _(
                "Your %(words)s is form %(forms)s; we need form %(required_form)s itself."
            ),
            SentenceCode.FORM_OTHER_OPERATIONS_ONLY: _(
                "Your additional insured endorsement covers %(other)s only; we also need "
                "%(operations)s%(hint)s."
            ),
            SentenceCode.FORM_MISSING: (
                _("We need an %(words)s on your %(coverage)s policy%(hint)s.")
                if params.get("article") == "an"
                else _("We need a %(words)s on your %(coverage)s policy%(hint)s.")
            ),
            SentenceCode.DEVIATION_ACCEPTED: (
                _("Accepted by %(who)s until %(date)s: %(accepted)s")
                if params.get("accepted")
                else _("Accepted by %(who)s until %(date)s.")
            ),
        }
        if params.get("days") == 1:
            wordings[SentenceCode.EXPIRING] = _("%(policy)s expires on %(date)s, in 1 day.")
        wording = wordings.get(code)
        return wording % params if wording else None

    def _coi_form_params(self, params):
        """The parts of an endorsement-document sentence
        (`engine.sentences.endorsement_form_missing`) in the context's
        language: the kind's words, the operations, the form hint, the names."""
        _ = self.env._
        kind_words = {
            EndorsementKind.AI_ONGOING: _("additional insured endorsement for ongoing operations"),
            EndorsementKind.AI_COMPLETED: _(
                "additional insured endorsement for completed operations"
            ),
            EndorsementKind.PRIMARY_NONCONTRIBUTORY: _("primary and non-contributory endorsement"),
            EndorsementKind.WAIVER_OF_SUBROGATION: _("waiver of subrogation endorsement"),
            EndorsementKind.AUTO_AI: _("additional insured endorsement"),
            EndorsementKind.AUTO_WAIVER: _("waiver of subrogation endorsement"),
            EndorsementKind.WC_WAIVER: _("waiver of subrogation endorsement"),
        }
        operations = {
            EndorsementKind.AI_ONGOING: _("ongoing operations"),
            EndorsementKind.AI_COMPLETED: _("completed operations"),
        }
        english = ENDORSEMENT_KIND_WORDS.get(params["kind"], params["kind"].replace("_", " "))
        params["article"] = "an" if english[:1] in "aeiou" else "a"
        params["words"] = kind_words.get(params["kind"], english)
        params["operations"] = operations.get(params["kind"], "")
        params["other"] = operations.get(params.get("other"), "")
        required = params.get("required_form")
        if not required:
            params["hint"] = ""
        else:
            hint = (
                _("for example %(form)s", form=required)
                if params.get("equivalent")
                else _("form %(form)s; no other form is accepted", form=required)
            )
            params["hint"] = f" ({hint})"
        if "form" in params:
            params["form"] = f" ({params['form']})" if params["form"] else ""
        if "forms" in params:
            params["forms"] = params["forms"] or _("another form")
        if "names" in params:
            names = params["names"]
            if not names:
                params["names"] = _("no organization by name")
            elif len(names) > 2:
                params["names"] = _(
                    "%(first)s, %(second)s and others", first=names[0], second=names[1]
                )
            elif len(names) == 2:
                params["names"] = _("%(first)s and %(second)s", first=names[0], second=names[1])
            else:
                params["names"] = names[0]

    def _coi_limit_words(self):
        """The words for each limit (`engine.vocabulary.LIMIT_LABELS`) in the
        context's language."""
        _ = self.env._
        words = {
            LimitCode.EACH_OCCURRENCE: _("each occurrence"),
            LimitCode.DAMAGE_TO_RENTED_PREMISES: _("damage to rented premises"),
            LimitCode.MED_EXP: _("medical expense"),
            LimitCode.PERSONAL_ADV_INJURY: _("personal and advertising injury"),
            LimitCode.GENERAL_AGGREGATE: _("general aggregate"),
            LimitCode.PRODUCTS_COMP_OP_AGG: _("products and completed operations aggregate"),
            LimitCode.COMBINED_SINGLE_LIMIT: _("combined single limit"),
            LimitCode.BODILY_INJURY_PER_PERSON: _("bodily injury per person"),
            LimitCode.BODILY_INJURY_PER_ACCIDENT: _("bodily injury per accident"),
            LimitCode.PROPERTY_DAMAGE: _("property damage"),
            LimitCode.AGGREGATE: _("aggregate"),
            LimitCode.RETENTION: _("retention"),
            LimitCode.EL_EACH_ACCIDENT: _("employers' liability each accident"),
            LimitCode.EL_DISEASE_EA_EMPLOYEE: _("employers' liability disease, each employee"),
            LimitCode.EL_DISEASE_POLICY_LIMIT: _("employers' liability disease, policy limit"),
        }
        return {code: words.get(code, label) for code, label in LIMIT_LABELS.items()}

    def _partner_changes(self, partner_vals):
        """What an evaluation changes on its vendors, for the timeliness
        UPDATE (`res.partner._coi_store_timeliness`) and the hooks after it:
        (dated: {vendor id: (changed, values of DATED_FIELDS)}, statuses:
        {vendor id: new status}, old statuses: {vendor id: status before},
        chatter notes: {vendor id: body}). A vendor's first evaluation is no
        change for the chatter."""
        labels = dict(
            self.env["res.partner"]._fields["coi_status"]._description_selection(self.env)
        )
        dated, statuses, old_statuses, bodies = {}, {}, {}, {}
        for partner, vals in partner_vals.items():
            old = partner.coi_status or False
            if old != vals["coi_status"]:
                statuses[partner.id] = vals["coi_status"]
                old_statuses[partner.id] = partner.coi_status
                if old:
                    bodies[partner.id] = self.env._(
                        "Insurance status: %(old)s → %(new)s",
                        old=labels.get(old, ""),
                        new=labels[vals["coi_status"]],
                    )
            changed = any((partner[name] or False) != vals[name] for name in DATED_FIELDS)
            dated[partner.id] = (changed, tuple(vals[name] or None for name in DATED_FIELDS))
        return dated, statuses, old_statuses, bodies

    def action_coi_accept_deviation(self):
        """Accept this item as it is (COI managers): the deviation's form, in
        a dialog, for this vendor and coverage; it ends by default when the
        item's policy does."""
        self.ensure_one()
        self.env["coi.deviation"].check_access("create")
        today = (self.partner_id.company_id or self.env.company)._coi_today()
        end = (
            self.expiration_date if self.expiration_date and self.expiration_date > today else False
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Accept Deviation: %s", self.coverage_type_id.name),
            "res_model": "coi.deviation",
            "view_mode": "form",
            "views": [(self.env.ref("coi_tracking.coi_deviation_view_form_accept").id, "form")],
            "target": "new",
            "context": {
                "default_partner_id": self.partner_id.id,
                "default_coverage_type_id": self.coverage_type_id.id,
                "default_requirement_line_id": self.requirement_line_id.id,
                "default_end_date": end,
                "default_deficiency": self.deficiency or False,
            },
        }
