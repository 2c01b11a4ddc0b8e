"""Certificates of insurance for tests, generated in memory.

Every document here is drawn by the project at test time.  The names, numbers
and wording are made up; no real certificate and no sentence of one is copied.
The geometry imitates an ACORD 25 page (label and field positions measured on
the blank 2016/03 and 2001/08 forms) so that an extractor written against real
certificates reads these fixtures too.  Every public function returns bytes.

Variants: ``layout_pdf`` (text layer), ``acroform_pdf`` (values in form
fields), ``xfa_pdf`` (values in the XFA datasets only), ``freetext_pdf``
(values only in FreeText annotations), ``overprinted_pdf`` (a superseded value
hidden under the visible one), ``scan_png`` / ``scanned_pdf`` (no text layer),
``packet_pdf`` (certificate on page 2 of 3) and bad inputs (``not_a_pdf``,
``corrupted_pdf``, ``encrypted_pdf``, ``zero_page_pdf``, ``many_pages_pdf``,
``cat_png``, ``nonacord_pdf``).  ``expected`` gives the dict an extractor
should return for a fixture.
"""

import copy
import hashlib
import io
import re
from typing import NamedTuple
from xml.sax.saxutils import escape

import pdfplumber
from PIL import Image, ImageDraw
from PyPDF2 import PdfReader, PdfWriter
from PyPDF2.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
    TextStringObject,
)
from reportlab.lib.pagesizes import letter
from reportlab.lib.utils import ImageReader, simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas

PAGE_W, PAGE_H = letter
FONT = "Helvetica"
BOLD = "Helvetica-Bold"
VALUE_SIZE = 8.0
PASSWORD = "fixture-secret"

SAMPLE = {
    "form": "ACORD 25 (2016/03)",
    "certificate_date": "2026-03-02",
    "certificate_number": "CN-2026-0042",
    "producer": {
        "name": "Harbor Point Insurance Services",
        "address": ["1450 Marina Way, Suite 210", "Port Alder, CA 94999"],
        "contact_name": "Dana Whitfield",
        "phone": "(415) 555-0142",
        "fax": "(415) 555-0143",
        "email": "certificates@harborpoint.example",
    },
    "insured": {
        "name": "Granite Peak Roofing LLC",
        "address": ["2210 Quarry Road", "Boulder Flats, CO 80999"],
    },
    "insurers": {
        "A": {"name": "Bluewater Casualty Insurance Company", "naic": "12345"},
        "B": {"name": "Ironclad Indemnity Company", "naic": "23456"},
        "C": {"name": "Redwood State Compensation Fund", "naic": "34567"},
    },
    "coverages": [
        {
            "type": "GL",
            "insurer_letter": "A",
            "policy_number": "GL-7781234",
            "effective_date": "2026-03-01",
            "expiration_date": "2027-03-01",
            "additional_insured": True,
            "subrogation_waived": True,
            "occurrence": True,
            "per_statute": None,
            "limits": {
                "EACH_OCCURRENCE": 1000000,
                "DAMAGE_TO_RENTED_PREMISES": 100000,
                "MED_EXP": 5000,
                "PERSONAL_ADV_INJURY": 1000000,
                "GENERAL_AGGREGATE": 2000000,
                "PRODUCTS_COMP_OP_AGG": 2000000,
            },
        },
        {
            "type": "AUTO",
            "insurer_letter": "B",
            "policy_number": "BA-5520917",
            "effective_date": "2026-03-01",
            "expiration_date": "2027-03-01",
            "additional_insured": True,
            "subrogation_waived": True,
            "occurrence": None,
            "per_statute": None,
            "limits": {"COMBINED_SINGLE_LIMIT": 1000000},
        },
        {
            "type": "UMBRELLA",
            "insurer_letter": "A",
            "policy_number": "UMB-3308812",
            "effective_date": "2026-03-01",
            "expiration_date": "2027-03-01",
            "additional_insured": None,
            "subrogation_waived": None,
            "occurrence": True,
            "per_statute": None,
            "limits": {"EACH_OCCURRENCE": 5000000, "AGGREGATE": 5000000},
        },
        {
            "type": "WC_EL",
            "insurer_letter": "C",
            "policy_number": "WC-9045561",
            "effective_date": "2026-01-01",
            "expiration_date": "2027-01-01",
            "additional_insured": None,
            "subrogation_waived": True,
            "occurrence": None,
            "per_statute": True,
            "limits": {
                "EL_EACH_ACCIDENT": 1000000,
                "EL_DISEASE_EA_EMPLOYEE": 1000000,
                "EL_DISEASE_POLICY_LIMIT": 1000000,
            },
        },
    ],
    "certificate_holder": {
        "name": "Example Holdings Inc",
        "address": [
            "Attn: Risk Management",
            "500 Commerce Plaza, Floor 12",
            "Springfield, IL 62999",
        ],
    },
    "description_of_operations": (
        "Certificate holder is additional insured on the general liability and automobile "
        "liability policies when required by written contract. Waiver of subrogation applies "
        "in favor of the certificate holder on general liability, automobile and workers "
        "compensation. Re: Riverside warehouse reroofing, job 26-118."
    ),
}

