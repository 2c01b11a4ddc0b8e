"""Reading an ACORD 25 page from its words and their positions.

Works on any list of words with coordinates in points on a US-letter page
(612 x 792, origin top-left): the PDF text layer, FreeText annotations, or
OCR output. The printed labels of the form are the anchors: blocks are
found between labels, table columns under the header words, limits on the
line of their label.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .model import FAIR, GOOD, LOW, Coverage, Extraction
from .values import find_dates, parse_amount, parse_date, parse_mark, squash

PHONE = re.compile(r"\(?\d{3}\)?[\s.-]?\d{3}[\s.-]?\d{4}(?:\s*(?:x|ext\.?)\s*\d+)?", re.I)
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
NAIC = re.compile(r"^\d{4,5}$")


@dataclass
class Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    confidence: float = 1.0  # OCR's (0..1); a text layer's words are what they say

    @property
    def xc(self):
        return (self.x0 + self.x1) / 2


class Line(list):
    @property
    def top(self):
        return min(w.top for w in self)

    @property
    def bottom(self):
        return max(w.bottom for w in self)

    @property
    def x0(self):
        return min(w.x0 for w in self)

    @property
    def text(self):
        return " ".join(w.text for w in self)


def yc(word):
    return (word.top + word.bottom) / 2


def beside(words, ref, tolerance=6.5):
    """Words on the same row as `ref`: printed labels and typed values are
    often a few points apart vertically."""
    return [w for w in words if abs(yc(w) - yc(ref)) <= tolerance]


def group_lines(words, tolerance=2.5):
    lines: list[Line] = []
    for word in sorted(words, key=lambda w: (round(w.top, 1), w.x0)):
        if lines and abs(lines[-1].top - word.top) <= tolerance:
            lines[-1].append(word)
        else:
            lines.append(Line([word]))
    for line in lines:
        line.sort(key=lambda w: w.x0)
    return lines


class Page:
    """Words of one page with the anchors of the ACORD 25 form."""

    def __init__(self, words):
        self.words = [w for w in words if w.text.strip()]
        self.lines = group_lines(self.words)
        self.text = "\n".join(line.text for line in self.lines)

    def find(self, pattern, *, x_max=None, after=0.0, flags=0):
        regex = re.compile(pattern, flags)
        for line in self.lines:
            if line.top < after:
                continue
            if x_max is not None and line.x0 > x_max:
                continue
            if regex.search(line.text):
                return line
        return None

    def word(self, pattern, *, top=None, bottom=None, x_min=None, flags=re.I):
        regex = re.compile(pattern, flags)
        for w in sorted(self.words, key=lambda w: (w.top, w.x0)):
            if top is not None and w.bottom < top:
                continue
            if bottom is not None and w.top > bottom:
                continue
            if x_min is not None and w.x0 < x_min:
                continue
            if regex.fullmatch(w.text):
                return w
        return None

    def region(self, top, bottom, x_min=-1.0, x_max=10_000.0):
        return [
            w
            for w in self.words
            if w.top >= top - 0.5 and w.top < bottom and w.x0 >= x_min and w.x1 <= x_max
        ]


SURE = 0.85  # OCR's confidence (0..1) in a word that a value may stand on alone
UNSURE = 0.6  # under it, a word is a guess


def level(words, confidence):
    """The confidence of a value read from `words` the way `confidence`
    says, lowered by OCR's confidence in its least sure word."""
    least = min((w.confidence for w in words), default=1.0)
    if least >= SURE:
        return confidence
    return min(confidence, FAIR if least >= UNSURE else LOW)


def note(result, key, words, confidence):
    """Record how sure a value is, and where on the page it was read."""
    words = [w for w in words if w is not None]
    result.confidence[key] = level(words, confidence)
    if words:
        result.regions[key] = [
            result.certificate_page or 1,
            round(min(w.x0 for w in words), 1),
            round(min(w.top for w in words), 1),
            round(max(w.x1 for w in words), 1),
            round(max(w.bottom for w in words), 1),
        ]


