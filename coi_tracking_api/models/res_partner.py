# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models

from odoo.addons.coi_tracking.engine.vocabulary import BLOCKING_STATUSES, COUNTED_STATES

PAGE_MAX = 100


class ResPartner(models.Model):
    _inherit = "res.partner"

    # Serialization and queries for the JSON API. Private (underscore):
    # Odoo's generic /json/2 routes cannot call them.

    @api.model
    def _api_vendor_domain(self):
        return [*self._coi_tracked_domain(), ("company_id", "in", [False, *self.env.companies.ids])]

    @api.model
    def _api_find_vendor(self, ref):
        """The vendor with this reference (the caller's own id for it, kept in
        the partner's Reference field) that the API user may read."""
        if not ref:
            return self.browse()
        # The multi-company rule ('parent_of') reads the companies' paths:
        # fetch just that column instead of every field of res.company.
        self.env.companies.fetch(["parent_path"])
        return self.search_fetch(
            [*self._api_vendor_domain(), ("ref", "=", ref)], ["ref", "coi_status"], limit=1
        )

    def _api_summary(self):
        self.ensure_one()
        return {
            "ref": self.ref,
            "name": self.name,
            "status": self.coi_status or None,
            "next_expiry": fields.Date.to_string(self.coi_next_expiry) or None,
            "deficiency_count": self.coi_deficiency_count,
            "state": self.state_id.code or None,
            "country": self.country_id.code or None,
            "updated_at": fields.Datetime.to_string(self.write_date),
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
                    "sentence": line.deficiency,
                }
                for line in lines
                if line.is_deficient
            ],
            "requirements": [
                {"coverage": line.coverage_type_id.code, "status": line.status} for line in lines
            ],
            "requirement_sets": self.coi_requirement_set_ids.mapped("name"),
            "policies": [policy._api_dict() for policy in policies],
        }

    def _api_can_work(self, on_date=None):
        """May this vendor work on `on_date`? The stored status for today; the
        engine on its policies for another day. Days are the vendor's
        company's (the API user's company for a shared vendor), like the
        daily refresh that stores the status."""
        self.ensure_one()
        today = (self.company_id or self.env.company)._coi_today()
        if on_date and on_date != today:
            evaluation = self.env["coi.compliance.line"]._evaluate(self, on_date)
            status = evaluation.status
            reasons = [d.sentence for d in evaluation.deficiencies]
        else:
            status = self.coi_status
            lines = self.env["coi.compliance.line"].search_fetch(
                [("partner_id", "=", self.id), ("is_deficient", "=", True)], ["deficiency"]
            )
            reasons = lines.mapped("deficiency")
        return {
            "ref": self.ref,
            "date": fields.Date.to_string(on_date or today),
            "can_work": status not in BLOCKING_STATUSES,
            "status": status,
            "reasons": [r for r in reasons if r],
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
        domain = [*self._api_vendor_domain(), ("id", ">", cursor)]
        if status:
            domain.append(("coi_status", "=", status))
        if state:
            domain.append(("state_id.code", "=", state))
        if requirement_set:
            domain.append(("coi_requirement_set_ids.name", "=", requirement_set))
        if updated_since:
            domain.append(("write_date", ">=", updated_since))
        if ref:
            domain.append(("ref", "=like", f"{ref}%"))
        limit = max(1, min(int(limit), PAGE_MAX))
        vendors = self.search_fetch(
            domain,
            [
                "ref",
                "name",
                "coi_status",
                "coi_next_expiry",
                "coi_deficiency_count",
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
        data. Returns (vendor, created)."""
        if not isinstance(payload, dict) or not (payload.get("name") or self._api_find_vendor(ref)):
            raise ValueError("name is required to create a vendor")
        vendor = self._api_find_vendor(ref)
        vals = {
            key: payload[key]
            for key in ("name", "email", "phone", "street", "city", "zip")
            if key in payload
        }
        if "state" in payload or "country" in payload:
            country = self.env["res.country"].search(
                [("code", "=", payload.get("country") or "US")], limit=1
            )
            vals["country_id"] = country.id
            if payload.get("state"):
                state = self.env["res.country.state"].search(
                    [("code", "=", payload["state"]), ("country_id", "=", country.id)], limit=1
                )
                vals["state_id"] = state.id
        if "requirement_sets" in payload:
            sets = self.env["coi.requirement.set"].search(
                [("name", "in", payload["requirement_sets"])]
            )
            missing = set(payload["requirement_sets"]) - set(sets.mapped("name"))
            if missing:
                raise ValueError(f"unknown requirement sets: {', '.join(sorted(missing))}")
            vals["coi_requirement_set_ids"] = [(6, 0, sets.ids)]
        if "exemption" in payload:
            exemption = payload["exemption"] or {}
            vals.update(
                coi_exempt=bool(exemption),
                coi_exempt_reason=exemption.get("reason") or False,
                coi_exempt_until=exemption.get("until") or False,
            )
        created = not vendor
        if vendor:
            vendor.write(vals)
        else:
            vals.update(ref=ref, is_company=True, supplier_rank=1)
            vendor = self.create(vals)
        contact = payload.get("insurance_contact")
        if isinstance(contact, dict) and contact.get("email"):
            person = vendor.child_ids.filtered(lambda c: c.email == contact["email"])[:1]
            if not person:
                person = self.create(
                    {
                        "parent_id": vendor.id,
                        "name": contact.get("name") or contact["email"],
                        "email": contact["email"],
                    }
                )
            vendor.coi_insurance_contact_id = person
        self._coi_settle()
        return vendor, created

    def _coi_status_changed(self):
        super()._coi_status_changed()
        self.env["coi.webhook"]._enqueue(
            "vendor.status_changed",
            [
                {
                    "ref": vendor.ref,
                    "name": vendor.name,
                    "status": vendor.coi_status,
                    "company_id": vendor.company_id.id or None,
                    "at": fields.Datetime.to_string(fields.Datetime.now()),
                }
                for vendor in self
            ],
        )
