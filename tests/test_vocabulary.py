"""One rule book: the codes of statuses, tiers, coverages, limits and
endorsements are spelled in `coi_tracking/engine/vocabulary.py` only; the
engine, the data files and the reader use the same codes."""

import ast
import dataclasses
import re
import xml.etree.ElementTree as ET
from datetime import date, timedelta
from pathlib import Path

import coi_engine
import coi_fixtures as fx
import pytest
from coi_engine import Exemption, Policy, Requirement, evaluate, extract
from coi_engine import vocabulary as V
from coi_engine.extract import layout

ROOT = Path(__file__).resolve().parents[1]
VOCABULARY = ROOT / "coi_tracking" / "engine" / "vocabulary.py"
# The shipped Python (tests and benchmarks, which write data as a user
# would, may spell codes).
PYTHON_ROOTS = ("coi_tracking", "coi_tracking_api", "coi_tracking_portal", "setup")
# Codes no Python file but vocabulary.py may spell: the vendor statuses, the
# line statuses that are no other word of the suite, the risk tiers.
GUARDED = (
    *V.VENDOR_STATUSES,
    V.LineStatus.INSUFFICIENT_LIMIT,
    V.LineStatus.STATUTORY_MISSING,
    V.LineStatus.ENDORSEMENT_MISSING,
    V.LineStatus.RATING_TOO_LOW,
    V.LineStatus.DEVIATION_ACCEPTED,
    *V.codes(V.RISK_TIER_SELECTION),
)
DAY = date(2026, 3, 1)


def spelled_codes(source, codes):
    """[(line, code)] for each of `codes` spelled in Python `source`: a string
    that is the code, or SQL in a string quoting it (`= 'code'`,
    `IN ('a', 'code')`, `THEN 'code'`)."""
    alternatives = "|".join(re.escape(code) for code in codes)
    sql = re.compile(rf"(?:[=(,]|\b(?:IN|THEN|WHEN|ELSE))\s*'({alternatives})'", re.I)
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if node.value in codes:
                found.append((node.lineno, node.value))
            found += [(node.lineno, code) for code in sql.findall(node.value)]
    return sorted(found)


def python_files():
    for top in PYTHON_ROOTS:
        for path in sorted((ROOT / top).rglob("*.py")):
            relative = path.relative_to(ROOT)
            if "tests" in relative.parts or path == VOCABULARY:
                continue
            yield relative


def test_no_python_file_but_the_vocabulary_spells_a_guarded_code():
    spelled = [
        f"{path}:{line}: {code!r}"
        for path in python_files()
        for line, code in spelled_codes((ROOT / path).read_text(), GUARDED)
    ]
    assert spelled == [], "use coi_tracking/engine/vocabulary.py:\n" + "\n".join(spelled)


def test_the_check_finds_codes_in_python_and_in_sql():
    model = """
domain = [("coi_status", "=", "non_compliant")]
query = SQL("SELECT COUNT(*) FILTER (WHERE p.coi_status IN ('exempt', 'not_required'))")
window = SQL("CASE WHEN s.risk_tier = 'high' THEN 3 ELSE 1 END")
"""
    assert spelled_codes(model, GUARDED) == [
        (2, "non_compliant"),
        (3, "exempt"),
        (3, "not_required"),
        (4, "high"),
    ]
    clean = """
domain = [("coi_status", "=", VendorStatus.NON_COMPLIANT)]
query = SQL("WHERE p.coi_status IN %s", NOT_INSURED_STATUSES)
help_text = "A policy that ends within this many days makes the vendor 'expiring'."
"""
    assert spelled_codes(clean, GUARDED) == []