def read_page(words, result: Extraction | None = None, confidence=GOOD) -> Extraction:
    """Fill `result` (a new Extraction by default) from the words of a page."""
    result = result or Extraction(method="text")
    page = Page(words)
    anchors = _anchors(page)
    unknown = not anchors.get("producer") and not anchors.get("table")
    if unknown:
        result.warnings.append("The page does not have the ACORD 25 layout; read what could be.")
        confidence = min(confidence, LOW)
    _header(page, anchors, result, confidence)
    _parties(page, anchors, result, confidence)
    _coverages(page, anchors, result, confidence)
    _description_and_holder(page, anchors, result, confidence)
    if unknown:  # the values by their labels, line by line
        from .freeform import read_lines

        read_lines([line.text for line in page.lines], result, confidence)
    return result


def _anchors(page):
    a = {}
    a["producer"] = page.find(r"^PRO[DO0]UCER\b", x_max=80)  # OCR: "PROOUCER"
    a["insured"] = page.find(
        r"^INSURED\b", x_max=80, after=a["producer"].top if a["producer"] else 0
    )
    a["coverages"] = page.find(r"^COVERAGES\b", x_max=80)
    a["table"] = page.find(r"TYPE OF INSURANCE")
    a["description"] = page.find(r"^DESCRIPTION OF OPERATIONS\s*/", x_max=80)
    a["holder"] = page.find(r"^CERTIFICATE HOLDER", x_max=80)
    a["footer"] = page.find(r"ACORD 25 \(\d{4}/\d{2}\)")
    split = page.word(r"INSURER|CONTACT", x_min=200)
    a["mid_x"] = (split.x0 - 2) if split else 300.0
    return a


def _header(page, anchors, result, confidence):
    match = re.search(r"ACORD 25 \((\d{4}/\d{2})\)", page.text)
    if match:
        result.form = f"ACORD 25 ({match.group(1)})"
    limit = anchors["producer"].top if anchors["producer"] else 120
    dates = [w for w in page.region(0, limit, x_min=380) if parse_date(w.text)]
    if dates:
        result.certificate_date = parse_date(dates[0].text)
        note(result, "certificate_date", dates[:1], confidence)
    line = page.find(r"CERTIFICATE NUMBER:", flags=re.I)
    if line:
        after = re.split(r"CERTIFICATE NUMBER:", line.text, flags=re.I)[1]
        number = re.split(r"REVISION", after, flags=re.I)[0].strip(" :")
        if number:
            result.certificate_number = number
            shown = [w for w in line if w.text.strip(" :") and w.text.strip(" :") in number]
            note(result, "certificate_number", shown, confidence)


def _block(page, top, bottom, x_max, drop):
    return [text for text, _line in _block_lines(page, top, bottom, x_max, drop)]


def _block_lines(page, top, bottom, x_max, drop):
    """(text, line) of the lines of a block, its label dropped."""
    lines = group_lines(page.region(top, bottom, x_max=x_max))
    found = []
    for line in lines:
        text = re.sub(drop, "", line.text, flags=re.I).strip() if drop else line.text
        if len(re.findall(r"[A-Za-z]", text)) >= 2 or re.search(r"\d{3,}", text):
            found.append((text, line))  # stray marks and specks (OCR) are not lines
    return found


def _value_words(line, drop):
    """The words of a block's line that are its value, not its label."""
    return [w for w in line if not (drop and re.fullmatch(drop + r"\W*", w.text, re.I))]


