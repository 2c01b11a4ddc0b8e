"""Endorsement and declarations pages: form numbers and editions, what an
endorsement does, blanket or scheduled, the names scheduled; the reader
scored on drawn documents (text layer and scans read by OCR); the
requirement for endorsement documents and the sentences a contractor reads."""

import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import coi_fixtures as fx
import pytest
from coi_engine import Policy, Requirement, evaluate, extract, merge_requirements
from coi_engine import vocabulary as V
from coi_engine.datatypes import EndorsementOnFile, RequiredForm
from coi_engine.extract import Extraction, extract_isolated, ocr
from coi_engine.extract import endorsements as E
from coi_engine.extract.classify import classify
from coi_engine.extract.layout import Word
from coi_engine.vocabulary import ENDORSEMENT_KIND_COVERAGE, ENDORSEMENT_KINDS, EndorsementKind

ROOT = Path(__file__).resolve().parents[1]
K = EndorsementKind
DAY = date(2026, 6, 15)
# Measured on this machine: every field of the drawn cases is read right from
# the text layer (119/119), from 200 dpi scans (119/119) and from the packet
# scanned askew (31/31); the thresholds leave room for OCR's variance.
TEXT_THRESHOLD = 1.0
SCAN_THRESHOLD = 0.97
SKEWED_THRESHOLD = 0.95


def words_of(lines, x=54.0, leading=14.0):
    """Words of a page made of `lines` of text, one under the other."""
    words = []
    for row, line in enumerate(lines):
        left = x
        for token in line.split():
            width = 5.0 * len(token)
            words.append(Word(token, left, left + width, 40 + row * leading, 49 + row * leading))
            left += width + 3
    return words


@pytest.mark.parametrize(
    ("printed", "form", "edition"),
    [
        ("CG 20 10 04 13", "CG 20 10", "04 13"),
        ("CG2010 (04/13)", "CG 20 10", "04 13"),
        ("CG 20 10 (04-13)", "CG 20 10", "04 13"),
        ("CG20100413", "CG 20 10", "04 13"),
        ("CG 20 10 0413", "CG 20 10", "04 13"),
        ("CG 20 10 (04/2013)", "CG 20 10", "04 13"),
        ("CG 2O 1O O4 13", "CG 20 10", "04 13"),  # OCR: letter O for zero
        ("CG 20 37 11 85", "CG 20 37", "11 85"),
        ("CA 20 48 10 13", "CA 20 48", "10 13"),
        ("CA 04 44 (10-13)", "CA 04 44", "10 13"),
        ("WC 00 03 13 (Ed. 4-84)", "WC 00 03 13", "04 84"),
        ("WC 42 03 04 B (Ed. 6-14)", "WC 42 03 04", "06 14"),
        ("WC000313", "WC 00 03 13", None),
        ("Form NWS-GL 2210 (01/20)", "NWS-GL 2210", "01 20"),
        ("CG 20 10", "CG 20 10", None),
        ("CG 20 10 13 13", "CG 20 10", None),  # no 13th month: no edition
        ("Policy GL-7781234, page 2 of 3", None, None),
    ],
)
def test_form_numbers_and_editions_are_normalized(printed, form, edition):
    assert E.normalize(printed) == (form, edition)


def test_a_form_number_cited_in_a_sentence_is_not_the_page_s_own():
    assert E.has_printed_form(["CG 20 10 04 13 © Insurance Services Office, Inc., 2012"])
    assert E.has_printed_form(["POLICY NUMBER: GL-1 COMMERCIAL GENERAL LIABILITY CG 20 10 04 13"])
    assert not E.has_printed_form(["Fee for the endorsement CG 20 10 04 13 issued at your request"])


def test_the_1985_edition_of_cg_20_10_also_covers_completed_operations():
    page = [
        "POLICY NUMBER: GL-1 COMMERCIAL GENERAL LIABILITY",
        "THIS ENDORSEMENT CHANGES THE POLICY. PLEASE READ IT CAREFULLY.",
        "ADDITIONAL INSURED - OWNERS, LESSEES OR CONTRACTORS",
        "CG 20 10 11 85 Page 1 of 1",
    ]
    read = E.read_page(words_of(page), 1)
    assert (read.form, read.edition) == ("CG 20 10", "11 85")
    assert read.kinds == [K.AI_ONGOING, K.AI_COMPLETED]
    later = E.read_page(words_of([*page[:3], "CG 20 10 04 13 Page 1 of 1"]), 1)
    assert later.kinds == [K.AI_ONGOING]


