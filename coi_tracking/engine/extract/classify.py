"""What kind of page is this: certificate, endorsement, policy page, other."""

import re

_CERTIFICATE = re.compile(
    r"CERTIFICATE OF (LIABILITY )?INSURANCE|INSURER\s*A\s*:|CERTIFICATE HOLDER", re.I
)
_ENDORSEMENT = re.compile(r"THIS ENDORSEMENT CHANGES THE POLICY", re.I)
_POLICY_PAGE = re.compile(r"DECLARATIONS|POLICY PERIOD|SCHEDULE OF (FORMS|COVERAGES)", re.I)
_CANCELLATION = re.compile(r"NOTICE OF CANCELLATION|CANCELLATION NOTICE|HAS BEEN CANCELL?ED", re.I)


def classify(text: str) -> str:
    if not text or not text.strip():
        return "needs_ocr"
    head = text[:4000]
    if _CERTIFICATE.search(head):
        return "certificate"
    if _ENDORSEMENT.search(head) or re.search(r"\bENDORSEMENT\b", head[:300], re.I):
        return "endorsement"
    if _CANCELLATION.search(head):
        return "cancellation"
    if _POLICY_PAGE.search(head):
        return "policy_page"
    return "other"
