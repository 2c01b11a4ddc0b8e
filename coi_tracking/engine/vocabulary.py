"""The rule book's words: every code the suite stores, compares or sends.

Plain Python, no Odoo import. Each code is spelled here once; the engine,
the models' selections, the SQL of the reports (as parameters) and the
API's OpenAPI enums take it from here. A selection is a list of
(code, label) pairs: fields use it as it is, so Odoo still translates the
labels (they become `ir.model.fields.selection` records).
"""


def codes(selection):
    """The codes of a selection, in its order."""
    return tuple(code for code, _label in selection)


# ---- vendors ------------------------------------------------------------


class VendorStatus:
    """A vendor's insurance status (`res.partner.coi_status`)."""

    COMPLIANT = "compliant"
    EXPIRING = "expiring"
    NON_COMPLIANT = "non_compliant"
    PENDING_REVIEW = "pending_review"
    NOT_REQUIRED = "not_required"
    EXEMPT = "exempt"


VENDOR_STATUS_SELECTION = [
    (VendorStatus.COMPLIANT, "Compliant"),
    (VendorStatus.EXPIRING, "Expiring"),
    (VendorStatus.NON_COMPLIANT, "Non-Compliant"),
    (VendorStatus.PENDING_REVIEW, "Pending Review"),
    (VendorStatus.NOT_REQUIRED, "Not Required"),
    (VendorStatus.EXEMPT, "Exempt"),
]
VENDOR_STATUSES = codes(VENDOR_STATUS_SELECTION)
# Covered today: counted as compliant in the compliance rate.
IN_COMPLIANCE_STATUSES = (VendorStatus.COMPLIANT, VendorStatus.EXPIRING)
# Not covered: no purchase orders in "block" mode, spend at risk.
BLOCKING_STATUSES = (VendorStatus.NON_COMPLIANT, VendorStatus.PENDING_REVIEW)
# Need no insurance: left out of the compliance rate.
NOT_INSURED_STATUSES = (VendorStatus.NOT_REQUIRED, VendorStatus.EXEMPT)
# Nothing to ask of the vendor (a reviewed certificate is "received and compliant").
SATISFIED_STATUSES = IN_COMPLIANCE_STATUSES + NOT_INSURED_STATUSES
# Shown first in the list of vendors at risk.
ATTENTION_STATUSES = (*BLOCKING_STATUSES, VendorStatus.EXPIRING)


# ---- compliance lines (one vendor x one required coverage) ------------------


class LineStatus:
    """A requirement line's result (`coi.compliance.line.status`); the
    deficient ones are also the kinds of deficiency."""

    COMPLIANT = "compliant"
    EXPIRING = "expiring"
    MISSING = "missing"
    EXPIRED = "expired"
    CANCELLED = "cancelled"
    INSUFFICIENT_LIMIT = "insufficient_limit"
    STATUTORY_MISSING = "statutory_missing"
    ENDORSEMENT_MISSING = "endorsement_missing"
    RATING_TOO_LOW = "rating_too_low"
    # A COI manager accepted the item as it is (a deviation), until a date.
    DEVIATION_ACCEPTED = "deviation_accepted"


LINE_STATUS_SELECTION = [
    (LineStatus.COMPLIANT, "Compliant"),
    (LineStatus.EXPIRING, "Expiring"),
    (LineStatus.MISSING, "Missing"),
    (LineStatus.EXPIRED, "Expired"),
    (LineStatus.CANCELLED, "Cancelled"),
    (LineStatus.INSUFFICIENT_LIMIT, "Insufficient Limit"),
    (LineStatus.STATUTORY_MISSING, "Statutory Limits Missing"),
    (LineStatus.ENDORSEMENT_MISSING, "Endorsement Missing"),
    (LineStatus.RATING_TOO_LOW, "Insurer Rating Too Low"),
    (LineStatus.DEVIATION_ACCEPTED, "Deviation Accepted"),
]
# Most serious first: a line showing several deficiencies takes the status
# of the most serious one.
LINE_STATUSES = (
    LineStatus.CANCELLED,
    LineStatus.EXPIRED,
    LineStatus.MISSING,
    LineStatus.INSUFFICIENT_LIMIT,
    LineStatus.STATUTORY_MISSING,
    LineStatus.ENDORSEMENT_MISSING,
    LineStatus.RATING_TOO_LOW,
    LineStatus.DEVIATION_ACCEPTED,
    LineStatus.EXPIRING,
    LineStatus.COMPLIANT,
)
LINE_IN_COMPLIANCE_STATUSES = (
    LineStatus.COMPLIANT,
    LineStatus.EXPIRING,
    LineStatus.DEVIATION_ACCEPTED,
)
DEFICIENT_STATUSES = tuple(s for s in LINE_STATUSES if s not in LINE_IN_COMPLIANCE_STATUSES)