def _parties(page, anchors, result, confidence):
    mid = anchors["mid_x"]
    producer, insured, coverages = anchors["producer"], anchors["insured"], anchors["coverages"]
    if producer:
        end = insured.top if insured else producer.top + 60
        found = _block_lines(page, producer.top, end - 0.5, mid, r"^PRO[DO0]UCER\b")
        lines = [text for text, _line in found]
        result.producer = {
            "name": lines[0] if lines else None,
            "address": lines[1:],
            "contact_name": None,
            "phone": None,
            "fax": None,
            "email": None,
        }
        if lines:
            note(result, "producer.name", _value_words(found[0][1], r"PRO[DO0]UCER"), confidence)
        _contact(page, producer.top, end, mid, result)
    if insured:
        end = coverages.top if coverages else insured.top + 60
        found = _block_lines(page, insured.top, end - 0.5, mid, r"^INSURED\b")
        lines = [text for text, _line in found]
        result.insured = {"name": lines[0] if lines else None, "address": lines[1:]}
        if lines:
            note(result, "insured.name", _value_words(found[0][1], "INSURED"), confidence)
    _insurers(page, anchors, result, confidence)


def _contact(page, top, bottom, mid, result):
    heading = page.find(r"INSURER\(S\) AFFORDING", after=top)
    end = heading.top if heading else bottom
    labels = r"^(CONTACT|NAME:?|PHONE|FAX|E-?MAIL|ADDRESS:?|\(A/C.*|No\)?:?|Ext\)?:?)$"
    words = page.region(top - 1, end, x_min=mid)
    if not any(
        re.match(r"^(CONTACT|NAME:|PHONE|E-?MAIL|FAX|ADDRESS:)", w.text, re.I) for w in words
    ):
        return  # the 2001/08 form has no contact block
    _phones(words, mid, result)
    for line in group_lines(words):
        text = line.text
        upper = text.upper()
        if not result.producer.get("email"):
            # OCR may set the "@" apart from the words on each side of it.
            email = EMAIL.search(re.sub(r"\s*@\s*", "@", text))
            if email:
                result.producer["email"] = _plain(email.group(0))
        if "CONTACT" in upper or upper.startswith("NAME") or abs(line.top - top) < 6:
            value_words = [
                w for w in line if w.x0 >= mid + 30 and not re.match(labels, w.text, re.I)
            ]
            name = " ".join(w.text for w in value_words).strip()
            if name and not result.producer.get("contact_name"):
                result.producer["contact_name"] = name
    if not result.producer.get("email"):
        email = _email_around_at(words)
        if email:
            result.producer["email"] = _plain(email)


def _phones(words, mid, result):
    """The producer's phone and fax numbers of the contact block's words."""
    tags = [w for w in words if re.match(r"^(PHONE|FAX)\b", w.text, re.I)]
    ordered = sorted(words, key=lambda w: (round(w.top), w.x0))
    consumed, numbers = set(), []
    for index, word in enumerate(ordered):
        if index in consumed:
            continue
        phone = PHONE.search(word.text)
        following = ordered[index + 1] if index + 1 < len(ordered) else None
        if not phone and following is not None and -2 < following.x0 - word.x1 < 6:
            phone = PHONE.search(f"{word.text} {following.text}")
            if phone:
                consumed.add(index + 1)
        if phone:
            numbers.append((word, phone.group(0).strip()))
    # Each label tags the first number right of it on its row; a number
    # whose label OCR misread is told by its place (FAX prints at the right).
    tagged = {}
    for tag in tags:
        right = [w for w, _n in numbers if abs(yc(tag) - yc(w)) <= 8 and w.x0 > tag.x0]
        if right:
            tagged.setdefault(id(min(right, key=lambda w: w.x0)), tag)
    for word, number in numbers:
        tag = tagged.get(id(word))
        if tag is not None:
            key = "fax" if tag.text.upper().startswith("FAX") else "phone"
        else:
            key = "fax" if word.x0 > mid + FAX_OFFSET else "phone"
        if not result.producer.get(key):
            result.producer[key] = number


FAX_OFFSET = 150  # points right of the producer block's right half: the FAX number


