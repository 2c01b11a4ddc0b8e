# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models

from ..engine.extract import confidence_level, values_read
from ..engine.extract.model import GOOD
from ..engine.vocabulary import CONFIDENCE_LEVEL_SELECTION


class CoiCertificateValue(models.Model):
    """One value read off a certificate's file, as the review screen shows
    it: what it is, what was read, how surely, and the image of the region
    it was read from (pages read by OCR). Written by the reader each time
    the file is read; a person corrects the policies, not these."""

    _name = "coi.certificate.value"
    _description = "Value Read off a Certificate"
    # Those a person must look at first, then the page's order.
    _order = "certificate_id, to_check desc, sequence, id"

    # No company check: the value's company is its certificate's (related),
    # so the two always agree (the check cost a domain test per value).
    certificate_id = fields.Many2one(
        "coi.certificate",
        required=True,
        ondelete="cascade",
        index=True,
        readonly=True,
    )
    company_id = fields.Many2one(
        related="certificate_id.company_id", store=True, index=True, precompute=True
    )
    sequence = fields.Integer(default=10, readonly=True, help="The value's place on the page.")
    key = fields.Char(
        required=True,
        readonly=True,
        help='Where the reading keeps it: "certificate_date", "coverages.0.policy_number".',
    )
    name = fields.Char(string="Field", required=True, readonly=True)
    value = fields.Char(string="Value Read", readonly=True)
    confidence = fields.Float(readonly=True, digits=(3, 2))
    confidence_level = fields.Selection(
        CONFIDENCE_LEVEL_SELECTION,
        compute="_compute_confidence_level",
        store=True,
        precompute=True,
        help="Good: read surely enough to be accepted on its own; fair or low: a person "
        "checks it against the document.",
    )
    confidence_text = fields.Char(
        string="Read With", compute="_compute_confidence_text", help="Confidence and its level."
    )
    to_check = fields.Boolean(
        string="Needs a Look",
        compute="_compute_confidence_level",
        store=True,
        precompute=True,
        help="Read with less confidence than a certificate needs to be accepted on its own.",
    )
    page = fields.Integer(readonly=True)
    image = fields.Image(
        string="As Read",
        max_width=800,
        max_height=800,
        attachment=True,
        readonly=True,
        help="The region of the page the value was read from, as the OCR saw it.",
    )

    @api.depends("confidence")
    def _compute_confidence_level(self):
        for value in self:
            value.confidence_level = confidence_level(value.confidence)
            value.to_check = value.confidence < GOOD

    @api.depends("confidence", "confidence_level")
    def _compute_confidence_text(self):
        levels = dict(self._fields["confidence_level"]._description_selection(self.env))
        for value in self:
            value.confidence_text = f"{value.confidence:.0%} · {levels.get(value.confidence_level)}"

    @api.model
    def _coi_store(self, certificate, extraction):
        """Replace `certificate`'s values by those read off `extraction`, in
        one create. The reader writes them: users only read them."""
        certificate.ensure_one()
        certificate.check_access("write")
        Values = self.sudo()
        Values.search([("certificate_id", "=", certificate.id)]).unlink()
        return Values.create(
            [
                {
                    "certificate_id": certificate.id,
                    "sequence": sequence,
                    "key": read.key,
                    "name": read.label,
                    "value": read.value,
                    "confidence": read.confidence,
                    "page": read.page or False,
                    "image": read.snippet or False,
                }
                for sequence, read in enumerate(values_read(extraction), start=1)
            ]
        )
