# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo.fields import Domain


def name_or_code_domain(operator, value):
    """For an exact search by display name (the import's): the records whose
    name or code is one of `value`, whatever the case ("general liability",
    "GL"); None for any other search."""
    values = [value] if isinstance(value, str) else value
    if operator in ("=", "in") and values and all(isinstance(v, str) for v in values):
        return Domain.OR(
            Domain("name", "=ilike", v.strip()) | Domain("code", "=ilike", v.strip())
            for v in values
        )
    return None
