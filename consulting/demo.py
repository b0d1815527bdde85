"""Demo data for pre-consulting, called by `seed_demo`. Idempotent: running it again changes nothing."""

import datetime
import zoneinfo

from django.db import transaction
from django.utils import timezone

from accounts.models import Role, User
from consulting import selectors, services
from consulting.models import (
    AvailabilityRule,
    Booking,
    BookingStatus,
    Consultant,
    LocationKind,
    PreConsultingReport,
    Recommendation,
    SessionType,
)
from consulting.slots import blocked_interval
from proposals.models import Proposal, SolutionCategory
from proposals.workflow import Status

DEMO_HOURS = ((datetime.time(9), datetime.time(12)), (datetime.time(13), datetime.time(17)))
DEMO_EXPERTISE = [
    [SolutionCategory.MOBILITY, SolutionCategory.DATA_PLATFORM],
    [SolutionCategory.ENERGY, SolutionCategory.ENVIRONMENT, SolutionCategory.WATER],
    [SolutionCategory.SAFETY, SolutionCategory.GOVERNANCE],
]
SESSION_TYPES = [
    {"title": "Pre-consulting session", "length_minutes": 60, "slot_interval_minutes": 30,
     "buffer_before_minutes": 0, "buffer_after_minutes": 15, "minimum_notice_hours": 24, "booking_window_days": 21,
     "daily_limit": 4, "location_kind": LocationKind.VIDEO, "location_details": "https://meet.kcity-network.example/room",
     "link_after_booking_only": True, "cancellation_notice_hours": 12,
     "description": "A full review of your proposal with a consultant before the committee sees it."},
    {"title": "Short clarification call", "length_minutes": 30, "slot_interval_minutes": 30,
     "buffer_before_minutes": 0, "buffer_after_minutes": 0, "minimum_notice_hours": 4, "booking_window_days": 14,
     "daily_limit": None, "location_kind": LocationKind.PHONE, "location_details": "+82 44 201 3000",
     "link_after_booking_only": True, "cancellation_notice_hours": 2,
     "description": "Half an hour for a specific question on eligibility or documents."},
]


@transaction.atomic
def seed(stdout=None) -> None:
    stdout = stdout or _Quiet()
    for spec in SESSION_TYPES:
        SessionType.objects.get_or_create(title=spec["title"], defaults=spec)
    consultants = User.objects.filter(role=Role.CONSULTANT, is_active=True).order_by("pk")
    for index, user in enumerate(consultants):
        consultant, created = Consultant.objects.get_or_create(
            user=user,
            defaults={"time_zone": "Asia/Seoul", "expertise": [str(c) for c in DEMO_EXPERTISE[index % 3]],
                      "languages": ["en", "ko"], "bio": "Smart-city consultant for the K-City Network programme."},
        )
        if not consultant.rules.exists():
            AvailabilityRule.objects.bulk_create(
                AvailabilityRule(consultant=consultant, weekday=weekday, start_time=start, end_time=end)
                for weekday in range(5)
                for start, end in DEMO_HOURS
            )
        stdout.write(f"Consultant {user.email}: {'created' if created else 'kept'}, weekdays 09-12 and 13-17 Seoul\n")
    stdout.write(f"Session types: {SessionType.objects.count()}\n")
    _held_session_with_report(stdout)
    _upcoming_session(stdout)


def _held_session_with_report(stdout) -> None:
    """A session held last week on a proposal waiting in pre-consulting, with its report filed.

    This is the report the proposals demo waits for before it moves that proposal on to committee review.
    """
    proposal = Proposal.objects.filter(status=Status.PRE_CONSULTING).select_related("owner").order_by("pk").first()
    consultant = Consultant.objects.select_related("user").order_by("pk").first()
    session_type = SessionType.objects.filter(title=SESSION_TYPES[0]["title"]).first()
    if proposal is None or consultant is None or session_type is None:
        return
    if PreConsultingReport.objects.filter(proposal=proposal).exists():
        return
    seoul = zoneinfo.ZoneInfo("Asia/Seoul")
    day = timezone.localdate(timezone=seoul) - datetime.timedelta(days=7)
    while day.weekday() > 4:
        day -= datetime.timedelta(days=1)
    start = datetime.datetime.combine(day, datetime.time(10), tzinfo=seoul).astimezone(datetime.UTC)
    blocked_start, blocked_end = blocked_interval(start, session_type)
    # Written directly: the booking service (rightly) refuses times in the past.
    booking = Booking.objects.create(
        consultant=consultant, session_type=session_type, proposal=proposal, booked_by=proposal.owner,
        questions="Is the phasing of the water and energy components realistic?", start=start,
        end=start + datetime.timedelta(minutes=session_type.length_minutes), blocked_start=blocked_start,
        blocked_end=blocked_end, scheduled_at=start - datetime.timedelta(days=5), status=BookingStatus.HELD,
    )
    services.report_file(
        booking=booking, by=consultant.user, recommendation=Recommendation.READY,
        summary="A coherent county plan; the leak-detection pilot is well scoped and the data platform is realistic.",
        suggested_changes="Add a year-by-year budget for the micro-grid study.",
        now=start + datetime.timedelta(hours=2),
    )
    stdout.write(f"Held session and report for {proposal.title}\n")


def _upcoming_session(stdout) -> None:
    """One upcoming session for the first demo applicant with a draft, booked through the service."""
    proposal = Proposal.objects.filter(status=Status.DRAFT).select_related("owner").order_by("pk").first()
    consultant = Consultant.objects.select_related("user").order_by("pk").first()
    session_type = SessionType.objects.filter(title=SESSION_TYPES[0]["title"]).first()
    if proposal is None or consultant is None or session_type is None:
        return
    if Booking.objects.filter(booked_by=proposal.owner, status=BookingStatus.CONFIRMED).exists():
        return
    now = timezone.now()
    free = selectors.consultant_free_slots(consultant=consultant, session_type=session_type,
                                          range_start=now + datetime.timedelta(days=3),
                                          range_end=now + datetime.timedelta(days=10), now=now)
    if not free:
        return
    services.booking_create(consultant=consultant, session_type=session_type, start=free[0], by=proposal.owner,
                            proposal=proposal, questions="Which documents does the committee expect?", now=now)
    stdout.write(f"Upcoming session for {proposal.owner.email}\n")


class _Quiet:
    def write(self, text: str) -> None:
        pass