def _email_around_at(words):
    """An e-mail address OCR read as three words at slightly different
    heights ("certificates", "@", "example.com"): the words either side of
    a lone "@" on its row."""
    for at in (w for w in words if w.text == "@"):
        row = beside(words, at, 6)
        before = [w for w in row if w.x0 < at.x0 and w is not at]
        after = [w for w in row if w.x0 > at.x0 and w is not at]
        if before and after:
            left = max(before, key=lambda w: w.x0)
            right = min(after, key=lambda w: w.x0)
            email = EMAIL.fullmatch(f"{left.text}@{right.text}")
            if email:
                return email.group(0)
    return None


def _plain(text):
    """Without accents: an e-mail address has none, OCR sometimes adds one."""
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _insurers(page, anchors, result, confidence):
    mid = anchors["mid_x"]
    naic_head = page.word(r"NAIC\s*#?|NAIC#", x_min=mid)
    naic_x = naic_head.x0 - 15 if naic_head else 540
    right = [w for w in page.words if w.x0 >= mid - 1]
    labels, guessed, starts = [], set(), {}
    for word in sorted(right, key=lambda w: (w.top, w.x0)):
        match = re.fullmatch(r"INSURER\s*([A-F])?\s*:?(.*)", word.text, re.I)
        if not match or word.text.upper().startswith("INSURER("):
            continue
        letter, colon = match.group(1), word
        row = sorted(beside(right, word, 3), key=lambda w: w.x0)
        following = [w for w in row if w.x0 > word.x0]
        if not letter:
            if not following or not re.fullmatch(r"[A-F]:?", following[0].text):
                # OCR may misread the letter ("&" for B): the insurers are
                # listed A to F, so the one after A is B. Only a short token
                # right after the label, before the name, stands for it.
                after = labels[-1][0] if labels else None
                garbled = following and len(following[0].text.strip(":")) == 1
                if not (garbled and after and after < "F"):
                    continue
                letter, colon = chr(ord(after) + 1), following[0]
                guessed.add(id(colon))  # its row is as sure as that token
            else:
                letter, colon = following[0].text[0], following[0]
            following = following[1:]
        if following and following[0].text == ":":
            colon = following[0]
        labels.append((letter.upper(), word, colon))
    label_words = {id(w) for _, word, colon in labels for w in (word, colon)}
    for letter, word, colon in labels:
        values = sorted(
            (
                w
                for w in beside(right, word)
                if w.x0 > colon.x1 - 1 and id(w) not in label_words and w.text != ":"
            ),
            key=lambda w: w.x0,
        )
        head = re.sub(r"^INSURER\s*[A-F]?\s*:?", "", word.text, flags=re.I).strip()
        name_words = [head] if head else []
        naic, shown = None, [word] if head else []
        if id(colon) in guessed:
            shown.append(colon)
        for position, w in enumerate(values):
            last = position == len(values) - 1
            if NAIC.match(w.text) and (w.x0 >= naic_x or (last and len(values) > 1)):
                naic = w.text
            else:
                name_words.append(w.text)
            shown.append(w)
        name = " ".join(name_words).strip(" :")
        if name:
            result.insurers[letter] = {"name": name, "naic": naic}
            note(result, f"insurers.{letter}", shown, confidence)
            starts[letter] = word.x0 if head else min((w.x0 for w in values), default=None)
    _indented_names(result, starts)


NAME_INDENT = 12  # points: an insurer's name starting further right lost a word


def _indented_names(result, starts):
    """The insurers' names start in one column: a name that starts well
    right of the others lost its first word to OCR ("Indemnity Company"
    for "Ironclad Indemnity Company"). It is kept, not sure."""
    known = sorted(x for x in starts.values() if x is not None)
    if len(known) < 2:
        return
    column = known[0]
    for letter, x0 in starts.items():
        if x0 is not None and x0 > column + NAME_INDENT:
            key = f"insurers.{letter}"
            result.confidence[key] = min(result.confidence.get(key, FAIR), FAIR)
            result.warnings.append(
                f"Insurer {letter}: its name starts right of the others' (a word may be "
                "missing); check it."
            )


# ---- coverages table --------------------------------------------------------

