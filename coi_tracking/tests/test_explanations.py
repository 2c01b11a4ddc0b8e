# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import psycopg2.errors

from odoo import Command
from odoo.tests import Form, new_test_user, tagged
from odoo.tools import mute_logger

from .common import CoiCase


@tagged("post_install", "-at_install")
class TestExplanations(CoiCase):
    """A requirement set explains its terms in plain words; each requirement
    item gets the explanations of the terms it asks for."""

    def test_a_new_set_starts_with_the_standard_explanations(self):
        with Form(self.env["coi.requirement.set"].with_user(self.coi_manager)) as form:
            form.name = "Painters"
        req_set = form.record
        self.assertEqual(
            req_set.explanation_ids.mapped("term"),
            [
                "additional_insured",
                "waiver_of_subrogation",
                "primary_noncontributory",
                "completed_operations",
                "per_statute",
                "umbrella",
            ],
        )
        waiver = req_set.explanation_ids.filtered(lambda e: e.term == "waiver_of_subrogation")
        self.assertIn("Ask your agent", waiver.text)

    def test_add_standard_explanations_fills_only_what_is_missing(self):
        req_set = self.standard
        req_set.explanation_ids.filtered(lambda e: e.term != "additional_insured").unlink()
        own = req_set.explanation_ids
        own.text = "Our own words about additional insured."
        req_set.with_user(self.coi_manager).action_add_standard_explanations()
        self.assertEqual(len(req_set.explanation_ids), 6)
        self.assertEqual(own.text, "Our own words about additional insured.")

    def test_each_item_gets_the_explanations_of_its_terms(self):
        gl_line, wc_line = self.standard.line_ids.sorted("id")
        self.standard.explanation_ids.filtered(
            lambda e: e.term == "additional_insured"
        ).text = "We must be covered by your policy too."
        self.assertEqual(
            gl_line._coi_explanations(),
            [("Additional Insured", "We must be covered by your policy too.")],
        )
        self.assertEqual(
            [term for term, _text in wc_line._coi_explanations()],
            ["Per Statute (Workers' Compensation)"],
        )
        gl_line.write({"waiver_of_subrogation": True, "primary_noncontributory": True})
        self.assertEqual(
            [term for term, _text in gl_line._coi_explanations()],
            ["Additional Insured", "Waiver of Subrogation", "Primary and Non-Contributory"],
        )
        # A term the set does not explain is not shown.
        self.standard.explanation_ids.filtered(lambda e: e.term == "per_statute").unlink()
        self.assertEqual(wc_line._coi_explanations(), [])

    @mute_logger("odoo.sql_db")
    def test_one_explanation_per_term(self):
        with self.assertRaises(psycopg2.errors.UniqueViolation), self.cr.savepoint():
            self.standard.explanation_ids = [
                Command.create({"term": "additional_insured", "text": "Twice"})
            ]
            self.env.flush_all()

    def test_another_company_does_not_read_a_set_explanations(self):
        other = self.env["res.company"].create({"name": "Other Holder Inc"})
        other_set = self.env["coi.requirement.set"].create(
            {"name": "Other company's set", "company_id": other.id}
        )
        outsider = new_test_user(
            self.env,
            login="coi_other_company",
            groups="coi_tracking.coi_tracking_group_user",
            company_id=self.env.company.id,
            company_ids=[Command.set(self.env.company.ids)],
        )
        insider = new_test_user(
            self.env,
            login="coi_other_insider",
            groups="coi_tracking.coi_tracking_group_user",
            company_id=other.id,
            company_ids=[Command.set(other.ids)],
        )
        Explanation = self.env["coi.requirement.explanation"]
        theirs = Explanation.search([("set_id", "=", other_set.id)])
        self.assertEqual(len(theirs), 6)
        self.assertFalse(Explanation.with_user(outsider).search([("id", "in", theirs.ids)]))
        self.assertEqual(Explanation.with_user(insider).search([("id", "in", theirs.ids)]), theirs)
        # Shared sets (no company) explain to everyone.
        self.assertTrue(Explanation.with_user(outsider).search([("set_id", "=", self.standard.id)]))