# Fields of the fillable ACORD 25 (2016/03): (name, kind, rect).  Kind "T" is a
# one-line text field, "M" a multi-line one, "B" a check box; rect is
# (x0, y0, x1, y1) in PDF points, origin at the bottom left, as in the blank form.
ACORD_2016_FIELDS = [
    ("Form_EditionIdentifier_A", "T", (0, 1, 0, 1)),
    ("Form_CompletionDate_A", "T", (511, 744, 590, 756)),
    ("Producer_FullName_A", "T", (22, 648, 302, 660)),
    ("Producer_MailingAddress_LineOne_A", "T", (22, 636, 302, 648)),
    ("Producer_MailingAddress_LineTwo_A", "T", (22, 624, 302, 636)),
    ("Producer_MailingAddress_CityName_A", "T", (22, 612, 238, 624)),
    ("Producer_MailingAddress_StateOrProvinceCode_A", "T", (238, 612, 256, 624)),
    ("Producer_MailingAddress_PostalCode_A", "T", (256, 612, 302, 624)),
    ("Producer_ContactPerson_FullName_A", "T", (346, 660, 590, 672)),
    ("Producer_ContactPerson_PhoneNumber_A", "T", (353, 648, 479, 660)),
    ("Producer_FaxNumber_A", "T", (518, 648, 590, 660)),
    ("Producer_ContactPerson_EmailAddress_A", "T", (346, 636, 590, 648)),
    ("NamedInsured_FullName_A", "T", (72, 588, 302, 600)),
    ("NamedInsured_MailingAddress_LineOne_A", "T", (72, 576, 302, 588)),
    ("NamedInsured_MailingAddress_LineTwo_A", "T", (72, 564, 302, 576)),
    ("NamedInsured_MailingAddress_CityName_A", "T", (72, 552, 238, 564)),
    ("NamedInsured_MailingAddress_StateOrProvinceCode_A", "T", (238, 552, 256, 564)),
    ("NamedInsured_MailingAddress_PostalCode_A", "T", (256, 552, 302, 564)),
    ("Insurer_FullName_A", "T", (349, 612, 536, 624)),
    ("Insurer_NAICCode_A", "T", (544, 612, 590, 624)),
    ("Insurer_FullName_B", "T", (349, 600, 536, 612)),
    ("Insurer_NAICCode_B", "T", (544, 600, 590, 612)),
    ("Insurer_FullName_C", "T", (349, 588, 536, 600)),
    ("Insurer_NAICCode_C", "T", (544, 588, 590, 600)),
    ("Insurer_FullName_D", "T", (349, 576, 536, 588)),
    ("Insurer_NAICCode_D", "T", (544, 576, 590, 588)),
    ("Insurer_FullName_E", "T", (349, 564, 536, 576)),
    ("Insurer_NAICCode_E", "T", (544, 564, 590, 576)),
    ("Insurer_FullName_F", "T", (349, 552, 536, 564)),
    ("Insurer_NAICCode_F", "T", (544, 552, 590, 564)),
    ("CertificateOfInsurance_CertificateNumberIdentifier_A", "T", (259, 540, 349, 552)),
    ("CertificateOfInsurance_RevisionNumberIdentifier_A", "T", (508, 540, 590, 552)),
    ("GeneralLiability_InsurerLetterCode_A", "T", (18, 444, 36, 456)),
    ("GeneralLiability_CoverageIndicator_A", "B", (36, 480, 50, 492)),
    ("GeneralLiability_ClaimsMadeIndicator_A", "B", (50, 468, 65, 480)),
    ("GeneralLiability_OccurrenceIndicator_A", "B", (115, 468, 130, 480)),
    ("GeneralLiability_OtherCoverageIndicator_A", "B", (36, 456, 50, 468)),
    ("GeneralLiability_OtherCoverageDescription_A", "T", (54, 456, 173, 468)),
    ("GeneralLiability_OtherCoverageIndicator_B", "B", (36, 444, 50, 456)),
    ("GeneralLiability_OtherCoverageDescription_B", "T", (54, 444, 173, 456)),
    ("GeneralLiability_GeneralAggregate_LimitAppliesPerPolicyIndicator_A", "B", (36, 420, 50, 432)),
    (
        "GeneralLiability_GeneralAggregate_LimitAppliesPerProjectIndicator_A",
        "B",
        (79, 420, 94, 432),
    ),
    (
        "GeneralLiability_GeneralAggregate_LimitAppliesPerLocationIndicator_A",
        "B",
        (122, 420, 137, 432),
    ),
    ("GeneralLiability_GeneralAggregate_LimitAppliesToOtherIndicator_A", "B", (36, 408, 50, 420)),
    ("GeneralLiability_GeneralAggregate_LimitAppliesToCode_A", "T", (79, 408, 173, 420)),
    ("CertificateOfInsurance_GeneralLiability_AdditionalInsuredCode_A", "T", (176, 444, 194, 456)),
    ("Policy_GeneralLiability_SubrogationWaivedCode_A", "T", (194, 444, 212, 456)),
    ("Policy_GeneralLiability_PolicyNumberIdentifier_A", "T", (216, 444, 328, 456)),
    ("Policy_GeneralLiability_EffectiveDate_A", "T", (331, 444, 378, 456)),
    ("Policy_GeneralLiability_ExpirationDate_A", "T", (378, 444, 425, 456)),
    ("GeneralLiability_EachOccurrence_LimitAmount_A", "T", (526, 480, 590, 492)),
    (
        "GeneralLiability_FireDamageRentedPremises_EachOccurrenceLimitAmount_A",
        "T",
        (526, 468, 590, 480),
    ),
    ("GeneralLiability_MedicalExpense_EachPersonLimitAmount_A", "T", (526, 456, 590, 468)),
    ("GeneralLiability_PersonalAndAdvertisingInjury_LimitAmount_A", "T", (526, 444, 590, 456)),
    ("GeneralLiability_GeneralAggregate_LimitAmount_A", "T", (526, 432, 590, 444)),
    (
        "GeneralLiability_ProductsAndCompletedOperations_AggregateLimitAmount_A",
        "T",
        (526, 420, 590, 432),
    ),
    ("GeneralLiability_OtherCoverageLimitDescription_A", "T", (428, 408, 511, 420)),
    ("GeneralLiability_OtherCoverageLimitAmount_A", "T", (526, 408, 590, 420)),
    ("Vehicle_InsurerLetterCode_A", "T", (18, 372, 36, 384)),
    ("Vehicle_AnyAutoIndicator_A", "B", (36, 384, 50, 396)),
    ("Vehicle_AllOwnedAutosIndicator_A", "B", (36, 372, 50, 384)),
    ("Vehicle_HiredAutosIndicator_A", "B", (36, 360, 50, 372)),
    ("Vehicle_OtherCoveredAutoIndicator_A", "B", (36, 348, 50, 360)),
    ("Vehicle_OtherCoveredAutoDescription_A", "T", (54, 348, 101, 360)),
    ("Vehicle_ScheduledAutosIndicator_A", "B", (104, 372, 119, 384)),
    ("Vehicle_NonOwnedAutosIndicator_A", "B", (104, 360, 119, 372)),
    ("Vehicle_OtherCoveredAutoIndicator_B", "B", (104, 348, 119, 360)),
    ("Vehicle_OtherCoveredAutoDescription_B", "T", (122, 348, 173, 360)),
    (
        "CertificateOfInsurance_AutomobileLiability_AdditionalInsuredCode_A",
        "T",
        (176, 372, 194, 384),
    ),
    ("Policy_AutomobileLiability_SubrogationWaivedCode_A", "T", (194, 372, 212, 384)),
    ("Policy_AutomobileLiability_PolicyNumberIdentifier_A", "T", (216, 372, 328, 384)),
    ("Policy_AutomobileLiability_EffectiveDate_A", "T", (331, 372, 378, 384)),
    ("Policy_AutomobileLiability_ExpirationDate_A", "T", (378, 372, 425, 384)),
    ("Vehicle_CombinedSingleLimit_EachAccidentAmount_A", "T", (526, 396, 590, 408)),
    ("Vehicle_BodilyInjury_PerPersonLimitAmount_A", "T", (526, 384, 590, 396)),
    ("Vehicle_BodilyInjury_PerAccidentLimitAmount_A", "T", (526, 372, 590, 384)),
    ("Vehicle_PropertyDamage_PerAccidentLimitAmount_A", "T", (526, 360, 590, 372)),
    ("Vehicle_OtherCoverage_CoverageDescription_A", "T", (428, 348, 511, 360)),
    ("Vehicle_OtherCoverage_LimitAmount_A", "T", (526, 348, 590, 360)),
    ("ExcessUmbrella_InsurerLetterCode_A", "T", (18, 324, 36, 336)),
    ("Policy_PolicyType_UmbrellaIndicator_A", "B", (36, 336, 50, 348)),
    ("Policy_PolicyType_ExcessIndicator_A", "B", (36, 324, 50, 336)),
    ("ExcessUmbrella_OccurrenceIndicator_A", "B", (115, 336, 130, 348)),
    ("ExcessUmbrella_ClaimsMadeIndicator_A", "B", (115, 324, 130, 336)),
    ("ExcessUmbrella_DeductibleIndicator_A", "B", (36, 312, 50, 324)),
    ("ExcessUmbrella_RetentionIndicator_A", "B", (72, 312, 86, 324)),
    ("ExcessUmbrella_Umbrella_DeductibleOrRetentionAmount_A", "T", (133, 312, 173, 324)),
    ("CertificateOfInsurance_ExcessLiability_AdditionalInsuredCode_A", "T", (176, 324, 194, 336)),
    ("Policy_ExcessLiability_SubrogationWaivedCode_A", "T", (194, 324, 212, 336)),
    ("Policy_ExcessLiability_PolicyNumberIdentifier_A", "T", (216, 324, 328, 336)),
    ("Policy_ExcessLiability_EffectiveDate_A", "T", (331, 324, 378, 336)),
    ("Policy_ExcessLiability_ExpirationDate_A", "T", (378, 324, 425, 336)),
    ("ExcessUmbrella_Umbrella_EachOccurrenceAmount_A", "T", (526, 336, 590, 348)),
    ("ExcessUmbrella_Umbrella_AggregateAmount_A", "T", (526, 324, 590, 336)),
    ("ExcessUmbrella_OtherCoverageDescription_A", "T", (428, 312, 511, 324)),
    ("ExcessUmbrella_OtherCoverageLimitAmount_A", "T", (526, 312, 590, 324)),
    ("WorkersCompensationEmployersLiability_InsurerLetterCode_A", "T", (18, 282, 36, 294)),
    (
        "WorkersCompensationEmployersLiability_AnyPersonsExcludedIndicator_A",
        "T",
        (158, 282, 173, 294),
    ),
    ("Policy_WorkersCompensation_SubrogationWaivedCode_A", "T", (194, 282, 212, 294)),
    (
        "Policy_WorkersCompensationAndEmployersLiability_PolicyNumberIdentifier_A",
        "T",
        (216, 282, 328, 294),
    ),
    ("Policy_WorkersCompensationAndEmployersLiability_EffectiveDate_A", "T", (331, 282, 378, 294)),
    ("Policy_WorkersCompensationAndEmployersLiability_ExpirationDate_A", "T", (378, 282, 425, 294)),
    (
        "WorkersCompensationEmployersLiability_WorkersCompensationStatutoryLimitIndicator_A",
        "B",
        (425, 300, 439, 312),
    ),
    ("WorkersCompensationEmployersLiability_OtherCoverageIndicator_A", "B", (475, 300, 490, 312)),
    ("WorkersCompensationEmployersLiability_OtherCoverageDescription_A", "T", (518, 300, 590, 312)),
    (
        "WorkersCompensationEmployersLiability_EmployersLiability_EachAccidentLimitAmount_A",
        "T",
        (526, 288, 590, 300),
    ),
    (
        "WorkersCompensationEmployersLiability_EmployersLiability_DiseaseEachEmployeeLimitAmount_A",
        "T",
        (526, 276, 590, 288),
    ),
    (
        "WorkersCompensationEmployersLiability_EmployersLiability_DiseasePolicyLimitAmount_A",
        "T",
        (526, 264, 590, 276),
    ),
    ("OtherPolicy_InsurerLetterCode_A", "T", (18, 240, 36, 252)),
    ("OtherPolicy_OtherPolicyDescription_A", "M", (40, 234, 173, 258)),
    ("CertificateOfInsurance_OtherPolicy_AdditionalInsuredCode_A", "T", (176, 240, 194, 252)),
    ("OtherPolicy_SubrogationWaivedCode_A", "T", (194, 240, 212, 252)),
    ("OtherPolicy_PolicyNumberIdentifier_A", "T", (216, 240, 328, 252)),
    ("OtherPolicy_PolicyEffectiveDate_A", "T", (331, 240, 378, 252)),
    ("OtherPolicy_PolicyExpirationDate_A", "T", (378, 240, 425, 252)),
    ("OtherPolicy_CoverageCode_A", "M", (432, 252, 511, 264)),
    ("OtherPolicy_CoverageLimitAmount_A", "M", (526, 252, 590, 264)),
    ("OtherPolicy_CoverageCode_B", "M", (432, 240, 511, 252)),
    ("OtherPolicy_CoverageLimitAmount_B", "M", (526, 240, 590, 252)),
    ("OtherPolicy_CoverageCode_C", "M", (432, 228, 511, 240)),
    ("OtherPolicy_CoverageLimitAmount_C", "M", (526, 228, 590, 240)),
    ("CertificateOfLiabilityInsurance_ACORDForm_RemarkText_A", "M", (22, 150, 590, 216)),
    ("CertificateHolder_FullName_A", "T", (72, 90, 302, 102)),
    ("CertificateHolder_MailingAddress_LineOne_A", "T", (72, 78, 302, 90)),
    ("CertificateHolder_MailingAddress_LineTwo_A", "T", (72, 66, 302, 78)),
    ("CertificateHolder_MailingAddress_CityName_A", "T", (72, 54, 238, 66)),
    ("CertificateHolder_MailingAddress_StateOrProvinceCode_A", "T", (238, 54, 256, 66)),
    ("CertificateHolder_MailingAddress_PostalCode_A", "T", (256, 54, 302, 66)),
    ("Producer_AuthorizedRepresentative_Signature_A", "M", (310, 48, 590, 72)),
]
ACORD_2016_FIELD_NAMES = [name for name, _kind, _rect in ACORD_2016_FIELDS]

