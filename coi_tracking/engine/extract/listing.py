"""The values read off a certificate, one by one, as a person checks them.

`values_read(extraction)` lists every value the reader found, in the order
of the page (the header, the producer and the insured, the insurers, each
coverage's fields, then the description of operations and the certificate
holder), each with a label for a person ("General liability: policy
number"), the value as text ("$1,000,000", "2026-03-01", "Yes"), the
confidence it was read with, and where it was read: the page, the box in
points and, for pages read by OCR, the image of that box (PNG, base64).

The review screen shows them; those read below `GOOD` are the ones a person
must look at before the certificate counts.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..sentences import money
from ..vocabulary import (
    COVERAGE_LABELS,
    ENDORSEMENTS,
    LIMIT_CODES,
    LIMIT_LABELS,
    ConfidenceLevel,
    CoverageCode,
    Endorsement,
)
from .model import FAIR, GOOD, Coverage, Extraction

# The header, the parties and the bottom of the form: (confidence key, label).
_HEADER = (
    ("certificate_date", "Certificate date"),
    ("certificate_number", "Certificate number"),
    ("producer.name", "Producer"),
    ("insured.name", "Insured"),
)
_FOOTER = (
    ("description_of_operations", "Description of operations"),
    ("certificate_holder.name", "Certificate holder"),
)
# A coverage's fields in the order of its row: (attribute, words after the coverage).
_COVERAGE_FIELDS = (
    ("insurer_letter", "insurer letter"),
    ("policy_number", "policy number"),
    ("effective_date", "effective date"),
    ("expiration_date", "expiration date"),
    ("additional_insured", ENDORSEMENTS[Endorsement.ADDITIONAL_INSURED]),
    ("subrogation_waived", ENDORSEMENTS[Endorsement.WAIVER_OF_SUBROGATION]),
    ("per_statute", "per statute"),
)
BLANK = "(blank)"


@dataclass
class ValueRead:
    """One value read off a certificate, for a person to check."""

    key: str  # as in Extraction.confidence / regions: "coverages.0.policy_number"
    label: str  # "General liability: policy number"
    value: str  # as shown: "GL-7781234", "2026-03-01", "$1,000,000", "Yes"
    confidence: float
    page: int | None = None  # 1-based
    box: list | None = None  # [x0, top, x1, bottom], points of the page as read
    snippet: str | None = None  # PNG (base64) of the box, pages read by OCR only

    @property
    def level(self) -> str:
        return confidence_level(self.confidence)

    @property
    def needs_look(self) -> bool:
        """Read below the confidence a value needs to be accepted on its own."""
        return self.confidence < GOOD


def confidence_level(confidence: float | None) -> str:
    """`ConfidenceLevel` of a confidence: good from `GOOD` (accepted on its
    own), fair from `FAIR`, low below."""
    confidence = confidence or 0.0
    if confidence >= GOOD:
        return ConfidenceLevel.GOOD
    if confidence >= FAIR:
        return ConfidenceLevel.FAIR
    return ConfidenceLevel.LOW


def display(value) -> str:
    """A value read, as text: amounts "$1,000,000", marks Yes/No, dates and
    words as read (dates are ISO, YYYY-MM-DD)."""
    if value is None or value == "":
        return BLANK
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, int | float):
        return money(value)
    return " ".join(str(value).split())


def coverage_label(coverage: Coverage) -> str:
    """The coverage as a person names it: "General liability", or the words
    printed for a coverage of type OTHER."""
    if coverage.type == CoverageCode.OTHER and coverage.description:
        return " ".join(coverage.description.split())
    return COVERAGE_LABELS.get(coverage.type) or coverage.type.replace("_", " ").capitalize()


def limit_label(code: str) -> str:
    """The words for a limit ("each occurrence"), as sentences use them."""
    return LIMIT_LABELS.get(code) or code.replace("_", " ").lower()


def _party(extraction: Extraction, key: str):
    if key.endswith(".name"):
        return (getattr(extraction, key.split(".")[0]) or {}).get("name")
    return getattr(extraction, key)


def _insurer(insurer: dict) -> str | None:
    name = " ".join(str(insurer.get("name") or "").split())
    naic = insurer.get("naic")
    if name and naic:
        return f"{name} (NAIC {naic})"
    return name or (f"NAIC {naic}" if naic else None)


def _limits(coverage: Coverage) -> list[str]:
    """The coverage's limit codes: the form's order first, then any other."""
    known = [code for code in LIMIT_CODES if code in coverage.limits]
    return known + sorted(code for code in coverage.limits if code not in LIMIT_CODES)


def _coverage_values(coverage: Coverage):
    """(name as in its confidence, words, value, confidence) for each field
    of one coverage that was read (or has a confidence of its own)."""
    levels = coverage.confidence
    # A field without a confidence of its own was read with its row: at the
    # row's level, not at that of one value of it found implausible.
    row = max(levels.values(), default=0.0)
    for attribute, words in _COVERAGE_FIELDS:
        value = getattr(coverage, attribute)
        if value is None and attribute not in levels:
            continue
        yield attribute, words, value, levels.get(attribute, row)
    for code in _limits(coverage):
        name = f"limits.{code}"
        confidence = levels.get(name, levels.get("limits", row))
        yield name, limit_label(code), coverage.limits[code], confidence


def values_read(extraction: Extraction) -> list[ValueRead]:
    """Every value read off `extraction`'s certificate, in the page's order."""
    found = []  # (key, label, value, confidence)
    levels = extraction.confidence

    def add(key, label, value):
        if value is None or value == "":
            if key not in levels:
                return
        found.append((key, label, value, levels.get(key, 0.0)))

    for key, label in _HEADER:
        add(key, label, _party(extraction, key))
    letters = sorted(
        {*extraction.insurers, *(k.split(".", 1)[1] for k in levels if k.startswith("insurers."))}
    )
    for letter in letters:
        add(
            f"insurers.{letter}",
            f"Insurer {letter}",
            _insurer(extraction.insurers.get(letter) or {}),
        )
    for index, coverage in enumerate(extraction.coverages):
        prefix = coverage_label(coverage)
        for name, words, value, confidence in _coverage_values(coverage):
            found.append((f"coverages.{index}.{name}", f"{prefix}: {words}", value, confidence))
    for key, label in _FOOTER:
        add(key, label, _party(extraction, key))

    values = []
    for key, label, value, confidence in found:
        region = extraction.regions.get(key) or None
        page, box = extraction.certificate_page, None
        if region:
            page, box = region[0], list(region[1:5])
        values.append(
            ValueRead(
                key=key,
                label=label,
                value=display(value),
                confidence=round(float(confidence), 2),
                page=page,
                box=box,
                snippet=extraction.snippets.get(key) or None,
            )
        )
    return values
