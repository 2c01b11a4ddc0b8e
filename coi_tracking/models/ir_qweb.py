# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from lxml import etree

from odoo import models, tools


class IrQweb(models.AbstractModel):
    _inherit = "ir.qweb"

    def _compile(self, template):
        """A mail template's body rendered for many records at once (the
        notice job asks with `coi_compile_once` in the context) is compiled
        once per source and language, as Odoo compiles its views: Odoo
        renders each record from a new element, which no cache keeps, and
        compiling it costs more than rendering it."""
        if (
            isinstance(template, etree._Element)
            and self.env.context.get("coi_compile_once")
            and not self.env.context.get("profile")
        ):
            return self._coi_compile_source(etree.tostring(template), template)
        return super()._compile(template)

    @tools.ormcache(
        "source",
        "tuple(self.env.context.get(k) or False for k in self._get_template_cache_keys())",
        cache="templates",
    )
    def _coi_compile_source(self, source, template):
        """`_compile` of `template`, whose markup is `source`."""
        return super()._compile(template)