def test_a_carrier_s_form_is_known_by_its_title_and_headings():
    page = [
        "POLICY NUMBER: XL-5550001 COMMERCIAL AUTO",
        "THIS ENDORSEMENT CHANGES THE POLICY. PLEASE READ IT CAREFULLY.",
        "BLANKET WAIVER OF SUBROGATION",
        "This endorsement modifies insurance provided under the following:",
        "BUSINESS AUTO COVERAGE FORM",
        "We waive our rights against any person or organization with whom you have agreed",
        "in a written contract to waive them.",
        "Form ZX-A 77 (03/21) Page 1 of 1",
    ]
    read = E.read_page(words_of(page), 1)
    assert (read.form, read.edition, read.coverage) == ("ZX-A 77", "03 21", "AUTO")
    assert read.kinds == [K.AUTO_WAIVER]
    assert read.blanket is True
    assert read.policy_number == "XL-5550001"


@pytest.mark.parametrize("degrees", [0.0, 1.5, -2.0])
def test_ocr_sets_a_page_scanned_askew_level(degrees):
    assert ocr.skew_angle(fx.scan_image(skew_degrees=degrees)) == pytest.approx(-degrees, abs=0.15)


def test_names_are_matched_like_the_insured_is():
    assert E.names_party(["Example Holdings Inc."], "EXAMPLE HOLDINGS INC")
    assert not E.names_party([fx.OTHER_ORGANIZATION], fx.HOLDER)
    assert not E.names_party([], fx.HOLDER)


def test_an_invoice_that_cites_an_endorsement_is_not_one():
    result = extract(fx.invoice_pdf())
    assert [page.kind for page in result.pages] == ["other"]
    assert result.endorsements == []
    assert "CG 20 10 04 13" in result.text
    # Titled an endorsement and printing its own form number: one.
    assert classify("WAIVER OF OUR RIGHT TO RECOVER FROM OTHERS ENDORSEMENT\nWC 00 03 13") == (
        "endorsement"
    )


# ---- the score -----------------------------------------------------------------

FIELDS = ("form", "edition", "kinds", "blanket", "names", "policy_number", "names_holder")


def _fields_of(endorsement):
    return {
        "form": endorsement.form,
        "edition": endorsement.edition,
        "kinds": sorted(endorsement.kinds),
        "blanket": endorsement.blanket,
        "names": endorsement.names,
        "policy_number": endorsement.policy_number,
        "names_holder": E.names_party(endorsement.names, fx.HOLDER),
        "pages": endorsement.pages,
    }


def score(result, expected):
    """(fields right, fields total, what was wrong) of one reading."""
    right, total, wrong = 0, 0, []

    def count(name, got, want):
        nonlocal right, total
        total += 1
        if got == want:
            right += 1
        else:
            wrong.append(f"{name}: {got!r} != {want!r}")

    kinds = [page.kind for page in result.pages]
    for index, want in enumerate(expected["pages"]):
        count(f"page {index + 1}", kinds[index] if index < len(kinds) else None, want)
    got_endorsements = [_fields_of(e) for e in result.endorsements]
    count("endorsements read", len(got_endorsements), len(expected["endorsements"]))
    for index, want in enumerate(expected["endorsements"]):
        got = got_endorsements[index] if index < len(got_endorsements) else {}
        for name in (*FIELDS, *(("pages",) if "pages" in want else ())):
            count(f"endorsement {index + 1} {name}", got.get(name), want[name])
    for index, want in enumerate(expected.get("declarations", ())):
        got = result.declarations[index] if index < len(result.declarations) else None
        for name in ("policy_number", "effective_date", "expiration_date"):
            count(f"declarations {name}", getattr(got, name, None), want[name])
        for code, amount in want["limits"].items():
            count(f"declarations {code}", (got.limits if got else {}).get(code), amount)
    return right, total, wrong


@pytest.fixture(scope="module")
def text_readings():
    """Each case read once from its text layer."""
    return {name: extract(fx.case_pdf(name)) for name in fx.ENDORSEMENT_CASES}


@pytest.fixture(scope="module")
def scan_readings():
    """Each case read once as a scan (every page an image, read by OCR)."""
    return {name: extract(fx.case_pdf(name, scanned=True)) for name in fx.ENDORSEMENT_CASES}


@pytest.fixture(scope="module")
def skewed_readings():
    """The packet scanned 1.2 degrees askew, as a sheet feeder does."""
    return {"packet": extract(fx.case_pdf("packet", scanned=True, skew_degrees=1.2))}


