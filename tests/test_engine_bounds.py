"""Reading is bounded: what a request may read at once, the reading job's
child process with capped memory and time, and reading strategies that
fail alone (issue 14, "Uploads are bounded")."""

import resource
import tracemalloc
import zlib

import coi_fixtures as fx
import pytest
from coi_engine import extract
from coi_engine.extract import OverBudget, budget, extract_isolated, isolated

EXPECTED = fx.expected(fx.SAMPLE)


def test_short_certificates_fit_the_quick_read():
    for maker in (fx.layout_pdf, fx.acroform_pdf, fx.xfa_pdf, fx.freetext_pdf, fx.packet_pdf):
        assert budget.fits_quick_read(maker()), maker.__name__


@pytest.mark.parametrize(
    "maker",
    [
        lambda: fx.many_pages_pdf(n=2000),  # pages
        lambda: fx.many_pages_pdf(n=6),
        fx.deflate_bomb_pdf,  # what its streams inflate to
        fx.scanned_pdf,  # needs OCR; its picture inflates to 3.7 MB
        fx.scan_png,  # images wait for OCR in the job
        fx.encrypted_pdf,  # streams cannot be measured before decryption
        fx.corrupted_pdf,
        lambda: fx.layout_pdf() + b"%" * budget.QUICK_BYTES,  # size
    ],
)
def test_the_rest_waits_for_the_reading_job(maker):
    assert not budget.fits_quick_read(maker())


def test_measuring_a_bomb_costs_the_budget_not_its_size():
    bomb = fx.deflate_bomb_pdf()
    tracemalloc.start()
    try:
        cost = budget.stream_cost(bomb, budget.QUICK_DECODED)
        _size, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert budget.QUICK_DECODED < cost.decoded < budget.QUICK_DECODED + 2**20
    assert peak < 2**20
    assert budget.stream_cost(fx.deflate_bomb_pdf(3 * 2**20), 10**9).decoded == 3 * 2**20


def _pdf_with_stream(dictionary, data):
    return (
        b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n2 0 obj\n"
        + dictionary
        + b"\nstream\n"
        + data
        + b"\nendstream\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
    )


def test_filters_are_followed_as_the_reader_would():
    zeros = zlib.compress(b"0" * 100_000)
    plain = _pdf_with_stream(b"<< /Length %d /Filter /FlateDecode >>" % len(zeros), zeros)
    assert budget.stream_cost(plain, 10**9) == budget.Cost(100_000, True)
    # #xx in a name spells the same filter.
    escaped = _pdf_with_stream(b"<< /Filter /Fl#61teDecode >>", zeros)
    assert budget.stream_cost(escaped, 10**9).decoded == 100_000
    # A chain inflates twice: counted twice over, within the limit.
    twice = zlib.compress(zeros)
    chained = _pdf_with_stream(b"<< /Filter [/FlateDecode /FlateDecode] >>", twice)
    assert budget.stream_cost(chained, 10**9).decoded == 100_000
    # Text layers drawn by reportlab: ASCII85, then Flate.
    assert budget.stream_cost(fx.layout_pdf(), 10**9).decoded > len(fx.layout_pdf())
    # What cannot be measured is said so.
    for dictionary in (
        b"<< /Filter /LZWDecode >>",
        b"<< /Filter /RL >>",
        b"<< /Filter 7 0 R >>",
        b"<< /Filter /FlateDecode /DecodeParms << /Filter /A85 >> >>",
    ):
        cost = budget.stream_cost(_pdf_with_stream(dictionary, zeros), 10**9)
        assert not cost.measured, dictionary
    assert not budget.stream_cost(fx.encrypted_pdf(), 10**9).measured


def test_pages_are_counted_without_reading_them():
    assert budget.page_count(fx.many_pages_pdf(n=2000)) == 2000
    assert budget.page_count(fx.deflate_bomb_pdf()) == 1
    assert budget.page_count(fx.corrupted_pdf()) is None
    assert budget.page_count(fx.not_a_pdf()) is None


def test_a_reading_with_a_time_budget_stops_when_it_runs_out():
    with pytest.raises(OverBudget):
        extract(fx.many_pages_pdf(n=30), use_ocr=False, seconds=0)
    assert extract(fx.layout_pdf(), use_ocr=False, seconds=60).certificate_page == 1


