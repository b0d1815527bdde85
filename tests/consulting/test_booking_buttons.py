"""Where the booking and scheduling buttons are: the proposal page preselects its proposal, decided proposals
offer none, consultants are not sent to "Find a consultant", and the compact slot picker shows one week."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from consulting import selectors
from proposals.workflow import Status
from tests.consulting.conftest import make_booking, make_consultant, make_session_type
from tests.factories import ProposalFactory, StaffFactory, UserFactory, applicant
from tests.factories.consulting import filed_report
from tests.sql import sent

pytestmark = pytest.mark.django_db


def test_proposal_page_booking_button_preselects_the_proposal(client, consultant, session_type):
    proposal = ProposalFactory()
    client.force_login(proposal.owner)

    page = client.get(proposal.get_absolute_url()).content.decode()
    listing = client.get(reverse("consulting:consultant-list"), {"proposal": proposal.pk})
    confirm = client.get(reverse("consulting:booking-new", args=[consultant.pk]),
                         {"session_type": session_type.pk, "proposal": proposal.pk})

    assert f'href="/consulting/?proposal={proposal.pk}"' in page
    assert listing.context["preselected"] == proposal
    assert f'?proposal={proposal.pk}"' in listing.content.decode()
    assert confirm.context["form"]["proposal"].value() == proposal.pk


def test_preselect_of_another_organisations_proposal_is_ignored(client, consultant, session_type):
    proposal = ProposalFactory()
    client.force_login(applicant())

    confirm = client.get(reverse("consulting:booking-new", args=[consultant.pk]),
                         {"session_type": session_type.pk, "proposal": proposal.pk})

    assert confirm.context["form"]["proposal"].value() is None


@pytest.mark.parametrize("status", [Status.APPROVED, Status.REJECTED, Status.WITHDRAWN])
def test_decided_proposal_page_has_no_booking_or_schedule_button(client, status):
    proposal = ProposalFactory(status=status, reference="KCN-2026-0001", submitted_at=timezone.now(),
                               decision_released_at=timezone.now())
    for person in (proposal.owner, StaffFactory()):
        client.force_login(person)
        response = client.get(proposal.get_absolute_url())
        html = response.content.decode()
        assert response.status_code == 200 and 'id="pre-consulting"' in html
        assert 'id="book-session-link"' not in html
        assert 'id="schedule-session-link"' not in html


def test_staff_on_a_proposal_page_get_the_schedule_button_not_the_booking_one(client):
    proposal = ProposalFactory(status=Status.PRE_CONSULTING, reference="KCN-2026-0002", submitted_at=timezone.now())
    client.force_login(StaffFactory())

    html = client.get(proposal.get_absolute_url()).content.decode()

    assert f'href="/consulting/proposals/{proposal.pk}/schedule/"' in html
    assert 'id="book-session-link"' not in html


def test_consultants_navigation_has_no_find_a_consultant(client, consultant):
    client.force_login(consultant.user)
    html = client.get(reverse("consulting:consultant-home")).content.decode()
    assert 'id="nav-find-consultant"' not in html
    assert 'id="nav-queue"' in html

    client.force_login(applicant())
    html = client.get(reverse("consulting:my-sessions")).content.decode()
    assert 'id="nav-find-consultant"' in html
    assert 'id="nav-queue"' not in html


def test_slot_picker_shows_one_week_with_day_headings_and_named_buttons(client):
    consultant = make_consultant(weekdays=range(7))
    session_type = make_session_type(booking_window_days=21)
    client.force_login(applicant(time_zone="Asia/Seoul"))
    url = reverse("consulting:consultant-detail", args=[consultant.pk])

    first = client.get(url, {"session_type": session_type.pk})
    week = first.context["week"]
    html = first.content.decode()

    days = [day for day, _times in week.days]
    assert all(week.monday <= day <= week.sunday for day in days)
    assert week.next_url and not week.previous_url
    assert html.count('class="h6 mb-1 slot-day-heading"') == len(days)
    day, times = week.days[0]
    assert times and times[0].date() == day
    # The button's accessible name: the date (hidden from sight), the viewer's time and the consultant's.
    assert f'<span class="visually-hidden">{day:%A} {day.day} {day:%B} {day.year}, </span>' in html
    nxt = client.get(url + week.next_url.split("#")[0])
    assert nxt.context["week"].monday == week.monday + datetime.timedelta(days=7)
    assert nxt.context["week"].previous_url
    bad = client.get(url, {"session_type": session_type.pk, "week": "2026-13-45"})
    assert bad.status_code == 200 and bad.context["week"].monday == week.monday


def test_centre_staff_nav_offers_the_queue(client):
    person = UserFactory(role=Role.CENTRE_STAFF)
    client.force_login(person)
    assert client.get(reverse("consulting:queue")).status_code == 200
    assert selectors.proposals_schedulable_by(UserFactory(role=Role.COMMITTEE_MEMBER)).count() == 0


def _consulting_reads(queries) -> list[str]:
    """The page's own queries of reports and sessions (the proposal's query names those tables in its columns)."""
    return [sql for sql in sent(queries)
            if sql.startswith(('SELECT "consulting_preconsultingreport"', 'SELECT "consulting_booking"'))]


def test_proposal_page_shows_its_report_and_sessions_to_come_and_asks_for_neither_when_it_has_none(
        client, consultant, session_type):
    proposal = ProposalFactory(status=Status.PRE_CONSULTING, reference="KCN-2026-0003", submitted_at=timezone.now())
    client.force_login(proposal.owner)
    now = timezone.now()

    with CaptureQueriesContext(connection) as bare:
        bare_page = client.get(proposal.get_absolute_url()).content.decode()
    make_booking(consultant, session_type, booked_by=proposal.owner, proposal=proposal,
                 start=now - datetime.timedelta(days=3))  # confirmed, but over
    with CaptureQueriesContext(connection) as past_only:
        past_page = client.get(proposal.get_absolute_url()).content.decode()
    filed_report(proposal)
    make_booking(consultant, session_type, booked_by=proposal.owner, proposal=proposal,
                 start=now + datetime.timedelta(days=2))
    with CaptureQueriesContext(connection) as both:
        page = client.get(proposal.get_absolute_url()).content.decode()

    assert _consulting_reads(bare) == [] and _consulting_reads(past_only) == []
    assert "No pre-consulting report yet." in bare_page and "bi-calendar-event" not in past_page
    assert len(_consulting_reads(both)) == 2
    assert page.count('class="mb-3 pre-consulting-report"') == 1 and page.count("bi-calendar-event") == 1