@pytest.mark.parametrize(
    ("readings", "threshold"),
    [
        ("text_readings", TEXT_THRESHOLD),
        ("scan_readings", SCAN_THRESHOLD),
        ("skewed_readings", SKEWED_THRESHOLD),
    ],
)
def test_the_endorsement_reader_s_score(request, readings, threshold):
    label = readings.replace("_readings", "")
    readings = request.getfixturevalue(readings)
    right = total = 0
    wrong = []
    for name, result in readings.items():
        got_right, got_total, got_wrong = score(result, fx.ENDORSEMENT_CASES[name][1])
        right, total = right + got_right, total + got_total
        wrong += [f"{name}: {w}" for w in got_wrong]
    print(f"\nendorsement reader, {label}: {right}/{total} fields")
    assert total >= (100 if len(readings) > 1 else 30)  # 119 fields in all, 31 in the packet
    assert right / total >= threshold, wrong


def test_scans_are_read_by_ocr_and_say_so(scan_readings):
    result = scan_readings["packet"]
    assert {e.method for e in result.endorsements} == {"ocr"}
    assert all(e.confidence < 0.9 for e in result.endorsements)
    assert "Page 2 (endorsement) was read by OCR: check what was read." in result.warnings


def test_endorsements_and_declarations_survive_the_reading_job(text_readings):
    """The reading job reads in a child process and hands back plain data."""
    result = text_readings["packet"]
    assert Extraction.from_plain(result.to_plain()) == result
    isolated = extract_isolated(fx.case_pdf("packet"))
    assert isolated.endorsements == result.endorsements
    assert isolated.declarations == result.declarations
    shown = result.to_dict()
    assert [e["code"] for e in shown["endorsements"]] == ["CG 20 10 04 13", "CG 20 37 04 13"]
    assert shown["declarations"][0]["policy_number"] == fx.GL_NUMBER


def test_endorsements_alone_are_not_reported_as_a_missing_certificate(text_readings):
    result = text_readings["blanket"]
    assert result.certificate_page is None
    assert "No certificate of insurance was found in the file." not in result.warnings


def test_the_catalog_shipped_is_the_reader_s():
    path = ROOT / "coi_tracking" / "data" / "coi_endorsement_type_data.xml"
    tree = ET.parse(path)  # noqa: S314 - the addon's own data file
    coverage = {"coverage_gl": "GL", "coverage_auto": "AUTO", "coverage_wc_el": "WC_EL"}
    shipped = {
        record.find("field[@name='code']").text: (
            record.find("field[@name='kind']").text,
            coverage[record.find("field[@name='coverage_type_id']").get("ref")],
        )
        for record in tree.getroot().iter("record")
    }
    assert shipped == {
        code: (form.kinds[0], ENDORSEMENT_KIND_COVERAGE[form.kinds[0]])
        for code, form in E.FORMS.items()
    }
    assert {kind for kind, _coverage in shipped.values()} == set(ENDORSEMENT_KINDS)


# ---- what the requirement asks and the sentences ---------------------------------

AI_FORMS = (RequiredForm(K.AI_ONGOING, "CG 20 10"), RequiredForm(K.AI_COMPLETED, "CG 20 37"))


def gl_requirement(**values):
    return Requirement("GL", "General Liability", key=1, endorsement_forms=AI_FORMS, **values)


def gl_policy(*endorsements):
    return Policy(
        "GL",
        number="GL-1",
        effective=date(2026, 1, 1),
        expiration=date(2027, 1, 1),
        endorsements=endorsements,
    )


def sentence(requirement, policy):
    return evaluate([requirement], [policy], DAY).lines[0].sentence


BLANKET_ONGOING = EndorsementOnFile(K.AI_ONGOING, "CG 20 10", blanket=True)


def test_nothing_on_file_asks_for_each_form():
    assert sentence(gl_requirement(), gl_policy()) == (
        "We need an additional insured endorsement for ongoing operations on your General "
        "Liability policy (for example CG 20 10). We need an additional insured endorsement "
        "for completed operations on your General Liability policy (for example CG 20 37)."
    )


def test_ongoing_operations_only():
    result = evaluate([gl_requirement()], [gl_policy(BLANKET_ONGOING)], DAY)
    assert result.status == "non_compliant"
    assert result.lines[0].status == "endorsement_missing"
    assert result.deficiencies[0].endorsement == K.AI_COMPLETED
    assert result.lines[0].sentence == (
        "Your additional insured endorsement covers ongoing operations only; we also need "
        "completed operations (for example CG 20 37)."
    )


