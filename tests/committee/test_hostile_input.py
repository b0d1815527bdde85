"""Malformed ids and dates in the committee's staff forms and API answer 404/400 with a message, never 500."""

import pytest
from rest_framework.test import APIClient

from committee.services import assignment_create
from tests.committee.helpers import meeting_for, member, proposal_in_review
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    staff = StaffFactory(language="en")
    proposal = proposal_in_review(staff=staff)
    meeting = meeting_for(proposal, staff=staff)
    assignment_create(proposal=proposal, member=member(), by=staff)
    client.force_login(staff)
    return client, meeting, proposal


@pytest.mark.parametrize("value", ["abc", "1.5", "", "99999999999999999999999", "٣"])
@pytest.mark.parametrize(("action", "field"), [("agenda_add", "proposal"), ("agenda_remove", "item"),
                                               ("decide", "item")])
def test_meeting_forms_with_a_malformed_id_answer_404(staff_client, action, field, value):
    client, meeting, _proposal = staff_client

    response = client.post(meeting.get_absolute_url(), {"action": action, field: value})

    assert response.status_code == 404


@pytest.mark.parametrize("value", ["abc", "", "99999999999999999999999"])
def test_reviewer_removal_with_a_malformed_id_answers_404(staff_client, value):
    client, _meeting, proposal = staff_client

    response = client.post(f"/committee/proposals/{proposal.pk}/reviewers/", {"action": "remove",
                                                                              "assignment": value})

    assert response.status_code == 404


@pytest.mark.parametrize("starts_at", ["0001-01-01T00:00", "9999-12-31T23:59"])
def test_meeting_form_refuses_a_date_outside_the_calendar(staff_client, starts_at):
    client, meeting, _proposal = staff_client

    response = client.post("/committee/meetings/new/", {
        "programme": meeting.programme_id, "title": "Far away", "starts_at": starts_at, "place": "Sejong",
        "voting_mode": "in_room",
    })

    assert response.status_code == 200
    assert "Give a date between 2000-01-01 and 2100-12-31." in response.content.decode()


@pytest.mark.parametrize("starts_at", ["0001-01-01T00:00:00+09:00", "9999-12-31T23:59:00-05:00"])
def test_api_meeting_with_a_date_outside_the_calendar_is_400(staff_client, starts_at):
    _client, meeting, _proposal = staff_client
    api = APIClient()
    api.force_authenticate(StaffFactory())

    response = api.post("/api/v1/committee/meetings/", {
        "programme": meeting.programme_id, "title": "Far away", "starts_at": starts_at, "place": "Sejong",
    }, format="json")

    assert response.status_code == 400
    assert response.json()["starts_at"] == ["Give a date between 2000-01-01 and 2100-12-31."]


def test_api_huge_id_is_404_not_500(staff_client):
    api = APIClient()
    api.force_authenticate(StaffFactory())

    response = api.get("/api/v1/committee/proposals/99999999999999999999999/")

    assert response.status_code == 404