def test_selections_and_groups_agree():
    def codes_of(namespace):
        return {v for k, v in vars(namespace).items() if not k.startswith("_")}

    assert set(V.VENDOR_STATUSES) == codes_of(V.VendorStatus)
    assert set(V.codes(V.LINE_STATUS_SELECTION)) == set(V.LINE_STATUSES) == codes_of(V.LineStatus)
    assert set(V.DEFICIENT_STATUSES) == set(V.LINE_STATUSES) - set(V.LINE_IN_COMPLIANCE_STATUSES)
    assert set(V.codes(V.CERTIFICATE_STATE_SELECTION)) == codes_of(V.CertificateState)
    assert set(V.CERTIFICATE_KINDS) == codes_of(V.CertificateKind)
    assert set(V.codes(V.CERTIFICATE_SOURCE_SELECTION)) == codes_of(V.CertificateSource)
    assert set(V.POLICY_STATES) == codes_of(V.PolicyState)
    assert set(V.codes(V.NOTICE_KIND_SELECTION)) == codes_of(V.NoticeKind)
    assert set(V.codes(V.NOTICE_STATE_SELECTION)) == codes_of(V.NoticeState)
    assert set(V.codes(V.EXPIRY_WINDOW_SELECTION)) == codes_of(V.ExpiryWindow)
    assert set(V.codes(V.RISK_TIER_SELECTION)) == codes_of(V.RiskTier) == set(V.TIER_WEIGHTS)
    assert set(V.LIMIT_CODES) == codes_of(V.LimitCode)
    assert set(V.ENDORSEMENTS) == codes_of(V.Endorsement)
    # Every vendor status is in exactly one of: covered, blocking, not insured.
    groups = (V.IN_COMPLIANCE_STATUSES, V.BLOCKING_STATUSES, V.NOT_INSURED_STATUSES)
    assert sorted(s for group in groups for s in group) == sorted(V.VENDOR_STATUSES)
    assert set(V.ATTENTION_STATUSES) <= set(V.VENDOR_STATUSES) - set(V.NOT_INSURED_STATUSES)
    assert set(V.SATISFIED_STATUSES) == set(V.VENDOR_STATUSES) - set(V.BLOCKING_STATUSES)
    assert set(V.PENDING_STATES) <= codes_of(V.CertificateState)
    assert set(V.COUNTED_STATES) <= set(V.POLICY_STATES)
    weights = [V.TIER_WEIGHTS[tier] for tier in V.codes(V.RISK_TIER_SELECTION)]
    assert weights == sorted(weights)
    windows = [window for window, _days in V.EXPIRY_WINDOW_DAYS]
    assert set(windows) < set(V.codes(V.EXPIRY_WINDOW_SELECTION))
    assert [days for _w, days in V.EXPIRY_WINDOW_DAYS] == sorted(
        days for _w, days in V.EXPIRY_WINDOW_DAYS
    )
    assert set(V.STACKABLE_LIMITS) <= set(V.LIMIT_CODES)
    assert set(V.STACKING_COVERAGES) <= set(V.COVERAGE_CODES)
    assert set(V.COVERAGE_LABELS) == set(V.COVERAGE_CODES)
    assert set(V.codes(V.CONFIDENCE_LEVEL_SELECTION)) == codes_of(V.ConfidenceLevel)
    assert len(set(V.AM_BEST_RATINGS)) == len(V.AM_BEST_RATINGS)


def test_the_engine_speaks_the_vocabulary():
    assert coi_engine.VENDOR_STATUSES is V.VENDOR_STATUSES
    assert coi_engine.LINE_STATUSES is V.LINE_STATUSES
    assert coi_engine.DEFICIENT_STATUSES is V.DEFICIENT_STATUSES
    # The endorsement codes are the flags' names on requirements and policies.
    for datatype in (Requirement, Policy):
        assert set(V.ENDORSEMENTS) <= {f.name for f in dataclasses.fields(datatype)}
    assert Policy(V.CoverageCode.GL).state == V.PolicyState.ACTIVE


def _status(requirements=(), policies=(), **kwargs):
    return evaluate(requirements, policies, DAY, **kwargs).status


def test_the_engine_gives_every_vendor_status_and_no_other():
    gl = Requirement(V.CoverageCode.GL, limits={V.LimitCode.EACH_OCCURRENCE: 1_000_000})

    def policy(days, amount=1_000_000, **kwargs):
        return Policy(
            V.CoverageCode.GL,
            effective=DAY - timedelta(days=100),
            expiration=DAY + timedelta(days=days),
            limits={V.LimitCode.EACH_OCCURRENCE: amount},
            **kwargs,
        )

    statuses = {
        _status([gl], [policy(200)]),
        _status([gl], [policy(10)]),
        _status([gl], [policy(200, amount=500_000)]),
        _status([gl], [], pending_review=True),
        _status(),
        _status([gl], [], exemption=Exemption("owner-operator")),
    }
    assert statuses == set(V.VENDOR_STATUSES)
    result = evaluate([gl], [policy(200, amount=500_000)], DAY)
    assert {line.status for line in result.lines} <= set(V.LINE_STATUSES)
    assert {d.kind for d in result.deficiencies} <= set(V.DEFICIENT_STATUSES)


# A status or tier compared with literals in a view, a search filter or a
# QWeb template: `coi_status == 'x'`, `('status', 'in', ('x', 'y'))`.
VIEW_COMPARISON = re.compile(
    r"\b(coi_status|vendor_status|risk_tier|status)'?\s*,?\s*'?(?:==|!=|=|not in|in)'?,?\s*"
    r"(\([^)]*\)|'[^']*')"
)


