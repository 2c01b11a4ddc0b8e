"""Plain-language sentences for deficiencies, written for a contractor."""

from datetime import date

from .vocabulary import (
    ENDORSEMENT_KIND_WORDS,
    ENDORSEMENTS,
    LIMIT_LABELS,
    Endorsement,
    EndorsementKind,
    SentenceCode,
)

# Additional insured for ongoing and for completed operations: one asked
# while the other is on file reads "covers ... only".
_OPERATIONS = {
    EndorsementKind.AI_ONGOING: "ongoing operations",
    EndorsementKind.AI_COMPLETED: "completed operations",
}


class Sentence(str):
    """A sentence in English that remembers how it was made: `code` names its
    wording, `params` its parts (plain strings and numbers, dates as ISO
    strings), so that the caller can say it again in another language. It
    is a `str` everywhere else."""

    code: str
    params: dict

    def __new__(cls, text, code, **params):
        sentence = super().__new__(cls, text)
        sentence.code = code
        sentence.params = params
        return sentence


def _policy(req, policy, **params):
    """The parts every sentence about one policy names."""
    return {
        "coverage": coverage_label(req),
        "coverage_code": req.coverage,
        "number": policy.number or "",
        **params,
    }


def _iso(value: date | None):
    return value.isoformat() if value else ""


def money(amount):
    if amount is None:
        return "not shown"
    if float(amount).is_integer():
        return f"${int(amount):,}"
    return f"${amount:,.2f}"


def day(value: date | None):
    return value.strftime("%m/%d/%Y") if value else "an unknown date"


def coverage_label(req):
    return req.coverage_name or req.coverage.replace("_", " ").title()


def policy_label(req, policy):
    number = f" {policy.number}" if policy.number else ""
    return f"{coverage_label(req)} policy{number}"


def missing(req):
    return Sentence(
        f"No {coverage_label(req)} policy is on file; one is required.",
        SentenceCode.MISSING,
        coverage=coverage_label(req),
        coverage_code=req.coverage,
    )


def expired(req, policy):
    return Sentence(
        f"{policy_label(req, policy)} expired on {day(policy.expiration)}; send the renewal.",
        SentenceCode.EXPIRED,
        **_policy(req, policy, date=_iso(policy.expiration)),
    )


def cancelled(req, policy):
    return Sentence(
        f"{policy_label(req, policy)} was cancelled on {day(policy.cancellation_date)}.",
        SentenceCode.CANCELLED,
        **_policy(req, policy, date=_iso(policy.cancellation_date)),
    )


def not_yet_effective(req, policy):
    return Sentence(
        f"{policy_label(req, policy)} only starts on {day(policy.effective)}.",
        SentenceCode.NOT_YET_EFFECTIVE,
        **_policy(req, policy, date=_iso(policy.effective)),
    )


def deviation_accepted(deviation):
    """An item a COI manager accepted as it is: who, until when, what instead."""
    who = deviation.approved_by or "a manager"
    what = (deviation.accepted or "").strip()
    if what and what[-1] not in ".!?":
        what += "."
    sentence = f"Accepted by {who} until {day(deviation.until)}"
    return Sentence(
        f"{sentence}: {what}" if what else f"{sentence}.",
        SentenceCode.DEVIATION_ACCEPTED,
        who=deviation.approved_by or "",
        date=_iso(deviation.until),
        accepted=what,
    )


def insufficient_limit(req, code, required, held, stacked=False):
    label = LIMIT_LABELS.get(code, code.replace("_", " ").lower())
    params = {
        "coverage": coverage_label(req),
        "coverage_code": req.coverage,
        "limit": label,
        "limit_code": code,
        "required": money(required),
    }
    if held is None:
        return Sentence(
            f"{coverage_label(req)} {label} is not shown; {money(required)} is required.",
            SentenceCode.LIMIT_NOT_SHOWN,
            **params,
        )
    with_umbrella = " (with umbrella/excess)" if stacked else ""
    return Sentence(
        f"{coverage_label(req)} {label}{with_umbrella} is {money(held)}; "
        f"{money(required)} is required.",
        SentenceCode.LIMIT_STACKED_TOO_LOW if stacked else SentenceCode.LIMIT_TOO_LOW,
        held=money(held),
        **params,
    )


