"""A question a contractor or an agent asks about the requirements.

Plain Python, no Odoo import: what a question must be before it is posted
on the vendor's chatter (`check_question`), and the reasons it can be
refused (the models turn them into sentences)."""

MAX_QUESTION_CHARS = 5000

EMPTY = "empty"
TOO_LONG = "too_long"
BAD_CHARACTERS = "bad_characters"


def check_question(text):
    """(the question as it is posted, None) or (None, why it is refused).
    Line ends are kept, surrounding blanks dropped; a NUL byte (or another
    control character a person does not type) refuses the question."""
    if not isinstance(text, str):
        return None, EMPTY
    if any(ord(char) < 32 and char not in "\t\n\r" for char in text):
        return None, BAD_CHARACTERS
    question = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not question:
        return None, EMPTY
    if len(question) > MAX_QUESTION_CHARS:
        return None, TOO_LONG
    return question, None


def printable(text):
    """`text` without the control characters `check_question` refuses: what
    a refused question's form shows again for the person to correct."""
    if not isinstance(text, str):
        return ""
    return "".join(c for c in text if ord(c) >= 32 or c in "\t\n\r")
