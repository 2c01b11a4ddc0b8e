from . import models
from . import wizards
from . import report


def post_init_hook(env):
    """Vendors that existed before the module get their insurance status."""
    env["res.partner"]._coi_recompute_all()
