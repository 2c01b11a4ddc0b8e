"""Requests for certificates and their chase: which vendor is asked, when a
request cycle opens and closes, the stage names of the notice log, and the
words of what a run sent.

A request cycle opens with the first request to a vendor that is not
compliant and closes the moment it is (or needs nothing); the chase steps
(`schedule.chase_stage`) count from the day it opened. Each cycle has its
own stages in the notice log ("v<vendor>:<cycle>:first", ":c3", ...), so a
vendor that lapses a year later is asked again, and no step of a cycle is
sent twice.
"""

from .schedule import REQUEST_STAGE
from .vocabulary import (
    SATISFIED_STATUSES,
    NoticeKind,
    RequestSkip,
    VendorStatus,
)

# A vendor is asked for certificates only while it has none to review and
# is not covered.
REQUESTABLE_STATUSES = (VendorStatus.NON_COMPLIANT,)
# Statuses of a vendor whose insurance was not tracked until now: leaving
# them for a requestable one is "becoming tracked" (a requirement set now
# applies, an exemption ended, the vendor's first evaluation).
UNTRACKED_STATUSES = (None, False, VendorStatus.NOT_REQUIRED, VendorStatus.EXEMPT)

# The words for each kind of notice in a run's summary: (one, many).
NOTICE_WORDS = {
    NoticeKind.RENEWAL: ("renewal reminder", "renewal reminders"),
    NoticeKind.EXPIRED: ("expiry notice", "expiry notices"),
    NoticeKind.ACCEPTED: ("acceptance", "acceptances"),
    NoticeKind.REVISION: ("revision notice", "revision notices"),
    NoticeKind.REJECTED: ("rejection", "rejections"),
    NoticeKind.CANCELLED: ("cancellation notice", "cancellation notices"),
    NoticeKind.VERIFICATION: ("verification", "verifications"),
    NoticeKind.REVISION_REQUEST: ("revision request", "revision requests"),
    NoticeKind.UNDER_REVIEW: ("receipt", "receipts"),
    NoticeKind.REQUEST: ("certificate request", "certificate requests"),
    NoticeKind.CHASE: ("chase", "chases"),
}


def becomes_requestable(old_status, new_status):
    """Whether a vendor going from `old_status` to `new_status` became
    tracked without being compliant (it gets a request at once)."""
    return old_status in UNTRACKED_STATUSES and new_status in REQUESTABLE_STATUSES


def chase_due(status):
    """Whether a vendor in a request cycle is reminded today: not while a
    person reviews what it sent (the chase waits), never once covered."""
    return status in REQUESTABLE_STATUSES


def closes_cycle(status):
    """Whether a vendor reaching `status` has nothing more to send."""
    return status in SATISFIED_STATUSES


def skip_reason(status, *, open_cycle=False, has_recipient=True):
    """Why a vendor asked for in bulk gets no request (a `RequestSkip`
    code), or None when it gets one."""
    if not status or status == VendorStatus.NOT_REQUIRED:
        return RequestSkip.NOT_TRACKED
    if status == VendorStatus.EXEMPT:
        return RequestSkip.EXEMPT
    if status == VendorStatus.PENDING_REVIEW:
        return RequestSkip.PENDING_REVIEW
    if status in SATISFIED_STATUSES:
        return RequestSkip.SATISFIED
    if open_cycle:
        return RequestSkip.ALREADY_REQUESTED
    if not has_recipient:
        return RequestSkip.NO_EMAIL
    return None


def cycle_stage(vendor_id, cycle, step=REQUEST_STAGE):
    """The notice log's stage of one step of one vendor's request cycle."""
    return f"v{vendor_id}:{cycle}:{step}"


def stage_step(stage):
    """The step of a cycle stage ("c7" of "v12:2:c7")."""
    return (stage or "").rsplit(":", 1)[-1]


def sent_summary(counts):
    """What a run of the notice job sent, in one sentence: `counts` maps a
    notice kind to how many went out ("12 notices sent: 5 renewal
    reminders, 4 chases, 3 certificate requests.")."""
    counts = {kind: n for kind, n in counts.items() if n}
    total = sum(counts.values())
    if not total:
        return "Nothing was due today."
    parts = []
    for kind, n in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        one, many = NOTICE_WORDS.get(kind, (kind, kind))
        parts.append(f"{n} {one if n == 1 else many}")
    head = "1 notice sent" if total == 1 else f"{total} notices sent"
    return f"{head}: {', '.join(parts)}."
