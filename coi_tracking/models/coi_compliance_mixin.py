# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, models


class CoiComplianceMixin(models.AbstractModel):
    """Records whose changes can change vendors' insurance compliance
    (policies, their limits, certificates, requirement sets, lines and
    limits, vendors, companies).

    Creating, writing or deleting them only marks the vendors they concern
    as dirty; the vendors are evaluated once, before the transaction commits
    (`res.partner._coi_settle`), however many records changed."""

    _name = "coi.compliance.mixin"
    _description = "Changes Insurance Compliance"

    # Fields whose change matters; None: every field.
    _coi_compliance_fields = None

    def _coi_affected_vendors(self, fnames=None):
        """The vendors (res.partner) whose compliance these records feed;
        `fnames`: the fields written (None on create and delete)."""
        raise NotImplementedError

    def _coi_concerns(self, vals):
        fnames = self._coi_compliance_fields
        return fnames is None or bool(fnames & set(vals))

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        records._coi_affected_vendors()._coi_mark_dirty()
        return records

    def write(self, vals):
        if not self._coi_concerns(vals):
            return super().write(vals)
        fnames = set(vals)
        before = self._coi_affected_vendors(fnames)
        res = super().write(vals)
        (before | self._coi_affected_vendors(fnames))._coi_mark_dirty()
        return res

    def unlink(self):
        vendors = self._coi_affected_vendors()
        res = super().unlink()
        vendors.exists()._coi_mark_dirty()
        return res