# The rows' labels, as OCR may misread them too ("LIAGILITY", "LIA8").
ROWS = (
    ("GL", r"COMMERCIAL GENERAL|GENERAL LIA[BG8]"),
    ("AUTO", r"AUTOMOBILE LIA|AUTOMOBILE\b"),
    ("UMBRELLA", r"UMBRELLA LIA|EXCESS LIA[BG8]"),
    ("WC_EL", r"WOR ?KERS'? ?COMPENSATION|^(AND )?EMPLOYERS'? LIA"),
)


def _columns(page, table):
    top, bottom = table.top - 12, table.bottom + 2
    header = page.region(top, bottom)

    def first(pattern, nth=0):
        found = sorted((w for w in header if re.search(pattern, w.text, re.I)), key=lambda w: w.x0)
        return found[nth] if len(found) > nth else None

    ltr = first(r"^LTR$|^INSR$")
    insd = next(
        (
            w
            for w in sorted(header, key=lambda w: w.x0)
            if re.fullmatch(r"INS(D|R|RD)\]?", w.text) and w.x0 > 30
        ),
        None,
    )
    wvd = first(r"^W.D\]?$")
    policy = first(r"^NUMBER$")
    # "(MM/DD/YYYY)" under "POLICY EFF" and "POLICY EXP"; OCR may garble it.
    dates = sorted(
        (w for w in header if re.fullmatch(r"\(\S{3,12}\)?", w.text) and 300 < w.x0 < 480),
        key=lambda w: w.x0,
    )
    eff, exp = first(r"^EFF$"), first(r"^EXP$")
    limits = first(r"^LIMITS$")
    if policy:
        policy_x0 = policy.x0 - 60
    elif wvd:
        policy_x0 = wvd.x1 + 2
    else:
        policy_x0 = (insd.x1 + 20) if insd else 200
    if len(dates) >= 2:
        eff_x0, limits_x0 = dates[0].x0 - 4, dates[-1].x1 + 2
    elif eff and exp:
        eff_x0, limits_x0 = eff.x0 - 30, exp.x1 + 8
    else:
        eff_x0, limits_x0 = 300, (limits.x0 - 60 if limits else _limit_labels_x0(page, table))
    ltr_x1 = (ltr.x1 + 4) if ltr else 36
    insd_xc = insd.xc if insd else 172
    # 2001/08 puts ADD'L INSRD beside the letter, before the type of insurance.
    insd_first = insd_xc < ltr_x1 + 30
    cols = {
        "ltr_x1": ltr_x1,
        "insd_xc": insd_xc,
        "wvd_xc": wvd.xc if wvd else None,
        "type_x0": (insd.x1 + 2) if insd_first else ltr_x1 - 6,
        "type_x1": policy_x0 if insd_first else insd_xc - 8,
        "policy_x0": policy_x0,
        "eff_x0": eff_x0,
        "limits_x0": limits_x0,
        "header_bottom": bottom,
        "header_top": table.top,
    }
    return cols


def _limit_labels_x0(page, table):
    """Where the limits column starts, from its first labels (EACH
    OCCURRENCE, COMBINED SINGLE LIMIT) when the header says nothing."""
    labels = [
        w
        for w in page.region(table.top, table.top + 120, x_min=380)
        if re.fullmatch(r"EACH|COMBINED", w.text, re.I)
    ]
    return min(w.x0 for w in labels) - 4 if labels else 410


def _row_bands(page, anchors, cols):
    found = []
    after = cols["header_top"] + 4
    for kind, pattern in ROWS:
        line = page.find(pattern, after=after)
        if line and (not anchors["description"] or line.top < anchors["description"].top):
            found.append((kind, line))
    found.sort(key=lambda item: item[1].top)
    end = anchors["description"].top if anchors["description"] else 600
    bands = []
    for index, (kind, line) in enumerate(found):
        start = min(cols["header_bottom"], line.top - 1.5) if index == 0 else line.top - 1.5
        stop = found[index + 1][1].top - 1.5 if index + 1 < len(found) else end
        if kind == "WC_EL":
            last = page.find(r"DISEASE\s*-\s*POLICY LIMIT|POLICYLIMIT", after=line.top)
            if last and last.top < stop:
                other_start = last.bottom + 1
                bands.append((kind, start, other_start))
                bands.append(("OTHER", other_start, stop))
                continue
        bands.append((kind, start, stop))
    return bands