# ---- deviations (an item accepted as it is) ----------------------------------


class DeviationState:
    """A deviation's state (`coi.deviation.state`): only accepted ones count."""

    ACCEPTED = "accepted"
    ENDED = "ended"
    REVOKED = "revoked"


DEVIATION_STATE_SELECTION = [
    (DeviationState.ACCEPTED, "Accepted"),
    (DeviationState.ENDED, "Ended"),
    (DeviationState.REVOKED, "Revoked"),
]


# ---- certificates -----------------------------------------------------------


class CertificateState:
    RECEIVED = "received"
    IN_REVIEW = "in_review"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    # A reviewer asked the contractor for a corrected certificate.
    REVISION_REQUESTED = "revision_requested"


CERTIFICATE_STATE_SELECTION = [
    (CertificateState.RECEIVED, "Received"),
    (CertificateState.IN_REVIEW, "In Review"),
    (CertificateState.ACCEPTED, "Accepted"),
    (CertificateState.REJECTED, "Rejected"),
    (CertificateState.REVISION_REQUESTED, "Revision Requested"),
]
# Waiting for a person (a certificate sent back for revision waits for the
# contractor instead).
PENDING_STATES = (CertificateState.RECEIVED, CertificateState.IN_REVIEW)


class CertificateKind:
    CERTIFICATE = "certificate"
    ENDORSEMENT = "endorsement"
    POLICY_PAGES = "policy_pages"
    CANCELLATION = "cancellation"


CERTIFICATE_KIND_SELECTION = [
    (CertificateKind.CERTIFICATE, "Certificate (ACORD 25)"),
    (CertificateKind.ENDORSEMENT, "Endorsement"),
    (CertificateKind.POLICY_PAGES, "Policy Pages"),
    (CertificateKind.CANCELLATION, "Cancellation Notice"),
]
CERTIFICATE_KINDS = codes(CERTIFICATE_KIND_SELECTION)


class PolicyNotice:
    """What an insurer's notice about a policy says (a certificate of kind
    cancellation): the policy is cancelled, reinstated (the cancellation is
    undone) or will not be renewed."""

    CANCELLATION = "cancellation"
    REINSTATEMENT = "reinstatement"
    NON_RENEWAL = "non_renewal"


POLICY_NOTICE_SELECTION = [
    (PolicyNotice.CANCELLATION, "Cancellation"),
    (PolicyNotice.REINSTATEMENT, "Reinstatement"),
    (PolicyNotice.NON_RENEWAL, "Non-Renewal"),
]


class CertificateSource:
    BACKEND = "backend"
    PORTAL = "portal"
    EMAIL = "email"
    API = "api"


CERTIFICATE_SOURCE_SELECTION = [
    (CertificateSource.BACKEND, "Back Office"),
    (CertificateSource.PORTAL, "Portal"),
    (CertificateSource.EMAIL, "Email"),
    (CertificateSource.API, "API"),
]


# ---- policies ---------------------------------------------------------------


class PolicyState:
    DRAFT = "draft"
    ACTIVE = "active"
    EXPIRED = "expired"
    CANCELLED = "cancelled"
    REPLACED = "replaced"
    # A newer policy of the same coverage covering the same period took over.
    SUPERSEDED = "superseded"


