"""The generated test certificates are what they claim to be."""

import io

import coi_fixtures as fx
import pdfplumber
import pytest
from coi_engine.extract import acroform as reader
from lxml import etree
from pdfminer.pdftypes import resolve1
from pdfminer.psparser import PSLiteral
from pdfminer.utils import decode_text
from PIL import Image, ImageChops
from PyPDF2 import PdfReader

INSURED = fx.SAMPLE["insured"]["name"]
PRODUCER = fx.SAMPLE["producer"]["name"]


def _open(pdf_bytes, **kw):
    return pdfplumber.open(io.BytesIO(pdf_bytes), **kw)


def _text(pdf_bytes, page=0):
    with _open(pdf_bytes) as pdf:
        return pdf.pages[page].extract_text()


def _lines(pdf_bytes):
    with _open(pdf_bytes) as pdf:
        return [line["text"] for line in pdf.pages[0].extract_text_lines()]


def _value(v):
    if isinstance(v, bytes):
        return decode_text(v)
    if isinstance(v, PSLiteral):
        return v.name
    return v


def _acroform(pdf_bytes):
    """(AcroForm dict, {full field name: (value, has kids parent)})."""
    fields = {}

    def walk(items, prefix, parent):
        for item in items:
            field = resolve1(item)
            part = decode_text(field["T"]) if "T" in field else ""
            name = f"{prefix}.{part}" if prefix else part
            if "Kids" in field:
                walk(resolve1(field["Kids"]), name, True)
            else:
                fields[name] = (_value(field.get("V")), parent)

    with _open(pdf_bytes) as pdf:
        acroform = resolve1(pdf.doc.catalog["AcroForm"])
        walk(resolve1(acroform["Fields"]), "", False)
        return acroform, fields


def _render(pdf_bytes, dpi=100):
    with _open(pdf_bytes) as pdf:
        return pdf.pages[0].to_image(resolution=dpi).original.convert("L")


# --- layout_pdf ----------------------------------------------------------------


def test_layout_has_labels_and_values():
    text = _text(fx.layout_pdf())
    for needle in (
        "CERTIFICATE OF LIABILITY INSURANCE",
        "DATE (MM/DD/YYYY)",
        "03/02/2026",
        "INSURER(S) AFFORDING COVERAGE",
        INSURED,
        PRODUCER,
        "EACH OCCURRENCE",
        "GL-7781234",
        "CN-2026-0042",
        "E.L. DISEASE - POLICY LIMIT",
        "DESCRIPTION OF OPERATIONS / LOCATIONS / VEHICLES",
        fx.SAMPLE["certificate_holder"]["name"],
        "ACORD 25 (2016/03)",
    ):
        assert needle in text, needle


def test_layout_limits_share_the_label_line():
    lines = _lines(fx.layout_pdf())
    assert any("EACH OCCURRENCE $ 1,000,000" in line for line in lines)
    assert any("MED EXP (Any one person) $ 5,000" in line for line in lines)
    assert any("E.L. EACH ACCIDENT $ 1,000,000" in line for line in lines)
    assert any("EACH OCCURRENCE $ 5,000,000" in line for line in lines)  # umbrella
    assert any("X OCCUR" in line and "CLAIMS-MADE" in line for line in lines)
    assert any("BODILY INJURY (Per person) $" == line[-28:] for line in lines)  # no amount


def test_layout_amounts_right_aligned_on_label_baseline():
    with _open(fx.layout_pdf()) as pdf:
        page = pdf.pages[0]
        words = page.extract_words(extra_attrs=["size"])
        amounts = [w for w in words if w["text"] in ("1,000,000", "2,000,000", "5,000")]
        assert len({round(w["x1"], 1) for w in amounts}) == 1
        baseline = {round(c["matrix"][5], 1) for c in page.chars if c["top"] < 312}
        label = next(w for w in words if w["text"] == "OCCURRENCE")
        amount = min(amounts, key=lambda w: abs(w["top"] - label["top"]))
        label_base = next(c for c in page.chars if c["x0"] == label["x0"])["matrix"][5]
        amount_base = next(c for c in page.chars if c["x0"] == amount["x0"])["matrix"][5]
        assert label_base == pytest.approx(amount_base, abs=0.01)
        assert round(label_base, 1) in baseline


@pytest.mark.parametrize("edition", ["2016/03", "2014/01", "2010/05", "2025/12", "2001/08"])
def test_layout_editions(edition):
    text = _text(fx.layout_pdf(edition=edition))
    assert f"ACORD 25 ({edition})" in text
    assert INSURED in text and "GL-7781234" in text
    assert ("CERTIFICATE NUMBER:" in text) == (edition != "2001/08")
    assert ("OWNED" in text and "AUTOS ONLY" in text) == (edition >= "2016/03")


