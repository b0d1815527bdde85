"""Beat re-drives the outbox every minute: the schedule row exists after `migrate`, and registering is idempotent."""

import pytest
from django.core.management import call_command
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from notifications.beat import OUTBOX_REDRIVE_TASK_NAME, outbox_redrive_schedule_ensure

pytestmark = pytest.mark.django_db


def test_outbox_redrive_is_scheduled_every_minute_after_migrate():
    task = PeriodicTask.objects.get(task="notifications.tasks.outbox_redrive")

    assert (task.name, task.enabled, task.interval.every, task.interval.period) == (
        OUTBOX_REDRIVE_TASK_NAME, True, 1, IntervalSchedule.MINUTES
    )


def test_outbox_redrive_schedule_ensure_is_idempotent():
    before = (PeriodicTask.objects.count(), IntervalSchedule.objects.filter(every=1, period="minutes").count())

    outbox_redrive_schedule_ensure()
    call_command("migrate", verbosity=0)

    after = (PeriodicTask.objects.count(), IntervalSchedule.objects.filter(every=1, period="minutes").count())
    assert before == after
    assert PeriodicTask.objects.filter(name=OUTBOX_REDRIVE_TASK_NAME).count() == 1


def test_outbox_redrive_schedule_ensure_keeps_staff_changes():
    PeriodicTask.objects.filter(name=OUTBOX_REDRIVE_TASK_NAME).update(enabled=False)

    outbox_redrive_schedule_ensure()

    assert PeriodicTask.objects.get(name=OUTBOX_REDRIVE_TASK_NAME).enabled is False


def test_outbox_redrive_schedule_restored_when_deleted():
    PeriodicTask.objects.filter(name=OUTBOX_REDRIVE_TASK_NAME).delete()

    call_command("migrate", verbosity=0)

    assert PeriodicTask.objects.get(name=OUTBOX_REDRIVE_TASK_NAME).task == "notifications.tasks.outbox_redrive"
