"""Celery beat runs the reminder sweep every five minutes (idempotent: re-running changes nothing)."""

from django.db import migrations

TASK_NAME = "consulting: session and report reminders"


def forwards(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every_five = (
        IntervalSchedule.objects.filter(every=5, period="minutes").order_by("pk").first()
        or IntervalSchedule.objects.create(every=5, period="minutes")
    )
    PeriodicTask.objects.update_or_create(
        name=TASK_NAME,
        defaults={"task": "consulting.tasks.booking_reminders_sweep", "interval": every_five, "enabled": True},
    )


def backwards(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("consulting", "0002_booking_no_overlap"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
