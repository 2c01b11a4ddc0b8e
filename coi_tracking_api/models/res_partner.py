# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from odoo.addons.coi_tracking.engine.vocabulary import BLOCKING_STATUSES, COUNTED_STATES
from odoo.addons.coi_tracking.models.res_partner import TIMELINESS_FIELDS

from ..tools import iso_date, iso_datetime

PAGE_MAX = 100
# Fields of the upsert body written as they are (null clears them).
PLAIN_FIELDS = ("name", "email", "phone", "street", "city", "zip")


def _like_prefix(text):
    """`text` as the beginning of a LIKE pattern, its wildcards escaped."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


class ResPartner(models.Model):
    _inherit = "res.partner"

    # A vendor's reference (the API's key for it) is unique in its company:
    # two companies may each have their vendor "V-1", one company only one
    # (shared vendors, without company, count as one more company).
    _coi_api_ref_unique = models.UniqueIndex(
        "(COALESCE(company_id, 0), ref) WHERE ref IS NOT NULL AND parent_id IS NULL AND active",
        "Another vendor of this company already has this reference.",
    )

    # Serialization and queries for the JSON API. Private (underscore):
    # Odoo's generic /json/2 routes cannot call them. The API works in the
    # company of the key's user: the vendors it sees are that company's and
    # the shared ones, those it creates are that company's.

    @api.model
    def _api_vendor_domain(self):
        # Tracked vendors all have a stored status (they are evaluated as soon
        # as they are tracked): the status column answers without the
        # subqueries of the tracked domain.
        # The domain reads the user's company, the multi-company rule
        # ('parent_of') the companies' paths and `_coi_today` the timezone:
        # fetch just those columns instead of every field of res.users and
        # res.company (one query each, a few ms per request).
        self.env.user.fetch(["company_id"])
        self.env.companies.fetch(["parent_path", "coi_tz"])
        return [
            ("parent_id", "=", False),
            ("coi_status", "!=", False),
            ("company_id", "in", [False, self.env.company.id]),
        ]

    @api.model
    def _api_find_vendor(self, ref):
        """The vendor with this reference (the caller's own id for it, kept in
        the partner's Reference field): the company's own, else a shared one."""
        if not ref:
            return self.browse()
        vendors = self.search_fetch(
            [*self._api_vendor_domain(), ("ref", "=", ref)],
            ["ref", "coi_status", "company_id"],
            limit=2,
        )
        return vendors.filtered("company_id")[:1] or vendors[:1]

    def _api_summary(self):
        self.ensure_one()
        return {
            "ref": self.ref or None,
            "name": self.name,
            "status": self.coi_status or None,
            "next_expiry": iso_date(self.coi_next_expiry),
            "deficiency_count": self.coi_deficiency_count,
            "timeliness": self._api_timeliness(),
            "state": self.state_id.code or None,
            "country": self.country_id.code or None,
            "updated_at": iso_datetime(self.write_date),
        }

    def _api_timeliness(self):
        self.ensure_one()
        compliant = bool(self.coi_compliant_since)
        return {
            "score": self.coi_timeliness_score if self.coi_status else None,
            "requested_on": iso_date(self.coi_first_request_date),
            "compliant_since": iso_date(self.coi_compliant_since),
            "days_to_compliant": self.coi_days_to_compliant if compliant else None,
            "renewals_due": self.coi_renewals_due,
            "renewals_on_time": self.coi_renewals_on_time,
            "on_time_renewal_rate": (
                self.coi_on_time_renewal_rate if self.coi_renewals_due else None
            ),
            "open_chase_steps": self.coi_open_chase_steps,
        }

    def _api_detail(self):
        self.ensure_one()
        lines = self.coi_compliance_line_ids
        policies = self.env["coi.policy"].search(
            [("partner_id", "=", self.id), ("state", "in", COUNTED_STATES)],
            order="expiration_date desc",
        )
        return {
            **self._api_summary(),
            "deficiencies": [
                {
                    "coverage": line.coverage_type_id.code,
                    "code": line.status,
                    "sentence": line.deficiency or None,
                }
                for line in lines
                if line.is_deficient
            ],
            "requirements": [
                {"coverage": line.coverage_type_id.code, "status": line.status} for line in lines
            ],
            "requirement_sets": self.coi_requirement_set_ids.mapped("name"),
            "policies": [policy._api_dict() for policy in policies],
            "insurance_contact": self.coi_insurance_contact_id._api_person(),
            "insurance_agent": self.coi_agent_id._api_person(),
            "exemption": {
                "reason": self.coi_exempt_reason or None,
                "until": iso_date(self.coi_exempt_until),
            }
            if self.coi_exempt
            else None,
        }

    def _api_person(self):
        """A contact as the API shows it, or None."""
        if not self:
            return None
        return {"name": self.name or "", "email": self.email or None}

    @api.model
    def _api_can_work_by_ref(self, ref, on_date=None):
        """May the vendor `_api_find_vendor` finds for `ref` work on
        `on_date`? None when there is no such vendor. Today (the vendor's
        company's day, the API user's company for a shared vendor, like the
        daily refresh that stores the status): the stored status and
        deficient items; another day: the engine on the vendor's policies.
        The API's most frequent question (a dispatcher asks it before each
        job) is one indexed query of the status, the items and the
        company's timezone. Its company condition is the API's own (the
        key's company and shared vendors, narrower than the multi-company
        rules of contacts and items); the user's read access to both is
        checked."""
        if not ref:
            return None
        self.check_access("read")
        Line = self.env["coi.compliance.line"]
        Line.check_access("read")
        self.flush_model(["ref", "active", "parent_id", "coi_status", "company_id"])
        Line.flush_model(["partner_id", "is_deficient", "deficiency", "sequence"])
        self.env.cr.execute(
            SQL(
                """
                SELECT p.id, p.coi_status, co.coi_tz,
                       ARRAY(SELECT l.deficiency FROM coi_compliance_line l
                              WHERE l.partner_id = p.id AND l.is_deficient
                                AND l.deficiency <> ''
                              ORDER BY l.sequence, l.id)
                  FROM res_partner p
                  JOIN res_company co ON co.id = COALESCE(p.company_id, %(company)s)
                 WHERE p.ref = %(ref)s AND p.active AND p.parent_id IS NULL
                   AND p.coi_status IS NOT NULL
                   AND (p.company_id IS NULL OR p.company_id = %(company)s)
                 ORDER BY p.company_id IS NULL
                 LIMIT 1
                """,
                ref=ref,
                company=self._api_company_sql(),
            )
        )
        row = self.env.cr.fetchone()
        if not row:
            return None
        vendor_id, status, tz, reasons = row
        today = self.env["res.company"]._coi_today_in(tz)
        if on_date and on_date != today:
            evaluation = Line._evaluate(self.browse(vendor_id), on_date)
            status = evaluation.status
            reasons = [d.sentence for d in evaluation.deficiencies if d.sentence]
        return {
            "ref": ref,
            "date": iso_date(on_date or today),
            "can_work": status not in BLOCKING_STATUSES,
            "status": status or None,
            "reasons": reasons,
        }

    def _api_company_sql(self):
        """`env.company` as SQL: the companies the context names (checked by
        `env.company`), else the user's own company read in the query that
        needs it (a key's request names none), one round trip fewer than
        reading the user first."""
        if self.env.context.get("allowed_company_ids"):
            return SQL("%s", self.env.company.id)
        return SQL("(SELECT company_id FROM res_users WHERE id = %s)", self.env.uid)

    def _api_coverage(self, on_date=None):
        """Who covered this vendor on `on_date` (today of the vendor's
        company when not given): the policies in force that day, as the
        vendor form's "Coverage on a Date" shows them."""
        self.ensure_one()
        on_date = on_date or (self.company_id or self.env.company)._coi_today()
        Coverage = self.env["coi.coverage.date"]
        policies = Coverage._coi_in_force(self, on_date)
        rows = Coverage._coi_coverage_rows(policies, on_date)
        return {
            "ref": self.ref,
            "date": iso_date(on_date),
            "policies": [
                {
                    **row["policy"]._api_dict(),
                    "cancellation_date": iso_date(row["cancellation_date"]),
                    "insurer_naic": row["naic"],
                    "agent": row["agent"],
                    "certificate": row["certificate"]
                    and {
                        "reference": row["certificate"]["reference"],
                        "filename": row["certificate"]["filename"],
                        "download_url": row["certificate"]["url"],
                    },
                }
                for row in rows
            ],
        }

    @api.model
    def _api_list(
        self,
        status=None,
        state=None,
        requirement_set=None,
        updated_since=None,
        ref=None,
        cursor=0,
        limit=PAGE_MAX,
    ):
        """One page of vendors, by id after `cursor` (stable under inserts)."""
        domain = [*self._api_vendor_domain(), ("id", ">", cursor or 0)]
        if status:
            domain.append(("coi_status", "=", status))
        if state:
            domain.append(("state_id.code", "=", state))
        if requirement_set:
            domain.append(("coi_requirement_set_ids.name", "=", requirement_set))
        if updated_since:
            domain.append(("write_date", ">=", updated_since))
        if ref:
            domain.append(("ref", "=like", _like_prefix(ref)))
        limit = max(1, min(int(limit), PAGE_MAX))
        vendors = self.search_fetch(
            domain,
            [
                "ref",
                "name",
                "coi_status",
                "coi_next_expiry",
                "coi_deficiency_count",
                *TIMELINESS_FIELDS,
                "state_id",
                "country_id",
                "write_date",
            ],
            limit=limit + 1,
            order="id",
        )
        page = vendors[:limit]
        return {
            "items": [vendor._api_summary() for vendor in page],
            "next_cursor": page[-1].id if len(vendors) > limit else None,
        }

    @api.model
    def _api_upsert(self, ref, payload):
        """Create or update the vendor with this reference from the caller's
        data (checked against the API's schema): a new vendor belongs to the
        API user's company. Every reference the data makes (requirement sets,
        country, state) is resolved before anything is written; UserError
        when one is unknown. Returns (vendor, created)."""
        vendor = self._api_find_vendor(ref)
        if not vendor:
            self._api_check_ref_free(ref)
            if not payload.get("name"):
                raise UserError(self.env._("name is required to create a vendor."))
        vals = {key: payload[key] or False for key in PLAIN_FIELDS if key in payload}
        vals.update(self._api_address_vals(vendor, payload))
        if "requirement_sets" in payload:
            sets = self.env["coi.requirement.set"]._api_find(payload["requirement_sets"])
            vals["coi_requirement_set_ids"] = [(6, 0, sets.ids)]
        if "exemption" in payload:
            exemption = payload["exemption"] or {}
            vals.update(
                coi_exempt=bool(exemption),
                coi_exempt_reason=exemption.get("reason") or False,
                coi_exempt_until=exemption.get("until") or False,
            )
        if "insurance_agent" in payload:
            vals["coi_agent_id"] = self._api_agent(payload["insurance_agent"]).id
        created = not vendor
        if vendor:
            vendor.write(vals)
        else:
            vals.update(ref=ref, is_company=True, supplier_rank=1, company_id=self.env.company.id)
            vendor = self.create(vals)
        if "insurance_contact" in payload:
            vendor.coi_insurance_contact_id = vendor._api_contact(payload["insurance_contact"])
        self._coi_settle()
        return vendor, created

    @api.model
    def _api_check_ref_free(self, ref):
        """UserError when a partner of the company that is not a vendor holds
        this reference (the API would otherwise make a second one)."""
        holder = self.search(
            [
                ("ref", "=", ref),
                ("parent_id", "=", False),
                ("company_id", "=", self.env.company.id),
            ],
            limit=1,
        )
        if holder:
            raise UserError(
                self.env._(
                    "The reference %s belongs to a partner of your company that is not a "
                    "vendor.",
                    ref,
                )
            )

    @api.model
    def _api_address_vals(self, vendor, payload):
        """country_id and state_id from the codes given (the vendor's country,
        else US, for a state given alone)."""
        vals = {}
        Country = self.env["res.country"]
        country = vendor.country_id
        if "country" in payload:
            code = payload["country"]
            country = Country.search([("code", "=", code.upper())], limit=1) if code else Country
            if code and not country:
                raise UserError(self.env._("Unknown country code %s.", code))
            vals["country_id"] = country.id
        if "state" in payload:
            code = payload["state"]
            if code:
                country = country or Country.search([("code", "=", "US")], limit=1)
                state = self.env["res.country.state"].search(
                    [("code", "=ilike", code), ("country_id", "=", country.id)], limit=1
                )
                if not state:
                    raise UserError(
                        self.env._(
                            "Unknown state %(state)s in %(country)s.",
                            state=code,
                            country=country.code,
                        )
                    )
                vals.update(state_id=state.id, country_id=country.id)
            else:
                vals["state_id"] = False
        return vals

    @api.model
    def _api_agent(self, person):
        """The agency for {name, email}: matched by email, then by name, like
        the producer of a certificate (`_coi_agent_for`); created when unknown."""
        if not person:
            return self.browse()
        return self._coi_agent_for(
            {"name": person.get("name") or person.get("email"), "email": person.get("email")}
        )

    def _api_contact(self, person):
        """The vendor's contact with this email, created when it has none."""
        self.ensure_one()
        if not person:
            return self.browse()
        contact = self.child_ids.filtered(lambda c: c.email == person["email"])[:1]
        return contact or self.create(
            {
                "parent_id": self.id,
                "company_id": self.company_id.id,
                "name": person.get("name") or person["email"],
                "email": person["email"],
            }
        )

    def _coi_status_changed(self):
        super()._coi_status_changed()
        self.env["coi.webhook"]._enqueue(
            "vendor.status_changed",
            [
                {
                    "ref": vendor.ref or None,
                    "name": vendor.name,
                    "status": vendor.coi_status or None,
                    "company_id": vendor.company_id.id or None,
                    "at": fields.Datetime.to_string(fields.Datetime.now()),
                }
                for vendor in self
            ],
        )
