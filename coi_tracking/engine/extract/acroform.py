"""Values typed into the fillable ACORD 25: AcroForm fields and XFA data.

Two namings are common: the 2016/03 form's descriptive names, flat
(`Producer_FullName_A`) or nested under `F[0].P1[0].` with `[0]` suffixes, and
the 2001/08 form's short names (`InsurerA`, `PolicyNumberGeneral`). Both are
read into one dict {short name: value} and then mapped onto an Extraction.
"""

from __future__ import annotations

import re

from lxml import etree

from .model import HIGH, Coverage, Extraction
from .values import parse_amount, parse_date, parse_mark

# ---- 2016/03 naming ---------------------------------------------------------

_PARTY_2016 = {
    "producer": "Producer",
    "insured": "NamedInsured",
    "certificate_holder": "CertificateHolder",
}

# (type, prefix of letter field, AI field, subrogation field, policy field stem)
_COVERAGES_2016 = (
    (
        "GL",
        "GeneralLiability_InsurerLetterCode_A",
        "CertificateOfInsurance_GeneralLiability_AdditionalInsuredCode_A",
        "Policy_GeneralLiability_SubrogationWaivedCode_A",
        "Policy_GeneralLiability_",
        {
            "EACH_OCCURRENCE": "GeneralLiability_EachOccurrence_LimitAmount_A",
            "DAMAGE_TO_RENTED_PREMISES": (
                "GeneralLiability_FireDamageRentedPremises_EachOccurrenceLimitAmount_A"
            ),
            "MED_EXP": "GeneralLiability_MedicalExpense_EachPersonLimitAmount_A",
            "PERSONAL_ADV_INJURY": "GeneralLiability_PersonalAndAdvertisingInjury_LimitAmount_A",
            "GENERAL_AGGREGATE": "GeneralLiability_GeneralAggregate_LimitAmount_A",
            "PRODUCTS_COMP_OP_AGG": (
                "GeneralLiability_ProductsAndCompletedOperations_AggregateLimitAmount_A"
            ),
        },
    ),
    (
        "AUTO",
        "Vehicle_InsurerLetterCode_A",
        "CertificateOfInsurance_AutomobileLiability_AdditionalInsuredCode_A",
        "Policy_AutomobileLiability_SubrogationWaivedCode_A",
        "Policy_AutomobileLiability_",
        {
            "COMBINED_SINGLE_LIMIT": "Vehicle_CombinedSingleLimit_EachAccidentAmount_A",
            "BODILY_INJURY_PER_PERSON": "Vehicle_BodilyInjury_PerPersonLimitAmount_A",
            "BODILY_INJURY_PER_ACCIDENT": "Vehicle_BodilyInjury_PerAccidentLimitAmount_A",
            "PROPERTY_DAMAGE": "Vehicle_PropertyDamage_PerAccidentLimitAmount_A",
        },
    ),
    (
        "UMBRELLA",
        "ExcessUmbrella_InsurerLetterCode_A",
        "CertificateOfInsurance_ExcessLiability_AdditionalInsuredCode_A",
        "Policy_ExcessLiability_SubrogationWaivedCode_A",
        "Policy_ExcessLiability_",
        {
            "EACH_OCCURRENCE": "ExcessUmbrella_Umbrella_EachOccurrenceAmount_A",
            "AGGREGATE": "ExcessUmbrella_Umbrella_AggregateAmount_A",
            "RETENTION": "ExcessUmbrella_Umbrella_DeductibleOrRetentionAmount_A",
        },
    ),
    (
        "WC_EL",
        "WorkersCompensationEmployersLiability_InsurerLetterCode_A",
        None,
        "Policy_WorkersCompensation_SubrogationWaivedCode_A",
        "Policy_WorkersCompensationAndEmployersLiability_",
        {
            "EL_EACH_ACCIDENT": (
                "WorkersCompensationEmployersLiability_EmployersLiability_EachAccidentLimitAmount_A"
            ),
            "EL_DISEASE_EA_EMPLOYEE": "WorkersCompensationEmployersLiability_EmployersLiability_"
            "DiseaseEachEmployeeLimitAmount_A",
            "EL_DISEASE_POLICY_LIMIT": "WorkersCompensationEmployersLiability_EmployersLiability_"
            "DiseasePolicyLimitAmount_A",
        },
    ),
)

# ---- 2001/08 naming ---------------------------------------------------------

