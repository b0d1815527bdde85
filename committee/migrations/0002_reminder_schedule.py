"""Celery beat runs the committee's review-reminder sweep every hour (idempotent: re-running changes nothing)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from committee.schedules import schedules_ensure

    schedules_ensure(apps, schema_editor)


def backwards(apps, schema_editor):
    from committee.schedules import REMINDER_TASK

    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(task=REMINDER_TASK).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("committee", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