def test_layout_marks_yn():
    lines = _lines(fx.layout_pdf(marks="YN"))
    assert any("A Y Y GL-7781234" in line for line in lines)


def test_layout_leaves_missing_coverage_empty():
    data = dict(fx.SAMPLE, coverages=fx.SAMPLE["coverages"][:1])
    text = _text(fx.layout_pdf(data))
    assert "GL-7781234" in text
    assert "BA-5520917" not in text and "5,000,000" not in text
    assert "AUTOMOBILE LIABILITY" in text


def test_layout_is_deterministic():
    assert fx.layout_pdf() == fx.layout_pdf()


# --- AcroForm, XFA, FreeText ---------------------------------------------------


def test_field_name_list():
    names = fx.ACORD_2016_FIELD_NAMES
    assert len(names) == len(set(names)) == 129
    for name in ("Producer_FullName_A", "NamedInsured_FullName_A", "Insurer_NAICCode_A"):
        assert name in names


@pytest.mark.parametrize("edition", ["2016", "2001"])
def test_rows_are_the_readers_table(edition):
    """The fixtures fill the fields the reader reads, from its own table (no
    copy), and every field they fill is a field of the drawn form."""
    table = getattr(reader, f"_COVERAGES_{edition}")
    rows = getattr(fx, f"ROWS_{edition}")
    names = set(getattr(fx, f"ACORD_{edition}_FIELD_NAMES"))
    for kind, letter, *_fields, limits in table:
        assert rows[kind]["letter"] == letter
        assert rows[kind]["limits"] is limits
    for row in rows.values():
        filled = [row[key] for key in ("letter", "addl", "subr", "number", "eff", "exp")]
        filled += [*row["limits"].values(), *row["fixed"]]
        boxes = ("occur", "claims", "statute", "other", "retention", "excluded")
        filled += [row.get(key) for key in boxes]
        assert {name for name in filled if name} <= names


def test_acroform_flat():
    pdf = fx.acroform_pdf(naming="flat")
    _form, fields = _acroform(pdf)
    assert fields["Producer_FullName_A"] == (PRODUCER, False)
    assert fields["NamedInsured_FullName_A"][0] == INSURED
    assert fields["Insurer_NAICCode_A"][0] == "12345"
    assert fields["GeneralLiability_EachOccurrence_LimitAmount_A"][0] == "1,000,000"
    assert fields["Policy_GeneralLiability_PolicyNumberIdentifier_A"][0] == "GL-7781234"
    assert fields["Policy_GeneralLiability_EffectiveDate_A"][0] == "03/01/2026"
    assert fields["GeneralLiability_OccurrenceIndicator_A"][0] == "1"
    assert fields["GeneralLiability_ClaimsMadeIndicator_A"][0] is None
    assert fields["NamedInsured_MailingAddress_StateOrProvinceCode_A"][0] == "CO"
    assert set(fields) == set(fx.ACORD_2016_FIELD_NAMES)
    text = _text(pdf)
    assert "EACH OCCURRENCE" in text
    assert INSURED not in text and "1,000,000" not in text


def test_acroform_f0p1_is_a_field_tree():
    form, fields = _acroform(fx.acroform_pdf(naming="F0P1"))
    assert [decode_text(resolve1(f)["T"]) for f in resolve1(form["Fields"])] == ["F[0]"]
    assert fields["F[0].P1[0].Producer_FullName_A[0]"] == (PRODUCER, True)
    assert fields["F[0].P1[0].Insurer_FullName_B[0]"][0] == "Ironclad Indemnity Company"
    assert all(name.startswith("F[0].P1[0].") for name in fields)


def test_acroform_2001_names():
    pdf = fx.acroform_pdf(naming="2001")
    _form, fields = _acroform(pdf)
    p1 = "F[0].P1[0]."
    assert fields[p1 + "Date[0]"][0] == "03/02/2026"
    assert fields[p1 + "Producer[0]"][0].split("\n")[0] == PRODUCER
    assert fields[p1 + "Insured[0]"][0].split("\n") == [INSURED, *fx.SAMPLE["insured"]["address"]]
    assert fields[p1 + "InsurerA[0]"][0] == fx.SAMPLE["insurers"]["A"]["name"]
    assert fields[p1 + "EachOccurrence[0]"][0] == "1,000,000"
    assert fields[p1 + "Occur[0]"][0] == "1"
    assert fields[p1 + "PolicyNumberWorker[0]"][0] == "WC-9045561"
    assert "ACORD 25 (2001/08)" in _text(pdf)
    assert fx.expected(edition="2001/08")["certificate_number"] is None