# Fields of the fillable ACORD 25 (2001/08), as under F[0].P1[0] in that form.
ACORD_2001_FIELDS = [
    ("Date", "T", (508, 744, 593, 757)),
    ("Producer", "M", (21, 685, 305, 736)),
    ("Insured", "M", (75, 626, 305, 676)),
    ("InsurerA", "T", (350, 670, 524, 686)),
    ("NAICA", "T", (528, 670, 593, 686)),
    ("InsurerB", "T", (350, 658, 524, 674)),
    ("NAICB", "T", (528, 658, 593, 674)),
    ("InsurerC", "T", (350, 646, 524, 662)),
    ("NAICC", "T", (528, 646, 593, 662)),
    ("InsurerD", "T", (350, 634, 524, 650)),
    ("NAICD", "T", (528, 634, 593, 650)),
    ("InsurerE", "T", (350, 622, 524, 638)),
    ("NAICE", "T", (528, 622, 593, 638)),
    ("InsrLtrGeneral", "T", (19, 540, 33, 553)),
    ("AddInsrdGeneral", "T", (36, 540, 50, 553)),
    ("CommercialGeneral", "B", (56, 540, 66, 550)),
    ("Claimsmade", "B", (56, 528, 66, 538)),
    ("Claimsmade2", "B", (71, 528, 81, 538)),
    ("Occur", "B", (135, 528, 145, 538)),
    ("Claimsmade1", "B", (56, 516, 66, 526)),
    ("Generalliability1", "T", (72, 512, 174, 529)),
    ("Claimsmade21", "B", (56, 504, 66, 514)),
    ("Generalliability2", "T", (72, 500, 174, 517)),
    ("Policy", "B", (57, 480, 67, 490)),
    ("Project", "B", (99, 480, 109, 490)),
    ("Loc", "B", (143, 480, 153, 490)),
    ("PolicyNumberGeneral", "M", (179, 481, 294, 561)),
    ("PolicyEffectiveGeneral", "T", (297, 547, 358, 561)),
    ("PolicyExpirationGeneral", "T", (362, 547, 423, 561)),
    ("EachOccurrence", "T", (524, 550, 593, 563)),
    ("DamageToRented", "T", (524, 538, 593, 551)),
    ("MedExp", "T", (524, 526, 593, 540)),
    ("Personal", "T", (524, 515, 593, 528)),
    ("GeneralAggregate", "T", (524, 503, 593, 516)),
    ("Products", "T", (524, 491, 593, 504)),
    ("Text4", "T", (428, 479, 513, 492)),
    ("Text5", "T", (524, 479, 593, 492)),
    ("InsrLtrAutomobile", "T", (19, 455, 33, 469)),
    ("AddInsrdAutomobile", "T", (36, 455, 50, 469)),
    ("Anyauto", "B", (57, 456, 67, 466)),
    ("Allowedauto", "B", (56, 444, 66, 454)),
    ("Scheduledauto", "B", (56, 432, 66, 442)),
    ("Hiredauto", "B", (56, 420, 66, 430)),
    ("Nonownedauto", "B", (56, 408, 66, 418)),
    ("AutoLiability1", "B", (56, 396, 66, 406)),
    ("Automobileliability1", "T", (72, 393, 174, 410)),
    ("AutoLiability22", "B", (56, 384, 66, 394)),
    ("Automobileliability2", "T", (72, 380, 174, 397)),
    ("PolicyNumberAutomobile6", "M", (179, 385, 294, 477)),
    ("PolicyEffectiveAutomobile6", "T", (297, 463, 358, 477)),
    ("PolicyExpirationAutomobile6", "T", (362, 463, 423, 477)),
    ("CombinedSingle", "T", (524, 459, 593, 473)),
    ("BodilyInjuryPerson", "T", (524, 436, 593, 449)),
    ("BodilyInjuredAccident", "T", (524, 410, 593, 425)),
    ("PropertyDamage", "T", (524, 387, 593, 401)),
    ("InsrLtrGarage", "T", (19, 359, 34, 373)),
    ("AddInsrdGarage", "T", (37, 359, 51, 373)),
    ("AutoLiability2", "B", (56, 360, 66, 370)),
    ("AutoLiability21", "B", (56, 348, 66, 358)),
    ("GarageLiability", "T", (71, 347, 175, 361)),
    ("PolicyNumberGarage", "M", (179, 349, 294, 381)),
    ("PolicyEffectiveGarage", "T", (297, 367, 358, 381)),
    ("PolicyExpirationGarage", "T", (362, 367, 423, 381)),
    ("AutoOnly", "T", (524, 371, 593, 384)),
    ("EAACC", "T", (524, 358, 593, 371)),
    ("AGG", "T", (524, 346, 593, 359)),
    ("InsrLtrExcess", "T", (19, 323, 34, 337)),
    ("AddInsrdExcess", "T", (36, 323, 50, 337)),
    ("OccureExcess", "B", (56, 324, 66, 334)),
    ("ClaimsMadeExcess", "B", (114, 324, 124, 334)),
    ("UmbrellaDeductible", "B", (56, 300, 66, 310)),
    ("UmbrellaRetention", "B", (56, 288, 66, 298)),
    ("Retention", "T", (127, 285, 170, 299)),
    ("PolicyNumberExcess", "M", (179, 289, 294, 345)),
    ("PolicyEffectiveExcess", "T", (297, 331, 358, 345)),
    ("PolicyExpirationExcess", "T", (362, 331, 423, 345)),
    ("EachOccurrence1", "T", (524, 334, 593, 347)),
    ("Aggregate", "T", (524, 321, 593, 334)),
    ("Text1", "T", (427, 309, 514, 326)),
    ("Other1", "T", (524, 309, 593, 323)),
    ("Text2", "T", (427, 297, 514, 314)),
    ("Other2", "T", (524, 297, 593, 310)),
    ("Text3", "T", (427, 286, 514, 302)),
    ("Other3", "T", (524, 286, 593, 300)),
    ("InsrLtrWorkers", "T", (19, 270, 34, 283)),
    ("memexc", "T", (130, 246, 176, 259)),
    ("PolicyNumberWorker", "M", (179, 239, 294, 286)),
    ("PolicyEffectiveWorkers", "T", (297, 272, 358, 286)),
    ("PolicyExpirationWorkers", "T", (362, 272, 423, 286)),
    ("WCStatutoryLimits", "B", (427, 276, 437, 286)),
    ("RB7Others", "B", (485, 276, 495, 286)),
    ("Other22", "T", (516, 273, 593, 287)),
    ("ELEachAccident", "T", (524, 262, 593, 275)),
    ("ELDisease", "T", (524, 250, 593, 263)),
    ("ELDiseasePolicy", "T", (524, 237, 593, 251)),
    ("InsrLtrOther", "T", (19, 219, 34, 232)),
    ("Other", "M", (37, 202, 176, 232)),
    ("PolicyNumberOther", "M", (179, 205, 294, 237)),
    ("PolicyEffectiveOther", "T", (297, 223, 358, 237)),
    ("PolicyExpirationOther", "T", (362, 223, 423, 237)),
    ("LimitsOther", "M", (427, 204, 593, 238)),
    ("Description", "M", (20, 132, 593, 195)),
    ("CertificateHolder", "M", (68, 42, 302, 73)),
]
ACORD_2001_FIELD_NAMES = [name for name, _kind, _rect in ACORD_2001_FIELDS]


# --------------------------------------------------------------------------
# Data to field values
# --------------------------------------------------------------------------


def _row(letter_field, addl, subr, number, eff, exp, limits, fixed=(), **boxes):
    return {
        "letter": letter_field,
        "addl": addl,
        "subr": subr,
        "number": number,
        "eff": eff,
        "exp": exp,
        "limits": limits,
        "fixed": fixed,
        **boxes,
    }


def _policy_row(prefix, letter_field, addl, subr, limits, **kw):
    return _row(
        letter_field,
        addl,
        subr,
        f"{prefix}PolicyNumberIdentifier_A",
        f"{prefix}EffectiveDate_A",
        f"{prefix}ExpirationDate_A",
        limits,
        **kw,
    )


_WC = "WorkersCompensationEmployersLiability_"
_UMB_2016 = {
    "EACH_OCCURRENCE": "ExcessUmbrella_Umbrella_EachOccurrenceAmount_A",
    "AGGREGATE": "ExcessUmbrella_Umbrella_AggregateAmount_A",
    "RETENTION": "ExcessUmbrella_Umbrella_DeductibleOrRetentionAmount_A",
}


def _umbrella_2016(kind_box):
    return _policy_row(
        "Policy_ExcessLiability_",
        "ExcessUmbrella_InsurerLetterCode_A",
        "CertificateOfInsurance_ExcessLiability_AdditionalInsuredCode_A",
        "Policy_ExcessLiability_SubrogationWaivedCode_A",
        _UMB_2016,
        fixed=(kind_box,),
        occur="ExcessUmbrella_OccurrenceIndicator_A",
        claims="ExcessUmbrella_ClaimsMadeIndicator_A",
        retention="ExcessUmbrella_RetentionIndicator_A",
    )


ROWS_2016 = {
    "GL": _policy_row(
        "Policy_GeneralLiability_",
        "GeneralLiability_InsurerLetterCode_A",
        "CertificateOfInsurance_GeneralLiability_AdditionalInsuredCode_A",
        "Policy_GeneralLiability_SubrogationWaivedCode_A",
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
        fixed=(
            "GeneralLiability_CoverageIndicator_A",
            "GeneralLiability_GeneralAggregate_LimitAppliesPerPolicyIndicator_A",
        ),
        occur="GeneralLiability_OccurrenceIndicator_A",
        claims="GeneralLiability_ClaimsMadeIndicator_A",
    ),
    "AUTO": _policy_row(
        "Policy_AutomobileLiability_",
        "Vehicle_InsurerLetterCode_A",
        "CertificateOfInsurance_AutomobileLiability_AdditionalInsuredCode_A",
        "Policy_AutomobileLiability_SubrogationWaivedCode_A",
        {
            "COMBINED_SINGLE_LIMIT": "Vehicle_CombinedSingleLimit_EachAccidentAmount_A",
            "BODILY_INJURY_PER_PERSON": "Vehicle_BodilyInjury_PerPersonLimitAmount_A",
            "BODILY_INJURY_PER_ACCIDENT": "Vehicle_BodilyInjury_PerAccidentLimitAmount_A",
            "PROPERTY_DAMAGE": "Vehicle_PropertyDamage_PerAccidentLimitAmount_A",
        },
        fixed=("Vehicle_AnyAutoIndicator_A",),
    ),
    "UMBRELLA": _umbrella_2016("Policy_PolicyType_UmbrellaIndicator_A"),
    "EXCESS": _umbrella_2016("Policy_PolicyType_ExcessIndicator_A"),
    "WC_EL": _policy_row(
        "Policy_WorkersCompensationAndEmployersLiability_",
        f"{_WC}InsurerLetterCode_A",
        None,
        "Policy_WorkersCompensation_SubrogationWaivedCode_A",
        {
            "EL_EACH_ACCIDENT": f"{_WC}EmployersLiability_EachAccidentLimitAmount_A",
            "EL_DISEASE_EA_EMPLOYEE": f"{_WC}EmployersLiability_DiseaseEachEmployeeLimitAmount_A",
            "EL_DISEASE_POLICY_LIMIT": f"{_WC}EmployersLiability_DiseasePolicyLimitAmount_A",
        },
        statute=f"{_WC}WorkersCompensationStatutoryLimitIndicator_A",
        other=f"{_WC}OtherCoverageIndicator_A",
        excluded=f"{_WC}AnyPersonsExcludedIndicator_A",
    ),
}


def _excess_2001():
    return _row(
        "InsrLtrExcess",
        "AddInsrdExcess",
        None,
        "PolicyNumberExcess",
        "PolicyEffectiveExcess",
        "PolicyExpirationExcess",
        {"EACH_OCCURRENCE": "EachOccurrence1", "AGGREGATE": "Aggregate", "RETENTION": "Retention"},
        occur="OccureExcess",
        claims="ClaimsMadeExcess",
        retention="UmbrellaRetention",
    )


ROWS_2001 = {
    "GL": _row(
        "InsrLtrGeneral",
        "AddInsrdGeneral",
        None,
        "PolicyNumberGeneral",
        "PolicyEffectiveGeneral",
        "PolicyExpirationGeneral",
        {
            "EACH_OCCURRENCE": "EachOccurrence",
            "DAMAGE_TO_RENTED_PREMISES": "DamageToRented",
            "MED_EXP": "MedExp",
            "PERSONAL_ADV_INJURY": "Personal",
            "GENERAL_AGGREGATE": "GeneralAggregate",
            "PRODUCTS_COMP_OP_AGG": "Products",
        },
        fixed=("CommercialGeneral", "Policy"),
        occur="Occur",
        claims="Claimsmade2",
    ),
    "AUTO": _row(
        "InsrLtrAutomobile",
        "AddInsrdAutomobile",
        None,
        "PolicyNumberAutomobile6",
        "PolicyEffectiveAutomobile6",
        "PolicyExpirationAutomobile6",
        {
            "COMBINED_SINGLE_LIMIT": "CombinedSingle",
            "BODILY_INJURY_PER_PERSON": "BodilyInjuryPerson",
            "BODILY_INJURY_PER_ACCIDENT": "BodilyInjuredAccident",
            "PROPERTY_DAMAGE": "PropertyDamage",
        },
        fixed=("Anyauto",),
    ),
    "UMBRELLA": _excess_2001(),
    "EXCESS": _excess_2001(),
    "WC_EL": _row(
        "InsrLtrWorkers",
        None,
        None,
        "PolicyNumberWorker",
        "PolicyEffectiveWorkers",
        "PolicyExpirationWorkers",
        {
            "EL_EACH_ACCIDENT": "ELEachAccident",
            "EL_DISEASE_EA_EMPLOYEE": "ELDisease",
            "EL_DISEASE_POLICY_LIMIT": "ELDiseasePolicy",
        },
        statute="WCStatutoryLimits",
        other="RB7Others",
        excluded="memexc",
    ),
}


def _mdy(iso):
    if not iso:
        return ""
    year, month, day = iso.split("-")
    return f"{month}/{day}/{year}"


def _money(amount):
    return f"{amount:,}"


def _flag(value, marks):
    """ADDL INSD / SUBR WVD cell: marks "X" prints X or nothing, "YN" prints Y / N."""
    if value is None or (value is False and marks == "X"):
        return ""
    if marks == "X":
        return "X"
    return "Y" if value else "N"


def _pick(value, yes_name, no_name):
    """The box to tick for a yes / no / unknown choice (occurrence, per statute)."""
    if value is None:
        return None
    return yes_name if value else no_name


_CITY_RE = re.compile(r"^(?P<city>.+?),?\s+(?P<state>[A-Z]{2})\s+(?P<zip>\d{5}(?:-\d{4})?)$")


def _split_city(line):
    match = _CITY_RE.match(line.strip())
    if not match:
        return line, "", ""
    return match["city"], match["state"], match["zip"]


