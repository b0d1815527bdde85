"""A staff move's note is either for the applicant or internal, chosen when the move is made."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from core.errors import TransitionRefused
from notifications.models import OutboxEmail
from proposals import services
from proposals.models import StatusChange
from proposals.workflow import Status
from tests.factories import StaffFactory
from tests.proposals.staff_helpers import proposal_in, submitted_proposal
from tests.proposals.test_admin import page_form_data

pytestmark = pytest.mark.django_db

SECRET = "Budget looks inflated; check with the embassy."
FOR_APPLICANT = "Thank you, screening has started."


@pytest.fixture
def staff():
    return StaffFactory()


@pytest.fixture
def screened(staff):
    """Submitted, then moved to screening by staff with an internal note."""
    proposal = submitted_proposal()
    services.proposal_transition(proposal=proposal, to=Status.SCREENING, by=staff, note=SECRET, note_internal=True)
    return proposal


def _browser(user):
    client = Client()
    client.force_login(user)
    return client


def _api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_internal_note_is_stored_as_internal(screened):
    change = StatusChange.objects.filter(proposal=screened).latest("id")

    assert (change.to_status, change.note, change.note_internal) == (Status.SCREENING, SECRET, True)


def test_applicant_history_page_does_not_show_an_internal_note(screened):
    html = _browser(screened.owner).get(screened.get_absolute_url()).content.decode()

    assert SECRET not in html
    assert 'data-status="screening"' in html


def test_staff_history_page_shows_the_internal_note_labelled(screened, staff):
    html = _browser(staff).get(screened.get_absolute_url()).content.decode()

    assert SECRET in html
    assert '<span class="badge text-bg-warning">Internal note</span>' in html


def test_api_history_hides_the_internal_note_from_the_applicant(screened, staff):
    mine = _api(screened.owner).get(f"/api/v1/proposals/{screened.pk}/history/").json()["results"]
    staffs = _api(staff).get(f"/api/v1/proposals/{screened.pk}/history/").json()["results"]

    assert [(h["to_status"], h["note"], h["note_internal"]) for h in mine][-1] == ("screening", "", False)
    assert [(h["to_status"], h["note"], h["note_internal"]) for h in staffs][-1] == ("screening", SECRET, True)


def test_status_email_leaves_out_an_internal_note(screened):
    email = OutboxEmail.objects.filter(event="proposal_status_changed", to_email=screened.owner.email).latest("id")

    assert SECRET not in email.body
    assert "Screening" in email.body


def test_status_email_carries_a_note_to_the_applicant(staff):
    proposal = submitted_proposal()

    services.proposal_transition(proposal=proposal, to=Status.SCREENING, by=staff, note=FOR_APPLICANT)

    email = OutboxEmail.objects.filter(event="proposal_status_changed", to_email=proposal.owner.email).latest("id")
    assert FOR_APPLICANT in email.body
    assert not mail.outbox or all(SECRET not in m.body for m in mail.outbox)


def test_applicant_moves_cannot_carry_internal_notes(staff):
    proposal = submitted_proposal()

    with pytest.raises(TransitionRefused):
        services.proposal_transition(proposal=proposal, to=Status.WITHDRAWN, by=proposal.owner,
                                     note="We withdraw.", note_internal=True)


def test_information_request_note_is_never_internal(staff):
    proposal = proposal_in(Status.SCREENING, staff=staff)

    with pytest.raises(TransitionRefused):
        services.proposal_transition(proposal=proposal, to=Status.INFO_REQUESTED, by=staff, note="Send the budget.",
                                     note_internal=True)


def test_staff_api_asks_who_reads_a_note(staff):
    proposal = submitted_proposal()

    response = _api(staff).post(f"/api/v1/staff/proposals/{proposal.pk}/transition/",
                                {"to": "screening", "note": SECRET}, format="json")

    assert response.status_code == 400
    assert response.json() == {"note_visibility": ["Say who reads this note: the applicant, or staff only."]}
    proposal.refresh_from_db()
    assert proposal.status == Status.SUBMITTED


def test_staff_api_records_an_internal_note(staff):
    proposal = submitted_proposal()

    response = _api(staff).post(f"/api/v1/staff/proposals/{proposal.pk}/transition/",
                                {"to": "screening", "note": SECRET, "note_visibility": "internal"}, format="json")

    assert response.status_code == 200
    change = StatusChange.objects.filter(proposal=proposal).latest("id")
    assert (change.note, change.note_internal) == (SECRET, True)


def test_admin_change_page_moves_with_an_internal_note(staff):
    proposal = submitted_proposal()
    browser = _browser(staff)
    url = reverse("admin:proposals_proposal_change", args=[proposal.pk])
    assert 'name="move_note_visibility"' in browser.get(url).content.decode()

    response = browser.post(url, page_form_data(browser, proposal, move_to="screening", move_note=SECRET,
                                                move_note_visibility="internal",
                                                cooperation_centre=proposal.cooperation_centre_id or ""))

    assert response.status_code == 302
    change = StatusChange.objects.filter(proposal=proposal).latest("id")
    assert (change.to_status, change.note, change.note_internal) == (Status.SCREENING, SECRET, True)


def test_admin_change_page_asks_who_reads_the_note(staff):
    proposal = submitted_proposal()
    browser = _browser(staff)
    url = reverse("admin:proposals_proposal_change", args=[proposal.pk])
    response = browser.post(url, page_form_data(browser, proposal, move_to="screening", move_note=SECRET,
                                                cooperation_centre=proposal.cooperation_centre_id or ""))

    assert response.status_code == 200
    assert "Say who reads this note: the applicant, or staff only." in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == Status.SUBMITTED



def test_admin_move_note_is_bounded_like_the_history_note(staff):
    proposal = submitted_proposal()
    browser = _browser(staff)
    url = reverse("admin:proposals_proposal_change", args=[proposal.pk])

    response = browser.post(url, page_form_data(browser, proposal, move_to="screening", move_note="x" * 10_001,
                                                move_note_visibility="applicant",
                                                cooperation_centre=proposal.cooperation_centre_id or ""))

    assert response.status_code == 200
    assert "Ensure this value has at most 10000 characters (it has 10001)." in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == Status.SUBMITTED
