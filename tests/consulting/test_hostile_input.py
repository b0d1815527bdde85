"""Tokens with NUL bytes and dates at the calendar's ends answer 404/400 with a message, never 500."""

import pytest
from rest_framework.test import APIClient

from tests.consulting.conftest import make_booking
from tests.factories import StaffFactory, applicant, aware

pytestmark = pytest.mark.django_db


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.mark.parametrize("path", [
    "/consulting/feed/abc%00def.ics",
    "/consulting/bookings/abc%00def/manage/",
    "/proposals/invitations/abc%00def/",
    "/consulting/feed/%00.ics",
])
def test_tokens_with_a_nul_byte_are_404(client, path):
    client.force_login(applicant())

    response = client.get(path)

    assert response.status_code == 404
    assert "There is no page at this address, or the link is incomplete or no longer valid." in (
        response.content.decode()
    )


@pytest.mark.parametrize(("start", "end"), [("0001-01-01", "0001-01-10"), ("9999-12-25", "9999-12-31")])
def test_api_slots_at_the_calendar_ends_are_400(consultant, session_type, start, end):
    response = api(applicant()).get(f"/api/v1/consultants/{consultant.pk}/slots/", {"from": start, "to": end})

    assert response.status_code == 400
    assert "Give a date between 2000-01-01 and 2100-12-31." in str(response.json())


@pytest.mark.parametrize("start", ["0001-01-01T00:00:00+09:00", "9999-12-31T23:00:00-05:00", "9999-12-31T23:00:00Z"])
def test_api_booking_at_the_calendar_ends_is_400(consultant, session_type, start):
    response = api(applicant()).post("/api/v1/bookings/", {
        "consultant": consultant.pk, "session_type": session_type.pk, "start": start,
    }, format="json")

    assert response.status_code == 400
    assert response.json()["start"] == ["Give a date between 2000-01-01 and 2100-12-31."]


def test_api_reschedule_to_the_calendar_end_is_400(consultant, session_type):
    person = applicant()
    booking = make_booking(consultant, session_type, booked_by=person, start=aware(2030, 3, 4, 10))

    response = api(person).post(f"/api/v1/bookings/{booking.pk}/reschedule/",
                                {"start": "0001-01-01T00:00:00+14:00"}, format="json")

    assert response.status_code == 400
    assert response.json()["start"] == ["Give a date between 2000-01-01 and 2100-12-31."]


@pytest.mark.parametrize("start", ["0001-01-01T00:00:00+09:00", "9999-12-31T23:00:00Z"])
def test_booking_page_with_a_start_at_the_calendar_ends_is_not_a_server_error(client, consultant, session_type, start):
    client.force_login(applicant())

    shown = client.get(f"/consulting/consultants/{consultant.pk}/book/", {"start": start})
    sent = client.post(f"/consulting/consultants/{consultant.pk}/book/", {"start": start})

    assert shown.status_code == 200
    assert sent.status_code == 200
    assert "Choose a time from the list of free times." in sent.content.decode()


@pytest.mark.parametrize("start", ["0001-01-01", "9999-12-31"])
def test_staff_week_at_the_calendar_ends_shows_this_week(client, start):
    client.force_login(StaffFactory())

    response = client.get("/consulting/staff/week/", {"start": start})

    assert response.status_code == 200


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_override_at_the_calendar_ends_is_refused_with_a_message(client, consultant, day):
    client.force_login(consultant.user)

    response = client.post("/consulting/consultant/availability/", {"action": "override", "date": day,
                                                                     "unavailable": "on"})

    assert response.status_code == 400
    assert "Give a date between 2000-01-01 and 2100-12-31." in response.content.decode()
