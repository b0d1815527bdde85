import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from consulting import services
from consulting.models import Booking, BookingStatus, Recommendation
from consulting.selectors import consultant_free_slots
from tests.consulting.conftest import make_booking, make_consultant
from tests.factories import ProposalFactory, StaffFactory, applicant

pytestmark = pytest.mark.django_db
# The session, the user, the page's count, the unread-notice badge, the page's rows (with user and centre) and
# the nav's "are you a consultant" lookup.
CONSULTANT_LIST_QUERIES = 6


def first_free(consultant, session_type, exclude=None):
    now = timezone.now()
    return consultant_free_slots(consultant=consultant, session_type=session_type, range_start=now,
                                 range_end=now + datetime.timedelta(days=21), now=now, exclude=exclude)


def iso(moment):
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def test_consultant_list_filters_by_expertise_and_language(client, consultant):
    make_consultant(full_name="Park Ji-woo", expertise=["energy"], languages=["ko", "pl"])
    client.force_login(applicant())

    response = client.get(reverse("consulting:consultant-list"), {"expertise": "energy", "language": "pl"})

    assert response.status_code == 200
    assert [c.user.full_name for c in response.context["consultants"]] == ["Park Ji-woo"]


def test_consultant_list_query_count_same_for_1_and_20(client):
    client.force_login(applicant())
    make_consultant(full_name="Consultant 0")
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("consulting:consultant-list"))
    for n in range(19):
        make_consultant(full_name=f"Consultant {n + 1}")
    with CaptureQueriesContext(connection) as twenty:
        response = client.get(reverse("consulting:consultant-list"))

    assert len(response.context["consultants"]) == 20
    assert len(twenty) == len(one)


@pytest.mark.parametrize("rows", [20, 40])
def test_consultant_list_pages_cost_the_same_queries_for_n_and_2n(client, django_assert_num_queries, rows):
    client.force_login(applicant())
    for n in range(rows):
        make_consultant(full_name=f"Consultant {n:02}")

    with django_assert_num_queries(CONSULTANT_LIST_QUERIES):
        response = client.get(reverse("consulting:consultant-list"))

    page = response.context["consultants"]
    assert [c.user.full_name for c in page] == [f"Consultant {n:02}" for n in range(min(rows, 25))]
    assert (page.paginator.count, page.has_next()) == (rows, rows > 25)


def test_consultant_list_second_page_lists_the_rest_in_name_order(client):
    client.force_login(applicant())
    for n in range(40):
        make_consultant(full_name=f"Consultant {n:02}")

    response = client.get(reverse("consulting:consultant-list"), {"page": 2})

    assert [c.user.full_name for c in response.context["consultants"]] == [f"Consultant {n}" for n in range(25, 40)]
    assert 'rel="prev"' in response.content.decode()


def test_consultant_detail_shows_slots_in_viewer_zone_with_consultant_zone(client, consultant, session_type):
    person = applicant(time_zone="Asia/Jakarta")
    client.force_login(person)
    first = first_free(consultant, session_type)[0]

    response = client.get(reverse("consulting:consultant-detail", args=[consultant.pk]))

    html = response.content.decode()
    jakarta = first.astimezone(datetime.timezone(datetime.timedelta(hours=7)))
    seoul = first.astimezone(datetime.timezone(datetime.timedelta(hours=9)))
    assert f'id="slot-{first.astimezone(datetime.UTC):%Y%m%dT%H%M}"' in html
    assert f'<span class="slot-local">{jakarta:%H:%M}</span>' in html
    assert f"{seoul:%H:%M} consultant" in html
    assert response.context["week"].days[0][0] == jakarta.date()


def test_booking_new_books_and_shows_confirmation(client, consultant, session_type):
    proposal = ProposalFactory()
    client.force_login(proposal.owner)
    start = first_free(consultant, session_type)[0]
    url = reverse("consulting:booking-new", args=[consultant.pk]) + f"?session_type={session_type.pk}"

    page = client.get(url + f"&start={iso(start)}")
    response = client.post(url, {"start": iso(start), "proposal": proposal.pk, "questions": "Budget?"})

    booking = Booking.objects.get()
    assert page.status_code == 200
    assert list(page.context["form"].fields["proposal"].queryset) == [proposal]
    assert response.status_code == 302
    assert response["Location"] == reverse("consulting:booking-detail", args=[booking.pk])
    assert (booking.start, booking.proposal, booking.questions) == (start, proposal, "Budget?")


