"""What the extractor returns: plain data with a confidence per field."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

# Confidence of a value by the way it was read.
HIGH = 0.98  # typed into a form field
GOOD = 0.9  # read from the text layer at its printed label
FAIR = 0.75  # read from the text layer without a clear label, or from OCR
LOW = 0.5  # guessed from position or order


class OverBudget(Exception):
    """The time given to a reading ran out: the file waits for the reading job."""


@dataclass
class Coverage:
    type: str  # GL, AUTO, UMBRELLA, EXCESS, WC_EL, OTHER
    insurer_letter: str | None = None
    policy_number: str | None = None
    effective_date: str | None = None  # ISO
    expiration_date: str | None = None
    additional_insured: bool | None = None
    subrogation_waived: bool | None = None
    occurrence: bool | None = None  # True occurrence, False claims-made
    per_statute: bool | None = None
    description: str | None = None  # for OTHER
    limits: dict[str, int | str] = field(default_factory=dict)
    confidence: dict[str, float] = field(default_factory=dict)

    def is_empty(self):
        return not (
            self.policy_number or self.effective_date or self.expiration_date or self.limits
        )

    def to_dict(self):
        return {
            "type": self.type,
            "insurer_letter": self.insurer_letter,
            "policy_number": self.policy_number,
            "effective_date": self.effective_date,
            "expiration_date": self.expiration_date,
            "additional_insured": self.additional_insured,
            "subrogation_waived": self.subrogation_waived,
            "occurrence": self.occurrence,
            "per_statute": self.per_statute,
            "limits": dict(self.limits),
            "confidence": dict(self.confidence),
        }


@dataclass
class Page:
    number: int  # 1-based
    kind: str  # certificate, endorsement, policy_page, other, needs_ocr, unreadable
    method: str = ""  # acroform, xfa, text, freetext, ocr


@dataclass
class EndorsementForm:
    """One endorsement read off one or more pages (`endorsements.read_page`)."""

    page: int  # its first page, 1-based
    form: str | None = None  # "CG 20 10", "WC 00 03 13", a carrier's own number
    edition: str | None = None  # "04 13" (month and year)
    title: str | None = None
    kinds: list[str] = field(default_factory=list)  # vocabulary.EndorsementKind
    coverage: str | None = None  # GL, AUTO, WC_EL
    blanket: bool | None = None  # True: "where required by written contract"
    names: list[str] = field(default_factory=list)  # the organizations scheduled
    policy_number: str | None = None
    pages: list[int] = field(default_factory=list)
    method: str = ""  # text, freetext, ocr
    confidence: float = 0.0

    @property
    def code(self):
        """Form and edition as printed in one spelling: "CG 20 10 04 13"."""
        return " ".join(part for part in (self.form, self.edition) if part) or None


@dataclass
class DeclarationsPage:
    """A policy's declarations page (`declarations.read_page`)."""

    page: int
    coverage: str | None = None
    policy_number: str | None = None
    effective_date: str | None = None  # ISO
    expiration_date: str | None = None
    limits: dict[str, int] = field(default_factory=dict)
    method: str = ""
    confidence: float = 0.0


@dataclass
class Extraction:
    """Everything read off one document. Empty parts stay None / empty."""

    form: str | None = None
    certificate_date: str | None = None
    certificate_number: str | None = None
    producer: dict = field(default_factory=dict)
    insured: dict = field(default_factory=dict)
    insurers: dict[str, dict] = field(default_factory=dict)
    coverages: list[Coverage] = field(default_factory=list)
    certificate_holder: dict = field(default_factory=dict)
    description_of_operations: str | None = None
    certificate_page: int | None = None
    pages: list[Page] = field(default_factory=list)
    endorsements: list[EndorsementForm] = field(default_factory=list)
    declarations: list[DeclarationsPage] = field(default_factory=list)
    method: str | None = None
    confidence: dict[str, float] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    error: str | None = None  # set when the file could not be read at all
    text: str = ""  # the words read, for notices that are not certificates
    # Where each value was read: key -> [page, x0, top, x1, bottom], points of
    # the page as read (upright and level). Keys as in `confidence`; a
    # coverage's values as "coverages.<index>.<name>" (name as in its
    # confidence: policy_number, effective_date, limits.EACH_OCCURRENCE, ...).
    regions: dict[str, list] = field(default_factory=dict)
    # The image of that region as OCR saw it (PNG, base64), pages read by OCR only.
    snippets: dict[str, str] = field(default_factory=dict)

    @property
    def is_certificate(self):
        return self.certificate_page is not None

    def min_confidence(self):
        values = list(self.confidence.values())
        for coverage in self.coverages:
            values += coverage.confidence.values()
        return min(values, default=0.0)

    def to_dict(self):
        return {
            "form": self.form,
            "certificate_date": self.certificate_date,
            "certificate_number": self.certificate_number,
            "producer": self.producer,
            "insured": self.insured,
            "insurers": self.insurers,
            "coverages": [c.to_dict() for c in self.coverages],
            "certificate_holder": self.certificate_holder,
            "description_of_operations": self.description_of_operations,
            "certificate_page": self.certificate_page,
            "pages": [{"page": p.number, "kind": p.kind, "method": p.method} for p in self.pages],
            "endorsements": [{**asdict(e), "code": e.code} for e in self.endorsements],
            "declarations": [asdict(d) for d in self.declarations],
            "method": self.method,
            "confidence": self.confidence,
            "warnings": self.warnings,
            "error": self.error,
        }

    def to_plain(self):
        """Everything, text included, as JSON-ready data (`from_plain` reverses it)."""
        return asdict(self)

    @classmethod
    def from_plain(cls, data):
        data = dict(data)
        data["coverages"] = [Coverage(**c) for c in data.get("coverages", ())]
        data["pages"] = [Page(**p) for p in data.get("pages", ())]
        data["endorsements"] = [EndorsementForm(**e) for e in data.get("endorsements", ())]
        data["declarations"] = [DeclarationsPage(**d) for d in data.get("declarations", ())]
        return cls(**data)

    def add_text(self, text, limit=20_000):
        if len(self.text) < limit:
            self.text = (self.text + "\n" + text)[:limit]
