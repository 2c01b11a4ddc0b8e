# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, models
from odoo.exceptions import AccessError
from odoo.http import request
from odoo.service.server import thread_local


class IrModelAccess(models.Model):
    _inherit = "ir.model.access"

    @api.model
    def check(self, model, mode="read", raise_exception=True):
        """Outside the web client, the COI models are reached only by users of
        the COI API group: a key made for another integration (or a script on
        XML-RPC) of a user without it reads and writes no insurance data. The
        COI API itself answers 403 to those users."""
        if self._coi_api_group_missing(model):
            if raise_exception:
                raise self._make_access_error(model, mode) from None
            return False
        return super().check(model, mode=mode, raise_exception=raise_exception)

    def _make_access_error(self, model, mode):
        if self._coi_api_group_missing(model):
            return AccessError(
                self.env._(
                    "Outside the web client, insurance compliance data (%(model)s) is "
                    "reached only by users of the group “Insurance Compliance / API access”.",
                    model=model,
                )
            )
        return super()._make_access_error(model, mode)

    @api.model
    def _coi_api_group_missing(self, model):
        """Whether the current call reaches a COI model without the web client
        for a user outside the COI API group: an API key on a bearer route
        (such as /json/2, marked by ir.http), or Odoo's XML-RPC/JSON-RPC
        (they run the model call with the HTTP request set aside, and note
        the call on the thread for the request's log; reset at each request)."""
        if self.env.su or not model.startswith("coi."):
            return False
        if request:
            machine = getattr(request, "coi_api_key_uid", None) == self.env.uid
        else:
            machine = bool(getattr(thread_local, "rpc_model_method", ""))
        if not machine:
            return False
        return not self.env.user.has_group("coi_tracking_api.group_coi_api")
