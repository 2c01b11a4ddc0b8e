"""What a question must be before it reaches the vendor's chatter."""

from coi_engine import questions


def test_a_question_is_kept_with_its_lines():
    assert questions.check_question("  What is a waiver?\r\nThanks  ") == (
        "What is a waiver?\nThanks",
        None,
    )


def test_empty_or_blank_questions_are_refused():
    assert questions.check_question("") == (None, questions.EMPTY)
    assert questions.check_question(" \n\t ") == (None, questions.EMPTY)
    assert questions.check_question(None) == (None, questions.EMPTY)


def test_the_length_is_capped():
    limit = questions.MAX_QUESTION_CHARS
    assert questions.check_question("a" * limit) == ("a" * limit, None)
    assert questions.check_question("a" * (limit + 1)) == (None, questions.TOO_LONG)


def test_nul_bytes_and_control_characters_are_refused():
    assert questions.check_question("Hello\x00world") == (None, questions.BAD_CHARACTERS)
    assert questions.check_question("Hello\x1bworld") == (None, questions.BAD_CHARACTERS)


def test_a_refused_question_is_shown_again_without_its_control_characters():
    assert questions.printable("What is\x00 this?\nA\tB") == "What is this?\nA\tB"
    assert questions.printable(None) == ""
