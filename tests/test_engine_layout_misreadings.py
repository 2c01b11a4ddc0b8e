"""The layout reader through OCR's misreadings: labels read a letter off,
an e-mail's "@" set apart, a phone label lost."""

from coi_engine.extract import layout


def line(top, x, *texts, confidence=0.96):
    """Words of one printed line from `x` (points), 5 points a character."""
    words = []
    for text in texts:
        words.append(layout.Word(text, x, x + 5 * len(text), top, top + 7, confidence))
        x += 5 * len(text) + 3
    return words


def contact_block(*extra):
    return [
        *line(120, 20, "PROOUCER"),  # "D" read as "O"
        *line(121, 310, "CONTACT"),
        *line(124, 348, "Dana", "Whitfield"),
        *extra,
        *line(200, 20, "INSURED"),
    ]


def test_a_producer_label_read_a_letter_off_still_anchors_the_block():
    result = layout.read_page(contact_block(*line(136, 24, "Harbor", "Point", "Services")))
    assert result.producer["name"] == "Harbor Point Services"
    assert result.producer["contact_name"] == "Dana Whitfield"


def test_an_email_whose_at_sign_stands_apart_and_a_little_higher():
    words = contact_block(
        layout.Word("certificates", 348, 386, 148.1, 155.5),
        layout.Word("@", 389.8, 393.4, 145.1, 154.7),  # a line of its own for group_lines
        layout.Word("harborpoint.example", 396, 467, 148.1, 155.5),
    )
    assert layout.read_page(words).producer["email"] == "certificates@harborpoint.example"


def test_an_accent_ocr_adds_to_an_email_is_dropped():
    words = contact_block(*line(148, 348, "Cértificates@harborpoint.example"))
    assert layout.read_page(words).producer["email"] == "Certificates@harborpoint.example"


def test_phone_and_fax_told_apart_when_the_fax_label_is_misread():
    """PHONE read, FAX read "BE.": each label takes the first number right
    of it; the number left without a label is the fax by its place."""
    words = contact_block(
        *line(133, 310, "PHONE"),
        *line(136, 355, "(415)", "555-0142"),
        *line(131, 481, "BE.", "(415)", "555-0143"),
    )
    producer = layout.read_page(words).producer
    assert (producer["phone"], producer["fax"]) == ("(415) 555-0142", "(415) 555-0143")


def test_a_number_is_not_glued_to_a_label_printed_to_its_right():
    """ "No):" of the FAX label, sorted before a phone number on the row
    below it but printed far right of it, is not part of the number."""
    words = contact_block(
        *line(154.4, 467, "(A/C,", "No):"),
        *line(156.5, 343, "888-851-5572"),
    )
    producer = layout.read_page(words).producer
    assert (producer["phone"], producer["fax"]) == ("888-851-5572", None)


def test_row_and_limit_labels_read_a_letter_off():
    assert layout.limit_code("GL", "EACH OGCURRENCE") == "EACH_OCCURRENCE"
    assert layout.limit_code("GL", "GENERAL AGGREGATF") == "GENERAL_AGGREGATE"
    # Short labels are read exactly or not at all: no guess.
    assert layout.limit_code("GL", "MED FXP") is None
    # An exact keyword wins over a near one.
    assert layout.limit_code("GL", "DAMAGE TO RENTED PREMISES (Ea occurrence)") == (
        "DAMAGE_TO_RENTED_PREMISES"
    )
    page = layout.Page(
        [
            *line(300, 40, "COMMERCIAL", "GENERAL", "LIAGILITY"),
            *line(390, 40, "AUTOMOBILE", "LIAGILITY"),
            *line(480, 37, "WOR", "KERS", "COMPENSATION"),
        ]
    )
    found = [kind for kind, pattern in layout.ROWS if page.find(pattern)]
    assert found == ["GL", "AUTO", "WC_EL"]


def test_an_insurer_name_that_lost_its_first_word_is_not_sure():
    """The names start in one column; one starting further right lost a word."""
    words = [
        *line(120, 20, "PRODUCER"),
        *line(121, 310, "CONTACT"),
        *line(160, 369, "INSURER(S)", "AFFORDING", "COVERAGE", "NAIC", "#"),
        *line(172, 310, "INSURER", "A", ":"),
        *line(172, 366, "Bluewater", "Casualty", "Company", "12345"),
        *line(184, 310, "INSURER", "B", ":"),
        *line(184, 398, "Indemnity", "Company", "23456"),  # "Ironclad" lost
    ]
    result = layout.read_page(words)
    assert result.insurers["B"]["name"] == "Indemnity Company"  # kept, not invented
    assert result.confidence["insurers.A"] == 0.9
    assert result.confidence["insurers.B"] < 0.9
    assert any("Insurer B" in warning for warning in result.warnings)
