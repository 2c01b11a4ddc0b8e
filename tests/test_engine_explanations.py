"""Plain-language explanations: which terms a requirement item asks for,
and the standard wording every term has."""

from coi_engine import explanations
from coi_engine.explanations import ExplainedTerm
from coi_engine.vocabulary import CoverageCode, EndorsementKind


def test_general_liability_with_every_endorsement_box():
    terms = explanations.terms_asked(
        CoverageCode.GL,
        additional_insured=True,
        waiver_of_subrogation=True,
        primary_noncontributory=True,
    )
    assert terms == [
        ExplainedTerm.ADDITIONAL_INSURED,
        ExplainedTerm.WAIVER_OF_SUBROGATION,
        ExplainedTerm.PRIMARY_NONCONTRIBUTORY,
    ]


def test_plain_limits_need_no_explanation():
    assert explanations.terms_asked(CoverageCode.GL) == []
    assert explanations.terms_asked(CoverageCode.AUTO) == []


def test_completed_operations_come_from_the_endorsement_documents_asked():
    terms = explanations.terms_asked(
        CoverageCode.GL,
        endorsement_kinds=(EndorsementKind.AI_ONGOING, EndorsementKind.AI_COMPLETED),
    )
    assert terms == [ExplainedTerm.ADDITIONAL_INSURED, ExplainedTerm.COMPLETED_OPERATIONS]


def test_workers_comp_statutory_and_its_waiver_document():
    terms = explanations.terms_asked(
        CoverageCode.WC_EL, per_statute=True, endorsement_kinds=(EndorsementKind.WC_WAIVER,)
    )
    assert terms == [ExplainedTerm.WAIVER_OF_SUBROGATION, ExplainedTerm.PER_STATUTE]


def test_umbrella_and_excess_are_explained():
    assert explanations.terms_asked(CoverageCode.UMBRELLA) == [ExplainedTerm.UMBRELLA]
    assert explanations.terms_asked(CoverageCode.EXCESS) == [ExplainedTerm.UMBRELLA]


def test_every_term_has_standard_wording_that_says_what_to_ask():
    assert set(explanations.STANDARD_EXPLANATIONS) == set(explanations.EXPLAINED_TERMS)
    for text in explanations.STANDARD_EXPLANATIONS.values():
        assert "Ask your agent" in text
        assert len(text) < 400
