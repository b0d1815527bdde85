import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from audit.models import AuditEntry
from consulting import services
from consulting.models import Booking, BookingStatus, Recommendation
from consulting.selectors import consultant_free_slots, proposal_has_filed_report
from core.errors import DomainError, TransitionRefused
from notifications.models import OutboxEmail
from proposals.services import proposal_transition
from proposals.workflow import Status
from tests.consulting.conftest import NOW, make_consultant, make_session_type
from tests.factories import ProposalFactory, StaffFactory, applicant

pytestmark = pytest.mark.django_db
UTC = datetime.UTC
# Tuesday 3 March 2026 09:00 in Seoul, the first time the 24 h notice allows after NOW.
FIRST = datetime.datetime(2026, 3, 3, 0, 0, tzinfo=UTC)


def book(consultant, session_type, *, start=FIRST, by=None, proposal=None, now=NOW):
    if by is None:
        proposal = proposal or ProposalFactory()
        by = proposal.owner
    return services.booking_create(consultant=consultant, session_type=session_type, start=start, by=by,
                                   proposal=proposal, questions="  How to phase the budget?  ", now=now)


def test_booking_create_stores_utc_times_and_tells_both_sides_with_calendar_file(consultant, session_type):
    proposal = ProposalFactory()

    booking = book(consultant, session_type, proposal=proposal)

    assert (booking.start, booking.end) == (FIRST, FIRST + datetime.timedelta(hours=1))
    assert booking.status == BookingStatus.CONFIRMED
    assert booking.questions == "How to phase the budget?"
    assert booking.proposal == proposal
    assert booking.scheduled_at == NOW
    emails = {e.to_email: e for e in OutboxEmail.objects.filter(event="booking_confirmed")}
    assert set(emails) == {proposal.owner.email, consultant.user.email}
    ics = emails[proposal.owner.email].attachments[0]
    assert ics["filename"] == "invite.ics"
    assert "METHOD:REQUEST" in ics["content"]
    assert f"UID:{booking.ics_uid}@kcity-network" in ics["content"]
    assert "DTSTART:20260303T000000Z" in ics["content"]
    assert AuditEntry.objects.filter(action="booking.create", target_id=str(booking.pk)).count() == 1


def test_booking_create_email_shows_each_recipients_zone(consultant, session_type):
    proposal = ProposalFactory()  # applicant in Asia/Jakarta

    book(consultant, session_type, proposal=proposal)

    applicant_mail = OutboxEmail.objects.get(event="booking_confirmed", to_email=proposal.owner.email)
    consultant_mail = OutboxEmail.objects.get(event="booking_confirmed", to_email=consultant.user.email)
    assert "07:00–08:00 (Asia/Jakarta)" in applicant_mail.body
    assert "09:00 (Asia/Seoul)" in applicant_mail.body  # the consultant's local time beside
    assert "09:00–10:00 (Asia/Seoul)" in consultant_mail.body


def test_booking_create_taken_time_is_refused_with_nearest_free_times(consultant, session_type):
    book(consultant, session_type)

    with pytest.raises(services.SlotUnavailable) as refused:
        book(consultant, session_type)

    assert refused.value.code == "slot_taken"
    assert str(refused.value.message) == "This time was just taken."
    assert refused.value.nearest == [
        datetime.datetime(2026, 3, 3, 1, tzinfo=UTC), datetime.datetime(2026, 3, 3, 2, tzinfo=UTC),
        datetime.datetime(2026, 3, 3, 4, tzinfo=UTC),
    ]
    assert Booking.objects.count() == 1


def test_booking_create_outside_availability_is_refused(consultant, session_type):
    lunch = datetime.datetime(2026, 3, 3, 3, 0, tzinfo=UTC)  # 12:00 in Seoul

    with pytest.raises(services.SlotUnavailable) as refused:
        book(consultant, session_type, start=lunch)

    assert refused.value.code == "slot_unavailable"
    assert refused.value.nearest == [datetime.datetime(2026, 3, 3, h, tzinfo=UTC) for h in (1, 2, 4)]


def test_booking_create_inside_minimum_notice_is_refused(consultant, session_type):
    too_soon = datetime.datetime(2026, 3, 2, 4, 0, tzinfo=UTC)  # Monday 13:00 Seoul, 4 hours after NOW

    with pytest.raises(services.SlotUnavailable):
        book(consultant, session_type, start=too_soon)


def test_booking_create_with_someone_elses_proposal_is_refused(consultant, session_type):
    other = ProposalFactory()

    with pytest.raises(DomainError):
        book(consultant, session_type, by=applicant(), proposal=other)


def test_booking_create_with_oneself_is_refused(consultant, session_type):
    with pytest.raises(DomainError):
        services.booking_create(consultant=consultant, session_type=session_type, start=FIRST, by=consultant.user,
                                now=NOW)


def test_booking_create_respects_daily_limit(consultant):
    session_type = make_session_type(daily_limit=1)
    book(consultant, session_type)

    with pytest.raises(services.SlotUnavailable) as refused:
        book(consultant, session_type, start=FIRST + datetime.timedelta(hours=4))

    assert refused.value.nearest[0] == datetime.datetime(2026, 3, 4, 0, tzinfo=UTC)


