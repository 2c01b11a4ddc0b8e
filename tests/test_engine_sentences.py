"""Deficiency sentences keep how they were made (a code and their parts),
so that the models can say them again in the reader's language."""

import json
from dataclasses import replace
from datetime import date

from coi_engine import Deviation, Policy, Requirement, evaluate
from coi_engine.datatypes import EndorsementOnFile, RequiredForm
from coi_engine.vocabulary import EndorsementKind, SentenceCode

TODAY = date(2026, 6, 15)
GL_REQ = Requirement(
    coverage="GL",
    coverage_name="General Liability",
    key=1,
    limits={"EACH_OCCURRENCE": 1_000_000},
    additional_insured=True,
    expiring_days=30,
)
GL_POLICY = Policy(
    coverage="GL",
    key=10,
    number="GL-1",
    effective=date(2025, 7, 1),
    expiration=date(2026, 7, 1),
    limits={"EACH_OCCURRENCE": 500_000},
    additional_insured=False,
    insurer_rating="A",
)


def test_deficiencies_carry_their_code_and_parts():
    line = evaluate([GL_REQ], [GL_POLICY], TODAY).lines[0]
    assert line.sentence == (
        "General Liability each occurrence is $500,000; $1,000,000 is required. "
        "General Liability must name us as additional insured."
    )
    assert line.parts == [
        [
            SentenceCode.LIMIT_TOO_LOW,
            {
                "coverage": "General Liability",
                "coverage_code": "GL",
                "limit": "each occurrence",
                "limit_code": "EACH_OCCURRENCE",
                "required": "$1,000,000",
                "held": "$500,000",
            },
        ],
        [
            SentenceCode.ADDITIONAL_INSURED_MISSING,
            {"coverage": "General Liability", "coverage_code": "GL"},
        ],
    ]
    assert json.loads(json.dumps(line.parts)) == line.parts  # stored as JSON


def test_missing_expired_and_expiring_parts():
    missing = evaluate([GL_REQ], [], TODAY).lines[0]
    assert missing.parts == [
        [SentenceCode.MISSING, {"coverage": "General Liability", "coverage_code": "GL"}]
    ]
    expired = evaluate([GL_REQ], [replace(GL_POLICY, expiration=date(2026, 6, 1))], TODAY)
    assert expired.lines[0].parts[0] == [
        SentenceCode.EXPIRED,
        {
            "coverage": "General Liability",
            "coverage_code": "GL",
            "number": "GL-1",
            "date": "2026-06-01",
        },
    ]
    fine = replace(GL_POLICY, limits={"EACH_OCCURRENCE": 1_000_000}, additional_insured=True)
    expiring = evaluate([GL_REQ], [fine], TODAY).lines[0]
    assert expiring.sentence == "General Liability policy GL-1 expires on 07/01/2026, in 16 days."
    assert expiring.parts[0][0] == SentenceCode.EXPIRING
    assert expiring.parts[0][1]["days"] == 16


FORMS_REQ = replace(
    GL_REQ,
    limits={},
    additional_insured=False,
    endorsement_forms=(
        RequiredForm(EndorsementKind.AI_ONGOING, "CG 20 10"),
        RequiredForm(EndorsementKind.AI_COMPLETED, "CG 20 37"),
        RequiredForm(EndorsementKind.WAIVER_OF_SUBROGATION, "CG 24 04"),
    ),
    endorsement_equivalent=False,
)


def test_endorsement_form_sentences_carry_their_parts():
    on_file = (
        EndorsementOnFile(EndorsementKind.AI_ONGOING, "CG 20 10", blanket=True),
        EndorsementOnFile(EndorsementKind.AI_COMPLETED, "CG 20 37", names=("Other Co", "B", "C")),
        EndorsementOnFile(EndorsementKind.WAIVER_OF_SUBROGATION, "NWS 1", blanket=True),
    )
    line = evaluate([FORMS_REQ], [replace(GL_POLICY, endorsements=on_file)], TODAY).lines[0]
    assert line.sentence == (
        "Your additional insured endorsement for completed operations (CG 20 37) names "
        "Other Co, B and others, not us; we need one that names us, or a blanket endorsement "
        "(where required by written contract). Your waiver of subrogation endorsement is form "
        "NWS 1; we need form CG 24 04 itself."
    )
    base = {"coverage": "General Liability", "coverage_code": "GL", "equivalent": False}
    assert line.parts == [
        [
            SentenceCode.FORM_NAMES_OTHERS,
            {
                **base,
                "kind": EndorsementKind.AI_COMPLETED,
                "required_form": "CG 20 37",
                "form": "CG 20 37",
                "names": ["Other Co", "B", "C"],
            },
        ],
        [
            SentenceCode.FORM_NOT_THE_ONE_REQUIRED,
            {
                **base,
                "kind": EndorsementKind.WAIVER_OF_SUBROGATION,
                "required_form": "CG 24 04",
                "forms": "NWS 1",
            },
        ],
    ]
    ongoing_only = replace(GL_POLICY, endorsements=on_file[:1])
    line = evaluate([replace(FORMS_REQ, endorsement_equivalent=True)], [ongoing_only], TODAY)
    assert [code for code, _params in line.lines[0].parts] == [
        SentenceCode.FORM_OTHER_OPERATIONS_ONLY,
        SentenceCode.FORM_MISSING,
    ]
    assert line.lines[0].parts[0][1]["other"] == EndorsementKind.AI_ONGOING
    assert json.loads(json.dumps(line.lines[0].parts)) == line.lines[0].parts


def test_an_accepted_deviation_carries_its_parts():
    deviation = Deviation(
        coverage="GL",
        key=7,
        accepted="GL each occurrence $500,000 instead of $1,000,000",
        approved_by="Dana Risk",
        until=date(2026, 9, 30),
    )
    line = evaluate([GL_REQ], [GL_POLICY], TODAY, deviations=[deviation]).lines[0]
    assert line.parts == [
        [
            SentenceCode.DEVIATION_ACCEPTED,
            {
                "who": "Dana Risk",
                "date": "2026-09-30",
                "accepted": "GL each occurrence $500,000 instead of $1,000,000.",
            },
        ]
    ]
