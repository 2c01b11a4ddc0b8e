"""The review rules: when a read certificate is accepted on its own."""

from coi_engine.extract.model import FAIR, GOOD, Coverage, Extraction, Page
from coi_engine.review import NAME_MATCH, best_name, name_score, review

NAMES = {"GL": "General Liability", "WC_EL": "Workers' Compensation", "OTHER": "Other"}
KNOWN = {"EACH_OCCURRENCE", "GENERAL_AGGREGATE", "EL_EACH_ACCIDENT"}
REQUIRED = {"GL": {"EACH_OCCURRENCE": "Each Occurrence"}}


def gl(**changes):
    values = {
        "type": "GL",
        "policy_number": "GL-1",
        "effective_date": "2026-01-01",
        "expiration_date": "2027-01-01",
        "limits": {"EACH_OCCURRENCE": 1_000_000},
        "confidence": {"policy_number": GOOD, "dates": GOOD},
    }
    values.update(changes)
    return Coverage(**values)


def certificate(*coverages, insured="Acme Roofing LLC"):
    return Extraction(
        insured={"name": insured},
        coverages=list(coverages),
        certificate_page=1,
        pages=[Page(number=1, kind="certificate", method="text")],
    )


def test_everything_read_is_accepted():
    decision = review(certificate(gl()), "ACME ROOFING, LLC", NAMES, REQUIRED, KNOWN)
    assert decision.reasons == []
    assert decision.accept
    assert [c.policy_number for c in decision.coverages] == ["GL-1"]


def test_another_insured_is_not_accepted():
    decision = review(
        certificate(gl(), insured="Zenith Plumbing"), "Acme Roofing", NAMES, {}, KNOWN
    )
    assert not decision.accept
    assert decision.reasons == [
        "The insured on the certificate (Zenith Plumbing) does not match the vendor."
    ]


def test_low_confidence_and_missing_numbers_go_to_a_person():
    low = gl(confidence={"policy_number": FAIR, "dates": GOOD})
    no_number = gl(type="WC_EL", policy_number=None)
    decision = review(certificate(low, no_number), "Acme Roofing LLC", NAMES, {}, KNOWN)
    assert decision.reasons == [
        "General Liability: low confidence in policy_number.",
        "Workers' Compensation: the policy number or dates could not be read.",
    ]
    assert [c.type for c in decision.coverages] == ["GL"]


def test_a_required_limit_not_read_goes_to_a_person():
    without = gl(limits={"GENERAL_AGGREGATE": 2_000_000, "EACH_OCCURRENCE": "illegible"})
    decision = review(certificate(without), "Acme Roofing LLC", NAMES, REQUIRED, KNOWN)
    assert decision.reasons == ["General Liability: Each Occurrence not read from the certificate."]
    assert not decision.accept


def test_unreadable_or_not_a_certificate():
    assert review(Extraction(error="The PDF is damaged."), "X", NAMES, {}, KNOWN).reasons == [
        "The PDF is damaged."
    ]
    other = Extraction(pages=[Page(number=1, kind="other")])
    assert review(other, "X", NAMES, {}, KNOWN).reasons == [
        "No certificate of insurance was found in the file."
    ]
    empty = certificate(insured="X")
    assert review(empty, "X", NAMES, {}, KNOWN).reasons == [
        "No policy could be read from the certificate."
    ]


def test_names():
    assert name_score("Acme Roofing LLC", "acme roofing, llc") >= NAME_MATCH
    assert name_score("Acme Roofing", None) == 0
    assert best_name("Acme Roofing", {1: "Zenith", 2: "ACME ROOFING INC"}) == 2
    assert best_name("Acme Roofing", {1: "Zenith"}) is None
