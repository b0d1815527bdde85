"""Consultants, cooperation centres and the secretariat book too: the pre-consulting queue, taking a proposal,
scheduling a session for a proposal's team, and the team's answer (accept, or pick another free time)."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from accounts.models import Role
from audit.models import AuditEntry
from consulting import selectors, services
from consulting.ics import booking_calendar
from consulting.models import Booking, BookingStatus, ProposalClaim, ReportTemplate
from consulting.reminders import reminders_send
from core.errors import DomainError, TransitionRefused
from notifications.models import Notice, OutboxEmail
from notifications.services import outbox_send
from proposals.workflow import Status
from tests.consulting.conftest import NOW, make_booking, make_consultant, make_session_type
from tests.factories import (
    CooperationCentreFactory,
    ProposalFactory,
    StaffFactory,
    TrackFactory,
    UserFactory,
    applicant,
)

pytestmark = pytest.mark.django_db
UTC = datetime.UTC
FIRST = datetime.datetime(2026, 3, 3, 0, 0, tzinfo=UTC)  # Tuesday 09:00 in Seoul: the first free time after NOW


def waiting(*, days=10, **kwargs):
    """A proposal in the pre-consulting stage since `days` before NOW (a fixture: written straight to the table)."""
    proposal = ProposalFactory(status=Status.PRE_CONSULTING, **kwargs)
    proposal.status_changed_at = NOW - datetime.timedelta(days=days)
    proposal.reference = f"KCN-2026-{proposal.pk:04d}"
    proposal.save(update_fields=["status_changed_at", "reference"])
    return proposal


def centre_officer(centre):
    person = UserFactory(role=Role.CENTRE_STAFF)
    centre.staff.add(person)
    return person


def schedule(proposal, consultant, session_type, *, by, start=FIRST, **kwargs):
    return services.booking_schedule(proposal=proposal, consultant=consultant, session_type=session_type,
                                     start=start, by=by, now=NOW, **kwargs)


# --- the queue ----------------------------------------------------------------------------------------------


def test_queue_lists_waiting_proposals_oldest_first_and_leaves_out_held_ones(consultant, session_type):
    newer, older, oldest = waiting(days=2), waiting(days=20), waiting(days=40)
    taken = waiting(days=50)
    services.proposal_take(proposal=taken, by=consultant.user, now=NOW)
    booked = waiting(days=60)
    make_booking(consultant, session_type, booked_by=booked.owner, proposal=booked, start=FIRST)
    ProposalFactory(status=Status.SCREENING)

    queue = list(selectors.pre_consulting_queue(user=consultant.user, now=NOW))

    assert queue == [oldest, older, newer]


def test_queue_filters_by_track_country_centre_language_and_waiting_time(consultant):
    track = TrackFactory()
    centre = CooperationCentreFactory()
    bogota = waiting(days=30, track=track, country="CO", cooperation_centre=centre,
                     owner=applicant(language="ko"))
    waiting(days=3, track=track, country="CO", cooperation_centre=centre, owner=applicant(language="ko"))
    waiting(days=30, country="ID")
    user = consultant.user

    def ids(**filters):
        return [p.pk for p in selectors.pre_consulting_queue(user=user, now=NOW, **filters)]

    assert ids(track=track, country="CO", centre=centre, language="ko", waited_days=14) == [bogota.pk]
    assert len(ids(track=track)) == 2
    assert ids(country="KE") == []
    assert len(ids(language="en")) == 1


def test_queue_of_a_centre_holds_only_its_region(db):
    centre = CooperationCentreFactory()
    ours = waiting(cooperation_centre=centre)
    waiting(cooperation_centre=CooperationCentreFactory(name="KOTRA Nairobi", city="Nairobi", country="KE"))

    assert list(selectors.pre_consulting_queue(user=centre_officer(centre), now=NOW)) == [ours]


def test_queue_page_is_for_consultants_centres_and_staff_only(client, consultant):
    waiting()
    client.force_login(applicant())
    assert client.get(reverse("consulting:queue")).status_code == 404

    client.force_login(consultant.user)
    response = client.get(reverse("consulting:queue"), {"waited": "7", "country": "ZZ"})
    assert response.status_code == 200  # an unknown country is not applied, never a 500
    assert response.content.decode().count('class="btn btn-sm btn-primary take-button"') == 1


@pytest.mark.parametrize("rows", [5, 10])
def test_queue_page_queries_same_for_n_and_2n_rows(client, django_assert_num_queries, consultant, rows):
    for n in range(rows):
        waiting(days=n + 1)
    client.force_login(consultant.user)

    with django_assert_num_queries(10):
        response = client.get(reverse("consulting:queue"))

    assert response.content.decode().count("<tr data-proposal=") == rows


# --- taking a proposal --------------------------------------------------------------------------------------


def test_proposal_take_by_consultant_claims_it_audits_and_makes_it_visible(consultant):
    proposal = waiting()
    assert not selectors.proposals_schedulable_by(consultant.user).filter(pk=proposal.pk).exists()

    claim = services.proposal_take(proposal=proposal, by=consultant.user, now=NOW)

    assert (claim.proposal, claim.consultant, claim.released_at) == (proposal, consultant, None)
    assert AuditEntry.objects.filter(action="proposal.take", target_id=str(proposal.pk)).count() == 1
    assert selectors.proposals_schedulable_by(consultant.user).filter(pk=proposal.pk).exists()


def test_proposal_take_refused_when_another_consultant_holds_it(consultant):
    proposal = waiting()
    services.proposal_take(proposal=proposal, by=consultant.user, now=NOW)
    other = make_consultant(full_name="Lee Seo-yeon")

    with pytest.raises(services.AlreadyTaken, match="Kim Min-jun took this proposal"):
        services.proposal_take(proposal=proposal, by=other.user, now=NOW)
    assert ProposalClaim.objects.count() == 1


@pytest.mark.parametrize("who", ["applicant", "staff", "committee"])
def test_proposal_take_refused_for_people_who_are_not_consultants(who):
    proposal = waiting()
    person = {"applicant": proposal.owner, "staff": StaffFactory(),
              "committee": UserFactory(role=Role.COMMITTEE_MEMBER)}[who]
    with pytest.raises(PermissionDenied):
        services.proposal_take(proposal=proposal, by=person, now=NOW)


def test_proposal_take_refused_when_it_no_longer_waits(consultant):
    proposal = ProposalFactory(status=Status.SCREENING)
    with pytest.raises(services.AlreadyTaken, match="no longer waits"):
        services.proposal_take(proposal=proposal, by=consultant.user, now=NOW)


def test_proposal_give_back_returns_it_to_the_queue(consultant):
    proposal = waiting()
    claim = services.proposal_take(proposal=proposal, by=consultant.user, now=NOW)
    with pytest.raises(PermissionDenied):
        services.proposal_give_back(claim=claim, by=make_consultant().user, now=NOW)

    services.proposal_give_back(claim=claim, by=consultant.user, now=NOW)

    assert list(selectors.pre_consulting_queue(user=consultant.user, now=NOW)) == [proposal]
    services.proposal_take(proposal=proposal, by=make_consultant().user, now=NOW)  # someone else may now


def test_queue_take_view_takes_and_goes_to_the_schedule_page(client, consultant):
    proposal = waiting()
    client.force_login(consultant.user)

    response = client.post(reverse("consulting:queue-take", args=[proposal.pk]))

    assert response["Location"] == reverse("consulting:schedule", args=[proposal.pk])
    assert ProposalClaim.objects.get().consultant == consultant


# --- scheduling for a proposal's team -------------------------------------------------------------------------


def test_consultant_schedules_own_time_for_a_taken_proposal_and_the_team_is_invited(consultant, session_type):
    proposal = waiting()
    colleague = applicant()
    proposal.collaborators.add(colleague)
    services.proposal_take(proposal=proposal, by=consultant.user, now=NOW)

    booking = schedule(proposal, consultant, session_type, by=consultant.user,
                       meeting_url="https://meet.example.org/kcn-42", note="Budget and phasing")

    assert (booking.status, booking.scheduled_for_team, booking.booked_by) == (
        BookingStatus.INVITED, True, consultant.user)
    assert booking.meeting_link == "https://meet.example.org/kcn-42"
    invited = set(Notice.objects.filter(event="booking_invited").values_list("user_id", flat=True))
    assert invited == {consultant.user.pk, proposal.owner.pk, colleague.pk}
    assert AuditEntry.objects.filter(action="booking.schedule").count() == 1
    for outbox in OutboxEmail.objects.filter(event="booking_invited"):
        outbox_send(outbox_id=outbox.pk)
    to_owner = next(m for m in mail.outbox if m.to == [proposal.owner.email])
    assert "invites your team" in to_owner.body
    assert "https://meet.example.org/kcn-42" in to_owner.body
    ics = next(a for a in to_owner.attachments if a[2] == "text/calendar")
    event = Calendar.from_ical(ics[1]).walk("VEVENT")[0]
    assert str(event["URL"]) == "https://meet.example.org/kcn-42"
    assert "https://meet.example.org/kcn-42" in str(event["LOCATION"])
    attendees = sorted(str(a) for a in event.get("ATTENDEE"))
    assert attendees == sorted([f"mailto:{proposal.owner.email}", f"mailto:{colleague.email}"])


def test_staff_schedule_with_another_consultant_uses_the_consultants_default_link(consultant, session_type):
    consultant.meeting_url = "https://meet.example.org/kim"
    consultant.save(update_fields=["meeting_url"])
    proposal = waiting()

    booking = schedule(proposal, consultant, session_type, by=StaffFactory())

    assert booking.meeting_link == "https://meet.example.org/kim"
    assert "https://meet.example.org/kim" in booking_calendar(booking)


def test_centre_staff_schedules_for_their_region_only(consultant, session_type):
    centre = CooperationCentreFactory()
    officer = centre_officer(centre)
    ours = waiting(cooperation_centre=centre)
    theirs = waiting()

    assert schedule(ours, consultant, session_type, by=officer).status == BookingStatus.INVITED
    with pytest.raises(PermissionDenied):
        schedule(theirs, consultant, session_type, by=officer, start=FIRST + datetime.timedelta(hours=2))


def test_consultant_who_may_not_see_a_proposal_gets_404_on_its_schedule_page(client, consultant):
    proposal = waiting()
    client.force_login(consultant.user)

    assert client.get(reverse("consulting:schedule", args=[proposal.pk])).status_code == 404
    with pytest.raises(PermissionDenied):
        schedule(proposal, consultant, make_session_type(), by=consultant.user)


def test_applicant_cannot_schedule_nor_book_for_another_organisations_proposal(client, consultant, session_type):
    proposal = waiting()
    stranger = applicant()
    client.force_login(stranger)

    assert client.get(reverse("consulting:schedule", args=[proposal.pk])).status_code == 404
    with pytest.raises(PermissionDenied):
        schedule(proposal, consultant, session_type, by=stranger)
    with pytest.raises(DomainError, match="open proposal you work on"):
        services.booking_create(consultant=consultant, session_type=session_type, start=FIRST, by=stranger,
                                proposal=proposal, now=NOW)


@pytest.mark.parametrize("status", [Status.APPROVED, Status.REJECTED, Status.WITHDRAWN])
def test_schedule_refused_for_decided_proposals(client, consultant, session_type, status):
    proposal = waiting()
    proposal.status = status
    proposal.decision_released_at = NOW
    proposal.save(update_fields=["status", "decision_released_at"])
    staff = StaffFactory()
    client.force_login(staff)

    assert client.get(reverse("consulting:schedule", args=[proposal.pk])).status_code == 404
    with pytest.raises(PermissionDenied):
        schedule(proposal, consultant, session_type, by=staff)


def test_schedule_refuses_a_time_that_is_taken(consultant, session_type):
    first, second = waiting(), waiting()
    staff = StaffFactory()
    schedule(first, consultant, session_type, by=staff)

    with pytest.raises(services.SlotUnavailable) as refused:
        schedule(second, consultant, session_type, by=staff)

    assert refused.value.code == "slot_taken"
    assert refused.value.nearest[0] == FIRST + datetime.timedelta(hours=1)


def test_schedule_page_posts_a_slot_and_holds_it(client, consultant, session_type):
    proposal = waiting()
    staff = StaffFactory(time_zone="Europe/Warsaw")  # neither party's zone: both are shown beside each slot
    client.force_login(staff)
    url = reverse("consulting:schedule", args=[proposal.pk])

    page = client.get(url, {"consultant": consultant.pk, "session_type": session_type.pk})
    html = page.content.decode()
    assert 'class="slot-beside slot-consultant-time"' in html
    assert 'class="slot-beside slot-applicant-time"' in html

    start = page.context["week"].days[0][1][0]
    response = client.post(url, {"consultant": consultant.pk, "session_type": session_type.pk,
                                 "start": start.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                                 "meeting_url": "meet.example.org/x", "note": ""})

    booking = Booking.objects.get()
    assert response["Location"] == reverse("consulting:booking-detail", args=[booking.pk])
    assert booking.meeting_url == "https://meet.example.org/x"
    bad = client.post(url, {"consultant": consultant.pk, "session_type": session_type.pk, "start": "soon"})
    assert bad.status_code == 400


def test_consultant_booking_with_own_profile_for_themselves_still_refused(consultant, session_type):
    with pytest.raises(DomainError, match="schedule it from the proposal"):
        services.booking_create(consultant=consultant, session_type=session_type, start=FIRST,
                                by=consultant.user, now=NOW)


# --- the team's answer ----------------------------------------------------------------------------------------


def test_team_member_accepts_and_the_session_is_confirmed(consultant, session_type):
    proposal = waiting()
    colleague = applicant()
    proposal.collaborators.add(colleague)
    booking = schedule(proposal, consultant, session_type, by=StaffFactory())

    services.booking_accept(booking=booking, by=colleague, now=NOW)

    booking.refresh_from_db()
    assert (booking.status, booking.accepted_by, booking.accepted_at) == (BookingStatus.CONFIRMED, colleague, NOW)
    assert Notice.objects.filter(event="booking_accepted", user=consultant.user).count() == 1
    with pytest.raises(TransitionRefused, match="already answered"):
        services.booking_accept(booking=booking, by=colleague, now=NOW)


def test_accept_refused_for_people_outside_the_team(consultant, session_type):
    proposal = waiting()
    staff = StaffFactory()
    booking = schedule(proposal, consultant, session_type, by=staff)

    for person in (applicant(), consultant.user, staff):
        with pytest.raises(PermissionDenied):
            services.booking_accept(booking=booking, by=person, now=NOW)


def test_other_organisation_cannot_see_or_accept_the_invitation(client, consultant, session_type):
    booking = schedule(waiting(), consultant, session_type, by=StaffFactory())
    client.force_login(applicant())

    assert client.get(reverse("consulting:booking-detail", args=[booking.pk])).status_code == 404
    assert client.post(reverse("consulting:booking-accept", args=[booking.pk])).status_code == 404
    booking.refresh_from_db()
    assert booking.status == BookingStatus.INVITED


def test_team_picking_another_free_time_answers_the_invitation(consultant, session_type):
    proposal = waiting()
    services.proposal_take(proposal=proposal, by=consultant.user, now=NOW)
    booking = schedule(proposal, consultant, session_type, by=consultant.user)
    later = FIRST + datetime.timedelta(days=1, hours=2)

    services.booking_reschedule(booking=booking, start=later, by=proposal.owner, now=NOW)

    booking.refresh_from_db()
    assert (booking.start, booking.status, booking.accepted_by) == (later, BookingStatus.CONFIRMED, proposal.owner)
    assert booking.ics_sequence == 1


def test_scheduler_moving_an_invitation_keeps_it_open(consultant, session_type):
    proposal = waiting()
    services.proposal_take(proposal=proposal, by=consultant.user, now=NOW)
    booking = schedule(proposal, consultant, session_type, by=consultant.user)

    services.booking_reschedule(booking=booking, start=FIRST + datetime.timedelta(hours=1), by=consultant.user,
                                now=NOW)

    booking.refresh_from_db()
    assert booking.status == BookingStatus.INVITED


def live_schedule(proposal, consultant, session_type, *, by, **kwargs):
    """Scheduled at the first free time from the real clock (pages compare with timezone.now())."""
    now = timezone.now()
    start = selectors.consultant_free_slots(consultant=consultant, session_type=session_type, range_start=now,
                                            range_end=now + datetime.timedelta(days=21), now=now)[0]
    return services.booking_schedule(proposal=proposal, consultant=consultant, session_type=session_type,
                                     start=start, by=by, **kwargs)


def test_invited_team_sees_the_session_in_my_sessions_and_can_cancel(client, consultant, session_type):
    proposal = waiting()
    booking = live_schedule(proposal, consultant, session_type, by=StaffFactory())
    client.force_login(proposal.owner)

    page = client.get(reverse("consulting:my-sessions"))
    detail = client.get(reverse("consulting:booking-detail", args=[booking.pk])).content.decode()

    assert [b.pk for b in page.context["upcoming"]] == [booking.pk]
    assert 'id="accept-invitation"' in detail and 'id="pick-another-time"' in detail
    services.booking_cancel(booking=booking, by=proposal.owner)
    assert Booking.objects.get().status == BookingStatus.CANCELLED


def test_meeting_link_shown_only_to_the_people_in_the_session(client, consultant, session_type):
    proposal = waiting()
    services.proposal_take(proposal=proposal, by=consultant.user)
    booking = live_schedule(proposal, consultant, session_type, by=consultant.user,
                            meeting_url="https://meet.example.org/s")
    client.force_login(proposal.owner)
    assert 'id="meeting-link"' in client.get(booking.get_absolute_url()).content.decode()
    client.force_login(UserFactory(role=Role.CONSULTANT))
    assert client.get(booking.get_absolute_url()).status_code == 404


def test_reminders_go_to_the_team_with_the_meeting_link(consultant, session_type):
    proposal = waiting()
    booking = schedule(proposal, consultant, session_type, by=StaffFactory(), meeting_url="https://meet.example.org/r",
                       start=FIRST + datetime.timedelta(days=2))

    sent = reminders_send(now=booking.start - datetime.timedelta(hours=23))

    assert sent["24h"] == 1
    reminder = OutboxEmail.objects.get(event="booking_reminder", to_email=proposal.owner.email)
    assert "https://meet.example.org/r" in reminder.body
    assert booking.get_manage_url() in reminder.body


# --- the report template ---------------------------------------------------------------------------------------


def test_report_form_starts_from_the_tracks_template(client, consultant, session_type):
    proposal = waiting()
    ReportTemplate.objects.create(track=proposal.track, summary="1. Fit with the national plan\n2. Budget",
                                  suggested_changes="- ")
    booking = make_booking(consultant, session_type, booked_by=proposal.owner, proposal=proposal, start=FIRST,
                           status=BookingStatus.HELD)
    client.force_login(consultant.user)

    form = client.get(reverse("consulting:booking-report", args=[booking.pk])).context["form"]

    assert form.initial == {"summary": "1. Fit with the national plan\n2. Budget", "suggested_changes": "- "}


def test_report_template_save_is_staff_only_and_audited(db):
    template = ReportTemplate(track=TrackFactory(), summary="Headings")
    with pytest.raises(PermissionDenied):
        services.report_template_save(template=template, by=applicant())

    services.report_template_save(template=template, by=StaffFactory())

    assert AuditEntry.objects.filter(action="report_template.create").count() == 1
