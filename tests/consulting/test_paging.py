"""The consultant's home and the applicant's sessions: upcoming sessions first, then the past ones a page at a time.
N and 2N past bookings (two pages) cost the same queries."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from consulting.models import BookingStatus
from tests.factories import ProposalFactory, applicant
from tests.factories.consulting import PreConsultingReportFactory, make_booking

pytestmark = pytest.mark.django_db
N = 15  # 2N = 30 past bookings: two pages of 25
PAGE = 25
PAST_STATES = [BookingStatus.HELD, BookingStatus.CANCELLED, BookingStatus.NO_SHOW, BookingStatus.CONFIRMED]


def _bookings(consultant, session_type, *, past, booked_by=None, upcoming=2):
    """`upcoming` confirmed sessions ahead and `past` ones behind (held with a report, cancelled, no-show, and
    confirmed but over), each booked by its own applicant for a proposal unless `booked_by` is given."""
    now = timezone.now().replace(microsecond=0)
    made = []
    for n in range(upcoming):
        person = booked_by or applicant()
        made.append(make_booking(consultant, session_type, booked_by=person, start=now + datetime.timedelta(days=n + 1),
                                 proposal=ProposalFactory(owner=person)))
    for n in range(past):
        person = booked_by or applicant()
        status = PAST_STATES[n % len(PAST_STATES)]
        booking = make_booking(consultant, session_type, booked_by=person, status=status,
                               start=now - datetime.timedelta(days=n + 1), proposal=ProposalFactory(owner=person))
        if status == BookingStatus.HELD:
            PreConsultingReportFactory(booking=booking, proposal=booking.proposal, filed_by=consultant.user)
        made.append(booking)
    return made


@pytest.mark.parametrize("past", [N, 2 * N])
def test_consultant_home_queries_same_for_n_and_2n_past_sessions(client, django_assert_num_queries, consultant,
                                                                  session_type, past):
    _bookings(consultant, session_type, past=past)
    client.force_login(consultant.user)

    # Upcoming sessions (one query), the past page and its count (two): 6 before, when all came in one.
    with django_assert_num_queries(8):
        response = client.get(reverse("consulting:consultant-home"))

    assert response.status_code == 200
    body = response.content.decode()
    assert len(response.context["upcoming"]) == 2
    assert response.context["past"].paginator.count == past
    assert body.count("<tr data-booking=") == 2 + min(past, PAGE)
    assert ('rel="next"' in body) is (past > PAGE)


def test_consultant_home_lists_upcoming_soonest_first_and_past_latest_first_across_pages(client, consultant,
                                                                                         session_type):
    made = _bookings(consultant, session_type, past=2 * N, upcoming=3)
    client.force_login(consultant.user)

    first = client.get(reverse("consulting:consultant-home"))
    second = client.get(reverse("consulting:consultant-home"), {"page": 2})

    upcoming, past = made[:3], made[3:]
    assert list(first.context["upcoming"]) == upcoming
    assert list(first.context["past"]) + list(second.context["past"]) == past  # latest first, each once
    assert list(second.context["upcoming"]) == upcoming  # on every page


def test_consultant_home_rows_carry_only_the_shown_columns(client, consultant, session_type):
    _bookings(consultant, session_type, past=1, upcoming=1)
    client.force_login(consultant.user)

    response = client.get(reverse("consulting:consultant-home"))

    for booking in [*response.context["upcoming"], *response.context["past"]]:
        assert {"questions", "reason", "manage_token"} <= booking.get_deferred_fields()
        assert {"problem_statement", "city_context"} <= booking.proposal.get_deferred_fields()


@pytest.mark.parametrize("past", [N, 2 * N])
def test_my_sessions_queries_same_for_n_and_2n_past_sessions(client, django_assert_num_queries, consultant,
                                                             session_type, past):
    person = applicant()
    _bookings(consultant, session_type, past=past, booked_by=person)
    client.force_login(person)

    with django_assert_num_queries(7):
        response = client.get(reverse("consulting:my-sessions"))

    assert response.status_code == 200
    assert len(response.context["upcoming"]) == 2
    assert response.context["past"].paginator.count == past
    assert response.content.decode().count("<tr data-booking=") == 2 + min(past, PAGE)
