"""The cooperation beat sweeps: milestones and deliverables 14 and 3 days ahead and overdue, reports 7 days ahead and
overdue, the weekly staff digest; each occasion once, whoever runs the sweep how often; a constant cost when
nothing is due."""

import datetime
import zoneinfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_celery_beat.models import PeriodicTask

from accounts.models import User
from cooperation import reminders_reports as reminders
from cooperation.models import (
    ActionItem,
    ActivityStatus,
    CooperationMeeting,
    Deliverable,
    Milestone,
    ReportingPeriod,
    Side,
    WorkStatus,
)
from cooperation.services import reports as services
from notifications.models import Notice, SentReminder
from tests.cooperation.reports_helpers import report_in
from tests.factories import StaffFactory
from tests.factories.cooperation_reports import project_for_reports

pytestmark = pytest.mark.django_db
SEOUL = zoneinfo.ZoneInfo("Asia/Seoul")
TODAY = datetime.date(2026, 3, 2)  # a Monday
NOW = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=SEOUL)
DAY = datetime.timedelta(days=1)


def at(days: int) -> datetime.datetime:
    return NOW + days * DAY


def _told(event):
    return sorted(Notice.objects.filter(event=event).values_list("user__email", flat=True))


@pytest.fixture
def parties():
    parties = project_for_reports(milestones=0, indicators=0)
    return parties


def _milestone(parties, *, due, side=Side.CONTRACTOR, status=WorkStatus.PENDING, title="Traffic survey"):
    return Milestone.objects.create(project=parties.project, title=title, owner_side=side, due_date=due,
                                    status=status)


def test_a_milestone_is_reminded_14_and_3_days_ahead_and_once_overdue(parties):
    _milestone(parties, due=TODAY + 14 * DAY)

    assert reminders.work_item_reminders_send(now=NOW) == 1
    assert reminders.work_item_reminders_send(now=NOW) == 0  # again the same day: nothing
    assert reminders.work_item_reminders_send(now=at(5)) == 0  # 9 days ahead: between occasions
    assert reminders.work_item_reminders_send(now=at(11)) == 1  # 3 days ahead
    assert reminders.work_item_reminders_send(now=at(12)) == 0
    assert reminders.work_item_reminders_send(now=at(15)) == 1  # overdue
    assert reminders.work_item_reminders_send(now=at(40)) == 0  # overdue is told once

    assert _told("work_item_due_soon") == sorted([parties.contractor.email, parties.staff.email] * 2)
    assert _told("work_item_overdue") == sorted([parties.contractor.email, parties.staff.email])
    subjects = sorted(Notice.objects.filter(user=parties.contractor).values_list("title", flat=True))
    assert subjects == ["Milestone due in 14 days: Traffic survey", "Milestone due in 3 days: Traffic survey",
                        "Milestone overdue: Traffic survey"]


def test_only_the_latest_occasion_counts(parties):
    _milestone(parties, due=TODAY + 2 * DAY)

    assert reminders.work_item_reminders_send(now=NOW) == 1

    assert Notice.objects.filter(user=parties.contractor).get().title == "Milestone due in 2 days: Traffic survey"
    assert list(SentReminder.objects.values_list("key", flat=True)) == [
        f"coop-milestone:{Milestone.objects.get().pk}:2026-03-04:3d"]


@pytest.mark.parametrize(("side", "who"), [(Side.PARTNER, "partner"), (Side.CENTRE, "centre"), (Side.MOLIT, None)])
def test_the_owner_sides_people_and_staff_are_told(parties, side, who):
    _milestone(parties, due=TODAY - DAY, side=side)

    reminders.work_item_reminders_send(now=NOW)

    expected = [parties.staff.email] + ([getattr(parties, who).email] if who else [])
    assert _told("work_item_overdue") == sorted(expected)