POLICY_STATE_SELECTION = [
    (PolicyState.DRAFT, "Draft"),
    (PolicyState.ACTIVE, "Active"),
    (PolicyState.EXPIRED, "Expired"),
    (PolicyState.CANCELLED, "Cancelled"),
    (PolicyState.REPLACED, "Replaced"),
    (PolicyState.SUPERSEDED, "Superseded"),
]
POLICY_STATES = codes(POLICY_STATE_SELECTION)
# The policies compliance looks at (drafts await review, replaced ones were
# renewed, superseded ones gave way to a newer policy for the same period).
COUNTED_STATES = (PolicyState.ACTIVE, PolicyState.EXPIRED, PolicyState.CANCELLED)
# The policies that were in force for their period, renewed ones included:
# those "coverage on a date" (who covered the vendor that day) looks at.
IN_FORCE_HISTORY_STATES = (*COUNTED_STATES, PolicyState.REPLACED)


# ---- notices ----------------------------------------------------------------


class NoticeKind:
    RENEWAL = "renewal"
    EXPIRED = "expired"
    ACCEPTED = "accepted"
    REVISION = "revision"
    REJECTED = "rejected"
    CANCELLED = "cancelled"
    VERIFICATION = "verification"
    # A reviewer sends a certificate back with a note of their own.
    REVISION_REQUEST = "revision_request"
    # A certificate went to a person for review.
    UNDER_REVIEW = "under_review"
    # The first request for certificates of a tracked vendor not compliant.
    REQUEST = "request"
    # Reminders of what is still missing, on the company's chase cadence.
    CHASE = "chase"


NOTICE_KIND_SELECTION = [
    (NoticeKind.RENEWAL, "Renewal Reminder"),
    (NoticeKind.EXPIRED, "Expired Policy"),
    (NoticeKind.ACCEPTED, "Received and Compliant"),
    (NoticeKind.REVISION, "Revision Requested"),
    (NoticeKind.REJECTED, "Certificate Rejected"),
    (NoticeKind.CANCELLED, "Policy Cancelled"),
    (NoticeKind.VERIFICATION, "Verification with the Agent"),
    (NoticeKind.REVISION_REQUEST, "Revision Asked by a Reviewer"),
    (NoticeKind.UNDER_REVIEW, "Received, Under Review"),
    (NoticeKind.REQUEST, "Certificate Request"),
    (NoticeKind.CHASE, "Reminder: Still Missing"),
]


class NoticeState:
    """What became of a notice: sent, or waiting for an email address."""

    SENT = "sent"
    NO_RECIPIENT = "no_recipient"


NOTICE_STATE_SELECTION = [
    (NoticeState.SENT, "Sent"),
    (NoticeState.NO_RECIPIENT, "No Email Address"),
]


class RequestSkip:
    """Why a vendor asked for in bulk ("Request Certificates") got no
    request (`coi.request.batch` counts each)."""

    NOT_TRACKED = "not_tracked"
    EXEMPT = "exempt"
    SATISFIED = "satisfied"  # already compliant, or nothing required
    PENDING_REVIEW = "awaiting_review"
    ALREADY_REQUESTED = "already_requested"  # this request cycle's was sent
    NO_EMAIL = "no_email"


REQUEST_SKIP_SELECTION = [
    (RequestSkip.NOT_TRACKED, "Not Tracked"),
    (RequestSkip.EXEMPT, "Exempt"),
    (RequestSkip.SATISFIED, "Already Compliant"),
    (RequestSkip.PENDING_REVIEW, "Pending Review"),
    (RequestSkip.ALREADY_REQUESTED, "Already Requested"),
    (RequestSkip.NO_EMAIL, "No Email Address"),
]


class RequestBatchState:
    """A bulk request's progress (`coi.request.batch.state`)."""

    QUEUED = "queued"
    DONE = "done"


REQUEST_BATCH_STATE_SELECTION = [
    (RequestBatchState.QUEUED, "Queued"),
    (RequestBatchState.DONE, "Done"),
]


# ---- requirement sets and reports -------------------------------------------


class RiskTier:
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


RISK_TIER_SELECTION = [
    (RiskTier.LOW, "Low"),
    (RiskTier.MEDIUM, "Medium"),
    (RiskTier.HIGH, "High"),
    (RiskTier.CRITICAL, "Critical"),
]
# A vendor's spend counts this many times in its risk score.
TIER_WEIGHTS = {RiskTier.LOW: 1, RiskTier.MEDIUM: 2, RiskTier.HIGH: 3, RiskTier.CRITICAL: 4}


class ExpiryWindow:
    EXPIRED = "expired"
    D30 = "d30"
    D60 = "d60"
    D90 = "d90"
    LATER = "later"


