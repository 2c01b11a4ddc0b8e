# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import models
from odoo.exceptions import LockError, UserError


class IrCron(models.Model):
    _inherit = "ir.cron"

    def method_direct_trigger(self):
        """ "Run Manually" on the notice job runs it here and says what it
        sent; every other job runs as Odoo runs it."""
        # Administrators only, as Odoo's own (before anything is looked at).
        self.browse().check_access("write")
        notice_cron = self.env.ref("coi_tracking.ir_cron_coi_send_notices", False)
        if not notice_cron or self != notice_cron:
            return super().method_direct_trigger()
        try:
            # The scheduler holds this row while it runs the job.
            self.lock_for_update()
        except LockError:
            raise UserError(self.env._("Job '%s' already executing", self.name)) from None
        message = self.env["coi.notice"].sudo()._coi_run_now()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Insurance notices"),
                "message": message,
                "type": "success",
                "sticky": False,
            },
        }
