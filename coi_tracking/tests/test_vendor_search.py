# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo.fields import Domain
from odoo.tests import TransactionCase
from odoo.tools import SQL

# Column -> the trigram index coi_tracking declares on it (res_partner.py).
TRIGRAM_INDEXES = {
    "complete_name": "res_partner_coi_complete_name_trgm",
    "ref": "res_partner_coi_ref_trgm",
    "email": "res_partner_coi_email_trgm",
    "vat": "res_partner_coi_vat_trgm",
    "company_registry": "res_partner_coi_company_registry_trgm",
}


class TestVendorSearch(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if not cls.registry.has_trigram:
            cls.skipTest(cls, "PostgreSQL has no pg_trgm here: no trigram index is made")
        Partner = cls.env["res.partner"]
        cls.vendor = Partner.create(
            {
                "name": "Harborline Crane Rental",
                "ref": "TRGM-58213-QX",
                "email": "certs@harborline.example",
                "is_company": True,
                "supplier_rank": 1,
            }
        )
        cls.other = Partner.create(
            {"name": "Quarry Hauling", "ref": "TRGM-77001-ZB", "is_company": True}
        )

    def plan(self, domain):
        """EXPLAIN of the ORM's own query for `domain`, sequential scans off
        (the test table is tiny: the planner would rightly read it whole)."""
        query = self.env["res.partner"]._search(domain)
        self.env.cr.execute("SET enable_seqscan = off")
        try:
            self.env.cr.execute(SQL("EXPLAIN %s", query.select()))
            return "\n".join(row[0] for row in self.env.cr.fetchall())
        finally:
            self.env.cr.execute("RESET enable_seqscan")

    def test_trigram_indexes_exist(self):
        self.env.cr.execute(
            "SELECT indexname, indexdef FROM pg_indexes"
            " WHERE tablename = 'res_partner' AND indexname IN %s",
            [tuple(TRIGRAM_INDEXES.values())],
        )
        defs = dict(self.env.cr.fetchall())
        for column, name in TRIGRAM_INDEXES.items():
            self.assertIn(name, defs, f"no trigram index on res_partner({column})")
            self.assertIn("USING gin", defs[name])
            self.assertIn("gin_trgm_ops", defs[name])
            self.assertIn(column, defs[name])
        # Core's btree indexes stay (equality and the API's exact reference).
        self.env.cr.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'res_partner__ref_index'"
        )
        self.assertIn("btree", self.env.cr.fetchone()[0])

    def test_search_by_reference_substring(self):
        Partner = self.env["res.partner"]
        self.assertEqual(Partner.search([("ref", "ilike", "58213-q")]), self.vendor)
        self.assertEqual(Partner.search([("complete_name", "ilike", "line crane")]), self.vendor)
        # The vendor field of an RFQ: name_search over name, email, ref, VAT...
        found = [pid for pid, _name in Partner.name_search("8213-QX", limit=10)]
        self.assertEqual(found, [self.vendor.id])
        self.assertNotIn(self.other.id, found)

    def test_orm_queries_can_use_the_indexes(self):
        plan = self.plan([("ref", "ilike", "58213")])
        self.assertIn("res_partner_coi_ref_trgm", plan)
        # name_search's OR of five `ilike`: one bitmap scan per column.
        domain = Domain(self.env["res.partner"]._search_display_name("ilike", "58213"))
        plan = self.plan(domain)
        for name in TRIGRAM_INDEXES.values():
            self.assertIn(name, plan)
        self.assertNotIn("Seq Scan on res_partner", plan)