def test_xfa_values_only_in_datasets():
    pdf = fx.xfa_pdf()
    form, fields = _acroform(pdf)
    assert fields and all(value is None for value, _parent in fields.values())
    packets = resolve1(form["XFA"])
    names = [p.decode() for p in packets[::2]]
    assert "datasets" in names
    xml = resolve1(packets[2 * names.index("datasets") + 1]).get_data()
    root = etree.fromstring(xml)  # noqa: S320 - XML we generated ourselves
    p1 = root.find("{http://www.xfa.org/schema/xfa-data/1.0/}data/F/P1")
    assert p1.findtext("Producer_FullName_A") == PRODUCER
    assert p1.findtext("GeneralLiability_EachOccurrence_LimitAmount_A") == "1,000,000"
    text = _text(pdf)
    assert "EACH OCCURRENCE" in text and PRODUCER not in text


def test_freetext_values_only_in_annotations():
    pdf = fx.freetext_pdf()
    with _open(pdf) as doc:
        page = doc.pages[0]
        annots = [a for a in page.annots if a["data"]["Subtype"].name == "FreeText"]
        contents = {_value(a["data"]["Contents"]): a for a in annots}
        assert INSURED not in page.extract_text()
    assert {INSURED, "1,000,000", "GL-7781234", "X", "03/01/2026"} <= set(contents)
    with _open(fx.layout_pdf()) as doc:
        word = next(w for w in doc.pages[0].extract_words() if w["text"] == "Granite")
    box = contents[INSURED]
    assert box["x0"] == pytest.approx(word["x0"] - 1, abs=0.5)
    assert box["top"] < word["top"] and box["bottom"] > word["bottom"]


# --- Overprint, scans, packet ----------------------------------------------------


@pytest.mark.parametrize("mode", ["invisible", "white", "covered"])
def test_overprinted_old_value_is_hidden(mode):
    pdf = fx.overprinted_pdf(mode=mode)
    with _open(pdf) as doc:
        chars = "".join(c["text"] for c in doc.pages[0].chars)
    assert "500,000" in chars  # the superseded amount is in the text layer ...
    diff = ImageChops.difference(_render(pdf), _render(fx.layout_pdf()))
    assert diff.getbbox() is None  # ... but the page looks exactly like layout_pdf


def test_scans_have_no_text_layer():
    image = Image.open(io.BytesIO(fx.scan_png(dpi=100)))
    assert image.size == (850, 1100)
    with _open(fx.scanned_pdf(dpi=100)) as pdf:
        page = pdf.pages[0]
        assert page.chars == [] and (page.extract_text() or "") == ""
        assert len(page.images) == 1


def test_packet_certificate_on_page_two():
    pdf = fx.packet_pdf()
    with _open(pdf) as doc:
        texts = [page.extract_text() for page in doc.pages]
    assert len(texts) == 3
    assert "THIS ENDORSEMENT CHANGES THE POLICY. PLEASE READ IT CAREFULLY." in texts[0]
    assert "CERTIFICATE OF LIABILITY INSURANCE" in texts[1] and INSURED in texts[1]
    assert "COMMERCIAL GENERAL LIABILITY DECLARATIONS" in texts[2]
    assert "CERTIFICATE OF LIABILITY INSURANCE" not in texts[0] + texts[2]


# --- Bad inputs ---------------------------------------------------------------------


def test_bad_inputs():
    assert not fx.not_a_pdf().startswith(b"%PDF")
    corrupted = fx.corrupted_pdf()
    assert corrupted.startswith(b"%PDF") and b"%%EOF" not in corrupted
    with pytest.raises(Exception):  # noqa: B017 - any parser error will do
        with _open(corrupted) as pdf:
            pdf.pages[0].extract_text()
    with _open(fx.zero_page_pdf()) as pdf:
        assert pdf.pages == []
    assert len(PdfReader(io.BytesIO(fx.many_pages_pdf(n=200))).pages) == 200
    cat = Image.open(io.BytesIO(fx.cat_png()))
    assert cat.format == "PNG" and cat.size == (640, 480)
    text = _text(fx.nonacord_pdf())
    assert "Certificate of Insurance" in text and INSURED in text
    assert "CERTIFICATE OF LIABILITY INSURANCE" not in text and "ACORD" not in text


def test_encrypted_needs_password():
    pdf = fx.encrypted_pdf()
    assert PdfReader(io.BytesIO(pdf)).is_encrypted
    with pytest.raises(Exception):  # noqa: B017 - pdfminer's password error
        _text(pdf)
    with _open(pdf, password=fx.PASSWORD) as doc:
        assert INSURED in doc.pages[0].extract_text()


def test_expected_matches_sample():
    assert fx.expected() == fx.SAMPLE
    assert fx.expected(edition="2014/01")["form"] == "ACORD 25 (2014/01)"
