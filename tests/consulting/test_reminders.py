import datetime

import pytest

from consulting import services
from consulting.models import BookingStatus, Recommendation
from consulting.reminders import reminders_send
from notifications.models import OutboxEmail
from tests.consulting.conftest import NOW
from tests.factories import ProposalFactory

pytestmark = pytest.mark.django_db
H = datetime.timedelta(hours=1)
FIRST = datetime.datetime(2026, 3, 3, 0, 0, tzinfo=datetime.UTC)  # Tuesday 09:00 Seoul


def book(consultant, session_type, *, start=FIRST, now=NOW):
    proposal = ProposalFactory()
    return services.booking_create(consultant=consultant, session_type=session_type, start=start, by=proposal.owner,
                                   proposal=proposal, now=now)


def reminders():
    return sorted((e.to_email, e.subject) for e in OutboxEmail.objects.filter(event="booking_reminder"))


def test_reminders_fire_once_at_24h_and_once_at_1h(consultant):
    from tests.consulting.conftest import make_session_type

    session_type = make_session_type(minimum_notice_hours=0)
    booking = book(consultant, session_type, start=FIRST + 24 * H, now=NOW)  # chosen 48 h ahead

    before = reminders_send(now=FIRST - H)  # 25 h ahead: nothing yet
    first = reminders_send(now=FIRST + 5 * datetime.timedelta(minutes=1))
    again = reminders_send(now=FIRST + 10 * datetime.timedelta(minutes=1))
    hour = reminders_send(now=FIRST + 23 * H + datetime.timedelta(minutes=2))
    hour_again = reminders_send(now=FIRST + 23 * H + datetime.timedelta(minutes=7))

    assert before == {"24h": 0, "1h": 0, "report_due": 0}
    assert first == {"24h": 1, "1h": 0, "report_due": 0}
    assert again == {"24h": 0, "1h": 0, "report_due": 0}
    assert hour == {"24h": 0, "1h": 1, "report_due": 0}
    assert hour_again == {"24h": 0, "1h": 0, "report_due": 0}
    emails = OutboxEmail.objects.filter(event="booking_reminder")
    assert emails.count() == 4  # two occasions, both sides
    assert {e.to_email for e in emails} == {booking.booked_by.email, consultant.user.email}
    # Each in the recipient's language and zone: the consultant reads Korean, the applicant English in Jakarta.
    applicant_hour = emails.get(to_email=booking.booked_by.email, subject__startswith="In one hour")
    assert "07:00" in applicant_hour.subject
    assert "(Asia/Jakarta)" in applicant_hour.body


def test_reminders_after_reschedule_are_for_the_new_time_only(consultant):
    from tests.consulting.conftest import make_session_type

    session_type = make_session_type(minimum_notice_hours=0)
    booking = book(consultant, session_type, start=FIRST + 24 * H, now=NOW)
    reminders_send(now=FIRST + datetime.timedelta(minutes=5))  # 24 h reminder for the old time
    new_start = FIRST + 48 * H  # Thursday 09:00 Seoul
    services.booking_reschedule(booking=booking, start=new_start, by=booking.booked_by, now=FIRST + 2 * H)

    at_old_one_hour = reminders_send(now=FIRST + 23 * H + datetime.timedelta(minutes=2))
    at_new_day = reminders_send(now=new_start - 24 * H + datetime.timedelta(minutes=2))
    at_new_day_again = reminders_send(now=new_start - 24 * H + datetime.timedelta(minutes=7))
    at_new_hour = reminders_send(now=new_start - H + datetime.timedelta(minutes=2))

    assert at_old_one_hour == {"24h": 0, "1h": 0, "report_due": 0}
    assert at_new_day == {"24h": 1, "1h": 0, "report_due": 0}
    assert at_new_day_again == {"24h": 0, "1h": 0, "report_due": 0}
    assert at_new_hour == {"24h": 0, "1h": 1, "report_due": 0}


def test_reminders_skip_24h_and_1h_for_booking_made_30_minutes_ahead(consultant):
    from tests.consulting.conftest import make_session_type

    session_type = make_session_type(minimum_notice_hours=0)
    made_at = FIRST - datetime.timedelta(minutes=30)
    book(consultant, session_type, start=FIRST, now=made_at)

    sweeps = [reminders_send(now=made_at + datetime.timedelta(minutes=m)) for m in (0, 5, 10, 25)]

    assert sweeps == [{"24h": 0, "1h": 0, "report_due": 0}] * 4
    assert reminders() == []


def test_reminders_booking_made_3_hours_ahead_gets_only_the_1h_reminder(consultant):
    from tests.consulting.conftest import make_session_type

    session_type = make_session_type(minimum_notice_hours=0)
    made_at = FIRST - 3 * H
    book(consultant, session_type, start=FIRST, now=made_at)

    sweeps = [reminders_send(now=made_at + m * datetime.timedelta(minutes=5)) for m in range(36)]

    assert sum(s["24h"] for s in sweeps) == 0
    assert sum(s["1h"] for s in sweeps) == 1


def test_reminders_not_sent_for_cancelled_session(consultant):
    from tests.consulting.conftest import make_session_type

    session_type = make_session_type(minimum_notice_hours=0)
    booking = book(consultant, session_type, start=FIRST + 24 * H)
    services.booking_cancel(booking=booking, by=booking.booked_by, now=NOW)

    assert reminders_send(now=FIRST + datetime.timedelta(minutes=5)) == {"24h": 0, "1h": 0, "report_due": 0}


def test_report_due_reminder_goes_to_consultant_once_two_days_after_held(consultant, session_type):
    booking = book(consultant, session_type)
    services.booking_mark(booking=booking, by=consultant.user, status=BookingStatus.HELD, now=FIRST + 2 * H)
    end = booking.end

    early = reminders_send(now=end + 47 * H)
    due = reminders_send(now=end + 48 * H)
    again = reminders_send(now=end + 49 * H)

    assert (early["report_due"], due["report_due"], again["report_due"]) == (0, 1, 0)
    email = OutboxEmail.objects.get(event="booking_report_due")
    assert email.to_email == consultant.user.email


def test_report_due_reminder_not_sent_when_report_filed(consultant, session_type):
    booking = book(consultant, session_type)
    services.booking_mark(booking=booking, by=consultant.user, status=BookingStatus.HELD, now=FIRST + 2 * H)
    services.report_file(booking=booking, by=consultant.user, summary="Fine", recommendation=Recommendation.READY,
                         now=FIRST + 2 * H)

    assert reminders_send(now=booking.end + 49 * H)["report_due"] == 0
