"""The reminders a few years of the portal have already sent, as `SentReminder` keys.

The keys follow the formats the sweeps use today (proposals.reminders, consulting.services, committee.services),
so a sweep run over the bench dataset finds every past occasion taken, as it would in production. The bench
measures each sweep on its second run anyway: if a format changes, the first run claims what it considers due
and the second is still a run with nothing due.
"""

import datetime

from bench.history import DAY, HOUR, Plan
from consulting.models import Booking, BookingStatus
from proposals.workflow import Status

UTC = datetime.UTC
DRAFT_QUIET = 14 * DAY
INFO_REQUEST_DAYS = (7, 21)
INFO_REQUEST_STAFF_DAYS = 30
BOOKING_LEADS = (("24h", datetime.timedelta(hours=24)), ("1h", HOUR))
REPORT_DUE_AFTER = 2 * DAY


def proposal(proposal, plan: Plan, now: datetime.datetime) -> list[tuple[str, datetime.datetime]]:
    keys = []
    if plan.final == Status.DRAFT and proposal.updated_at <= now - DRAFT_QUIET:
        keys.append((f"draft-quiet:{proposal.pk}:{proposal.updated_at.isoformat()}",
                     proposal.updated_at + DRAFT_QUIET + HOUR))
    if plan.final == Status.INFO_REQUESTED:
        since = proposal.status_changed_at
        occasion = f"info-request:{proposal.pk}:{since.isoformat()}"
        for days in INFO_REQUEST_DAYS:
            if now - since >= days * DAY:
                keys.append((f"{occasion}:{days}d", since + days * DAY))
        if now - since >= INFO_REQUEST_STAFF_DAYS * DAY:
            keys.append((f"{occasion}:{INFO_REQUEST_STAFF_DAYS}d-staff", since + INFO_REQUEST_STAFF_DAYS * DAY))
    return keys


def booking(booking: Booking, now: datetime.datetime, *, reported: bool) -> list[tuple[str, datetime.datetime]]:
    if booking.status == BookingStatus.CANCELLED:
        return []
    keys = []
    for label, lead in BOOKING_LEADS:
        if booking.start - lead <= now and booking.start - booking.scheduled_at > lead:
            keys.append((f"booking:{booking.pk}:{booking.start.astimezone(UTC).isoformat()}:{label}",
                         booking.start - lead))
    if booking.status == BookingStatus.HELD and not reported and booking.end + REPORT_DUE_AFTER <= now:
        keys.append((f"booking:{booking.pk}:report-due", booking.end + REPORT_DUE_AFTER))
    return keys


def committee_review(meeting_id: int, member_id: int, occasion: str) -> str:
    return f"committee-review:{meeting_id}:{member_id}:{occasion}"


def staff_digest(day: datetime.date) -> str:
    return f"staff-digest:{day.isoformat()}"