_COVERAGES_2001 = (
    (
        "GL",
        "InsrLtrGeneral",
        "AddInsrdGeneral",
        "General",
        {
            "EACH_OCCURRENCE": "EachOccurrence",
            "DAMAGE_TO_RENTED_PREMISES": "DamageToRented",
            "MED_EXP": "MedExp",
            "PERSONAL_ADV_INJURY": "Personal",
            "GENERAL_AGGREGATE": "GeneralAggregate",
            "PRODUCTS_COMP_OP_AGG": "Products",
        },
    ),
    (
        "AUTO",
        "InsrLtrAutomobile",
        "AddInsrdAutomobile",
        "Automobile6",
        {
            "COMBINED_SINGLE_LIMIT": "CombinedSingle",
            "BODILY_INJURY_PER_PERSON": "BodilyInjuryPerson",
            "BODILY_INJURY_PER_ACCIDENT": "BodilyInjuredAccident",
            "PROPERTY_DAMAGE": "PropertyDamage",
        },
    ),
    (
        "UMBRELLA",
        "InsrLtrExcess",
        "AddInsrdExcess",
        "Excess",
        {"EACH_OCCURRENCE": "EachOccurrence1", "AGGREGATE": "Aggregate", "RETENTION": "Retention"},
    ),
    (
        "WC_EL",
        "InsrLtrWorkers",
        None,
        ("Worker", "Workers", "Workers"),
        {
            "EL_EACH_ACCIDENT": "ELEachAccident",
            "EL_DISEASE_EA_EMPLOYEE": "ELDisease",
            "EL_DISEASE_POLICY_LIMIT": "ELDiseasePolicy",
        },
    ),
)


def short_name(name: str) -> str:
    """`F[0].P1[0].Producer_FullName_A[0]` -> `Producer_FullName_A`."""
    return re.sub(r"\[\d+\]", "", name.split(".")[-1]).strip()


def read_fields(doc) -> dict[str, object]:
    """{short name: value} of every filled AcroForm field of a pdfminer
    document (the XFA data is read on its own: `read_xfa_fields`)."""
    from pdfminer.pdftypes import resolve1
    from pdfminer.psparser import PSLiteral
    from pdfminer.utils import decode_text

    form = _acroform(doc)
    if form is None:
        return {}
    values: dict[str, object] = {}

    def text(value):
        value = resolve1(value)
        if isinstance(value, bytes):
            return decode_text(value)
        if isinstance(value, PSLiteral):
            return value.name if isinstance(value.name, str) else value.name.decode("latin1")
        return value

    def walk(fields, prefix, depth=0):
        if depth > 12:
            return
        for ref in fields or ():
            field = resolve1(ref)
            if not isinstance(field, dict):
                continue
            name = text(field.get("T"))
            full = f"{prefix}.{name}" if prefix and name else (name or prefix)
            kids = resolve1(field.get("Kids"))
            if kids and any("T" in (resolve1(k) or {}) for k in kids):
                walk(kids, full, depth + 1)
                continue
            value = text(field.get("V"))
            if value not in (None, "", "Off") and full:
                values[short_name(full)] = value

    walk(resolve1(form.get("Fields")), "")
    return values


def read_xfa_fields(doc) -> dict[str, str]:
    """{local name: text} of the XFA data of a pdfminer document, if any."""
    from pdfminer.pdftypes import resolve1

    form = _acroform(doc)
    return read_xfa(form, resolve1) if form is not None else {}


def _acroform(doc):
    from pdfminer.pdftypes import resolve1

    form = resolve1(doc.catalog.get("AcroForm"))
    return form if isinstance(form, dict) else None


def read_xfa(form, resolve1) -> dict[str, str]:
    """Leaf elements of the XFA `datasets` packet: {local name: text}."""
    xfa = resolve1(form.get("XFA"))
    if xfa is None:
        return {}
    if isinstance(xfa, list):
        packets = dict(zip(xfa[::2], xfa[1::2], strict=False))
        stream = next(
            (
                v
                for k, v in packets.items()
                if (k.decode() if isinstance(k, bytes) else k) == "datasets"
            ),
            None,
        )
    else:
        stream = xfa
    stream = resolve1(stream)
    if stream is None or not hasattr(stream, "get_data"):
        return {}
    try:
        # Entities are not resolved and nothing is fetched: safe on untrusted files.
        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
        root = etree.fromstring(stream.get_data(), parser=parser)  # noqa: S320
    except etree.XMLSyntaxError:
        return {}
    data = {}
    for element in root.iter():
        if not isinstance(element.tag, str) or len(element):
            continue
        value = (element.text or "").strip()
        if value:
            data[etree.QName(element).localname] = value
    return data