def _party_2016(values, prefix, party, split_city):
    """Name and address in the 2016 fields.  The last address line is the city line;
    with ``split_city`` it goes into the city / state / postal code fields (as in a
    filled form), otherwise whole into the city field (as printed on a flat page)."""
    address = list(party.get("address") or [])
    last = address.pop() if address else ""
    values[f"{prefix}_FullName_A"] = party.get("name") or ""
    values[f"{prefix}_MailingAddress_LineOne_A"] = address[0] if address else ""
    values[f"{prefix}_MailingAddress_LineTwo_A"] = ", ".join(address[1:])
    if split_city:
        city, state, postal = _split_city(last)
    else:
        city, state, postal = last, "", ""
    values[f"{prefix}_MailingAddress_CityName_A"] = city
    values[f"{prefix}_MailingAddress_StateOrProvinceCode_A"] = state
    values[f"{prefix}_MailingAddress_PostalCode_A"] = postal


def _coverage_values(values, cov, row, marks):
    values[row["letter"]] = cov.get("insurer_letter") or ""
    if row["addl"]:
        values[row["addl"]] = _flag(cov.get("additional_insured"), marks)
    if row["subr"]:
        values[row["subr"]] = _flag(cov.get("subrogation_waived"), marks)
    values[row["number"]] = cov.get("policy_number") or ""
    values[row["eff"]] = _mdy(cov.get("effective_date"))
    values[row["exp"]] = _mdy(cov.get("expiration_date"))
    limits = cov.get("limits") or {}
    for key, amount in limits.items():
        if key in row["limits"] and amount is not None:
            values[row["limits"][key]] = _money(amount)
    ticked = list(row["fixed"])
    ticked.append(_pick(cov.get("occurrence"), row.get("occur"), row.get("claims")))
    ticked.append(_pick(cov.get("per_statute"), row.get("statute"), row.get("other")))
    if "RETENTION" in limits:
        ticked.append(row.get("retention"))
    for name in ticked:
        if name:
            values[name] = True
    if row.get("excluded"):
        values[row["excluded"]] = "N"


def _clean(values):
    return {k: v for k, v in values.items() if v not in (None, "", False)}


def _values_2016(data, marks="X", split_city=True):
    """Field name -> value (str, or True for a ticked box) in the 2016/03 fields."""
    values = {
        "Form_EditionIdentifier_A": "ACORD 0025 2016-03",
        "Form_CompletionDate_A": _mdy(data.get("certificate_date")),
        "CertificateOfInsurance_CertificateNumberIdentifier_A": data.get("certificate_number"),
        "CertificateOfLiabilityInsurance_ACORDForm_RemarkText_A": data.get(
            "description_of_operations"
        ),
    }
    producer = data.get("producer") or {}
    _party_2016(values, "Producer", producer, split_city)
    values["Producer_ContactPerson_FullName_A"] = producer.get("contact_name")
    values["Producer_ContactPerson_PhoneNumber_A"] = producer.get("phone")
    values["Producer_FaxNumber_A"] = producer.get("fax")
    values["Producer_ContactPerson_EmailAddress_A"] = producer.get("email")
    _party_2016(values, "NamedInsured", data.get("insured") or {}, split_city)
    _party_2016(values, "CertificateHolder", data.get("certificate_holder") or {}, split_city)
    for letter_, insurer in (data.get("insurers") or {}).items():
        values[f"Insurer_FullName_{letter_}"] = insurer.get("name")
        values[f"Insurer_NAICCode_{letter_}"] = insurer.get("naic")
    for cov in data.get("coverages") or []:
        if cov.get("type") in ROWS_2016:
            _coverage_values(values, cov, ROWS_2016[cov["type"]], marks)
    return _clean(values)


def _block(party):
    return "\n".join([party.get("name") or "", *(party.get("address") or [])]).strip()


def _values_2001(data, marks="X"):
    """Field name -> value in the 2001/08 fields (multi-line name and address blocks)."""
    values = {
        "Date": _mdy(data.get("certificate_date")),
        "Producer": _block(data.get("producer") or {}),
        "Insured": _block(data.get("insured") or {}),
        "CertificateHolder": _block(data.get("certificate_holder") or {}),
        "Description": data.get("description_of_operations"),
    }
    for letter_, insurer in (data.get("insurers") or {}).items():
        if letter_ in "ABCDE":
            values[f"Insurer{letter_}"] = insurer.get("name")
            values[f"NAIC{letter_}"] = insurer.get("naic")
    for cov in data.get("coverages") or []:
        if cov.get("type") in ROWS_2001:
            _coverage_values(values, cov, ROWS_2001[cov["type"]], marks)
    return _clean(values)


def expected(data=None, edition="2016/03"):
    """The dict an extractor should return for a fixture made from ``data``.

    For every 2016-style edition this is ``data`` with ``form`` set to the edition.
    The 2001/08 form has no certificate number, no producer contact block, no
    SUBR WVD column and only insurers A to E, so those come back empty."""
    result = copy.deepcopy(SAMPLE if data is None else data)
    result["form"] = f"ACORD 25 ({edition})"
    if not edition.startswith("2001"):
        return result
    result["certificate_number"] = None
    producer = result.get("producer") or {}
    for key in ("contact_name", "phone", "fax", "email"):
        producer[key] = None
    result["insurers"] = {k: v for k, v in (result.get("insurers") or {}).items() if k in "ABCDE"}
    for cov in result.get("coverages") or []:
        cov["subrogation_waived"] = None
    return result


# --------------------------------------------------------------------------
# Where values go: one placement per drawn string
# --------------------------------------------------------------------------

_CENTERED = re.compile(
    r"(InsurerLetterCode|AdditionalInsuredCode|SubrogationWaivedCode|EffectiveDate|"
    r"ExpirationDate|NAICCode|CompletionDate|ExcludedIndicator)_|"
    r"^(Date|NAIC[A-F]|InsrLtr|AddInsrd|PolicyEffective|PolicyExpiration|memexc)"
)
_AMOUNT = re.compile(
    r"Amount_|^(EachOccurrence1?|DamageToRented|MedExp|Personal|GeneralAggregate|Products|"
    r"CombinedSingle|BodilyInjuryPerson|BodilyInjuredAccident|PropertyDamage|Aggregate|"
    r"ELEachAccident|ELDisease|ELDiseasePolicy)$"
)
_LEADING = 9.0


class Put(NamedTuple):
    """One string of a value as drawn on the page (PDF coordinates); ``x`` is the
    left edge, the centre or the right edge for ``align`` L, C or R."""

    field: str
    text: str
    x: float
    y: float
    font: str = FONT
    align: str = "L"
    size: float = VALUE_SIZE

    @property
    def left(self):
        return {"L": self.x, "C": self.x - self.width / 2, "R": self.x - self.width}[self.align]

    @property
    def width(self):
        return stringWidth(self.text, self.font, self.size)

    @property
    def rect(self):
        """A box around the drawn string: (x0, y0, x1, y1)."""
        return (
            self.left - 1,
            self.y - 0.3 * self.size,
            self.left + self.width + 1,
            self.y + self.size,
        )


def _place(name, kind, rect, value, offset):
    """The strings drawn for one field value."""
    x0, y0, x1, y1 = rect
    if kind == "B":
        return [Put(name, "X", (x0 + x1) / 2, y0 + 3, BOLD, "C")]
    if kind == "M":
        lines = []
        for part in str(value).split("\n"):
            lines += simpleSplit(part, FONT, VALUE_SIZE, x1 - x0 - 4) or [""]
        # Shrink the text when the lines do not fit the box, as viewers do.
        leading = min(_LEADING, (y1 - y0 - 3) / len(lines))
        size = min(VALUE_SIZE, leading - 0.5)
        return [
            Put(name, ln, x0 + 2, y1 - size - 1.5 - leading * i, FONT, "L", size)
            for i, ln in enumerate(lines)
        ]
    if _AMOUNT.search(name):
        return [Put(name, value, x1 - 4, y0 + offset, FONT, "R")]
    if _CENTERED.search(name):
        return [Put(name, value, (x0 + x1) / 2, y0 + offset, FONT, "C")]
    return [Put(name, value, x0 + 2, y0 + offset, FONT, "L")]


def _placements(fields, values, offset):
    out = []
    for name, kind, rect in fields:
        value = values.get(name)
        if value in (None, "", False) or rect[2] - rect[0] < 2:
            continue
        out += _place(name, kind, rect, value, offset)
    return out


def _draw_values(c, placements):
    c.setFillGray(0)
    for put in placements:
        c.setFont(put.font, put.size)
        c.drawString(put.left, put.y, put.text)


# --------------------------------------------------------------------------
# The printed form (labels and rules)
# --------------------------------------------------------------------------

# Original wording: short notices in the places where the form prints its own.
NOTICE_TOP = (
    "THIS PAGE IS A TEST FIXTURE DRAWN BY SOFTWARE. IT FOLLOWS THE GENERAL ARRANGEMENT OF A "
    "CERTIFICATE OF LIABILITY INSURANCE SO THAT CERTIFICATE READERS CAN BE TESTED. THE "
    "PARTIES, POLICIES AND AMOUNTS SHOWN ARE INVENTED, AND THE PAGE NEITHER GRANTS NOR "
    "CHANGES ANY INSURANCE."
)
NOTICE_IMPORTANT = (
    "IMPORTANT: the marks in the ADDL INSD and SUBR WVD columns below are sample data. On a "
    "genuine certificate such terms depend on the endorsements of each policy, which are not "
    "part of this test page."
)
NOTICE_COVERAGES = (
    "THE COVERAGE ROWS BELOW ARE SAMPLE DATA FOR AUTOMATED TESTS. THEY SHOW HOW POLICY "
    "NUMBERS, POLICY PERIODS AND LIMITS ARE LAID OUT ON THE FORM AND DESCRIBE NO CONTRACT. "
    "ANY RESEMBLANCE TO AN ACTUAL INSURED, PRODUCER OR INSURER IS COINCIDENTAL. AMOUNTS ARE "
    "IN US DOLLARS."
)
NOTICE_CANCEL = (
    "IF ANY POLICY SHOWN ABOVE ENDS BEFORE ITS EXPIRATION DATE, NOBODY WILL BE TOLD, "
    "BECAUSE THIS IS A TEST PAGE AND NOT A CERTIFICATE."
)


def _baseline(top, size):
    """PDF baseline for text whose top (as pdfplumber reports it) is ``top``."""
    return PAGE_H - top - 0.793 * size


def _label(c, x, top, text, size=6.0, bold=False):
    c.setFont(BOLD if bold else FONT, size)
    c.drawString(x, _baseline(top, size), text)


def _labels(c, table):
    for x, top, text, size, bold in table:
        _label(c, x, top, text, size, bold)


def _paragraph(c, x, tops, text, size, bold, width):
    lines = simpleSplit(text, BOLD if bold else FONT, size, width)
    for top, line in zip(tops, lines, strict=False):
        _label(c, x, top, line, size, bold)


def _box(c, x0, top0, x1, top1, width=0.24):
    """Rectangle given in pdfplumber coordinates (top down)."""
    c.setLineWidth(width)
    c.rect(x0, PAGE_H - top1, x1 - x0, top1 - top0, stroke=1, fill=0)


def _hline(c, x0, x1, top, width=0.24):
    c.setLineWidth(width)
    c.line(x0, PAGE_H - top, x1, PAGE_H - top)


def _vline(c, x, top0, top1, width=0.24):
    c.setLineWidth(width)
    c.line(x, PAGE_H - top0, x, PAGE_H - top1)