def statutory_missing(req):
    return Sentence(
        f"{coverage_label(req)} must show statutory limits (per statute).",
        SentenceCode.STATUTORY_MISSING,
        coverage=coverage_label(req),
        coverage_code=req.coverage,
    )


def endorsement_missing(req, endorsement):
    params = {"coverage": coverage_label(req), "coverage_code": req.coverage}
    if endorsement == Endorsement.ADDITIONAL_INSURED:
        return Sentence(
            f"{coverage_label(req)} must name us as additional insured.",
            SentenceCode.ADDITIONAL_INSURED_MISSING,
            **params,
        )
    return Sentence(
        f"{coverage_label(req)} must include {ENDORSEMENTS[endorsement]}.",
        SentenceCode.ENDORSEMENT_MISSING,
        endorsement=endorsement,
        **params,
    )


def _form_hint(required, equivalent):
    if not required.form:
        return ""
    if equivalent:
        return f" (for example {required.form})"
    return f" (form {required.form}; no other form is accepted)"


def _names(names):
    names = list(names)
    if not names:
        return "no organization by name"
    if len(names) > 2:
        return f"{names[0]}, {names[1]} and others"
    return " and ".join(names)


def endorsement_form_missing(req, required, accepted, same_kind, on_file, equivalent=True):
    """What is missing when a requirement asks for an endorsement document:
    `accepted` are the forms on file that would do if they named us,
    `same_kind` those of the kind asked, `on_file` every endorsement on file
    for the policy."""
    words = ENDORSEMENT_KIND_WORDS.get(required.kind, required.kind.replace("_", " "))
    hint = _form_hint(required, equivalent)
    params = {
        "coverage": coverage_label(req),
        "coverage_code": req.coverage,
        "kind": required.kind,
        "required_form": required.form or "",
        "equivalent": bool(equivalent),
    }
    if accepted:
        shown = accepted[0]
        form = f" ({shown.form})" if shown.form else ""
        return Sentence(
            f"Your {words}{form} names {_names(shown.names)}, not us; we need one that names "
            "us, or a blanket endorsement (where required by written contract).",
            SentenceCode.FORM_NAMES_OTHERS,
            form=shown.form or "",
            names=list(shown.names),
            **params,
        )
    if same_kind:
        forms = ", ".join(sorted({e.form for e in same_kind if e.form}))
        return Sentence(
            f"Your {words} is form {forms or 'another form'}; we need form {required.form} "
            "itself.",
            SentenceCode.FORM_NOT_THE_ONE_REQUIRED,
            forms=forms,
            **params,
        )
    other = {
        EndorsementKind.AI_ONGOING: EndorsementKind.AI_COMPLETED,
        EndorsementKind.AI_COMPLETED: EndorsementKind.AI_ONGOING,
    }.get(required.kind)
    if other and any(e.kind == other and e.covers_us for e in on_file):
        return Sentence(
            f"Your additional insured endorsement covers {_OPERATIONS[other]} only; we also "
            f"need {_OPERATIONS[required.kind]}{hint}.",
            SentenceCode.FORM_OTHER_OPERATIONS_ONLY,
            other=other,
            **params,
        )
    article = "an" if words[:1] in "aeiou" else "a"
    return Sentence(
        f"We need {article} {words} on your {coverage_label(req)} policy{hint}.",
        SentenceCode.FORM_MISSING,
        **params,
    )


def rating_too_low(req, rating, minimum):
    params = {"coverage": coverage_label(req), "coverage_code": req.coverage, "minimum": minimum}
    if not rating:
        return Sentence(
            f"The {coverage_label(req)} insurer's AM Best rating is unknown; "
            f"{minimum} or better is required.",
            SentenceCode.RATING_UNKNOWN,
            **params,
        )
    return Sentence(
        f"The {coverage_label(req)} insurer is rated {rating} by AM Best; "
        f"{minimum} or better is required.",
        SentenceCode.RATING_TOO_LOW,
        rating=rating,
        **params,
    )


def expiring(req, policy, days_left):
    plural = "s" if days_left != 1 else ""
    return Sentence(
        f"{policy_label(req, policy)} expires on {day(policy.expiration)}, "
        f"in {days_left} day{plural}.",
        SentenceCode.EXPIRING,
        **_policy(req, policy, date=_iso(policy.expiration), days=days_left),
    )