def test_delivered_items_and_closed_projects_are_not_reminded(parties):
    _milestone(parties, due=TODAY + 3 * DAY, status=WorkStatus.SUBMITTED)
    _milestone(parties, due=TODAY + 3 * DAY, status=WorkStatus.ACCEPTED)
    other = project_for_reports(milestones=0, indicators=0)
    other.project.activity_status = ActivityStatus.CLOSED
    other.project.save(update_fields=["activity_status"])
    _milestone(other, due=TODAY - DAY)

    assert reminders.work_item_reminders_send(now=NOW) == 0


def test_a_moved_due_date_is_reminded_again(parties):
    milestone = _milestone(parties, due=TODAY + 3 * DAY)
    reminders.work_item_reminders_send(now=NOW)
    Milestone.objects.filter(pk=milestone.pk).update(due_date=TODAY + 2 * DAY)  # an approved revision

    assert reminders.work_item_reminders_send(now=NOW) == 1


def test_deliverables_are_reminded_too(parties):
    milestone = _milestone(parties, due=TODAY + 60 * DAY)
    Deliverable.objects.create(milestone=milestone, title="Survey dataset", owner_side=Side.PARTNER,
                               due_date=TODAY + 14 * DAY)

    assert reminders.work_item_reminders_send(now=NOW) == 1

    assert (Notice.objects.get(user=parties.partner).title == "Deliverable due in 14 days: Survey dataset")


def _period(parties, due):
    return ReportingPeriod.objects.create(project=parties.project, period_start=due - 45 * DAY,
                                          period_end=due - 15 * DAY, due_date=due)


def test_a_report_is_reminded_7_days_ahead_and_once_overdue(parties):
    _period(parties, TODAY + 7 * DAY)

    assert reminders.report_reminders_send(now=at(-1)) == 0  # 8 days ahead
    assert reminders.report_reminders_send(now=NOW) == 1
    assert reminders.report_reminders_send(now=at(3)) == 0
    assert reminders.report_reminders_send(now=at(8)) == 1
    assert reminders.report_reminders_send(now=at(30)) == 0

    assert _told("report_due_soon") == [parties.contractor.email]
    assert _told("report_overdue") == sorted([parties.contractor.email, parties.staff.email])


def test_a_filed_report_is_not_reminded_but_a_draft_is(parties):
    services.reporting_periods_rebuild(project=parties.project, by=parties.staff)
    first, second = ReportingPeriod.objects.filter(project=parties.project).order_by("period_start")[:2]
    report_in("submitted", parties, period=first)
    report_in("draft", parties, period=second)

    reminders.report_reminders_send(now=datetime.datetime(2026, 7, 20, 9, tzinfo=SEOUL))  # both overdue

    assert list(SentReminder.objects.values_list("key", flat=True)) == [f"coop-report:{second.pk}:2026-07-15:overdue"]


def _overdue_everything(parties):
    milestone = _milestone(parties, due=TODAY - 3 * DAY, title="Inception report")
    Deliverable.objects.create(milestone=milestone, title="Inception deck", owner_side=Side.CONTRACTOR,
                               due_date=TODAY - 2 * DAY)
    _period(parties, TODAY - DAY)
    meeting = CooperationMeeting.objects.create(
        project=parties.project, kind="joint_committee", session_number=1, starts_at=NOW - 30 * DAY,
        ends_at=NOW - 30 * DAY + datetime.timedelta(hours=2), created_by=parties.staff)
    ActionItem.objects.create(project=parties.project, meeting=meeting, title="Share the traffic data",
                              owner_side=Side.PARTNER, due_date=TODAY - 10 * DAY)
    ActionItem.objects.create(project=parties.project, meeting=meeting, title="Done already",
                              owner_side=Side.PARTNER, due_date=TODAY - 10 * DAY, status="done")


