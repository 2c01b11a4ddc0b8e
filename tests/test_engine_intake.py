"""The one intake door's rules: limits, type by content, clean names."""

import tracemalloc

import coi_fixtures as fx
import pytest
from coi_engine import intake

PDF = fx.nonacord_pdf()
PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 100


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("../../../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\me\\Desktop\\coi 2026.pdf", "coi 2026.pdf"),
        ("cert\x00ificate\r\n.pdf", "certificate.pdf"),
        ("   .hidden.pdf  ", "hidden.pdf"),
        ("", "certificate"),
        (None, "certificate"),
        ("../..", "certificate"),
        (b"caf\xc3\xa9.pdf", "café.pdf"),
    ],
)
def test_clean_filename(given, stored):
    assert intake.clean_filename(given) == stored


def test_clean_filename_keeps_the_extension_of_a_long_name():
    name = intake.clean_filename("x" * 500 + ".pdf")
    assert len(name) == intake.MAX_NAME_LENGTH
    assert name.endswith(".pdf")


def test_a_nameless_file_is_named_after_its_type():
    assert intake.clean_filename("", "pdf") == "certificate.pdf"


def test_check_file_types_by_content_not_by_name():
    assert intake.check_file(PDF) == ("application/pdf", None)
    assert intake.check_file(PNG) == ("image/png", None)
    assert intake.check_file(b"<html>hello</html>") == (None, intake.WRONG_TYPE)
    assert intake.check_file(b"") == (None, intake.EMPTY)
    assert intake.check_file(None) == (None, intake.EMPTY)
    big = PDF + b"0" * intake.MAX_FILE_BYTES
    assert intake.check_file(big) == (None, intake.TOO_LARGE)


def test_a_web_page_holding_a_pdf_is_no_pdf():
    assert intake.check_file(fx.html_with_pdf()) == (None, intake.WRONG_TYPE)
    # Not even with the little leading junk PDF viewers tolerate.
    assert intake.check_file(b"\n" + PDF) == (None, intake.WRONG_TYPE)
    assert intake.check_file(b"\xef\xbb\xbf" + PDF) == (None, intake.WRONG_TYPE)


def test_a_pdf_is_taken_only_when_it_opens_as_one():
    assert intake.check_file(b"%PDF-1.7\n" + b"0" * 100) == (None, intake.DAMAGED)
    assert intake.check_file(b"%PDF-1.4\n<html><body>hello</body></html>") == (
        None,
        intake.DAMAGED,
    )
    assert intake.check_file(fx.corrupted_pdf()) == (None, intake.DAMAGED)
    assert intake.check_file(fx.zero_page_pdf()) == (None, intake.DAMAGED)
    # Opens only with its password: taken, the reader says why it cannot read it.
    assert intake.check_file(fx.encrypted_pdf()) == ("application/pdf", None)
    assert intake.check_file(fx.many_pages_pdf(n=2000)) == ("application/pdf", None)


def test_a_deflate_bomb_is_taken_without_being_opened():
    """1 MB inflating to 1.1 GB: the door inflates at most its budget, in
    small pieces it throws away, and leaves the rest to the capped reader."""
    bomb = fx.deflate_bomb_pdf()
    tracemalloc.start()
    try:
        assert intake.check_file(bomb) == ("application/pdf", None)
        _size, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 8 * 2**20, f"the check held {peak / 2**20:.0f} MB"


def test_triage_accepts_up_to_the_limit_and_says_why_it_refuses():
    files = [(f"c{i}.pdf", PDF) for i in range(intake.MAX_FILES + 2)]
    files += [("../notes.txt", b"plain text"), ("empty.pdf", b"")]
    accepted, refused = intake.triage(files)
    assert len(accepted) == intake.MAX_FILES
    assert accepted[0] == ("c0.pdf", PDF, "application/pdf")
    assert refused == [
        (f"c{intake.MAX_FILES}.pdf", intake.TOO_MANY),
        (f"c{intake.MAX_FILES + 1}.pdf", intake.TOO_MANY),
        ("notes.txt", intake.TOO_MANY),
        ("empty.pdf", intake.TOO_MANY),
    ]
    accepted, refused = intake.triage([("../notes.txt", b"plain text"), ("e.pdf", b"")])
    assert accepted == []
    assert refused == [("notes.txt", intake.WRONG_TYPE), ("e.pdf", intake.EMPTY)]