LIMIT_KEYWORDS = (
    ("SINGLELIMIT", "COMBINED_SINGLE_LIMIT"),
    ("COMBINED", "COMBINED_SINGLE_LIMIT"),
    ("MEDEXP", "MED_EXP"),
    ("MEDICALEXPENSE", "MED_EXP"),
    ("PERSONAL", "PERSONAL_ADV_INJURY"),
    ("PRODUCTS", "PRODUCTS_COMP_OP_AGG"),
    ("GENERALAGGREGATE", "GENERAL_AGGREGATE"),
    ("EAEMPLOYEE", "EL_DISEASE_EA_EMPLOYEE"),
    ("EACHEMPLOYEE", "EL_DISEASE_EA_EMPLOYEE"),
    ("POLICYLIMIT", "EL_DISEASE_POLICY_LIMIT"),
    ("ELEACHACCIDENT", "EL_EACH_ACCIDENT"),
    ("PERPERSON", "BODILY_INJURY_PER_PERSON"),
    ("INJURYPERACCIDENT", "BODILY_INJURY_PER_ACCIDENT"),
    ("EACHOCCURRENCE", "EACH_OCCURRENCE"),
    ("AGGREGATE", "AGGREGATE"),
    ("AMAGE", "DAMAGE"),
    ("PREMISES", "DAMAGE"),
    ("PROPERTY", "DAMAGE"),
    ("EAOCCURRENCE", "DAMAGE"),
    ("EAACCIDENT", "COMBINED_SINGLE_LIMIT"),
    ("PERACCIDENT", "DAMAGE"),
)


FUZZY_KEYWORD = 88  # rapidfuzz partial ratio: one letter misread in a long label
FUZZY_LENGTH = 10  # shorter keywords must be read exactly


def limit_code(kind, label):
    letters = squash(label)
    code = next((code for keyword, code in LIMIT_KEYWORDS if keyword in letters), None)
    if code is None:
        code = _misread_keyword(letters)
    if code == "DAMAGE":
        return "DAMAGE_TO_RENTED_PREMISES" if kind == "GL" else "PROPERTY_DAMAGE"
    if code == "AGGREGATE" and kind == "GL":
        return None  # a GL aggregate not named general/products: OTHER line
    return code


def _misread_keyword(letters):
    """The code of a long keyword OCR misread a letter of ("EACH
    OGCURRENCE"), when no keyword is read exactly."""
    from rapidfuzz import fuzz

    scored = [
        (fuzz.partial_ratio(keyword, letters), -index, code)
        for index, (keyword, code) in enumerate(LIMIT_KEYWORDS)
        if len(keyword) >= FUZZY_LENGTH and len(letters) >= FUZZY_LENGTH - 2
    ]
    best = max(scored, default=None)
    return best[2] if best and best[0] >= FUZZY_KEYWORD else None


def _amount_of(word):
    text = word.text.replace("$", "").strip()
    return parse_amount(text) if text else None


def _read_limits(page, kind, top, bottom, cols, coverage, sources):
    area = page.region(top - 3, bottom + 3, x_min=cols["limits_x0"])
    amounts = [w for w in area if top - 0.5 <= w.top < bottom and _amount_of(w) is not None]
    labels = [w for w in area if _amount_of(w) is None and w.text.strip("$")]
    label_lines = group_lines(labels)
    for amount in sorted(amounts, key=lambda w: w.top):
        near = [
            line
            for line in label_lines
            if abs((line.top + line.bottom) / 2 - yc(amount)) <= 7 and line.x0 < amount.x0
        ]
        if not near:
            continue
        line = min(near, key=lambda line: abs((line.top + line.bottom) / 2 - yc(amount)))
        code = limit_code(kind, " ".join(w.text for w in line if w.x1 <= amount.x0 + 1))
        if code and code not in coverage.limits:
            coverage.limits[code] = _amount_of(amount)
            sources[f"limits.{code}"] = [amount]
            sources.setdefault("limits", []).append(amount)