def test_the_weekly_digest_lists_everything_overdue_by_project_once_a_week(parties):
    _overdue_everything(parties)

    assert reminders.weekly_digest_send(now=NOW) is True
    assert reminders.weekly_digest_send(now=at(3)) is False  # same ISO week
    assert reminders.weekly_digest_send(now=at(7)) is True  # next week, still overdue

    notice = Notice.objects.filter(event="cooperation_overdue_digest").order_by("pk").first()
    assert notice.user == parties.staff
    assert notice.title == "Overdue project work: 1 project"
    for line in ("Milestone “Inception report”, due 27 February 2026",
                 "Deliverable “Inception deck”, due 28 February 2026",
                 "Progress report for 15 January 2026 – 14 February 2026, due 1 March 2026",
                 "Action item “Share the traffic data” (Partner government), due 20 February 2026"):
        assert line in notice.body
    assert "Done already" not in notice.body
    assert parties.project.title in notice.body


def test_no_digest_when_nothing_is_overdue(parties):
    _milestone(parties, due=TODAY + DAY)

    assert reminders.weekly_digest_send(now=NOW) is False
    assert not SentReminder.objects.exists()


def test_the_beat_schedules_are_registered():
    tasks = dict(PeriodicTask.objects.filter(task__startswith="cooperation.tasks.").values_list("task", "enabled"))
    assert tasks == {"cooperation.tasks.cooperation_reminders_sweep": True,
                     "cooperation.tasks.cooperation_overdue_digest": True}
    digest = PeriodicTask.objects.get(task="cooperation.tasks.cooperation_overdue_digest").crontab
    assert (digest.minute, digest.hour, digest.day_of_week, str(digest.timezone)) == ("45", "8", "1", "Asia/Seoul")


# --- cost -------------------------------------------------------------------------------------------------------


def _projects_not_due(n):
    for _ in range(n):
        parties = project_for_reports(milestones=0, indicators=0)
        milestone = _milestone(parties, due=TODAY + 60 * DAY)
        Deliverable.objects.create(milestone=milestone, title="Later", owner_side=Side.PARTNER,
                                   due_date=TODAY + 50 * DAY)
        services.reporting_periods_rebuild(project=parties.project, by=parties.staff)  # first due 15 Apr 2026
        _milestone(parties, due=TODAY - 40 * DAY, title="Reminded already")


def _cost(sweep) -> int:
    with CaptureQueriesContext(connection) as queries:
        sweep()
    return len(queries)


@pytest.mark.parametrize("n", [3, 6])
def test_a_sweep_with_nothing_due_costs_three_queries(n, django_assert_num_queries):
    _projects_not_due(n)
    reminders.reminders_sweep(now=NOW)  # the overdue ones, told now
    assert SentReminder.objects.count() == n

    with django_assert_num_queries(3):  # milestones, deliverables, reports: each one narrow query
        assert reminders.reminders_sweep(now=NOW) == {"work_items": 0, "reports": 0}


def _one_active_staff():
    User.objects.filter(role="staff").update(is_active=False)
    return StaffFactory()


def test_the_digest_costs_the_same_for_n_and_2n_projects():
    _projects_not_due(3)  # each with an overdue milestone
    _one_active_staff()
    first = _cost(lambda: reminders.weekly_digest_send(now=NOW))
    _projects_not_due(3)
    _one_active_staff()

    second = _cost(lambda: reminders.weekly_digest_send(now=at(7)))

    assert first == second
    bodies = list(Notice.objects.filter(event="cooperation_overdue_digest").order_by("pk").values_list("title",
                                                                                                    flat=True))
    assert bodies == ["Overdue project work: 3 projects", "Overdue project work: 6 projects"]


@pytest.mark.parametrize("n", [3, 6])
def test_a_digest_with_nothing_overdue_costs_five_queries(n, django_assert_num_queries):
    for _ in range(n):
        _milestone(project_for_reports(milestones=0, indicators=0), due=TODAY + 5 * DAY)

    with django_assert_num_queries(5):  # this week's claim, then the four overdue lists
        assert reminders.weekly_digest_send(now=NOW) is False