def _clean(value):
    if value is None:
        return None
    value = str(value).strip()
    return value or None


def _city_line(fields, stem):
    city = _clean(fields.get(f"{stem}_MailingAddress_CityName_A"))
    state = _clean(fields.get(f"{stem}_MailingAddress_StateOrProvinceCode_A"))
    postal = _clean(fields.get(f"{stem}_MailingAddress_PostalCode_A"))
    line = ", ".join(part for part in (city, " ".join(p for p in (state, postal) if p)) if part)
    return line or None


def _party_2016(fields, stem):
    address = [
        _clean(fields.get(f"{stem}_MailingAddress_LineOne_A")),
        _clean(fields.get(f"{stem}_MailingAddress_LineTwo_A")),
        _city_line(fields, stem),
    ]
    return {"name": _clean(fields.get(f"{stem}_FullName_A")), "address": [a for a in address if a]}


def _party_lines(value):
    lines = [line.strip() for line in str(value or "").splitlines() if line.strip()]
    return {"name": lines[0] if lines else None, "address": lines[1:]}


def _edition(fields):
    raw = str(fields.get("Form_EditionIdentifier_A") or "")
    match = re.search(r"(\d{4})[-/](\d{2})", raw)
    return f"ACORD 25 ({match.group(1)}/{match.group(2)})" if match else None


def _limits(fields, names):
    limits = {}
    for code, name in names.items():
        amount = parse_amount(_clean(fields.get(name)))
        if amount is not None:
            limits[code] = amount
    return limits


def _high(coverage):
    coverage.confidence = {
        key: HIGH
        for key in ("policy_number", "effective_date", "expiration_date", "limits")
        if getattr(coverage, key)
    }
    return coverage


def to_extraction(fields: dict) -> Extraction | None:
    """Map form values onto an Extraction; None when the form holds nothing."""
    if any(name.startswith(("Producer_", "NamedInsured_", "Policy_")) for name in fields):
        return _from_2016(fields)
    if any(name in fields for name in ("Insured", "Producer", "PolicyNumberGeneral")):
        return _from_2001(fields)
    return None


def _from_2016(fields):
    result = Extraction(method="acroform", form=_edition(fields) or "ACORD 25 (2016/03)")
    for key, stem in _PARTY_2016.items():
        setattr(result, key, _party_2016(fields, stem))
    result.producer.update(
        contact_name=_clean(fields.get("Producer_ContactPerson_FullName_A")),
        phone=_clean(fields.get("Producer_ContactPerson_PhoneNumber_A")),
        fax=_clean(fields.get("Producer_FaxNumber_A")),
        email=_clean(fields.get("Producer_ContactPerson_EmailAddress_A")),
    )
    for letter in "ABCDEF":
        name = _clean(fields.get(f"Insurer_FullName_{letter}"))
        if name:
            result.insurers[letter] = {
                "name": name,
                "naic": _clean(fields.get(f"Insurer_NAICCode_{letter}")),
            }
    result.certificate_date = parse_date(_clean(fields.get("Form_CompletionDate_A")))
    result.certificate_number = _clean(
        fields.get("CertificateOfInsurance_CertificateNumberIdentifier_A")
    )
    result.description_of_operations = _clean(
        fields.get("CertificateOfLiabilityInsurance_ACORDForm_RemarkText_A")
    )
    for kind, letter, ai, subr, stem, limit_names in _COVERAGES_2016:
        coverage = Coverage(
            type=kind,
            insurer_letter=_clean(fields.get(letter)),
            policy_number=_clean(fields.get(f"{stem}PolicyNumberIdentifier_A")),
            effective_date=parse_date(_clean(fields.get(f"{stem}EffectiveDate_A"))),
            expiration_date=parse_date(_clean(fields.get(f"{stem}ExpirationDate_A"))),
            additional_insured=parse_mark(fields.get(ai)) if ai else None,
            subrogation_waived=parse_mark(fields.get(subr)),
            limits=_limits(fields, limit_names),
        )
        if kind == "GL":
            coverage.occurrence = _occurrence(
                fields.get("GeneralLiability_OccurrenceIndicator_A"),
                fields.get("GeneralLiability_ClaimsMadeIndicator_A"),
            )
        elif kind == "UMBRELLA":
            if parse_mark(fields.get("Policy_PolicyType_ExcessIndicator_A")):
                coverage.type = "EXCESS"
            coverage.occurrence = _occurrence(
                fields.get("ExcessUmbrella_OccurrenceIndicator_A"),
                fields.get("ExcessUmbrella_ClaimsMadeIndicator_A"),
            )
        elif kind == "WC_EL":
            coverage.per_statute = bool(
                parse_mark(
                    fields.get(
                        "WorkersCompensationEmployersLiability_"
                        "WorkersCompensationStatutoryLimitIndicator_A"
                    )
                )
            )
        if not coverage.is_empty():
            result.coverages.append(_high(coverage))
    other = Coverage(
        type="OTHER",
        insurer_letter=_clean(fields.get("OtherPolicy_InsurerLetterCode_A")),
        policy_number=_clean(fields.get("OtherPolicy_PolicyNumberIdentifier_A")),
        effective_date=parse_date(_clean(fields.get("OtherPolicy_PolicyEffectiveDate_A"))),
        expiration_date=parse_date(_clean(fields.get("OtherPolicy_PolicyExpirationDate_A"))),
        additional_insured=parse_mark(
            fields.get("CertificateOfInsurance_OtherPolicy_AdditionalInsuredCode_A")
        ),
        subrogation_waived=parse_mark(fields.get("OtherPolicy_SubrogationWaivedCode_A")),
        description=_clean(fields.get("OtherPolicy_OtherPolicyDescription_A")),
    )
    if not other.is_empty():
        result.coverages.append(_high(other))
    _confident(result)
    return result


