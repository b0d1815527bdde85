import datetime
import io

import pytest
from django.core import mail
from django.template import Context, Template
from django_celery_beat.models import PeriodicTask

from accounts.models import Role
from consulting import demo, services
from consulting.models import AvailabilityRule, BookingStatus, Consultant, Recommendation, SessionType
from consulting.tasks import booking_reminders_sweep
from notifications.models import OutboxEmail
from notifications.services import outbox_send
from proposals.selectors import proposals_visible_to
from tests.consulting.conftest import NOW, make_booking
from tests.factories import ProposalFactory, StaffFactory, UserFactory, applicant

pytestmark = pytest.mark.django_db
FIRST = datetime.datetime(2026, 3, 3, 0, 0, tzinfo=datetime.UTC)


def test_demo_seed_gives_every_consultant_weekday_hours_and_is_idempotent():
    users = [UserFactory(role=Role.CONSULTANT) for _ in range(2)]
    UserFactory(role=Role.APPLICANT)

    demo.seed(io.StringIO())
    demo.seed(io.StringIO())

    assert Consultant.objects.count() == 2
    assert SessionType.objects.count() == 2
    for user in users:
        rules = AvailabilityRule.objects.filter(consultant__user=user)
        assert sorted({r.weekday for r in rules}) == [0, 1, 2, 3, 4]
        assert sorted({(r.start_time.hour, r.end_time.hour) for r in rules}) == [(9, 12), (13, 17)]
        assert str(user.consultant_profile.time_zone) == "Asia/Seoul"


def test_reminder_sweep_is_scheduled_every_five_minutes():
    task = PeriodicTask.objects.get(task="consulting.tasks.booking_reminders_sweep")

    assert (task.enabled, task.interval.every, task.interval.period) == (True, 5, "minutes")


def test_reminder_task_runs_the_sweep():
    assert booking_reminders_sweep() == {"24h": 0, "1h": 0, "report_due": 0}


def test_confirmation_email_is_delivered_with_calendar_attachment(consultant, session_type):
    person = applicant()
    services.booking_create(consultant=consultant, session_type=session_type, start=FIRST, by=person, now=NOW)
    outbox = OutboxEmail.objects.get(event="booking_confirmed", to_email=person.email)

    assert outbox_send(outbox_id=outbox.pk) is True

    message = mail.outbox[-1]
    filename, content, mimetype = message.attachments[0]
    assert (filename, mimetype) == ("invite.ics", "text/calendar")
    assert "METHOD:REQUEST" in content
    assert "/consulting/bookings/" in message.body


def test_consultant_sees_proposals_booked_with_them_only(consultant, session_type):
    booked = ProposalFactory()
    ProposalFactory()
    make_booking(consultant, session_type, booked_by=booked.owner, proposal=booked, start=FIRST)

    assert list(proposals_visible_to(consultant.user)) == [booked]


def test_proposal_reports_include_shows_recommendation_and_summary_only_to_staff(consultant, session_type):
    proposal = ProposalFactory()
    booking = make_booking(consultant, session_type, booked_by=proposal.owner, proposal=proposal,
                           start=FIRST, status=BookingStatus.HELD)
    services.report_file(booking=booking, by=consultant.user, summary="Internal notes", suggested_changes="Add KPIs",
                         recommendation=Recommendation.READY, now=FIRST + datetime.timedelta(hours=2))
    template = Template('{% include "consulting/_proposal_reports.html" with proposal=proposal %}')

    for_applicant = template.render(Context({"proposal": proposal, "user": proposal.owner}))
    for_staff = template.render(Context({"proposal": proposal, "user": StaffFactory()}))

    assert "Ready for committee" in for_applicant
    assert "Add KPIs" in for_applicant
    assert "Internal notes" not in for_applicant
    assert "Internal notes" in for_staff


def test_demo_seed_files_report_for_proposal_in_pre_consulting_and_books_a_draft():
    from proposals.workflow import Status

    UserFactory(role=Role.CONSULTANT)
    waiting = ProposalFactory(status=Status.PRE_CONSULTING)
    draft = ProposalFactory()

    demo.seed(io.StringIO())
    demo.seed(io.StringIO())

    report = waiting.pre_consulting_reports.get()
    assert (report.booking.status, report.recommendation) == (BookingStatus.HELD, Recommendation.READY)
    assert draft.bookings.get().status == BookingStatus.CONFIRMED
