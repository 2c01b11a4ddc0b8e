"""The scan simulator (coi_fixtures.simulate and friends): drawn
certificates turned into the scans and faxes the reader must handle."""

import io

import coi_fixtures as fx
import pdfplumber
import pytest
from PIL import Image, ImageChops, ImageStat

DPI = 100  # small images: the simulator's behaviour, not OCR, is tested here


@pytest.fixture(scope="module")
def pdf():
    return fx.layout_pdf()


@pytest.fixture(scope="module")
def page(pdf):
    return fx.render_pages(pdf, DPI)[0]


def _ink_box(image):
    """The bounding box of the dark pixels."""
    return ImageChops.invert(image.convert("L").point(lambda v: 255 if v > 128 else 0)).getbbox()


def test_pages_render_at_the_dpi_asked(page):
    assert page.mode == "L"
    assert page.size == (850, 1100)  # US letter at 100 dpi
    assert page.info["dpi"] == (DPI, DPI)


@pytest.mark.parametrize("degrees", [90, 180, 270])
def test_rotation_turns_the_page_and_its_ink(page, degrees):
    turned = fx.degrade(page, rotate=degrees)
    assert turned.size == (page.size if degrees == 180 else page.size[::-1])
    back = turned.rotate(-degrees, expand=True)
    assert ImageChops.difference(back, page).getbbox() is None


def test_rotation_by_90_puts_the_top_of_the_form_on_the_left(page):
    # The heading of the form is at the top of the page: ink in the top rows.
    top_band = page.crop((0, 0, page.width, 150))
    turned = fx.degrade(page, rotate=90)
    left_band = turned.crop((0, 0, 150, turned.height))
    assert ImageStat.Stat(left_band).mean[0] == pytest.approx(ImageStat.Stat(top_band).mean[0])


@pytest.mark.parametrize("degrees", [0.3, 1.0, -2.0])
def test_small_skew_tilts_the_ruling_lines(page, degrees):
    skewed = fx.degrade(page, skew=degrees)
    assert skewed.size == page.size
    assert ImageChops.difference(skewed, page).getbbox() is not None
    # Turned back by the same angle, the page is close to the original again.
    back = skewed.rotate(-degrees, resample=Image.BICUBIC, fillcolor=255)
    margin = (100, 100, page.width - 100, page.height - 100)
    error = ImageStat.Stat(ImageChops.difference(back.crop(margin), page.crop(margin))).mean[0]
    assert error < ImageStat.Stat(ImageChops.difference(skewed, page)).mean[0]


def test_noise_is_gray_noise_and_repeatable(page):
    noisy = fx.degrade(page, noise=18.0, seed=3)
    assert ImageStat.Stat(ImageChops.difference(noisy, page)).mean[0] > 5
    assert ImageChops.difference(noisy, fx.degrade(page, noise=18.0, seed=3)).getbbox() is None
    assert ImageChops.difference(noisy, fx.degrade(page, noise=18.0, seed=4)).getbbox()


def test_blur_softens_the_edges(page):
    blurred = fx.degrade(page, blur=1.5)
    sharp_gray = sum(1 for v in page.getdata() if 40 < v < 215)
    blurred_gray = sum(1 for v in blurred.getdata() if 40 < v < 215)
    assert blurred_gray > 2 * sharp_gray


def test_jpeg_compression_leaves_artefacts(page):
    compressed = fx.degrade(page, jpeg_quality=30)
    assert compressed.mode == "L" and compressed.size == page.size
    assert ImageChops.difference(compressed, page).getbbox() is not None


def test_fax_is_black_and_white_at_200_by_100_dpi(pdf):
    fax = fx.simulate(pdf, dpi=200, fax=True)[0]
    assert fax.mode == "1"
    assert fax.info["dpi"] == (200, 100)
    assert fax.size == (1700, 1100)  # letter: 8.5 in x 200, 11 in x 100
    assert set(fax.convert("L").getdata()) == {0, 255}


def test_scanned_pdf_has_only_the_image_at_the_page_size_scanned(pdf):
    images = fx.simulate(pdf, dpi=DPI, rotate=90) + fx.simulate(pdf, dpi=200, fax=True)
    with pdfplumber.open(io.BytesIO(fx.images_pdf(images))) as scanned:
        assert len(scanned.pages) == 2
        landscape, fax = scanned.pages
        assert (landscape.width, landscape.height) == pytest.approx((792, 612))
        assert (fax.width, fax.height) == pytest.approx((612, 792))  # stretched back to letter
        for each in scanned.pages:
            assert not each.chars and len(each.images) == 1


def test_png_keeps_the_image_and_its_dpi(page):
    image = Image.open(io.BytesIO(fx.image_png(page)))
    assert image.size == page.size
    assert image.info["dpi"] == pytest.approx((DPI, DPI), abs=0.1)
    assert ImageChops.difference(image.convert("L"), page).getbbox() is None


def test_multi_page_tiff_holds_every_page(pdf):
    faxed = fx.simulate(fx.packet_pdf(), dpi=200, fax=True)
    assert len(faxed) == 3
    tiff = Image.open(io.BytesIO(fx.images_tiff(faxed)))
    assert tiff.n_frames == 3
    assert tiff.info["compression"] == "group4"
    assert tiff.info["dpi"] == pytest.approx((200, 100), abs=0.1)
    gray = Image.open(io.BytesIO(fx.images_tiff(fx.simulate(pdf, dpi=DPI))))
    assert gray.n_frames == 1 and gray.mode == "L"


def test_every_named_case_makes_a_readable_file(pdf):
    for how in fx.SCAN_CASES.values():
        images = fx.simulate(pdf, dpi=DPI, **how)
        assert _ink_box(images[0]) is not None
        assert fx.images_pdf(images).startswith(b"%PDF-")
