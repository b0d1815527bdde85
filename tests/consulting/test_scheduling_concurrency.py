"""Under concurrency on PostgreSQL: a proposal is taken by one consultant at a time, and a session scheduled for a
team can never overlap another booking of the same consultant (the exclusion constraint holds for both kinds)."""

import datetime
import threading

import pytest
from django.db import IntegrityError, connection, transaction

from consulting import services
from consulting.models import Booking, BookingStatus, ProposalClaim
from consulting.slots import blocked_interval
from tests.consulting.conftest import NOW, make_consultant, make_session_type
from tests.consulting.test_scheduling import waiting
from tests.factories import ProposalFactory, StaffFactory

FIRST = datetime.datetime(2026, 3, 3, 0, 0, tzinfo=datetime.UTC)


def _race(attempts) -> list[str]:
    barrier = threading.Barrier(len(attempts))
    outcomes: list[str] = []
    lock = threading.Lock()

    def run(attempt):
        try:
            barrier.wait()
            attempt()
            result = "ok"
        except (services.AlreadyTaken, services.SlotUnavailable) as exc:
            result = exc.code
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=run, args=(a,)) for a in attempts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(outcomes)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_proposal_take_by_ten_consultants_at_once_gives_one_claim():
    proposal = waiting()
    consultants = [make_consultant(full_name=f"Consultant {n}") for n in range(10)]

    outcomes = _race([lambda c=c: services.proposal_take(proposal=proposal, by=c.user, now=NOW)
                      for c in consultants])

    assert outcomes == ["already_taken"] * 9 + ["ok"]
    assert ProposalClaim.objects.filter(proposal=proposal, released_at__isnull=True).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_scheduling_and_applicant_booking_the_same_time_at_once_gives_one_session():
    consultant = make_consultant()
    session_type = make_session_type()
    staff = StaffFactory()
    team_proposals = [waiting() for _ in range(5)]
    own = [ProposalFactory() for _ in range(5)]
    attempts = [lambda p=p: services.booking_schedule(proposal=p, consultant=consultant, session_type=session_type,
                                                      start=FIRST, by=staff, now=NOW) for p in team_proposals]
    attempts += [lambda p=p: services.booking_create(consultant=consultant, session_type=session_type, start=FIRST,
                                                     by=p.owner, proposal=p, now=NOW) for p in own]

    outcomes = _race(attempts)

    assert outcomes == ["ok"] + ["slot_taken"] * 9
    assert Booking.objects.exclude(status=BookingStatus.CANCELLED).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db
def test_an_invited_booking_written_past_the_service_is_refused_by_the_exclusion_constraint():
    consultant = make_consultant()
    session_type = make_session_type()
    proposal = waiting()
    services.booking_schedule(proposal=proposal, consultant=consultant, session_type=session_type, start=FIRST,
                              by=StaffFactory(), now=NOW)
    later = FIRST + datetime.timedelta(minutes=30)
    blocked_start, blocked_end = blocked_interval(later, session_type)

    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.create(
            consultant=consultant, session_type=session_type, booked_by=proposal.owner, start=later,
            end=later + datetime.timedelta(hours=1), blocked_start=blocked_start, blocked_end=blocked_end,
            scheduled_at=NOW, status=BookingStatus.INVITED, scheduled_for_team=True, proposal=proposal,
        )


@pytest.mark.postgres
@pytest.mark.django_db
def test_a_second_live_claim_written_past_the_service_is_refused_by_the_database():
    proposal = waiting()
    first, second = make_consultant(), make_consultant()
    ProposalClaim.objects.create(proposal=proposal, consultant=first, taken_at=NOW)

    with pytest.raises(IntegrityError), transaction.atomic():
        ProposalClaim.objects.create(proposal=proposal, consultant=second, taken_at=NOW)
    ProposalClaim.objects.filter(proposal=proposal).update(released_at=NOW)
    ProposalClaim.objects.create(proposal=proposal, consultant=second, taken_at=NOW)  # given back: free again
