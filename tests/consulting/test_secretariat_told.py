"""Bookings and filed reports tell the secretariat (consulting's own services; issue 12)."""

import datetime

import pytest

from consulting import services
from consulting.models import BookingStatus, Recommendation
from notifications.models import Notice, OutboxEmail
from tests.consulting.conftest import NOW, make_booking
from tests.factories import ProposalFactory, StaffFactory, service_levels, submitted_proposal

pytestmark = pytest.mark.django_db
FIRST = datetime.datetime(2026, 3, 3, 0, 0, tzinfo=datetime.UTC)


def told(event):
    return sorted(Notice.objects.filter(event=event).values_list("user__email", flat=True))


def test_booking_about_a_submitted_proposal_tells_the_whole_secretariat(consultant, session_type):
    service_levels()
    a = StaffFactory(email="a@molit.example")
    b = StaffFactory(email="b@molit.example", email_opt_out=["booking_made_staff"])
    proposal = submitted_proposal()

    services.booking_create(consultant=consultant, session_type=session_type, start=FIRST, by=proposal.owner,
                            proposal=proposal, now=NOW)

    assert told("booking_made_staff") == [a.email, b.email]
    assert list(OutboxEmail.objects.filter(event="booking_made_staff").values_list("to_email", flat=True)) == [a.email]
    notice = Notice.objects.get(event="booking_made_staff", user=a)
    assert proposal.reference in notice.title
    assert notice.url == f"/admin/proposals/proposal/{proposal.pk}/change/"


def test_booking_about_an_assigned_proposal_tells_its_staff_member(consultant, session_type):
    service_levels()
    StaffFactory(email="other@molit.example")
    mine = StaffFactory(email="mine@molit.example")
    proposal = submitted_proposal(assigned_to=mine)

    services.booking_create(consultant=consultant, session_type=session_type, start=FIRST, by=proposal.owner,
                            proposal=proposal, now=NOW)

    assert told("booking_made_staff") == [mine.email]


def test_booking_about_a_draft_or_about_nothing_tells_no_staff(consultant, session_type):
    StaffFactory()
    draft = ProposalFactory()

    services.booking_create(consultant=consultant, session_type=session_type, start=FIRST, by=draft.owner,
                            proposal=draft, now=NOW)
    services.booking_create(consultant=consultant, session_type=session_type, start=FIRST + datetime.timedelta(hours=1),
                            by=draft.owner, now=NOW)

    assert told("booking_made_staff") == []


def test_filed_report_tells_the_secretariat_once_not_on_correction(consultant, session_type):
    service_levels()
    staff = StaffFactory(email="desk@molit.example")
    proposal = submitted_proposal()
    booking = make_booking(consultant, session_type, booked_by=proposal.owner, proposal=proposal, start=FIRST,
                           status=BookingStatus.HELD)

    services.report_file(booking=booking, by=consultant.user, summary="Good plan.",
                         recommendation=Recommendation.READY, now=FIRST + datetime.timedelta(hours=2))
    services.report_file(booking=booking, by=consultant.user, summary="Good plan, corrected.",
                         recommendation=Recommendation.READY, now=FIRST + datetime.timedelta(hours=3))

    assert told("report_filed_staff") == [staff.email]
    assert "Ready for committee" in Notice.objects.get(event="report_filed_staff").title
