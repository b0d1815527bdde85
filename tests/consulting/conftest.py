import datetime

import pytest

from accounts.models import Role
from consulting.models import AvailabilityRule, Consultant, SessionType
from tests.factories import UserFactory, aware

# Monday 2 March 2026, 09:00 in Seoul: "now" for most booking tests.
NOW = aware(2026, 3, 2, 9, 0)


def make_consultant(*, tz="Asia/Seoul", ranges=((9, 12), (13, 17)), weekdays=range(5), **kwargs) -> Consultant:
    user = UserFactory(role=Role.CONSULTANT, time_zone=tz, language=kwargs.pop("language", "en"),
                       full_name=kwargs.pop("full_name", "Kim Min-jun"))
    consultant = Consultant.objects.create(
        user=user, time_zone=tz, expertise=kwargs.pop("expertise", ["mobility"]),
        languages=kwargs.pop("languages", ["en", "ko"]), **kwargs,
    )
    for weekday in weekdays:
        for start, end in ranges:
            AvailabilityRule.objects.create(
                consultant=consultant, weekday=weekday, start_time=datetime.time(start), end_time=datetime.time(end)
            )
    return consultant


def make_session_type(**kwargs) -> SessionType:
    defaults = {
        "title": "Proposal review", "length_minutes": 60, "slot_interval_minutes": 60, "buffer_before_minutes": 0,
        "buffer_after_minutes": 0, "minimum_notice_hours": 24, "booking_window_days": 21,
        "cancellation_notice_hours": 12, "location_details": "https://meet.example.org/kcity",
    }
    defaults.update(kwargs)
    return SessionType.objects.create(**defaults)


def make_booking(consultant, session_type, *, booked_by, start, proposal=None, status="confirmed", now=None):
    """A booking written straight to the table (for lists and fixtures; the services are tested on their own)."""
    from consulting.models import Booking
    from consulting.slots import blocked_interval

    blocked_start, blocked_end = blocked_interval(start, session_type)
    return Booking.objects.create(
        consultant=consultant, session_type=session_type, booked_by=booked_by, proposal=proposal, start=start,
        end=start + datetime.timedelta(minutes=session_type.length_minutes), blocked_start=blocked_start,
        blocked_end=blocked_end, scheduled_at=now or start - datetime.timedelta(days=3), status=status,
    )


@pytest.fixture
def consultant(db):
    return make_consultant()


@pytest.fixture
def session_type(db):
    return make_session_type()
