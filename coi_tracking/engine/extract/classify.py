"""What kind of page is this: certificate, endorsement, policy page, other."""

import re

from .endorsements import has_printed_form

_CERTIFICATE = re.compile(
    r"CERTIFICATE OF (LIABILITY )?INSURANCE|INSURER\s*A\s*:|CERTIFICATE HOLDER", re.I
)
_ENDORSEMENT = re.compile(r"THIS\s+ENDORSEMENT\s+CHANGES\s+THE\s+POLICY", re.I)
_POLICY_PAGE = re.compile(r"DECLARATIONS|POLICY PERIOD|SCHEDULE OF (FORMS|COVERAGES)", re.I)
_CANCELLATION = re.compile(r"NOTICE OF CANCELLATION|CANCELLATION NOTICE|HAS BEEN CANCELL?ED", re.I)


def classify(text: str) -> str:
    """An endorsement says it changes the policy, or is titled an
    endorsement and prints a form number of its own (in its header or
    footer, not cited in a sentence as a cover letter does). The reader
    also takes a page printing the form number of the endorsement on the
    page before as that endorsement's next page."""
    if not text or not text.strip():
        return "needs_ocr"
    head = text[:4000]
    # An endorsement's banner comes first; its wording may mention a certificate.
    if _ENDORSEMENT.search(text[:800]):
        return "endorsement"
    if _CERTIFICATE.search(head):
        return "certificate"
    if _ENDORSEMENT.search(head) or (
        re.search(r"\bENDORSEMENT\b", head[:400], re.I) and has_printed_form(text.splitlines())
    ):
        return "endorsement"
    if _CANCELLATION.search(head):
        return "cancellation"
    if _POLICY_PAGE.search(head):
        return "policy_page"
    return "other"
