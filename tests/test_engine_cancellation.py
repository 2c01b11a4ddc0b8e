"""Reading insurers' notices (issue 15): a cancellation takes effect on the
date the notice says ("cancelled effective 12/15/2026"), not on the date the
letter was written (12/01/2026); reinstatements and non-renewals are told
apart; the policy numbers and the insured are read."""

from datetime import date, timedelta

import coi_fixtures as fx
import pytest
from coi_engine import extract
from coi_engine import vocabulary as V
from coi_engine.cancellation import (
    find_dates,
    insured_name,
    named_policies,
    names_policy,
    notice_kind,
    policy_numbers,
    read_notice,
)
from hypothesis import given, settings
from hypothesis import strategies as st

CANCEL, REINSTATE, NON_RENEW = (
    V.PolicyNotice.CANCELLATION,
    V.PolicyNotice.REINSTATEMENT,
    V.PolicyNotice.NON_RENEWAL,
)
LETTER = date(2026, 12, 1)
EFFECTIVE = date(2026, 12, 15)


def test_the_vocabulary_spells_the_notice_kinds():
    codes = {v for k, v in vars(V.PolicyNotice).items() if not k.startswith("_")}
    assert set(V.codes(V.POLICY_NOTICE_SELECTION)) == codes == {CANCEL, REINSTATE, NON_RENEW}


# ---- the date a cancellation takes effect, not the letter's -----------------

CANCELLATIONS = [
    # The letter: dated 12/01, cancelled effective 12/15.
    "NOTICE OF CANCELLATION\nDate: 12/01/2026\nPolicy number: GL-100\n"
    "Your policy is cancelled effective 12/15/2026 at 12:01 AM for non-payment of premium.",
    "Notice date: 12/01/2026\nThe policy will be cancelled on 12/15/2026.",
    "Date of notice: 2026-12-01\nEffective date of cancellation: 2026-12-15",
    "Mailing date: 12/1/26\nCancellation effective date: 12/15/26",
    "December 1, 2026\n\nGranite Peak Roofing LLC\n12 Quarry Road\n\n"
    "We regret to inform you that the above policy will be cancelled on December 15, 2026.",
    "Dated 1st December 2026. Effective 12:01 A.M. standard time on 15 December 2026 "
    "the policy is cancelled.",
    "Printed 12/01/2026\nOn December 15, 2026, your policy GL-100 will be cancelled.",
    "Date: Dec. 1, 2026\nCancellation date: Dec. 15, 2026",
    "Date:\n12/01/2026\nEffective Date of Cancellation:\n12/15/2026",
    "Issued 12-01-2026. This policy is hereby cancelled as of 12-15-2026.",
    "Policy Number Cancellation Effective Date\nGL-100 12/15/2026\nNotice date 12/01/2026",
    "NOTICE OF CANCELLATION FOR NON-PAYMENT OF PREMIUM\nDate: 12/01/2026\n"
    "Payment must be received by 12/10/2026 or your policy will be cancelled effective "
    "12/15/2026. If payment is received before that date, the policy will be reinstated.",
    "Notice date: 12/01/2026\nPolicy period: 01/01/2026 to 01/01/2027\n"
    "Your policy will terminate... the policy is terminated effective 12/15/2026.",
    "Date: 12/01/2026\nPolicy effective date: 01/01/2026  Expiration date: 01/01/2027\n"
    "Cancellation effective: 12/15/2026",
    "Date mailed 12/01/2026 -- we are cancelling policy GL-100 effective December 15th, 2026",
    "Letter date: 2026/12/01\nThe cancellation takes effect on 2026/12/15.",
]


@pytest.mark.parametrize("text", CANCELLATIONS)
def test_the_effective_date_of_a_cancellation_is_read_not_the_letter_s(text):
    notice = read_notice(text)
    assert notice.kind == CANCEL
    assert notice.effective_date == EFFECTIVE
    assert notice.evidence  # the words the date was read from, for the reviewer


@pytest.mark.parametrize(
    "text",
    [
        "NOTICE OF CANCELLATION\nDate: 12/01/2026\nYour policy is cancelled effective 12/15/2026",
        "Notice date: 12/01/2026\nThe policy will be cancelled on 12/15/2026.",
        "December 1, 2026\n\nRe: policy GL-100\nThe policy is cancelled effective Dec 15, 2026",
        "Mailed: 12/01/2026. Cancellation date 12/15/2026.",
    ],
)
def test_the_letter_s_own_date_is_read_apart(text):
    assert read_notice(text).letter_date == LETTER


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mailed: 12/01/2026. This policy is cancelled effective immediately.", LETTER),
        (
            "Date: 12/01/2026\nThe policy will be cancelled 10 days after the date of this notice.",
            LETTER + timedelta(days=10),
        ),
        (
            "Date: 12/01/2026\nCoverage will be cancelled thirty (30) days from the date of "
            "this notice.",
            LETTER + timedelta(days=30),
        ),
    ],
)
def test_a_date_counted_from_the_letter(text, expected):
    assert read_notice(text).effective_date == expected