def test_a_reading_with_a_processor_budget_stops_when_it_runs_out():
    """The request's budget counts the processor time of its thread: time
    spent waiting for the processor on a busy machine is not spent."""
    with pytest.raises(OverBudget):
        extract(fx.many_pages_pdf(n=30), use_ocr=False, cpu_seconds=0)
    assert extract(fx.layout_pdf(), use_ocr=False, cpu_seconds=60).certificate_page == 1


def test_the_job_reads_in_a_child_process_and_gets_the_same_reading():
    assert extract_isolated(fx.layout_pdf()) == extract(fx.layout_pdf())
    result = extract_isolated(fx.packet_pdf())
    assert result.certificate_page == 2
    assert result.text == extract(fx.packet_pdf()).text


def test_a_deflate_bomb_is_too_large_to_read_and_only_the_child_pays():
    """1 MB inflating to 1.1 GB, read under the job's cap: the child runs out
    of memory and says so; this process does not grow."""
    bomb = fx.deflate_bomb_pdf()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    result = extract_isolated(bomb)
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert result.error == isolated.TOO_LARGE == "The file could not be read: too large to read."
    assert grown_mb < 50
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    assert children < isolated.MAX_MEMORY / 2**20  # the cap held in the child


def test_a_reading_that_takes_too_long_is_stopped():
    result = extract_isolated(fx.many_pages_pdf(n=200), max_seconds=0.01)
    assert result.error == isolated.TOO_SLOW


def test_a_damaged_annotation_costs_its_strategy_not_the_certificate():
    result = extract(fx.damaged_annotation_pdf(), use_ocr=False)
    assert result.error is None
    assert result.method == "text"
    got = result.to_dict()
    assert got["insured"] == EXPECTED["insured"]
    assert got["certificate_number"] == EXPECTED["certificate_number"]
    assert {c["type"]: c["policy_number"] for c in got["coverages"]} == {
        c["type"]: c["policy_number"] for c in EXPECTED["coverages"]
    }
    assert [w for w in result.warnings if "could not be read" in w] == [
        "The FreeText annotations could not be read (TypeError); the rest of the file was read."
    ]


def _broken(*args):
    raise TypeError("damaged")


def _failed(result):
    return [w for w in result.warnings if "could not be read" in w]


def test_every_strategy_fails_alone(monkeypatch):
    from coi_engine.extract import acroform, ocr, reader

    with monkeypatch.context() as patch:
        patch.setattr(acroform, "read_xfa_fields", _broken)
        result = extract(fx.acroform_pdf())
    assert (result.method, result.insured["name"]) == ("acroform", fx.SAMPLE["insured"]["name"])
    assert _failed(result) == [
        "The XFA data could not be read (TypeError); the rest of the file was read."
    ]

    with monkeypatch.context() as patch:
        patch.setattr(acroform, "read_fields", _broken)
        result = extract(fx.xfa_pdf())
    assert result.insured["name"] == fx.SAMPLE["insured"]["name"]  # from the XFA data
    assert _failed(result) == [
        "The AcroForm fields could not be read (TypeError); the rest of the file was read."
    ]

    with monkeypatch.context() as patch:
        patch.setattr(reader, "_text_words", _broken)
        result = extract(fx.acroform_pdf())
    assert (result.method, result.insured["name"]) == ("acroform", fx.SAMPLE["insured"]["name"])
    assert _failed(result) == [
        "The text layout could not be read (TypeError); the rest of the file was read."
    ]

    if ocr.available():
        with monkeypatch.context() as patch:
            patch.setattr(ocr, "scan", _broken)
            result = extract(fx.scan_png())
        # Nothing else could read a picture: the error says which way failed.
        assert result.error == "The file could not be read: page image (OCR) (TypeError)."
        assert _failed(result) == [
            "The page image (OCR) could not be read (TypeError); the rest of the file was read."
        ]


def test_a_file_no_strategy_can_read_says_why():
    from coi_engine.extract import reader

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(reader, "_text_words", _broken)
        patch.setattr(reader, "_annotation_words", _broken)
        result = extract(fx.layout_pdf(), use_ocr=False)
    assert result.error == (
        "The file could not be read: text layout (TypeError), FreeText annotations (TypeError)."
    )
