"""How sure each value read off a scan is, and where it was read: a clean
scan's values are as sure as a text layer's (accepted without a person),
a doubtful word lowers its value alone, and each value keeps the image of
its region for the reviewer."""

import base64
import io

import coi_fixtures as fx
import pytest
from coi_engine.extract import layout
from coi_engine.extract.model import FAIR, GOOD, LOW, Extraction
from PIL import Image


@pytest.fixture(scope="module")
def clean_scan():
    return fx.images_pdf(fx.simulate(fx.layout_pdf()))


def test_a_clean_scan_is_read_as_surely_as_its_text_layer(clean_scan):
    from coi_engine import extract

    result = extract(clean_scan)
    assert result.method == "ocr"
    for coverage in result.coverages:
        assert coverage.policy_number and coverage.effective_date and coverage.expiration_date
        low = {k: v for k, v in coverage.confidence.items() if v < GOOD}
        assert not low, (coverage.type, low)
    assert result.confidence["insured.name"] == GOOD


def test_every_value_of_a_scan_has_its_region_and_image(clean_scan):
    from coi_engine import extract

    result = extract(clean_scan)
    gl = next(i for i, c in enumerate(result.coverages) if c.type == "GL")
    for key in (
        "insured.name",
        "certificate_date",
        f"coverages.{gl}.policy_number",
        f"coverages.{gl}.insurer_letter",
        f"coverages.{gl}.additional_insured",
        f"coverages.{gl}.limits.EACH_OCCURRENCE",
    ):
        page, x0, top, x1, bottom = result.regions[key]
        assert page == 1 and 0 <= x0 < x1 <= 612 and 0 <= top < bottom <= 792, key
        image = Image.open(io.BytesIO(base64.b64decode(result.snippets[key])))
        # The image of one line of the page: a few points high.
        assert image.width > 10 and 10 < image.height < 100, key
    snippet = result.snippets[f"coverages.{gl}.policy_number"]
    image = Image.open(io.BytesIO(base64.b64decode(snippet)))
    assert image.width > 3 * image.height
    # The policy number's region lies in the policy number column, on the GL row.
    _page, x0, top, _x1, _bottom = result.regions[f"coverages.{gl}.policy_number"]
    letter = result.regions[f"coverages.{gl}.insurer_letter"]
    assert x0 > letter[3] and abs(top - letter[2]) < 4
    # Snippets travel from the reading's child process (JSON), not into the
    # stored summary of the reading.
    assert Extraction.from_plain(result.to_plain()).snippets == result.snippets
    assert "snippets" not in result.to_dict()


def test_a_text_layer_has_regions_and_no_snippets():
    from coi_engine import extract

    result = extract(fx.layout_pdf())
    assert result.method == "text"
    assert result.regions["insured.name"][0] == 1
    assert result.snippets == {}


def test_a_doubtful_word_lowers_its_value_alone():
    def word(text, x0, top, confidence=0.96):
        return layout.Word(text, x0, x0 + 5 * len(text), top, top + 8, confidence)

    sure = [word("GL-7781234", 218, 340)]
    doubtful = [word("GL-778I234", 218, 340, confidence=0.7)]
    guess = [word("GL-77B1", 218, 340, confidence=0.3)]
    assert layout.level(sure, GOOD) == GOOD
    assert layout.level(doubtful, GOOD) == FAIR
    assert layout.level(guess, GOOD) == LOW
    result = Extraction(certificate_page=2)
    layout.note(result, "certificate_number", [*sure, word("CN-1", 280, 342, 0.5)], GOOD)
    assert result.confidence["certificate_number"] == LOW
    assert result.regions["certificate_number"] == [2, 218.0, 340.0, 300.0, 350.0]