@pytest.mark.parametrize(
    "text",
    [
        # Only the letter's date and the policy period: nothing says when.
        "NOTICE OF CANCELLATION\nDate: 12/01/2026\nPolicy period: 01/01/2026 - 01/01/2027",
        # A payment deadline is not the cancellation date.
        "Notice of cancellation: payment must be received by 12/10/2026.",
        "Your policy has been cancelled.",
    ],
)
def test_no_effective_date_when_none_is_said(text):
    notice = read_notice(text)
    assert notice.kind == CANCEL
    assert notice.effective_date is None


# ---- reinstatements and non-renewals ----------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "NOTICE OF REINSTATEMENT\nDate: 12/20/2026\nPolicy GL-100, cancelled effective "
            "12/15/2026, has been reinstated effective 12/22/2026.",
            date(2026, 12, 22),
        ),
        (
            "Date: 12/20/2026\nWe have received your payment: your policy is reinstated "
            "effective 12/15/2026 with no lapse in coverage.",
            date(2026, 12, 15),
        ),
        (
            "Notice date 12/20/2026. We hereby rescind our notice of cancellation of policy "
            "GL-100; reinstatement date: December 15, 2026.",
            date(2026, 12, 15),
        ),
        (
            "Date: 12/20/2026\nThe cancellation notice is withdrawn. The policy remains in "
            "force as if never cancelled.",
            None,
        ),
    ],
)
def test_a_reinstatement_is_told_from_a_cancellation(text, expected):
    notice = read_notice(text)
    assert notice.kind == REINSTATE
    assert notice.effective_date == expected


def test_a_promise_to_reinstate_is_still_a_cancellation():
    text = (
        "Your policy will be cancelled effective 12/15/2026. If payment is received before "
        "then, your policy is reinstated with no lapse."
    )
    assert read_notice(text).kind == CANCEL


@pytest.mark.parametrize(
    "text",
    [
        "NOTICE OF NON-RENEWAL\nDate: 11/01/2026\nPolicy GL-100 will not be renewed. "
        "It expires on 01/01/2027.",
        "Date: 11/01/2026\nWe decline to renew policy GL-100; nonrenewal effective 01/01/2027.",
    ],
)
def test_a_non_renewal_takes_effect_when_the_policy_expires(text):
    notice = read_notice(text)
    assert notice.kind == NON_RENEW
    assert notice.effective_date == date(2027, 1, 1)
    assert notice.letter_date == date(2026, 11, 1)


@pytest.mark.parametrize(
    "text",
    [
        # ACORD 25's own clause is no notice.
        "SHOULD ANY OF THE ABOVE DESCRIBED POLICIES BE CANCELLED BEFORE THE EXPIRATION DATE "
        "THEREOF, NOTICE WILL BE DELIVERED IN ACCORDANCE WITH THE POLICY PROVISIONS.",
        "Hello, where do I send our certificate of insurance?",
        "",
        None,
    ],
)
def test_other_texts_are_no_notice(text):
    assert notice_kind(text) is None


def test_a_certificate_letter_is_no_notice():
    text = extract(fx.nonacord_pdf()).text
    assert text.strip()
    assert notice_kind(text) is None


def test_the_drawn_cancellation_notice_is_read():
    text = extract(fx.cancellation_pdf("GL-100", effective="07/01/2026")).text
    notice = read_notice(text)
    assert (notice.kind, notice.effective_date) == (CANCEL, date(2026, 7, 1))
    assert notice.policy_numbers == ("GL-100",)
    assert notice.insured == "Granite Peak Roofing LLC"


# ---- what the notice names --------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Policy number: GL-100", ("GL-100",)),
        ("Policy No. CPP 1234567 was cancelled", ()),  # a space splits it: matched on file
        ("Policy #: BA-778899\nInsured: X", ("BA-778899",)),
        ("Policy numbers: GL-100, AU-200 and WC-300", ("GL-100", "AU-200", "WC-300")),
        ("Your policy GL-2026-0042 has been cancelled", ("GL-2026-0042",)),
        ("Policy period: 01/01/2026 to 01/01/2027", ()),
        ("The policy is cancelled.", ()),
    ],
)
def test_policy_numbers_after_their_label(text, expected):
    assert policy_numbers(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Named insured: Granite Peak Roofing LLC\nPolicy: GL-1", "Granite Peak Roofing LLC"),
        ("Insured: Acme Paving Inc  Policy number: GL-100", "Acme Paving Inc"),
        ("Named Insured:\nTest Roofing LLC\n12 Main St", "Test Roofing LLC"),
        ("Insured's name - Beta Electric", "Beta Electric"),
        ("Dear customer, your policy is cancelled.", None),
    ],
)
def test_the_insured_after_its_label(text, expected):
    assert insured_name(text) == expected


