"""Consultants with weekly hours, session types, bookings and pre-consulting reports (written straight to the
tables: the booking services are tested on their own)."""

import datetime

import factory
from django.utils import timezone

from accounts.models import Role
from consulting.models import (
    AvailabilityRule,
    Booking,
    BookingStatus,
    Consultant,
    PreConsultingReport,
    Recommendation,
    SessionType,
)
from consulting.slots import blocked_interval
from proposals.models import Proposal
from tests.factories.accounts import UserFactory
from tests.factories.dates import aware

# Monday 2 March 2026, 09:00 in Seoul: "now" for most booking tests.
NOW = aware(2026, 3, 2, 9, 0)


class ConsultantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consultant

    user = factory.SubFactory(
        UserFactory, role=Role.CONSULTANT, time_zone=factory.SelfAttribute("..time_zone"), full_name="Kim Min-jun"
    )
    time_zone = "Asia/Seoul"
    expertise = factory.LazyFunction(lambda: ["mobility"])
    languages = factory.LazyFunction(lambda: ["en", "ko"])


class AvailabilityRuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AvailabilityRule

    consultant = factory.SubFactory(ConsultantFactory)
    weekday = 0
    start_time = datetime.time(9)
    end_time = datetime.time(12)


class SessionTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SessionType

    title = "Proposal review"
    length_minutes = 60
    slot_interval_minutes = 60
    buffer_before_minutes = 0
    buffer_after_minutes = 0
    minimum_notice_hours = 24
    booking_window_days = 21
    cancellation_notice_hours = 12
    location_details = "https://meet.example.org/kcity"


class BookingFactory(factory.django.DjangoModelFactory):
    """A confirmed session; its end and blocked interval follow from `start` and the session type."""

    class Meta:
        model = Booking

    consultant = factory.SubFactory(ConsultantFactory)
    session_type = factory.SubFactory(SessionTypeFactory)
    booked_by = factory.SubFactory(UserFactory)
    proposal = None
    start = factory.LazyFunction(lambda: NOW + datetime.timedelta(days=7))
    end = factory.LazyAttribute(lambda o: o.start + datetime.timedelta(minutes=o.session_type.length_minutes))
    blocked_start = factory.LazyAttribute(lambda o: blocked_interval(o.start, o.session_type)[0])
    blocked_end = factory.LazyAttribute(lambda o: blocked_interval(o.start, o.session_type)[1])
    scheduled_at = factory.LazyAttribute(lambda o: o.start - datetime.timedelta(days=3))
    status = BookingStatus.CONFIRMED


class PreConsultingReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PreConsultingReport

    booking = factory.SubFactory(BookingFactory, status=BookingStatus.HELD)
    proposal = factory.LazyAttribute(lambda o: o.booking.proposal)
    summary = "Sound plan."
    recommendation = Recommendation.values[0]
    filed_at = factory.LazyFunction(timezone.now)
    filed_by = factory.LazyAttribute(lambda o: o.booking.consultant.user)


def make_consultant(*, tz="Asia/Seoul", ranges=((9, 12), (13, 17)), weekdays=range(5), **kwargs) -> Consultant:
    user = UserFactory(role=Role.CONSULTANT, time_zone=tz, language=kwargs.pop("language", "en"),
                       full_name=kwargs.pop("full_name", "Kim Min-jun"))
    consultant = ConsultantFactory(user=user, time_zone=tz, **kwargs)
    for weekday in weekdays:
        for start, end in ranges:
            AvailabilityRuleFactory(
                consultant=consultant, weekday=weekday, start_time=datetime.time(start), end_time=datetime.time(end)
            )
    return consultant


def make_session_type(**kwargs) -> SessionType:
    return SessionTypeFactory(**kwargs)


def make_booking(consultant, session_type, *, booked_by, start, proposal=None, status="confirmed", now=None):
    """A booking written straight to the table (for lists and fixtures; the services are tested on their own)."""
    return BookingFactory(
        consultant=consultant, session_type=session_type, booked_by=booked_by, proposal=proposal, start=start,
        status=status, **({"scheduled_at": now} if now else {}),
    )


def filed_report(proposal: Proposal) -> PreConsultingReport:
    """A held pre-consulting session with its filed report (written straight to the tables: a fixture)."""
    consultant = make_consultant(full_name="Park Ji-woo")
    start = timezone.now() - datetime.timedelta(days=2)
    booking = make_booking(consultant, make_session_type(), booked_by=proposal.owner, start=start,
                           proposal=proposal, status="held")
    return PreConsultingReportFactory(booking=booking, proposal=proposal, filed_by=consultant.user)