def test_booking_new_lost_race_shows_taken_and_nearest_keeping_input(client, consultant, session_type):
    start = first_free(consultant, session_type)[0]
    make_booking(consultant, session_type, booked_by=applicant(), start=start)
    client.force_login(applicant())
    url = reverse("consulting:booking-new", args=[consultant.pk]) + f"?session_type={session_type.pk}"

    response = client.post(url, {"start": iso(start), "questions": "My long question"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "This time was just taken." in html
    assert 'id="nearest-free"' in html
    assert "My long question" in html
    assert len(response.context["nearest"]) == 3


def test_booking_detail_of_another_applicant_is_404(client, consultant, session_type):
    booking = make_booking(consultant, session_type, booked_by=applicant(),
                           start=first_free(consultant, session_type)[0])
    client.force_login(applicant())

    detail = client.get(reverse("consulting:booking-detail", args=[booking.pk]))
    manage = client.get(reverse("consulting:booking-manage", args=[booking.manage_token]))
    cancel = client.post(reverse("consulting:booking-cancel", args=[booking.pk]), {"reason": "mine now"})
    reschedule = client.get(reverse("consulting:booking-reschedule", args=[booking.pk]))

    assert (detail.status_code, manage.status_code, cancel.status_code, reschedule.status_code) == (404, 404, 404, 404)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED


def test_booking_manage_link_works_for_both_sides(client, consultant, session_type):
    person = applicant()
    booking = make_booking(consultant, session_type, booked_by=person, start=first_free(consultant, session_type)[0])

    for user in (person, consultant.user):
        client.force_login(user)
        response = client.get(reverse("consulting:booking-manage", args=[booking.manage_token]))
        assert response.status_code == 200
        assert 'id="cancel-button"' in response.content.decode()


def test_booking_manage_link_requires_sign_in(client, consultant, session_type):
    booking = make_booking(consultant, session_type, booked_by=applicant(),
                           start=first_free(consultant, session_type)[0])

    response = client.get(reverse("consulting:booking-manage", args=[booking.manage_token]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_booking_cancel_and_reschedule_from_page(client, consultant, session_type):
    person = applicant()
    slots = first_free(consultant, session_type)
    booking = services.booking_create(consultant=consultant, session_type=session_type, start=slots[0], by=person)
    client.force_login(person)

    page = client.get(reverse("consulting:booking-reschedule", args=[booking.pk]))
    moved = client.post(reverse("consulting:booking-reschedule", args=[booking.pk]), {"start": iso(slots[3])})
    booking.refresh_from_db()
    start_after_move, sequence_after_move = booking.start, booking.ics_sequence
    cancelled = client.post(reverse("consulting:booking-cancel", args=[booking.pk]), {"reason": "Travel"})
    booking.refresh_from_db()

    assert f'id="slot-{slots[0]:%Y%m%dT%H%M}"' in page.content.decode()  # its own old time is offered
    assert moved.status_code == 302
    assert (start_after_move, sequence_after_move) == (slots[3], 1)
    assert cancelled.status_code == 302
    assert (booking.status, booking.reason, booking.ics_sequence) == (BookingStatus.CANCELLED, "Travel", 2)


def test_my_sessions_query_count_same_for_1_and_20(client, consultant, session_type):
    person = applicant()
    client.force_login(person)
    start = timezone.now().replace(microsecond=0) + datetime.timedelta(days=2)
    # Held: in the past list, whose page is fetched (an empty page costs its count only).
    make_booking(consultant, session_type, booked_by=person, start=start, proposal=ProposalFactory(owner=person),
                 status="held")
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("consulting:my-sessions"))
    for n in range(1, 20):
        make_booking(consultant, session_type, booked_by=person, start=start + datetime.timedelta(hours=2 * n),
                     proposal=ProposalFactory(owner=person), status="held" if n % 2 else "confirmed")
    with CaptureQueriesContext(connection) as twenty:
        response = client.get(reverse("consulting:my-sessions"))

    assert len(response.context["upcoming"]) + len(response.context["past"]) == 20
    assert len(twenty) == len(one)


def test_consultant_files_report_and_applicant_sees_recommendation(client, consultant, session_type):
    proposal = ProposalFactory()
    past = timezone.now().replace(microsecond=0) - datetime.timedelta(hours=3)
    booking = make_booking(consultant, session_type, booked_by=proposal.owner, proposal=proposal, start=past)
    client.force_login(consultant.user)

    home = client.get(reverse("consulting:consultant-home"))
    marked = client.post(reverse("consulting:booking-mark", args=[booking.pk]), {"status": "held"})
    filed = client.post(reverse("consulting:booking-report", args=[booking.pk]), {
        "summary": "Solid plan, weak budget.", "recommendation": Recommendation.REVISE,
        "suggested_changes": "Split the budget by year.",
    })
    client.force_login(proposal.owner)
    seen = client.get(reverse("consulting:booking-detail", args=[booking.pk])).content.decode()

    assert consultant.ics_token in home.content.decode()
    assert list(home.context["past"]) == [booking]
    assert (marked.status_code, filed.status_code) == (302, 302)
    assert 'data-recommendation="revise">Revise first<' in seen
    assert "Split the budget by year." in seen
    assert "Solid plan, weak budget." not in seen  # the summary is for staff and the committee


def test_consultant_feed_lists_sessions_as_calendar(client, consultant, session_type):
    start = timezone.now().replace(microsecond=0) + datetime.timedelta(days=2)
    booking = make_booking(consultant, session_type, booked_by=applicant(), start=start)

    response = client.get(reverse("consulting:feed", args=[consultant.ics_token]))
    wrong = client.get(reverse("consulting:feed", args=["not-the-token"]))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert f"UID:{booking.ics_uid}@kcity-network" in response.content.decode()
    assert wrong.status_code == 404


def test_staff_week_lists_sessions_of_the_week_for_staff_only(client, consultant, session_type):
    booking = make_booking(consultant, session_type, booked_by=applicant(),
                           start=datetime.datetime(2026, 3, 4, 1, 0, tzinfo=datetime.UTC))
    make_booking(consultant, session_type, booked_by=applicant(),
                 start=datetime.datetime(2026, 3, 11, 1, 0, tzinfo=datetime.UTC))
    client.force_login(StaffFactory())

    response = client.get(reverse("consulting:staff-week"), {"start": "2026-03-05"})
    client.force_login(applicant())
    refused = client.get(reverse("consulting:staff-week"), {"start": "2026-03-05"})

    assert response.status_code == 200
    assert response.context["monday"] == datetime.date(2026, 3, 2)
    assert [b for _day, bs in response.context["days"] for b in bs] == [booking]
    assert refused.status_code == 404