@pytest.mark.parametrize(
    ("text", "number", "named"),
    [
        ("Policy number: GL-100", "GL-100", True),
        ("policy gl 100 is cancelled", "GL-100", True),
        ("Policy GL100.", "GL-100", True),
        ("Policy GL-1000", "GL-100", False),  # another, longer number
        ("Policy XGL-100", "GL-100", False),
        ("Policy GL-100-A", "GL-100", False),
        ("Policy CPP 1234567", "CPP1234567", True),
        ("Policy GL-1", "GL-1", False),  # too short to tell
        ("", "GL-100", False),
    ],
)
def test_a_policy_is_named_by_its_number(text, number, named):
    assert names_policy(text, number) is named


# ---- dates ------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "12/15/2026",
        "12-15-2026",
        "12/15/26",
        "2026-12-15",
        "2026/12/15",
        "December 15, 2026",
        "Dec. 15, 2026",
        "Dec 15 2026",
        "December 15th, 2026",
        "15 December 2026",
        "15th day of December, 2026",
        "15/12/2026",  # day first when it can only be
    ],
)
def test_dates_in_every_usual_spelling(text):
    assert [hit.value for hit in find_dates(f"effective {text} at noon")] == [EFFECTIVE]


def test_impossible_dates_and_times_are_no_dates():
    assert find_dates("02/30/2026 at 12:01 AM, phone 555-123-4567, amount 1,000,000") == []


# ---- any phrasing, any date spelling: the effective date wins ---------------

SPELLINGS = [
    lambda d: d.strftime("%m/%d/%Y"),
    lambda d: f"{d.month}/{d.day}/{d:%y}",
    lambda d: d.isoformat(),
    lambda d: d.strftime("%B ") + f"{d.day}, {d.year}",
    lambda d: d.strftime("%b. ") + f"{d.day}, {d.year}",
    lambda d: f"{d.day} " + d.strftime("%B %Y"),
]
LETTER_LINES = [
    "Date: {letter}",
    "Notice date: {letter}",
    "Mailing date {letter}",
    "{letter}",
    "Dated {letter}",
    "Date of this notice: {letter}",
]
EFFECTIVE_LINES = [
    "Your policy is cancelled effective {effective} at 12:01 AM.",
    "The policy will be cancelled on {effective}.",
    "Effective date of cancellation: {effective}",
    "Cancellation date: {effective}",
    "This policy is hereby cancelled as of {effective}, 12:01 a.m. standard time.",
    "On {effective}, your policy will be cancelled.",
]


@settings(max_examples=300, deadline=None)
@given(
    letter=st.dates(date(2000, 1, 1), date(2060, 12, 31)),
    days=st.integers(-60, 120).filter(bool),
    letter_spelling=st.sampled_from(SPELLINGS),
    effective_spelling=st.sampled_from(SPELLINGS),
    letter_line=st.sampled_from(LETTER_LINES),
    effective_line=st.sampled_from(EFFECTIVE_LINES),
    period=st.booleans(),
)
def test_any_cancellation_letter_is_read_at_its_effective_date(
    letter, days, letter_spelling, effective_spelling, letter_line, effective_line, period
):
    effective = letter + timedelta(days=days)
    lines = [
        "NOTICE OF CANCELLATION",
        letter_line.format(letter=letter_spelling(letter)),
        "Named insured: Granite Peak Roofing LLC",
        "Policy number: GL-2026-0042",
    ]
    if period:
        start, end = date(letter.year - 1, 6, 1), date(letter.year, 6, 1)
        lines.append(f"Policy period: {start:%m/%d/%Y} to {end:%m/%d/%Y}")
    lines.append(effective_line.format(effective=effective_spelling(effective)))
    notice = read_notice("\n".join(lines))
    assert notice.kind == CANCEL
    assert notice.effective_date == effective
    assert notice.letter_date == letter
    assert notice.policy_numbers == ("GL-2026-0042",)
    assert notice.insured == "Granite Peak Roofing LLC"


def test_the_numbers_a_text_names_among_many_on_file():
    on_file = [f"GL-{n}" for n in range(100, 20100)] + ["CPP 1234567", None, ""]
    text = "Policy numbers: GL-1000 and cpp-1234567; not GL-10000-A"
    assert named_policies(text, on_file) == ["GL-1000", "CPP 1234567"]


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_any_text_reads_without_error(text):
    notice = read_notice(text)
    assert notice.kind in (None, CANCEL, REINSTATE, NON_RENEW)
    assert set(notice.to_dict()) >= {"kind", "effective_date", "letter_date"}
