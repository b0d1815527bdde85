import datetime

import pytest
from django.utils import timezone

from committee.reminders import review_reminders_send
from committee.schedules import REMINDER_TASK, schedules_ensure
from committee.services import assignment_create, conflict_declare, review_submit
from committee.tasks import committee_review_reminders
from notifications.models import Notice
from tests.committee.helpers import meeting_for, member, proposal_in_review, rubric
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


def _setup():
    staff = StaffFactory(language="en")
    proposal = proposal_in_review(staff=staff)
    rubric(proposal.track.programme)
    meeting = meeting_for(proposal, staff=staff, days_ahead=10)
    late, done, conflicted = member(), member(), member()
    for m in (late, done, conflicted):
        assignment_create(proposal=proposal, member=m, by=staff)
    conflict_declare(member=done, proposal=proposal, has_conflict=False)
    criteria = rubric(proposal.track.programme).criteria.all()
    review_submit(member=done, proposal=proposal, scores={c.pk: {"value": 3} for c in criteria})
    conflict_declare(member=conflicted, proposal=proposal, has_conflict=True, reason="Adviser")
    return meeting, late, done, conflicted


def test_reminders_fire_once_three_days_and_once_one_day_before():
    meeting, late, _done, _conflicted = _setup()
    start = meeting.starts_at

    assert review_reminders_send(now=start - datetime.timedelta(days=4)) == 0
    assert review_reminders_send(now=start - datetime.timedelta(days=3)) == 1
    assert review_reminders_send(now=start - datetime.timedelta(days=2, hours=12)) == 0
    assert review_reminders_send(now=start - datetime.timedelta(hours=23)) == 1
    assert review_reminders_send(now=start - datetime.timedelta(hours=2)) == 0

    notices = Notice.objects.filter(event="committee_review_reminder")
    assert [n.user for n in notices] == [late.user, late.user]
    assert sorted(n.title for n in notices) == [
        "Reviews due in 3 days: First committee meeting", "Reviews due tomorrow: First committee meeting"
    ]


def test_reminder_task_runs_the_sweep_once_per_occasion():
    meeting, _late, _done, _conflicted = _setup()
    meeting.starts_at = timezone.now() + datetime.timedelta(hours=20)
    meeting.save(update_fields=["starts_at"])

    first, second = committee_review_reminders(), committee_review_reminders()

    assert (first, second) == (1, 0)


def test_reminder_schedule_registered_once():
    from django_celery_beat.models import PeriodicTask

    assert PeriodicTask.objects.filter(task=REMINDER_TASK).count() == 1  # by the data migration
    assert schedules_ensure() is False
    assert PeriodicTask.objects.filter(task=REMINDER_TASK).count() == 1
