"""The OCR path on scans the project draws: a certificate rendered to an
image, then turned, skewed, noised or sent at fax resolution, read back."""

import io

import coi_fixtures as fx
import numpy as np
import pytest
from coi_engine import extract
from coi_engine.extract import ocr
from PIL import Image

EXPECTED = fx.expected(fx.SAMPLE)


def noised(image, sigma=25, seed=7):
    rng = np.random.default_rng(seed)
    pixels = np.asarray(image.convert("L")).astype(np.int16)
    pixels = pixels + rng.normal(0, sigma, pixels.shape).astype(np.int16)
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))


def assert_reads_the_certificate(result):
    assert result.error is None
    assert result.method == "ocr"
    assert result.certificate_page == 1
    got = result.to_dict()
    for party in ("producer", "insured"):
        assert got[party]["name"] == EXPECTED[party]["name"], party
        assert got[party]["address"] == EXPECTED[party]["address"], party
    assert got["certificate_date"] == EXPECTED["certificate_date"]
    coverages = {c["type"]: c for c in got["coverages"]}
    assert set(coverages) == {c["type"] for c in EXPECTED["coverages"]}
    for expected in EXPECTED["coverages"]:
        read = coverages[expected["type"]]
        for key in ("policy_number", "effective_date", "expiration_date"):
            assert read[key] == expected[key], (expected["type"], key)
    gl = next(c for c in EXPECTED["coverages"] if c["type"] == "GL")
    assert coverages["GL"]["limits"] == gl["limits"]
    assert set(result.snippets) == set(result.regions)  # each value's image for a person


def test_rule_removal_takes_the_lines_and_leaves_the_letters():
    pixels = np.full((400, 600), 255, dtype=np.uint8)
    pixels[100:103, 20:580] = 30  # a rule across
    pixels[20:380, 300:302] = 40  # a rule down
    pixels[150:190, 100:130] = 0  # a letter's blot: shorter than a quarter inch
    pixels[99, 20:580] = 200  # the scanner's gray edge beside the rule
    mask = ocr.rule_mask(pixels)
    cleaned = ocr.remove_rules(pixels, mask)
    assert mask[100:103, 20:580].all() and mask[20:380, 300:302].all()
    assert mask[99, 20:580].all()
    assert not mask[150:190, 100:130].any()
    assert (cleaned[150:190, 100:130] == 0).all()
    assert (cleaned[mask] == 255).all()
    assert mask.sum() == mask[95:105].sum() + mask[:, 296:306].sum() - mask[95:105, 296:306].sum()


def test_rule_removal_on_a_drawn_scan_keeps_every_word():
    """The form's lines go; the words read beside them stay."""
    image = ocr.normalise(fx.scan_image(dpi=150))
    pixels = np.asarray(image)
    mask = ocr.rule_mask(pixels)
    across, down = ocr._rule_lengths(ocr.remove_rules(pixels, mask))
    assert across == down == 0
    assert 0.005 < mask.mean() < 0.1  # lines, not the page
    scan = ocr.scan(image)
    assert scan.rules.shape == scan.image.shape == (image.height, image.width)
    text = " ".join(w.text for w in scan.words)
    for value in ("GL-7781234", "UMB-3308812", "Granite", "Quarry", "1,000,000", "12345"):
        assert value in text


@pytest.mark.parametrize("degrees", [0.4, -0.4, 2.5])
def test_the_skew_comes_from_the_form_s_rules(degrees):
    """A generic deskew reported 0 degrees on real pages skewed 0.4."""
    image = fx.scan_image(dpi=150, skew_degrees=degrees)
    pixels = np.asarray(ocr.normalise(image))
    assert ocr.rule_skew(pixels) == pytest.approx(-degrees, abs=0.06)


def test_a_page_without_rules_has_no_rule_skew():
    assert ocr.rule_skew(np.full((3300, 2550), 255, dtype=np.uint8)) is None
    assert ocr.sideways(np.full((3300, 2550), 255, dtype=np.uint8)) is None


@pytest.mark.parametrize("turn", [Image.ROTATE_90, Image.ROTATE_270])
def test_a_form_on_its_side_is_set_upright(turn):
    image = ocr.normalise(fx.scan_image(dpi=150).transpose(turn))
    turns = ocr.upright_turns(image)
    upright = image.transpose({1: Image.ROTATE_90, 3: Image.ROTATE_270}[turns])
    assert ocr.sideways(np.asarray(upright)) is False
    assert turns == (1 if turn == Image.ROTATE_270 else 3)


def test_a_phone_photo_turned_askew_and_noisy_is_read():
    image = noised(fx.scan_image(dpi=200, skew_degrees=0.8)).rotate(90, expand=True)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=70)
    assert_reads_the_certificate(extract(buffer.getvalue()))


def test_a_fax_tiff_upside_down_is_read_page_by_page():
    """Fax resolution (204 x 98 dpi, one bit, thresholded as a fax machine
    does), two pages, the certificate fed upside down: every page is read,
    the certificate the right way up."""
    page = fx.scan_image(dpi=204).rotate(180)
    fax = page.resize((page.width, round(page.height * 98 / 204)))
    fax = fax.point(lambda v: 255 if v > 150 else 0).convert("1", dither=Image.Dither.NONE)
    cover = Image.new("1", fax.size, 1)
    buffer = io.BytesIO()
    cover.save(
        buffer,
        format="TIFF",
        save_all=True,
        append_images=[fax],
        dpi=(204, 98),
        compression="group4",
    )
    result = extract(buffer.getvalue())
    assert [p.number for p in result.pages] == [1, 2]
    assert result.certificate_page == 2
    got = result.to_dict()
    assert got["insured"] == EXPECTED["insured"]
    assert got["certificate_date"] == EXPECTED["certificate_date"]
    coverages = {c["type"]: c for c in got["coverages"]}
    assert {t: c["policy_number"] for t, c in coverages.items()} == {
        c["type"]: c["policy_number"] for c in EXPECTED["coverages"]
    }
    # The next step (the cell grid) is for the rest: at fax resolution the
    # layout reader still loses some dates and limits.
    for expected in EXPECTED["coverages"][:2]:
        read = coverages[expected["type"]]
        assert (read["effective_date"], read["expiration_date"]) == (
            expected["effective_date"],
            expected["expiration_date"],
        )


def test_the_tesseract_call_is_single_threaded_and_timed(monkeypatch):
    seen = {}

    def run(command, **options):
        seen.update(options, command=command)
        raise ocr.subprocess.TimeoutExpired(command, options["timeout"])

    monkeypatch.setattr(ocr.subprocess, "run", run)
    with pytest.raises(ocr.PageOverBudget):
        ocr._words(Image.new("L", (200, 200), 255), None, 10)
    assert seen["env"]["OMP_THREAD_LIMIT"] == "1"
    assert seen["timeout"] == ocr.PAGE_SECONDS
    assert "--psm" in seen["command"] and "11" in seen["command"]


def test_a_dollar_sign_read_as_a_letter_is_a_dollar_sign_again():
    Word = ocr.Word
    words = [
        Word("MED", 400, 412, 300, 306),
        Word("5", 497, 501, 300, 306),
        Word("10,000", 504, 530, 300, 306),
        Word("5", 100, 104, 320, 326),  # a 5 that counts: "5 units"
        Word("units", 106, 130, 320, 326),
    ]
    keys = [(1, 1, 1, 1)] * 3 + [(1, 2, 1, 1)] * 2
    ocr._dollar_signs(words, keys)
    assert [w.text for w in words] == ["MED", "$", "10,000", "5", "units"]