def _marks(page, top, bottom, cols):
    """Check marks in the type-of-insurance column: {what follows: True}."""
    words = page.region(top - 3, bottom, x_min=cols["type_x0"], x_max=cols["type_x1"])
    marks = {}
    for word in words:
        if word.text.upper() == "X":
            right = [
                w for w in beside(words, word, 7) if 0 <= w.x0 - word.x1 <= 25 and w is not word
            ]
            if right:
                nearest = min(right, key=lambda w, x=word: (round(abs(yc(w) - yc(x)) / 3), w.x0))
                marks[squash(nearest.text)[:8]] = True
        elif word.text.upper().startswith("X") and squash(word.text[1:]):
            marks[squash(word.text[1:])[:8]] = True
    return marks


def _coverages(page, anchors, result, confidence):
    table = anchors["table"]
    if not table:
        return
    cols = _columns(page, table)
    for kind, top, bottom in _row_bands(page, anchors, cols):
        sources = {}  # what each value was read from: {name: [words]}
        coverage = _read_row(page, kind, top, bottom, cols, sources)
        if coverage is None or coverage.is_empty():
            continue
        row = confidence
        if not (coverage.policy_number and coverage.effective_date and coverage.expiration_date):
            row = min(confidence, FAIR)
            result.warnings.append(f"{kind}: policy number or dates not found in their columns.")
        index = len(result.coverages)
        result.coverages.append(coverage)
        _note_coverage(result, index, coverage, sources, row)


def _note_coverage(result, index, coverage, sources, confidence):
    """A coverage's confidence per value, and where each was read: its
    policy number, dates and limits (all limits together under "limits",
    and each under "limits.<code>"), its insurer letter and marks."""
    levels = {}
    for name in ("policy_number", "effective_date", "expiration_date", "limits"):
        if getattr(coverage, name):
            levels[name] = level(sources.get(name, ()), confidence)
    for name, words in sources.items():
        if name.startswith("limits.") or name in (
            "insurer_letter",
            "additional_insured",
            "subrogation_waived",
            "per_statute",
        ):
            levels[name] = level(words, confidence)
    coverage.confidence = levels
    scratch = Extraction(certificate_page=result.certificate_page)
    for name, words in sources.items():
        note(scratch, name, words, confidence)
    for name, box in scratch.regions.items():
        result.regions[f"coverages.{index}.{name}"] = box


def _read_row(page, kind, top, bottom, cols, sources):
    coverage = Coverage(type=kind)
    band = page.region(top, bottom)
    letters = [w for w in band if w.x1 <= cols["ltr_x1"] and re.fullmatch(r"[A-F]", w.text)]
    if letters:
        coverage.insurer_letter = letters[0].text
        sources["insurer_letter"] = letters[:1]
    _policy_and_dates(band, cols, coverage, sources)
    for column, attr in (("insd_xc", "additional_insured"), ("wvd_xc", "subrogation_waived")):
        if cols[column] is None:
            continue
        flags = [
            w
            for w in band
            if abs(w.xc - cols[column]) <= 8
            and re.fullmatch(r"[XYN]", w.text, re.I)
            and not any(o.text == "/" and abs(o.x0 - w.x1) < 8 for o in beside(band, w, 3))
        ]
        if flags:
            setattr(coverage, attr, parse_mark(flags[0].text))
            sources[attr] = flags[:1]
    marks = _marks(page, top, bottom, cols)
    occurrence = True if "OCCUR" in marks else (False if "CLAIMSMA" in marks else None)
    if kind == "GL":
        coverage.occurrence = occurrence
    elif kind == "UMBRELLA":
        if "EXCESSLI" in marks and "UMBRELLA" not in marks:
            coverage.type = "EXCESS"
        coverage.occurrence = occurrence
        _retention(page, top, bottom, cols, coverage)
    elif kind == "WC_EL":
        wide = _marks(page, top, bottom, {**cols, "type_x0": 0, "type_x1": 10_000})
        coverage.per_statute = bool(
            {"PER", "PERSTATU", "STATUTE", "WC", "WCSTATU", "TORY"} & set(wide)
        )
        if coverage.per_statute:
            sources["per_statute"] = [
                w for w in band if re.fullmatch(r"PER|STATUTE|STATU-?|TORY", w.text, re.I)
            ][:2]
    _read_limits(page, kind, top, bottom, cols, coverage, sources)
    if kind == "OTHER":
        described = [w.text for w in band if cols["type_x0"] <= w.x0 < cols["type_x1"]]
        coverage.description = " ".join(described) or None
        if not coverage.policy_number:
            return None
    return coverage


