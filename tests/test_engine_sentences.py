"""Deficiency sentences keep how they were made (a code and their parts),
so that the models can say them again in the reader's language."""

import json
from dataclasses import replace
from datetime import date

from coi_engine import Policy, Requirement, evaluate
from coi_engine.vocabulary import SentenceCode

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
