"""Two people can never hold one consultant at overlapping times: the database refuses it."""

import datetime
import threading

import pytest
from django.db import IntegrityError, connection, transaction

from consulting import services
from consulting.models import Booking, BookingStatus
from consulting.services import bookings
from consulting.slots import blocked_interval
from tests.consulting.conftest import NOW, make_consultant, make_session_type
from tests.factories import UserFactory

FIRST = datetime.datetime(2026, 3, 3, 0, 0, tzinfo=datetime.UTC)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_booking_create_twenty_at_once_gives_exactly_one_booking():
    consultant = make_consultant()
    session_type = make_session_type()
    people = [UserFactory() for _ in range(20)]
    barrier = threading.Barrier(len(people))
    outcomes: list[str] = []
    lock = threading.Lock()

    def attempt(person):
        try:
            barrier.wait()
            services.booking_create(consultant=consultant, session_type=session_type, start=FIRST, by=person, now=NOW)
            result = "booked"
        except services.SlotUnavailable as exc:
            result = exc.code
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=attempt, args=(p,)) for p in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["booked"] + ["slot_taken"] * 19
    assert Booking.objects.filter(consultant=consultant, status=BookingStatus.CONFIRMED).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db
def test_booking_overlap_written_past_the_service_is_refused_by_exclusion_constraint():
    consultant = make_consultant()
    session_type = make_session_type(buffer_after_minutes=15)
    booking = services.booking_create(consultant=consultant, session_type=session_type, start=FIRST,
                                      by=UserFactory(), now=NOW)
    later = FIRST + datetime.timedelta(minutes=70)  # inside the first session's 15-minute buffer
    blocked_start, blocked_end = blocked_interval(later, session_type)

    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.create(
            consultant=consultant, session_type=session_type, booked_by=UserFactory(), start=later,
            end=later + datetime.timedelta(hours=1), blocked_start=blocked_start, blocked_end=blocked_end,
            scheduled_at=NOW,
        )

    services.booking_cancel(booking=booking, by=booking.booked_by, now=NOW)
    Booking.objects.create(  # a cancelled booking no longer blocks its time
        consultant=consultant, session_type=session_type, booked_by=UserFactory(), start=later,
        end=later + datetime.timedelta(hours=1), blocked_start=blocked_start, blocked_end=blocked_end,
        scheduled_at=NOW,
    )
    assert Booking.objects.filter(consultant=consultant).exclude(status=BookingStatus.CANCELLED).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db
def test_booking_save_refused_by_constraint_reads_as_slot_taken():
    consultant = make_consultant()
    session_type = make_session_type()
    services.booking_create(consultant=consultant, session_type=session_type, start=FIRST, by=UserFactory(), now=NOW)
    blocked_start, blocked_end = blocked_interval(FIRST, session_type)
    loser = Booking(consultant=consultant, session_type=session_type, booked_by=UserFactory(), start=FIRST,
                    end=FIRST + datetime.timedelta(hours=1), blocked_start=blocked_start, blocked_end=blocked_end,
                    scheduled_at=NOW)

    with pytest.raises(services.SlotUnavailable) as refused:
        bookings._save_guarded(loser, consultant=consultant, session_type=session_type, now=NOW)

    assert refused.value.code == "slot_taken"
    assert refused.value.nearest == [FIRST + datetime.timedelta(hours=h) for h in (1, 2, 4)]
