"""The review rules: when a read certificate is accepted on its own."""

import copy
import dataclasses

import coi_fixtures as fx
from coi_engine import extract
from coi_engine.extract.model import FAIR, GOOD, Coverage, EndorsementForm, Extraction, Page
from coi_engine.review import (
    NAME_MATCH,
    Holder,
    additional_insured_reasons,
    address_matches,
    address_words,
    best_name,
    holder_reasons,
    is_named_party,
    name_score,
    named_additional_insureds,
    review,
)

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


# ---- the certificate holder and the additional insured ------------------------

YOURCO = Holder(
    name="YourCo LLC",
    street="1 Main Street",
    street2="Suite 4",
    city="Boston",
    state="MA",
    zip="02110",
)


def holding(holder_name, address=(), description=None):
    extraction = certificate(gl())
    extraction.certificate_holder = {"name": holder_name, "address": list(address)}
    extraction.description_of_operations = description
    return extraction


def test_another_holder_is_not_accepted():
    decision = review(
        holding("Example Holdings Inc"), "Acme Roofing", NAMES, {}, KNOWN, holder=YOURCO
    )
    assert not decision.accept
    assert decision.reasons == [
        "The certificate holder is 'Example Holdings Inc', not 'YourCo LLC' as required."
    ]
    unread = review(holding(""), "Acme Roofing", NAMES, {}, KNOWN, holder=YOURCO)
    assert unread.reasons == ["The certificate holder could not be read; it must be 'YourCo LLC'."]


def test_the_required_holder_is_accepted_written_its_own_way():
    for written in ("YOURCO, LLC", "Yourco Llc.", "YourCo LLC Attn: Risk Management"):
        decision = review(holding(written), "Acme Roofing", NAMES, {}, KNOWN, holder=YOURCO)
        assert decision.accept, (written, decision.reasons)
    # Without a required holder (callers that do not ask) nothing changes.
    assert review(holding("Anyone"), "Acme Roofing", NAMES, {}, KNOWN).accept


def test_holder_address_is_compared_only_when_asked():
    strict = dataclasses.replace(YOURCO, match_address=True)
    other_street = ["500 Commerce Plaza, Floor 12", "Springfield, IL 62999"]
    assert review(
        holding("YourCo LLC", other_street), "Acme Roofing", NAMES, {}, KNOWN, holder=YOURCO
    ).accept
    decision = review(
        holding("YourCo LLC", other_street), "Acme Roofing", NAMES, {}, KNOWN, holder=strict
    )
    assert decision.reasons == [
        "The certificate holder's address is '500 Commerce Plaza, Floor 12, Springfield, IL "
        "62999', not '1 Main Street, Suite 4, Boston MA 02110' as required."
    ]
    written_otherwise = ["Attn: Risk Management", "1 MAIN ST.", "Boston, Mass. 02110-4410"]
    assert review(
        holding("YourCo LLC", written_otherwise), "Acme Roofing", NAMES, {}, KNOWN, holder=strict
    ).accept


def test_address_match_rules():
    assert address_matches(["1 Main St", "Boston MA 02110"], YOURCO)
    assert address_matches(["1 Main Street Suite 900", "Bostom, MA 02110"], YOURCO)  # OCR
    assert not address_matches(["10 Main St", "Boston MA 02110"], YOURCO)  # house number
    assert not address_matches(["1 Main St", "Boston MA 02111"], YOURCO)  # ZIP code
    assert not address_matches(["1 Elm St", "Boston MA 02110"], YOURCO)  # street
    assert not address_matches(["1 Main St", "Cambridge MA 02110"], YOURCO)  # city
    assert not address_matches([], YOURCO)
    assert address_words("500 Commerce Plaza, Floor 12") == ["500", "commerce", "plz", "fl", "12"]


def test_holder_address_required_but_company_has_none():
    bare = Holder(name="YourCo LLC", match_address=True)
    decision = review(holding("YourCo LLC", ["1 Main St"]), "Acme", NAMES, {}, KNOWN, holder=bare)
    assert decision.reasons == [
        "The certificate holder's address must match, but YourCo LLC has no street and city "
        "on file: a person must check it."
    ]


def test_another_organization_named_additional_insured_goes_to_a_person():
    text = "X Corp is included as additional insured. Re: job 26-118."
    decision = review(
        holding("YourCo LLC", description=text),
        "Acme Roofing",
        NAMES,
        {},
        KNOWN,
        holder=YOURCO,
        additional_insured=True,
    )
    assert decision.reasons == [
        "The description of operations names X Corp as additional insured, not YourCo LLC: "
        "a person must check who the endorsement covers."
    ]
    # Additional insured not required: the description is not the review's business.
    assert review(
        holding("YourCo LLC", description=text),
        "Acme Roofing",
        NAMES,
        {},
        KNOWN,
        holder=YOURCO,
    ).accept