def test_booking_reschedule_keeps_uid_and_raises_sequence(consultant, session_type):
    booking = book(consultant, session_type)
    uid = booking.ics_uid
    later = NOW + datetime.timedelta(hours=2)
    mail.outbox.clear()

    booking = services.booking_reschedule(booking=booking, start=FIRST + datetime.timedelta(hours=5),
                                          by=booking.booked_by, now=later)

    assert booking.ics_uid == uid
    assert booking.ics_sequence == 1
    assert booking.start == datetime.datetime(2026, 3, 3, 5, tzinfo=UTC)
    assert booking.scheduled_at == later
    ics = OutboxEmail.objects.get(event="booking_rescheduled", to_email=consultant.user.email).attachments[0]["content"]
    assert f"UID:{uid}@kcity-network" in ics
    assert "SEQUENCE:1" in ics
    assert "DTSTART:20260303T050000Z" in ics
    # The old time is free again.
    assert FIRST in consultant_free_slots(consultant=consultant, session_type=session_type, range_start=FIRST,
                                          range_end=FIRST + datetime.timedelta(hours=1), now=NOW)


def test_booking_reschedule_can_overlap_its_own_old_time(consultant):
    session_type = make_session_type(slot_interval_minutes=30)
    booking = book(consultant, session_type)

    booking = services.booking_reschedule(booking=booking, start=FIRST + datetime.timedelta(minutes=30),
                                          by=consultant.user, now=NOW)

    assert booking.start == FIRST + datetime.timedelta(minutes=30)


def test_booking_cancel_sends_cancel_calendar_and_frees_the_time(consultant, session_type):
    booking = book(consultant, session_type)

    booking = services.booking_cancel(booking=booking, by=consultant.user, reason="Ill", now=NOW)

    assert booking.status == BookingStatus.CANCELLED
    assert booking.cancelled_by == consultant.user
    assert booking.ics_sequence == 1
    ics = OutboxEmail.objects.get(event="booking_cancelled", to_email=booking.booked_by.email).attachments[0]["content"]
    assert "METHOD:CANCEL" in ics
    assert "STATUS:CANCELLED" in ics
    assert book(consultant, session_type).start == FIRST


def test_booking_cancel_inside_cancellation_notice_is_refused(consultant, session_type):
    booking = book(consultant, session_type)

    with pytest.raises(DomainError, match="up to 12 hours"):
        services.booking_cancel(booking=booking, by=booking.booked_by, now=FIRST - datetime.timedelta(hours=11))

    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED


def test_booking_cancel_inside_notice_by_staff_is_allowed(consultant, session_type):
    booking = book(consultant, session_type)

    services.booking_cancel(booking=booking, by=StaffFactory(), now=FIRST - datetime.timedelta(hours=1))

    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED


def test_booking_cancel_by_another_applicant_is_refused(consultant, session_type):
    booking = book(consultant, session_type)

    with pytest.raises(PermissionDenied):
        services.booking_cancel(booking=booking, by=applicant(), now=NOW)


def test_booking_mark_before_start_is_refused(consultant, session_type):
    booking = book(consultant, session_type)

    with pytest.raises(TransitionRefused):
        services.booking_mark(booking=booking, by=consultant.user, status=BookingStatus.HELD, now=NOW)


def test_report_file_after_held_session_is_seen_by_guard(consultant, session_type):
    staff = StaffFactory()
    proposal = ProposalFactory(status=Status.PRE_CONSULTING, track__pre_consulting_required=True)
    booking = book(consultant, session_type, proposal=proposal)
    after = FIRST + datetime.timedelta(hours=2)
    with pytest.raises(TransitionRefused):
        proposal_transition(proposal=proposal, to=Status.COMMITTEE_REVIEW, by=staff)

    services.booking_mark(booking=booking, by=consultant.user, status=BookingStatus.HELD, now=after)
    report = services.report_file(booking=booking, by=consultant.user, summary="Good plan.",
                                  recommendation=Recommendation.REVISE, suggested_changes="Add a budget.", now=after)

    assert report.proposal == proposal
    assert proposal_has_filed_report(proposal=proposal) is True
    moved = proposal_transition(proposal=proposal, to=Status.COMMITTEE_REVIEW, by=staff)
    assert moved.status == Status.COMMITTEE_REVIEW
    told = OutboxEmail.objects.get(event="booking_report_filed")
    assert told.to_email == proposal.owner.email
    assert "Revise first" in told.body
    assert "Add a budget." in told.body


def test_report_file_by_another_consultant_is_refused(consultant, session_type):
    booking = book(consultant, session_type)
    after = FIRST + datetime.timedelta(hours=2)
    services.booking_mark(booking=booking, by=consultant.user, status=BookingStatus.HELD, now=after)

    with pytest.raises(PermissionDenied):
        services.report_file(booking=booking, by=make_consultant(full_name="Lee").user, summary="x",
                             recommendation=Recommendation.READY, now=after)


def test_report_file_by_a_superuser_is_refused_the_report_is_the_consultants_own(consultant, session_type):
    booking = book(consultant, session_type)
    after = FIRST + datetime.timedelta(hours=2)
    services.booking_mark(booking=booking, by=consultant.user, status=BookingStatus.HELD, now=after)
    root = make_consultant(full_name="Root").user
    root.is_superuser = True
    root.save(update_fields=["is_superuser"])

    assert root.has_perm("consulting.file_report", booking)  # Django's superuser pass ...
    with pytest.raises(PermissionDenied):  # ... is not an authorship: the report stays the consultant's
        services.report_file(booking=booking, by=root, summary="x", recommendation=Recommendation.READY, now=after)


def test_report_file_before_held_is_refused(consultant, session_type):
    booking = book(consultant, session_type)

    with pytest.raises(TransitionRefused):
        services.report_file(booking=booking, by=consultant.user, summary="x", recommendation=Recommendation.READY)


def test_proposal_has_filed_report_false_without_report():
    assert proposal_has_filed_report(proposal=ProposalFactory()) is False