EXPIRY_WINDOW_SELECTION = [
    (ExpiryWindow.EXPIRED, "Expired"),
    (ExpiryWindow.D30, "Within 30 Days"),
    (ExpiryWindow.D60, "In 31-60 Days"),
    (ExpiryWindow.D90, "In 61-90 Days"),
    (ExpiryWindow.LATER, "Later"),
]
# Each window and its last day, counted from today; later dates are LATER.
EXPIRY_WINDOW_DAYS = ((ExpiryWindow.D30, 30), (ExpiryWindow.D60, 60), (ExpiryWindow.D90, 90))


# ---- coverages, limits, endorsements, ratings -------------------------------


class CoverageCode:
    """Canonical coverage codes (`coi.coverage.type.code`, its data file)."""

    GL = "GL"
    AUTO = "AUTO"
    UMBRELLA = "UMBRELLA"
    EXCESS = "EXCESS"
    WC_EL = "WC_EL"
    PROFESSIONAL = "PROFESSIONAL"
    POLLUTION = "POLLUTION"
    CYBER = "CYBER"
    GARAGE_KEEPERS = "GARAGE_KEEPERS"
    INLAND_MARINE = "INLAND_MARINE"
    PROPERTY = "PROPERTY"
    OTHER = "OTHER"


COVERAGE_CODES = tuple(
    value for name, value in vars(CoverageCode).items() if not name.startswith("_")
)
# Umbrella and excess policies may add to the underlying per-occurrence
# limits, when the requirement allows stacking.
STACKING_COVERAGES = (CoverageCode.UMBRELLA, CoverageCode.EXCESS)
# The words for each coverage where a person reads values read off a
# certificate ("General liability: policy number").
COVERAGE_LABELS = {
    CoverageCode.GL: "General liability",
    CoverageCode.AUTO: "Auto",
    CoverageCode.UMBRELLA: "Umbrella",
    CoverageCode.EXCESS: "Excess",
    CoverageCode.WC_EL: "Workers' compensation",
    CoverageCode.PROFESSIONAL: "Professional liability",
    CoverageCode.POLLUTION: "Pollution liability",
    CoverageCode.CYBER: "Cyber liability",
    CoverageCode.GARAGE_KEEPERS: "Garage keepers",
    CoverageCode.INLAND_MARINE: "Inland marine",
    CoverageCode.PROPERTY: "Property",
    CoverageCode.OTHER: "Other coverage",
}


class LimitCode:
    """Canonical limit codes (`coi.limit.type.code`), as on the ACORD 25 form."""

    EACH_OCCURRENCE = "EACH_OCCURRENCE"
    DAMAGE_TO_RENTED_PREMISES = "DAMAGE_TO_RENTED_PREMISES"
    MED_EXP = "MED_EXP"
    PERSONAL_ADV_INJURY = "PERSONAL_ADV_INJURY"
    GENERAL_AGGREGATE = "GENERAL_AGGREGATE"
    PRODUCTS_COMP_OP_AGG = "PRODUCTS_COMP_OP_AGG"
    COMBINED_SINGLE_LIMIT = "COMBINED_SINGLE_LIMIT"
    BODILY_INJURY_PER_PERSON = "BODILY_INJURY_PER_PERSON"
    BODILY_INJURY_PER_ACCIDENT = "BODILY_INJURY_PER_ACCIDENT"
    PROPERTY_DAMAGE = "PROPERTY_DAMAGE"
    AGGREGATE = "AGGREGATE"
    RETENTION = "RETENTION"
    EL_EACH_ACCIDENT = "EL_EACH_ACCIDENT"
    EL_DISEASE_EA_EMPLOYEE = "EL_DISEASE_EA_EMPLOYEE"
    EL_DISEASE_POLICY_LIMIT = "EL_DISEASE_POLICY_LIMIT"


