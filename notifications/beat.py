"""The periodic outbox redrive, registered in django-celery-beat's schedule after every `migrate`.

A post_migrate hook rather than a data migration: it also restores the row after a test flush or a restore of an
older backup, and it runs through the real models, so beat's change tracking notices it. Idempotent.
"""

from django.db import DEFAULT_DB_ALIAS, connections
from django_celery_beat.models import IntervalSchedule, PeriodicTask

OUTBOX_REDRIVE_TASK_NAME = "notifications: re-send unsent e-mails"
OUTBOX_REDRIVE_TASK = "notifications.tasks.outbox_redrive"


def outbox_redrive_schedule_ensure(*, using: str = DEFAULT_DB_ALIAS):
    """Make sure beat runs the outbox redrive every minute. Returns the PeriodicTask."""
    every_minute = (
        IntervalSchedule.objects.using(using).filter(every=1, period=IntervalSchedule.MINUTES).order_by("pk").first()
        or IntervalSchedule.objects.using(using).create(every=1, period=IntervalSchedule.MINUTES)
    )
    task, _created = PeriodicTask.objects.using(using).get_or_create(
        name=OUTBOX_REDRIVE_TASK_NAME,
        defaults={"task": OUTBOX_REDRIVE_TASK, "interval": every_minute, "enabled": True},
    )
    return task


def on_post_migrate(sender, using=DEFAULT_DB_ALIAS, **kwargs):
    # `migrate` run up to an earlier migration may leave django-celery-beat's tables absent.
    if PeriodicTask._meta.db_table not in connections[using].introspection.table_names():
        return
    outbox_redrive_schedule_ensure(using=using)