def _logo(c, x, top):
    """A wordless placeholder where the form shows its logo."""
    c.setFillGray(0.35)
    c.roundRect(x, PAGE_H - top - 22, 84, 22, 4, stroke=0, fill=1)
    c.setFillGray(1)
    c.circle(x + 14, PAGE_H - top - 11, 6, stroke=0, fill=1)
    c.setFillGray(0)


def _check_boxes(c, fields):
    c.setLineWidth(0.24)
    for _name, kind, (x0, y0, x1, y1) in fields:
        if kind == "B":
            c.rect(x0 + 2, y0 + 1, min(x1 - x0 - 4, 10), min(y1 - y0 - 2, 10), stroke=1, fill=0)


def _limit_labels(c, rects, table, offset):
    """Limit names in the LIMITS column and the printed "$", on the amount's baseline."""
    for field, lines in table:
        x0, y0, _x1, _y1 = rects[field]
        base = y0 + offset
        c.setFont(FONT, 6)
        c.drawString(518.4, base, "$")
        if len(lines) > 1:  # two lines fit the 12 pt row in a smaller size
            c.setFont(FONT, 5.5)
        for i, line in enumerate(reversed(lines)):
            c.drawString(428.4, base + 5.6 * i, line)


_LABELS_2016 = [
    (162.4, 29.6, "CERTIFICATE OF LIABILITY INSURANCE", 14, True),
    (521.3, 27.2, "DATE (MM/DD/YYYY)", 5.9, True),
    (21.6, 123.2, "PRODUCER", 5.9, True),
    (309.6, 120.7, "CONTACT", 5.9, True),
    (309.6, 126.2, "NAME:", 5.9, True),
    (309.6, 133.2, "PHONE", 5.9, True),
    (309.6, 138.7, "(A/C, No, Ext):", 5.9, True),
    (486.0, 132.7, "FAX", 5.9, True),
    (486.0, 138.2, "(A/C, No):", 5.9, True),
    (309.6, 144.8, "E-MAIL", 5.9, True),
    (309.6, 150.4, "ADDRESS:", 5.9, True),
    (369.1, 161.6, "INSURER(S) AFFORDING COVERAGE", 6, True),
    (557.3, 161.6, "NAIC #", 6, True),
    *[(309.6, 173.8 + 12 * i, f"INSURER {ch} :", 5.9, True) for i, ch in enumerate("ABCDEF")],
    (21.6, 183.2, "INSURED", 5.9, True),
    (21.6, 242.9, "COVERAGES", 8.4, True),
    (158.4, 242.9, "CERTIFICATE NUMBER:", 8.4, True),
    (424.8, 242.9, "REVISION NUMBER:", 8.4, True),
    (20.1, 288.8, "INSR", 5.8, True),
    (21.4, 294.3, "LTR", 5.8, True),
    (75.4, 292.7, "TYPE OF INSURANCE", 5.9, True),
    (177.4, 288.4, "ADDL", 5.8, True),
    (196.0, 288.4, "SUBR", 5.8, True),
    (178.5, 294.8, "INSD", 5.8, True),
    (196.6, 294.8, "WVD", 5.8, True),
    (247.2, 293.8, "POLICY NUMBER", 5.9, True),
    (337.3, 288.7, "POLICY EFF", 5.9, True),
    (334.0, 294.2, "(MM/DD/YYYY)", 5.9, True),
    (383.7, 288.7, "POLICY EXP", 5.9, True),
    (380.8, 294.2, "(MM/DD/YYYY)", 5.9, True),
    (499.7, 292.7, "LIMITS", 5.9, True),
    (54.0, 303.2, "COMMERCIAL GENERAL LIABILITY", 6, True),
    (68.4, 317.2, "CLAIMS-MADE", 6, False),
    (133.2, 317.2, "OCCUR", 6, False),
    (39.6, 353.2, "GEN'L AGGREGATE LIMIT APPLIES PER:", 6, False),
    (54.0, 365.2, "POLICY", 6, False),
    (97.2, 361.2, "PRO-", 6, False),
    (97.2, 366.6, "JECT", 6, False),
    (140.4, 365.2, "LOC", 6, False),
    (54.0, 377.7, "OTHER:", 6, False),
    (39.6, 387.2, "AUTOMOBILE LIABILITY", 5.9, True),
    (54.0, 398.8, "ANY AUTO", 6, False),
    (54.0, 447.2, "UMBRELLA LIAB", 5.9, True),
    (133.2, 449.7, "OCCUR", 6, False),
    (54.0, 459.2, "EXCESS LIAB", 5.9, True),
    (133.2, 461.2, "CLAIMS-MADE", 6, False),
    (54.0, 473.7, "DED", 6, False),
    (90.0, 473.7, "RETENTION $", 6, False),
    (37.8, 482.0, "WORKERS COMPENSATION", 5.9, True),
    (37.8, 489.0, "AND EMPLOYERS' LIABILITY", 5.9, True),
    (158.9, 491.6, "Y / N", 6, True),
    (37.8, 496.9, "ANY PROPRIETOR/PARTNER/EXECUTIVE", 5.8, False),
    (37.8, 502.9, "OFFICER/MEMBER EXCLUDED?", 5.8, False),
    (37.8, 508.7, "(Mandatory in NH)", 6, True),
    (37.8, 515.7, "If yes, describe under", 6, False),
    (37.8, 521.7, "DESCRIPTION OF OPERATIONS below", 6, False),
    (178.6, 501.2, "N / A", 6, True),
    (442.8, 480.8, "PER", 6, False),
    (442.8, 486.2, "STATUTE", 6, False),
    (493.1, 480.8, "OTH-", 6, False),
    (493.2, 486.2, "ER", 6, False),
    (21.6, 567.2, "DESCRIPTION OF OPERATIONS / LOCATIONS / VEHICLES", 5.9, True),
    (21.6, 651.3, "CERTIFICATE HOLDER", 8.4, True),
    (309.6, 651.3, "CANCELLATION", 8.4, True),
    (309.6, 711.2, "AUTHORIZED REPRESENTATIVE", 5.9, True),
    (361.2, 746.2, "Drawn by coi_fixtures for software tests", 8.4, True),
]
_AUTOS_2016 = [
    (54.0, 408.8, "OWNED", 6, False),
    (54.0, 414.8, "AUTOS ONLY", 6, False),
    (122.4, 408.8, "SCHEDULED", 6, False),
    (122.4, 414.8, "AUTOS", 6, False),
    (54.0, 420.8, "HIRED", 6, False),
    (54.0, 426.8, "AUTOS ONLY", 6, False),
    (122.4, 420.6, "NON-OWNED", 6, False),
    (122.4, 426.8, "AUTOS ONLY", 6, False),
]
_AUTOS_OLD = [  # editions before 2016/03
    (54.0, 408.8, "ALL OWNED", 6, False),
    (54.0, 414.8, "AUTOS", 6, False),
    (122.4, 408.8, "SCHEDULED", 6, False),
    (122.4, 414.8, "AUTOS", 6, False),
    (54.0, 423.8, "HIRED AUTOS", 6, False),
    (122.4, 420.6, "NON-OWNED", 6, False),
    (122.4, 426.8, "AUTOS", 6, False),
]
_LIMITS_2016 = [
    ("GeneralLiability_EachOccurrence_LimitAmount_A", ("EACH OCCURRENCE",)),
    (
        "GeneralLiability_FireDamageRentedPremises_EachOccurrenceLimitAmount_A",
        ("DAMAGE TO RENTED", "PREMISES (Ea occurrence)"),
    ),
    ("GeneralLiability_MedicalExpense_EachPersonLimitAmount_A", ("MED EXP (Any one person)",)),
    ("GeneralLiability_PersonalAndAdvertisingInjury_LimitAmount_A", ("PERSONAL & ADV INJURY",)),
    ("GeneralLiability_GeneralAggregate_LimitAmount_A", ("GENERAL AGGREGATE",)),
    (
        "GeneralLiability_ProductsAndCompletedOperations_AggregateLimitAmount_A",
        ("PRODUCTS - COMP/OP AGG",),
    ),
    ("GeneralLiability_OtherCoverageLimitAmount_A", ()),
    (
        "Vehicle_CombinedSingleLimit_EachAccidentAmount_A",
        ("COMBINED SINGLE LIMIT", "(Ea accident)"),
    ),
    ("Vehicle_BodilyInjury_PerPersonLimitAmount_A", ("BODILY INJURY (Per person)",)),
    ("Vehicle_BodilyInjury_PerAccidentLimitAmount_A", ("BODILY INJURY (Per accident)",)),
    ("Vehicle_PropertyDamage_PerAccidentLimitAmount_A", ("PROPERTY DAMAGE", "(Per accident)")),
    ("Vehicle_OtherCoverage_LimitAmount_A", ()),
    ("ExcessUmbrella_Umbrella_EachOccurrenceAmount_A", ("EACH OCCURRENCE",)),
    ("ExcessUmbrella_Umbrella_AggregateAmount_A", ("AGGREGATE",)),
    ("ExcessUmbrella_OtherCoverageLimitAmount_A", ()),
    (f"{_WC}EmployersLiability_EachAccidentLimitAmount_A", ("E.L. EACH ACCIDENT",)),
    (f"{_WC}EmployersLiability_DiseaseEachEmployeeLimitAmount_A", ("E.L. DISEASE - EA EMPLOYEE",)),
    (f"{_WC}EmployersLiability_DiseasePolicyLimitAmount_A", ("E.L. DISEASE - POLICY LIMIT",)),
]
_RECTS_2016 = {name: rect for name, _kind, rect in ACORD_2016_FIELDS}


def _rules_2016(c):
    """Boxes and lines of the 2016/03 page (positions from the blank form, top down)."""
    _box(c, 507.6, 24, 594, 48)
    _box(c, 18, 48, 594, 120, 0.96)
    _box(c, 18, 120, 594, 240, 0.96)
    _vline(c, 306, 120, 240, 0.72)
    for top in (132, 144, 156, 168, 180, 192, 204, 216, 228):
        _hline(c, 306, 594, top)
    _hline(c, 18, 306, 180)
    _vline(c, 482.4, 132, 144)
    _vline(c, 540, 156, 240)
    _box(c, 18, 252, 594, 648, 0.96)
    for top in (288, 300, 384, 444, 480, 528, 564):
        _hline(c, 18, 594, top, 0.72 if top != 288 else 0.24)
    for x in (36, 176.4, 194.4, 212.4, 331.2, 378, 424.8):
        _vline(c, x, 288, 564)
    _vline(c, 514.8, 300, 564)
    for top in range(300, 564, 12):
        _hline(c, 424.8, 594, top)
    _box(c, 18, 660, 306, 744, 0.96)
    _box(c, 306, 660, 594, 744, 0.96)
    _hline(c, 306, 594, 708, 0.96)


def _signature(c, x, y):
    """A scribble in the signature box (drawn, not text)."""
    c.setLineWidth(0.9)
    path = c.beginPath()
    path.moveTo(x, y)
    path.curveTo(x + 15, y + 18, x + 25, y - 10, x + 40, y + 6)
    path.curveTo(x + 52, y + 16, x + 60, y - 6, x + 85, y + 4)
    c.drawPath(path, stroke=1, fill=0)