class SentenceCode:
    """How a deficiency sentence is worded (`sentences.Sentence.code`): the
    models say it again in the reader's language from the code and its parts."""

    MISSING = "missing"
    EXPIRED = "expired"
    CANCELLED = "cancelled"
    NOT_YET_EFFECTIVE = "not_yet_effective"
    LIMIT_NOT_SHOWN = "limit_not_shown"
    LIMIT_TOO_LOW = "limit_too_low"
    LIMIT_STACKED_TOO_LOW = "limit_stacked_too_low"
    STATUTORY_MISSING = "statutory_missing"
    ADDITIONAL_INSURED_MISSING = "additional_insured_missing"
    ENDORSEMENT_MISSING = "endorsement_missing"
    RATING_UNKNOWN = "rating_unknown"
    RATING_TOO_LOW = "rating_too_low"
    EXPIRING = "expiring"
    # Endorsement documents (`sentences.endorsement_form_missing`).
    FORM_NAMES_OTHERS = "form_names_others"
    FORM_NOT_THE_ONE_REQUIRED = "form_not_the_one_required"
    FORM_OTHER_OPERATIONS_ONLY = "form_other_operations_only"
    FORM_MISSING = "form_missing"
    # Not a deficiency: an item a COI manager accepted as it is.
    DEVIATION_ACCEPTED = LineStatus.DEVIATION_ACCEPTED


# The words used for each limit in sentences sent to contractors.
LIMIT_LABELS = {
    LimitCode.EACH_OCCURRENCE: "each occurrence",
    LimitCode.DAMAGE_TO_RENTED_PREMISES: "damage to rented premises",
    LimitCode.MED_EXP: "medical expense",
    LimitCode.PERSONAL_ADV_INJURY: "personal and advertising injury",
    LimitCode.GENERAL_AGGREGATE: "general aggregate",
    LimitCode.PRODUCTS_COMP_OP_AGG: "products and completed operations aggregate",
    LimitCode.COMBINED_SINGLE_LIMIT: "combined single limit",
    LimitCode.BODILY_INJURY_PER_PERSON: "bodily injury per person",
    LimitCode.BODILY_INJURY_PER_ACCIDENT: "bodily injury per accident",
    LimitCode.PROPERTY_DAMAGE: "property damage",
    LimitCode.AGGREGATE: "aggregate",
    LimitCode.RETENTION: "retention",
    LimitCode.EL_EACH_ACCIDENT: "employers' liability each accident",
    LimitCode.EL_DISEASE_EA_EMPLOYEE: "employers' liability disease, each employee",
    LimitCode.EL_DISEASE_POLICY_LIMIT: "employers' liability disease, policy limit",
}
LIMIT_CODES = tuple(LIMIT_LABELS)
# The per-occurrence limits that umbrella and excess limits stack onto.
STACKABLE_LIMITS = (
    LimitCode.EACH_OCCURRENCE,
    LimitCode.COMBINED_SINGLE_LIMIT,
    LimitCode.EL_EACH_ACCIDENT,
)


class Endorsement:
    """Endorsement codes: also the flag's name on requirements and policies."""

    ADDITIONAL_INSURED = "additional_insured"
    WAIVER_OF_SUBROGATION = "waiver_of_subrogation"
    PRIMARY_NONCONTRIBUTORY = "primary_noncontributory"


ENDORSEMENTS = {
    Endorsement.ADDITIONAL_INSURED: "additional insured",
    Endorsement.WAIVER_OF_SUBROGATION: "waiver of subrogation",
    Endorsement.PRIMARY_NONCONTRIBUTORY: "primary and non-contributory",
}


class EndorsementKind:
    """What an endorsement document does (`coi.endorsement.type.kind`, the
    endorsements read off a certificate's pages). The additional insured and
    waiver kinds are told apart by the coverage they endorse."""

    AI_ONGOING = "ai_ongoing"
    AI_COMPLETED = "ai_completed"
    PRIMARY_NONCONTRIBUTORY = Endorsement.PRIMARY_NONCONTRIBUTORY
    WAIVER_OF_SUBROGATION = Endorsement.WAIVER_OF_SUBROGATION
    AUTO_AI = "auto_ai"
    AUTO_WAIVER = "auto_waiver"
    WC_WAIVER = "wc_waiver"