def test_an_endorsement_scheduling_another_organization_goes_to_a_person():
    """The ADDL INSD mark is not enough when the additional insured
    endorsement of the file schedules someone else."""

    def with_endorsement(**values):
        extraction = holding("YourCo LLC")
        extraction.endorsements = [
            EndorsementForm(page=2, form="CG 20 10", kinds=["ai_ongoing"], **values)
        ]
        return extraction

    def decide(extraction, required=True):
        return review(
            extraction,
            "Acme Roofing",
            NAMES,
            {},
            KNOWN,
            holder=YOURCO,
            additional_insured=required,
        )

    decision = decide(with_endorsement(blanket=False, names=["Cedar Ridge Holdings LLC"]))
    assert decision.reasons == [
        "The additional insured endorsement CG 20 10 names Cedar Ridge Holdings LLC, not "
        "YourCo LLC: a person must check who the endorsement covers."
    ]
    assert decide(with_endorsement(blanket=False, names=["Cedar Ridge", "YourCo, LLC"])).accept
    assert decide(with_endorsement(blanket=True)).accept
    assert decide(with_endorsement(blanket=False, names=["Cedar Ridge"]), required=False).accept


def test_additional_insured_naming_the_holder_or_the_company_is_accepted():
    for text in (
        "Certificate holder is additional insured on the general liability policy when "
        "required by written contract.",
        "X Corp and YourCo LLC are included as additional insureds.",
        "The GL policy includes YOURCO, LLC, its officers and employees as additional insured.",
        "Blanket additional insured where required by written contract.",
        "Additional insureds include the Owner and the General Contractor.",
        "Re: Riverside warehouse reroofing, job 26-118.",
        None,
    ):
        decision = review(
            holding("YourCo LLC", description=text),
            "Acme Roofing",
            NAMES,
            {},
            KNOWN,
            holder=YOURCO,
            additional_insured=True,
        )
        assert decision.accept, (text, decision.reasons)


def test_named_additional_insureds():
    assert named_additional_insureds(
        "Re: job 26-118, Northwind Developers Inc. is named as an additional insured where "
        "required by written contract. Waiver of subrogation applies."
    ) == ["job 26-118", "Northwind Developers Inc"]
    assert named_additional_insureds(
        "Additional insured: Fabrikam Properties LLC, its officers and employees."
    ) == ["Fabrikam Properties LLC", "its officers and employees"]
    assert named_additional_insureds(
        "The general liability policy includes Contoso Ltd. as additional insured."
    ) == ["Contoso Ltd"]
    assert named_additional_insureds(
        "Acme Corp. and J. Smith Builders are additional insureds."
    ) == ["Acme Corp. and J. Smith Builders"]
    # The ACORD form's own warning names nobody.
    assert (
        named_additional_insureds(
            "IMPORTANT: If the certificate holder is an ADDITIONAL INSURED, the policy(ies) must "
            "have ADDITIONAL INSURED provisions or be endorsed."
        )
        == []
    )
    assert [is_named_party(p) for p in ("job 26-118", "Northwind Developers Inc")] == [False, True]
    assert not is_named_party("All parties")
    assert not is_named_party("the certificate holder")
    assert not is_named_party("its officers and employees")


def test_holder_block_lines():
    assert YOURCO.lines == ["YourCo LLC", "1 Main Street", "Suite 4", "Boston MA 02110"]
    assert Holder(name="YourCo LLC").lines == ["YourCo LLC"]


def test_drawn_certificates_read_then_reviewed_for_holder_and_additional_insured():
    """The reader and the rules together, on certificates the fixtures draw."""
    names = {"GL": "GL", "AUTO": "Auto", "UMBRELLA": "Umbrella", "WC_EL": "WC", "OTHER": "Other"}
    insured = fx.SAMPLE["insured"]["name"]
    sample_holder = Holder(
        name="Example Holdings Inc",
        street="500 Commerce Plaza",
        city="Springfield",
        zip="62999",
        match_address=True,
    )
    for pdf in (fx.layout_pdf(), fx.acroform_pdf()):
        read = extract(pdf)
        assert holder_reasons(read.certificate_holder, sample_holder) == []
        assert additional_insured_reasons(read.description_of_operations, sample_holder) == []
    read = extract(fx.layout_pdf())
    assert review(read, insured, names, {}, KNOWN, holder=YOURCO).reasons == [
        "The certificate holder is 'Example Holdings Inc', not 'YourCo LLC' as required."
    ]
    data = copy.deepcopy(fx.SAMPLE)
    data["description_of_operations"] = (
        "Northwind Developers Inc. is included as additional insured on the general liability "
        "policy. Re: Riverside warehouse reroofing, job 26-118."
    )
    read = extract(fx.layout_pdf(data))
    decision = review(
        read, insured, names, {}, KNOWN, holder=sample_holder, additional_insured=True
    )
    assert decision.reasons == [
        "The description of operations names Northwind Developers Inc as additional insured, "
        "not Example Holdings Inc: a person must check who the endorsement covers."
    ]