def _draw_form_2016(c, edition):
    _rules_2016(c)
    _logo(c, 21.6, 22)
    _check_boxes(c, ACORD_2016_FIELDS)
    _labels(c, _LABELS_2016)
    _labels(c, _AUTOS_2016 if edition >= "2016/03" else _AUTOS_OLD)
    _limit_labels(c, _RECTS_2016, _LIMITS_2016, 2)
    _paragraph(c, 28.8, (50.9, 60.5, 70.1, 79.7), NOTICE_TOP, 8, True, 554)
    _paragraph(c, 28.8, (91.7, 101.3, 110.9), NOTICE_IMPORTANT, 8, True, 554)
    _paragraph(c, 28.8, (254.2, 262.5, 270.8, 279.1), NOTICE_COVERAGES, 7.2, False, 554)
    _paragraph(c, 316.8, (672.4, 680.7, 689.0), NOTICE_CANCEL, 7, True, 268)
    _signature(c, 400, 60)
    _label(c, 21.6, 758.2, f"ACORD 25 ({edition})", 8.4, True)


_LABELS_2001 = [
    (140.4, 28.8, "CERTIFICATE OF LIABILITY INSURANCE", 16.8, True),
    (521.3, 29.4, "DATE (MM/DD/YYYY)", 5.9, True),
    (21.5, 49.6, "PRODUCER", 5.9, True),
    (309.6, 97.9, "INSURERS AFFORDING COVERAGE", 8.4, True),
    (529.2, 97.9, "NAIC #", 8.4, True),
    (21.5, 110.6, "INSURED", 5.9, True),
    *[(309.6, 112.6 + 12 * i, f"INSURER {ch}:", 6, False) for i, ch in enumerate("ABCDE")],
    (21.6, 171.0, "COVERAGES", 8.4, True),
    (20.2, 217.9, "INSR", 5.8, True),
    (21.5, 223.7, "LTR", 5.8, True),
    (35.5, 217.9, "ADD'L", 5.8, True),
    (35.2, 223.7, "INSRD", 5.8, True),
    (84.3, 222.5, "TYPE OF INSURANCE", 5.9, True),
    (211.2, 220.9, "POLICY NUMBER", 5.9, True),
    (301.3, 217.7, "POLICY EFFECTIVE", 5.9, True),
    (303.8, 223.6, "DATE (MM/DD/YY)", 5.9, True),
    (364.3, 217.7, "POLICY EXPIRATION", 5.9, True),
    (368.6, 223.6, "DATE (MM/DD/YY)", 5.9, True),
    (499.6, 220.9, "LIMITS", 5.9, True),
    (57.5, 234.4, "GENERAL LIABILITY", 5.9, True),
    (71.9, 246.1, "COMMERCIAL GENERAL LIABILITY", 6, False),
    (86.4, 258.1, "CLAIMS MADE", 6, False),
    (151.2, 258.1, "OCCUR", 6, False),
    (57.6, 294.1, "GEN'L AGGREGATE LIMIT APPLIES PER:", 6, False),
    (72.0, 306.1, "POLICY", 6, False),
    (115.3, 301.5, "PRO-", 6, False),
    (115.3, 307.5, "JECT", 6, False),
    (158.4, 306.1, "LOC", 6, False),
    (57.5, 318.4, "AUTOMOBILE LIABILITY", 5.9, True),
    (71.9, 330.1, "ANY AUTO", 6, False),
    (71.9, 342.1, "ALL OWNED AUTOS", 6, False),
    (71.9, 354.1, "SCHEDULED AUTOS", 6, False),
    (71.9, 366.1, "HIRED AUTOS", 6, False),
    (71.9, 378.1, "NON-OWNED AUTOS", 6, False),
    (57.5, 414.4, "GARAGE LIABILITY", 5.9, True),
    (71.9, 426.1, "ANY AUTO", 6, False),
    (57.5, 450.4, "EXCESS/UMBRELLA LIABILITY", 5.9, True),
    (71.9, 462.1, "OCCUR", 6, False),
    (129.5, 462.1, "CLAIMS MADE", 6, False),
    (71.9, 486.1, "DEDUCTIBLE", 6, False),
    (71.9, 498.1, "RETENTION $", 6, False),
    (39.5, 510.7, "WORKERS COMPENSATION AND", 5.9, True),
    (39.5, 517.8, "EMPLOYERS' LIABILITY", 5.9, True),
    (39.6, 526.4, "ANY PROPRIETOR/PARTNER/EXECUTIVE", 5.8, False),
    (39.6, 533.3, "OFFICER/MEMBER EXCLUDED?", 5.8, False),
    (39.5, 540.4, "If yes, describe under", 6, False),
    (39.5, 547.6, "SPECIAL PROVISIONS below", 6, False),
    (444.2, 506.6, "WC STATU-", 6, False),
    (442.0, 512.1, "TORY LIMITS", 6, False),
    (499.3, 506.6, "OTH-", 6, False),
    (502.5, 512.1, "ER", 6, False),
    (39.5, 555.9, "OTHER", 5.9, True),
    (
        21.6,
        590.4,
        "DESCRIPTION OF OPERATIONS / LOCATIONS / VEHICLES / EXCLUSIONS ADDED BY ENDORSEMENT / "
        "SPECIAL PROVISIONS",
        5.9,
        True,
    ),
    (21.6, 662.9, "CERTIFICATE HOLDER", 8.4, True),
    (309.6, 662.9, "CANCELLATION", 8.4, True),
    (309.6, 734.4, "AUTHORIZED REPRESENTATIVE", 5.9, True),
    (21.6, 757.9, "ACORD 25 (2001/08)", 8.4, True),
]
_LIMITS_2001 = [
    ("EachOccurrence", ("EACH OCCURRENCE",)),
    ("DamageToRented", ("DAMAGE TO RENTED", "PREMISES (Ea occurrence)")),
    ("MedExp", ("MED EXP (Any one person)",)),
    ("Personal", ("PERSONAL & ADV INJURY",)),
    ("GeneralAggregate", ("GENERAL AGGREGATE",)),
    ("Products", ("PRODUCTS - COMP/OP AGG",)),
    ("CombinedSingle", ("COMBINED SINGLE LIMIT", "(Ea accident)")),
    ("BodilyInjuryPerson", ("BODILY INJURY", "(Per person)")),
    ("BodilyInjuredAccident", ("BODILY INJURY", "(Per accident)")),
    ("PropertyDamage", ("PROPERTY DAMAGE", "(Per accident)")),
    ("AutoOnly", ("AUTO ONLY - EA ACCIDENT",)),
    ("EAACC", ("OTHER THAN", "AUTO ONLY: EA ACC")),
    ("AGG", ("AGG",)),
    ("EachOccurrence1", ("EACH OCCURRENCE",)),
    ("Aggregate", ("AGGREGATE",)),
    ("Other1", ()),
    ("Other2", ()),
    ("Other3", ()),
    ("ELEachAccident", ("E.L. EACH ACCIDENT",)),
    ("ELDisease", ("E.L. DISEASE - EA EMPLOYEE",)),
    ("ELDiseasePolicy", ("E.L. DISEASE - POLICY LIMIT",)),
]
_RECTS_2001 = {name: rect for name, _kind, rect in ACORD_2001_FIELDS}


def _draw_form_2001(c, edition):
    _box(c, 507.6, 24, 594, 48)
    _box(c, 18, 48, 594, 168, 0.96)
    _vline(c, 306, 48, 168, 0.72)
    _hline(c, 306, 594, 94)
    for top in (109.5, 121.5, 133.5, 145.5, 157.5):
        _hline(c, 306, 594, top)
    _vline(c, 526, 94, 168)
    _hline(c, 18, 306, 106)
    _box(c, 18, 181, 594, 661, 0.96)
    for top in (216, 230, 314, 410, 446, 506, 554, 586):
        _hline(c, 18, 594, top, 0.72 if top > 216 else 0.24)
    for x in (36, 176, 296, 360, 426):
        _vline(c, x, 216, 586)
    _vline(c, 54, 216, 506)
    _vline(c, 516, 230, 586)
    _box(c, 18, 661, 306, 756, 0.96)
    _box(c, 306, 661, 594, 756, 0.96)
    _hline(c, 306, 594, 730, 0.72)
    _logo(c, 21.6, 22)
    _check_boxes(c, ACORD_2001_FIELDS)
    _labels(c, _LABELS_2001)
    _limit_labels(c, _RECTS_2001, _LIMITS_2001, 3)
    _paragraph(c, 316.1, (49.6, 59.7, 69.8, 79.9), NOTICE_TOP, 6.5, True, 272)
    _paragraph(c, 28.8, (182.8, 191.4, 200.0, 208.7), NOTICE_COVERAGES, 7.2, False, 558)
    _paragraph(c, 313.2, (677.0, 687.3, 697.6), NOTICE_CANCEL, 7, True, 274)
    _signature(c, 400, 38)


def _form(edition):
    """(fields, draw labels, values(data, marks, split_city), baseline offset) of an edition."""
    if edition.startswith("2001"):
        return (
            ACORD_2001_FIELDS,
            _draw_form_2001,
            lambda data, marks, _split: _values_2001(data, marks),
            3,
        )
    return ACORD_2016_FIELDS, _draw_form_2016, _values_2016, 2


def _layout_placements(data, edition, marks):
    fields, _draw, values, offset = _form(edition)
    return _placements(fields, values(data, marks, False), offset)


def _certificate_page(c, data, edition, marks, before_values=None):
    """Draw one certificate page (form, then values) on the canvas' current page."""
    _fields, draw, _values, _offset = _form(edition)
    draw(c, edition)
    placements = _layout_placements(data, edition, marks)
    if before_values:
        before_values(c, placements)
    _draw_values(c, placements)


def _new_canvas(title="Certificate of liability insurance (test fixture)"):
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=letter, pageCompression=1, invariant=1)
    c.setTitle(title)
    c.setAuthor("coi_fixtures")
    return c, buf


def _finish(c, buf):
    c.showPage()
    c.save()
    return buf.getvalue()


# --------------------------------------------------------------------------
# Certificates
# --------------------------------------------------------------------------


def layout_pdf(data=SAMPLE, edition="2016/03", marks="X"):
    """One-page certificate with a text layer: printed labels and values.

    ``edition`` sets the footer ("ACORD 25 (2016/03)") and the layout: "2001/08"
    draws the older form, every other edition the 2016/03 one (before 2016/03
    with the older auto labels).  ``marks`` "X" ticks ADDL INSD / SUBR WVD with
    an X, "YN" writes Y or N."""
    c, buf = _new_canvas()
    _certificate_page(c, data, edition, marks)
    return _finish(c, buf)


def overprinted_pdf(data=SAMPLE, old_amount=500000, mode="invisible"):
    """``layout_pdf`` with a superseded each-occurrence amount under the visible one:
    mode "invisible" (text render mode 3), "white" (white text) or "covered" (black
    text hidden under a white box).  The visible amount is the one to read."""
    each = ROWS_2016["GL"]["limits"]["EACH_OCCURRENCE"]

    def hide_old(c, placements):
        for put in placements:
            if put.field != each:
                continue
            old = put._replace(text=_money(old_amount))
            c.saveState()  # the text render mode outlives ET; q / Q scopes it
            text = c.beginText(old.left, old.y)
            text.setFont(old.font, old.size)
            if mode == "invisible":
                text.setTextRenderMode(3)
            elif mode == "white":
                text.setFillGray(1)
            text.textOut(old.text)
            c.drawText(text)
            if mode == "covered":
                c.setFillGray(1)
                c.rect(old.left - 1, old.y - 1.5, old.width + 2, old.size, stroke=0, fill=1)
            c.restoreState()

    c, buf = _new_canvas()
    _certificate_page(c, data, "2016/03", "X", before_values=hide_old)
    return _finish(c, buf)


def _blank_form_pdf(edition):
    c, buf = _new_canvas()
    _form(edition)[1](c, edition)
    return _finish(c, buf)