def _occurrence(occur, claims_made):
    if parse_mark(occur):
        return True
    if parse_mark(claims_made):
        return False
    return None


def _from_2001(fields):
    result = Extraction(method="acroform", form="ACORD 25 (2001/08)")
    result.producer = {
        **_party_lines(fields.get("Producer")),
        "contact_name": None,
        "phone": None,
        "fax": None,
        "email": None,
    }
    result.insured = _party_lines(fields.get("Insured"))
    result.certificate_holder = _party_lines(fields.get("CertificateHolder"))
    for letter in "ABCDEF":
        name = _clean(fields.get(f"Insurer{letter}"))
        if name:
            result.insurers[letter] = {"name": name, "naic": _clean(fields.get(f"NAIC{letter}"))}
    result.certificate_date = parse_date(_clean(fields.get("Date")))
    result.description_of_operations = _clean(fields.get("Description"))
    for kind, letter, ai, stem, limit_names in _COVERAGES_2001:
        number_stem, eff_stem, exp_stem = stem if isinstance(stem, tuple) else (stem,) * 3
        coverage = Coverage(
            type=kind,
            insurer_letter=_clean(fields.get(letter)),
            policy_number=_clean(fields.get(f"PolicyNumber{number_stem}")),
            effective_date=parse_date(_clean(fields.get(f"PolicyEffective{eff_stem}"))),
            expiration_date=parse_date(_clean(fields.get(f"PolicyExpiration{exp_stem}"))),
            additional_insured=parse_mark(fields.get(ai)) if ai else None,
            limits=_limits(fields, limit_names),
        )
        if kind == "GL":
            coverage.occurrence = _occurrence(fields.get("Occur"), fields.get("Claimsmade"))
        elif kind == "UMBRELLA":
            coverage.occurrence = _occurrence(
                fields.get("OccureExcess"), fields.get("ClaimsMadeExcess")
            )
        elif kind == "WC_EL":
            coverage.per_statute = bool(parse_mark(fields.get("WCStatutoryLimits")))
        if not coverage.is_empty():
            result.coverages.append(_high(coverage))
    _confident(result)
    return result


def _confident(result):
    for key in ("certificate_date", "certificate_number", "description_of_operations"):
        if getattr(result, key):
            result.confidence[key] = HIGH
    for key in ("producer", "insured", "certificate_holder"):
        if getattr(result, key).get("name"):
            result.confidence[f"{key}.name"] = HIGH
    for letter in result.insurers:
        result.confidence[f"insurers.{letter}"] = HIGH
