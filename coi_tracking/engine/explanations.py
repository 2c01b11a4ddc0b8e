"""Plain-language explanations of the insurance terms a requirement asks for.

Plain Python, no Odoo import. `ExplainedTerm` names the terms (the codes of
`coi.requirement.explanation.term`), `STANDARD_EXPLANATIONS` gives the
standard wording a requirement set starts from, and `terms_asked` says which
terms one requirement item asks for, so the upload page can show the
explanation next to the item.
"""

from .vocabulary import STACKING_COVERAGES, EndorsementKind


class ExplainedTerm:
    """A term of the requirements a contractor may not know."""

    ADDITIONAL_INSURED = "additional_insured"
    WAIVER_OF_SUBROGATION = "waiver_of_subrogation"
    PRIMARY_NONCONTRIBUTORY = "primary_noncontributory"
    COMPLETED_OPERATIONS = "completed_operations"
    PER_STATUTE = "per_statute"
    UMBRELLA = "umbrella"


EXPLAINED_TERM_SELECTION = [
    (ExplainedTerm.ADDITIONAL_INSURED, "Additional Insured"),
    (ExplainedTerm.WAIVER_OF_SUBROGATION, "Waiver of Subrogation"),
    (ExplainedTerm.PRIMARY_NONCONTRIBUTORY, "Primary and Non-Contributory"),
    (ExplainedTerm.COMPLETED_OPERATIONS, "Completed Operations"),
    (ExplainedTerm.PER_STATUTE, "Per Statute (Workers' Compensation)"),
    (ExplainedTerm.UMBRELLA, "Umbrella / Excess"),
]
EXPLAINED_TERMS = tuple(code for code, _label in EXPLAINED_TERM_SELECTION)

# The standard wording: what the term means, then what to ask the agent for.
STANDARD_EXPLANATIONS = {
    ExplainedTerm.ADDITIONAL_INSURED: (
        "Your policy must also protect us when a claim about your work is made "
        "against us. Ask your agent for an additional insured endorsement naming "
        'us (a blanket one "where required by written contract" is fine) and a '
        "certificate that ticks the ADDL INSD box."
    ),
    ExplainedTerm.WAIVER_OF_SUBROGATION: (
        "After paying a claim, your insurer gives up its right to recover the "
        "money from us. Ask your agent for a waiver of subrogation endorsement in "
        "our favour and a certificate that ticks the SUBR WVD box."
    ),
    ExplainedTerm.PRIMARY_NONCONTRIBUTORY: (
        "Your policy pays first for a claim about your work, and does not ask our "
        "own insurance to share the cost. Ask your agent for a primary and "
        "non-contributory endorsement, and to say so on the certificate."
    ),
    ExplainedTerm.COMPLETED_OPERATIONS: (
        "The protection continues after your job is finished, for damage or "
        "injury your finished work causes later. Ask your agent for the additional "
        "insured endorsement for completed operations (for example CG 20 37)."
    ),
    ExplainedTerm.PER_STATUTE: (
        "Workers' compensation must pay what the law of your state requires, with "
        "no lower limit. Ask your agent for a certificate that ticks PER STATUTE "
        "in the workers' compensation section."
    ),
    ExplainedTerm.UMBRELLA: (
        "An umbrella or excess policy adds limits on top of your liability "
        "policies when a claim is larger than they pay. Ask your agent to list it "
        "on the certificate with its policy number, limits and dates."
    ),
}


def terms_asked(
    coverage_code,
    additional_insured=False,
    waiver_of_subrogation=False,
    primary_noncontributory=False,
    per_statute=False,
    endorsement_kinds=(),
):
    """The terms one requirement item asks for, in the selection's order."""
    asked = {
        ExplainedTerm.ADDITIONAL_INSURED: additional_insured
        or EndorsementKind.AI_ONGOING in endorsement_kinds
        or EndorsementKind.AUTO_AI in endorsement_kinds,
        ExplainedTerm.WAIVER_OF_SUBROGATION: waiver_of_subrogation
        or EndorsementKind.WAIVER_OF_SUBROGATION in endorsement_kinds
        or EndorsementKind.AUTO_WAIVER in endorsement_kinds
        or EndorsementKind.WC_WAIVER in endorsement_kinds,
        ExplainedTerm.PRIMARY_NONCONTRIBUTORY: primary_noncontributory
        or EndorsementKind.PRIMARY_NONCONTRIBUTORY in endorsement_kinds,
        ExplainedTerm.COMPLETED_OPERATIONS: EndorsementKind.AI_COMPLETED in endorsement_kinds,
        ExplainedTerm.PER_STATUTE: bool(per_statute),
        ExplainedTerm.UMBRELLA: coverage_code in STACKING_COVERAGES,
    }
    return [term for term in EXPLAINED_TERMS if asked[term]]