def test_a_scheduled_endorsement_counts_only_when_it_names_us():
    elsewhere = EndorsementOnFile(K.AI_COMPLETED, "CG 20 37", names=(fx.OTHER_ORGANIZATION,))
    assert sentence(gl_requirement(), gl_policy(BLANKET_ONGOING, elsewhere)) == (
        "Your additional insured endorsement for completed operations (CG 20 37) names "
        f"{fx.OTHER_ORGANIZATION}, not us; we need one that names us, or a blanket endorsement "
        "(where required by written contract)."
    )
    naming_us = EndorsementOnFile(K.AI_COMPLETED, "CG 20 37", names=(fx.HOLDER,), names_us=True)
    result = evaluate([gl_requirement()], [gl_policy(BLANKET_ONGOING, naming_us)], DAY)
    assert result.status == "compliant"


def test_or_equivalent_takes_any_form_of_the_kind():
    carrier = EndorsementOnFile(K.AI_COMPLETED, "NWS-GL 2210", blanket=True)
    policy = gl_policy(BLANKET_ONGOING, carrier)
    assert evaluate([gl_requirement()], [policy], DAY).status == "compliant"
    exact = gl_requirement(endorsement_equivalent=False)
    assert sentence(exact, policy) == (
        "Your additional insured endorsement for completed operations is form NWS-GL 2210; "
        "we need form CG 20 37 itself."
    )
    assert sentence(exact, gl_policy(BLANKET_ONGOING)) == (
        "Your additional insured endorsement covers ongoing operations only; we also need "
        "completed operations (form CG 20 37; no other form is accepted)."
    )


def test_the_checkbox_alone_does_not_satisfy_a_required_document():
    policy = Policy(
        "GL",
        number="GL-1",
        effective=date(2026, 1, 1),
        expiration=date(2027, 1, 1),
        additional_insured=True,
    )
    required = Requirement(
        "GL", "General Liability", key=1, endorsement_forms=AI_FORMS[1:], additional_insured=True
    )
    result = evaluate([required], [policy], DAY)
    assert [d.endorsement for d in result.deficiencies] == [K.AI_COMPLETED]


def test_merged_requirements_ask_every_form_strictest_wins():
    waiver = Requirement(
        "GL",
        key=2,
        endorsement_forms=(RequiredForm(K.WAIVER_OF_SUBROGATION, "CG 24 04"), AI_FORMS[0]),
    )
    [merged] = merge_requirements([gl_requirement(), waiver])
    assert [f.form for f in merged.endorsement_forms] == ["CG 20 10", "CG 20 37", "CG 24 04"]
    assert merged.endorsement_equivalent
    strict = Requirement(
        "GL",
        key=3,
        endorsement_forms=(RequiredForm(K.AI_ONGOING, "CG 20 26"),),
        endorsement_equivalent=False,
    )
    [merged] = merge_requirements([gl_requirement(), strict])
    assert not merged.endorsement_equivalent
    assert [f.form for f in merged.endorsement_forms] == ["CG 20 10", "CG 20 37", "CG 20 26"]
    [unasked] = merge_requirements([gl_requirement(), Requirement("GL", key=4)])
    assert unasked.endorsement_equivalent and len(unasked.endorsement_forms) == 2


def test_an_invoice_after_the_endorsement_it_cites_is_not_its_next_page():
    result = extract(fx.packet_with_endorsements_pdf(completed=False))
    assert [p.kind for p in result.pages] == ["certificate", "endorsement", "other", "policy_page"]
    assert [e.pages for e in result.endorsements] == [[2]]


def test_the_endorsement_words_are_the_vocabulary_s():
    def codes_of(namespace):
        return {v for k, v in vars(namespace).items() if not k.startswith("_")}

    assert set(ENDORSEMENT_KINDS) == codes_of(V.EndorsementKind)
    assert set(ENDORSEMENT_KIND_COVERAGE) == set(V.ENDORSEMENT_KIND_WORDS) == set(ENDORSEMENT_KINDS)
    assert set(ENDORSEMENT_KIND_COVERAGE.values()) <= set(V.COVERAGE_CODES)
    assert set(V.codes(V.DECLARATIONS_MATCH_SELECTION)) == codes_of(V.DeclarationsMatch)
    for form in E.FORMS.values():
        assert set(form.kinds) <= set(ENDORSEMENT_KINDS)
