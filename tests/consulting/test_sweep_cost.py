"""What the booking sweep costs: three queries whatever the number of sessions in its windows that are not due
(reminded already, or booked inside the window), and each due reminder once. Occasions claimed before are
written with the keys' Python spelling, as earlier code claimed them."""

import datetime

import pytest

from consulting.models import Booking, BookingStatus
from consulting.reminders import reminders_send
from notifications.models import OutboxEmail, SentReminder
from tests.factories.consulting import BookingFactory

pytestmark = pytest.mark.django_db
H = datetime.timedelta(hours=1)
NOW = datetime.datetime(2026, 3, 2, 0, 0, tzinfo=datetime.UTC)
NOTHING = {"24h": 0, "1h": 0, "report_due": 0}


def claimed(booking: Booking, *labels: str) -> Booking:
    for label in labels:
        SentReminder.objects.create(key=f"booking:{booking.pk}:{booking.start.astimezone(datetime.UTC).isoformat()}:"
                                        f"{label}")
    return booking


def not_due(round_: int) -> None:
    """Five sessions the sweep looks at and must leave alone."""
    odd = datetime.timedelta(microseconds=round_ * 1000 + 17)  # the key spells microseconds when there are some
    claimed(BookingFactory(start=NOW + 5 * H + odd), "24h")
    claimed(BookingFactory(start=NOW + H / 2 + odd), "24h", "1h")
    BookingFactory(start=NOW + 20 * H, scheduled_at=NOW - H)  # booked inside the 24 h window: no 24 h reminder
    BookingFactory(start=NOW + H / 3, scheduled_at=NOW - H / 2)  # ... and inside the 1 h window
    held = BookingFactory(start=NOW - 3 * 24 * H, status=BookingStatus.HELD)
    SentReminder.objects.create(key=f"booking:{held.pk}:report-due")


def test_sweep_three_queries_whatever_the_number_of_sessions_not_due(django_assert_num_queries):
    for round_ in range(2):
        not_due(round_)
        not_due(round_ + 10)

        with django_assert_num_queries(3):
            assert reminders_send(now=NOW) == NOTHING


def test_sweep_sends_each_due_reminder_once_then_three_queries(django_assert_num_queries):
    not_due(0)
    day = BookingFactory(start=NOW + 10 * H + datetime.timedelta(microseconds=5))
    hour = claimed(BookingFactory(start=NOW + H * 3 / 4), "24h")
    held = BookingFactory(start=NOW - 3 * 24 * H, status=BookingStatus.HELD)

    first = reminders_send(now=NOW)
    with django_assert_num_queries(3):
        second = reminders_send(now=NOW + datetime.timedelta(minutes=5))

    assert first == {"24h": 1, "1h": 1, "report_due": 1}
    assert second == NOTHING
    reminded = sorted(OutboxEmail.objects.filter(event="booking_reminder").values_list("to_email", flat=True))
    assert reminded == sorted(
        [day.booked_by.email, day.consultant.user.email, hour.booked_by.email, hour.consultant.user.email]
    )
    assert list(OutboxEmail.objects.filter(event="booking_report_due").values_list("to_email", flat=True)) == [
        held.consultant.user.email
    ]
    assert SentReminder.objects.filter(
        key=f"booking:{day.pk}:{day.start.astimezone(datetime.UTC).isoformat()}:24h"
    ).exists()
