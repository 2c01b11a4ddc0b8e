# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo.modules.db import FunctionStatus


def trigram_index(column, not_null=False):
    """The definition of a `models.Index`: a GIN trigram index on `column`,
    built as Odoo builds those of `index='trigram'` fields (registry
    `check_indexes`), so that the ORM's `ilike` conditions can use it: over
    `unaccent(column)` when the database has an immutable `unaccent`, none
    when it lacks `pg_trgm` (Odoo creates the extension with the database
    when it can). `not_null`: a partial index, for columns mostly empty
    (the planner still uses it: `ilike` implies NOT NULL)."""

    def definition(registry):
        if not registry.has_trigram:
            return ""
        expression = f'"{column}"'
        if registry.has_unaccent == FunctionStatus.INDEXABLE:
            expression = registry.unaccent(expression)
        where = f' WHERE "{column}" IS NOT NULL' if not_null else ""
        return f"USING gin ({expression} gin_trgm_ops){where}"

    return definition