def test_views_compare_with_codes_of_the_vocabulary():
    """XML may spell codes in domains and decorations: only known ones."""
    known = {
        "coi_status": set(V.VENDOR_STATUSES),
        "vendor_status": set(V.VENDOR_STATUSES),
        "risk_tier": set(V.codes(V.RISK_TIER_SELECTION)),
        "status": set(V.VENDOR_STATUSES) | set(V.LINE_STATUSES),
    }
    compared, unknown = 0, []
    for top in ("coi_tracking", "coi_tracking_api", "coi_tracking_portal"):
        for path in sorted((ROOT / top).rglob("*.xml")):
            for field, value in VIEW_COMPARISON.findall(path.read_text()):
                for code in re.findall(r"'([^']*)'", value):
                    compared += 1
                    if code not in known[field]:
                        unknown.append(f"{path.relative_to(ROOT)}: {field} {code!r}")
    assert compared > 20
    assert unknown == []


def _data_codes(filename, model):
    path = ROOT / "coi_tracking" / "data" / filename
    root = ET.parse(path).getroot()  # noqa: S314 - the addon's own data file
    return {
        record.find("field[@name='code']").text
        for record in root.iter("record")
        if record.get("model") == model
    }


def test_the_data_files_hold_the_vocabulary_codes():
    assert _data_codes("coi_coverage_data.xml", "coi.coverage.type") == set(V.COVERAGE_CODES)
    assert _data_codes("coi_coverage_data.xml", "coi.limit.type") == set(V.LIMIT_CODES)


@pytest.mark.parametrize(
    "pdf",
    [
        pytest.param(lambda: fx.layout_pdf(), id="text"),
        pytest.param(lambda: fx.acroform_pdf(), id="acroform"),
        pytest.param(lambda: fx.acroform_pdf(naming="2001"), id="acroform-2001"),
    ],
)
def test_the_reader_gives_vocabulary_codes(pdf):
    result = extract(pdf())
    assert result.coverages
    for coverage in result.to_dict()["coverages"]:
        assert coverage["type"] in V.COVERAGE_CODES
        assert set(coverage["limits"]) <= set(V.LIMIT_CODES)
    assert {code for code, _pattern in layout.ROWS} <= set(V.COVERAGE_CODES)


# ---- record states, kinds and sources ---------------------------------------

# Fields of the suite's records whose values are codes of the vocabulary.
CODED_FIELDS = {"state", "kind", "source", "coi_status", "status"}
RECORD_CODES = frozenset(
    {
        *V.codes(V.CERTIFICATE_STATE_SELECTION),
        *V.CERTIFICATE_KINDS,
        *V.codes(V.CERTIFICATE_SOURCE_SELECTION),
        *V.POLICY_STATES,
        *V.codes(V.NOTICE_KIND_SELECTION),
        *V.codes(V.NOTICE_STATE_SELECTION),
        *V.codes(V.POLICY_NOTICE_SELECTION),
        *V.codes(V.DEVIATION_STATE_SELECTION),
    }
)


def _strings(node):
    """The string constants of `node` when it is one or a tuple/list/set of them."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.Tuple | ast.List | ast.Set):
        return [s for elt in node.elts for s in _strings(elt)]
    return []


def compared_codes(source):
    """[(line, code)] for each code of RECORD_CODES compared with a coded
    field in Python `source`: in a domain (`("state", "=", "active")`) or
    in an expression (`policy.state in ("active", "draft")`)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        values = []
        if isinstance(node, ast.Tuple) and len(node.elts) == 3:
            field_name, operator, value = node.elts
            if (
                _strings(field_name)
                and _strings(field_name)[0] in CODED_FIELDS
                and _strings(operator)
            ):
                values = _strings(value)
        elif isinstance(node, ast.Compare) and isinstance(node.left, ast.Attribute):
            if node.left.attr in CODED_FIELDS:
                values = [s for comparator in node.comparators for s in _strings(comparator)]
        found += [(node.lineno, code) for code in values if code in RECORD_CODES]
    return sorted(found)


def test_record_states_kinds_and_sources_come_from_the_vocabulary():
    spelled = [
        f"{path}:{line}: {code!r}"
        for path in python_files()
        for line, code in compared_codes((ROOT / path).read_text())
    ]
    assert spelled == [], "use coi_tracking/engine/vocabulary.py:\n" + "\n".join(spelled)


def test_the_state_check_finds_domains_and_comparisons():
    model = """
policies = env["coi.policy"].search([("state", "in", ("active", "draft"))])
api = env["coi.certificate"].search([("source", "=", "api")])
late = notices.filtered(lambda n: n.state != "sent")
orders = self.filtered(lambda o: o.state in ("purchase", "to approve"))
label = {"state": "active"}
"""
    assert compared_codes(model) == [(2, "active"), (2, "draft"), (3, "api"), (4, "sent")]
    clean = """
policies = env["coi.policy"].search([("state", "in", (PolicyState.ACTIVE, PolicyState.DRAFT))])
late = notices.filtered(lambda n: n.state != NoticeState.SENT)
"""
    assert compared_codes(clean) == []