ENDORSEMENT_KIND_SELECTION = [
    (EndorsementKind.AI_ONGOING, "Additional Insured (Ongoing Operations)"),
    (EndorsementKind.AI_COMPLETED, "Additional Insured (Completed Operations)"),
    (EndorsementKind.PRIMARY_NONCONTRIBUTORY, "Primary & Non-Contributory"),
    (EndorsementKind.WAIVER_OF_SUBROGATION, "Waiver of Subrogation"),
    (EndorsementKind.AUTO_AI, "Auto Additional Insured"),
    (EndorsementKind.AUTO_WAIVER, "Auto Waiver of Subrogation"),
    (EndorsementKind.WC_WAIVER, "Workers' Compensation Waiver"),
]
ENDORSEMENT_KINDS = codes(ENDORSEMENT_KIND_SELECTION)
# The coverage each kind endorses.
ENDORSEMENT_KIND_COVERAGE = {
    EndorsementKind.AI_ONGOING: CoverageCode.GL,
    EndorsementKind.AI_COMPLETED: CoverageCode.GL,
    EndorsementKind.PRIMARY_NONCONTRIBUTORY: CoverageCode.GL,
    EndorsementKind.WAIVER_OF_SUBROGATION: CoverageCode.GL,
    EndorsementKind.AUTO_AI: CoverageCode.AUTO,
    EndorsementKind.AUTO_WAIVER: CoverageCode.AUTO,
    EndorsementKind.WC_WAIVER: CoverageCode.WC_EL,
}
# The words for each kind in sentences sent to contractors.
ENDORSEMENT_KIND_WORDS = {
    EndorsementKind.AI_ONGOING: "additional insured endorsement for ongoing operations",
    EndorsementKind.AI_COMPLETED: "additional insured endorsement for completed operations",
    EndorsementKind.PRIMARY_NONCONTRIBUTORY: "primary and non-contributory endorsement",
    EndorsementKind.WAIVER_OF_SUBROGATION: "waiver of subrogation endorsement",
    EndorsementKind.AUTO_AI: "additional insured endorsement",
    EndorsementKind.AUTO_WAIVER: "waiver of subrogation endorsement",
    EndorsementKind.WC_WAIVER: "waiver of subrogation endorsement",
}


class ConfidenceLevel:
    """How surely a value was read off a certificate
    (`coi.certificate.value.confidence_level`): good enough to be accepted
    on its own, or fair or low, for a person to check."""

    GOOD = "good"
    FAIR = "fair"
    LOW = "low"


CONFIDENCE_LEVEL_SELECTION = [
    (ConfidenceLevel.GOOD, "Good"),
    (ConfidenceLevel.FAIR, "Fair"),
    (ConfidenceLevel.LOW, "Low"),
]


class DeclarationsMatch:
    """How a declarations page read compares with its policy
    (`coi.certificate.declaration.match`)."""

    CONFIRMED = "confirmed"  # the policy's period and limits agree
    FILLED = "filled"  # it gave limits the policy lacked
    DIFFERS = "differs"  # it disagrees with the policy: a person looks
    UNMATCHED = "unmatched"  # no policy of the vendor has its number


DECLARATIONS_MATCH_SELECTION = [
    (DeclarationsMatch.CONFIRMED, "Confirms the Policy"),
    (DeclarationsMatch.FILLED, "Completed the Policy"),
    (DeclarationsMatch.DIFFERS, "Disagrees with the Policy"),
    (DeclarationsMatch.UNMATCHED, "No Matching Policy"),
]

# AM Best financial strength ratings, strongest first.
AM_BEST_RATINGS = (
    "A++",
    "A+",
    "A",
    "A-",
    "B++",
    "B+",
    "B",
    "B-",
    "C++",
    "C+",
    "C",
    "C-",
    "D",
    "E",
    "F",
)
AM_BEST_SELECTION = [(rating, rating) for rating in AM_BEST_RATINGS]


# ---- scheduled report by email ----------------------------------------------


class ReportFrequency:
    """How often a scheduled report is sent (`coi.report.subscription`)."""

    DAILY = "daily"
    WEEKLY = "weekly"


REPORT_FREQUENCY_SELECTION = [
    (ReportFrequency.DAILY, "Daily"),
    (ReportFrequency.WEEKLY, "Weekly"),
]
# Python's weekday numbers (Monday is 0), as selection codes.
WEEKDAY_SELECTION = [
    ("0", "Monday"),
    ("1", "Tuesday"),
    ("2", "Wednesday"),
    ("3", "Thursday"),
    ("4", "Friday"),
    ("5", "Saturday"),
    ("6", "Sunday"),
]