def _policy_and_dates(band, cols, coverage, sources):
    middle = [w for w in band if cols["policy_x0"] <= w.x0 and w.x1 <= cols["limits_x0"] + 2]
    dated = sorted(
        (w for w in middle if w.x0 >= cols["eff_x0"] - 25 and find_dates(w.text)),
        key=lambda w: w.x0,
    )
    if dated:
        coverage.effective_date = find_dates(dated[0].text)[0]
        sources["effective_date"] = dated[:1]
    if len(dated) > 1:
        coverage.expiration_date = find_dates(dated[-1].text)[0]
        sources["expiration_date"] = dated[-1:]
    column = [w for w in middle if w.x1 <= cols["eff_x0"] + 4 and not find_dates(w.text)]
    anchor = (
        dated[0]
        if dated
        else next((w for w in column if re.search(r"\d", w.text) and len(w.text) >= 4), None)
    )
    if anchor is not None:
        numbers = sorted(beside(column, anchor, 4), key=lambda w: w.x0)
        if numbers:
            coverage.policy_number = " ".join(w.text for w in numbers)
            sources["policy_number"] = numbers


def _retention(page, top, bottom, cols, coverage):
    words = page.region(top, bottom, x_max=cols["policy_x0"] + 30)
    for word in words:
        if "RETENTION" not in word.text.upper():
            continue
        tail = word.text.upper().split("RETENTION", 1)[1].strip("$ ")
        after = sorted((w for w in beside(words, word, 4) if w.x0 > word.x0), key=lambda w: w.x0)
        for text in [tail] + [w.text for w in after[:2]]:
            amount = parse_amount(text.strip("$ ")) if text.strip("$ ") else None
            if isinstance(amount, int):
                coverage.limits["RETENTION"] = amount
                return


def _description_and_holder(page, anchors, result, confidence):
    description, holder, footer = anchors["description"], anchors["holder"], anchors["footer"]
    if description:
        end = holder.top if holder else description.top + 80
        lines = group_lines(page.region(description.bottom + 0.5, end - 0.5))
        text = "\n".join(line.text for line in lines).strip()
        if text:
            result.description_of_operations = text
            note(
                result, "description_of_operations", [w for line in lines for w in line], confidence
            )
    if holder:
        end = footer.top if footer else holder.top + 110
        drop = r"^CERTIFICATE HOLDER\b"
        found = [
            (text, line)
            for text, line in _block_lines(page, holder.top, end - 0.5, anchors["mid_x"], drop)
            if not re.search(r"AUTHORIZED REPRESENTATIVE|ACORD CORPORATION", text, re.I)
            and PHONE.sub("", EMAIL.sub("", text)).strip(" ,;|")
        ]
        lines = [text for text, _line in found]
        result.certificate_holder = {"name": lines[0] if lines else None, "address": lines[1:]}
        if lines:
            shown = _value_words(found[0][1], "CERTIFICATE|HOLDER")
            note(result, "certificate_holder.name", shown, confidence)