# ---- PDF objects with PyPDF2 ------------------------------------------------


def _pdf_string(text):
    raw = str(text).encode("cp1252", "replace")
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def _name(value):
    return NameObject(value)


def _rect(values):
    return ArrayObject([FloatObject(round(v, 2)) for v in values])


class _Doc:
    """A one-page PDF from reportlab, reopened with PyPDF2 to add annotations."""

    def __init__(self, pdf_bytes):
        self.writer = PdfWriter()
        self.writer.add_page(PdfReader(io.BytesIO(pdf_bytes)).pages[0])
        pages = self.writer.get_object(self.writer._pages)
        self.page_ref = pages["/Kids"][0]
        self.page = self.page_ref.get_object()
        self.annots = ArrayObject()
        self.page[_name("/Annots")] = self.annots
        self.helv = self.add(self._font("/Helvetica"))
        self.bold = self.add(self._font("/Helvetica-Bold"))
        self.zadb = self.add(
            DictionaryObject(
                {
                    _name("/Type"): _name("/Font"),
                    _name("/Subtype"): _name("/Type1"),
                    _name("/BaseFont"): _name("/ZapfDingbats"),
                }
            )
        )

    @staticmethod
    def _font(base):
        return DictionaryObject(
            {
                _name("/Type"): _name("/Font"),
                _name("/Subtype"): _name("/Type1"),
                _name("/BaseFont"): _name(base),
                _name("/Encoding"): _name("/WinAnsiEncoding"),
            }
        )

    def add(self, obj):
        return self.writer._add_object(obj)

    def check_states(self, size):
        """Appearance streams (on, off) of a check box, shared by boxes of one size."""
        cache = self.__dict__.setdefault("_check_states", {})
        if size not in cache:
            on = self.stream(b"q BT 0 g /ZaDb 8 Tf 3 2.5 Td (8) Tj ET Q", *size)
            cache[size] = (on, self.stream(b"", *size))
        return cache[size]

    def fonts(self):
        return DictionaryObject(
            {_name("/Helv"): self.helv, _name("/HeBo"): self.bold, _name("/ZaDb"): self.zadb}
        )

    def stream(self, content, width, height):
        stream = DecodedStreamObject()
        stream.set_data(content)
        stream.update(
            {
                _name("/Type"): _name("/XObject"),
                _name("/Subtype"): _name("/Form"),
                _name("/BBox"): _rect([0, 0, width, height]),
                _name("/Resources"): DictionaryObject({_name("/Font"): self.fonts()}),
            }
        )
        return self.add(stream)

    def text_appearance(self, puts, origin, size, tagged=True):
        """Appearance stream drawing ``puts`` (page coordinates) in a box of
        ``size`` whose lower left corner is ``origin``."""
        ox, oy = origin
        ops = [b"/Tx BMC"] if tagged else []
        ops.append(b"q BT 0 g")
        for put in puts:
            tag = b"/HeBo" if put.font == BOLD else b"/Helv"
            ops.append(
                b"%s %g Tf 1 0 0 1 %.2f %.2f Tm (%s) Tj"
                % (tag, put.size, put.left - ox, put.y - oy, _pdf_string(put.text))
            )
        ops.append(b"ET Q")
        if tagged:
            ops.append(b"EMC")
        return self.stream(b"\n".join(ops), *size)

    def bytes(self):
        out = io.BytesIO()
        self.writer.write(out)
        return out.getvalue()


def _widget(doc, name, kind, rect, value, offset):
    x0, y0, x1, y1 = rect
    size = (x1 - x0, y1 - y0)
    widget = DictionaryObject(
        {
            _name("/Type"): _name("/Annot"),
            _name("/Subtype"): _name("/Widget"),
            _name("/T"): TextStringObject(name),
            _name("/Rect"): _rect(rect),
            _name("/F"): NumberObject(4),
            _name("/P"): doc.page_ref,
        }
    )
    if kind == "B":
        state = _name("/1" if value else "/Off")
        on, off = doc.check_states(size)
        widget.update(
            {
                _name("/FT"): _name("/Btn"),
                _name("/DA"): TextStringObject("/ZaDb 0 Tf 0 g"),
                _name("/MK"): DictionaryObject({_name("/CA"): TextStringObject("8")}),
                _name("/AS"): state,
                _name("/AP"): DictionaryObject(
                    {_name("/N"): DictionaryObject({_name("/1"): on, _name("/Off"): off})}
                ),
            }
        )
        if value:
            widget[_name("/V")] = state
        return widget
    widget.update(
        {
            _name("/FT"): _name("/Tx"),
            _name("/DA"): TextStringObject("/Helv 8 Tf 0 g"),
            _name("/Ff"): NumberObject(4096 if kind == "M" else 0),
        }
    )
    if _AMOUNT.search(name) or _CENTERED.search(name):
        widget[_name("/Q")] = NumberObject(2 if _AMOUNT.search(name) else 1)
    puts = _place(name, kind, rect, value, offset) if value else []
    widget[_name("/AP")] = DictionaryObject(
        {_name("/N"): doc.text_appearance(puts, (x0, y0), size)}
    )
    if value:
        widget[_name("/V")] = TextStringObject(value)
    return widget


def _form_pdf(base_pdf, fields, values, offset, hierarchical, xfa=None):
    """Add AcroForm fields (every field of the form, with ``values`` as /V) to
    ``base_pdf``.  ``hierarchical`` nests them as F[0].P1[0].<name>[0]."""
    doc = _Doc(base_pdf)
    top = ArrayObject()
    parent = None
    if hierarchical:
        form = DictionaryObject({_name("/T"): TextStringObject("F[0]")})
        form_ref = doc.add(form)
        page1 = DictionaryObject(
            {_name("/T"): TextStringObject("P1[0]"), _name("/Parent"): form_ref}
        )
        parent = doc.add(page1)
        form[_name("/Kids")] = ArrayObject([parent])
        page1[_name("/Kids")] = ArrayObject()
        top.append(form_ref)
    for name, kind, rect in fields:
        widget = _widget(doc, name, kind, rect, values.get(name), offset)
        if hierarchical:
            widget[_name("/T")] = TextStringObject(f"{name}[0]")
            widget[_name("/Parent")] = parent
        ref = doc.add(widget)
        doc.annots.append(ref)
        (parent.get_object()["/Kids"] if hierarchical else top).append(ref)
    acroform = DictionaryObject(
        {
            _name("/Fields"): top,
            _name("/DR"): DictionaryObject({_name("/Font"): doc.fonts()}),
            _name("/DA"): TextStringObject("/Helv 0 Tf 0 g"),
        }
    )
    if xfa:
        packets = ArrayObject()
        for packet, xml in xfa:
            stream = DecodedStreamObject()
            stream.set_data(xml.encode("utf-8"))
            packets += [TextStringObject(packet), doc.add(stream)]
        acroform[_name("/XFA")] = packets
    doc.writer._root_object[_name("/AcroForm")] = doc.add(acroform)
    return doc.bytes()


def acroform_pdf(data=SAMPLE, naming="F0P1", marks="X"):
    """The fillable form: printed labels only, values in AcroForm fields.

    naming "flat": 2016/03 field names at the top level (``Producer_FullName_A``);
    "F0P1": the same names as ``F[0].P1[0].Producer_FullName_A[0]`` (parent and kid
    fields); "2001": the 2001/08 form and its names (``F[0].P1[0].InsurerA[0]``).
    Check boxes use the on-state /1, as the ACORD forms do."""
    if naming not in ("flat", "F0P1", "2001"):
        raise ValueError(f"unknown naming {naming!r}")
    edition = "2001/08" if naming == "2001" else "2016/03"
    fields, _draw, values, offset = _form(edition)
    if naming == "F0P1":
        fields = [f for f in fields if f[0] != "Form_EditionIdentifier_A"]
    return _form_pdf(
        _blank_form_pdf(edition),
        fields,
        values(data, marks, True),
        offset,
        hierarchical=naming != "flat",
    )


def xfa_datasets(data=SAMPLE, marks="X"):
    """The XFA datasets packet of ``xfa_pdf``: one element per 2016/03 field."""
    values = _values_2016(data, marks, True)
    fields = [f for f in ACORD_2016_FIELDS if f[0] != "Form_EditionIdentifier_A"]
    items = []
    for name, kind, _rect in fields:
        value = values.get(name)
        if kind == "B":
            text = "1" if value else "0"
        else:
            text = escape(str(value)) if value else ""
        items.append(f"<{name}>{text}</{name}>" if text else f"<{name}/>")
    return (
        '<xfa:datasets xmlns:xfa="http://www.xfa.org/schema/xfa-data/1.0/">'
        "<xfa:data><F><P1>" + "\n".join(items) + "</P1></F></xfa:data></xfa:datasets>"
    )


def xfa_pdf(data=SAMPLE, marks="X"):
    """Values only in the XFA datasets: fields F[0].P1[0].* exist but have no /V,
    and the page text holds the printed labels only."""
    fields = [f for f in ACORD_2016_FIELDS if f[0] != "Form_EditionIdentifier_A"]
    xfa = [
        ("preamble", '<xdp:xdp xmlns:xdp="http://ns.adobe.com/xdp/">'),
        ("datasets", xfa_datasets(data, marks)),
        ("postamble", "</xdp:xdp>"),
    ]
    return _form_pdf(_blank_form_pdf("2016/03"), fields, {}, 2, hierarchical=True, xfa=xfa)


def freetext_pdf(data=SAMPLE, marks="X"):
    """Printed labels in the page text; every value only as a /FreeText annotation
    whose /Contents is the value and whose /Rect is where ``layout_pdf`` draws it."""
    doc = _Doc(_blank_form_pdf("2016/03"))
    for put in _layout_placements(data, "2016/03", marks):
        rect = put.rect
        size = (rect[2] - rect[0], rect[3] - rect[1])
        appearance = doc.text_appearance([put], rect[:2], size, False)
        annot = DictionaryObject(
            {
                _name("/Type"): _name("/Annot"),
                _name("/Subtype"): _name("/FreeText"),
                _name("/Rect"): _rect(rect),
                _name("/Contents"): TextStringObject(put.text),
                _name("/DA"): TextStringObject(
                    f"0 g /{'HeBo' if put.font == BOLD else 'Helv'} {put.size:g} Tf"
                ),
                _name("/F"): NumberObject(4),
                _name("/P"): doc.page_ref,
                _name("/BS"): DictionaryObject({_name("/W"): NumberObject(0)}),
                _name("/AP"): DictionaryObject({_name("/N"): appearance}),
            }
        )
        doc.annots.append(doc.add(annot))
    doc.writer._root_object[_name("/AcroForm")] = doc.add(
        DictionaryObject(
            {
                _name("/Fields"): ArrayObject(),
                _name("/DR"): DictionaryObject({_name("/Font"): doc.fonts()}),
            }
        )
    )
    return doc.bytes()


# ---- Images ------------------------------------------------------------------


def _render(pdf_bytes, dpi, page=0):
    with pdfplumber.open(io.BytesIO(pdf_bytes)) as pdf:
        return pdf.pages[page].to_image(resolution=dpi).original.copy()


def _png(image):
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def scan_image(data=SAMPLE, dpi=200, skew_degrees=0.0):
    """``layout_pdf`` rendered to a grayscale PIL image, optionally rotated a little."""
    image = _render(layout_pdf(data), dpi).convert("L")
    if skew_degrees:
        image = image.rotate(skew_degrees, resample=Image.BICUBIC, fillcolor=255)
    return image


def scan_png(data=SAMPLE, dpi=200, skew_degrees=0.0):
    """The certificate as a PNG image (no text anywhere)."""
    return _png(scan_image(data, dpi, skew_degrees))


def scanned_pdf(data=SAMPLE, dpi=200, skew_degrees=0.0):
    """A PDF page whose only content is the scanned certificate image."""
    image = scan_image(data, dpi, skew_degrees)
    c, buf = _new_canvas("Scanned certificate (test fixture)")
    c.drawImage(ImageReader(image), 0, 0, width=PAGE_W, height=PAGE_H)
    return _finish(c, buf)


# ---- Several pages -------------------------------------------------------------


def _lines(c, x, top, lines, size=10, leading=14, bold_first=False):
    for i, line in enumerate(lines):
        _label(c, x, top + i * leading, line, size, bold_first and i == 0)


def _endorsement_page(c, data):
    gl = _coverage(data, "GL")
    insured = (data.get("insured") or {}).get("name", "")
    _label(c, 54, 54, f"POLICY NUMBER: {gl.get('policy_number', '')}", 9, True)
    _label(c, 420, 54, "COMMERCIAL GENERAL LIABILITY", 9, True)
    _label(c, 120, 90, "THIS ENDORSEMENT CHANGES THE POLICY. PLEASE READ IT CAREFULLY.", 10, True)
    _label(c, 130, 120, "ADDITIONAL INSURED - OWNERS, LESSEES OR CONTRACTORS", 12, True)
    _label(c, 54, 150, "This endorsement modifies the coverage part named above.", 9)
    _box(c, 54, 170, 558, 250, 0.7)
    _label(c, 250, 176, "SCHEDULE", 9, True)
    _lines(
        c,
        60,
        196,
        [
            f"Named insured: {insured}",
            "Additional insured person(s) or organization(s): "
            + (data.get("certificate_holder") or {}).get("name", ""),
            "Location of covered operations: as stated in the written contract.",
        ],
        9,
        16,
    )
    body = (
        "For the purposes of this test document, the person or organization shown in the "
        "schedule is treated as an insured, but only for liability arising out of the named "
        "insured's ongoing work for that person or organization. All other terms of the policy "
        "remain as written. This page was drawn by the project's test fixtures and is not a "
        "real endorsement."
    )
    _paragraph(c, 54, [280 + 14 * i for i in range(8)], body, 10, False, 504)
    _label(c, 54, 750, "Fixture endorsement page (not an insurer's form)", 7)


def _declarations_page(c, data):
    gl = _coverage(data, "GL")
    insured = data.get("insured") or {}
    insurer = (data.get("insurers") or {}).get(gl.get("insurer_letter", "A"), {})
    limits = gl.get("limits") or {}
    _label(c, 150, 54, "COMMERCIAL GENERAL LIABILITY DECLARATIONS", 13, True)
    _label(c, 54, 90, f"POLICY NUMBER: {gl.get('policy_number', '')}", 10, True)
    _label(c, 54, 110, f"COMPANY: {insurer.get('name', '')}", 10)
    _label(c, 54, 140, "NAMED INSURED", 10, True)
    _lines(c, 54, 156, [insured.get("name", ""), *insured.get("address", [])], 10, 13)
    _label(c, 54, 220, "POLICY PERIOD", 10, True)
    _label(
        c,
        54,
        236,
        f"From {_mdy(gl.get('effective_date'))} to {_mdy(gl.get('expiration_date'))} "
        "at 12:01 A.M. standard time at the named insured's mailing address.",
        9,
    )
    _label(c, 54, 270, "LIMITS OF INSURANCE", 10, True)
    rows = [
        ("Each occurrence limit", limits.get("EACH_OCCURRENCE")),
        ("General aggregate limit", limits.get("GENERAL_AGGREGATE")),
        ("Products-completed operations aggregate limit", limits.get("PRODUCTS_COMP_OP_AGG")),
        ("Personal and advertising injury limit", limits.get("PERSONAL_ADV_INJURY")),
        ("Medical expense limit (any one person)", limits.get("MED_EXP")),
    ]
    for i, (text, amount) in enumerate(rows):
        _label(c, 54, 290 + 16 * i, text, 9)
        _label(c, 420, 290 + 16 * i, f"$ {_money(amount)}" if amount else "", 9)
    _label(c, 54, 400, "PREMIUM: see premium schedule (not part of this test fixture).", 9)
    _label(c, 54, 750, "Fixture declarations page (not an insurer's form)", 7)


def _coverage(data, kind):
    for cov in data.get("coverages") or []:
        if cov.get("type") == kind:
            return cov
    return {}


def packet_pdf(data=SAMPLE, marks="X"):
    """Three pages: an endorsement, the certificate (page 2), policy declarations."""
    c, buf = _new_canvas("Insurance packet (test fixture)")
    _endorsement_page(c, data)
    c.showPage()
    _certificate_page(c, data, "2016/03", marks)
    c.showPage()
    _declarations_page(c, data)
    return _finish(c, buf)


def _long_date(iso):
    if not iso:
        return ""
    year, month, day = (int(part) for part in iso.split("-"))
    months = (
        "January February March April May June July August September October November December"
    ).split()
    return f"{months[month - 1]} {day}, {year}"


def nonacord_pdf(data=SAMPLE):
    """A free-form certificate written as a letter: same facts, no ACORD layout."""
    producer = data.get("producer") or {}
    holder = data.get("certificate_holder") or {}
    insured = data.get("insured") or {}
    c, buf = _new_canvas("Certificate of insurance letter (test fixture)")
    _label(c, 54, 50, producer.get("name", ""), 16, True)
    _label(c, 54, 70, " | ".join(producer.get("address", [])), 9)
    _label(c, 54, 82, f"{producer.get('phone', '')}   {producer.get('email', '')}", 9)
    _hline(c, 54, 558, 96, 1)
    _label(c, 54, 116, _long_date(data.get("certificate_date")), 10)
    _lines(c, 54, 140, [holder.get("name", ""), *holder.get("address", [])], 10, 13)
    _label(c, 200, 210, "Certificate of Insurance", 18, True)
    intro = (
        f"To whom it may concern: we confirm that {insured.get('name', '')}, "
        f"{', '.join(insured.get('address', []))}, holds the insurance described below on "
        "the date of this letter. This letter is a test fixture in free form; it does not "
        "follow any standard certificate layout."
    )
    _paragraph(c, 54, [240 + 14 * i for i in range(5)], intro, 10, False, 504)
    top = 320
    insurers = data.get("insurers") or {}
    for cov in data.get("coverages") or []:
        insurer = insurers.get(cov.get("insurer_letter"), {}).get("name", "")
        limits = ", ".join(
            f"{k.replace('_', ' ').lower()} ${_money(v)}" for k, v in cov["limits"].items()
        )
        text = (
            f"{cov['type']} insurance with {insurer}, policy {cov['policy_number']}, "
            f"from {cov['effective_date']} to {cov['expiration_date']}: {limits}."
        )
        lines = simpleSplit(text, FONT, 10, 490)
        _lines(c, 66, top, lines, 10, 13)
        _label(c, 54, top, "-", 10)
        top += 13 * len(lines) + 8
    _paragraph(
        c,
        54,
        [top + 10 + 14 * i for i in range(4)],
        data.get("description_of_operations", ""),
        10,
        False,
        504,
    )
    _lines(c, 54, top + 90, ["Sincerely,", "", producer.get("contact_name", ""), "Account manager"])
    return _finish(c, buf)


# --------------------------------------------------------------------------
# Bad inputs
# --------------------------------------------------------------------------


def not_a_pdf():
    return b"hello, this is a text file\nit has no PDF header at all\n"


def corrupted_pdf():
    """A real certificate PDF cut off in the middle (no xref table, no %%EOF)."""
    whole = layout_pdf()
    return whole[: len(whole) // 2]


def encrypted_pdf(data=SAMPLE, password=PASSWORD):
    """``layout_pdf`` encrypted with a user password (RC4, 128 bit)."""
    reader = PdfReader(io.BytesIO(layout_pdf(data)))
    writer = PdfWriter()
    for page in reader.pages:
        writer.add_page(page)
    writer.encrypt(user_password=password, owner_password=password + "-owner")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def zero_page_pdf():
    """A well-formed PDF with an empty page tree."""
    out = io.BytesIO()
    PdfWriter().write(out)
    return out.getvalue()


def many_pages_pdf(n=200):
    """``n`` pages of plain text (a long document that is not a certificate)."""
    c, buf = _new_canvas("Long document (test fixture)")
    for i in range(1, n + 1):
        _label(c, 72, 72, f"Operations manual - page {i} of {n}", 12, True)
        _lines(
            c,
            72,
            100,
            [
                "This page is filler text for a long document used in tests.",
                "It contains no certificate of insurance and no policy data.",
                f"Section {i}.1: keep ladders inspected; section {i}.2: log every inspection.",
            ],
        )
        c.showPage()
    c.save()
    return buf.getvalue()


def cat_png(size=(640, 480)):
    """A picture with no text at all: a cat drawn with shapes over noise."""
    width, height = size
    noise = hashlib.shake_256(b"coi-fixtures-cat").digest(width * height * 3)
    image = Image.blend(
        Image.new("RGB", size, (214, 196, 160)), Image.frombytes("RGB", size, noise), 0.25
    )
    draw = ImageDraw.Draw(image)
    cx, cy, r = width // 2, height // 2 + 20, min(size) // 4
    fur, dark = (150, 110, 70), (60, 40, 30)
    draw.ellipse((cx - r, cy, cx + r, cy + 2 * r), fill=fur)  # body
    draw.polygon([(cx - r, cy - r // 2), (cx - r // 2, cy - 2 * r), (cx, cy - r)], fill=fur)
    draw.polygon([(cx + r, cy - r // 2), (cx + r // 2, cy - 2 * r), (cx, cy - r)], fill=fur)
    draw.ellipse((cx - r, cy - 3 * r // 2, cx + r, cy + r // 3), fill=fur)  # head
    for dx in (-r // 2, r // 2):
        draw.ellipse((cx + dx - 14, cy - r // 2 - 10, cx + dx + 14, cy - r // 2 + 10), fill="white")
        draw.ellipse((cx + dx - 5, cy - r // 2 - 9, cx + dx + 5, cy - r // 2 + 9), fill=dark)
    draw.polygon([(cx - 8, cy - 20), (cx + 8, cy - 20), (cx, cy - 10)], fill=(200, 90, 100))
    for dy in (-16, -8, 0):
        draw.line((cx - 20, cy - 14, cx - r, cy - 14 + dy), fill=dark, width=2)
        draw.line((cx + 20, cy - 14, cx + r, cy - 14 + dy), fill=dark, width=2)
    draw.arc((cx + r - 20, cy + r, cx + 2 * r, cy + 2 * r), 180, 360, fill=fur, width=12)
    return _png(image)


def cancellation_pdf(policy_number, effective="07/01/2026", insured="Granite Peak Roofing LLC"):
    """A one-page notice of cancellation from an insurer, naming a policy."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=letter)
    pdf.setFont("Helvetica-Bold", 14)
    pdf.drawString(72, 720, "NOTICE OF CANCELLATION")
    pdf.setFont("Helvetica", 11)
    lines = [
        "Bluewater Casualty Insurance Company",
        f"Named insured: {insured}",
        f"Policy number: {policy_number}",
        f"Your policy is cancelled effective {effective} at 12:01 AM",
        "for non-payment of premium.",
    ]
    for index, line in enumerate(lines):
        pdf.drawString(72, 690 - index * 18, line)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
